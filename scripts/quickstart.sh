#!/usr/bin/env bash
# The main job on the TDX simulator: installs dependencies, builds, starts
# the simulator, generates a quote, extends RTMR3, shows the app info, stops.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

work=$(mktemp -d /tmp/dstack-quickstart.XXXXXX)
mnt="$work/mnt"
printf '{"mock_attestation_seed":"%s"}' "$(build/bin/dstack-util rand -n 32 -x)" >"$work/sim.json"
build/bin/dstack-tee-simulator --ccel ../shared/fixtures/upstream/ccel.bin --config "$work/sim.json" \
	--mountpoint "$mnt" --runtime-dir "$work/run" 2>"$work/sim.log" &
sim=$!
stop() {
	kill -TERM "$sim" 2>/dev/null && wait "$sim" || true
	rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 100); do grep -q ready "$work/sim.log" && break; sleep 0.1; done
cat "$work/sim.log"

export DCAP_TDX_QUOTE_CONFIGFS_PATH="$mnt/com.intel.dcap"
export DCAP_TDX_RTMR_SYSFS_PATH="$mnt/com.intel.dcap/measurements"
export DSTACK_CCEL_FILE="$mnt/com.intel.dcap/ccel"
export DSTACK_RUNTIME_LOG_DIR="$work/log"
# `setup` fixes the runtime event digest version once per boot; here by hand.
mkdir -p "$DSTACK_RUNTIME_LOG_DIR" && printf 1 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"

echo "== quote for report data 'hello' (zero padded)"
{ printf hello; head -c 59 /dev/zero; } | build/bin/dstack-util quote >"$work/quote.bin"
echo "$(stat -c %s "$work/quote.bin")-byte quote, report data: $(head -c 632 "$work/quote.bin" | tail -c 64 | build/bin/dstack-util hex | cut -c1-20)..."
echo "== extend RTMR3 with app-id"
build/bin/dstack-util extend -e app-id -p 5bb4ff9a3837357f19dc176407a5709c62eb6c56
cat "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
echo "== show"
build/bin/dstack-util show
echo "== stop the simulator"
