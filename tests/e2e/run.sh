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

status=0
"${E2E_BIN:-build/obj/test_e2e}" || status=1
bash tests/e2e/screen_events.sh || status=1
exit $status
