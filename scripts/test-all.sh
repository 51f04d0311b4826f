#!/usr/bin/env bash
# Every test: installs dependencies, builds, runs unit and integration tests,
# then builds again with clang under ASan+UBSan with the libFuzzer harnesses
# and runs the whole suite plus a short fuzz run of every harness.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDSTACK_SANITIZE=ON -DDSTACK_FUZZ=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest --test-dir build-asan --output-on-failure -j"$jobs"
