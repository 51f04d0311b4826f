#!/usr/bin/env bash
# attest-info, attest-json and attest-strip on attestation.bin, and their
# failures (spec tdx-attestation.md 5.3, 5.5).
. "$(dirname "$0")/lib.sh"

sha() { sha256sum | cut -d' ' -f1; }
cd "$TMP"
cp "$FIXTURES/attestation.bin" attestation.bin

expect_exit 0 "$UTIL" attest-info
cat >want <<'EOT'
file: attestation.bin
total_bytes: 9504
version: V0
mode: DstackTdx
config_bytes: 553
tdx_quote_bytes: 5010
event_log_entries: 33
event_log_json_bytes: 8452
tpm_quote_bytes: 0
EOT
cmp -s out want || { diff out want >&2; fail "attest-info"; }
expect_exit 0 "$UTIL" attest-info --input "$FIXTURES/attestation.bin"
head -n 1 out | grep -qx "file: $FIXTURES/attestation.bin" || fail "attest-info file line"
pass "attest-info"

expect_exit 0 "$UTIL" attest-strip
assert_eq "$(wc -c <attestation.strip.bin)" "6788" "stripped size"
assert_eq "$(sha <attestation.strip.bin)" "6207223948177684ce20bd1835f63b08fb8688a4168cd2587dae64b3e21c7c82" "stripped SHA-256"
expect_exit 0 "$UTIL" attest-strip -i attestation.strip.bin -o twice.bin
cmp -s twice.bin attestation.strip.bin || fail "stripping twice changes the container"
expect_exit 0 "$UTIL" attest-info -i attestation.strip.bin
grep -qx 'event_log_entries: 12' out || fail "stripped entry count"
pass "attest-strip"

expect_exit 0 "$UTIL" attest-json
cp out json-stdout
[ "$(tail -c 1 json-stdout | od -An -c | tr -d ' ')" = '\n' ] || fail "attest-json stdout lacks its newline"
expect_exit 0 "$UTIL" attest-json -i attestation.bin -o doc.json
assert_eq "$(wc -c <out)" "0" "attest-json -o prints nothing"
cmp -s doc.json <(head -c -1 json-stdout) || fail "attest-json -o differs from stdout"
python3 - doc.json <<'PY' || fail "attest-json content"
import json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["version", "mode", "config", "tdx_quote", "tpm_quote"], list(doc)
assert doc["version"] == "V0" and doc["mode"] == "dstack-tdx" and doc["tpm_quote"] is None
assert len(doc["config"].encode()) == 553
q = doc["tdx_quote"]
assert len(q["quote"]) == 2 * 5010 and q["quote"].startswith("04000200")
assert len(q["event_log"]) == 33
assert list(q["event_log"][0]) == ["imr", "event_type", "digest", "event", "event_payload"]
assert q["event_log"][-1]["event"] == "system-ready"
PY
grep -q '^      {$' doc.json || fail "event objects are not indented at depth 3"
pass "attest-json"

# bad inputs: clear error, exit 1, no output file
head -c 5000 attestation.bin >truncated.bin
expect_error "Failed to decode attestation" "$UTIL" attest-info -i truncated.bin
grep -q "truncated" err || fail "no truncation cause"
expect_error "Failed to decode attestation" "$UTIL" attest-strip -i truncated.bin -o t.out
[ ! -e t.out ] || fail "attest-strip left an output file"
expect_error "Failed to decode attestation" "$UTIL" attest-json -i truncated.bin -o t.json
[ ! -e t.json ] || fail "attest-json left an output file"
{ cat attestation.bin; printf '\0'; } >trailing.bin
expect_error "Trailing bytes after legacy VersionedAttestation: 1" "$UTIL" attest-info -i trailing.bin
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >huge.bin
expect_error "Failed to read attestation file" "$UTIL" attest-strip -i huge.bin -o h.out
[ ! -e h.out ] || fail "oversized input left an output file"
printf '\x83\xa7version\x01' >v1.bin
expect_error "truncated MessagePack" "$UTIL" attest-info -i v1.bin
printf '\x07' >unknown.bin
expect_error "Unknown attestation wire format" "$UTIL" attest-json -i unknown.bin
: >empty.bin
expect_error "Empty attestation bytes" "$UTIL" attest-info -i empty.bin
expect_error "Failed to read attestation file" "$UTIL" attest-info -i missing.bin
rm attestation.bin
expect_error "Failed to read attestation file" "$UTIL" attest-strip
expect_error "Failed to write stripped attestation" "$UTIL" attest-strip -i "$FIXTURES/attestation.bin" -o no/such/dir/x.bin
expect_error "Failed to write JSON output" "$UTIL" attest-json -i "$FIXTURES/attestation.bin" -o no/such/dir/x.json
[ ! -e no ] || fail "a directory was created"
! compgen -G '*.tmp.*' >/dev/null || fail "a temporary file was left behind"
expect_exit 2 "$UTIL" attest-info -i
expect_exit 2 "$UTIL" attest-strip stray
pass "container command failures"
