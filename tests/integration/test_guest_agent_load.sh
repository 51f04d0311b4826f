#!/usr/bin/env bash
# dstack-guest-agent under load: hundreds of concurrent clients with bad
# JSON, oversized bodies, garbage, half-closed requests and slowloris
# headers among them; every good GetKey must still get its 11.3 key, the
# agent must stay up and its memory must not keep growing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/agentd.sh"

make_work_dir
ulimit -n 4096
# Under AddressSanitizer freed memory sits in a quarantine (256 MiB by
# default) and would read as growth; a small one keeps RSS meaningful.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
start_agent --timeout 3
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$AGENT_PID/status"; }

# Warm-up round, then two full rounds: memory after the second may not grow
# by more than a few MiB over the first (no per-request leak).
python3 "$(dirname "$0")/agent_load.py" "$AGENT_SOCK" 50 0 2 >/dev/null
rss0=$(rss)
python3 "$(dirname "$0")/agent_load.py" "$AGENT_SOCK" 300 120 5
rss1=$(rss)
python3 "$(dirname "$0")/agent_load.py" "$AGENT_SOCK" 300 120 5
rss2=$(rss)
echo "RSS: warm $rss0 KiB, after round 1 $rss1 KiB, after round 2 $rss2 KiB"
kill -0 "$AGENT_PID" || fail "agent died under load"
[ "$rss1" -lt $((rss0 + 65536)) ] || fail "RSS grew from $rss0 to $rss1 KiB in one round"
[ "$rss2" -lt $((rss1 + 8192)) ] || fail "RSS keeps growing: $rss1 -> $rss2 KiB"
pass "load with hostile clients, RSS bounded"

# Still answering correctly afterwards, and a clean stop.
agent_curl /GetKey -H 'Content-Type: application/json' -d '{"path":"/test"}' | grep -q 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d ||
	fail "wrong answer after the load"
stop_agent
pass "clean stop after the load"
