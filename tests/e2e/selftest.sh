#!/bin/bash
# selftest.sh [USER...]: check daemon.sh. One private daemon per USER
# (default: vmmtest); on each, two tiny VMs, one started. Cleanup by trap.
set -euo pipefail
. "$(dirname "$0")/daemon.sh"

fail() { echo "selftest: FAIL: $*" >&2; exit 1; }

users=("${@:-vmmtest}")
for u in "${users[@]}"; do
	e2e_setup "$u"
	echo "selftest: $u daemon at $E2E_URI"
	e2e_define_vm "$u-a"
	e2e_define_vm "$u-b"
	e2e_virsh start "$u-a" >/dev/null
	e2e_wait_state "$u-a" running 30
	e2e_wait_state "$u-b" "shut off" 5
	[[ -z ${E2E_SELFTEST_PAUSE:-} ]] || sleep "$E2E_SELFTEST_PAUSE"
done
for u in "${users[@]}"; do
	e2e_use "$u"
	list=$(e2e_virsh list --all)
	n=$(grep -c -e "$u-a *running" -e "$u-b *shut off" <<<"$list") || true
	((n == 2)) || fail "$u: virsh list --all shows: $list"
	# The daemons are separate: no VM of another setup is visible here.
	(($(wc -l <<<"$list") == 2)) || fail "$u: unexpected VMs: $list"
done
echo "selftest: OK (${users[*]})"
