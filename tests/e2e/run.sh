#!/bin/bash
# End-to-end tier: the real backend and the real program against private
# libvirt session daemons running real QEMU (see daemon.sh). Everything it
# makes is removed on exit, also when a test fails.
#
# The tier is a list of steps: test_e2e, each group of test_e2e_chain (the
# names main() in tests/e2e/chain/test_chain.c tests E2E_CHAIN_ONLY
# against, read from there) and each tests/e2e/screen_*.sh script. They
# run in E2E_JOBS lanes at once (default 3), each lane with a private
# daemon of its own set up with the fixture below; a lane takes the next
# step of the list when its last one ends, so a lane's steps run one after
# the other on its daemon, never two at once. Each step's output is printed
# whole when it ends, with its seconds.
#   To add a chain group: add it to main() in test_chain.c as the others
#   are ("if (!only || !strcmp(only, "NAME"))"); nothing to do here.
#   To add a screen script: put it in tests/e2e/screen_NAME.sh; it gets
#   the lane's E2E_* (the fixture below and the "images" pool).
#   A step that takes long goes early in STEPS_FIRST (the lanes end
#   together when the long ones start first); a long group whose tests are
#   independent (each sets up all it uses) can run in parts at once, in
#   SPLIT as GROUP:PARTS (its steps are then chain:GROUP@K/PARTS, run with
#   E2E_CHAIN_PART=K/PARTS: see e2e_chain.h).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh

# e2e_fixture: the VMs and images the steps expect on a fresh daemon.
e2e_fixture() {
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

}

# E2E_CHAIN_ONLY=GROUP: that group of the chain tests alone (a mutant's),
# on one daemon.
if [[ -n ${E2E_CHAIN_ONLY:-} ]]; then
	status=0
	e2e_setup vmmtest
	e2e_fixture
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

# The steps: "e2e" (test_e2e), "chain:GROUP", "screen:FILE".
groups=$(sed -n 's/.*if (!only || !strcmp(only, "\([a-z0-9_]*\)")).*/\1/p' tests/e2e/chain/test_chain.c)
ngroups=$(grep -c 'failed += ' tests/e2e/chain/test_chain.c)
if [[ $(wc -w <<<"$groups") != "$ngroups" ]]; then
	echo "e2e: test_chain.c's main() runs $ngroups groups, but only these are named as E2E_CHAIN_ONLY picks them: $groups" >&2
	exit 1
fi
# The longest first, as measured (the rest follow in list order).
STEPS_FIRST="chain:walk chain:lab e2e chain:chain chain:clone chain:img screen:tests/e2e/screen_hosts.sh chain:faults"
SPLIT="walk:2 lab:2"
steps=()
for s in $STEPS_FIRST e2e $(printf 'chain:%s\n' $groups) $(printf 'screen:%s\n' tests/e2e/screen_*.sh); do
	case $s in
	screen:tests/e2e/screen_lib.sh) continue ;;
	chain:*) grep -qx "${s#chain:}" <<<"$groups" || continue ;; # gone
	screen:*) [[ -f ${s#screen:} ]] || continue ;;
	esac
	[[ " ${steps[*]} " == *" $s "* || " ${steps[*]} " == *" $s@"* ]] && continue
	parts=
	[[ $s != chain:* ]] || parts=$(tr ' ' '\n' <<<"$SPLIT" | sed -n "s/^${s#chain:}:\([0-9]*\)$/\1/p")
	if [[ -n $parts ]]; then
		for ((k = 1; k <= parts; k++)); do steps+=("$s@$k/$parts"); done
	else
		steps+=("$s")
	fi
done

work=$(mktemp -d /tmp/vmm-e2e-steps.XXXXXX)
printf '%s\n' "${steps[@]}" >"$work/steps"
echo 0 >"$work/next"
: >"$work/results"
trap 'rm -rf "$work"' EXIT

# take: the next step of the list ("" when none is left).
take() {
	local n
	exec 8>>"$work/lock"
	flock 8
	n=$(<"$work/next")
	echo $((n + 1)) >"$work/next"
	exec 8>&-
	sed -n "$((n + 1))p" "$work/steps"
}

# say TEXT...: print, whole, under the lock (the lanes print at once).
say() {
	exec 8>>"$work/lock"
	flock 8
	printf '%s\n' "$@"
	exec 8>&-
}

# run_step STEP: runs it, prints its output whole, records its status.
run_step() {
	local step=$1 log=$work/${1//\//_}.log t0=$SECONDS rc=0 g
	case $step in
	e2e) "${E2E_BIN:-build/obj/test_e2e}" ;;
	chain:*@*) g=${step#chain:} && E2E_CHAIN_ONLY=${g%@*} E2E_CHAIN_PART=${g#*@} \
		"${E2E_CHAIN_BIN:-build/obj/test_e2e_chain}" ;;
	chain:*) E2E_CHAIN_ONLY=${step#chain:} "${E2E_CHAIN_BIN:-build/obj/test_e2e_chain}" ;;
	screen:*) bash "${step#screen:}" ;;
	esac >"$log" 2>&1 </dev/null &
	echo $! >"$work/lane$lane.step"
	wait $! || rc=$?
	rm -f "$work/lane$lane.step"
	exec 8>>"$work/lock"
	flock 8
	echo "--- e2e step $step (lane $lane)"
	cat "$log"
	if ((rc == 0)); then
		echo "--- e2e step $step: $((SECONDS - t0)) s"
	else
		echo "--- e2e step $step: $((SECONDS - t0)) s, FAILED (exit status $rc)"
	fi
	echo "$rc $step" >>"$work/results"
	exec 8>&-
}

# lane N: a daemon with the fixture (its output in $work/setupN.log,
# shown if it fails), then steps until none is left. The daemon goes when
# the lane ends (daemon.sh's EXIT trap).
lane() {
	lane=$1
	local t0=$SECONDS step
	exec 5>&1 6>&2 >"$work/setup$lane.log" 2>&1
	e2e_setup vmmtest
	e2e_fixture
	exec >&5 2>&6
	set +e
	say "--- e2e lane $lane: daemon and fixture in $((SECONDS - t0)) s"
	while step=$(take) && [[ -n $step ]]; do
		run_step "$step"
	done
	return 0
}

# A QEMU capability probe costs seconds of CPU: one daemon makes the cache
# that the lanes' daemons start from.
if [[ -z ${E2E_CAPS_CACHE:-} ]]; then
	export E2E_CAPS_CACHE=$work/caps
	(e2e_setup vmmtest >/dev/null) || true
fi
# Ctrl-C or TERM: each lane's step stops, then the lane, whose daemon
# goes with it (daemon.sh's TERM and EXIT traps).
stop() {
	local f
	trap '' INT TERM
	for f in "$work"/lane*.step; do
		[[ -f $f ]] && kill -TERM "$(<"$f")" 2>/dev/null
	done
	kill -TERM "${lanes[@]}" 2>/dev/null
	wait
	exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
lanes=()
for ((i = 1; i <= ${E2E_JOBS:-3}; i++)); do
	(lane "$i") &
	lanes+=($!)
done
status=0
for i in "${!lanes[@]}"; do
	if ! wait "${lanes[i]}"; then
		echo "e2e: lane $((i + 1)) failed to set up its daemon or fixture:"
		cat "$work/setup$((i + 1)).log"
		status=1
	fi
done
# Every step ran and passed.
for s in "${steps[@]}"; do
	rc=$(awk -v s="$s" '$2 == s { print $1 }' "$work/results")
	if [[ $rc != 0 ]]; then
		echo "e2e: step $s ${rc:+failed}${rc:-did not run}"
		status=1
	fi
done
echo "e2e: ${#steps[@]} steps in ${E2E_JOBS:-3} lanes, $SECONDS s"
exit $status
