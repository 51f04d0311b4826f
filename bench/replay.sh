#!/usr/bin/env bash
# Replay throughput against OpenSSL's own SHA-384 speed for 96-byte inputs
# (one RTMR extend hashes RTMR || digest = 96 bytes), measured here too.
# Usage: bench/replay.sh [BUILD_DIR] (default: build). Needs a built tree.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
events=100000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A runtime log of $events V1 events with 32-byte payloads.
python3 - "$work/runtime_events.log" "$events" <<'PY'
import base64, os, sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        payload = base64.b64encode(i.to_bytes(4, "little") * 8).decode()
        f.write('{"event":"bench-%d","payload":"%s"}\n' % (i, payload))
PY

cc -O2 -D_GNU_SOURCE -I"$src/lib" "$src/bench/replay_bench.c" "$build/lib/libdstack.a" \
	$(pkg-config --libs openssl jansson) -o "$work/replay_bench"

# OpenSSL's rate in bytes/s for 96-byte blocks ("sha384 ... <k bytes/s per size>").
# OpenSSL 3.0's speed knows sha384 only through -evp; later versions take both.
speed() {
	openssl speed "$@" -bytes 96 -seconds 2 2>/dev/null |
		awk '/^sha384 /{v=$NF; sub(/k$/, "", v); print v * 1000}'
}
baseline=$(speed sha384 || true)
[ -n "$baseline" ] || baseline=$(speed -evp sha384 || true)
[ -n "$baseline" ] || { echo "could not measure openssl speed" >&2; exit 1; }

"$work/replay_bench" "$work/runtime_events.log" >"$work/times"
start=$(date +%s.%N)
DSTACK_CCEL_FILE="${DS_FIXTURES_DIR:-$src/../shared/fixtures/upstream}/ccel.bin" \
	DSTACK_RUNTIME_LOG_DIR="$work" "$build/bin/dstack-util" replay-imr >/dev/null
end=$(date +%s.%N)

awk -v base="$baseline" -v start="$start" -v end="$end" -v n="$events" '
function row(name, secs, note) {
	printf "%-34s %8.3f s  %10.0f events/s  %5.1f%% of openssl sha384 (96-byte)%s\n",
	       name, secs, n / secs, 100 * n * 96 / secs / base, note
}
{ t[$1] = $2 }
END {
	printf "openssl speed sha384, 96-byte blocks: %.0f blocks/s\n", base / 96
	row("extend chain (stored digests)", t["extend_chain"], "")
	row("RTMR3 replay (digests recomputed)", t["replay_rtmr3"], "  [2 hashes per event]")
	row("runtime log parse (JSON, base64)", t["parse"], "")
	row("dstack-util replay-imr (end to end)", end - start, "")
}' "$work/times"
