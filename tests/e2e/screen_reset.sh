#!/bin/bash
# The real program on the private daemon (set up by run.sh): Z on the
# golden layer of a kernel lab. golden.qcow2 on a raw base, one runtime
# overlay per VM on it; Z on lab1's golden layer must end with lab1 on a
# fresh overlay of its own, the golden image unchanged (checksum) and lab2
# still able to start. Each result is cross-checked with virsh and qemu-img.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh # e2e_define_vm

lab1='scz-lab1' lab2='scz-lab2'
base=$E2E_IMG/scz-base.img
golden=$E2E_IMG/scz-golden.qcow2
run1=$E2E_IMG/scz-lab1.qcow2
run2=$E2E_IMG/scz-lab2.qcow2

SCREEN_NAME=screen-reset
. tests/e2e/screen_lib.sh
cleanup_more() { drop_made scz- "$lab1" "$lab2"; }

# --- The lab: raw base <- golden <- one runtime per VM ---------------------
qemu-img create -q -f raw "$base" 64M
qemu-img create -q -f qcow2 -b "$base" -F raw "$golden"
qemu-io -f qcow2 -c 'write -P 0x11 0 1M' "$golden" >/dev/null
qemu-img create -q -f qcow2 -b "$golden" -F qcow2 "$run1"
qemu-img create -q -f qcow2 -b "$golden" -F qcow2 "$run2"
qemu-io -f qcow2 -c 'write -P 0x22 0 1M' "$run1" >/dev/null
((EUID != 0)) || chown "$E2E_USER:" "$base" "$golden" "$run1" "$run2"
v pool-refresh images >/dev/null
e2e_define_vm "$lab1" "$run1"
e2e_define_vm "$lab2" "$run2"
sum_before=$(sha256sum "$golden" "$base" | awk '{ print $1 }')

t new-session -d -s vmm -x 120 -y 34 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for "^.$lab1 +shut off "
t send-keys -t vmm / "$lab1" Enter
wait_for "^>$lab1 +shut off "
t send-keys -t vmm Enter
wait_for "Snapshots of $lab1 "
t send-keys -t vmm Tab
wait_for 'Disks and backing chains \(Tab: snapshots\)'
wait_for "scz-golden"
# The images (who reads golden) load behind the pane; select golden.
t send-keys -t vmm g j
wait_for 'Layer +backing file'
screen | grep -q 'scz-golden' || fail "golden is not shown"
t send-keys -t vmm Z
wait_for "(Reset vda of $lab1 to|Discard the top overlay of vda of $lab1)"
wait_for 'fresh overlay'
# lab2 reads golden: writing it directly is not offered.
wait_for 'not offered'
screen | grep -q 'w  *yes' && fail "writing into the shared golden image is offered"
pass "Z on the shared golden layer offers only a fresh overlay"
t send-keys -t vmm y
end=$((SECONDS + 30))
until [[ $(disk_of "$lab1") != "$run1" ]]; do
	((SECONDS < end)) || fail "after Z y, vda of $lab1 is still $(disk_of "$lab1")"
	sleep 0.1
done
fresh=$(disk_of "$lab1")
[[ $fresh != "$golden" ]] || fail "$lab1 was pointed at the golden image itself"
[[ ${fresh%/*} == "$E2E_IMG" && ${fresh##*/} =~ ^scz-lab1-vda-[0-9]{8}-[0-9]{6}\.qcow2$ ]] ||
	fail "the fresh overlay is $fresh, not named like the other overlays"
backing=$(qemu-img info -U --output=json "$fresh" | sed -n 's/^ *"backing-filename": "\(.*\)",\{0,1\}$/\1/p')
[[ $backing == "$golden" ]] || fail "the fresh overlay is backed by '$backing', not $golden"
pass "virsh: $lab1 is on a fresh overlay $fresh on $golden"
end=$((SECONDS + 10))
while [[ -e $run1 ]]; do
	((SECONDS < end)) || fail "the discarded runtime $run1 is still there"
	sleep 0.1
done
qemu-img check -q "$fresh" || fail "qemu-img check $fresh"
qemu-io -r -f qcow2 -c 'read -P 0x11 0 1M' "$fresh" >/dev/null || fail "the fresh overlay does not read golden's data"
pass "the runtime is deleted; the fresh overlay reads golden's data and checks clean"
sum_after=$(sha256sum "$golden" "$base" | awk '{ print $1 }')
[[ $sum_before == "$sum_after" ]] || fail "the golden image or its base changed"
v start "$lab2" >/dev/null || fail "$lab2 cannot start after the reset"
v destroy "$lab2" >/dev/null
v start "$lab1" >/dev/null || fail "$lab1 cannot start on its fresh overlay"
v destroy "$lab1" >/dev/null
pass "golden and base unchanged (sha256); both VMs start"

echo "screen-reset: $passed passed, 0 failed"
