#!/usr/bin/env bash
# setup benchmarks:
#   LUKS2 format and open with dstack-util's parameters (PBKDF2, 1000
#   iterations, no benchmark; open through the validated header copy)
#   against upstream's (PBKDF2 with cryptsetup's default 2 s iteration time),
#   both through libcryptsetup in one driver (bench/luks_driver.c), on an
#   image file; open = passphrase check of keyslot 0 (no device-mapper).
#   The VM test (tests/vm/test_vm_setup.sh): time from setup start to
#   system-ready split by phase (log timestamps), and TD quotes per boot,
#   for boot 1 (format) and boot 2 (reopen). Needs root, qemu and /dev/fuse.
# Usage: bench/setup.sh [BUILD_DIR] [RUNS]   (defaults: build, 3)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
runs=${2:-3}
export DS_FIXTURES_DIR=${DS_FIXTURES_DIR:-$src/../shared/fixtures/upstream}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -O2 -I"$src/lib" "$src/bench/luks_driver.c" "$build/lib/libdstack.a" \
	$(pkg-config --libs openssl jansson libsodium libsecp256k1 libcurl yaml-0.1 libcryptsetup fuse3) \
	-lpthread -o "$tmp/luks_driver"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# luks_ms WHO OP: median milliseconds over the runs (format on a fresh image).
luks_ms() {
	local i
	for i in $(seq "$runs"); do
		if [ "$2" = format ]; then rm -f "$tmp/$1.img"; truncate -s 32M "$tmp/$1.img"; fi
		"$tmp/luks_driver" "$1" "$2" "$tmp/$1.img" 2>/dev/null
	done | median
}
echo "LUKS2 on a 32 MiB image, median of $runs runs (ms):"
for op in format open; do
	ours=$(luks_ms ours $op)
	up=$(luks_ms upstream $op)
	awk -v op=$op -v o="$ours" -v u="$up" 'BEGIN {
		printf "  %-6s ours %8.1f  upstream %8.1f  ratio %.4f (%.2f%%; target < 5%%)\n", op, o, u, o / u, 100 * o / u }'
done

if ! command -v qemu-system-x86_64 >/dev/null || [ "$(id -u)" != 0 ]; then
	echo "VM phases: skipped (needs root and qemu-system-x86_64)"
	exit 0
fi
mkdir -p "$tmp/vm"
DS_BUILD_DIR="$build" DS_SOURCE_DIR="$src" DS_VM_KEEP_DIR="$tmp/vm" \
	bash "$src/tests/vm/test_vm_setup.sh" >"$tmp/vm/test.log" 2>&1 ||
	{ tail -n 20 "$tmp/vm/test.log" >&2; echo "VM test failed" >&2; exit 1; }
for boot in 1 2; do
	python3 - "$tmp/vm/boot$boot.log" "$boot" <<'PY'
import datetime, re, sys
marks = [("host share", "Mounting host-shared"), ("measure", "secure_time"),
         ("app keys", "Requesting app keys"), ("key checks", "Key provider info"),
         ("LUKS", r"Setting up disk encryption|Mounting encrypted data disk"),
         ("filesystem", r"(Creating|Mounting) the ext4"), ("end", "System ready")]
times, quotes = {}, 0
for line in open(sys.argv[1]):
    m = re.match(r"(\S+Z)\s", line)
    if not m:
        continue
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ")
    quotes += "generating a TD quote" in line
    for name, pat in marks:
        if name not in times and re.search(pat, line):
            times[name] = t
names = [n for n, _ in marks]
missing = [n for n in names if n not in times]
if missing:
    sys.exit(f"boot {sys.argv[2]}: log lacks {missing}")
total = (times["end"] - times["host share"]).total_seconds() * 1e3
print(f"VM boot {sys.argv[2]} ({'format' if sys.argv[2] == '1' else 'reopen'}): setup start to system-ready {total:.0f} ms, {quotes} TD quotes")
for a, b in zip(names, names[1:]):
    ms = (times[b] - times[a]).total_seconds() * 1e3
    print(f"  {a:<11} {ms:8.0f} ms  {100 * ms / total:5.1f}%")
PY
done
