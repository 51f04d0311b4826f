#!/usr/bin/env bash
# setup with the local SGX key provider, played by the mock host API: the
# key request bound to a fresh X25519 key, the provider id measured and
# saved, the same disk key on a reboot with the same measurements, the
# key_provider_id pin, and every malformed provider answer refused before
# any key is saved or any disk is formatted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/setup_env.sh"

/usr/bin/python3 -c 'import nacl.public' 2>/dev/null || fail "python3-nacl is not installed"
start_host_api
MR=$(printf '%s' "dstack mock local key provider" | sha256sum | cut -c1-64)
truncate -s 64M "$TMP/disk.img"
LOOP=$(losetup -f --show "$TMP/disk.img")
CLEANUP_HOOKS+=("umount '$MNT' 2>/dev/null; losetup -d $LOOP")
echo "dstack.storage_encrypted=0 dstack.storage_fs=ext4" >"$DSTACK_CMDLINE_FILE"
APPKEYS="$WORK/.host-shared/.appkeys.json"
disk_key() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["disk_crypt_key"])' "$APPKEYS"; }
# What the VMM does with the instance.info notification of this boot.
save_instance_info() {
	notifications | sed -n 's/^instance\.info=//p' | tail -n 1 >"$SHARE/.instance_info"
	[ -s "$SHARE/.instance_info" ] || fail "no instance.info notification"
}

write_share local '[]'
new_boot
expect_exit 0 run_setup "$LOOP"
assert_eq "$(runtime_events)" \
	"system-preparing app-id compose-hash gpu-policy-hash instance-id boot-mr-done key-provider storage-fs system-ready" \
	"runtime events"
assert_eq "$(runtime_payload key-provider)" "{\"name\":\"local-sgx\",\"id\":\"$MR\"}" "key-provider payload"
assert_eq "$(sim_rtmr3)" "$(replay_rtmr3)" "RTMR3 equals the replayed runtime log"
grep -q "NOT verified" "$TMP/err" || fail "the unverified provider quote is not said"
assert_eq "$(stat -c %a "$APPKEYS")" 600 "mode of .appkeys.json"
python3 - "$APPKEYS" "$MR" <<'PY' || fail "app keys file"
import json, sys
k = json.load(open(sys.argv[1]))
assert list(k["key_provider"]) == ["Local"], k["key_provider"]
local = k["key_provider"]["Local"]
assert sorted(local) == ["key", "mr"] and local["mr"] == sys.argv[2], local
assert local["key"].startswith("-----BEGIN PRIVATE KEY-----\n"), "app key PEM"
assert len(k["disk_crypt_key"]) == 64 and k["env_crypt_key"] == "", k["env_crypt_key"]
PY
# The request: one TD quote whose report data is an X25519 key and 32 zeros.
python3 - "$HOST_LOG" <<'PY' || fail "GetSealingKey request"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if "GetSealingKey" in l]
assert len(reqs) == 1, len(reqs)
q = bytes.fromhex(json.loads(reqs[0]["body"])["quote"])
rd = q[568:632]
assert rd[32:] == bytes(32) and rd[:32] != bytes(32), rd.hex()
PY
KEY1=$(disk_key)
echo "boot one" >"$MNT/proof"
umount "$MNT"
pass "first boot: keys from the local provider, id = MRENCLAVE, measured and saved"

save_instance_info
new_boot
expect_exit 0 run_setup "$LOOP"
assert_eq "$(disk_key)" "$KEY1" "disk key on a reboot with the same measurements"
assert_eq "$(cat "$MNT/proof")" "boot one" "the file of boot one"
umount "$MNT"
pass "second boot with the same instance: the same disk key"

rm "$SHARE/.instance_info"
new_boot
expect_exit 0 run_setup "$LOOP"
[ "$(disk_key)" != "$KEY1" ] || fail "a new instance id (another RTMR3) gave the same disk key"
umount "$MNT"
pass "another instance id: another sealed seed, another disk key"

write_share local '[]' ",\"key_provider_id\":\"$(printf '%s' "$MR" | tr 0-9a-f 1-9a-f0)\""
new_boot
expect_error "Unexpected key provider id" run_setup "$LOOP"
[ -e "$APPKEYS" ] && fail "keys saved despite a wrong pin"
grep -q "key-provider" "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" && fail "a wrong provider was measured"
write_share local '[]' ",\"key_provider_id\":\"$MR\""
new_boot
expect_exit 0 run_setup "$LOOP"
umount "$MNT"
pass "key_provider_id: another MRENCLAVE is refused, the right one accepted"

# Malformed provider answers on a blank disk meant for encryption.
echo "" >"$DSTACK_CMDLINE_FILE"
truncate -s 64M "$TMP/enc.img"
before=$(sha256sum <"$TMP/enc.img")
write_share local '[]'
for mode in "bad-binding:does not bind the sealed key" "debug:runs in a debug enclave" \
	"tdx-quote:is not an SGX quote" "garbage-box:failed to open the sealed box" \
	"wrong-key:failed to open the sealed box" "short-seed:the sealed key is 16 bytes, expected 32"; do
	echo "${mode%%:*}" >"$SEALING_MODE"
	new_boot
	expect_error "${mode#*:}" run_setup "$TMP/enc.img"
	grep -q "Failed to get the sealing key from the local key provider" "$TMP/err" \
		|| fail "${mode%%:*}: no context in the error"
	[ -e "$APPKEYS" ] && fail "${mode%%:*}: app keys saved"
	grep -q "key-provider" "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" && fail "${mode%%:*}: provider measured"
	assert_eq "$(sha256sum <"$TMP/enc.img")" "$before" "disk bytes after ${mode%%:*}"
done
rm "$SEALING_MODE"
HOST_API_URL=http://127.0.0.1:1/api write_share local '[]'
new_boot
expect_error "Failed to get sealing key" run_setup "$TMP/enc.img"
[ -e "$APPKEYS" ] && fail "unreachable host API: app keys saved"
assert_eq "$(sha256sum <"$TMP/enc.img")" "$before" "disk bytes after an unreachable host API"
pass "bad binding, debug enclave, TDX quote, garbage box, wrong key, short seed, no host API: refused, nothing saved or formatted"
stop_simulator
