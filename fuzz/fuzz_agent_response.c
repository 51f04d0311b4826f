/* The guest agent's answers (lib/agent): the first byte picks the parser,
 * the rest is the body. GetQuote and Attest take the 64 bytes of report
 * data they must find in the answer from the input too, so matching answers
 * get explored; Sign takes its algorithm from the next byte and checks the
 * answer against the message of the spec's vectors (11.4). */
#include <stddef.h>
#include <stdint.h>

#include "agent/agent.h"

static const uint8_t message[] = "test message";
static const uint8_t digest[32] = {
	0x62, 0xde, 0xf9, 0xde, 0xb6, 0x35, 0x93, 0xd0, 0x54, 0x74, 0xb2, 0x28, 0x51, 0xc0, 0x61, 0x6d,
	0xbc, 0x10, 0xca, 0x66, 0xaa, 0x4f, 0x93, 0x90, 0x0a, 0xb9, 0x23, 0xa0, 0xfa, 0x52, 0xc5, 0x4f,
};

static void parse_sign(const uint8_t *data, size_t size)
{
	enum ds_sign_algo algo = (enum ds_sign_algo)(data[0] % 3);
	struct dstack_signature sig;
	int prehashed = algo == DS_SIGN_SECP256K1_PREHASHED;

	if (ds_agent_sign_parse(data + 1, size - 1, algo, prehashed ? digest : message,
				prehashed ? sizeof(digest) : sizeof(message) - 1, &sig) == 0)
		dstack_signature_free(&sig);
}

static void parse_more(uint8_t which, const uint8_t *data, size_t size)
{
	struct dstack_attestation att;
	struct dstack_gpu_info gpu;
	int valid;

	switch (which) {
	case 6:
		if (size)
			parse_sign(data, size);
		break;
	case 7:
		ds_agent_verify_parse(data, size, &valid);
		break;
	case 8:
		if (size >= DSTACK_REPORT_DATA_LEN &&
		    ds_agent_attest_parse(data + DSTACK_REPORT_DATA_LEN, size - DSTACK_REPORT_DATA_LEN,
					  data, &att) == 0)
			dstack_attestation_free(&att);
		break;
	default:
		if (ds_agent_gpu_info_parse(data, size, &gpu) == 0)
			dstack_gpu_info_free(&gpu);
		break;
	}
}

static void parse(uint8_t which, const uint8_t *data, size_t size)
{
	struct dstack_key key;
	struct dstack_quote quote;
	struct dstack_info info;
	struct dstack_tls_key tls;
	struct dstack_version version;
	char msg[256];

	switch (which % 10) {
	case 0:
		if (ds_agent_key_parse(data, size, &key) == 0)
			dstack_key_free(&key);
		break;
	case 1:
		if (size >= DSTACK_REPORT_DATA_LEN &&
		    ds_agent_quote_parse(data + DSTACK_REPORT_DATA_LEN, size - DSTACK_REPORT_DATA_LEN,
					 data, &quote) == 0)
			dstack_quote_free(&quote);
		break;
	case 2:
		if (ds_agent_info_parse(data, size, &info) == 0)
			dstack_info_free(&info);
		break;
	case 3:
		if (ds_agent_tls_key_parse(data, size, &tls) == 0)
			dstack_tls_key_free(&tls);
		break;
	case 4:
		if (ds_agent_version_parse(data, size, &version) == 0)
			dstack_version_free(&version);
		break;
	case 5:
		ds_agent_error_message(data, size, msg, sizeof(msg));
		break;
	default:
		parse_more(which % 10, data, size);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size)
		parse(data[0], data + 1, size - 1);
	return 0;
}
