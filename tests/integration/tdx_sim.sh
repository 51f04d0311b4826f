# Helpers for tests that need the TDX simulator: sourced after lib.sh.
# start_simulator mounts it on $TMP/mnt and exports the variables that
# point dstack-util at it; stop_simulator stops it and checks the unmount.
SIM="$BIN/dstack-tee-simulator"
SIM_MNT="$TMP/mnt"
SIM_PID=

[ "$(id -u)" = 0 ] || fail "the simulator tests run as root (FUSE mount)"
[ -c /dev/fuse ] || fail "the simulator tests need /dev/fuse"

# The seed of the mock PKI; any 32 bytes will do.
sim_config() {
	printf '{"mock_attestation_seed":"%s"}' \
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" >"$TMP/sim.json"
}

is_mounted() { awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo; }

start_simulator() {
	local i
	sim_config
	: >"$TMP/sim.err"    # exists before the readiness poll reads it
	"$SIM" --ccel "$FIXTURES/ccel.bin" --config "$TMP/sim.json" --mountpoint "$SIM_MNT" \
		--runtime-dir "$TMP/run" 2>"$TMP/sim.err" &
	SIM_PID=$!
	CLEANUP_HOOKS+=("sim_cleanup")
	for i in $(seq 100); do
		grep -q "^dstack-tee-simulator: ready at $SIM_MNT\$" "$TMP/sim.err" && break
		kill -0 "$SIM_PID" 2>/dev/null || { cat "$TMP/sim.err" >&2; fail "simulator died"; }
		sleep 0.1
	done
	is_mounted "$SIM_MNT" || { cat "$TMP/sim.err" >&2; fail "simulator not mounted"; }
	export DCAP_TDX_QUOTE_CONFIGFS_PATH="$SIM_MNT/com.intel.dcap"
	export DCAP_TDX_RTMR_SYSFS_PATH="$SIM_MNT/com.intel.dcap/measurements"
	export DSTACK_CCEL_FILE="$SIM_MNT/com.intel.dcap/ccel"
}

# SIGTERM must unmount: no stale mount may be left behind.
stop_simulator() {
	local rc=0
	kill -TERM "$SIM_PID"
	wait "$SIM_PID" || rc=$?
	SIM_PID=
	assert_eq "$rc" 0 "simulator exit status after SIGTERM"
	! is_mounted "$SIM_MNT" || fail "simulator left $SIM_MNT mounted"
	grep -q "unmounted, exiting" "$TMP/sim.err" || fail "simulator did not report its unmount"
}

# Fallback for a failing test: never leave a mount or a process behind.
sim_cleanup() {
	if [ -n "$SIM_PID" ]; then
		kill -TERM "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	is_mounted "$SIM_MNT" && fusermount3 -u "$SIM_MNT"
	return 0
}

# Waits for every background job but the simulator; fails if any failed.
wait_workers() {
	local job failed=0
	for job in $(jobs -p); do
		[ "$job" = "$SIM_PID" ] && continue
		wait "$job" || failed=1
	done
	assert_eq "$failed" 0 "${1:-background jobs} all succeeded"
}

# A whole file as lowercase hex (coreutils only).
file_hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# Quote field at byte offsets [from, to) as hex.
quote_hex() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(d[int(sys.argv[2]):int(sys.argv[3])].hex())' "$@"; }

# RTMR3 replayed from the runtime log, independently of dstack-util: V1
# digests (LE32 event type ':' name ':' payload), folded with SHA-384.
replay_rtmr3() {
	python3 - "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" <<'PY'
import base64, hashlib, json, sys
mr = bytes(48)
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    ev = json.loads(line)
    assert ev.get("version", 1) == 1
    pre = b"\x01\x00\x00\x08:" + ev["event"].encode() + b":" + base64.b64decode(ev["payload"], validate=True)
    mr = hashlib.sha384(mr + hashlib.sha384(pre).digest()).digest()
print(mr.hex())
PY
}
