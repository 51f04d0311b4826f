#!/usr/bin/env bash
# dstack-tee-simulator: its tree, modes and error rules, the boot RTMRs,
# quotes that verify against the published mock root (and only it), the
# safety refusals, and a clean unmount on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
HERE=$(dirname "$0")

expect_exit 0 "$SIM" --help
grep -q "NOT Intel-signed" "$TMP/out" || fail "--help does not say the quotes are not Intel-signed"
grep -q "DCAP_TDX_QUOTE_CONFIGFS_PATH=MNT/com.intel.dcap" "$TMP/out" || fail "--help lacks the env to export"
expect_exit 2 "$SIM" --config /dev/null
grep -q -- "--ccel <FILE> is required" "$TMP/err" || fail "missing --ccel not reported"
expect_exit 2 "$SIM" --no-such-flag
pass "usage"

# Bad configs fail before anything is mounted or published.
sim_bad_config() {
	printf '%s' "$1" >"$TMP/bad.json"
	expect_error "$2" "$SIM" --ccel "$FIXTURES/ccel.bin" --config "$TMP/bad.json" \
		--mountpoint "$TMP/badmnt" --runtime-dir "$TMP/badrun"
	[ ! -e "$TMP/badrun" ] || fail "a bad config still published a root"
	! is_mounted "$TMP/badmnt" || fail "a bad config still mounted"
}
sim_bad_config '{}' "mock_attestation_seed is required"
sim_bad_config '{"mock_attestation_seed":"00"}' "mock attestation seed must be 32 bytes"
sim_bad_config '{"mock_attestation_seed":"zz"}' "mock attestation seed must be hex"
sim_bad_config 'not json' "failed to parse"
sim_bad_config "{\"platform\":\"dstack-amd-sev-snp\",\"mock_attestation_seed\":\"$(printf '11%.0s' $(seq 32))\"}" \
	"unsupported platform"
sim_bad_config "{\"vm_config\":\"{\\\"tdx_measurement\\\":{}}\",\"mock_attestation_seed\":\"$(printf '11%.0s' $(seq 32))\"}" \
	"tdx_measurement is not supported"
sim_config
head -c 100 "$FIXTURES/ccel.bin" >"$TMP/short-ccel"
expect_error "failed to replay the CCEL" "$SIM" --ccel "$TMP/short-ccel" --config "$TMP/sim.json" \
	--mountpoint "$TMP/badmnt" --runtime-dir "$TMP/badrun2"
pass "bad configs and CCELs are refused"

start_simulator
E="$SIM_MNT/com.intel.dcap"
assert_eq "$(cd "$E" && ls | tr '\n' ' ')" "ccel generation inblob measurements outblob provider " "entry listing"
assert_eq "$(cd "$E/measurements" && ls | tr '\n' ' ')" \
	"rtmr0:sha384 rtmr1:sha384 rtmr2:sha384 rtmr3:sha384 " "measurements listing"
assert_eq "$(stat -c '%a %s' "$E/provider" "$E/inblob" "$E/generation" "$E/ccel" "$E/measurements/rtmr3:sha384" | tr '\n' ' ')" \
	"400 10 200 0 400 2 400 65536 600 48 " "modes and sizes"
assert_eq "$(stat -c '%a %Y' "$E" "$E/measurements" | tr '\n' ' ')" "755 0 755 0 " "directories"
assert_eq "$(cat "$E/provider")" "tdx_guest" "provider"
assert_eq "$(cat "$E/generation")" "0" "initial generation"
cmp -s "$E/ccel" "$FIXTURES/ccel.bin" || fail "ccel differs from the CCEL given"
assert_eq "$(file_hex "$E/measurements/rtmr0:sha384")" \
	"274c2344116db7c663470693b5ba62b8621eac28cb41d2f816ddf188f9f423f900a1c44d32386fd3c993dc814e62af9d" "boot RTMR0"
assert_eq "$(file_hex "$E/measurements/rtmr1:sha384")" \
	"bdcf4ee0f7fdfe7c73fbb19ded73193aee23a6726b86d3b282ea097cf4c9ed7a0db21b5c1ccd513e410d90e310836b26" "boot RTMR1"
assert_eq "$(file_hex "$E/measurements/rtmr3:sha384")" "$(printf '0%.0s' $(seq 96))" "boot RTMR3"
[ ! -e "$E/mrtd" ] || fail "there must be no mrtd file"
assert_eq "$(dd if="$E/ccel" bs=1 skip=65530 2>/dev/null | wc -c)" "6" "read at an offset"
assert_eq "$(dd if="$E/ccel" bs=1 skip=70000 2>/dev/null | wc -c)" "0" "read past the end"
pass "tree"

# Writes: exact sizes only; everything read-only refuses.
w() { python3 -c 'import os,sys; fd=os.open(sys.argv[1], os.O_WRONLY); os.write(fd, bytes(int(sys.argv[2])))' "$@"; }
expect_exit 0 w "$E/inblob" 64
assert_eq "$(cat "$E/generation")" "1" "generation after a quote request"
for n in 63 65; do
	expect_exit 1 w "$E/inblob" "$n"
	grep -q "Invalid argument" "$TMP/err" || fail "inblob write of $n: not EINVAL"
done
assert_eq "$(cat "$E/generation")" "1" "rejected writes do not advance the generation"
expect_exit 1 w "$E/measurements/rtmr0:sha384" 48
grep -q "Invalid argument" "$TMP/err" || fail "RTMR0 must not be extensible"
expect_exit 1 w "$E/measurements/rtmr3:sha384" 47
grep -q "Invalid argument" "$TMP/err" || fail "RTMR3 write of 47 bytes accepted"
expect_exit 1 w "$E/provider" 1
grep -q "Permission denied" "$TMP/err" || fail "provider write not EACCES"
expect_exit 0 w "$E/measurements/rtmr2:sha384" 48
assert_eq "$(file_hex "$E/measurements/rtmr2:sha384")" \
	"$(python3 -c 'import hashlib; print(hashlib.sha384(bytes(96)).hexdigest())')" "RTMR2 extended once"
: >"$E/inblob" || fail "truncating inblob must be allowed (shell redirection)"
expect_exit 1 truncate -s 5 "$E/inblob"
expect_exit 1 chmod 777 "$E/provider"
expect_exit 1 touch "$E/inblob"
expect_exit 1 mkdir "$SIM_MNT/x"
expect_exit 1 cat "$SIM_MNT/nope"
pass "write rules"

# The quote verifies against the published root, and only untampered.
R="$TMP/run/attestation"
assert_eq "$(stat -c '%a' "$R" "$R/tdx-root-ca.pem" "$R/roots.json" | tr '\n' ' ')" "700 600 600 " "root modes"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["tdx"] == sys.argv[2]' \
	"$R/roots.json" "$R/tdx-root-ca.pem" || fail "roots.json does not name the root"
head -c 64 /dev/urandom >"$TMP/rd"
"$UTIL" quote <"$TMP/rd" >"$TMP/quote"
mkdir "$TMP/work"
expect_exit 0 python3 "$HERE/check_quote.py" "$TMP/quote" "$R/tdx-root-ca.pem" "$TMP/work"
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[100]^=1; open(sys.argv[2],"wb").write(d)' \
	"$TMP/quote" "$TMP/tampered"
expect_exit 1 python3 "$HERE/check_quote.py" "$TMP/tampered" "$R/tdx-root-ca.pem" "$TMP/work"
grep -q "quote signature does not verify" "$TMP/err" || fail "tampered quote not caught"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Mock Intel SGX Root CA" \
	-keyout "$TMP/other.key" -out "$TMP/other.pem" -days 1 2>/dev/null
expect_exit 1 python3 "$HERE/check_quote.py" "$TMP/quote" "$TMP/other.pem" "$TMP/work"
pass "quotes verify against the mock root only"

# Same seed, same keys: a restart derives the same root key.
root_key() { openssl x509 -in "$1" -pubkey -noout; }
first_root=$(root_key "$R/tdx-root-ca.pem")

expect_error "refusing to mount the tdx simulator over an existing mount at $SIM_MNT" \
	"$SIM" --ccel "$FIXTURES/ccel.bin" --config "$TMP/sim.json" --mountpoint "$SIM_MNT" \
	--runtime-dir "$TMP/run2"
[ ! -e "$TMP/run2" ] || fail "a refused start published a root"
is_mounted "$SIM_MNT" || fail "the refused second mount disturbed the first"
pass "double mount refused"

stop_simulator
start_simulator
assert_eq "$(root_key "$R/tdx-root-ca.pem")" "$first_root" "root key after a restart"
assert_eq "$(cat "$SIM_MNT/com.intel.dcap/generation")" "0" "fresh state after a restart"
stop_simulator
pass "clean unmount on SIGTERM, deterministic root key"
