#!/usr/bin/env bash
# Crypto benchmarks, as ratios against an openssl baseline measured here:
#   baseline  openssl req -x509 -newkey ec (P-256) -nodes: a self-signed
#             certificate and key, one process per run
#   gen-ca-cert / gen-ra-cert / gen-app-keys: the same work through libdstack (driver
#             built from bench/crypto_driver.c, canned fixture attestation),
#             and through dstack-util itself on the TDX simulator (root and
#             /dev/fuse; skipped otherwise), quote generation included
#   env decryption: envelope open throughput and the whole setup env step
# Usage: bench/bench_crypto.sh [BUILD_DIR] [RUNS]   (defaults: build, 30)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
runs=${2:-30}
fixtures=${DS_FIXTURES_DIR:-$src/../shared/fixtures/upstream}
export DS_ATTESTATION="$fixtures/attestation.bin"
tmp=$(mktemp -d)
. "$src/bench/sim.sh"
cleanup() {
	sim_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ] && [ -x "$build/bin/dstack-tee-simulator" ] &&
	sim_start "$build" "$fixtures" "$tmp"; then
	mkdir -p "$tmp/shared"
	printf '{"host_api_url":"","vm_config":"{}"}' >"$tmp/shared/.sys-config.json"
fi

cc -O2 -I"$src/lib" "$src/bench/crypto_driver.c" "$build/lib/libdstack.a" \
	$(pkg-config --libs openssl jansson libsodium libsecp256k1 libcurl yaml-0.1 libcryptsetup fuse3) \
	-lpthread -o "$tmp/driver"

# Wall milliseconds of one run of a command.
once_ms() {
	local start end
	start=$(date +%s%N)
	"$@" >/dev/null 2>&1
	end=$(date +%s%N)
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e6 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }

# The machine is shared: runs of the baseline and of each candidate are
# interleaved, and medians compared.
base_cmd=(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bench
	  -keyout "$tmp/o.key" -out "$tmp/o.pem")
candidates=("$tmp/driver ca-cert $tmp" "$tmp/driver app-keys $tmp/keys.json")
names=("gen-ca-cert (libdstack, canned attestation)" "gen-app-keys (libdstack, canned attestation)")
for cmd in "gen-ca-cert --cert $tmp/c.pem --key $tmp/c.key" \
	   "gen-ra-cert --ca-cert $tmp/c.pem --ca-key $tmp/c.key -c $tmp/r.pem -k $tmp/r.key" \
	   "gen-app-keys -o $tmp/k.json"; do
	if "$build/bin/dstack-util" $cmd >/dev/null 2>&1; then
		candidates+=("$build/bin/dstack-util $cmd")
		names+=("dstack-util ${cmd%% *}")
	else
		echo "dstack-util ${cmd%% *}: skipped (no TDX simulator)"
	fi
done
for ((i = 0; i < runs; i++)); do
	once_ms "${base_cmd[@]}" >>"$tmp/t.base"
	for j in "${!candidates[@]}"; do
		once_ms ${candidates[$j]} >>"$tmp/t.$j"
	done
done
base=$(median <"$tmp/t.base")
echo "baseline openssl req -x509 -newkey ec: median ${base} ms (${runs} runs)"
for j in "${!candidates[@]}"; do
	t=$(median <"$tmp/t.$j")
	echo "${names[$j]}: median ${t} ms  ratio $(ratio "$t" "$base")"
done

"$tmp/driver" split "$tmp" 20

mkdir "$tmp/env"
"$tmp/driver" env 262000 200 "$tmp/env"
"$tmp/driver" env 4096 2000 "$tmp/env"
echo "(env times compare with the ${base} ms baseline; target: at or below it)"
