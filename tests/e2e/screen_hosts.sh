#!/bin/bash
# Several hosts at once (issue 6), end to end: the real program on two
# private session daemons at once, host A (the one run.sh set up, whose
# E2E_* this script gets) and host B (a second account's, set up here).
#   a. the VMs of both hosts show, each naming its host in the HOST column,
#      the names in the order of -c even when B answers first (A's daemon
#      is held with SIGSTOP a moment at the start);
#   b. B's libvirtd stopped with SIGSTOP: B shows as not answering, then
#      disconnected (keepalive), while S still starts a VM on A and a
#      change on B is refused; it is tried again by itself;
#   c. B's libvirtd continued: B is picked up again by itself;
#   d. B's libvirtd killed: B shows as disconnected; the daemon started
#      again, the program reconnects by itself and lists B's VMs again.
# Prints how long each took. Everything made here goes on exit, also on
# failure; B's daemon by daemon.sh's e2e_cleanup.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z ${E2E_URI:-} || -z ${E2E_DIR:-} ]]; then
	echo "screen-hosts: needs a private daemon's E2E_* (run tests/e2e/run.sh)" >&2
	exit 1
fi

A_URI=$E2E_URI A_DIR=$E2E_DIR A_IMG=$E2E_IMG A_USER=$E2E_USER
# Host B's daemon can reuse A's QEMU capability cache (saves a probe).
caps=$A_DIR/cache/libvirt/qemu/cache/capabilities
if [[ -z ${E2E_CAPS_CACHE:-} ]] && compgen -G "$caps/*.xml" >/dev/null; then
	export E2E_CAPS_CACHE=$caps
fi

. tests/e2e/daemon.sh
tmp='' sock=''
t() { tmux -S "$sock" -f "$tmp/tmux.conf" "$@"; }

# B's processes (libvirtd, virtlogd), and A's: continued, so that nothing
# waits on a stopped daemon while cleaning up.
b_pids() { [[ -n ${B_DIR:-} ]] && _e2e_pids "$B_DIR"; }
cleanup() {
	local p vm
	trap '' INT TERM
	[[ -z $sock ]] || tmux -S "$sock" kill-server 2>/dev/null || true
	for p in $(b_pids) $(_e2e_pids "$A_DIR"); do kill -CONT "$p" 2>/dev/null || true; done
	for vm in hA-hosts1 hA-hosts2; do
		timeout 20 virsh -q -c "$A_URI" destroy "$vm" >/dev/null 2>&1 || true
		timeout 20 virsh -q -c "$A_URI" undefine "$vm" >/dev/null 2>&1 || true
	done
	rm -f "$A_IMG"/hA-hosts[12].qcow2
	[[ -z $tmp ]] || rm -rf "$tmp"
	e2e_cleanup # B's daemon: its VMs, processes and dirs
}
# e2e_setup sets its own EXIT trap (e2e_cleanup, of B only: A is run.sh's);
# once it has returned, ours, which calls it.
e2e_setup vmmtest2
B_URI=$E2E_URI B_DIR=$E2E_DIR B_USER=$E2E_USER
trap cleanup EXIT
tmp=$(mktemp -d /tmp/vmm-hosts.XXXXXX)
sock=$tmp/tmux.sock

use_a() { export E2E_URI=$A_URI E2E_DIR=$A_DIR E2E_IMG=$A_IMG E2E_USER=$A_USER; }
e2e_use vmmtest2
e2e_define_vm hB-hosts1
e2e_define_vm hB-hosts2
use_a
e2e_define_vm hA-hosts1
e2e_define_vm hA-hosts2

# ---------------------------------------------------------------- helpers

SCR= # the screen as last captured
prog_status() {
	if [[ -s $tmp/status ]]; then echo "ended with status $(<"$tmp/status")"; else echo "running"; fi
}
capture() { SCR=$(t capture-pane -p -t vmm 2>&1) || SCR="(no pane: $SCR)"; }
now_us() { local u=${EPOCHREALTIME/./}; echo $((10#$u)); }
# secs_since US: seconds since the time US (from now_us), one decimal.
secs_since() {
	local d=$(($(now_us) - $1))
	printf '%d.%d' $((d / 1000000)) $((d % 1000000 / 100000))
}

# matches PATTERN...: each extended regex matches a line of $SCR; one
# written "!REGEX" matches none.
matches() {
	local p
	for p; do
		if [[ $p == '!'* ]]; then
			! grep -Eq -- "${p#!}" <<<"$SCR" || return 1
		else
			grep -Eq -- "$p" <<<"$SCR" || return 1
		fi
	done
}

PASSES=0 FAILS=0
ok() { echo "screen-hosts: ok - $*"; PASSES=$((PASSES + 1)); }
fail() {
	{
		echo "screen-hosts: FAIL: $*"
		echo "the screen (the program $(prog_status)), between the bars:"
		sed 's/^/|/; s/$/|/' <<<"$SCR"
		if [[ -s $tmp/err ]]; then echo "the program's stderr:"; cat "$tmp/err"; fi
	} >&2
	FAILS=$((FAILS + 1))
	return 1
}

# wait_for SECONDS PATTERN...: poll the screen until it matches them all
# (see matches); WAITED is how long that took.
WAITED=
wait_for() {
	local secs=$1 start
	shift
	start=$(now_us)
	while :; do
		capture
		if matches "$@"; then
			WAITED=$(secs_since "$start")
			return 0
		fi
		if [[ -s $tmp/status ]] || (($(now_us) - start > secs * 1000000)); then
			fail "waited ${secs}s for a screen matching: $(printf "'%s' " "$@")"
			return 1
		fi
		sleep 0.1
	done
}

# The regex of a text: ERE special characters escaped.
# shellcheck disable=SC2001
re() { sed 's/[[\.*^$?+(){|]/\\&/g' <<<"$1"; }
# host_cell NAME [STATE]: the regex of a row's HOST cell: "NAME" or, while
# the host is not up, "NAME (STATE)". The column is as wide as the longest
# name and " (not answering)" (at most 32 columns, cut with "…").
HOST_W=32
host_cell() {
	local s=$1
	[[ -z ${2:-} ]] || s="$1 ($2)"
	if ((${#s} > HOST_W)); then
		printf '%s…' "$(re "${s:0:HOST_W-1}")"
	else
		re "$s"
	fi
}
# row VM CELL [STATE]: the regex of VM's row in the list, its HOST cell
# matching the regex CELL and its state STATE (a regex; any by default).
row() { printf '^[> ]%s +%s .* %s$' "$(re "$1")" "${3:-[a-z ]+}" "$2"; }
# title HOSTS: the regex of the VM list's title line listing HOSTS (a regex).
title() { printf '^ vmmanager \\| VM list \\| 2 hosts: %s( \\|.*)?$' "$1"; }

va() { virsh -q -c "$A_URI" "$@"; }
vb() { virsh -q -c "$B_URI" "$@"; }

# b_libvirtd, a_libvirtd: the pid of B's (A's) libvirtd: the process of
# its daemon dir named libvirtd.
libvirtd_of() {
	local p
	for p in $(_e2e_pids "$1"); do
		[[ $(cat "/proc/$p/comm" 2>/dev/null) == libvirtd ]] && echo "$p"
	done
	return 0
}
b_libvirtd() { libvirtd_of "$B_DIR"; }
a_libvirtd() { libvirtd_of "$A_DIR"; }
one_b_libvirtd() {
	local pids
	mapfile -t pids < <(b_libvirtd)
	((${#pids[@]} == 1)) || { fail "B's libvirtd: found pids '${pids[*]}', want one"; return 1; }
	B_PID=${pids[0]}
}

# ---------------------------------------------------- a. both hosts show

mkdir -p "$tmp/home/.config" "$tmp/home/.cache"
cat >"$tmp/tmux.conf" <<'CONF'
set -g status off
set -g remain-on-exit on
set -g exit-empty off
CONF
cmd=$(printf '%q ' env -u LIBVIRT_DEFAULT_URI LANG=C.UTF-8 TERM=xterm-256color HOME="$tmp/home" \
	XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache" \
	"${VMMANAGER:-./vmmanager}" -c "$A_URI" -c "$B_URI")
A_PID=$(a_libvirtd)
[[ $A_PID =~ ^[0-9]+$ ]] || { fail "A's libvirtd: found pids '$A_PID', want one"; exit 1; }
kill -STOP "$A_PID"
T0=$(now_us)
t new-session -d -s vmm -x 100 -y 30 "$cmd 2>$(printf %q "$tmp/err"); echo \$? >$(printf %q "$tmp/status")"
wait_for 15 '^ NAME +STATE +SNAPS +CHAIN +VCPU +MEMORY +HOST$'
# Only this test's VMs: host A has run.sh's others too.
t send-keys -t vmm / -hosts Enter
ANY='[^ ].*'
# B answers first (A's daemon held a moment), which must not change the
# hosts' names: they follow the order of -c.
wait_for 15 "$(row hB-hosts1 "$ANY" 'shut off')" "$(row hB-hosts2 "$ANY")" '!^[> ]hA-'
kill -CONT "$A_PID"
# Both hosts up (no marker in the title) and the four rows shown.
wait_for 20 '^ vmmanager \| VM list \| 2 hosts: [^()]+$' "$(row hA-hosts1 "$ANY" 'shut off')" \
	"$(row hA-hosts2 "$ANY")" "$(row hB-hosts1 "$ANY" 'shut off')" "$(row hB-hosts2 "$ANY")" '!^[> ]e2e-'
t_load=$(secs_since "$T0")
# The title lists the hosts in the order of -c: A's name, then B's.
read -r SEEN_A SEEN_B < <(sed -nE '1s/^ vmmanager \| VM list \| 2 hosts: //p' <<<"$SCR") || true
# A unix socket URI's host is named "<hostname>:<path>"; the second one of
# a name gets "#2": B, the second -c.
hn=$(va hostname)
NAME_A="$hn:session" NAME_B="$hn:session#2"
if [[ $SEEN_A != "$NAME_A" || $SEEN_B != "$NAME_B" ]]; then
	fail "hosts named '$SEEN_A' (A, first -c) and '$SEEN_B' (B), not '$NAME_A' and '$NAME_B'; going on with the names shown" || true
	NAME_A=$SEEN_A NAME_B=$SEEN_B
fi
A_=$(re "$NAME_A") B_=$(re "$NAME_B")
CELL_A=$(host_cell "$NAME_A") CELL_B=$(host_cell "$NAME_B")
HA1=$(row hA-hosts1 "$CELL_A") HA2=$(row hA-hosts2 "$CELL_A")
HB1=$(row hB-hosts1 "$CELL_B") HB2=$(row hB-hosts2 "$CELL_B")
if matches "$HA1" "$HA2" "$HB1" "$HB2"; then
	order=$(grep -oE '^[> ]h[AB]-hosts[12] ' <<<"$SCR" | tr -d '> ' | tr '\n' ' ')
	if [[ $order == "hA-hosts1 hA-hosts2 hB-hosts1 hB-hosts2 " ]]; then
		ok "a: both hosts' VMs listed ${t_load}s after start, grouped by host, HOST column '$NAME_A' / '$NAME_B'"
	else
		fail "rows not grouped by host in the order of -c: $order" || true
	fi
else
	fail "the HOST column does not name each VM's host: hA-* '$NAME_A', hB-* '$NAME_B'" || true
fi

# ------------------------------------- b. B stopped: A usable, B marked

one_b_libvirtd
kill -STOP "$B_PID"
T_STOP=$(now_us)
t send-keys -t vmm C-l
t_slow=- t_disc=- t_start=- t_try=-
if wait_for 15 "$(title "$A_ $B_ \\(not answering\\)")" \
	"$(row hB-hosts1 "$(host_cell "$NAME_B" 'not answering')")" "$HA1" "$HA2"; then
	t_slow=$WAITED
	ok "b1: B stopped, Ctrl-L: B not answering ${t_slow}s later"
fi
# A stays usable: S on hA-hosts1 starts it.
t send-keys -t vmm g
if wait_for 5 '^>hA-hosts1 '; then
	t send-keys -t vmm S
	if wait_for 15 "$(row hA-hosts1 "$CELL_A" running)"; then
		t_start=$WAITED
		st=$(va domstate hA-hosts1 2>&1) || true
		if [[ $st == running ]]; then
			ok "b2: B stopped: S started hA-hosts1 on A, running on screen ${t_start}s after S"
		else
			fail "the screen shows hA-hosts1 running, virsh on A says '$st'" || true
		fi
	fi
fi
# A change on B is refused, in the status line ("NAME is STATE: ...").
t send-keys -t vmm G
if wait_for 5 '^>hB-hosts2 '; then
	t send-keys -t vmm S
	wait_for 5 "^$B_ is (not answering|disconnected|connecting): " &&
		ok "b3: S on hB-hosts2 refused: '$(tail -n 1 <<<"$SCR")'"
fi
# Keepalive (5 s x 3) finds the stopped daemon dead: disconnected.
if wait_for 35 "$(title "$A_ $B_ \\(disconnected\\)")" \
	"$(row hB-hosts1 "$(host_cell "$NAME_B" disconnected)")" "$HA1"; then
	t_disc=$(secs_since "$T_STOP")
	ok "b4: B disconnected ${t_disc}s after SIGSTOP; status line '$(tail -n 1 <<<"$SCR")'"
fi

# Reconnected by itself every 5 s: an attempt on the stopped daemon waits
# (shown as connecting), and meanwhile the screen still answers keys.
if wait_for 10 "$(title "$A_ $B_ \\((connecting|not answering)\\)")" "$HA1"; then
	t_try=$(secs_since "$T_STOP")
	t send-keys -t vmm g
	wait_for 5 '^>hA-hosts1 ' && t send-keys -t vmm G && wait_for 5 '^>hB-hosts2 ' &&
		ok "b5: B tried again by itself ${t_try}s after SIGSTOP ('$(grep -oE "$B_ \\([a-z ]+\\)" <<<"$SCR" | head -n 1)'), the screen still answers keys"
fi

# ------------------------------------------- c. B continued: picked up

kill -CONT "$B_PID"
t_back=-
if wait_for 40 "$(title "$A_ $B_")" "$HB1" "$HB2" "$HA1"; then
	t_back=$WAITED
	ok "c: B continued: back by itself ${t_back}s later"
fi
st=$(vb domstate hB-hosts2 2>&1) || true
[[ $st == "shut off" ]] || fail "hB-hosts2 is '$st' on B: the refused S was carried out after all" || true
st=$(va domstate hA-hosts1 2>&1) || true
[[ $st == running ]] || fail "hA-hosts1 is '$st' on A, not running" || true

# ------------------------------------- d. B killed and started again

t_kdisc=- t_rec=-
if one_b_libvirtd; then
	kill -KILL "$B_PID"
	if wait_for 15 "$(title "$A_ $B_ \\(disconnected\\)")" \
		"$(row hB-hosts1 "$(host_cell "$NAME_B" disconnected)")" "$HA1"; then
		t_kdisc=$WAITED
		ok "d1: B killed: disconnected ${t_kdisc}s later; status line '$(tail -n 1 <<<"$SCR")'"
	fi
	# The session daemon starts again when its user connects.
	for _ in {1..100}; do [[ -z $(b_libvirtd) ]] && break; sleep 0.1; done
	_e2e_as "$B_USER" "$B_DIR" virsh -q -c qemu:///session version >/dev/null 2>&1 || true
	end=$((SECONDS + 30))
	until vb version >/dev/null 2>&1; do
		((SECONDS < end)) || { fail "B's daemon did not start again in 30 s" || true; break; }
		sleep 0.2
	done
	if wait_for 20 "$(title "$A_ $B_")" "$HB1" "$HB2" "$HA1"; then
		t_rec=$WAITED
		ok "d2: B started again: reconnected by itself ${t_rec}s after its daemon answered"
	else
		t send-keys -t vmm R
		wait_for 15 "$(title "$A_ $B_")" "$HB1" "$HB2" "$HA1" &&
			echo "screen-hosts: (after R, B was back in ${WAITED}s)" >&2
	fi
fi

# ------------------------------------------------------------- the end

t send-keys -t vmm q
for ((i = 0; i < 100; i++)); do [[ -s $tmp/status ]] && break; sleep 0.1; done
capture
if [[ $(prog_status) != "ended with status 0" ]]; then
	fail "q did not end the program with status 0 in 10 s" || true
elif [[ -s $tmp/err ]]; then
	fail "the program wrote to stderr" || true
fi
echo "screen-hosts: timings: not answering ${t_slow}s after Ctrl-L; disconnected ${t_disc}s after SIGSTOP;" \
	"tried again ${t_try}s after SIGSTOP;" \
	"S on A ${t_start}s; back ${t_back}s after SIGCONT; disconnected ${t_kdisc}s after SIGKILL;" \
	"reconnected ${t_rec}s after the restarted daemon answered; all in ${SECONDS}s"
echo "screen-hosts: $PASSES passed, $FAILS failed"
((FAILS == 0))
