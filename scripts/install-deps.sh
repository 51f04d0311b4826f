#!/usr/bin/env bash
# Installs everything the build, the tests and the benchmarks need on Debian 12.
set -euo pipefail
packages=(
	build-essential cmake pkg-config clang llvm python3 openssl curl ca-certificates time procps util-linux mount
	libssl-dev libcurl4-openssl-dev libjansson-dev libyaml-dev libcryptsetup-dev
	libfuse3-dev fuse3 libsodium-dev libsecp256k1-dev libcmocka-dev libmicrohttpd-dev
	libmsgpack-dev python3-msgpack python3-nacl
	python3-cryptography qemu-system-x86 linux-image-amd64 busybox-static cpio e2fsprogs
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
