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

# Swap needs the encrypted disk: on this plaintext one it would put guest
# memory, keys included, where the host reads it. Refused, like an absurd
# size, before the disk is touched. (Swap itself runs in the VM test and in
# tests/unit/test_setup_storage.c.)
for size in '"1M"' '"2T"'; do
	write_share none '[]' ',"allowed_envs":["A"],"swap_size":'"$size"
	new_boot
	case $size in
	*1M*) expect_error "swap_size needs an encrypted data disk" run_setup "$LOOP" ;;
	*) expect_error "more than 1 TiB" run_setup "$LOOP" ;;
	esac
	notified "^boot.error=" || fail "no boot.error for swap_size $size"
	case " $(runtime_events) " in *" storage-fs "*) fail "the disk step ran with swap_size $size" ;; esac
	mountpoint -q "$MNT" && fail "mounted with swap_size $size"
done
write_share none '[]' ',"allowed_envs":["A"]'
pass "swap_size on a plaintext disk, and an absurd swap_size, are refused before the disk is touched"

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
