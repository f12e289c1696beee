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
# Snapshot tests: e2e-snap on its own qcow2 (internal snapshots live in it),
# e2e-raw on a raw image, which cannot hold an internal snapshot.
e2e_define_vm e2e-snap
qemu-img create -q -f raw "$E2E_IMG/e2e-raw.img" 64M
((EUID != 0)) || chown "$E2E_USER:" "$E2E_IMG/e2e-raw.img"
e2e_virsh define /dev/stdin >/dev/null <<EOF
<domain type='qemu'>
  <name>e2e-raw</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$E2E_IMG/e2e-raw.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
EOF

status=0
"${E2E_BIN:-build/obj/test_e2e}" || status=1
bash tests/e2e/screen_events.sh || status=1
exit $status
