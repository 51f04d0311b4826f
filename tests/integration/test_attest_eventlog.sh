#!/usr/bin/env bash
# eventlog and replay-imr on the fixture CCEL, with and without runtime
# events, and their failures (spec tdx-attestation.md 3.7, 4.7).
. "$(dirname "$0")/lib.sh"

export DSTACK_CCEL_FILE="$FIXTURES/ccel.bin"
sha() { sha256sum | cut -d' ' -f1; }

expect_exit 0 "$UTIL" eventlog
cp "$TMP/out" "$TMP/ccel-only.json"
assert_eq "$(wc -c <"$TMP/out")" "5095" "eventlog size"
assert_eq "$(sha <"$TMP/out")" "25b7de3d05188d09f5c4c040a9d02798308c5b4f2fa93f568c54bece79577cca" "eventlog SHA-256"
expect_exit 0 "$UTIL" replay-imr
assert_eq "$(wc -c <"$TMP/out")" "920" "replay-imr size"
assert_eq "$(sha <"$TMP/out")" "c180950ba9e40a3e4bc1d4b56e2e4568d139ee704b1c2d735441e49b90f4d1d0" "replay-imr SHA-256"
grep -q '^IMR 0 (CCEL) → 274c2344' "$TMP/out" || fail "replay-imr lacks the RTMR0 line"
pass "eventlog and replay-imr on ccel.bin"

mkdir -p "$DSTACK_RUNTIME_LOG_DIR"
printf '{"event":"app-id","payload":"3q2+7w=="}\n\n' >"$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
expect_exit 0 "$UTIL" eventlog
# 4.7: the CCEL array gains one element
{
	head -c 5093 "$TMP/ccel-only.json"
	printf ',\n  {\n    "imr": 3,\n    "event_type": 134217729,\n'
	printf '    "digest": "67b4be4efed0893cfa2bb1d35dca209ad8348b4c97f980807bcde8b9a0f26398dd0923d6eccb5aa2096d98046da8740f",\n'
	printf '    "event": "app-id",\n    "event_payload": "deadbeef"\n  }\n]'
} >"$TMP/want"
cmp -s "$TMP/out" "$TMP/want" || { diff "$TMP/out" "$TMP/want" | head >&2; fail "eventlog with app-id"; }
expect_exit 0 "$UTIL" replay-imr
grep -q '^  IMR 3: 1 events$' "$TMP/out" || fail "replay-imr does not count the runtime event"
grep -q "^IMR 3 (CCEL) → $(printf '%096d' 0)$" "$TMP/out" && fail "RTMR3 not extended"
printf '{"event":"compose-hash","payload":"q80=","version":2}\n' >>"$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
expect_exit 0 "$UTIL" eventlog
grep -q '"digest": "9dde1673f544faa94b921825209593ddde08d0baf9cd6990175dffaf3081f1bb10311d56de189491feb33842a050ad7b"' "$TMP/out" || fail "V2 digest"
tail -c 30 "$TMP/out" | grep -q '"version": 2' || fail "V2 event lacks version"
pass "runtime events in eventlog and replay-imr"

# failures: malformed runtime log, malformed or missing CCEL, bad overrides
printf 'not json\n' >>"$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
expect_error "Failed to read event logs" "$UTIL" eventlog
grep -q "Failed to decode user event log" "$TMP/err" || fail "no runtime log cause"
expect_error "Failed to read event logs" "$UTIL" replay-imr
rm "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
head -c 1000 "$FIXTURES/ccel.bin" >"$TMP/short.ccel"
DSTACK_CCEL_FILE="$TMP/short.ccel" expect_error "failed to decode CCEL" "$UTIL" eventlog
DSTACK_CCEL_FILE="$FIXTURES/tpm_eventlog.bin" expect_error "failed to decode imr" "$UTIL" eventlog
DSTACK_CCEL_FILE="$TMP/missing" expect_error "failed to read CCEL from $TMP/missing" "$UTIL" eventlog
DSTACK_CCEL_FILE="" expect_error "empty path override from DSTACK_CCEL_FILE" "$UTIL" eventlog
DSTACK_CCEL_FILE="rel/ccel" expect_error "must be absolute" "$UTIL" replay-imr
[ -z "$(grep -v '^=== Event Log Replay' "$TMP/out" | tr -d '\n')" ] || fail "replay-imr printed values on failure"
expect_exit 2 "$UTIL" eventlog extra
pass "eventlog and replay-imr failures"
