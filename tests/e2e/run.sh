#!/bin/bash
# End-to-end tier: the real backend and the real program against a private
# libvirt session daemon running real QEMU (see daemon.sh). Everything it
# makes is removed on exit, also when a test fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh

e2e_setup vmmtest
e2e_define_vm e2e-alpha
e2e_define_vm e2e-beta
# A shut-off VM on a two-layer chain, with a dir pool over the image folder
# so that the storage API knows the chain.
qemu-img create -q -f qcow2 "$E2E_IMG/gamma-base.qcow2" 64M
qemu-img create -q -f qcow2 -b "$E2E_IMG/gamma-base.qcow2" -F qcow2 "$E2E_IMG/gamma-top.qcow2"
((EUID != 0)) || chown "$E2E_USER:" "$E2E_IMG"/gamma-*.qcow2
e2e_define_vm e2e-gamma "$E2E_IMG/gamma-top.qcow2"
e2e_virsh pool-define-as images dir --target "$E2E_IMG" >/dev/null
e2e_virsh pool-start images >/dev/null
# Snapshot tests: e2e-snap on its own qcow2 (internal snapshots live in it),
# e2e-raw on a raw image, which cannot hold an internal snapshot.
e2e_define_vm e2e-snap
qemu-img create -q -f raw "$E2E_IMG/e2e-raw.img" 64M
((EUID != 0)) || chown "$E2E_USER:" "$E2E_IMG/e2e-raw.img"
e2e_define_vm e2e-raw "$E2E_IMG/e2e-raw.img" raw
# Hibernate tests. A managed save of a guest whose RAM is all zeros takes
# ~0.1 s whatever its size (QEMU sends zero pages as flags), too fast to
# watch or abort; so e2e-hib (512 MiB) boots a 512-byte guest that fills
# its RAM with non-zero words, as any real OS would, writes 'F' to COM1
# (appended to e2e-hib.serial) and halts. Its save then writes ~500 MiB.
# e2e-save is a tiny VM for discard/force off/start fresh; e2e-busy runs on
# a two-layer chain so that an active block commit can hold its disk.
hib_mib=512
cat >"$E2E_DIR/fill.S" <<'EOF'
	.code16
	.globl _start
_start:	cli
	xor %ax, %ax
	mov %ax, %ds
	in $0x92, %al			# fast A20 on
	or $2, %al
	out %al, $0x92
	lgdt gdtr
	mov %cr0, %eax			# 32-bit protected mode, flat 4 GiB
	or $1, %eax
	mov %eax, %cr0
	ljmp $0x08, $pm
	.code32
pm:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $0x7c00, %esp
	mov $0x100000, %edi		# from 1 MiB up to FILL_END
	mov $((FILL_END - 0x100000) / 4), %ecx
	mov $0x9e3779b9, %eax
	cld
	rep stosl
	mov $0x3f8, %dx			# 'F' on COM1: filled
	mov $'F', %al
	out %al, %dx
1:	hlt
	jmp 1b
	.p2align 3
gdt:	.quad 0
	.quad 0x00cf9a000000ffff	# code
	.quad 0x00cf92000000ffff	# data
gdtr:	.word gdtr - gdt - 1
	.long gdt
	.org 510
	.byte 0x55, 0xaa
EOF
as --32 --defsym FILL_END=$(((hib_mib - 16) << 20)) -o "$E2E_DIR/fill.o" "$E2E_DIR/fill.S"
ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$E2E_DIR/fill.bin" "$E2E_DIR/fill.o"
truncate -s 1M "$E2E_DIR/fill.bin"
qemu-img convert -f raw -O qcow2 "$E2E_DIR/fill.bin" "$E2E_IMG/e2e-hib.qcow2"
qemu-img create -q -f qcow2 "$E2E_IMG/busy-base.qcow2" 64M
qemu-img create -q -f qcow2 -b "$E2E_IMG/busy-base.qcow2" -F qcow2 "$E2E_IMG/busy-top.qcow2"
((EUID != 0)) || chown "$E2E_USER:" "$E2E_IMG"/e2e-hib.qcow2 "$E2E_IMG"/busy-*.qcow2
e2e_virsh define /dev/stdin >/dev/null <<EOF
<domain type='qemu'>
  <name>e2e-hib</name>
  <memory unit='MiB'>$hib_mib</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$E2E_IMG/e2e-hib.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'>
      <source path='$E2E_IMG/e2e-hib.serial' append='on'/>
      <target port='0'/>
    </serial>
  </devices>
</domain>
EOF
e2e_define_vm e2e-save
e2e_define_vm e2e-busy "$E2E_IMG/busy-top.qcow2"

status=0
# E2E_CHAIN_ONLY=GROUP: that group of the chain tests alone (a mutant's).
if [[ -n ${E2E_CHAIN_ONLY:-} ]]; then
	"${E2E_CHAIN_BIN:-build/obj/test_e2e_chain}" || status=1
	# The image tools' group has screen tests of its own.
	if [[ $E2E_CHAIN_ONLY == img ]]; then
		bash tests/e2e/screen_check.sh || status=1
		bash tests/e2e/screen_copy.sh || status=1
	fi
	# The snapshot kinds' group has one too.
	if [[ $E2E_CHAIN_ONLY == kinds ]]; then
		bash tests/e2e/screen_snapkinds.sh || status=1
	fi
	exit $status
fi
"${E2E_BIN:-build/obj/test_e2e}" || status=1
# Overlays, commits and block jobs: each makes its own VMs and images (named
# chain-* and scr-*) in $E2E_IMG, under the "images" pool.
"${E2E_CHAIN_BIN:-build/obj/test_e2e_chain}" || status=1
bash tests/e2e/screen_events.sh || status=1
bash tests/e2e/screen_chain.sh || status=1
bash tests/e2e/screen_reset.sh || status=1
bash tests/e2e/screen_clone.sh || status=1
bash tests/e2e/screen_check.sh || status=1
bash tests/e2e/screen_copy.sh || status=1
bash tests/e2e/screen_snapkinds.sh || status=1
bash tests/e2e/screen_hosts.sh || status=1
exit $status
