/* An application of the installed libdstack (built with pkg-config only):
 * signs argv[2] (text) with algorithm argv[1], checks the signing key's
 * chain to the KMS root pinned in argv[3], has the agent verify the
 * signature, and gets an attestation over it; prints the signature. */
#include <dstack/dstack.h>
#include <stdio.h>
#include <string.h>

#include "hex_arg.h"

int main(int argc, char **argv)
{
	struct dstack_signature sig = { 0 };
	struct dstack_attestation att = { 0 };
	struct dstack_info info = { 0 };
	dstack_client *client = NULL;
	uint8_t root[DSTACK_PUBKEY_LEN];
	int r, valid = 0;

	if (argc != 4 || unhex(argv[3], root, sizeof(root)))
		return 2;
	r = dstack_client_new(NULL, &client);
	if (r == 0)
		r = dstack_get_info(client, &info);
	if (r == 0)
		r = dstack_sign(client, argv[1], (const uint8_t *)argv[2], strlen(argv[2]), &sig);
	if (r == 0)
		r = dstack_verify_sign_chain(&sig, info.app_id.data, root, NULL);
	if (r == 0)
		r = dstack_verify(client, argv[1], (const uint8_t *)argv[2], strlen(argv[2]),
				  sig.signature, sizeof(sig.signature), sig.public_key,
				  sig.public_key_len, &valid);
	if (r == 0)
		r = dstack_attest(client, sig.signature, sizeof(sig.signature), &att);
	if (r == 0 && valid) {
		for (size_t i = 0; i < sizeof(sig.signature); i++)
			printf("%02x", sig.signature[i]);
		printf("\n");
	} else {
		fprintf(stderr, "error %d (valid %d): %s\n", r, valid, dstack_last_error());
	}
	dstack_attestation_free(&att);
	dstack_signature_free(&sig);
	dstack_info_free(&info);
	dstack_client_free(client);
	return r || !valid ? 1 : 0;
}
