# The TDX simulator for the benchmarks (sourced). sim_start BUILD FIXTURES DIR
# mounts it on DIR/mnt and exports what points dstack-util at it (runtime log
# and host-shared directory under DIR too); sim_stop stops it.
sim_pid=

sim_start() {
	local build=$1 fixtures=$2 dir=$3
	printf '{"mock_attestation_seed":"%s"}' "$(printf 'ab%.0s' $(seq 32))" >"$dir/sim.json"
	: >"$dir/sim.err"
	"$build/bin/dstack-tee-simulator" --ccel "$fixtures/ccel.bin" --config "$dir/sim.json" \
		--mountpoint "$dir/mnt" --runtime-dir "$dir/run" 2>"$dir/sim.err" &
	sim_pid=$!
	for _ in $(seq 100); do grep -q "ready at" "$dir/sim.err" && break; sleep 0.1; done
	grep -q "ready at" "$dir/sim.err" || { cat "$dir/sim.err" >&2; return 1; }
	export DCAP_TDX_QUOTE_CONFIGFS_PATH="$dir/mnt/com.intel.dcap"
	export DCAP_TDX_RTMR_SYSFS_PATH="$dir/mnt/com.intel.dcap/measurements"
	export DSTACK_CCEL_FILE="$dir/mnt/com.intel.dcap/ccel"
	export DSTACK_HOST_SHARED_DIR="$dir/shared"
	export DSTACK_RUNTIME_LOG_DIR="$dir/log"
	mkdir -p "$dir/log"
	printf 1 >"$dir/log/runtime_event_version"
}

sim_stop() {
	[ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	sim_pid=
}
