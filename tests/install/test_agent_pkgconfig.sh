#!/usr/bin/env bash
# The issue's definition of done: a C program linking the installed
# libdstack through pkg-config gets a key from dstack-guest-agent running on
# the TDX simulator, verified to the pinned KMS root (spec 11.2, 11.3).
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
stop_agent
stop_simulator
pass "a pkg-config program gets a verified key from the agent on the simulator"
