#!/usr/bin/env bash
# V1 (MessagePack) attestation containers on the simulator: with runtime
# event version 2, attest, attest-info, attest-json, attest-strip,
# quote-report, gen-ca-cert and gen-ra-cert produce V1 containers whose V2
# runtime events replay to the quote's RTMR3, checked by an independent
# MessagePack decoder (Debian python3-msgpack); bad V1 files fail cleanly
# (spec tdx-attestation.md 3.5, 5.3-5.5).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"

# python3-msgpack is a Debian package: use Debian's interpreter.
PY=/usr/bin/python3
CHECK="$(dirname "$0")/v1_check.py"
"$PY" -c 'import msgpack' || fail "python3-msgpack is missing (scripts/install-deps.sh)"

start_simulator
mkdir -p "$DSTACK_RUNTIME_LOG_DIR" "$TMP/shared"
printf 2 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"
export DSTACK_HOST_SHARED_DIR="$TMP/shared"
printf '{"host_api_url":"","vm_config":"{}"}' >"$TMP/shared/.sys-config.json"
"$UTIL" extend -e app-id -p 5bb4ff9a3837357f19dc176407a5709c62eb6c56
"$UTIL" extend -e compose-hash -p "$(printf compose | sha256sum | cut -c1-64)"
"$UTIL" extend -e 'odd "name"' -p ""
"$UTIL" extend -e system-ready -p ""

cd "$TMP"
expect_exit 0 "$UTIL" attest --report-data 0xabcd
assert_eq "$(head -c 1 attestation.bin | od -An -tx1 | tr -d ' ')" "83" "attest writes a V1 container"
"$PY" "$CHECK" full attestation.bin || fail "V1 container from attest"
pass "attest: V1 container, V2 digests and preimages, RTMR3 replay"

expect_exit 0 "$UTIL" attest-info
sed -n 1,3p out >head3
printf 'file: attestation.bin\ntotal_bytes: %s\nversion: V1\n' "$(wc -c <attestation.bin)" >want
cmp -s head3 want || { diff head3 want >&2; fail "attest-info header"; }
grep -qx 'platform: tdx quote_bytes=[0-9]* event_log_entries=22' out || fail "attest-info platform"
grep -qx "stack: dstack report_data=abcd0\{124\} runtime_events=4 config_bytes=2" out ||
	fail "attest-info stack"
assert_eq "$(wc -l <out)" "5" "attest-info V1 line count"
pass "attest-info V1"

expect_exit 0 "$UTIL" attest-json -o doc.json
"$PY" "$CHECK" json attestation.bin doc.json || fail "attest-json V1"
expect_exit 0 "$UTIL" attest-json
cmp -s out <(cat doc.json; echo) || fail "attest-json stdout differs from -o"
pass "attest-json V1 is the JSON form of the container"

expect_exit 0 "$UTIL" attest-strip
"$PY" "$CHECK" stripped attestation.strip.bin || fail "stripped V1 container"
expect_exit 0 "$UTIL" attest-strip -i attestation.strip.bin -o twice.bin
cmp -s twice.bin attestation.strip.bin || fail "stripping twice changes the V1 container"
# an independently encoded stripped container re-encodes byte for byte
"$PY" "$CHECK" make-stripped py.bin
expect_exit 0 "$UTIL" attest-strip -i py.bin -o py.strip.bin
cmp -s py.bin py.strip.bin || fail "python-msgpack container does not re-encode identically"
pass "attest-strip keeps V1 and matches python-msgpack byte for byte"

expect_exit 0 "$UTIL" quote-report -o report.json
"$PY" -c 'import json,sys; open(sys.argv[2],"wb").write(bytes.fromhex(json.load(open(sys.argv[1]))["attestation"]))' \
	report.json report.bin
"$PY" "$CHECK" full report.bin || fail "quote-report V1 container"
pass "quote-report V1"

expect_exit 0 "$UTIL" gen-ca-cert --cert ca.pem --key ca.key
expect_exit 0 "$UTIL" gen-ra-cert --ca-cert ca.pem --ca-key ca.key -c ra.pem -k ra.key
for c in ca.pem:kms-root-ca ra.pem:ratls-cert; do
	openssl x509 -in "${c%%:*}" -outform DER -out cert.der
	openssl x509 -in "${c%%:*}" -pubkey -noout | openssl pkey -pubin -outform DER -out spki.der
	"$PY" "$CHECK" cert cert.der "${c#*:}" spki.der || fail "${c%%:*} carries no bound V1 container"
done
openssl verify -CAfile ca.pem ra.pem >/dev/null || fail "openssl verify rejects the RA-TLS chain"
pass "gen-ca-cert and gen-ra-cert embed stripped V1 containers"

# bad V1 files: clear error, exit 1, nothing written
n=$(wc -c <attestation.bin)
head -c $((n - 1)) attestation.bin >truncated.bin
expect_error "truncated MessagePack" "$UTIL" attest-strip -i truncated.bin -o t.out
[ ! -e t.out ] || fail "attest-strip left an output file"
{ cat attestation.bin; printf '\xc0'; } >trailing.bin
expect_error "trailing bytes after attestation msgpack: 1" "$UTIL" attest-json -i trailing.bin -o t.json
[ ! -e t.json ] || fail "attest-json left an output file"
{ printf '\x83\xa7version\x02'; tail -c +11 attestation.bin; } >version.bin
expect_error "unsupported attestation version: expected 1, got 2" "$UTIL" attest-info -i version.bin
grep -q "^Error: Failed to decode attestation" err || fail "no decode context"
printf '\x81\xa1x\xdd\xff\xff\xff\xff' >count.bin
expect_error "exceeds the remaining input" "$UTIL" attest-strip -i count.bin -o c.out
[ ! -e c.out ] || fail "attest-strip left an output file"
pass "bad V1 files: clear errors, nothing written"

stop_simulator
