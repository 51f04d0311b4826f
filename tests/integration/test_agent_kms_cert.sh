#!/usr/bin/env bash
# GetTlsKey with KMS app keys: setup gets the keys from the mock KMS, then
# the guest agent on that work dir has the KMS sign its CSRs (SignCert over
# RA-TLS from the cached temp CA). The chain must come from the KMS and
# verify; a KMS that refuses, cannot be reached or lacks kms:rpc is a 400
# without a key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/setup_env.sh"
. "$(dirname "$0")/agentd.sh"

# start_kms_like_good NAME KEYS [options]: a mock with the good KMS's keys
# KEYS (root.key: the root the agent trusts; temp-ca.key: the CA of the
# agent's client certificates), so that only the rest differs.
start_kms_like_good() {
	local name=$1 key
	mkdir -p "$TMP/kms-$name"
	for key in $2; do cp "$TMP/kms-good/$key" "$TMP/kms-$name/"; done
	shift 2
	start_kms "$name" "$@"
}

start_host_api
start_kms good && KMS=$KMS_URL
start_kms_like_good refuse "root.key temp-ca.key" --deny-sign && REFUSE=$KMS_URL
start_kms_like_good nousage "root.key temp-ca.key" --usage '' && NOUSAGE=$KMS_URL
start_kms_like_good stranger temp-ca.key && STRANGER=$KMS_URL
truncate -s 64M "$TMP/disk.img"
LOOP=$(losetup -f --show "$TMP/disk.img")
CLEANUP_HOOKS+=("umount '$MNT' 2>/dev/null; losetup -d $LOOP")
echo "dstack.storage_encrypted=0 dstack.storage_fs=ext4" >"$DSTACK_CMDLINE_FILE"
write_share kms "[\"$KMS\"]"
new_boot
expect_exit 0 run_setup "$LOOP"
umount "$MNT"
KEYS="$WORK/.host-shared/.appkeys.json"
cp "$TMP/kms-good/root-ca.pem" "$TMP/root.pem"

start_agent
agent_curl /GetTlsKey -H 'Content-Type: application/json' -d '{"subject":"app.test",
	"alt_names":["app.test","10.1.2.3"],"usage_ra_tls":true,"usage_server_auth":true,
	"not_before":1700000000,"not_after":4102444800}' >"$TMP/tls.json"
assert_eq "$(cat "$TMP/status")" 200 "GetTlsKey status with KMS keys"
python3 - "$TMP/tls.json" "$TMP" <<'PY' || fail "GetTlsKey answer"
import json, sys
d = json.load(open(sys.argv[1]))
chain = d["certificate_chain"]
assert len(chain) == 3, len(chain)
for name, pem in zip(("leaf", "appca", "kmsroot"), chain):
    open(f"{sys.argv[2]}/{name}.pem", "w").write(pem)
open(f"{sys.argv[2]}/tls.key", "w").write(d["key"])
assert d["key"].startswith("-----BEGIN PRIVATE KEY-----")
PY
cmp -s <(openssl x509 -in "$TMP/kmsroot.pem" -outform DER) <(openssl x509 -in "$TMP/root.pem" -outform DER) \
	|| fail "the chain does not end in the KMS root"
openssl verify -CAfile "$TMP/root.pem" -untrusted "$TMP/appca.pem" "$TMP/leaf.pem" >/dev/null \
	|| fail "the leaf does not verify against the returned chain"
openssl verify -CAfile "$TMP/root.pem" "$TMP/leaf.pem" >/dev/null 2>&1 \
	&& fail "the leaf verifies without the app CA: not signed by it"
assert_eq "$(openssl pkey -in "$TMP/tls.key" -pubout | sha256sum)" \
	"$(openssl x509 -in "$TMP/leaf.pem" -noout -pubkey | sha256sum)" "the key is the leaf's"
grep -q '"method": "SignCert", "client_cert": true, "status": 200' "$TMP/kms-good/requests.log" \
	|| fail "SignCert was not served to an attested client"
python3 - "$TMP/kms-good/requests.log" "$VM_CONFIG" <<'PY' || fail "SignCert request"
import json, sys
req = [json.loads(l) for l in open(sys.argv[1]) if '"SignCert"' in l][-1]
body = json.loads(req["body"])
assert body["api_version"] == 2 and body["vm_config"] == sys.argv[2], body
PY
/usr/bin/python3 - "$TMP/leaf.pem" <<'PY' || fail "leaf contents"
import datetime, hashlib, sys, ipaddress
from cryptography import x509
from cryptography.hazmat.primitives import serialization
c = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
assert c.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "app.test"
san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
assert san.get_values_for_type(x509.DNSName) == ["app.test"]
assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.1.2.3")]
eku = c.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
assert list(eku) == [x509.ExtendedKeyUsageOID.SERVER_AUTH], list(eku)
assert c.not_valid_before == datetime.datetime.utcfromtimestamp(1700000000)
assert c.not_valid_after == datetime.datetime.utcfromtimestamp(4102444800)
ext = lambda oid: c.extensions.get_extension_for_oid(x509.ObjectIdentifier(oid)).value.value
assert b"app:custom" in ext("1.3.6.1.4.1.62397.1.4")
spki = c.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
assert hashlib.sha512(b"ratls-cert:" + spki).digest() in ext("1.3.6.1.4.1.62397.1.8"), "attestation"
PY
pass "GetTlsKey with KMS keys: the KMS's chain, verified, with the requested subject, SANs, validity and attestation"

agent_curl /GetTlsKey -H 'Content-Type: application/json' -d '{"subject":"plain"}' >"$TMP/plain.json"
assert_eq "$(cat "$TMP/status")" 200 "GetTlsKey without RA-TLS"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["certificate_chain"][0])' "$TMP/plain.json" \
	>"$TMP/plain.pem"
openssl x509 -in "$TMP/plain.pem" -noout -ext 1.3.6.1.4.1.62397.1.8 2>/dev/null | grep -q . \
	&& fail "the attestation extension without usage_ra_tls"
pass "without usage_ra_tls the leaf carries no attestation"
stop_agent

# The mock's own checks can fail: the first logged CSR replayed is signed
# again; a flipped signature byte, a wrong confirm word (re-signed with the
# leaf key) or another key in the CSR (signed by that key, the attestation
# left binding the first) are refused. The client certificate is attested
# and from the temp CA, as the agent's.
python3 - "$KEYS" "$TMP" <<'PY'
import json, sys
kp = json.load(open(sys.argv[1]))["key_provider"]["Kms"]
open(f"{sys.argv[2]}/tmp-ca.pem", "w").write(kp["tmp_ca_cert"])
open(f"{sys.argv[2]}/tmp-ca.key", "w").write(kp["tmp_ca_key"])
PY
expect_exit 0 "$UTIL" gen-ra-cert --ca-cert "$TMP/tmp-ca.pem" --ca-key "$TMP/tmp-ca.key" \
	-c "$TMP/client.pem" -k "$TMP/client.key"
sign_cert() {  # sign_cert MUTATION: the status of a replayed, mutated SignCert
	/usr/bin/python3 - "$TMP/kms-good/requests.log" "$1" "$TMP/tls.key" >"$TMP/replay.json" <<'PY'
import json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
body = json.loads([json.loads(l) for l in open(sys.argv[1]) if '"SignCert"' in l][0]["body"])
csr, mode = bytearray.fromhex(body["csr"]), sys.argv[2]
key = serialization.load_pem_private_key(open(sys.argv[3], "rb").read(), None)
assert csr[:2] == b"\x44p" and csr[18:20] == b"\x6d\x01"   # confirm, then a 91-byte SPKI
if mode == "confirm":
    csr[1:2] = b"P"
elif mode == "pubkey":
    key = ec.generate_private_key(ec.SECP256R1())
    csr[20:111] = key.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
body["csr"] = csr.hex()
if mode != "none":
    body["signature"] = key.sign(bytes(csr), ec.ECDSA(hashes.SHA256())).hex()
if mode == "signature":
    body["signature"] = body["signature"][:-2] + "%02x" % (int(body["signature"][-2:], 16) ^ 1)
print(json.dumps(body))
PY
	curl -sS --cacert "$TMP/root.pem" --cert "$TMP/client.pem" --key "$TMP/client.key" \
		-H 'Content-Type: application/json' --data-binary @"$TMP/replay.json" \
		-o "$TMP/replay.out" -w '%{http_code}' "$KMS/prpc/SignCert?json"
}
assert_eq "$(sign_cert none)" 200 "a replayed SignCert"
for m in signature:"Invalid signature" confirm:"Invalid confirm word" pubkey:"does not bind"; do
	assert_eq "$(sign_cert "${m%%:*}")" 400 "SignCert with a bad ${m%%:*}"
	grep -q "${m#*:}" "$TMP/replay.out" || { cat "$TMP/replay.out"; fail "bad ${m%%:*}: wrong error"; }
done
pass "the mock KMS checks the CSR signature, confirm word and key binding"

# point_keys URL: the app keys (0600) now name another KMS.
point_keys() {
	python3 - "$KEYS" "$1" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
k["key_provider"]["Kms"]["url"] = sys.argv[2]
open(sys.argv[1], "w").write(json.dumps(k))
PY
}
refused() {  # refused NAME URL TEXT
	point_keys "$2"
	start_agent
	agent_curl /GetTlsKey -H 'Content-Type: application/json' -d '{"subject":"x"}' >"$TMP/$1.json"
	assert_eq "$(cat "$TMP/status")" 400 "GetTlsKey status ($1)"
	grep -q "$3" "$TMP/$1.json" || { cat "$TMP/$1.json"; fail "$1: error text"; }
	grep -q "Failed to get a certificate from KMS" "$TMP/$1.json" || fail "$1: no context"
	grep -q 'PRIVATE KEY\|certificate_chain' "$TMP/$1.json" && fail "$1: a key was returned"
	stop_agent
}
refused refuse "$REFUSE/prpc" "App not allowed to sign certificates"
refused unreachable "https://127.0.0.1:1/prpc" "Couldn't connect to server"
refused nousage "$NOUSAGE/prpc" "Missing server cert usage"
refused stranger "$STRANGER/prpc" "SSL connect error"
refused plainhttp "${KMS/https:/http:}/prpc" "KMS URL must be https://"
grep -q SignCert "$TMP/kms-nousage/requests.log" 2>/dev/null && fail "SignCert sent to a KMS without kms:rpc"
grep -q SignCert "$TMP/kms-stranger/requests.log" 2>/dev/null && fail "SignCert sent to an untrusted KMS"
pass "a refusing, unreachable, untrusted, plain-http or kms:rpc-less KMS: 400, a clear error, no key"
stop_simulator
