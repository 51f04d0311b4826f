#!/usr/bin/env bash
# setup with the KMS provider against mock RA-TLS KMSes: the key exchange,
# failover measured once, the server usage check, the key_provider_id pin,
# an unreachable KMS (disk untouched), the env envelope, hostile host files,
# and the encrypted path up to device-mapper (absent on this host).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/setup_env.sh"

start_host_api
start_kms good && KMS=$KMS_URL
start_kms bad --fail && BAD=$KMS_URL
start_kms nousage --usage '' && NOUSAGE=$KMS_URL
start_kms other --usage other:rpc && OTHER=$KMS_URL
ROOT_SPKI=$(cat "$TMP/kms-good/root-spki.hex")
truncate -s 64M "$TMP/disk.img"
LOOP=$(losetup -f --show "$TMP/disk.img")
CLEANUP_HOOKS+=("umount '$MNT' 2>/dev/null; losetup -d $LOOP")
plain_disk() { echo "dstack.storage_encrypted=0 dstack.storage_fs=ext4" >"$DSTACK_CMDLINE_FILE"; }
count() { grep -c "$1" "$2" || true; }

# App keys never travel in the clear: a plain http:// KMS URL is refused
# and no request goes out.
plain_disk
write_share kms "[\"${KMS/https:/http:}\"]"
new_boot
expect_error "KMS URL must be https://" run_setup "$LOOP"
! grep -qs GetAppKey "$TMP/kms-good/requests.log" || fail "GetAppKey went out over http"
expect_error "KMS URL must be https://" "$UTIL" get-keys -k "${KMS/https:/http:}"
pass "http:// KMS URLs are refused"

# Failover: the first KMS fails, the second answers; os-image-hash once.
plain_disk
write_share kms "[\"$BAD\",\"$KMS\"]" ',"allowed_envs":["GREETING"]'
new_boot
expect_exit 0 run_setup "$LOOP"
assert_eq "$(runtime_events)" \
	"system-preparing app-id compose-hash gpu-policy-hash instance-id boot-mr-done os-image-hash key-provider storage-fs system-ready" \
	"runtime events with one os-image-hash after failover"
assert_eq "$(runtime_payload key-provider)" "{\"name\":\"kms\",\"id\":\"$ROOT_SPKI\"}" "key-provider pins the KMS root"
assert_eq "$(runtime_payload os-image-hash hex)" 64f0d1545cd510a8dfed7ad609d105b5d41f0cb2afcfdda8867ede00c88add7a \
	"os-image-hash from the KMS"
assert_eq "$(sim_rtmr3)" "$(replay_rtmr3)" "RTMR3 equals the replayed runtime log"
grep -q "Failed to get app keys from KMS $BAD/prpc" "$TMP/err" || fail "the failing KMS is not logged"
grep -q '"method": "GetAppKey", "client_cert": true, "status": 200' "$TMP/kms-good/requests.log" \
	|| fail "the good KMS did not serve GetAppKey to an attested client"
grep -q '"method": "GetTempCaCert", "client_cert": false' "$TMP/kms-good/requests.log" \
	|| fail "GetTempCaCert was not made without a client certificate"
python3 - "$WORK/.host-shared/.appkeys.json" "$KMS/prpc" "$ROOT_SPKI" <<'PY' || fail "app keys file"
import json, sys
k = json.load(open(sys.argv[1]))
kp = k["key_provider"]["Kms"]
assert kp["url"] == sys.argv[2] and kp["pubkey"] == sys.argv[3], kp
assert len(k["disk_crypt_key"]) == 64 and len(k["env_crypt_key"]) == 64
PY
umount "$MNT"
pass "KMS failover: keys from the second KMS, measured once"

# The env envelope, made independently with python3-cryptography for the
# X25519 public key of the env_crypt_key the KMS gave.
/usr/bin/python3 - "$WORK/.host-shared/.appkeys.json" "$SHARE/.encrypted-env" <<'PY'
import json, os, sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization as s
sk = bytes.fromhex(json.load(open(sys.argv[1]))["env_crypt_key"])
pk = X25519PrivateKey.from_private_bytes(sk).public_key()
eph = X25519PrivateKey.generate()
shared = eph.exchange(pk)
iv = os.urandom(12)
plain = json.dumps({"env": [{"key": "GREETING", "value": "hi there"}, {"key": "NOPE", "value": "x"}]}).encode()
ct = AESGCM(shared).encrypt(iv, plain, None)
open(sys.argv[2], "wb").write(eph.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw) + iv + ct)
PY
new_boot
expect_exit 0 run_setup "$LOOP"
assert_eq "$(cat "$WORK/.host-shared/.decrypted-env.json")" '{"GREETING":"hi there"}' "decrypted env JSON"
grep -q '^GREETING=' "$WORK/.host-shared/.decrypted-env" || fail "decrypted env file"
umount "$MNT"
pass "the encrypted env is opened with the KMS env key, allowed_envs applied"

head -c 100 /dev/urandom >"$SHARE/.encrypted-env"
new_boot
expect_error "Failed to decrypt the env" run_setup "$LOOP"
[ ! -e "$WORK/.host-shared/.decrypted-env" ] || fail "a bad envelope left a .decrypted-env"
umount "$MNT" 2>/dev/null || true
head -c 20 /dev/urandom >"$SHARE/.encrypted-env"
new_boot
expect_error "Failed to decrypt the env" run_setup "$LOOP"
umount "$MNT" 2>/dev/null || true
rm -f "$SHARE/.encrypted-env"
pass "bad envelopes (tampered, truncated) are clear errors without env files"

write_share kms "[\"$NOUSAGE\"]"
new_boot
expect_error "Missing server cert usage" run_setup "$LOOP"
write_share kms "[\"$OTHER\"]"
new_boot
expect_error "Invalid server cert usage: other:rpc" run_setup "$LOOP"
for k in nousage other; do
	assert_eq "$(count GetAppKey "$TMP/kms-$k/requests.log")" 0 "GetAppKey sent to a KMS without kms:rpc ($k)"
done
grep -q "os-image-hash\|key-provider" "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" \
	&& fail "a rejected KMS was measured"
pass "a KMS certificate without the kms:rpc usage is refused"

write_share kms "[\"$KMS\"]" ",\"key_provider_id\":\"$(printf '%s' "$ROOT_SPKI" | tr 0-9a-f 1-9a-f0)\""
new_boot
expect_error "Unexpected key provider id" run_setup "$LOOP"
grep -q "key-provider" "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" && fail "a wrong provider was measured"
write_share kms "[\"$KMS\"]" ",\"key_provider_id\":\"$ROOT_SPKI\""
new_boot
expect_exit 0 run_setup "$LOOP"
umount "$MNT"
pass "key_provider_id: a wrong pin is refused, the right one accepted"

# Unreachable KMS on an encrypted blank disk: no format, a clear error.
echo "" >"$DSTACK_CMDLINE_FILE"
truncate -s 0 "$TMP/enc.img" && truncate -s 64M "$TMP/enc.img"
before=$(sha256sum <"$TMP/enc.img")
write_share kms '["https://127.0.0.1:1"]'
new_boot
expect_error "Failed to get app keys from KMS" run_setup "$TMP/enc.img"
assert_eq "$(sha256sum <"$TMP/enc.img")" "$before" "disk bytes after an unreachable KMS"
notified '^boot.error=Failed to get app keys' || fail "no boot.error notification"
pass "an unreachable KMS: clear error, boot.error sent, the disk untouched"

# The encrypted path on this host: the header is formatted in memory and
# validated, then device-mapper is missing. The header reaches the disk only
# after the filesystem exists, so the disk stays blank and the next boot
# formats it again (header tampering on a real disk: tests/vm).
write_share kms "[\"$KMS\"]" ',"storage_fs":"ext4"'
before=$(sha256sum <"$TMP/enc.img")
for boot in 1 2; do
	new_boot
	expect_exit 1 run_setup "$TMP/enc.img"
	grep -q "Formatting encrypted disk" "$TMP/err" || fail "boot $boot: the blank disk was not formatted"
	grep -q "Failed to open encrypted data disk\|device-mapper\|Failed to open" "$TMP/err" || { cat "$TMP/err"; fail "activation error"; }
	grep -q "Writing the LUKS2 header" "$TMP/err" && fail "boot $boot: header written before the filesystem"
	assert_eq "$(sha256sum <"$TMP/enc.img")" "$before" "boot $boot: disk bytes after a failed first boot"
done
pass "encrypted disk: a first boot that fails before the filesystem leaves the disk blank; the next formats again"
stop_simulator
