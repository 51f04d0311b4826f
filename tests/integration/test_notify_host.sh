#!/usr/bin/env bash
# notify-host against the mock host API over TCP and a Unix socket.
. "$(dirname "$0")/lib.sh"

MOCK="$DS_SOURCE_DIR/tests/mocks/host_api_mock.py"
LOG="$TMP/requests.log"
SOCK="$TMP/host.sock"
BEHAVIOUR="$TMP/behaviour.json"
python3 "$MOCK" --log "$LOG" --port-file "$TMP/port" --unix "$SOCK" --behaviour "$BEHAVIOUR" \
	2>"$TMP/mock.err" &
MOCK_PID=$!
CLEANUP_HOOKS+=("kill $MOCK_PID")
for _ in $(seq 100); do [ -s "$TMP/port" ] && [ -S "$SOCK" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] && [ -S "$SOCK" ] || fail "mock host API did not start"
BASE="http://127.0.0.1:$(cat "$TMP/port")"

# last FIELD: a field of the last recorded request.
last() { tail -n 1 "$LOG" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'], end='')"; }
requests() { [ -f "$LOG" ] && wc -l <"$LOG" || echo 0; }
behave() { printf '%s' "$1" >"$BEHAVIOUR"; }

expect_exit 0 "$UTIL" notify-host -u "$BASE/api" -e boot.progress -d "requesting app keys"
assert_eq "$(last method)" "POST" "method"
assert_eq "$(last path)" "/api/Notify?json" "TCP request path"
assert_eq "$(last body)" '{"event":"boot.progress","payload":"requesting app keys"}' "Notify body"
assert_eq "$(tail -n 1 "$LOG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["headers"]["content-length"])')" \
	"57" "content-length of the spec's worked example"
[ ! -s "$TMP/out" ] || fail "notify-host printed to stdout"
expect_exit 0 "$UTIL" notify-host --url "$BASE/api/" --event instance.info --payload '{"app_id":"ab"}'
assert_eq "$(last path)" "/api/Notify?json" "base with a trailing slash"
assert_eq "$(last body)" '{"event":"instance.info","payload":"{\"app_id\":\"ab\"}"}' "JSON payload escaped"
expect_exit 0 "$UTIL" notify-host -u "$BASE" -e e -d "$(printf 'line1\nsay "hi" \xc3\xa9')"
assert_eq "$(last body)" '{"event":"e","payload":"line1\nsay \"hi\" é"}' "escaping and UTF-8"
expect_exit 0 "$UTIL" notify-host -u "$BASE" -e e -d "$(printf 'a\x1fb')"
assert_eq "$(last body)" '{"event":"e","payload":"a\u001fb"}' "control characters escaped as serde_json does"
pass "Notify over TCP"

expect_exit 0 "$UTIL" notify-host -u "unix:$SOCK" -e boot.progress -d "data disk ready"
assert_eq "$(last transport)" "unix" "transport"
assert_eq "$(last path)" "/Notify?json" "Unix socket request path"
assert_eq "$(last body)" '{"event":"boot.progress","payload":"data disk ready"}' "Unix body"
pass "Notify over a Unix socket"

# Without --url: host_api_url of the guest's sys-config copy.
mkdir "$TMP/shared"
export DSTACK_HOST_SHARED_DIR="$TMP/shared"
expect_error "Failed to load $TMP/shared/.sys-config.json" "$UTIL" notify-host -e e -d p
printf '{"vm_config":"","host_api_url":"unix:%s"}' "$SOCK" >"$TMP/shared/.sys-config.json"
expect_exit 0 "$UTIL" notify-host -e from-sys-config -d p
assert_eq "$(last body)" '{"event":"from-sys-config","payload":"p"}' "URL from sys-config"
n=$(requests)
printf '{"vm_config":""}' >"$TMP/shared/.sys-config.json"
expect_exit 0 "$UTIL" notify-host -e e -d p
assert_eq "$(requests)" "$n" "no host_api_url: nothing sent"
printf '{"host_api_url":"unix:%s"}' "$SOCK" >"$TMP/shared/.sys-config.json"
expect_error "missing field \`vm_config\`" "$UTIL" notify-host -e e -d p
unset DSTACK_HOST_SHARED_DIR
pass "URL from the guest's sys-config"

behave '{"status":400,"body":"{\n  \"error\": \"App not allowed\\n\\nCaused by:\\n    nope\"\n}"}'
expect_error "Invalid status code: 400, path=Notify?json" "$UTIL" notify-host -u "$BASE" -e e -d p
grep -qF "server said: App not allowed  Caused by:     nope" "$TMP/err" || fail "server error text not shown"
grep -q '^Error: Failed to notify the host of e' "$TMP/err" || fail "no outer context"
behave '{"status":500,"body":""}'
expect_error "Invalid status code: 500" "$UTIL" notify-host -u "$BASE" -e e -d p
behave '{"status":201,"body":"null"}'
expect_error "Invalid status code: 201" "$UTIL" notify-host -u "$BASE" -e e -d p
behave '{"status":200,"body":"{}"}'
expect_error "unexpected reply to Notify" "$UTIL" notify-host -u "$BASE" -e e -d p
behave '{"status":200,"body":"nul"}'
expect_error "Failed to deserialize response" "$UTIL" notify-host -u "$BASE" -e e -d p
behave '{"status":200,"body":"x","repeat":70000}'
expect_error "larger than 65536 bytes" "$UTIL" notify-host -u "$BASE" -e e -d p
behave '{"status":200,"body":""}'
expect_exit 0 "$UTIL" notify-host -u "$BASE" -e e -d p
rm "$BEHAVIOUR"
pass "replies other than 200 null are errors"

expect_exit 2 "$UTIL" notify-host -u "$BASE" -d p
grep -qF -- "--event <EVENT>" "$TMP/err" || fail "missing --event not named"
expect_exit 2 "$UTIL" notify-host -u "$BASE" -e e
expect_exit 2 "$UTIL" notify-host -u "$BASE" -e e -d p extra
expect_error "unsupported URL ftp://host" "$UTIL" notify-host -u ftp://host -e e -d p
expect_error "invalid vsock CID" "$UTIL" notify-host -u "vsock://x:1/api" -e e -d p
expect_error "request to http://2:9/api/Notify?json failed" "$UTIL" notify-host -u "vsock://2:9/api" -e e -d p
kill "$MOCK_PID"
wait "$MOCK_PID" 2>/dev/null || true
expect_error "failed" "$UTIL" notify-host -u "$BASE" -e e -d p
pass "usage and transport errors"
