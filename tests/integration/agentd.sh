# Helpers for tests of dstack-guest-agent: sourced after lib.sh and
# tdx_sim.sh. make_work_dir lays out what setup leaves (spec system-setup.md
# 1.4) from the simulator fixtures; start_agent runs the agent on the
# simulator and waits for its socket.
AGENT_BIN="$BIN/dstack-guest-agent"
AGENT_SOCK="$TMP/dstack.sock"
AGENT_PID=
# The simulator's app id (spec guest-agent-api.md 11.2) and KMS root.
SIM_APP_ID=5bb4ff9a3837357f19dc176407a5709c62eb6c56
SIM_KMS_ROOT=0321529e458424ab1f710a3a57ec4dad2fb195ddca572f7469242ba6c7563085b6

make_work_dir() {
	local shared="$TMP/work/.host-shared"
	mkdir -p "$shared" "$DSTACK_RUNTIME_LOG_DIR"
	printf 1 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"   # what setup records
	cp "$FIXTURES/simulator-appkeys.json" "$shared/.appkeys.json"
	chmod 600 "$shared/.appkeys.json"
	cp "$FIXTURES/simulator-app-compose.json" "$shared/app-compose.json"
	cp "$FIXTURES/simulator-sys-config.json" "$shared/.sys-config.json"
	printf '{"instance_id_seed":"","instance_id":"%s","app_id":"%s"}' \
		1691ed1b47506cad7d08834668691d88246f5b1f "$SIM_APP_ID" >"$shared/.instance_info"
}

start_agent() {
	local i
	: >"$TMP/agent.err"
	"$AGENT_BIN" --socket "$AGENT_SOCK" --work-dir "$TMP/work" "$@" 2>"$TMP/agent.err" &
	AGENT_PID=$!
	CLEANUP_HOOKS+=("agent_cleanup")
	for i in $(seq 100); do
		[ -S "$AGENT_SOCK" ] && grep -q "listening on" "$TMP/agent.err" && return 0
		kill -0 "$AGENT_PID" 2>/dev/null || { cat "$TMP/agent.err" >&2; fail "agent died"; }
		sleep 0.1
	done
	cat "$TMP/agent.err" >&2
	fail "agent did not start"
}

# SIGTERM: exit 0 and the socket removed.
stop_agent() {
	local rc=0
	kill -TERM "$AGENT_PID"
	wait "$AGENT_PID" || rc=$?
	AGENT_PID=
	assert_eq "$rc" 0 "agent exit status after SIGTERM"
	[ ! -e "$AGENT_SOCK" ] || fail "agent left its socket behind"
}

agent_cleanup() {
	if [ -n "$AGENT_PID" ]; then
		kill -TERM "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
	fi
	return 0
}

# agent_curl PATH [curl args...]: the body to stdout, the status to $TMP/status.
agent_curl() {
	local path=$1
	shift
	curl -sS --unix-socket "$AGENT_SOCK" -o "$TMP/body" -w '%{http_code}' "$@" \
		"http://localhost$path" >"$TMP/status"
	cat "$TMP/body"
}
