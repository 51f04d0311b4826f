/* A tiny application of the installed libdstack, built by test_pkgconfig.sh
 * with `pkg-config --cflags --libs dstack` only. For the key path argv[1] it
 * prints the key, 32 bytes expanded from it, and the TLS chain length. */
#include <dstack/dstack.h>
#include <stdio.h>

static void print_hex(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", data[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct dstack_key key = { 0 };
	struct dstack_tls_key tls = { 0 };
	dstack_client *client = NULL;
	uint8_t derived[32];
	int r;

	if (argc != 2)
		return 2;
	r = dstack_client_new(NULL, &client);
	if (r == 0)
		r = dstack_get_key(client, argv[1], "example", NULL, &key);
	if (r == 0)
		r = dstack_key_expand(key.key, "example/v1", derived, sizeof(derived));
	if (r == 0)
		r = dstack_get_tls_key(client, NULL, &tls);
	if (r == 0) {
		print_hex(key.key, sizeof(key.key));
		print_hex(derived, sizeof(derived));
		printf("tls chain %zu\n", tls.certificate_chain_len);
	} else {
		fprintf(stderr, "error %d: %s\n", r, dstack_last_error());
	}
	dstack_tls_key_free(&tls);
	dstack_key_free(&key);
	dstack_client_free(client);
	return r ? 1 : 0;
}
