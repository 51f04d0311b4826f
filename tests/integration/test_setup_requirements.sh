#!/usr/bin/env bash
# [HEAD] app-compose requirements in setup: a compose whose requirements this
# guest meets boots and measures the gpu-policy-hash of its raw gpu_policy;
# an unmet os_version, platform or launch token, and requirements under
# manifest_version 2, each stop setup before anything is measured, with the
# message on stderr and in boot.error. /etc/os-release is bind-mounted (in a
# private mount namespace) with the VERSION_ID under test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tdx_sim.sh"
. "$(dirname "$0")/setup_env.sh"

command -v unshare >/dev/null || fail "unshare (util-linux) is needed"
truncate -s 64M "$TMP/disk.img"
LOOP=$(losetup -f --show "$TMP/disk.img")
CLEANUP_HOOKS+=("losetup -d $LOOP")
echo "console=ttyS0 dstack.storage_encrypted=off dstack.storage_fs=ext4" >"$DSTACK_CMDLINE_FILE"
printf 'NAME="dstack"\nVERSION_ID="0.6.1"\n' >"$TMP/os-release"
start_host_api
write_share none '[]'

TOKEN=0123456789abcdef0123456789abcdef-launch
TOKEN_HASH=$(printf 'dstack-launch-token/v1:%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
printf '{"dstack":{"launch_token":"%s"},"app":{"x":1}}' "$TOKEN" >"$SHARE/.user-config"
GPU_POLICY='{ "attest_gpu": true, "allow_debug": false }'
GPU_HASH=$(python3 -c 'import hashlib,json,sys
p = json.loads(sys.argv[1])
print(hashlib.sha256(json.dumps(p, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest())' "$GPU_POLICY")

# compose MANIFEST_VERSION REQUIREMENTS_JSON
compose() {
	printf '{"manifest_version":%s,"name":"t","runner":"docker-compose","key_provider":"none","secure_time":false,"requirements":%s}' \
		"$1" "$2" >"$SHARE/app-compose.json"
}
# setup in a mount namespace whose /etc/os-release is $TMP/os-release
setup_ns() {
	unshare -m sh -c 'mount --bind "$1" /etc/os-release && shift && exec "$@"' sh \
		"$TMP/os-release" "$UTIL" setup --work-dir "$WORK" --device "$LOOP" --mount-point "$MNT"
}
runtime_log() { cat "$DSTACK_RUNTIME_LOG_DIR/runtime_events.log" 2>/dev/null; }
# refused PATTERN: setup fails with PATTERN, measures nothing, tells the host
refused() {
	new_boot
	expect_error "$1" setup_ns
	grep -qF "Failed to verify app-compose policy" "$TMP/err" || fail "no policy context"
	assert_eq "$(runtime_log)" "" "runtime events after a refused policy"
	notified -F "boot.error=" || fail "no boot.error for '$1'"
	notified -F "$1" || fail "boot.error lacks '$1'"
}

compose '"3"' "{\"os_version\":\">=0.6.0, <0.7\",\"platforms\":[\"dstack-gcp-tdx\",\"dstack-tdx\"],\"tdx_measure_acpi_tables\":true,\"launch_token_hash\":\"$TOKEN_HASH\",\"gpu_policy\":$GPU_POLICY}"
new_boot
expect_exit 0 setup_ns
assert_eq "$(runtime_events)" \
	"system-preparing app-id compose-hash gpu-policy-hash instance-id boot-mr-done key-provider storage-fs system-ready" \
	"runtime events"
assert_eq "$(runtime_payload gpu-policy-hash hex)" "$GPU_HASH" "gpu-policy-hash of the raw policy"
assert_eq "$(sim_rtmr3)" "$(replay_rtmr3)" "RTMR3 equals the replayed runtime log"
grep -qF "launch token requirement satisfied" "$TMP/err" || fail "no launch token log line"
grep -qF "$TOKEN" "$TMP/err" && fail "the launch token appears in the log"
pass "met requirements boot and measure sha256(JCS(gpu_policy))"

compose '"3"' '{}'
new_boot
expect_exit 0 setup_ns
assert_eq "$(runtime_payload gpu-policy-hash hex)" \
	"$(printf '{}' | sha256sum | cut -d' ' -f1)" "gpu-policy-hash of an absent policy"
pass "empty requirements boot and measure sha256({})"

compose '"3"' '{"os_version":">=0.7"}'
refused "Unsupported dstack OS version: current 0.6.1, required >=0.7"
compose '"3"' '{"platforms":["dstack-amd-sev-snp"]}'
refused "Unsupported attestation platform: current dstack-tdx, allowed [dstack-amd-sev-snp]"
compose '"3"' '{"platforms":[]}'
refused "Unsupported attestation platform: requirements.platforms is empty"
compose '"3"' "{\"launch_token_hash\":\"$(printf '%064d' 0)\"}"
refused "launch token mismatch"
compose 2 '{}'
refused 'requirements requires manifest_version >= 3; use string manifest_version "3"'
pass "unmet os_version, platforms, launch token and an old manifest stop setup before measuring"

compose '"3"' '{"gpu_policy":{"rego":"package policy"}}'
new_boot
expect_error "requirements.gpu_policy.rego is not supported by this dstack-util" setup_ns
assert_eq "$(runtime_events)" "system-preparing app-id compose-hash gpu-policy-hash" \
	"a refused GPU policy stops after its measurement"
pass "a Rego GPU policy is refused (fail closed)"
