/* [HEAD] The attestation platform ("TEE variant") of this guest, named as
 * upstream's TeeVariant. This dstack-util attests TDX on the dstack VMM
 * only: a TDX guest (the simulator included) is "dstack-tdx"; a cloud
 * platform upstream would name differently (GCP, AWS, Nitro) is refused
 * rather than misnamed. */
#ifndef DS_ATTEST_TEE_VARIANT_H
#define DS_ATTEST_TEE_VARIANT_H

#define DS_TEE_VARIANT_TDX "dstack-tdx"

/* 1 when name is one of upstream's TeeVariant names. */
int ds_tee_variant_known(const char *name);
/* The variant of this guest into *name (a static string). */
int ds_tee_variant_detect(const char **name);

#endif
