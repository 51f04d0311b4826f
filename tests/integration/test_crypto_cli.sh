#!/usr/bin/env bash
# gen-ca-cert and gen-app-keys: flags, usage errors, and either a full run
# (when a local attestation source is available) or a clean failure that
# leaves no file behind.
. "$(dirname "$0")/lib.sh"

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

# The secrets never go to argv: neither command takes key material as an argument.
if "$UTIL" gen-ca-cert --cert "$TMP/ca.pem" --key "$TMP/ca.key" --ca-level 2 >"$TMP/out" 2>"$TMP/err"; then
	assert_eq "$(stat -c %a "$TMP/ca.key")" "600" "CA key mode"
	openssl x509 -in "$TMP/ca.pem" -noout -text >"$TMP/ca.txt" || fail "openssl x509 rejects the CA"
	grep -q 'Subject: CN = App Root CA' "$TMP/ca.txt" || fail "CA subject"
	grep -q 'CA:TRUE, pathlen:2' "$TMP/ca.txt" || fail "CA pathlen"
	grep -q '1.3.6.1.4.1.62397.1.8' "$TMP/ca.txt" || fail "CA lacks the attestation extension"
	openssl verify -CAfile "$TMP/ca.pem" "$TMP/ca.pem" >/dev/null || fail "openssl verify rejects the CA"
	openssl pkey -in "$TMP/ca.key" -pubout >"$TMP/a" && openssl x509 -in "$TMP/ca.pem" -pubkey -noout >"$TMP/b"
	cmp -s "$TMP/a" "$TMP/b" || fail "CA key does not match the certificate"
	pass "gen-ca-cert"
else
	grep -q '^Error: Failed to generate the CA certificate' "$TMP/err" || fail "gen-ca-cert: unexpected error"
	grep -q 'Failed to get attestation' "$TMP/err" || fail "gen-ca-cert: no attestation cause"
	[ ! -e "$TMP/ca.pem" ] && [ ! -e "$TMP/ca.key" ] || fail "gen-ca-cert left files behind"
	pass "gen-ca-cert fails closed without an attestation source"
fi

if "$UTIL" gen-app-keys -o "$TMP/keys.json" >"$TMP/out" 2>"$TMP/err"; then
	assert_eq "$(stat -c %a "$TMP/keys.json")" "600" "app keys mode"
	python3 - "$TMP/keys.json" <<'PY' || fail "app keys JSON"
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
PY
	pass "gen-app-keys"
else
	grep -q '^Error: Failed to generate app keys' "$TMP/err" || fail "gen-app-keys: unexpected error"
	grep -q 'Failed to get attestation' "$TMP/err" || fail "gen-app-keys: no attestation cause"
	[ ! -e "$TMP/keys.json" ] || fail "gen-app-keys left a file behind"
	pass "gen-app-keys fails closed without an attestation source"
fi
