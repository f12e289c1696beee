# screen_lib.sh - what the end-to-end screen tests share: the program in a
# private tmux, virsh on the private daemon, polling the screen. Source it
# after daemon.sh with SCREEN_NAME set (it names the test in its output);
# define cleanup_more for what the test made, called on exit.

sock=$(mktemp -u /tmp/vmm-tmux.XXXXXX)
t() { tmux -S "$sock" "$@"; }
v() { virsh -q -c "$E2E_URI" "$@"; }
_screen_cleanup() {
	t kill-server 2>/dev/null || true
	rm -f "$sock"
	! declare -F cleanup_more >/dev/null || cleanup_more
}
trap _screen_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

screen() { t capture-pane -p -t vmm; }
fail() {
	echo "$SCREEN_NAME: FAIL: $*" >&2
	screen >&2 || true
	exit 1
}
passed=0
pass() {
	passed=$((passed + 1))
	echo "$SCREEN_NAME: ok: $*"
}

# wait_for REGEX [SECONDS]: poll the screen until it shows REGEX (def. 30 s).
wait_for() {
	local end=$((SECONDS + ${2:-30}))
	until screen | grep -qE -- "$1"; do
		((SECONDS < end)) || fail "screen never showed /$1/"
		sleep 0.1
	done
}

# disk_of VM: the file vda points at, from virsh domblklist.
disk_of() { v domblklist "$1" | awk '$1 == "vda" { print $2 }'; }

# drop_made PREFIX VM...: for cleanup_more. The VMs go (with what would keep
# them defined: snapshots, a saved state), then the images named PREFIX*.
drop_made() {
	local prefix=$1 vm
	shift
	for vm in "$@"; do
		v destroy "$vm" >/dev/null 2>&1 || true
		v undefine --snapshots-metadata --managed-save "$vm" >/dev/null 2>&1 || true
	done
	rm -f "$E2E_IMG/$prefix"*
	v pool-refresh images >/dev/null 2>&1 || true
}
