#!/usr/bin/env bash
# agent-key, agent-quote, agent-info, agent-event, agent-version against the
# mock guest agent (spec guest-agent-api.md 2, vectors of 11.3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/agent_mocks.sh"

SOCK="$TMP/dstack.sock" OLD="$TMP/old.sock"
start_agent_mock "$SOCK" --log "$TMP/new.log"
start_agent_mock "$OLD" --old --log "$TMP/old.log"
start_agent_mock "" --tcp "$TMP/port"
wait_for "$SOCK"; wait_for "$OLD"; wait_for "$TMP/port"
unset DSTACK_SIMULATOR_ENDPOINT
KEY=("$UTIL" agent-key -e "$SOCK")

# key_is PATH PURPOSE ALGORITHM EXPECTED_KEY
key_is() {
	expect_exit 0 "${KEY[@]}" -p "$2" -a "$3" -- "$1"
	assert_eq "$(json_get "$TMP/out" key)" "$4" "key of '$1' ($3)"
}
key_is "" "" secp256k1 aa221ae548b5a8f52fcb8687cfd873712f6a1232b2717e5ee3d58ab74f21905b
key_is / test secp256k1 f6c1ed94488394d78e0a4e5ab75d62e9f085d73b0b555d0614fb90ca13d9464d
key_is /test purpose k256 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d
key_is vms signing secp256k1 1091a4d6721f6a719ca57320e4975f7e237649131111ee1c5032f661dc1cfef2
key_is /test/path test-purpose "" b9fbb7171185c421c58610a2acba8ceae93623ae47815618cbad1e98fc042cb7
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["signature_chain"][0])' "$TMP/out")" \
	f50c51735a97072f0c98125ed61fc84e2fdb36e95990b9e57337dadc0e2a9712227f04e07209faecb8891d59ec144a6c13e411dc90b3423f28071bd3fe11978d01 \
	"sig_app of /test/path"
grep -q '"content_type": "application/json"' "$TMP/new.log" || fail "no JSON content type sent"
grep -vq '"content_type": "application/json"' "$TMP/new.log" && fail "a request without JSON content type"
pass "GetKey vectors"

# ed25519 needs the Version probe: a new agent answers, an old one is never asked.
key_is / test ed25519 f6c1ed94488394d78e0a4e5ab75d62e9f085d73b0b555d0614fb90ca13d9464d
expect_error 'algorithm "ed25519" is not supported: OS version too old' "$UTIL" agent-key -e "$OLD" -a ed25519 /
[ -s "$TMP/out" ] && fail "output after a refused algorithm"
grep -q '"GetKey"' "$TMP/old.log" && fail "GetKey was sent to an agent without Version"
expect_exit 0 "$UTIL" agent-key -e "$OLD" /
assert_eq "$(json_get "$TMP/out" key)" f6c1ed94488394d78e0a4e5ab75d62e9f085d73b0b555d0614fb90ca13d9464d "old agent key"
expect_error "guest agent answered HTTP status 400: Unsupported algorithm" "${KEY[@]}" -a rsa /
[ -s "$TMP/out" ] && fail "output after an error"
pass "algorithms and the Version probe"

# The path is JSON-escaped byte for byte; invalid UTF-8 is refused.
expect_exit 0 "${KEY[@]}" 'weird"id\path'
grep -qF '{\"path\":\"weird\\\"id\\\\path\",' "$TMP/new.log" || fail "quote and backslash not escaped"
expect_exit 0 "${KEY[@]}" $'a\nb\tc\001d/ключ'
grep -qF '\"path\":\"a\\nb\\tc\\u0001d/\u043a\u043b\u044e\u0447\"' "$TMP/new.log" || fail "controls not escaped"
assert_eq "$(json_get "$TMP/out" key)" \
	"$(python3 -c 'import hmac,hashlib,sys
k=bytes.fromhex("d6e88992cdeeee35fe70b5db61ab66cdb191fb9b6ec9313757ef162dd7214d5d")
p=hmac.new(b"RATLS",k,hashlib.sha256).digest()
print(hmac.new(p,"a\nb\tc\001d/ключ".encode()+b"\x01",hashlib.sha256).hexdigest())')" "key of an escaped path"
expect_error "must be valid UTF-8" "${KEY[@]}" $'\xff'
pass "path escaping"

# -o: a 0600 file, nothing on stdout; a failure leaves no file.
expect_exit 0 "${KEY[@]}" -o "$TMP/key.json" /test
[ -s "$TMP/out" ] && fail "key printed although -o was given"
assert_eq "$(stat -c %a "$TMP/key.json")" 600 "key file mode"
assert_eq "$(json_get "$TMP/key.json" key)" 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d "key file"
expect_error "Failed to get the key" "${KEY[@]}" -o "$TMP/no/such/dir/key" /test
expect_error "Unsupported algorithm" "${KEY[@]}" -a rsa -o "$TMP/bad.json" /test
[ -e "$TMP/bad.json" ] && fail "a file after a failed call"
pass "agent-key -o"

# --expand: SHAKE256(label || key), checked against Python's hashlib.
expect_exit 0 "${KEY[@]}" -x myapp/signing/v1 -n 48 /test
assert_eq "$(json_get "$TMP/out" derived)" \
	"$(python3 -c 'import hashlib; print(hashlib.shake_256(b"myapp/signing/v1"+bytes.fromhex("5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d")).hexdigest(48))')" \
	"expanded key"
grep -q 5659d678 "$TMP/out" && fail "--expand printed the raw key"
expect_exit 2 "${KEY[@]}" -n 16 /test
expect_exit 2 "${KEY[@]}" -x "" /test
expect_exit 2 "${KEY[@]}" -x l -n 0 /test
expect_exit 2 "${KEY[@]}" -x l -n 1025 /test
pass "agent-key --expand"

# Endpoint resolution: the environment, http:// URLs, empty and missing.
DSTACK_SIMULATOR_ENDPOINT="$SOCK" expect_exit 0 "$UTIL" agent-key /
DSTACK_SIMULATOR_ENDPOINT="http://127.0.0.1:$(cat "$TMP/port")/" expect_exit 0 "$UTIL" agent-key /test
assert_eq "$(json_get "$TMP/out" key)" 5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d "key over TCP"
DSTACK_SIMULATOR_ENDPOINT="" expect_error "DSTACK_SIMULATOR_ENDPOINT is set but empty" "$UTIL" agent-key /
expect_error "Unix socket file $TMP/none.sock does not exist" "$UTIL" agent-key -e "$TMP/none.sock" /
: >"$TMP/plain-file"
expect_error "dstack guest-agent request POST /GetKey to $TMP/plain-file failed" "$UTIL" agent-key -e "$TMP/plain-file" /
expect_exit 2 "${KEY[@]}" -t 0 /
expect_exit 2 "${KEY[@]}" -t 1x /
expect_exit 2 "${KEY[@]}"
pass "endpoints"

# agent-quote: report data right-padded, in the answer and in the quote.
PADDED="74657374$(printf '0%.0s' $(seq 120))"
expect_exit 0 "$UTIL" agent-quote -e "$SOCK" 74657374
assert_eq "$(json_get "$TMP/out" report_data)" "$PADDED" "report_data"
assert_eq "$(json_get "$TMP/out" quote | cut -c1137-1264)" "$PADDED" "report data inside the quote"
python3 -c 'import json,sys; assert isinstance(json.loads(json.load(open(sys.argv[1]))["event_log"]), list)' "$TMP/out" ||
	fail "event_log is not a JSON array"
expect_exit 0 "$UTIL" agent-quote -e "$SOCK"
assert_eq "$(json_get "$TMP/out" report_data)" "$(printf '0%.0s' $(seq 128))" "default report data"
expect_exit 0 "$UTIL" agent-quote -e "$SOCK" -o "$TMP/quote.json" 0x01
assert_eq "$(json_get "$TMP/quote.json" report_data | cut -c1-4)" 0100 "quote -o"
expect_error "report data is 65 bytes, at most 64 are allowed" "$UTIL" agent-quote -e "$SOCK" "$(printf 'ab%.0s' $(seq 65))"
expect_exit 2 "$UTIL" agent-quote -e "$SOCK" xyz
expect_exit 2 "$UTIL" agent-quote -e "$SOCK" 1 2
pass "agent-quote"

expect_exit 0 "$UTIL" agent-info -e "$SOCK"
assert_eq "$(json_get "$TMP/out" app_id)" 5bb4ff9a3837357f19dc176407a5709c62eb6c56 "app_id"
assert_eq "$(json_get "$TMP/out" compose_hash)" c143116fef3940e7f776bfc0919c256232ae5338a6e948c96b711e0b2383483a "compose_hash"
assert_eq "$(json_get "$TMP/out" cloud_vendor)" QEMU "cloud_vendor"
expect_exit 0 "$UTIL" agent-info -e "$OLD"
assert_eq "$(json_get "$TMP/out" cloud_vendor)" "" "cloud_vendor of an old agent"
expect_exit 2 "$UTIL" agent-info -e "$SOCK" extra
pass "agent-info"

expect_exit 0 "$UTIL" agent-version -e "$SOCK"
assert_eq "$(json_get "$TMP/out" version)" 0.5.8 "version"
expect_error "Service not found: Version" "$UTIL" agent-version -e "$OLD"
pass "agent-version"

expect_exit 0 "$UTIL" agent-event -e "$OLD" my-event 0xc0ffee
grep -qF '{\"event\":\"my-event\",\"payload\":\"c0ffee\"}' "$TMP/old.log" || fail "event not sent"
[ -s "$TMP/out" ] && fail "agent-event printed something"
expect_error "cannot emit events (EmitEvent was removed after 0.5.11)" "$UTIL" agent-event -e "$SOCK" my-event
expect_error "event name cannot be empty" "$UTIL" agent-event -e "$OLD" ""
expect_exit 2 "$UTIL" agent-event -e "$OLD" name nothex
expect_exit 2 "$UTIL" agent-event -e "$OLD"
pass "agent-event"
