#!/bin/sh
# Installs the Debian packages that `make demo` or `make check` need and
# are missing, when run as root; otherwise prints the apt-get line to run.
set -eu

base="build-essential pkg-config libncurses-dev libvirt-dev libxml2-dev"
case "${1:-demo}" in
demo) want="$base" ;;
check) want="$base libcmocka-dev libvirt-daemon libvirt-daemon-driver-qemu
	libvirt-clients qemu-system-x86 qemu-utils tmux groff-base python3" ;;
*) echo "usage: deps.sh demo|check" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "vmmanager needs these Debian packages. Run, as root:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q $missing
