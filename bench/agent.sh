#!/usr/bin/env bash
# dstack-guest-agent (the real agent, on the fixture work dir; GetKey needs
# no TDX): (1) one GetKey round trip with the C client (libdstack built
# through pkg-config) against `curl --unix-socket`, same agent, same script;
# (2) agent throughput and latency at 1, 16 and 128 concurrent C clients.
# Usage: bench/agent.sh [BUILD_DIR] [CALLS]   (defaults: build, 400)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
n=${2:-400}
fixtures=${DS_FIXTURES_DIR:-$src/../shared/fixtures/upstream}
tmp=$(mktemp -d /tmp/ds-bench.XXXXXX)
agent=
trap '[ -n "$agent" ] && kill "$agent"; rm -rf "$tmp"' EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$tmp/prefix" -name dstack.pc)")
libdir=$(pkg-config --variable=libdir dstack)
# shellcheck disable=SC2046 # pkg-config prints a word list
cc -O2 -std=c17 -Wall -Werror "$src/bench/agent_getkey_loop.c" $(pkg-config --cflags --libs dstack) -o "$tmp/loop"
# shellcheck disable=SC2046
cc -O2 -std=c17 -Wall -Werror -pthread "$src/bench/agent_load.c" $(pkg-config --cflags --libs dstack) -o "$tmp/load"

shared="$tmp/work/.host-shared"
mkdir -p "$shared"
cp "$fixtures/simulator-appkeys.json" "$shared/.appkeys.json"
cp "$fixtures/simulator-app-compose.json" "$shared/app-compose.json"
cp "$fixtures/simulator-sys-config.json" "$shared/.sys-config.json"
RUST_LOG=warn "$build/bin/dstack-guest-agent" --socket "$tmp/dstack.sock" --work-dir "$tmp/work" &
agent=$!
for _ in $(seq 200); do [ -S "$tmp/dstack.sock" ] && break; sleep 0.05; done
export DSTACK_SIMULATOR_ENDPOINT="$tmp/dstack.sock" LD_LIBRARY_PATH="$libdir"
body='{"path":"bench","purpose":"","algorithm":""}'
curl_once() {
	curl -sf --unix-socket "$tmp/dstack.sock" -H 'Content-Type: application/json' \
		--data "$body" http://localhost/GetKey
}
now() { date +%s%N; }

want=$(curl_once | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
t0=$(now)
for _ in $(seq "$n"); do curl_once >/dev/null; done
curl_ns=$(($(now) - t0))
read -r lib_ns got < <("$tmp/loop" "$n" bench)
[ "$got" = "$want" ] || { echo "C client key $got differs from curl's $want" >&2; exit 1; }
per_call() { awk -v ns="$1" -v n="$n" 'BEGIN { printf "%.3f ms", ns / n / 1e6 }'; }
echo "GetKey round trip on dstack-guest-agent, $n calls each:"
echo "  curl --unix-socket (baseline)   $(per_call "$curl_ns") per call"
echo "  libdstack dstack_get_key        $(per_call "$lib_ns") per call  ratio" \
	"$(awk -v a="$lib_ns" -v b="$curl_ns" 'BEGIN { printf "%.3f", a / b }') (target <= 0.5)"

echo "Agent throughput, GetKey, C clients (one connection per call):"
for c in 1 16 128; do
	calls=$(( c == 1 ? 4000 : 16000 / c ))
	read -r rps p50 p99 got < <("$tmp/load" "$c" "$calls" bench)
	[ "$got" = "$want" ] || { echo "load key $got differs" >&2; exit 1; }
	printf '  %3d clients: %6d GetKey/s (target >= 5000)  p50 %5d us  p99 %6d us\n' "$c" "$rps" "$p50" "$p99"
done
