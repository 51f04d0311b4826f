#!/usr/bin/env bash
# gen-ca-cert and gen-app-keys: flags and usage errors; without a TDX
# platform a clean failure that leaves no file; on the simulator real
# certificates that openssl accepts and whose quote binds their key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"

for cmd in gen-ca-cert gen-app-keys; do
	expect_exit 0 "$UTIL" "$cmd" --help
	grep -q -- '--ca-level <CA_LEVEL>  CA level \[default: 1\]' "$TMP/out" || fail "$cmd --help lacks --ca-level"
done
expect_exit 2 "$UTIL" gen-ca-cert --cert "$TMP/c.pem"
grep -q 'required arguments were not provided: --key <KEY>' "$TMP/err" || fail "no missing --key message"
expect_exit 2 "$UTIL" gen-ca-cert --key "$TMP/k.pem"
expect_exit 2 "$UTIL" gen-ca-cert --cert "$TMP/c.pem" --key "$TMP/k.pem" --ca-level 256
expect_exit 2 "$UTIL" gen-ca-cert --cert "$TMP/c.pem" --key "$TMP/k.pem" --ca-level -1
expect_exit 2 "$UTIL" gen-app-keys
expect_exit 2 "$UTIL" gen-app-keys -o "$TMP/keys.json" --ca-level x
[ -z "$(ls "$TMP" | grep -v -e '^out$' -e '^err$' -e '^runlog$')" ] || fail "usage errors wrote files"
pass "usage"

# No TDX platform: fail closed, write nothing.
expect_error "Failed to get attestation" "$UTIL" gen-ca-cert --cert "$TMP/ca.pem" --key "$TMP/ca.key"
grep -q '^Error: Failed to generate the CA certificate' "$TMP/err" || fail "gen-ca-cert error"
expect_error "Failed to get attestation" "$UTIL" gen-app-keys -o "$TMP/keys.json"
[ ! -e "$TMP/ca.pem" ] && [ ! -e "$TMP/ca.key" ] && [ ! -e "$TMP/keys.json" ] || fail "files left behind"
pass "no attestation source: nothing written"

start_simulator
mkdir -p "$DSTACK_RUNTIME_LOG_DIR" "$TMP/shared"
printf 1 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"
export DSTACK_HOST_SHARED_DIR="$TMP/shared"
printf '{"host_api_url":"","vm_config":"{}"}' >"$TMP/shared/.sys-config.json"
"$UTIL" extend -e app-id -p 5bb4ff9a3837357f19dc176407a5709c62eb6c56

# Checks that certificate $1 carries a stripped attestation (OID .1.8) whose
# quote's report data is SHA512($2 ":" SPKI DER of the certificate).
check_binding() {
	openssl x509 -in "$1" -outform DER -out "$TMP/cert.der"
	openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER -out "$TMP/spki.der"
	python3 - "$TMP/cert.der" "$TMP/spki.der" "$2" <<'PY'
import hashlib, sys
der, spki, tag = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read(), sys.argv[3]
oid = bytes.fromhex("060a2b0601040183e73d0108")
assert der.count(oid) == 1, "one attestation extension"
def tlv(b, i):
    tag, n, i = b[i], b[i + 1], i + 2
    if n & 0x80:
        k = n & 0x7f
        n, i = int.from_bytes(b[i:i + k], "big"), i + k
    return tag, b[i:i + n], i + n
i = der.index(oid) + len(oid)
t, outer, _ = tlv(der, i)
assert t == 0x04
t, att, rest = tlv(outer, 0)
assert t == 0x04 and rest == len(outer), "double-wrapped OCTET STRING"
assert att[:2] == b"\x00\x00", "V0 dstack-tdx container"
mode = att[2] & 3
skip = {0: 1, 1: 2, 2: 4}[mode]
qlen = int.from_bytes(att[2:2 + skip], "little") >> 2
quote = att[2 + skip:2 + skip + qlen]
want = hashlib.sha512(tag.encode() + b":" + spki).digest()
assert quote[568:632] == want, "quote report data does not bind the key"
PY
}

expect_exit 0 "$UTIL" gen-ca-cert --cert "$TMP/ca.pem" --key "$TMP/ca.key" --ca-level 2
assert_eq "$(stat -c %a "$TMP/ca.key")" "600" "CA key mode"
openssl x509 -in "$TMP/ca.pem" -noout -text >"$TMP/ca.txt" || fail "openssl x509 rejects the CA"
grep -q 'Subject: CN = App Root CA' "$TMP/ca.txt" || fail "CA subject"
grep -q 'CA:TRUE, pathlen:2' "$TMP/ca.txt" || fail "CA pathlen"
grep -q 'Digital Signature, Certificate Sign, CRL Sign' "$TMP/ca.txt" || fail "CA key usage"
openssl verify -CAfile "$TMP/ca.pem" "$TMP/ca.pem" >/dev/null || fail "openssl verify rejects the CA"
openssl pkey -in "$TMP/ca.key" -pubout >"$TMP/a" && openssl x509 -in "$TMP/ca.pem" -pubkey -noout >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || fail "CA key does not match the certificate"
check_binding "$TMP/ca.pem" kms-root-ca || fail "CA attestation binding"
pass "gen-ca-cert on the simulator"

expect_exit 0 "$UTIL" gen-ra-cert --ca-cert "$TMP/ca.pem" --ca-key "$TMP/ca.key" -c "$TMP/ra.pem" -k "$TMP/ra.key"
assert_eq "$(stat -c %a "$TMP/ra.key")" "600" "RA-TLS key mode"
openssl x509 -in "$TMP/ra.pem" -noout -text >"$TMP/ra.txt" || fail "openssl x509 rejects the RA-TLS cert"
grep -q 'Subject: CN = RA-TLS TEMP Cert' "$TMP/ra.txt" || fail "RA-TLS subject"
grep -q 'Issuer: CN = App Root CA' "$TMP/ra.txt" || fail "RA-TLS issuer"
openssl verify -CAfile "$TMP/ca.pem" "$TMP/ra.pem" >/dev/null || fail "openssl verify rejects the RA-TLS chain"
openssl pkey -in "$TMP/ra.key" -pubout >"$TMP/a" && openssl x509 -in "$TMP/ra.pem" -pubkey -noout >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || fail "RA-TLS key does not match the certificate"
check_binding "$TMP/ra.pem" ratls-cert || fail "RA-TLS attestation binding"
expect_exit 2 "$UTIL" gen-ra-cert --ca-cert "$TMP/ca.pem" --ca-key "$TMP/ca.key" -c "$TMP/x.pem"
expect_error "Failed to read the CA certificate or key" \
	"$UTIL" gen-ra-cert --ca-cert "$TMP/none.pem" --ca-key "$TMP/ca.key" -c "$TMP/x.pem" -k "$TMP/x.key"
"$UTIL" gen-ca-cert --cert "$TMP/ca2.pem" --key "$TMP/ca2.key"
expect_error "Failed to generate the RA-TLS certificate" \
	"$UTIL" gen-ra-cert --ca-cert "$TMP/ca.pem" --ca-key "$TMP/ca2.key" -c "$TMP/x.pem" -k "$TMP/x.key"
[ ! -e "$TMP/x.pem" ] && [ ! -e "$TMP/x.key" ] || fail "a failed gen-ra-cert left files"
pass "gen-ra-cert on the simulator"

expect_exit 0 "$UTIL" gen-app-keys -o "$TMP/keys.json"
assert_eq "$(stat -c %a "$TMP/keys.json")" "600" "app keys mode"
python3 - "$TMP/keys.json" "$TMP/root.pem" <<'PY' || fail "app keys JSON"
import json, sys
text = open(sys.argv[1]).read()
k = json.loads(text)
assert list(k) == ["disk_crypt_key", "env_crypt_key", "k256_key", "k256_signature",
                   "gateway_app_id", "ca_cert", "key_provider"], list(k)
assert len(bytes.fromhex(k["disk_crypt_key"])) == 32 and len(bytes.fromhex(k["k256_key"])) == 32
assert k["env_crypt_key"] == "" and k["k256_signature"] == "" and k["gateway_app_id"] == ""
assert list(k["key_provider"]) == ["None"]
assert "BEGIN PRIVATE KEY" in k["key_provider"]["None"]["key"]
assert text == json.dumps(k, separators=(",", ":")), "not compact"
open(sys.argv[2], "w").write(k["ca_cert"])
PY
openssl x509 -in "$TMP/root.pem" -noout -subject | grep -q 'CN = App Root Cert' || fail "App Root Cert subject"
openssl verify -CAfile "$TMP/root.pem" "$TMP/root.pem" >/dev/null || fail "openssl verify rejects the App Root Cert"
check_binding "$TMP/root.pem" ratls-cert || fail "App Root Cert attestation binding"
pass "gen-app-keys on the simulator"

# An unwritable destination: an error and no partial file.
expect_error "Failed to write" "$UTIL" gen-app-keys -o "$TMP/no/such/dir/keys.json"
[ ! -e "$TMP/no" ] || fail "a failed write left something behind"
stop_simulator
