/* The guest agent's answers (lib/agent): the first byte picks the parser,
 * the rest is the body. GetQuote takes the 64 bytes of report data it must
 * find in the answer from the input too, so matching answers get explored. */
#include <stddef.h>
#include <stdint.h>

#include "agent/agent.h"

static void parse(uint8_t which, const uint8_t *data, size_t size)
{
	struct dstack_key key;
	struct dstack_quote quote;
	struct dstack_info info;
	struct dstack_tls_key tls;
	struct dstack_version version;
	char msg[256];

	switch (which % 6) {
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
	default:
		ds_agent_error_message(data, size, msg, sizeof(msg));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size)
		parse(data[0], data + 1, size - 1);
	return 0;
}
