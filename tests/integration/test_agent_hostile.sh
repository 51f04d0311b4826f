#!/usr/bin/env bash
# The guest-agent client against a deliberately hostile agent: every doubtful
# answer is a clear error (exit 1), and no key, unverified signature or
# verdict reaches stdout or a file (spec guest-agent-api.md 9.3, 10).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/agent_mocks.sh"

mkdir "$TMP/hostile"
python3 "$MOCKS/hostile_agent.py" "$TMP/hostile" &
CLEANUP_HOOKS+=("kill $!")
wait_for "$TMP/hostile/ready"
KEY_HEX=5659d67867ac5487dc181b88d96abf4749728a6282100684d48a04a304e5a06d

# accepts SCENARIO: well-formed HTTP, however framed, gives the key.
accepts() {
	expect_exit 0 "$UTIL" agent-key -e "$TMP/hostile/$1.sock" -t 5 /p
	assert_eq "$(json_get "$TMP/out" key)" "$KEY_HEX" "key from scenario $1"
}

# rejects SCENARIO MESSAGE [TIMEOUT]: exit 1 with MESSAGE, no key anywhere.
rejects() {
	rm -f "$TMP/key.json"
	expect_error "$2" "$UTIL" agent-key -e "$TMP/hostile/$1.sock" -t "${3:-5}" /p
	[ -s "$TMP/out" ] && fail "scenario $1 printed something"
	expect_error "$2" "$UTIL" agent-key -e "$TMP/hostile/$1.sock" -t "${3:-5}" -o "$TMP/key.json" /p
	[ -e "$TMP/key.json" ] && fail "scenario $1 left a key file"
	grep -q "$KEY_HEX" "$TMP/err" && fail "scenario $1 put the key into the error"
	pass "rejects $1"
}

for s in ok ok_no_length ok_chunked ok_http10; do accepts "$s"; done
pass "well-formed answers"

rejects status_500 "guest agent answered HTTP status 500"
rejects status_201 "guest agent answered HTTP status 201"
rejects status_299 "guest agent answered HTTP status 299"
rejects status_reason_200 "guest agent answered HTTP status 500"
rejects status_2000 "Unsupported response code in HTTP response"
grep -qF "dstack guest-agent request POST /GetKey to $TMP/hostile/status_2000.sock failed" "$TMP/err" ||
	fail "the error does not name the socket"
rejects status_missing "Unsupported HTTP version in response"
rejects status_http09 "Received HTTP/0.9 when not allowed"
rejects status_400_error "guest agent answered HTTP status 400: Unsupported algorithm"
rejects status_400_escape "guest agent answered HTTP status 400: evil?[2J?Forged: line"
grep -q $'\e' "$TMP/err" && fail "an escape character reached stderr"
grep -q '^Forged' "$TMP/err" && fail "the agent forged a line on stderr"
rejects status_404_html "guest agent answered HTTP status 404"

rejects truncated_body "transfer closed with 170 bytes remaining to read"
rejects short_length "invalid JSON"
rejects no_separator "Empty reply from server"
rejects close_silently "Empty reply from server"
rejects chunked_bad "Illegal or missing hexadecimal sequence in chunked-encoding"
rejects huge_header "dstack guest-agent request POST /GetKey"
rejects oversized "larger than 65536 bytes"
rejects huge_unbounded "larger than 65536 bytes"

start=$(date +%s)
rejects slow_drip "Timeout was reached" 1
rejects stall "Timeout was reached" 1
[ $(($(date +%s) - start)) -lt 15 ] || fail "timeouts took too long"

rejects bad_json "invalid JSON"
rejects trailing_garbage "invalid JSON"
rejects duplicate_key "invalid JSON"
rejects not_object "not an object"
rejects empty_body "invalid JSON"
rejects missing_key 'member "key" is missing'
rejects key_not_string 'member "key" is not a string'
rejects nonhex_key 'member "key" is not valid hex'
rejects odd_key 'member "key" is not valid hex'
rejects short_key "returned 2 secret byte(s) (need 32) - failing closed"
rejects zero_key "returned an all-zero secret - failing closed"
rejects long_key "returned 33 secret bytes (expected 32) - failing closed"
rejects invalid_utf8 "invalid JSON"
rejects missing_chain 'member "signature_chain" is missing'

# Sign: only a signature that verifies with the answer's key comes out.
MSG=74657374206d657373616765
ED_PUB=698f56bd587d8ce3ca8db0e1c361ba9d190089f98dc4d9df800ff92ed073a65d
ED_SIG=7247b9514be1a72b9cb24334be3adab386901b69e434a66570fa3b8560c64c6f43c3f9fa03de5d676efd98554f15764f15efe69b64d1f77e99735ea509fb3d0c
expect_exit 0 "$UTIL" agent-sign -e "$TMP/hostile/sign_ok.sock" ed25519 "$MSG"
assert_eq "$(json_get "$TMP/out" signature)" "$ED_SIG" "signature from a well-formed answer"
# sign_rejects SCENARIO MESSAGE [DATA]: exit 1 with MESSAGE, nothing printed.
sign_rejects() {
	expect_error "$2" "$UTIL" agent-sign -e "$TMP/hostile/$1.sock" -t 5 ed25519 "${3:-$MSG}"
	[ -s "$TMP/out" ] && fail "scenario $1 printed something"
	pass "agent-sign rejects $1"
}
sign_rejects sign_ok "the signature does not verify with the returned public key" "${MSG}00"
sign_rejects sign_bad_hex 'member "signature" is not valid hex'
sign_rejects sign_short 'member "signature" is 63 bytes, expected 64'
sign_rejects sign_forged "the signature does not verify with the returned public key"
sign_rejects sign_other_key "the signature does not verify with the returned public key"
sign_rejects sign_chain "signature_chain[0] is not the signature"
sign_rejects sign_not_found "guest agent answered HTTP status 400: Service not found: Sign"
sign_rejects oversized "larger than 65536 bytes"
sign_rejects missing_key 'member "signature" is missing'

# Verify: the agent's verdict must agree with the local check.
expect_error "says the signature is valid, but it is invalid" \
	"$UTIL" agent-verify -e "$TMP/hostile/verify_lies.sock" ed25519 "${MSG}00" "$ED_SIG" "$ED_PUB"
[ -s "$TMP/out" ] && fail "a lying agent's verdict was printed"
expect_exit 0 "$UTIL" agent-verify -e "$TMP/hostile/verify_lies.sock" ed25519 "$MSG" "$ED_SIG" "$ED_PUB"
expect_error 'member "valid" is not a boolean' \
	"$UTIL" agent-verify -e "$TMP/hostile/verify_string.sock" ed25519 "$MSG" "$ED_SIG" "$ED_PUB"
expect_error "guest agent answered HTTP status 500" \
	"$UTIL" agent-verify -e "$TMP/hostile/status_500.sock" ed25519 "$MSG" "$ED_SIG" "$ED_PUB"
pass "agent-verify rejects verdicts it cannot confirm"

# Attest: only a decodable attestation binding the report data.
expect_error 'member "attestation" is not a dstack TDX attestation' \
	"$UTIL" agent-attest -e "$TMP/hostile/attest_garbage.sock" 00
expect_error 'member "attestation" is empty' "$UTIL" agent-attest -e "$TMP/hostile/attest_empty.sock"
expect_error 'member "attestation" is missing' "$UTIL" agent-attest -e "$TMP/hostile/ok.sock" -o "$TMP/att.json"
[ -e "$TMP/att.json" ] && fail "a rejected attestation left a file"
pass "agent-attest rejects what it cannot check"
