#!/bin/bash
# The real program on the private daemon (set up by run.sh): C then U in
# the VM list. A linked clone of a shut-off VM on a golden image: the
# clone on its own overlay of the source's old top, the source on a fresh
# one, the images screen showing both under that file; then U deletes the
# clone after its name is typed, removing only its own file, and the
# source still starts. Each result is cross-checked with virsh and
# qemu-img.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh

src='scc-src' clone='scc-src-clone'
golden=$E2E_IMG/scc-golden.qcow2
top=$E2E_IMG/scc-src.qcow2
clone_disk=$E2E_IMG/scc-src-clone-vda.qcow2

SCREEN_NAME=screen-clone
. tests/e2e/screen_lib.sh
cleanup_more() { drop_made scc- "$src" "$clone"; }

qemu-img create -q -f qcow2 "$golden" 64M
qemu-img create -q -f qcow2 -b "$golden" -F qcow2 "$top"
((EUID != 0)) || chown "$E2E_USER:" "$golden" "$top"
v pool-refresh images >/dev/null
e2e_define_vm "$src" "$top"
sum_before=$(sha256sum "$top" | awk '{ print $1 }')

t new-session -d -s vmm -x 140 -y 40 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for "^.$src +shut off "
t send-keys -t vmm / "$src" Enter
wait_for "^>$src +shut off "
t send-keys -t vmm C
wait_for "Clone $src"
wait_for "$clone"
t send-keys -t vmm Enter
wait_for 'Which kind'
t send-keys -t vmm l
end=$((SECONDS + 30))
until v dominfo "$clone" >/dev/null 2>&1 && [[ $(disk_of "$src") != "$top" ]]; do
	((SECONDS < end)) || fail "after C Enter l, there is no clone $clone, or $src is still on $top"
	sleep 0.1
done
[[ $(disk_of "$clone") == "$clone_disk" ]] || fail "the clone's disk is $(disk_of "$clone"), not $clone_disk"
backing=$(qemu-img info -U "$clone_disk" | sed -n 's/^backing file: //p')
[[ $backing == "$top" ]] || fail "the clone's disk is backed by '$backing', not $top"
fresh=$(disk_of "$src")
[[ ${fresh##*/} =~ ^scc-src-vda-[0-9]{8}-[0-9]{6}\.qcow2$ ]] || fail "the source's fresh overlay is $fresh"
backing=$(qemu-img info -U "$fresh" | sed -n 's/^backing file: //p')
[[ $backing == "$top" ]] || fail "the source's fresh overlay is backed by '$backing', not $top"
[[ $(v domuuid "$src") != $(v domuuid "$clone") ]] || fail "the clone has the source's UUID"
pass "C: $clone on its own overlay of $top; $src on a fresh overlay $fresh"

# The images screen: the old top, now shared, with both VMs below it.
t send-keys -t vmm 3
wait_for "scc-src.qcow2"
wait_for "$clone"
screen | awk -v top="scc-src.qcow2 " -v c="─ $clone: vda" -v s="─ $src: vda" '
	index($0, top) && !seen { seen = NR }
	seen && NR > seen && index($0, c) { fc = 1 }
	seen && NR > seen && index($0, s) { fs = 1 }
	END { exit !(seen && fc && fs) }' || fail "the images screen does not show both VMs under $top"
pass "the images screen shows $clone and $src under $top"

# U on the clone: its name typed, then only its own file goes.
t send-keys -t vmm 1
wait_for "^.$src +shut off "
t send-keys -t vmm Escape / "$clone" Enter
wait_for "^>$clone +shut off "
t send-keys -t vmm U
wait_for "Delete the VM $clone"
wait_for "the image $clone_disk"
wait_for "Stays:"
t send-keys -t vmm y Enter
wait_for "That is not the VM's name"
v dominfo "$clone" >/dev/null 2>&1 || fail "y Enter deleted the clone without its name typed"
t send-keys -t vmm C-u "$clone" Enter
end=$((SECONDS + 30))
while v dominfo "$clone" >/dev/null 2>&1 || [[ -e $clone_disk ]]; do
	((SECONDS < end)) || fail "after U and its name, $clone or $clone_disk is still there"
	sleep 0.1
done
[[ -e $top && -e $fresh && -e $golden ]] || fail "U deleted a file the source uses"
sum_after=$(sha256sum "$top" | awk '{ print $1 }')
[[ $sum_before == "$sum_after" ]] || fail "the shared file $top changed"
v start "$src" >/dev/null || fail "$src cannot start after its clone was deleted"
v destroy "$src" >/dev/null
pass "U: $clone and only its file deleted; $top unchanged; $src starts"

echo "screen-clone: $passed passed, 0 failed"
