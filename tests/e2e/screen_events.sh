#!/bin/bash
# The real program on the private daemon (set up by run.sh): a VM started
# with virsh shows as running on screen, carried by a libvirt event.
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

t new-session -d -s vmm -x 80 -y 24 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for 'e2e-beta +shut off'
virsh -q -c "$E2E_URI" start e2e-beta >/dev/null
wait_for 'e2e-beta +running'
virsh -q -c "$E2E_URI" destroy e2e-beta >/dev/null
wait_for 'e2e-beta +shut off'
t send-keys -t vmm q
echo "screen-events: 1 passed, 0 failed"
