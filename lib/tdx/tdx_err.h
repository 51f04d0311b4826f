/* Errors of the TDX backend, worded as upstream HEAD's TdxAttestError
 * displays them ("quote failure: ...", "device busy", ...), so that the
 * messages a user sees match upstream's (spec tdx-attestation.md 1.7). */
#ifndef DS_TDX_TDX_ERR_H
#define DS_TDX_TDX_ERR_H

#include <string.h>

enum ds_tdx_kind {
	DS_TDX_UNEXPECTED,      /* "unexpected error: MSG" */
	DS_TDX_VSOCK,           /* "vsock failure: MSG" */
	DS_TDX_REPORT,          /* "report failure: MSG" */
	DS_TDX_EXTEND,          /* "extend failure: MSG" */
	DS_TDX_NOT_SUPPORTED,   /* "not supported: MSG" (-EOPNOTSUPP) */
	DS_TDX_QUOTE,           /* "quote failure: MSG" */
	DS_TDX_BUSY,            /* "device busy" (-EBUSY), fmt must be NULL */
	DS_TDX_DEVICE,          /* "device failure: MSG" */
	DS_TDX_RTMR_INDEX,      /* "invalid RTMR index: N" (-EINVAL) */
};

/* Starts an error chain with the kind's prefix followed by the formatted
 * detail; returns the kind's negative errno. */
int ds_tdx_err(enum ds_tdx_kind kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An OS error as Rust's std::io::Error displays it. */
#define DS_OS_ERR_FMT "%s (os error %d)"
#define DS_OS_ERR(e) strerror(e), (e)

#endif
