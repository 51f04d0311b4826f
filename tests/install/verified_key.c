/* An application of the installed libdstack (built with pkg-config only):
 * GetKey for argv[1] with purpose argv[2], the chain verified to the KMS
 * root pinned in argv[3] for the agent's app id, then the key printed. */
#include <dstack/dstack.h>
#include <stdio.h>
#include <string.h>

#include "hex_arg.h"

int main(int argc, char **argv)
{
	struct dstack_key key = { 0 };
	struct dstack_info info = { 0 };
	dstack_client *client = NULL;
	uint8_t root[DSTACK_PUBKEY_LEN];
	int r;

	if (argc != 4 || unhex(argv[3], root, sizeof(root)))
		return 2;
	r = dstack_client_new(NULL, &client);
	if (r == 0)
		r = dstack_get_info(client, &info);
	if (r == 0)
		r = dstack_get_key(client, argv[1], argv[2], NULL, &key);
	if (r == 0)
		r = dstack_verify_key_chain(&key, argv[2], NULL, info.app_id.data, root, NULL);
	if (r == 0) {
		for (size_t i = 0; i < sizeof(key.key); i++)
			printf("%02x", key.key[i]);
		printf("\n");
	} else {
		fprintf(stderr, "error %d: %s\n", r, dstack_last_error());
	}
	dstack_key_free(&key);
	dstack_info_free(&info);
	dstack_client_free(client);
	return r ? 1 : 0;
}
