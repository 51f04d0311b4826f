#!/usr/bin/env bash
# show, replay-imr, attest and quote-report on the simulator agree with a
# fresh quote, checked by an independent computation in Python.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"

start_simulator
mkdir -p "$DSTACK_RUNTIME_LOG_DIR" "$TMP/shared"
printf 1 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"
export DSTACK_HOST_SHARED_DIR="$TMP/shared"
printf '{"host_api_url":"","vm_config":"{\\"os_image_hash\\":\\"%s\\"}"}' \
	"aa00000000000000000000000000000000000000000000000000000000000011" >"$TMP/shared/.sys-config.json"

app_id=5bb4ff9a3837357f19dc176407a5709c62eb6c56
"$UTIL" extend -e system-preparing -p ""
"$UTIL" extend -e app-id -p "$app_id"
"$UTIL" extend -e compose-hash -p 0x"$(printf compose | sha256sum | cut -c1-64)"
"$UTIL" extend -e instance-id -p 1691ed1b47506cad7d08834668691d88246f5b1f
"$UTIL" extend -e boot-mr-done -p ""
"$UTIL" extend -e key-provider -p "$(printf '{"name":"none","id":""}' | "$UTIL" hex)"
"$UTIL" extend -e system-ready -p ""
"$UTIL" extend -e app-id -p 00   # after system-ready: ignored by show

head -c 64 /dev/zero | "$UTIL" quote >"$TMP/quote.bin"
expect_exit 0 "$UTIL" show
cp "$TMP/out" "$TMP/show.json"
python3 - "$TMP/quote.bin" "$TMP/show.json" "$app_id" <<'PY'
import hashlib, json, sys
q = open(sys.argv[1], "rb").read()
show = json.load(open(sys.argv[2]))
mrtd, rt = q[184:232], [q[376 + 48 * i:424 + 48 * i] for i in range(4)]
cfg = q[232:376]
kp = b'{"name":"none","id":""}'
assert show["app_id"] == sys.argv[3], show
assert show["instance_id"] == "1691ed1b47506cad7d08834668691d88246f5b1f"
assert show["compose_hash"] == hashlib.sha256(b"compose").hexdigest()
assert show["key_provider_info"] == kp.hex()
assert show["os_image_hash"] == "aa" + "00" * 30 + "11"
assert show["device_id"] == hashlib.sha256(b"").hexdigest()
assert show["init_script_hashes"] == []
assert show["mr_system"] == hashlib.sha256(mrtd + rt[0] + rt[1] + rt[2] + hashlib.sha256(kp).digest()).hexdigest()
agg = mrtd + rt[0] + rt[1] + rt[2] + rt[3] + (cfg if any(cfg) else b"")
assert show["mr_aggregated"] == hashlib.sha256(agg).hexdigest(), show
assert list(show) == ["app_id", "compose_hash", "instance_id", "device_id", "mr_system",
                      "mr_aggregated", "os_image_hash", "key_provider_info", "init_script_hashes"]
PY
[ "$(tail -c 1 "$TMP/show.json" | od -An -c | tr -d ' ')" = '\n' ] || fail "show output lacks its newline"
pass "show matches an independent computation from a fresh quote"

expect_exit 0 "$UTIL" replay-imr
for i in 0 1 2 3; do
	want=$(python3 -c "import sys; q=open(sys.argv[1],'rb').read(); print(q[376+48*$i:424+48*$i].hex())" "$TMP/quote.bin")
	grep -q "^IMR $i (CCEL) → $want\$" "$TMP/out" || fail "replay-imr IMR $i differs from the quote"
done
pass "replay-imr reproduces every RTMR of a fresh quote"

cd "$TMP"
expect_exit 0 "$UTIL" attest --report-data 0xabcd
[ -f attestation.bin ] || fail "attest wrote no attestation.bin"
expect_exit 0 "$UTIL" attest-info
grep -qx "event_log_entries: 26" "$TMP/out" || { cat "$TMP/out"; fail "attestation lacks the 18 boot + 8 runtime events"; }
grep -qx "config_bytes: 84" "$TMP/out" || fail "attestation config is not the vm_config string"
expect_exit 0 "$UTIL" attest-json
python3 - "$TMP/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
q = bytes.fromhex(doc["tdx_quote"]["quote"])
assert q[568:632] == bytes.fromhex("abcd") + bytes(62), q[568:632].hex()
PY
expect_exit 0 "$UTIL" attest --hex
hex_out=$(cat "$TMP/out")
[ "${hex_out:0:4}" = "0000" ] || fail "attest --hex is not a V0 container"
"$UTIL" attest --hex -o "$TMP/att.hex"
[ "$(tail -c 1 "$TMP/att.hex" | od -An -tx1 | tr -d ' ')" != "0a" ] || fail "attest --hex -o wrote a newline"
pass "attest binds the report data and carries the whole event log"

expect_exit 0 "$UTIL" quote-report --report-data 01 --sys-config "$TMP/shared/.sys-config.json"
python3 - "$TMP/out" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text)
assert text.startswith('{\n  "attestation": "0000') and text.endswith('"\n}\n'), text[:40]
blob = bytes.fromhex(doc["attestation"])
open(sys.argv[1] + ".bin", "wb").write(blob)
PY
expect_exit 0 "$UTIL" attest-info -i "$TMP/out.bin"
pass "quote-report emits a decodable container"

expect_error "report_data must be at most 64 bytes" "$UTIL" attest --report-data "$(printf '%0130d' 0)" -o "$TMP/x.bin"
expect_error "Failed to decode report_data hex" "$UTIL" quote-report --report-data abc
expect_error "app_id must be exactly 20 bytes" "$UTIL" attest --app-id 1234 -o "$TMP/x.bin"
expect_error "Invalid app_id hex string" "$UTIL" attest --app-id 123 -o "$TMP/x.bin"
[ ! -e "$TMP/x.bin" ] || fail "a failed attest left a file"
printf '{"vm_config":5}' >"$TMP/shared/.sys-config.json"
expect_error "Failed to read vm config" "$UTIL" show
pass "bad inputs are refused"

printf '{"host_api_url":"","vm_config":"{}"}' >"$TMP/shared/.sys-config.json"
expect_exit 0 "$UTIL" show
printf '{"event":"forged","payload":""}\n' >>"$DSTACK_RUNTIME_LOG_DIR/runtime_events.log"
expect_error "does not replay to RTMR3 of the quote" "$UTIL" show
expect_error "does not replay to RTMR3 of the quote" "$UTIL" attest -o "$TMP/forged.bin"
[ ! -e "$TMP/forged.bin" ] || fail "attest wrote an attestation its log does not explain"
pass "a log line without its measurement is refused"

stop_simulator
unset DCAP_TDX_QUOTE_CONFIGFS_PATH DCAP_TDX_RTMR_SYSFS_PATH
[ -e /dev/tdx_guest ] || expect_error "Unsupported platform" "$UTIL" show
pass "no TDX and no simulator: show fails"
