# Host side of the VM test: boots the guest with a test control share
# (scenario.sh in, guest.log and guest.rc out), an optional host-shared
# share and a data disk. Sourced by the VM test scripts.
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"
KERNEL=$(ls /boot/vmlinuz-* | sort -V | tail -n 1)
VM_INITRAMFS="$TMP/initramfs.cpio.gz"
bash "$(dirname "${BASH_SOURCE[0]}")/build-initramfs.sh" "$VM_INITRAMFS" "$BIN"

# A free TCP port on the host loopback (the guest reaches it as 10.0.2.2).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# vm_boot CTL_DIR DISK [HOST_SHARED_DIR]: runs CTL_DIR/scenario.sh in a guest.
vm_boot() {
	local ctl=$1 disk=$2 shared=${3:-} args=()
	rm -f "$ctl/guest.log" "$ctl/guest.rc"
	args+=(-virtfs "local,path=$ctl,mount_tag=testctl,security_model=none")
	[ -n "$shared" ] && args+=(-virtfs "local,path=$shared,mount_tag=host-shared,security_model=none,readonly=on")
	# -vga none as a dstack CVM: setup's GPU gate refuses a non-NVIDIA display device
	timeout 600 qemu-system-x86_64 -accel tcg -cpu max -m 1024 -nographic -vga none -no-reboot \
		-kernel "$KERNEL" -initrd "$VM_INITRAMFS" \
		-append "console=ttyS0 panic=1 quiet" \
		-drive "file=$disk,format=raw,if=virtio" \
		-netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
		"${args[@]}" >"$ctl/console.log" 2>&1 </dev/null || true
	[ -f "$ctl/guest.rc" ] || { tail -n 30 "$ctl/console.log" >&2; return 99; }
	return "$(cat "$ctl/guest.rc")"
}
