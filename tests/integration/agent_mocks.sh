# Helpers for the guest-agent client tests: sourced after lib.sh.
MOCKS="${DS_SOURCE_DIR:?run through ctest}/tests/mocks"

# wait_for PATH: until PATH exists (a mock is listening), at most 10 s.
wait_for() {
	local i
	for i in $(seq 200); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	fail "$1 did not appear"
}

# start_agent_mock SOCKET [ARGS...]: the well-behaved mock agent on SOCKET
# (or, with --tcp PORT_FILE among ARGS and SOCKET "", on a TCP port).
start_agent_mock() {
	local sock=$1
	shift
	if [ -n "$sock" ]; then
		python3 "$MOCKS/agent_mock.py" --unix "$sock" --fixtures "$FIXTURES" "$@" &
	else
		python3 "$MOCKS/agent_mock.py" --fixtures "$FIXTURES" "$@" &
	fi
	CLEANUP_HOOKS+=("kill $!")
}

# json_get FILE MEMBER: one member of the JSON object in FILE.
json_get() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}
