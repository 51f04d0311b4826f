#!/usr/bin/env bash
# setup in a real Linux guest (device-mapper present): boot 0 is killed
# inside mkfs and must leave the disk blank (the LUKS header is written only
# after the filesystem exists); boot 1 formats the
# LUKS2 disk with keys from the mock KMS on the host, creates ext4, mounts it
# and writes a file; boot 2 reopens the same disk with the same KMS keys (the
# recorded instance.info fed back, as the VMM does) and finds the file; a
# tampered header (three ways) and a wrong key are refused with the disk
# left intact.
# app-compose asks for swap_size 16M: both boots must leave an active 0600
# swap file.
. "$(dirname "$0")/lib.sh"
. "$DS_SOURCE_DIR/tests/integration/setup_env.sh"

CTL="$TMP/ctl"
mkdir -p "$CTL" "$SHARE"
cp "$FIXTURES/ccel.bin" "$CTL/ccel.bin"
printf '{"mock_attestation_seed":"%s"}' \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" >"$CTL/sim.json"
start_host_api
HOST_API_URL="http://10.0.2.2:$(cat "$TMP/host-api.port")/api"
start_kms good
KMS_GUEST="https://10.0.2.2:${KMS_URL##*:}"
start_kms other
OTHER_GUEST="https://10.0.2.2:${KMS_URL##*:}"
truncate -s 96M "$TMP/disk.img"

cat >"$CTL/scenario.sh" <<'SCENARIO'
set -e
export DCAP_TDX_QUOTE_CONFIGFS_PATH=/sim/com.intel.dcap
export DCAP_TDX_RTMR_SYSFS_PATH=/sim/com.intel.dcap/measurements
export DSTACK_CCEL_FILE=/sim/com.intel.dcap/ccel
export DSTACK_CMDLINE_FILE=/testctl/cmdline
[ -f /testctl/rust_log ] && export RUST_LOG=$(cat /testctl/rust_log)
mkdir -p /sim /run/sim
dstack-tee-simulator --ccel /testctl/ccel.bin --config /testctl/sim.json --mountpoint /sim \
	--runtime-dir /run/sim 2>/testctl/sim.err &
for i in $(seq 100); do grep -q "ready at" /testctl/sim.err && break; sleep 0.1; done
W=/var/volatile/dstack M=/var/volatile/dstack/persistent
if [ -f /testctl/kill_in_mkfs ]; then
	mkdir -p /tmp/killbin
	printf '#!/bin/sh\nkill -KILL $PPID\nsleep 10\n' >/tmp/killbin/mkfs.ext4
	chmod +x /tmp/killbin/mkfs.ext4
	export PATH=/tmp/killbin:$PATH
fi
rc=0
dstack-util setup --work-dir $W --device /dev/vda --mount-point $M >/testctl/setup.out 2>/testctl/setup.err || rc=$?
echo $rc >/testctl/setup.rc
[ $rc = 0 ] || exit 0
[ -f /testctl/write ] && cat /testctl/write >$M/proof
cat $M/proof >/testctl/proof 2>/dev/null || true
cat /proc/swaps >/testctl/swaps
stat -c '%a %s' $M/swapfile >/testctl/swapfile 2>/dev/null || true
[ ! -f $M/swapfile ] || swapoff $M/swapfile
sync
umount $M
SCENARIO
echo "console=ttyS0 dstack.storage_fs=ext4" >"$CTL/cmdline"
SWAP=',"swap_size":"16M"'
write_share kms "[\"$KMS_GUEST\"]" "$SWAP"

# boot_guest: one VM boot; SETUP_RC holds setup's exit status in the guest.
boot_guest() {
	: >"$HOST_LOG"
	vm_boot "$CTL" "$TMP/disk.img" "$SHARE" || fail "guest failed: $(cat "$CTL/guest.log")"
	SETUP_RC=$(cat "$CTL/setup.rc")
}
header_hash() { head -c 16M "$TMP/disk.img" | sha256sum; }
# The swap file was active in the guest, 0600 and 16 MiB.
assert_swap() {
	grep -q '^/var/volatile/dstack/persistent/swapfile[[:space:]]\+file[[:space:]]' "$CTL/swaps" ||
		fail "boot $1: swap file not active: $(cat "$CTL/swaps")"
	assert_eq "$(cat "$CTL/swapfile")" "600 16777216" "boot $1: swap file mode and size"
	rm -f "$CTL/swaps" "$CTL/swapfile"
}

# The benchmark (bench/setup.sh) keeps each boot's setup log here.
keep_log() { [ -z "${DS_VM_KEEP_DIR:-}" ] || cp "$CTL/setup.err" "$DS_VM_KEEP_DIR/boot$1.log"; }
[ -z "${DS_VM_KEEP_DIR:-}" ] || echo debug >"$CTL/rust_log"

touch "$CTL/kill_in_mkfs"
boot_guest
rm "$CTL/kill_in_mkfs"
assert_eq "$SETUP_RC" 137 "boot 0: setup killed in mkfs"
grep -q "Formatting encrypted disk" "$CTL/setup.err" || fail "boot 0 did not format"
grep -q "Writing the LUKS2 header" "$CTL/setup.err" && fail "boot 0 wrote the header before mkfs"
assert_eq "$(head -c 16M "$TMP/disk.img" | tr -d '\0' | wc -c)" 0 "boot 0: non-zero bytes in the header area"
pass "boot 0: setup killed inside mkfs leaves the disk without a LUKS header"

echo "written on boot one" >"$CTL/write"
boot_guest
keep_log 1
[ "$SETUP_RC" = 0 ] || { cat "$CTL/setup.err" >&2; fail "boot 1: setup exited $SETUP_RC"; }
assert_eq "$(cat "$CTL/proof")" "written on boot one" "boot 1 wrote the file"
assert_eq "$(head -c 4 "$TMP/disk.img")" "LUKS" "boot 1 formatted LUKS2"
grep -q "Formatting encrypted disk" "$CTL/setup.err" || fail "boot 1 did not format"
grep -q "Writing the LUKS2 header" "$CTL/setup.err" || fail "boot 1 did not write the header"
assert_swap 1
notifications | sed -n 's/^instance.info=//p' | tail -n 1 >"$SHARE/.instance_info"
[ -s "$SHARE/.instance_info" ] || fail "no instance.info recorded"
pass "boot 1: LUKS2 + ext4 created with KMS keys, file written, swap file active"

rm -f "$CTL/write" "$CTL/proof"
boot_guest
keep_log 2
[ "$SETUP_RC" = 0 ] || { cat "$CTL/setup.err" >&2; fail "boot 2: setup exited $SETUP_RC"; }
grep -q "Formatting encrypted disk" "$CTL/setup.err" && fail "boot 2 formatted again"
assert_eq "$(cat "$CTL/proof")" "written on boot one" "boot 2 found the file"
notified -x "boot.progress=mounting data disk" || fail "boot 2 did not report mounting"
grep -q "Removed existing swapfile" "$CTL/setup.err" || fail "boot 2 did not drop the old swap file"
assert_swap 2
pass "boot 2: the same disk reopened with the KMS keys, the file found, swap made again"

cp "$TMP/disk.img" "$TMP/good.img"
for tamper in null-cipher:"Invalid LUKS keyslot" keyslot-oob:"Invalid LUKS keyslot area" \
	extra-segment:"Invalid LUKS segments: expected exactly one"; do
	cp "$TMP/good.img" "$TMP/disk.img"
	python3 "$DS_SOURCE_DIR/tests/mocks/luks_tamper.py" "$TMP/disk.img" "${tamper%%:*}"
	before=$(header_hash)
	rm -f "$CTL/proof"
	boot_guest
	assert_eq "$SETUP_RC" 1 "${tamper%%:*}: setup exit status"
	grep -q "Failed to validate LUKS2 header" "$CTL/setup.err" || fail "${tamper%%:*}: no validation error"
	grep -q "${tamper#*:}" "$CTL/setup.err" || { cat "$CTL/setup.err" >&2; fail "${tamper%%:*} not reported"; }
	assert_eq "$(header_hash)" "$before" "${tamper%%:*}: header region after the boot"
	notified "^boot.error=" || fail "${tamper%%:*}: no boot.error"
done
pass "tampered headers (null cipher, keyslot area out of bounds, extra segment) are refused, the disk unchanged"

mv "$TMP/good.img" "$TMP/disk.img"
before=$(header_hash)
write_share kms "[\"$OTHER_GUEST\"]" "$SWAP"
boot_guest
assert_eq "$SETUP_RC" 1 "setup exit status with a wrong key"
grep -q "Failed to open encrypted data disk" "$CTL/setup.err" || { cat "$CTL/setup.err" >&2; fail "wrong key not reported"; }
assert_eq "$(header_hash)" "$before" "header region after the wrong-key boot"
pass "a wrong key is refused, the disk unchanged"
