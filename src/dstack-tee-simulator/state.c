/* The simulated kernel state: measurements, the current quote in outblob,
 * and the generation counter that tells writers their quote is ready. */
#include "sim.h"
#include "util/err.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

int sim_state_request_quote(struct sim_state *s, const uint8_t *data, size_t len, long long off)
{
	struct ds_buf quote = { 0 };

	if (off != 0 || len != 64)
		return -EINVAL;
	if (sim_quote_build(&s->pki, &s->m, data, &quote)) {
		ds_err_clear();
		return -EIO;
	}
	ds_buf_free(&s->outblob);
	s->outblob = quote;
	s->generation++;
	snprintf(s->generation_text, sizeof(s->generation_text), "%lld\n", s->generation);
	return 0;
}

/* Only RTMR2 and RTMR3 are extensible from the guest, as with the kernel. */
int sim_state_extend(struct sim_state *s, unsigned index, const uint8_t *data, size_t len,
		     long long off)
{
	uint8_t buf[96];

	if (off != 0 || len != 48 || index < 2 || index > 3)
		return -EINVAL;
	memcpy(buf, s->m.rtmr[index], 48);
	memcpy(buf + 48, data, 48);
	if (!EVP_Digest(buf, sizeof(buf), s->m.rtmr[index], NULL, EVP_sha384(), NULL))
		return -EIO;
	return 0;
}
