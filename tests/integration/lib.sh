# Shared helpers for the integration tests: sourced, never run directly.
# ctest sets DS_BUILD_DIR, DS_SOURCE_DIR and DS_FIXTURES_DIR.
set -euo pipefail

BIN="${DS_BUILD_DIR:?run through ctest}/bin"
UTIL="$BIN/dstack-util"
FIXTURES="${DS_FIXTURES_DIR:?run through ctest}"
TMP=$(mktemp -d /tmp/ds-it.XXXXXX)
CLEANUP_HOOKS=()
# Tests never touch /run: the runtime log lives in the test's own directory.
export DSTACK_RUNTIME_LOG_DIR="$TMP/runlog"

cleanup() {
	local hook
	for hook in "${CLEANUP_HOOKS[@]}"; do eval "$hook" || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# expect_exit CODE CMD...: runs CMD, stdout to $TMP/out, stderr to $TMP/err.
expect_exit() {
	local want=$1 got=0
	shift
	"$@" >"$TMP/out" 2>"$TMP/err" || got=$?
	[ "$got" = "$want" ] || { cat "$TMP/err" >&2; fail "'$*' exited $got, expected $want"; }
}

# expect_error PATTERN CMD...: must exit 1 with "Error:" and PATTERN on stderr.
expect_error() {
	local pattern=$1
	shift
	expect_exit 1 "$@"
	grep -q '^Error: ' "$TMP/err" || fail "'$*': no 'Error:' line on stderr"
	grep -qF -- "$pattern" "$TMP/err" || { cat "$TMP/err" >&2; fail "'$*': stderr lacks '$pattern'"; }
}

assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: got '$1', expected '$2'"; }
