#!/usr/bin/env bash
# One GetKey round trip: the C client (libdstack, installed and built through
# pkg-config, calls in one process) against `curl --unix-socket` (one process
# per call, the way scripts call it) on the same mock agent, in this script.
# Also shows `dstack-util agent-key` (one process per call) for scripts.
# Usage: bench/agent_getkey.sh [BUILD_DIR] [CALLS]   (defaults: build, 200)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
n=${2:-200}
fixtures=${DS_FIXTURES_DIR:-$src/../shared/fixtures/upstream}
tmp=$(mktemp -d /tmp/ds-bench.XXXXXX)
mock=
trap '[ -n "$mock" ] && kill "$mock"; rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$tmp/prefix" -name dstack.pc)")
libdir=$(pkg-config --variable=libdir dstack)
# shellcheck disable=SC2046 # pkg-config prints a word list
cc -O2 -std=c17 -Wall -Werror "$src/bench/agent_getkey_loop.c" $(pkg-config --cflags --libs dstack) -o "$tmp/loop"

python3 "$src/tests/mocks/agent_mock.py" --unix "$tmp/dstack.sock" --fixtures "$fixtures" &
mock=$!
for _ in $(seq 200); do [ -e "$tmp/dstack.sock" ] && break; sleep 0.05; done
export DSTACK_SIMULATOR_ENDPOINT="$tmp/dstack.sock"
body='{"path":"bench","purpose":"","algorithm":""}'

curl_once() {
	curl -sf --unix-socket "$tmp/dstack.sock" -H 'Content-Type: application/json' \
		--data "$body" http://localhost/GetKey
}
now() { date +%s%N; }

want=$(curl_once | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
curl_once >/dev/null   # warm-up of both sides

t0=$(now)
for _ in $(seq "$n"); do curl_once >/dev/null; done
curl_ns=$(($(now) - t0))

read -r lib_ns got < <(LD_LIBRARY_PATH="$libdir" "$tmp/loop" "$n" bench)
[ "$got" = "$want" ] || { echo "C client key $got differs from curl's $want" >&2; exit 1; }

t0=$(now)
for _ in $(seq "$n"); do "$build/bin/dstack-util" agent-key bench >/dev/null; done
cli_ns=$(($(now) - t0))

per_call() { awk -v ns="$1" -v n="$n" 'BEGIN { printf "%.3f ms", ns / n / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$curl_ns" 'BEGIN { printf "%.3f", a / b }'; }
echo "GetKey round trip, $n calls each, same mock agent:"
echo "  curl --unix-socket (baseline)   $(per_call "$curl_ns") per call"
echo "  libdstack dstack_get_key        $(per_call "$lib_ns") per call  ratio $(ratio "$lib_ns") (target <= 0.5)"
echo "  dstack-util agent-key           $(per_call "$cli_ns") per call  ratio $(ratio "$cli_ns")"
