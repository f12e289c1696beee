#!/bin/bash
# The real program on the private daemon (set up by run.sh): F in the chain
# pane of a shut-off VM on a 2-layer chain. The form offers a name beside
# the active layer; Enter makes the copy; the disk is then on one file with
# no backing file holding the chain's data (qemu-img compare), and the old
# layers, which nothing else uses, are offered for deletion: y deletes them.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh

vm='scf-vm'
base=$E2E_IMG/scf-base.qcow2
top=$E2E_IMG/scf-top.qcow2

SCREEN_NAME=screen-copy
. tests/e2e/screen_lib.sh
cleanup_more() {
	drop_made scf- "$vm"
	rm -f "$E2E_DIR"/scf-ref.qcow2
}

qemu-img create -q -f qcow2 "$base" 16M
qemu-img create -q -f qcow2 -b "$base" -F qcow2 "$top"
qemu-io -f qcow2 -c 'write -P 0x11 0 1M' "$base" >/dev/null
qemu-io -f qcow2 -c 'write -P 0x22 1M 1M' "$top" >/dev/null
qemu-img convert -O qcow2 "$top" "$E2E_DIR/scf-ref.qcow2" # the chain's data, for the comparison
((EUID != 0)) || chown "$E2E_USER:" "$base" "$top"
v pool-refresh images >/dev/null
e2e_define_vm "$vm" "$top"

t new-session -d -s vmm -x 140 -y 40 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for "^.$vm +shut off "
t send-keys -t vmm / "$vm" Enter
wait_for "^>$vm +shut off "
t send-keys -t vmm Enter
wait_for "Snapshots of $vm "
t send-keys -t vmm Tab
wait_for 'scf-base'
wait_for 'F copy'
t send-keys -t vmm F
wait_for "Standalone copy of vda of $vm"
wait_for "scf-vm-vda-[0-9]{8}-[0-9]{6}-flat\.qcow2"
pass "F offers a file named after the VM and disk beside the active layer"
t send-keys -t vmm Enter
wait_for "Delete the files vda of $vm no longer uses"
copy=$(disk_of "$vm")
[[ $copy =~ ^$E2E_IMG/scf-vm-vda-[0-9]{8}-[0-9]{6}-flat\.qcow2$ ]] || fail "vda is on $copy, not on the copy"
if qemu-img info -U --output=json "$copy" | grep -q backing-filename; then fail "the copy has a backing file"; fi
qemu-img compare -U "$E2E_DIR/scf-ref.qcow2" "$copy" >/dev/null || fail "the copy differs from the chain"
pass "virsh: vda is on $copy, with the chain's data (qemu-img compare) and no backing file"
screen | grep -q 'scf-top.qcow2' || fail "the deletion offer does not name the old top layer"
screen | grep -q 'scf-base.qcow2' || fail "the deletion offer does not name the old base"
t send-keys -t vmm y
end=$((SECONDS + 30))
while [[ -e $top || -e $base ]]; do
	((SECONDS < end)) || fail "the old layers are still there after y"
	sleep 0.1
done
qemu-img check -q "$copy" || fail "qemu-img check $copy"
pass "the old layers, used by nothing else, are deleted after y"

echo "screen-copy: $passed passed, 0 failed"
