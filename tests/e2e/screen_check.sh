#!/bin/bash
# The real program on the private daemon (set up by run.sh): K in the chain
# pane of a shut-off VM whose base image is corrupted on purpose (an L1
# entry pointing at an unaligned offset). The screen must say the top layer
# is clean and the base corrupt, and must not offer a repair; qemu-img
# itself agrees, and the base is left as it was (checksum).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh

vm='sck-vm'
base=$E2E_IMG/sck-base.qcow2
top=$E2E_IMG/sck-top.qcow2

SCREEN_NAME=screen-check
. tests/e2e/screen_lib.sh
cleanup_more() { drop_made sck- "$vm"; }

qemu-img create -q -f qcow2 "$base" 16M
qemu-img create -q -f qcow2 -b "$base" -F qcow2 "$top"
python3 -c "
import struct, sys
f = open(sys.argv[1], 'r+b'); h = f.read(72)
l1 = struct.unpack('>Q', h[40:48])[0]
f.seek(l1); f.write(struct.pack('>Q', (1 << 63) | 0x10200))" "$base"
qemu-img snapshot -c 'by hand' "$top"
((EUID != 0)) || chown "$E2E_USER:" "$base" "$top"
v pool-refresh images >/dev/null
e2e_define_vm "$vm" "$top"
st=0
qemu-img check -q "$base" >/dev/null 2>&1 || st=$?
[[ $st == 2 ]] || fail "qemu-img check says $st of the corrupted base, not 2"
sum_before=$(sha256sum "$base" | awk '{ print $1 }')

t new-session -d -s vmm -x 140 -y 40 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for "^.$vm +shut off "
t send-keys -t vmm / "$vm" Enter
wait_for "^>$vm +shut off "
t send-keys -t vmm Enter
wait_for "Snapshots of $vm "
t send-keys -t vmm Tab
wait_for 'Disks and backing chains \(Tab: snapshots\)'
wait_for 'sck-base'
wait_for 'K check'
wait_for 'Check +not checked \(K checks it\)'
t send-keys -t vmm K
wait_for "Check of vda of $vm: 1 clean, 0 with leaks, 1 CORRUPT, 0 not checked"
pass "K checks both layers: one clean, one corrupt"
# The top layer is selected: clean; the base below it: corrupt.
wait_for 'Check +clean'
wait_for 'Inside +1: by hand \[unknown to libvirt\]'
pass "the snapshot made with qemu-img snapshot -c shows, unknown to libvirt"
t send-keys -t vmm E
wait_for "Delete a snapshot unknown to libvirt from"
wait_for '1 +by hand'
t send-keys -t vmm 1
wait_for "Delete snapshot 'by hand', which libvirt does not know"
t send-keys -t vmm y
end=$((SECONDS + 30))
while qemu-img snapshot -U -l "$top" | grep -q 'by hand'; do
	((SECONDS < end)) || fail "'by hand' is still in $top after E 1 y"
	sleep 0.1
done
wait_for 'Inside +no snapshots'
pass "E deletes it from the file (qemu-img snapshot -l), and the details say so"
t send-keys -t vmm j
wait_for 'Check +CORRUPT, [0-9]+ corruptions'
pass "the base's details say it is corrupt"
screen | grep -q 'Repair leaks' && fail "a repair is offered for a corrupted image"
t send-keys -t vmm L
wait_for 'sck-base.qcow2: CORRUPT, [0-9]+ corruptions: never repaired automatically'
wait_for 'sck-top.qcow2: clean'
pass "the message log names each layer's result and what to do"
t send-keys -t vmm q 2
wait_for "Check vda of $vm: 2 layers from .*sck-top"
pass "the check is a job on the jobs screen"
sum_after=$(sha256sum "$base" | awk '{ print $1 }')
[[ $sum_before == "$sum_after" ]] || fail "the corrupted base was changed"
pass "the corrupted base is left as it was (sha256)"

echo "screen-check: $passed passed, 0 failed"
