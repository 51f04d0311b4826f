#!/usr/bin/env bash
# Runs one libFuzzer harness for a few seconds on a corpus seeded from the
# fixtures. Usage: run-fuzzer.sh BINARY SEED_LIST FIXTURES_DIR SECONDS
set -euo pipefail
bin=$1 seeds=$2 fixtures=$3 seconds=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
if [ -f "$seeds" ]; then
  while IFS= read -r seed; do
    case "$seed" in ''|'#'*) continue ;; esac
    cp "$fixtures/$seed" "$work/corpus/"
  done < "$seeds"
fi
# A seed list may also name inline seeds kept in fuzz/seeds/<name>/.
inline="$(dirname "$seeds")/../seeds/$(basename "$seeds" .txt)"
[ -d "$inline" ] && cp "$inline"/* "$work/corpus/" 2>/dev/null || true
cd "$work"
"$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 corpus
