# Helpers for the setup tests: sourced after lib.sh and tdx_sim.sh. A "boot"
# is a fresh simulator (RTMR3 back to zero) and a fresh runtime log; the
# host share is a plain directory; the host API and KMS are the mocks.
KMS_MOCK="$DS_SOURCE_DIR/tests/mocks/mock_kms.py"
HOST_MOCK="$DS_SOURCE_DIR/tests/mocks/host_api_mock.py"
SHARE="$TMP/share"
WORK="$TMP/work"
MNT="$TMP/mnt-data"
export DSTACK_HOST_SHARED_SOURCE="$SHARE"
export DSTACK_CMDLINE_FILE="$TMP/cmdline"
VM_CONFIG='{"os_image_hash":"64f0d1545cd510a8dfed7ad609d105b5d41f0cb2afcfdda8867ede00c88add7a","cpu_count":1,"memory_size":2147483648}'
BOOTS=0

free_tcp_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_host_api: mock host API on loopback; HOST_API_URL and HOST_LOG set.
# Its GetSealingKey answers as the mode in $SEALING_MODE says (default good).
# /usr/bin/python3: Debian's python3-nacl is not on a pyenv interpreter.
start_host_api() {
	HOST_LOG="$TMP/host-api.log"
	SEALING_MODE="$TMP/sealing-mode"
	/usr/bin/python3 "$HOST_MOCK" --log "$HOST_LOG" --port-file "$TMP/host-api.port" \
		--sealing-mode-file "$SEALING_MODE" 2>"$TMP/host-api.err" &
	CLEANUP_HOOKS+=("kill $!")
	for _ in $(seq 100); do [ -s "$TMP/host-api.port" ] && break; sleep 0.1; done
	[ -s "$TMP/host-api.port" ] || fail "mock host API did not start"
	HOST_API_URL="http://127.0.0.1:$(cat "$TMP/host-api.port")/api"
}

# start_kms NAME [mock options]: a mock KMS in $TMP/kms-NAME; its URL in
# KMS_URL (not printed: a command substitution would own the mock).
start_kms() {
	local name=$1 port dir
	shift
	dir="$TMP/kms-$name"
	port=$(free_tcp_port)
	mkdir -p "$dir"
	/usr/bin/python3 "$KMS_MOCK" --port "$port" --state-dir "$dir" "$@" >/dev/null 2>"$dir/err" &
	CLEANUP_HOOKS+=("kill $!")
	for _ in $(seq 100); do [ -f "$dir/ready" ] && break; sleep 0.1; done
	[ -f "$dir/ready" ] || { cat "$dir/err" >&2; fail "mock KMS $name did not start"; }
	KMS_URL="https://localhost:$port"
}

# write_share KEY_PROVIDER KMS_URLS_JSON [extra app-compose members]
write_share() {
	mkdir -p "$SHARE"
	printf '{"manifest_version":2,"name":"t","runner":"docker-compose","key_provider":"%s","secure_time":false%s}' \
		"$1" "${3:-}" >"$SHARE/app-compose.json"
	python3 - "$SHARE/.sys-config.json" "$2" "$HOST_API_URL" "$VM_CONFIG" <<'PY'
import json, sys
json.dump({"kms_urls": json.loads(sys.argv[2]), "gateway_urls": [], "pccs_url": "",
           "docker_registry": "", "host_api_url": sys.argv[3], "vm_config": sys.argv[4]},
          open(sys.argv[1], "w"))
PY
}

# new_boot: what a reboot resets (RTMR3, /run); the work dir is volatile too.
new_boot() {
	[ -n "$SIM_PID" ] && stop_simulator
	BOOTS=$((BOOTS + 1))
	export DSTACK_RUNTIME_LOG_DIR="$TMP/runlog.$BOOTS"
	rm -rf "$WORK"
	start_simulator
}

run_setup() { "$UTIL" setup --work-dir "$WORK" --device "$1" --mount-point "$MNT"; }

# Names of the runtime events of this boot, one line.
runtime_events() {
	python3 -c 'import json,sys; print(" ".join(json.loads(l)["event"] for l in open(sys.argv[1]) if l.strip()))' \
		"$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
}
# runtime_payload NAME [hex]: the payload of event NAME, as text or hex.
runtime_payload() {
	python3 -c 'import base64,json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["event"] == sys.argv[2]:
        p = base64.b64decode(e["payload"])
        print(p.hex() if sys.argv[3] else p.decode("latin1"))' \
		"$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" "$1" "${2:-}"
}
# The notifications the host API recorded, "event=payload" per line.
notifications() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"].endswith("/Notify?json"):
        b = json.loads(r["body"]); print(b["event"] + "=" + b["payload"])' "$HOST_LOG"
}
# RTMR3 as the simulator reports it.
sim_rtmr3() {
	head -c 64 /dev/zero | "$UTIL" quote >"$TMP/q.bin" && quote_hex "$TMP/q.bin" 520 568
}
# notified GREP_ARGS...: whether a recorded notification matches.
notified() { notifications >"$TMP/notes.all" && grep -q "$@" "$TMP/notes.all"; }
