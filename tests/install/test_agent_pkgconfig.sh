#!/usr/bin/env bash
# The issue's definition of done: a C program linking the installed
# libdstack through pkg-config gets a key from dstack-guest-agent running on
# the TDX simulator, verified to the pinned KMS root (spec 11.2, 11.3), and
# another signs, verifies and attests (11.4).
. "$DS_SOURCE_DIR/tests/integration/lib.sh"
. "$DS_SOURCE_DIR/tests/integration/tdx_sim.sh"
. "$DS_SOURCE_DIR/tests/integration/agentd.sh"

cmake --install "$DS_BUILD_DIR" --prefix "$TMP/prefix" >"$TMP/install.log" || {
	cat "$TMP/install.log" >&2
	fail "cmake --install failed"
}
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$TMP/prefix" -name dstack.pc)")
libdir=$(pkg-config --variable=libdir dstack)
# shellcheck disable=SC2086 # DS_EXAMPLE_CFLAGS and the pkg-config output are word lists
${CC:-cc} -std=c17 -Wall -Wextra -Werror $DS_EXAMPLE_CFLAGS "$DS_SOURCE_DIR/tests/install/verified_key.c" \
	$(pkg-config --cflags --libs dstack) -o "$TMP/verified_key" || fail "the program does not build"
# shellcheck disable=SC2086
${CC:-cc} -std=c17 -Wall -Wextra -Werror $DS_EXAMPLE_CFLAGS "$DS_SOURCE_DIR/tests/install/signed_message.c" \
	$(pkg-config --cflags --libs dstack) -o "$TMP/signed_message" || fail "the signing program does not build"

start_simulator
make_work_dir
start_agent
export DSTACK_SIMULATOR_ENDPOINT="$AGENT_SOCK" LD_LIBRARY_PATH="$libdir"
expect_exit 0 "$TMP/verified_key" /test/path test-purpose "$SIM_KMS_ROOT"
assert_eq "$(cat "$TMP/out")" b9fbb7171185c421c58610a2acba8ceae93623ae47815618cbad1e98fc042cb7 "verified key"
expect_exit 1 "$TMP/verified_key" /test/path test-purpose \
	02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c
[ ! -s "$TMP/out" ] || fail "a key was printed for another KMS root"
grep -q "does not lead to the trusted KMS root key" "$TMP/err" || fail "unclear rejection"
pass "a pkg-config program gets a verified key from the agent on the simulator"
# Sign, Verify and Attest through the shared library (spec 11.4).
expect_exit 0 "$TMP/signed_message" ed25519 "test message" "$SIM_KMS_ROOT"
assert_eq "$(cat "$TMP/out")" \
	7247b9514be1a72b9cb24334be3adab386901b69e434a66570fa3b8560c64c6f43c3f9fa03de5d676efd98554f15764f15efe69b64d1f77e99735ea509fb3d0c \
	"signature"
expect_exit 0 "$TMP/signed_message" secp256k1 "test message" "$SIM_KMS_ROOT"
assert_eq "$(cat "$TMP/out")" \
	dbc6c79f6dfcabf31f281da7cad6fd2ff7b7259d67cc0e54f8a5cd2a9c7c4d9f583d33b37b55b91819293705083ab7fd4b1a85a75a61acfdb260c714aa9e3f37 \
	"signature"
stop_agent
stop_simulator
pass "a pkg-config program signs, verifies and attests through the agent"
