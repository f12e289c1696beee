#!/bin/sh
# Installs the Debian packages that `make demo` or `make check` need and
# are missing, when run as root; otherwise prints the apt-get line to run.
# `deps.sh build` (plain `make`, `make all`, `make install`) only checks
# that a compiler, pkg-config and the libraries' headers are there, by
# asking them (CC and PKG_CONFIG as make has them), and prints that line
# and fails when one is not: a build never ends in a compiler error about
# a missing header.
set -eu

base="build-essential pkg-config libncurses-dev libvirt-dev libxml2-dev"
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
tell() {
	echo "vmmanager needs these Debian packages. Run, as root:" >&2
	echo "  apt-get update && apt-get install -y$1" >&2
}
case "${1:-demo}" in
demo) want="$base" ;;
deb) want="$base dpkg-dev debhelper fakeroot" ;;
check) want="$base libcmocka-dev libvirt-daemon libvirt-daemon-driver-qemu
	libvirt-clients qemu-system-x86 qemu-utils tmux groff-base python3
	dpkg-dev debhelper fakeroot lintian mandoc" ;;
build)
	missing=""
	command -v "${CC:-cc}" >/dev/null 2>&1 || missing="$missing build-essential"
	pc=${PKG_CONFIG:-pkg-config}
	if command -v "$pc" >/dev/null 2>&1; then
		for pair in libncurses-dev:ncursesw libvirt-dev:libvirt libxml2-dev:libxml-2.0; do
			"$pc" --exists "${pair#*:}" 2>/dev/null || missing="$missing ${pair%%:*}"
		done
	else
		missing="$missing pkg-config"
		for p in libncurses-dev libvirt-dev libxml2-dev; do
			installed "$p" || missing="$missing $p"
		done
	fi
	[ -z "$missing" ] && exit 0
	tell "$missing"
	exit 1
	;;
*) echo "usage: deps.sh demo|deb|check|build" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	tell "$missing"
	exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q $missing
