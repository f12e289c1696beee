#!/bin/bash
# The real program on the private daemon (set up by run.sh): a VM started
# with virsh shows as running on screen, carried by a libvirt event; H
# hibernates the selected VM and S resumes it, checked with virsh.
set -euo pipefail
sock=$(mktemp -u /tmp/vmm-tmux.XXXXXX)
t() { tmux -S "$sock" "$@"; }
trap 't kill-server 2>/dev/null || true; rm -f "$sock"' EXIT

# wait_for REGEX: poll the screen, up to 30 s.
wait_for() {
	local i
	for ((i = 0; i < 300; i++)); do
		t capture-pane -p -t vmm | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "screen never showed /$1/:" >&2
	t capture-pane -p -t vmm >&2
	return 1
}

# wait_gone REGEX: poll the screen until it no longer shows REGEX, up to 30 s.
wait_gone() {
	local i
	for ((i = 0; i < 300; i++)); do
		t capture-pane -p -t vmm | grep -qE -- "$1" || return 0
		sleep 0.1
	done
	echo "screen still shows /$1/:" >&2
	t capture-pane -p -t vmm >&2
	return 1
}

v() { virsh -q -c "$E2E_URI" "$@"; }
fail() {
	echo "screen-events: FAIL: $*" >&2
	t capture-pane -p -t vmm >&2
	exit 1
}
# managed_save VM: "yes" or "no", from virsh dominfo.
managed_save() { v dominfo "$1" | sed -n 's/^Managed save: *//p'; }

t new-session -d -s vmm -x 80 -y 24 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for 'e2e-beta +shut off'
virsh -q -c "$E2E_URI" start e2e-beta >/dev/null
wait_for 'e2e-beta +running'
virsh -q -c "$E2E_URI" destroy e2e-beta >/dev/null
wait_for 'e2e-beta +shut off'

# Hibernate and resume from the keyboard: filter the list down to e2e-beta,
# H, then S.
v start e2e-beta >/dev/null
wait_for 'e2e-beta +running'
t send-keys -t vmm / e2e-beta Enter
wait_gone 'e2e-alpha'
wait_for '^>e2e-beta +running' # the only row, selected
t send-keys -t vmm H
wait_for 'e2e-beta +saved'
[[ $(managed_save e2e-beta) == yes ]] || fail "after H, virsh dominfo says Managed save: $(managed_save e2e-beta)"
[[ $(v domstate e2e-beta) == "shut off" ]] || fail "after H, virsh domstate says $(v domstate e2e-beta)"
v list --all --managed-save | grep -Eq '^ *- +e2e-beta +saved *$' ||
	fail "after H, virsh list --managed-save: $(v list --all --managed-save)"
t send-keys -t vmm S
wait_for 'e2e-beta +running'
[[ $(v domstate e2e-beta) == running ]] || fail "after S, virsh domstate says $(v domstate e2e-beta)"
[[ $(managed_save e2e-beta) == no ]] || fail "after S, virsh dominfo says Managed save: $(managed_save e2e-beta)"
# Only e2e-beta was touched.
saved=$(v list --all --managed-save | grep -c ' saved *$') || true
((saved == 0)) || fail "other VMs hibernated: $(v list --all --managed-save)"
v destroy e2e-beta >/dev/null
wait_for 'e2e-beta +shut off'
t send-keys -t vmm q
echo "screen-events: 2 passed, 0 failed"
