#!/usr/bin/env bash
# Times `quote`, `show` and `extend` against the simulator (median of many runs)
# and measures each one's peak RSS, both as ratios to `true` measured here.
# Usage: bench/commands.sh [BUILD_DIR] [RUNS]   (root, /dev/fuse)
set -euo pipefail
build=$(realpath "${1:-build}")
runs=${2:-200}
fixtures=${DS_FIXTURES_DIR:-$(dirname "$0")/../../shared/fixtures/upstream}
tmp=$(mktemp -d /tmp/ds-bench.XXXXXX)
. "$(dirname "$0")/sim.sh"
cleanup() {
	sim_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

sim_start "$build" "$fixtures" "$tmp"
head -c 64 /dev/urandom >"$tmp/rd"

python3 - "$build/bin/dstack-util" "$tmp/rd" "$runs" "$tmp/rss" <<'PY'
import os, shutil, statistics, subprocess, sys, time

util, rd, runs, rss_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
commands = {
    "true": (["true"], None),
    "quote": ([util, "quote"], rd),
    "show": ([util, "show"], None),
    "extend": ([util, "extend", "-e", "bench", "-p", "00112233"], None),
}
# A child forked from Python inherits Python's resident set as its peak RSS,
# so peak RSS is measured through GNU time, which is small.
gnu_time = shutil.which("time", path="/usr/bin:/bin")

def run(argv, stdin_path):
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as stdin:
        start = time.perf_counter()
        subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start

def peak_rss_kib(argv, stdin_path):
    if not gnu_time:
        return None
    run([gnu_time, "-f", "%M", "-o", rss_file] + argv, stdin_path)
    return int(open(rss_file).read().split()[-1])

results = {}
for name, (argv, stdin) in commands.items():
    run(argv, stdin)  # warm up the page cache
    ms = statistics.median(run(argv, stdin) for _ in range(runs)) * 1000
    rss = [peak_rss_kib(argv, stdin) for _ in range(max(1, runs // 10))]
    results[name] = (ms, None if None in rss else max(rss))

base_ms, base_rss = results["true"]
print(f"{'command':8} {'median ms':>10} {'x true':>8} {'ms above':>9} {'peak RSS KiB':>13} {'x true':>8}   ({runs} runs)")
for name, (ms, rss) in results.items():
    rss_text = f"{rss:13d} {rss / base_rss:8.1f}" if rss else f"{'n/a':>13} {'':8}"
    print(f"{name:8} {ms:10.3f} {ms / base_ms:8.1f} {ms - base_ms:9.3f} {rss_text}")
if not gnu_time:
    print("peak RSS needs GNU time (/usr/bin/time, Debian package 'time')")
PY
