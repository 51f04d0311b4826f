#!/usr/bin/env bash
# setup with the none provider on an unencrypted ext4 disk (a loop device):
# measurements in HEAD's order, notifications, files, the second boot that
# mounts the same filesystem, and a refused re-run within one boot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/setup_env.sh"

truncate -s 64M "$TMP/disk.img"
LOOP=$(losetup -f --show "$TMP/disk.img")
CLEANUP_HOOKS+=("umount '$MNT' 2>/dev/null; losetup -d $LOOP")
echo "console=ttyS0 dstack.storage_encrypted=off dstack.storage_fs=EXT4" >"$DSTACK_CMDLINE_FILE"
start_host_api
write_share none '[]' ',"allowed_envs":["A"]'

new_boot
expect_exit 0 run_setup "$LOOP"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["app_id"]) == 40' "$TMP/out" \
	|| fail "setup did not print the app info JSON"
assert_eq "$(runtime_events)" \
	"system-preparing app-id compose-hash gpu-policy-hash instance-id boot-mr-done key-provider storage-fs system-ready" \
	"runtime events in HEAD's order"
assert_eq "$(runtime_payload key-provider)" '{"name":"none","id":""}' "key-provider payload"
assert_eq "$(runtime_payload storage-fs)" "ext4" "storage-fs payload"
assert_eq "$(sim_rtmr3)" "$(replay_rtmr3)" "RTMR3 equals the replayed runtime log"
notifications >"$TMP/notes"
grep -qx "boot.progress=requesting app keys" "$TMP/notes" || fail "no 'requesting app keys'"
grep -qx "boot.progress=initializing data disk" "$TMP/notes" || fail "no 'initializing data disk'"
grep -q '^instance.info={"instance_id_seed":"[0-9a-f]\{40\}","instance_id":"[0-9a-f]\{40\}","app_id":"[0-9a-f]\{40\}"}$' \
	"$TMP/notes" || fail "instance.info payload"
assert_eq "$(tail -n 1 "$TMP/notes")" "boot.progress=data disk ready" "last notification"
for f in .host-shared/.appkeys.json .host-shared/.decrypted-env .host-shared/.decrypted-env.json agent.json; do
	assert_eq "$(stat -c %a "$WORK/$f")" 600 "mode of $f"
done
assert_eq "$(cat "$WORK/.host-shared/.decrypted-env.json")" "{}" "empty env"
assert_eq "$(readlink "$WORK/app-compose.json")" ".host-shared/app-compose.json" "app-compose link"
assert_eq "$(readlink "$WORK/user_config")" ".host-shared/.user-config" "user_config link"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == {"default":{"core":{"data_disks":["/",sys.argv[2]]}}}' \
	"$WORK/agent.json" "$MNT" || fail "agent.json content"
mountpoint -q "$MNT" || fail "data disk not mounted"
echo "boot one" >"$MNT/proof"
pass "first boot: none provider, ext4 created and mounted"

expect_error "reboot the CVM" run_setup "$LOOP"
pass "a second run in the same boot is refused before measuring"
umount "$MNT"

new_boot
expect_exit 0 run_setup "$LOOP"
assert_eq "$(cat "$MNT/proof")" "boot one" "the file of boot one"
grep -qx "boot.progress=mounting data disk" <(notifications) || fail "no 'mounting data disk'"
umount "$MNT"
pass "second boot: the same ext4 filesystem is checked and mounted"

# Swap (HEAD, ext4): MNT/swapfile made with upstream's commands, mode 0600;
# a link planted there is removed, never followed. mkswap is the real one;
# swapon is a stub that logs (the host's swap is not the test's to change).
mkdir -p "$TMP/stubs"
printf '#!/bin/sh\necho "swapon $*" >>"%s"\nexit ${SWAPON_EXIT:-0}\n' "$TMP/swapon.log" >"$TMP/stubs/swapon"
chmod 755 "$TMP/stubs/swapon"
swap_setup() { PATH="$TMP/stubs:$PATH" run_setup "$LOOP"; }
echo "not a swap file" >"$TMP/victim"
mount "$LOOP" "$MNT" && ln -s "$TMP/victim" "$MNT/swapfile" && umount "$MNT"
write_share none '[]' ',"allowed_envs":["A"],"swap_size":"1M"'
new_boot
expect_exit 0 swap_setup
[ -L "$MNT/swapfile" ] && fail "the planted link is still there"
assert_eq "$(stat -c '%a %s' "$MNT/swapfile")" "600 1048576" "swap file mode and size"
assert_eq "$(dd if="$MNT/swapfile" bs=1 skip=4086 count=10 status=none)" "SWAPSPACE2" "mkswap signature"
assert_eq "$(cat "$TMP/victim")" "not a swap file" "the link's target"
assert_eq "$(cat "$TMP/swapon.log")" "swapon $MNT/swapfile
swapon --show" "swapon calls"
grep -q "Creating swapfile at $MNT/swapfile (size 1048576 bytes)" "$TMP/err" || fail "no swap log line"
assert_eq "$(runtime_events)" \
	"system-preparing app-id compose-hash gpu-policy-hash instance-id boot-mr-done key-provider storage-fs system-ready" \
	"runtime events with swap"
umount "$MNT"
pass "swap_size 1M: a 0600 swap file made and enabled, a planted link not followed"

write_share none '[]' ',"allowed_envs":["A"]'
new_boot
expect_exit 0 swap_setup
[ -e "$MNT/swapfile" ] && fail "swap file left with swap_size 0"
umount "$MNT"
pass "swap_size 0 removes the swap file of an earlier boot"

write_share none '[]' ',"allowed_envs":["A"],"swap_size":1048576'
new_boot
SWAPON_EXIT=1 expect_error "Failed to enable swap on swapfile" swap_setup
notified "^boot.error=.*swapon exited with 1" || fail "no boot.error for a failed swapon"
case " $(runtime_events) " in *" system-ready "*) fail "system-ready despite a failed swap" ;; esac
umount "$MNT"
write_share none '[]' ',"allowed_envs":["A"],"swap_size":"2T"'
new_boot
expect_error "more than 1 TiB" swap_setup
case " $(runtime_events) " in *" storage-fs "*) fail "the disk step ran despite a bad swap_size" ;; esac
mountpoint -q "$MNT" && fail "mounted despite a bad swap_size"
write_share none '[]' ',"allowed_envs":["A"]'
pass "a failed swapon aborts setup; an absurd swap_size is refused before the disk is touched"

# A disk that holds something else is never formatted.
umount "$MNT" 2>/dev/null || true
dd if=/dev/urandom of="$LOOP" bs=1k count=4 conv=notrunc status=none
new_boot
expect_error "refusing to format it" run_setup "$LOOP"
pass "a foreign disk is an error, never formatted"

echo "dstack.storage_fs=btrfs" >"$DSTACK_CMDLINE_FILE"
new_boot
expect_error "invalid dstack.storage_fs value" run_setup "$LOOP"
echo "dstack.storage_encrypted=0" >"$DSTACK_CMDLINE_FILE"
new_boot
expect_error "storage_fs is zfs but the zpool" run_setup "$LOOP"
pass "storage options: bad values and a missing zfs are clear errors"

# Hostile host files: a symlink, an oversized optional file.
echo "dstack.storage_encrypted=0 dstack.storage_fs=ext4" >"$DSTACK_CMDLINE_FILE"
mv "$SHARE/.sys-config.json" "$TMP/sys-config.json"
ln -s "$TMP/sys-config.json" "$SHARE/.sys-config.json"
new_boot
expect_error ".sys-config.json" run_setup "$LOOP"
[ -s "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" ] && fail "measured despite a symlinked sys-config"
rm "$SHARE/.sys-config.json" && mv "$TMP/sys-config.json" "$SHARE/.sys-config.json"
head -c 10241 /dev/zero | tr '\0' ' ' >"$SHARE/.instance_info"
new_boot
expect_error ".instance_info" run_setup "$LOOP"
rm "$SHARE/.instance_info"
pass "a symlinked or oversized host-shared file is refused before anything is measured"
stop_simulator
