/* DCAP quotes (v3, v4, v5) and the TD report lookup. */
#include <stddef.h>
#include <stdint.h>

#include "attest/quote.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_quote q;
	const struct ds_td10 *td;

	if (ds_quote_parse(data, size, &q) == 0 && ds_quote_td_report(&q, &td) == 0 &&
	    q.end > size)
		__builtin_trap();
	return 0;
}
