#!/usr/bin/env bash
# quote and report: report data binding, the v4 layout, concurrent quotes,
# and the errors for bad input and a missing TDX interface.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"

# Without any TDX interface: a clear error, nothing on stdout.
export DCAP_TDX_QUOTE_CONFIGFS_PATH="$TMP/no-simulator/com.intel.dcap"
head -c 64 /dev/zero >"$TMP/zero64"
expect_error "Failed to get quote" "$UTIL" quote <"$TMP/zero64"
# As upstream, platform detection comes first (spec 8.4: detection error).
grep -q "Unsupported platform: Dstack(-tdx/-amd-sev-snp)" "$TMP/err" ||
	fail "missing simulator: unclear cause"
[ ! -s "$TMP/out" ] || fail "a failed quote wrote to stdout"
export DCAP_TDX_QUOTE_CONFIGFS_PATH=""
# An empty override means "no TDX" to platform detection (spec 1.7).
expect_error "Unsupported platform" "$UTIL" quote <"$TMP/zero64"
if [ ! -e /dev/tdx_guest ]; then
	expect_error "Failed to get report" "$UTIL" report <"$TMP/zero64"
	grep -q "device failure: open /dev/tdx_guest: No such file or directory (os error 2)" "$TMP/err" ||
		fail "report without a device: unclear cause"
fi
unset DCAP_TDX_QUOTE_CONFIGFS_PATH
pass "no TDX interface"

start_simulator

# Report data must be exactly 64 bytes, checked before any quote.
gen_before=$(cat "$SIM_MNT/com.intel.dcap/generation")
for n in 0 63 65 200; do
	head -c "$n" /dev/zero >"$TMP/in"
	expect_error "report data must be exactly 64 bytes (received $(( n > 65 ? 65 : n )))" "$UTIL" quote <"$TMP/in"
	[ ! -s "$TMP/out" ] || fail "a rejected quote wrote to stdout"
done
expect_error "Failed to read report data" "$UTIL" report </dev/null
grep -q "failed to fill whole buffer" "$TMP/err" || fail "short report data: unclear cause"
assert_eq "$(cat "$SIM_MNT/com.intel.dcap/generation")" "$gen_before" "bad input must not reach the TEE"
pass "bad report data"

head -c 64 /dev/urandom >"$TMP/rd"
"$UTIL" quote <"$TMP/rd" >"$TMP/quote"
assert_eq "$(quote_hex "$TMP/quote" 0 2)" "0400" "quote version"
assert_eq "$(quote_hex "$TMP/quote" 4 8)" "81000000" "TEE type"
assert_eq "$(quote_hex "$TMP/quote" 568 632)" "$(file_hex "$TMP/rd")" "report data at 568..632"
assert_eq "$(quote_hex "$TMP/quote" 184 232)" "$(printf '11%.0s' $(seq 48))" "MRTD"
assert_eq "$(quote_hex "$TMP/quote" 376 424)" \
	"274c2344116db7c663470693b5ba62b8621eac28cb41d2f816ddf188f9f423f900a1c44d32386fd3c993dc814e62af9d" "RTMR0"
cmp -s "$TMP/quote" "$SIM_MNT/com.intel.dcap/outblob" || fail "quote differs from outblob"
pass "quote binds the report data"

# Concurrent quotes from separate processes each get their own report data.
for p in $(seq 6); do
	( for i in 1 2 3; do
		python3 -c 'import sys; sys.stdout.buffer.write(bytes([int(sys.argv[1])]) * 64)' "$p$i" >"$TMP/rd.$p.$i"
		"$UTIL" quote <"$TMP/rd.$p.$i" >"$TMP/q.$p.$i" || exit 1
	done ) &
done
wait_workers "concurrent quotes"
for p in $(seq 6); do
	for i in 1 2 3; do
		assert_eq "$(quote_hex "$TMP/q.$p.$i" 568 632)" "$(file_hex "$TMP/rd.$p.$i")" "concurrent quote $p.$i"
	done
done
pass "concurrent quotes"

stop_simulator
