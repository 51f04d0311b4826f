#!/usr/bin/env bash
# extend: RTMR3 of a fresh quote equals the replay of the runtime log
# (computed here with Python), also after 8 x 20 concurrent extends; bad
# inputs and a missing simulator are clear errors that leave no log line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
LOG="$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"

quote_rtmr3() {
	head -c 64 /dev/zero | "$UTIL" quote >"$TMP/q" || fail "quote failed"
	quote_hex "$TMP/q" 520 568
}

start_simulator

# Before setup has fixed the digest version, extend always fails.
expect_error "Failed to extend RTMR" "$UTIL" extend -e app-id -p 01
grep -q "runtime event version is not configured; complete dstack system setup before emitting events" \
	"$TMP/err" || fail "missing version file: unclear cause"
[ ! -e "$DSTACK_RUNTIME_LOG_DIR" ] || fail "a refused extend created the log directory"
assert_eq "$(quote_rtmr3)" "$(printf '0%.0s' $(seq 96))" "RTMR3 untouched"
mkdir -m 700 -p "$DSTACK_RUNTIME_LOG_DIR"
printf 3 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"
expect_error "invalid runtime event version: 3" "$UTIL" extend -e app-id -p 01
pass "extend needs the version file"

printf 1 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"
expect_error "Failed to decode payload" "$UTIL" extend -e app-id -p abc
grep -q "Odd number of digits" "$TMP/err" || fail "odd payload: unclear cause"
expect_error "Failed to decode payload" "$UTIL" extend -e app-id -p 0xzz
grep -q "Invalid character 'z' at position 0" "$TMP/err" || fail "non-hex payload: unclear cause"
expect_exit 2 "$UTIL" extend -e app-id
grep -q -- "--payload <PAYLOAD>" "$TMP/err" || fail "missing --payload not named"
expect_exit 2 "$UTIL" extend -p 00
[ ! -e "$LOG" ] || fail "a bad payload created the log"
pass "bad payloads"

"$UTIL" extend -e app-id -p 0x0xdeadbeef || fail "extend failed"
"$UTIL" extend -e system-ready -p "" || fail "extend with an empty payload failed"
assert_eq "$(cat "$LOG")" $'{"event":"app-id","payload":"3q2+7w=="}\n{"event":"system-ready","payload":""}' "log lines"
assert_eq "$(stat -c '%a' "$LOG" "$DSTACK_RUNTIME_LOG_DIR" | tr '\n' ' ')" "600 700 " "log modes"
assert_eq "$(quote_rtmr3)" "$(replay_rtmr3)" "RTMR3 after two extends"
assert_eq "$(file_hex "$DCAP_TDX_RTMR_SYSFS_PATH/rtmr3:sha384")" "$(replay_rtmr3)" "RTMR3 file"
pass "extend measures what it logs"

# 8 processes x 20 extends: the lock keeps log order and extend order equal.
for p in $(seq 8); do
	( for i in $(seq 20); do
		"$UTIL" extend -e "ev-$p-$i" -p "$(printf '%02x%02x' "$p" "$i")" || exit 1
	done ) &
done
wait_workers "concurrent extends"
assert_eq "$(grep -c '"event":"ev-' "$LOG")" "160" "log lines after the concurrent extends"
assert_eq "$(grep -o '"event":"ev-[0-9-]*"' "$LOG" | sort -u | wc -l)" "160" "every event logged once"
assert_eq "$(quote_rtmr3)" "$(replay_rtmr3)" "RTMR3 after 160 concurrent extends"
pass "concurrent extends"

# RTMR3 refuses the write: the log keeps no unmeasured line.
lines=$(wc -l <"$LOG")
DCAP_TDX_RTMR_SYSFS_PATH="$TMP/no-simulator" expect_error "Failed to extend RTMR" "$UTIL" extend -e lost -p 00
grep -q "invalid RTMR sysfs path from DCAP_TDX_RTMR_SYSFS_PATH: $TMP/no-simulator" "$TMP/err" ||
	fail "missing simulator: unclear cause"
mkdir "$TMP/fake-measurements"
ln -s /dev/full "$TMP/fake-measurements/rtmr3:sha384"
DCAP_TDX_RTMR_SYSFS_PATH="$TMP/fake-measurements" expect_error "Failed to extend TDX RTMR" \
	"$UTIL" extend -e lost -p 00
assert_eq "$(wc -l <"$LOG")" "$lines" "log length after failed extends"
! grep -q '"lost"' "$LOG" || fail "an unmeasured event stayed in the log"
assert_eq "$(quote_rtmr3)" "$(replay_rtmr3)" "RTMR3 after failed extends"
pass "failed extends leave no log line"

stop_simulator
