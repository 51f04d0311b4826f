/* Decoding a hex argument in the install tests' programs, which build with
 * the installed header and pkg-config only. */
#ifndef DS_INSTALL_HEX_ARG_H
#define DS_INSTALL_HEX_ARG_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int unhex(const char *hex, uint8_t *out, size_t len)
{
	if (strlen(hex) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return 0;
}

#endif
