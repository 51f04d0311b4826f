#!/usr/bin/env bash
# get-keys against the mock RA-TLS KMS on the simulator: keys printed or
# written 0600, the URL normalised, an attested client certificate, the
# --root-ca trust (right, wrong, missing), an unreachable or refusing KMS,
# and no runtime event measured.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/setup_env.sh"

start_simulator
start_kms good && KMS=$KMS_URL
start_kms other && OTHER=$KMS_URL
start_kms deny --deny && DENY=$KMS_URL
LOG="$TMP/kms-good/requests.log"
ZERO_RTMR=$(printf '%096d' 0)
# check_keys FILE URL: an AppKeys document from the KMS at URL (pretty JSON).
check_keys() {
	python3 - "$1" "$2" "$(cat "$TMP/kms-good/root-spki.hex")" <<'PY' || fail "app keys from $2 in $1"
import json, sys
text = open(sys.argv[1]).read()
k = json.loads(text)
assert "\n  \"disk_crypt_key\": " in text, "not pretty-printed"
kms = k["key_provider"]["Kms"]
assert kms["url"] == sys.argv[2] and kms["pubkey"] == sys.argv[3], kms
assert len(k["disk_crypt_key"]) == 64 and len(k["env_crypt_key"]) == 64 and len(k["k256_key"]) == 64
assert k["ca_cert"].startswith("-----BEGIN CERTIFICATE-----")
PY
}

expect_exit 0 "$UTIL" get-keys -k "$KMS"
check_keys "$TMP/out" "$KMS/prpc"
grep -q "no --root-ca: the KMS is not authenticated" "$TMP/err" || fail "no warning without --root-ca"
python3 - "$LOG" <<'PY' || fail "the KMS requests"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert [(r["path"], r["client_cert"], r["status"]) for r in reqs] == [
    ("/prpc/GetTempCaCert?json", False, 200), ("/prpc/GetAppKey?json", True, 200)], reqs
assert json.loads(reqs[1]["body"]) == {"api_version": 1, "vm_config": ""}, reqs[1]["body"]
PY
cp "$TMP/out" "$TMP/keys.stdout"
pass "keys on stdout: pretty JSON, an attested client certificate, api_version 1, empty vm_config"

expect_exit 0 "$UTIL" get-keys --kms-url "$KMS/prpc/" -o "$TMP/keys.json"
assert_eq "$(stat -c %a "$TMP/keys.json")" 600 "mode of the keys file"
[ -s "$TMP/out" ] && fail "keys printed although -o was given"
check_keys "$TMP/keys.json" "$KMS/prpc"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["disk_crypt_key"])' "$TMP/keys.json")" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["disk_crypt_key"])' "$TMP/keys.stdout")" \
	"the same disk key twice"
tail -n 2 "$LOG" | grep -q '"path": "/prpc/GetAppKey?json"' || fail "/prpc/ was not normalised"
expect_exit 0 "$UTIL" get-keys -k "$KMS/" -o "$TMP/keys.json"
check_keys "$TMP/keys.json" "$KMS/prpc"
pass "-o writes the keys 0600; /prpc and a trailing / are normalised"

expect_exit 0 "$UTIL" get-keys -k "$KMS" --root-ca "$TMP/kms-good/root-ca.pem"
check_keys "$TMP/out" "$KMS/prpc"
grep -q "no --root-ca" "$TMP/err" && fail "warned although --root-ca was given"
rm -f "$TMP/keys.json"
before=$(wc -l <"$LOG")
expect_error "Failed to get the app keys" "$UTIL" get-keys -k "$KMS" --root-ca "$TMP/kms-other/root-ca.pem" \
	-o "$TMP/keys.json"
grep -qi "certificate\|SSL\|TLS" "$TMP/err" || fail "the wrong root CA is not named as a TLS failure"
[ -e "$TMP/keys.json" ] && fail "a keys file despite a wrong root CA"
assert_eq "$(wc -l <"$LOG")" "$before" "requests served despite a wrong root CA"
expect_error "no-such.pem" "$UTIL" get-keys -k "$KMS" --root-ca "$TMP/no-such.pem"
: >"$TMP/empty.pem"
echo "not a certificate" >"$TMP/garbage.pem"
for pem in empty garbage; do
	expect_error "CA cert" "$UTIL" get-keys -k "$KMS" --root-ca "$TMP/$pem.pem"
done
assert_eq "$(wc -l <"$LOG")" "$before" "requests served with an unusable root CA"
pass "--root-ca: the right PEM is trusted; another KMS's root, a missing, empty or garbage file is an error"

expect_error "Failed to get the app keys" "$UTIL" get-keys -k https://127.0.0.1:1 -o "$TMP/keys.json"
[ -e "$TMP/keys.json" ] && fail "a keys file without a KMS"
[ -s "$TMP/out" ] && fail "output without a KMS"
expect_error "Failed to get the app keys" "$UTIL" get-keys -k "$DENY" -o "$TMP/keys.json"
grep -q "App not allowed" "$TMP/err" || fail "the KMS refusal is not reported"
[ -e "$TMP/keys.json" ] && fail "a keys file from a refusing KMS"
expect_exit 2 "$UTIL" get-keys -o "$TMP/keys.json"
grep -q -- "--kms-url" "$TMP/err" || fail "no usage error without --kms-url"
pass "no KMS, a refusing KMS, no --kms-url: clear errors, no keys file"

# --app-id is checked as upstream checks it; TDX evidence does not carry it.
expect_exit 0 "$UTIL" get-keys -k "$KMS" --app-id 5bb4ff9a3837357f19dc176407a5709c62eb6c56 -o "$TMP/app.json"
check_keys "$TMP/app.json" "$KMS/prpc"
expect_error "app_id must be exactly 20 bytes" "$UTIL" get-keys -k "$KMS" --app-id 00 -o "$TMP/bad.json"
expect_error "Invalid app_id hex string" "$UTIL" get-keys -k "$KMS" --app-id xyz -o "$TMP/bad.json"
[ ! -e "$TMP/bad.json" ] || fail "a keys file despite a bad --app-id"
pass "get-keys --app-id"

[ -s "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" ] && fail "get-keys wrote runtime events"
assert_eq "$(sim_rtmr3)" "$ZERO_RTMR" "RTMR3 after get-keys"
pass "get-keys measured nothing"
stop_simulator
