#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then a small C program built
# with nothing but `pkg-config --cflags --libs dstack` talks to a mock agent.
. "$DS_SOURCE_DIR/tests/integration/lib.sh"
. "$DS_SOURCE_DIR/tests/integration/agent_mocks.sh"

cmake --install "$DS_BUILD_DIR" --prefix "$TMP/prefix" >"$TMP/install.log" || {
	cat "$TMP/install.log" >&2
	fail "cmake --install failed"
}
pc=$(find "$TMP/prefix" -name dstack.pc)
[ -n "$pc" ] || fail "no dstack.pc installed"
[ -f "$TMP/prefix/include/dstack/dstack.h" ] || fail "no header installed"
"$TMP/prefix/bin/dstack-util" --version >/dev/null || fail "no dstack-util installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(pkg-config --variable=libdir dstack)
[ -e "$libdir/libdstack.so" ] || fail "pkg-config libdir $libdir holds no libdstack.so"
case "$(pkg-config --cflags --libs dstack)" in
	*"$TMP/prefix"*) ;;
	*) fail "pkg-config flags do not point into the prefix" ;;
esac
pass "installed files and dstack.pc"

# Only the public API leaves the library.
nm -D --defined-only "$libdir/libdstack.so" | awk '$2 != "A" {print $3}' | sed 's/@.*//' >"$TMP/exports"
grep -v '^dstack_' "$TMP/exports" && fail "libdstack.so exports more than dstack_*"
grep -qx dstack_get_key "$TMP/exports" || fail "dstack_get_key is not exported"
pass "exports"

# shellcheck disable=SC2086 # DS_EXAMPLE_CFLAGS and the pkg-config output are word lists
${CC:-cc} -std=c17 -Wall -Wextra -Werror $DS_EXAMPLE_CFLAGS "$DS_SOURCE_DIR/tests/install/client_example.c" \
	$(pkg-config --cflags --libs dstack) -o "$TMP/example" || fail "the example does not build"
start_agent_mock "$TMP/dstack.sock"
wait_for "$TMP/dstack.sock"
DSTACK_SIMULATOR_ENDPOINT="$TMP/dstack.sock" LD_LIBRARY_PATH="$libdir" expect_exit 0 "$TMP/example" /test
assert_eq "$(sed -n 1p "$TMP/out")" 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d "key"
assert_eq "$(sed -n 2p "$TMP/out")" \
	"$(python3 -c 'import hashlib; print(hashlib.shake_256(b"example/v1"+bytes.fromhex("5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d")).hexdigest(32))')" \
	"expanded key"
assert_eq "$(sed -n 3p "$TMP/out")" "tls chain 1" "TLS key"
DSTACK_SIMULATOR_ENDPOINT="$TMP/none.sock" LD_LIBRARY_PATH="$libdir" expect_exit 1 "$TMP/example" /test
grep -q "Unix socket file $TMP/none.sock does not exist" "$TMP/err" || fail "no error text through the library"
pass "a program built through pkg-config"
