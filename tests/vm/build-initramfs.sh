#!/usr/bin/env bash
# Builds the initramfs for the VM test from Debian's kernel modules, busybox
# and the project's binaries (with their shared libraries).
# Usage: build-initramfs.sh OUT.cpio.gz BIN_DIR
set -euo pipefail
out=$1 bindir=$2
kver=$(ls /lib/modules | sort -V | tail -n 1)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib/modules,proc,sys,dev,run,tmp,mnt,etc,var/run}
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list | grep -vx busybox); do
	ln -sf busybox "$root/bin/$applet"
done

# Modules, in dependency order (see shared/notes/vm-testing.md).
modules=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk
	dm-mod dm-crypt ecb xts crc16 mbcache jbd2 crc32c_generic ext4
	9pnet netfs fscache 9pnet_virtio 9p fuse failover net_failover virtio_net)
for m in "${modules[@]}"; do
	f=$(find "/lib/modules/$kver/kernel" \( -name "$m.ko" -o -name "${m//-/_}.ko" \) -print -quit)
	[ -n "$f" ] || { echo "module $m not found" >&2; exit 1; }
	cp "$f" "$root/lib/modules/"
	echo "$(basename "$f")" >>"$root/lib/modules/order"
done

# A binary and every shared library it needs, at the same paths.
copy_with_libs() {
	local src=$1 dst=$2 lib
	cp "$src" "$root$dst"
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -nL "$lib" "$root$lib"
	done
}
for b in "$bindir"/dstack-util "$bindir"/dstack-tee-simulator; do
	[ -x "$b" ] && copy_with_libs "$b" "/usr/bin/$(basename "$b")"
done
# Loaded on first use (dlopen), so ldd of our binaries does not list them.
for lib in libcurl.so.4 libcryptsetup.so.12; do
	# No early exit in the reader: under pipefail, ldconfig's SIGPIPE would
	# fail the pipeline at random.
	p=$(ldconfig -p | awk -v l="$lib" '$1 == l && !found { print $NF; found = 1 }')
	[ -n "$p" ] || { echo "$lib not found" >&2; exit 1; }
	mkdir -p "$root$(dirname "$p")"
	copy_with_libs "$p" "$p"
done
# util-linux's swap tools: busybox's swapon has no --show.
for tool in mkfs.ext4 e2fsck resize2fs blkid mkswap swapon fallocate; do
	p=$(command -v "$tool" || true)
	[ -n "$p" ] && copy_with_libs "$p" "/usr/sbin/$tool"
done

cp "$(dirname "$0")/init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
