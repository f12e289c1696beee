#!/bin/bash
# The real program on the private daemon (set up by run.sh): an external
# snapshot taken by keys. s on a running VM, Tab Tab to the Kind field,
# Space to "external, disks only", Enter: the timeline then shows the
# snapshot with its kind, and virsh says it is external, with the VM on
# a new overlay.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh # e2e_define_vm

vm='scr-kinds'
top=$E2E_IMG/scr-kinds.qcow2

SCREEN_NAME=screen-snapkinds
. tests/e2e/screen_lib.sh
cleanup_more() { drop_made scr-kinds "$vm"; }

qemu-img create -q -f qcow2 "$top" 64M
((EUID != 0)) || chown "$E2E_USER:" "$top"
v pool-refresh images >/dev/null
e2e_define_vm "$vm" "$top"
v start "$vm" >/dev/null
[[ $(v domstate "$vm") == running ]] || fail "$vm did not start: $(v domstate "$vm")"

t new-session -d -s vmm -x 120 -y 36 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for "^.$vm +running "
t send-keys -t vmm / "$vm" Enter
wait_for "^>$vm +running "
t send-keys -t vmm Enter
wait_for "Snapshots of $vm .*running"
wait_for 'No snapshots yet'

# --- The form: three kinds for a running VM, internal first ---------------
t send-keys -t vmm s
wait_for "Take a snapshot of $vm"
wait_for 'Kind: +internal'
t send-keys -t vmm C-u "before-upgrade" Tab Tab Space
wait_for 'Kind: +external, disks only'
pass "the form offers the external kinds, internal first"
t send-keys -t vmm Enter
wait_for "before-upgrade +ext-disk" 90
pass "the timeline shows the snapshot with its kind"
wait_for 'not quiesced: no guest agent answered' 30
pass "the status says it is not quiesced"

info=$(v snapshot-info "$vm" before-upgrade)
grep -q 'Location: *external' <<<"$info" || fail "virsh snapshot-info: $info"
now=$(disk_of "$vm")
[[ $now == "$E2E_IMG"/scr-kinds-vda-* ]] || fail "vda is on $now, not a new overlay beside $top"
qemu-img info -U --backing-chain "$now" | grep -q "backing file: $top" || fail "$now is not backed by $top"
pass "virsh and qemu-img: external, vda on a new overlay over $top"

# --- The chain pane marks the overlay as the snapshot's -------------------
t send-keys -t vmm Tab
wait_for "Made by +snapshot 'before-upgrade'"
pass "the chain pane marks the overlay made by the snapshot"
echo "$SCREEN_NAME: $passed passed"
