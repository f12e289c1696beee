#!/bin/bash
# make bench: vmmanager against virsh on a private libvirt session daemon,
# reached through a proxy that delays every message (bench/README.md).
# Touches no host state: the daemon, its VMs and images, the proxy and all
# files live in one temporary folder that is removed on exit, also when the
# run fails or is interrupted.
#
#   BENCH_IDLE_SECONDS   length of the idle measurement (default 60)
#   BENCH_DELAY_MS       delay each way on the slow link (default 25)
#   VMMANAGER            the program to measure (default ./vmmanager)
#   E2E_CAPS_CACHE       see tests/e2e/daemon.sh
#   BENCH_ONLY=trees     only the keys on big snapshot trees and a deep
#                        chain: libvirt's test driver, no daemon, ~1 minute
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/e2e/daemon.sh

idle=${BENCH_IDLE_SECONDS:-60}
delay=${BENCH_DELAY_MS:-25}
[[ $idle =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "bench: BENCH_IDLE_SECONDS='$idle'" >&2; exit 2; }
[[ $delay =~ ^[0-9]+$ ]] || { echo "bench: BENCH_DELAY_MS='$delay'" >&2; exit 2; }
for c in python3 virsh qemu-img; do
	command -v "$c" >/dev/null || { echo "bench: $c is missing (make deps-check)" >&2; exit 2; }
done
vmm=${VMMANAGER:-./vmmanager}
[[ -x $vmm ]] || { echo "bench: build $vmm first (make)" >&2; exit 2; }

if [[ ${BENCH_ONLY:-} == trees ]]; then
	work=$(mktemp -d /tmp/vmm-bench.XXXXXX)
	trap 'rm -rf "$work"' EXIT
	python3 bench/bench.py --only trees --vmmanager "$vmm" --work "$work"
	exit
fi

proxy_pid=

bench_cleanup() {
	local rc=$?
	trap '' INT TERM
	if [[ -n $proxy_pid ]]; then
		kill "$proxy_pid" 2>/dev/null || true
		wait "$proxy_pid" 2>/dev/null || true
	fi
	# Undefine every VM in one virsh process (e2e_cleanup would start two
	# virsh processes per VM), then let daemon.sh stop the daemon and
	# remove the folder.
	if [[ -n ${E2E_URI:-} ]]; then
		local names cmds=""
		names=$(virsh -q -c "$E2E_URI" list --all --name 2>/dev/null) || names=
		for n in $names; do cmds+="undefine --snapshots-metadata $n;"; done
		[[ -z $cmds ]] || virsh -q -c "$E2E_URI" "$cmds" >/dev/null 2>&1 || true
	fi
	e2e_cleanup
	exit "$rc"
}

echo "bench: starting a private session daemon" >&2
e2e_setup vmmtest
trap bench_cleanup EXIT
work=$E2E_DIR/bench
mkdir -m 755 "$work"

sock=$E2E_DIR/run/libvirt/libvirt-sock
python3 bench/proxy.py --target "$sock" --log "$work/proxy.log" \
	--listen "$work/p0.sock:0" --listen "$work/p$delay.sock:$delay" 2>"$work/proxy.err" &
proxy_pid=$!
for _ in {1..50}; do
	[[ -S $work/p0.sock && -S $work/p$delay.sock ]] && break
	kill -0 "$proxy_pid" 2>/dev/null || { cat "$work/proxy.err" >&2; exit 1; }
	sleep 0.1
done
[[ -S $work/p$delay.sock ]] || { echo "bench: the proxy did not start" >&2; exit 1; }
: >>"$work/proxy.log"

python3 bench/bench.py --vmmanager "$vmm" --direct-uri "$E2E_URI" \
	--proxy0 "$work/p0.sock" --proxy "$work/p$delay.sock" --delay "$delay" \
	--log "$work/proxy.log" --work "$work" --img "$E2E_IMG" --user "$E2E_USER" \
	--idle "$idle" \
	--libvirt-version "$(virsh --version)" \
	--qemu-version "$(qemu-system-x86_64 --version 2>/dev/null | sed -n '1s/ (.*//p')"
