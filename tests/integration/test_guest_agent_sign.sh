#!/usr/bin/env bash
# Sign, Verify, Attest and GpuInfo of dstack-guest-agent on the TDX
# simulator, driven by the C client (agent-sign, agent-verify, agent-attest)
# and by curl: the Sign vectors of spec 11.4 byte for byte with their chain
# to the KMS root of 11.2, Verify's verdicts and its 400 for malformed
# input, the exact messages of 11.5, the report data bound in the
# attestation (decoded by attest-info/attest-json), GpuInfo with and
# without a saved output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/agentd.sh"

start_simulator
make_work_dir
export DSTACK_GPU_ATTESTATION_FILE="$TMP/gpu/attestation.out"
start_agent
export DSTACK_SIMULATOR_ENDPOINT="$AGENT_SOCK"

KMS_SIG=9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e594d2a283f843f34e8f39e4cc49a612496ce67223a12ac923f8efe330346dfc6c500
SIG0_ED=d61ff204728dae76ba4e29313003433d533d069f9c98ebb3382104145f1c664c59fac4326a86420ec3f450303d3a675d595f546448076a464343bcc25143c4a300
SIG0_K256=51ec279eb0da3fb45335c2fd6badaf701905bf35f229912976c4ae3c9d649cf97f964473f2dce7118743bad84a6df707d11c9b5f0b38379204e14fd2c7baddba01
PUB_ED=698f56bd587d8ce3ca8db0e1c361ba9d190089f98dc4d9df800ff92ed073a65d
PUB_K256=036105f01d1fd781568f7c208b087b1c4f522601410ed7e9c7870d573de7c46d54
MSG=$(printf 'test message' | od -An -tx1 | tr -d ' \n')
DIGEST=62def9deb63593d05474b22851c0616dbc10ca66aa4f93900ab923a0fa52c54f

# post METHOD JSON: the agent's raw answer to $TMP/body, status to $TMP/status.
post() {
	agent_curl "/$1" -H 'Content-Type: application/json' -d "$2" >/dev/null
}

# Spec 11.4: the agent's answer and agent-sign's output are both exactly
# upstream's answer (compact JSON, protobuf field order).
while read -r alg data pub sig sig0; do
	want="{\"signature\":\"$sig\",\"signature_chain\":[\"$sig\",\"$sig0\",\"$KMS_SIG\"],\"public_key\":\"$pub\"}"
	post Sign "{\"algorithm\":\"$alg\",\"data\":\"$data\"}"
	assert_eq "$(cat "$TMP/status")" 200 "Sign $alg status"
	assert_eq "$(cat "$TMP/body")" "$want" "Sign $alg answer"
	expect_exit 0 "$UTIL" agent-sign "$alg" "$data"
	assert_eq "$(cat "$TMP/out")" "$want" "agent-sign $alg"
	expect_exit 0 "$UTIL" agent-sign --kms-root "$SIM_KMS_ROOT" "$alg" "0x$data"
	assert_eq "$(cat "$TMP/out")" "$want" "agent-sign $alg with its chain verified"
	expect_exit 0 "$UTIL" agent-verify "$alg" "$data" "$sig" "$pub"
	assert_eq "$(cat "$TMP/out")" '{"valid":true}' "agent-verify $alg"
done <<EOF_VECTORS
ed25519 $MSG $PUB_ED 7247b9514be1a72b9cb24334be3adab386901b69e434a66570fa3b8560c64c6f43c3f9fa03de5d676efd98554f15764f15efe69b64d1f77e99735ea509fb3d0c $SIG0_ED
secp256k1 $MSG $PUB_K256 dbc6c79f6dfcabf31f281da7cad6fd2ff7b7259d67cc0e54f8a5cd2a9c7c4d9f583d33b37b55b91819293705083ab7fd4b1a85a75a61acfdb260c714aa9e3f37 $SIG0_K256
secp256k1_prehashed $DIGEST $PUB_K256 d79fbb0129ff07098837226231994646c809cda435f3783b2c752728e091e80b094145e622686554e6257e8888b99731e824315c46f7ddf85c07ec858bd6b869 $SIG0_K256
EOF_VECTORS
# k256 is secp256k1; the client sends the canonical name.
post Sign "{\"algorithm\":\"k256\",\"data\":\"$MSG\"}"
grep -q '"signature":"dbc6c79f6dfc' "$TMP/body" || fail "k256 alias"
expect_exit 0 "$UTIL" agent-sign k256 "$MSG"
grep -q '"signature":"dbc6c79f6dfc' "$TMP/out" || fail "agent-sign k256"
# The Sign key is GetKey("vms") and the chain verifies to the pinned root.
other_root=02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c
expect_error "Sign signature chain rejected" "$UTIL" agent-sign --kms-root "$other_root" ed25519 00
[ ! -s "$TMP/out" ] || fail "a rejected chain printed a signature"
expect_error "Sign signature chain rejected" "$UTIL" agent-sign --kms-root "$SIM_KMS_ROOT" \
	--app-id 0000000000000000000000000000000000000000 ed25519 00
expect_exit 0 "$UTIL" agent-sign --kms-root "$SIM_KMS_ROOT" --app-id "$SIM_APP_ID" -o "$TMP/sig.json" secp256k1 ""
assert_eq "$(stat -c %a "$TMP/sig.json")" 600 "agent-sign -o mode"
pass "Sign equals the 11.4 vectors and its chain verifies to the 11.2 KMS root"

# Verify: true, false for a well-formed wrong signature (also high-S, as
# k256), 400 for malformed input.
ED_SIG=7247b9514be1a72b9cb24334be3adab386901b69e434a66570fa3b8560c64c6f43c3f9fa03de5d676efd98554f15764f15efe69b64d1f77e99735ea509fb3d0c
K_SIG=dbc6c79f6dfcabf31f281da7cad6fd2ff7b7259d67cc0e54f8a5cd2a9c7c4d9f583d33b37b55b91819293705083ab7fd4b1a85a75a61acfdb260c714aa9e3f37
K_SIG_HIGH_S=$(python3 -c 'import sys; n=0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141; s=sys.argv[1]; print(s[:64] + "%064x" % (n - int(s[64:], 16)))' "$K_SIG")
verify_body() {
	printf '{"algorithm":"%s","data":"%s","signature":"%s","public_key":"%s"}' "$@"
}
verdict() {
	post Verify "$(verify_body "$@")"
	assert_eq "$(cat "$TMP/status")" 200 "Verify status for $*"
	cat "$TMP/body"
}
assert_eq "$(verdict ed25519 "$MSG" "$ED_SIG" "$PUB_ED")" '{"valid":true}' "Verify ed25519"
assert_eq "$(verdict secp256k1 "$MSG" "$K_SIG" "$PUB_K256")" '{"valid":true}' "Verify secp256k1"
assert_eq "$(verdict ed25519 "${MSG}00" "$ED_SIG" "$PUB_ED")" '{"valid":false}' "Verify ed25519, other data"
assert_eq "$(verdict secp256k1 "${MSG}00" "$K_SIG" "$PUB_K256")" '{"valid":false}' "Verify secp256k1, other data"
assert_eq "$(verdict secp256k1_prehashed "$DIGEST" "$K_SIG" "$PUB_K256")" '{"valid":false}' "Verify, other digest"
assert_eq "$(verdict secp256k1 "$MSG" "$K_SIG_HIGH_S" "$PUB_K256")" '{"valid":false}' "Verify high-S"
# The ed25519 public key of GetKey("/test") (spec 11.3): a valid point.
assert_eq "$(verdict ed25519 "$MSG" "$ED_SIG" fa7c30301ad155ca108e0a354d3508dcf738f01f15c280a414d09e92dc33badf)" \
	'{"valid":false}' "Verify ed25519 with another key"
malformed() {
	post Verify "$(verify_body "$1" "$2" "$3" "$4")"
	assert_eq "$(cat "$TMP/status")" 400 "Verify status for malformed $5"
	grep -qF "\"error\": \"$6" "$TMP/body" || fail "Verify message for malformed $5: $(cat "$TMP/body")"
}
malformed ed25519 "$MSG" "$ED_SIG" "${PUB_ED:2}" "short key" "invalid public key"
malformed ed25519 "$MSG" "$ED_SIG" "$(printf '%063d2' 0)" "key off the curve" "invalid public key"
malformed ed25519 "$MSG" "${ED_SIG:2}" "$PUB_ED" "short signature" "invalid signature"
malformed secp256k1 "$MSG" "$K_SIG" "04${PUB_K256:2}" "k256 key off the curve" "invalid public key"
malformed secp256k1 "$MSG" "$K_SIG" "${PUB_K256:2}" "32-byte k256 key" "invalid public key"
malformed secp256k1 "$MSG" "${K_SIG}00" "$PUB_K256" "65-byte signature" "invalid signature"
malformed secp256k1 "$MSG" "$(printf '%064d' 0)${K_SIG:64}" "$PUB_K256" "zero r" "invalid signature"
malformed secp256k1_prehashed "${DIGEST:2}" "$K_SIG" "$PUB_K256" "31-byte digest" \
	"Pre-hashed verification requires a 32-byte digest, but received 31 bytes"
post Verify '{"algorithm":"ed25519","signature":"zz"}'
assert_eq "$(cat "$TMP/status")" 400 "Verify with bad hex"
# The client: the same verdicts, exit 0 only when valid, malformed input
# refused before anything is sent.
expect_exit 1 "$UTIL" agent-verify secp256k1 "${MSG}00" "$K_SIG" "$PUB_K256"
assert_eq "$(cat "$TMP/out")" '{"valid":false}' "agent-verify, other data"
grep -q "the signature is not valid" "$TMP/err" || fail "agent-verify: no reason for exit 1"
expect_exit 1 "$UTIL" agent-verify secp256k1 "$MSG" "$K_SIG_HIGH_S" "$PUB_K256"
assert_eq "$(cat "$TMP/out")" '{"valid":false}' "agent-verify, high-S"
expect_error "invalid public key" "$UTIL" agent-verify ed25519 "$MSG" "$ED_SIG" "${PUB_ED:2}"
[ ! -s "$TMP/out" ] || fail "agent-verify printed a verdict for a malformed key"
expect_error "invalid signature" "$UTIL" agent-verify secp256k1 "$MSG" "${K_SIG}00" "$PUB_K256"
expect_exit 2 "$UTIL" agent-verify ed25519 "$MSG" zz "$PUB_ED"
expect_exit 2 "$UTIL" agent-verify ed25519 "$MSG" "$ED_SIG"
pass "Verify: verdicts, high-S, 400 for malformed input"

# Spec 11.5, exactly.
error_body() {
	post "$1" "$2"
	assert_eq "$(cat "$TMP/status")" 400 "$1 $2 status"
	assert_eq "$(cat "$TMP/body")" "$(printf '{\n  "error": "%s"\n}' "$3")" "$1 $2 error"
}
error_body Sign '{"algorithm":"rsa","data":"00"}' "Unsupported algorithm"
error_body Sign '{"algorithm":"","data":"00"}' "Unsupported algorithm"
error_body Sign '{"data":"00"}' "Unsupported algorithm"
error_body Verify "$(verify_body rsa "$MSG" "$K_SIG" "$PUB_K256")" "Unsupported algorithm"
error_body Sign "{\"algorithm\":\"secp256k1_prehashed\",\"data\":\"${DIGEST:2}\"}" \
	"Pre-hashed signing requires a 32-byte digest, but received 31 bytes"
error_body Attest "{\"report_data\":\"$(printf '00%.0s' $(seq 65))\"}" "Report data is too long"
error_body Foo '{}' "Service not found: Foo"
expect_error "Unsupported algorithm" "$UTIL" agent-sign rsa 00
expect_error "Pre-hashed signing requires a 32-byte digest, but received 31 bytes" \
	"$UTIL" agent-sign secp256k1_prehashed "${DIGEST:2}"
expect_exit 2 "$UTIL" agent-sign ed25519 0q
expect_exit 2 "$UTIL" agent-sign ed25519
expect_exit 0 "$UTIL" agent-sign --help
grep -q "^Usage: dstack-util agent-sign" "$TMP/out" || fail "agent-sign --help"
pass "exact error messages of 11.5"

# Attest: the attestation decodes and binds the report data, in the
# container and in its quote; its full log replays to the quote's RTMR3.
check_attestation() {
	python3 -c 'import json,sys; open(sys.argv[2], "wb").write(bytes.fromhex(json.load(open(sys.argv[1]))["attestation"]))' \
		"$1" "$TMP/att.bin"
	"$UTIL" attest-info -i "$TMP/att.bin" >"$TMP/att.info"
	grep -qx "version: $3" "$TMP/att.info" || fail "not a $3 container: $(cat "$TMP/att.info")"
	grep -qx "mode: DstackTdx\|platform: tdx .*" "$TMP/att.info" || fail "attest-info: $(cat "$TMP/att.info")"
	"$UTIL" attest-json -i "$TMP/att.bin" >"$TMP/att.json"
	python3 - "$TMP/att.json" "$2" "$TMP/att-log.json" <<'PY'
import hashlib, json, sys
att = json.load(open(sys.argv[1]))
if "tdx_quote" in att:    # V0
    quote, log = bytes.fromhex(att["tdx_quote"]["quote"]), att["tdx_quote"]["event_log"]
else:                     # V1
    quote, log = bytes(att["platform"]["data"]["quote"]), att["platform"]["data"]["event_log"]
json.dump(log, open(sys.argv[3], "w"))
want = bytes.fromhex(sys.argv[2]).ljust(64, b"\0")
assert quote[568:632] == want, quote[568:632].hex()
mr = bytes(48)
for ev in log:
    if ev["imr"] == 3:
        mr = hashlib.sha384(mr + bytes.fromhex(ev["digest"])).digest()
assert mr == quote[520:568], "RTMR3 replay"
# Not stripped: boot events keep their payloads, runtime events their digests.
assert all(ev["event_payload"] for ev in log if ev["imr"] == 1), "boot payloads"
assert any(ev["event"] == "attest-test" and ev["event_payload"] == "0102" and ev["digest"] for ev in log)
PY
}
"$UTIL" agent-event attest-test 0102
post Attest '{"report_data":"74657374"}'
assert_eq "$(cat "$TMP/status")" 200 "Attest status"
check_attestation "$TMP/body" 74657374 V0
expect_exit 0 "$UTIL" agent-attest 0xabcdef
check_attestation "$TMP/out" abcdef V0
expect_exit 0 "$UTIL" agent-attest -o "$TMP/att-out.json"
check_attestation "$TMP/att-out.json" "" V0
# A V2 runtime event needs the V1 (MessagePack) form, with its pre-image.
printf 2 >"$DSTACK_RUNTIME_LOG_DIR/runtime_event_version"
"$UTIL" agent-event attest-v2 0304
expect_exit 0 "$UTIL" agent-attest 11
check_attestation "$TMP/out" 11 V1
python3 - "$TMP/att-log.json" <<'PY'
import hashlib, json, sys
ev = [e for e in json.load(open(sys.argv[1])) if e["event"] == "attest-v2"][0]
assert ev.get("version") == 2 and hashlib.sha384(bytes.fromhex(ev["preimage"])).hexdigest() == ev["digest"], ev
PY
expect_error "at most 64" "$UTIL" agent-attest "$(printf '00%.0s' $(seq 65))"
pass "Attest binds the report data in the container and its quote"

# GpuInfo: "" without a saved output, else the file verbatim.
post GpuInfo '{}'
assert_eq "$(cat "$TMP/body")" '{"attestation":""}' "GpuInfo without a file"
assert_eq "$(agent_curl /GpuInfo)" '{"attestation":""}' "GET /GpuInfo"
assert_eq "$("$UTIL" agent-gpu-info)" '{"attestation":""}' "agent-gpu-info without a file"
mkdir "$TMP/gpu"
printf '{"result":true,"evidence":"\xc3\xa9"}\n' >"$DSTACK_GPU_ATTESTATION_FILE"
post GpuInfo 'not json: the body of an Empty request is ignored'
python3 - "$TMP/body" "$DSTACK_GPU_ATTESTATION_FILE" <<'PY'
import json, sys
assert json.load(open(sys.argv[1], encoding="utf-8")) == {"attestation": open(sys.argv[2], encoding="utf-8").read()}
PY
"$UTIL" agent-gpu-info -o "$TMP/gpu.json"
assert_eq "$(stat -c %a "$TMP/gpu.json")" 600 "agent-gpu-info -o mode"
python3 - "$TMP/body" "$TMP/gpu.json" <<'PY'
import json, sys
assert json.load(open(sys.argv[1], encoding="utf-8")) == json.load(open(sys.argv[2], encoding="utf-8"))
PY
printf '\xff' >"$DSTACK_GPU_ATTESTATION_FILE"
post GpuInfo '{}'
assert_eq "$(cat "$TMP/status")" 400 "GpuInfo of a non-UTF-8 file"
expect_error "is not UTF-8" "$UTIL" agent-gpu-info
head -c 1048577 /dev/zero | tr '\0' 'a' >"$DSTACK_GPU_ATTESTATION_FILE"
post GpuInfo '{}'
assert_eq "$(cat "$TMP/status")" 400 "GpuInfo of an oversized file"
pass "GpuInfo"

stop_agent
grep -qi "d6e88992\|1091a4d6721f6a71\|PRIVATE" "$TMP/agent.err" && fail "secret in the log"
stop_simulator
pass "agent stopped"
