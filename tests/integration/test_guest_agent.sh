#!/usr/bin/env bash
# dstack-guest-agent on the TDX simulator, driven by the C client (the
# agent-* commands) and by curl: the GetKey vectors of spec 11.3 and their
# chain to the KMS root of 11.2, quotes binding the report data with an
# event log that replays to the quote's RTMRs, EmitEvent into the runtime
# log and RTMR3, upstream's error shapes, the socket rules and SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/agentd.sh"

start_simulator
make_work_dir

# The socket path must not replace anything but a stale socket.
echo keep >"$AGENT_SOCK"
expect_exit 1 "$AGENT_BIN" --socket "$AGENT_SOCK" --work-dir "$TMP/work"
grep -q "exists and is not a socket" "$TMP/err" || fail "non-socket file: unclear error"
assert_eq "$(cat "$AGENT_SOCK")" keep "the file in the way was kept"
rm "$AGENT_SOCK"
expect_exit 1 "$AGENT_BIN" --socket "$AGENT_SOCK" --work-dir "$TMP/nowhere"
grep -q "Failed to load the agent state" "$TMP/err" || fail "missing work dir: unclear error"
[ ! -e "$AGENT_SOCK" ] || fail "a failed start left a socket"
expect_exit 2 "$AGENT_BIN" --socket "$AGENT_SOCK"
expect_exit 0 "$AGENT_BIN" --help
grep -q "^Usage: dstack-guest-agent" "$TMP/out" || fail "--help"
pass "start-up checks"

start_agent
assert_eq "$(stat -c %a "$AGENT_SOCK")" 660 "socket mode"
expect_exit 1 "$AGENT_BIN" --socket "$AGENT_SOCK" --work-dir "$TMP/work"
grep -q "in use by another process" "$TMP/err" || fail "second agent on a live socket"
pass "socket mode and a live socket kept"
export DSTACK_SIMULATOR_ENDPOINT="$AGENT_SOCK"

# Spec 11.3: key and sig0 per row; the chain verifies to the pinned root.
while read -r path purpose alg key sig0; do
	[ "$path" = "-" ] && path=""
	[ "$purpose" = "-" ] && purpose=""
	"$UTIL" agent-key -p "$purpose" -a "$alg" --kms-root "$SIM_KMS_ROOT" -- "$path" >"$TMP/key.json"
	python3 - "$TMP/key.json" "$key" "$sig0" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
assert k["key"] == sys.argv[2], "key"
assert k["signature_chain"][0] == sys.argv[3], "sig0"
assert k["signature_chain"][1] == "9e618603e72d01fedb82deff6daf2d62a572becf0059eec3f89c1ab40e1f2e594d2a283f843f34e8f39e4cc49a612496ce67223a12ac923f8efe330346dfc6c500", "sig1"
PY
done <<'EOF_VECTORS'
- - secp256k1 aa221ae548b5a8f52fcb8687cfd873712f6a1232b2717e5ee3d58ab74f21905b 64ce2f1b381d04f7404fda78bdc942c314d89b7069d97eea1897e51b249dd3b1700995cbf7efe7ff04195dd6e31f153b702eeeeaffc5941510739dc39b9bd9cf01
/ test secp256k1 f6c1ed94488394d78e0a4e5ab75d62e9f085d73b0b555d0614fb90ca13d9464d 0b0fa470162c54f108850d143442c48d43f1cc42983b8e9c589679345b831d2b5bb5b97b21c2d2d036520209deae8b6111318c68eafc786190d6edc52e5cf0c201
/ test ed25519 f6c1ed94488394d78e0a4e5ab75d62e9f085d73b0b555d0614fb90ca13d9464d 7752352aa2ad8b337a3845661073fb42ef1b1d3313d8ce0b8976ccc21505e0c62e79eb7aaf9b51768b0f9762e62098710ce4e8cabd450670b2fb0040e8551cb300
/test purpose secp256k1 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d 044c2670fd19c6562e16dd745d3e2ebaf75b571874259a32f79f92bbfc1caec55b9bc3228cfd9332994e0ed821d4cf145ffd9e5de824f97f88725e32f0a335b800
/test purpose ed25519 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d b7f234a4d6bec159a386f29b72fa1699ce51ee89f26eaf9d6121875f897217595ace606b044c75b3f5a33debaf7c3fa289c59b5c260726cfbd6dd3e91139f5f401
vms signing secp256k1 1091a4d6721f6a719ca57320e4975f7e237649131111ee1c5032f661dc1cfef2 51ec279eb0da3fb45335c2fd6badaf701905bf35f229912976c4ae3c9d649cf97f964473f2dce7118743bad84a6df707d11c9b5f0b38379204e14fd2c7baddba01
vms signing ed25519 1091a4d6721f6a719ca57320e4975f7e237649131111ee1c5032f661dc1cfef2 d61ff204728dae76ba4e29313003433d533d069f9c98ebb3382104145f1c664c59fac4326a86420ec3f450303d3a675d595f546448076a464343bcc25143c4a300
tessera/arc-server-key tessera-arc-server-key secp256k1 e45a4657deb6c4fcf57f59d5ebb5b7c2fc6904c0ecbc6c17ace4a2d2c59b8077 ca4ea3c1e0c453dee9cd15085dc735d88dacca40102e7029d2c4aabedd6c660f74e3019ff58872dabb496c3c631410e95c2cbed7771568687e81d3cddbaae8f301
/test/path test-purpose secp256k1 b9fbb7171185c421c58610a2acba8ceae93623ae47815618cbad1e98fc042cb7 f50c51735a97072f0c98125ed61fc84e2fdb36e95990b9e57337dadc0e2a9712227f04e07209faecb8891d59ec144a6c13e411dc90b3423f28071bd3fe11978d01
my/key/path signing secp256k1 866d0884686e5afdbdaace8bd77c0b4f69a30dbe9506d69270a07bf247c8f4f0 4e9bccd54a86c85b72d04453183a9aa8c989861142cc5caf2cdba12f99e834c81c0117311cf290357f9db94b79faba8074e3fe8764e6576a5fb657a89060fe3301
EOF_VECTORS
pass "GetKey equals the 11.3 vectors and verifies to the 11.2 KMS root"

# A wrong root or app id: exit 1, nothing printed.
other_root=02818494263695e8839122dbd88e281d7380622999df4e60a14befa0f2d096fc7c
expect_error "does not lead to the trusted KMS root key" "$UTIL" agent-key --kms-root "$other_root" /test/path
[ ! -s "$TMP/out" ] || fail "a rejected chain printed a key"
expect_error "GetKey signature chain rejected" "$UTIL" agent-key --kms-root "$SIM_KMS_ROOT" \
	--app-id 0000000000000000000000000000000000000000 /test/path
[ ! -s "$TMP/out" ] || fail "a rejected chain printed a key"
expect_exit 0 "$UTIL" agent-key --kms-root "$SIM_KMS_ROOT" --app-id "$SIM_APP_ID" /test/path
expect_exit 2 "$UTIL" agent-key --kms-root 0321 /test/path
pass "chain rejections"

# GetQuote: report data in the answer and the quote; the log replays to RTMR0-3.
check_quote_log() {
	python3 "$(dirname "$0")/replay_quote_log.py" "$1" >"$TMP/replay"
	assert_eq "$(sed -n 1,4p "$TMP/replay")" "$(sed -n 5,8p "$TMP/replay")" "replayed RTMRs"
}
agent_curl /GetQuote -H 'Content-Type: application/json' -d '{"report_data":"74657374"}' >"$TMP/q.json"
assert_eq "$(cat "$TMP/status")" 200 "GetQuote status"
rd="74657374$(printf '0%.0s' $(seq 120))"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["report_data"])' "$TMP/q.json")" "$rd" "report_data"
check_quote_log "$TMP/q.json"
assert_eq "$(sed -n 9p "$TMP/replay")" "$rd" "report data in the quote"
"$UTIL" agent-quote 0xabcdef >"$TMP/q2.json"
python3 "$(dirname "$0")/replay_quote_log.py" "$TMP/q2.json" | sed -n 9p | grep -q '^abcdef0000' ||
	fail "agent-quote report data"
pass "GetQuote binds the report data and its event log replays to the quote"

# EmitEvent: in the runtime log, in RTMR3 of the next quote, and replayable.
"$UTIL" agent-event my-event 0102ff
grep -q '"event":"my-event"' "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" || fail "event not logged"
agent_curl /GetQuote -H 'Content-Type: application/json' -d '{}' >"$TMP/q3.json"
check_quote_log "$TMP/q3.json"
assert_eq "$(sed -n 4p "$TMP/replay")" "$(replay_rtmr3)" "RTMR3 replayed from the runtime log"
python3 -c 'import json,sys; ev=json.loads(json.load(open(sys.argv[1]))["event_log"])[-1]; assert ev["event"]=="my-event" and ev["event_payload"]=="0102ff", ev' "$TMP/q3.json"
expect_error "event name cannot be empty" "$UTIL" agent-event "" 00
pass "EmitEvent"

# Info: ids from the work dir, TCB from the quote, no secrets.
"$UTIL" agent-info >"$TMP/info.json"
python3 - "$TMP/info.json" "$SIM_APP_ID" <<'PY'
import json, sys
info = json.load(open(sys.argv[1]))
assert info["app_id"] == sys.argv[2]
assert info["compose_hash"] == "65b4e574f16973956908b6359920593c3b7d9f36f38e81a47f996a0c0d5435bb"
assert info["instance_id"] == "1691ed1b47506cad7d08834668691d88246f5b1f"
assert info["os_image_hash"] == json.loads(info["vm_config"])["os_image_hash"]
kp = json.loads(info["key_provider_info"])
assert kp["name"] == "none"
tcb = json.loads(info["tcb_info"])
assert all(len(tcb[k]) == 96 for k in ("mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"))
assert tcb["rtmr0"] == "274c2344116db7c663470693b5ba62b8621eac28cb41d2f816ddf188f9f423f900a1c44d32386fd3c993dc814e62af9d"
assert tcb["app_compose"] == open(sys.argv[1].replace("info.json", "work/.host-shared/app-compose.json")).read()
assert tcb["event_log"][-1]["event"] == "my-event" and tcb["event_log"][-1]["digest"]
PY
grep -qi "d6e88992cdeeee35fe70b5db61ab66cdb191fb9b6ec9313757ef162dd7214d5d\|PRIVATE KEY" "$TMP/info.json" &&
	fail "Info leaks a secret"
pass "Info"

# GetTlsKey: a fresh key certified by the app keys' CA.
agent_curl /GetTlsKey -H 'Content-Type: application/json' \
	-d '{"subject":"demo","alt_names":["demo.example"],"usage_server_auth":true}' >"$TMP/tls.json"
assert_eq "$(cat "$TMP/status")" 200 "GetTlsKey status"
python3 - "$TMP/tls.json" "$TMP" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
open(sys.argv[2] + "/leaf.pem", "w").write(t["certificate_chain"][0])
open(sys.argv[2] + "/ca.pem", "w").write(t["certificate_chain"][1])
open(sys.argv[2] + "/tls.key", "w").write(t["key"])
PY
openssl verify -CAfile "$TMP/ca.pem" "$TMP/leaf.pem" >/dev/null || fail "leaf not signed by the CA"
assert_eq "$(openssl x509 -in "$TMP/leaf.pem" -noout -pubkey | openssl sha256)" \
	"$(openssl pkey -in "$TMP/tls.key" -pubout | openssl sha256)" "leaf certifies the key"
openssl x509 -in "$TMP/leaf.pem" -noout -text | grep -q "DNS:demo.example" || fail "SAN"
agent_curl /GetTlsKey -H 'Content-Type: application/json' -d '{"not_before":11,"not_after":11}' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "bad validity"
grep -q '"error": "Failed to get TLS key: not_before must be earlier than not_after"' "$TMP/body" || fail "validity message"
pass "GetTlsKey"

# GetTlsKey with_app_info: extension 1.9 holds rmp_serde's AppInfo (an
# array of 9, byte fields as bin) decoded from the attestation binding the
# key, read here with Debian's python3-msgpack and python3-cryptography
# (/usr/bin/python3: a pyenv interpreter lacks them). setup's identity
# events go into the runtime log first, so the app info has what Info says.
"$UTIL" agent-info >"$TMP/info0.json"
kp_hex=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key_provider_info"].encode().hex())' "$TMP/info0.json")
init_hash=$(printf init-script | sha256sum | cut -c1-64)
"$UTIL" agent-event app-id "$SIM_APP_ID"
"$UTIL" agent-event compose-hash 65b4e574f16973956908b6359920593c3b7d9f36f38e81a47f996a0c0d5435bb
"$UTIL" agent-event instance-id 1691ed1b47506cad7d08834668691d88246f5b1f
"$UTIL" agent-event key-provider "$kp_hex"
"$UTIL" agent-event init-script-hash "$init_hash"
"$UTIL" agent-info >"$TMP/info.json"
tls_key_ext() {  # tls_key_ext NAME BODY: the GetTlsKey answer for BODY, then its leaf checked
	agent_curl /GetTlsKey -H 'Content-Type: application/json' -d "$2" >"$TMP/$1.json"
	assert_eq "$(cat "$TMP/status")" 200 "GetTlsKey $1 status"
	/usr/bin/python3 "$(dirname "$0")/check_tls_app_info.py" "$TMP/$1.json" "$TMP/info.json" "$init_hash" "$1" ||
		fail "GetTlsKey $1 certificate"
}
tls_key_ext app_info_ra '{"subject":"gw","usage_client_auth":true,"with_app_info":true,"usage_ra_tls":true}'
tls_key_ext app_info '{"subject":"gw","with_app_info":true}'
tls_key_ext ra '{"subject":"gw","usage_ra_tls":true}'
tls_key_ext plain '{"subject":"gw","with_app_info":false}'
agent_curl /GetTlsKey -H 'Content-Type: application/json' -d '{"with_app_info":"yes"}' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "with_app_info of the wrong type"
pass "GetTlsKey with_app_info: 1.9 matches Info, 1.8 only with usage_ra_tls, 1.4 app:custom"

# Upstream's routes and error shapes.
agent_curl /GetKey -H 'Content-Type: application/json' -d '{"path":"a","purpose":"b","algorithm":"rsa"}' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "unsupported algorithm status"
assert_eq "$(cat "$TMP/body")" "$(printf '{\n  "error": "Unsupported algorithm"\n}')" "error body"
agent_curl /GetQuote -H 'Content-Type: application/json' -d "{\"report_data\":\"$(printf '00%.0s' $(seq 65))\"}" >/dev/null
grep -q '"error": "Report data is too long"' "$TMP/body" || fail "65 bytes of report data"
agent_curl /Foo -H 'Content-Type: application/json' -d '{}' >/dev/null
grep -q '"error": "Service not found: Foo"' "$TMP/body" || fail "unknown method"
agent_curl /DstackGuest.GetKey -H 'Content-Type: application/json' -d '{}' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "package-qualified name"
for path in /prpc/GetKey / /GetKey/x; do
	agent_curl "$path" -H 'Content-Type: application/json' -d '{}' >/dev/null
	assert_eq "$(cat "$TMP/status")" 404 "status of $path"
done
agent_curl /GetKey -X PUT -H 'Content-Type: application/json' -d '{}' >/dev/null
assert_eq "$(cat "$TMP/status")" 404 "PUT"
agent_curl /GetKey -H 'Content-Type: application/json' -d '{"path":' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "bad JSON"
agent_curl /GetKey -H 'Content-Type: application/json' -d '{"path":1}' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "wrong type"
agent_curl /GetKey -d '{}' >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "no JSON content type"
agent_curl '/GetKey?json' -d '{"path":"/test"}' | grep -q 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d ||
	fail "?json"
agent_curl '/GetKey?path=%2Ftest&purpose=purpose' | grep -q '"044c2670fd19' || fail "GET query form"
agent_curl /Version | grep -q '"version":' || fail "GET /Version"
agent_curl /GetKey -X POST -H 'Content-Type: application/json' | grep -q aa221ae548b5a8f52fcb8687cfd873712f6a1232b2717e5ee3d58ab74f21905b ||
	fail "bodiless POST is the empty path"
head -c 70000 /dev/zero | tr '\0' 'a' >"$TMP/big"
# A client that asks before sending gets the verdict without sending the body.
agent_curl /GetKey -H 'Content-Type: application/json' -H 'Expect: 100-continue' \
	--data-binary @"$TMP/big" >/dev/null
assert_eq "$(cat "$TMP/status")" 400 "oversized body"
grep -q "payload too large" "$TMP/body" || fail "oversized body message"
# One that pushes it anyway may find the connection closed under it; either
# way nothing of it is served and the agent goes on answering.
agent_curl /GetKey -H 'Content-Type: application/json' -H 'Expect:' \
	--data-binary @"$TMP/big" >/dev/null 2>&1 || true
case "$(cat "$TMP/status")" in 400 | 000) ;; *) fail "pushed oversized body: $(cat "$TMP/status")" ;; esac
agent_curl /Version | grep -q '"version":' || fail "agent gone after an oversized body"
pass "routes and error shapes"

stop_agent
grep -q "shutting down" "$TMP/agent.err" || fail "no shutdown log"
grep -qi "d6e88992\|PRIVATE" "$TMP/agent.err" && fail "secret in the log"
stop_simulator
pass "SIGTERM: exit 0, socket removed"
