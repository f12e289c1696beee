#!/bin/sh
# Screen tests: the real vmmanager in a private tmux server, driven with
# send-keys and read with capture-pane, against libvirt's test driver
# (tests/driver/fixture.xml: a fresh, private copy of its state for every
# connection). Each test is a short story of what a person does and sees.
#
#   sh tests/screen/run.sh          (from the repository root; re-runs itself
#                                    with bash)
#   sh tests/screen/run.sh 3 8      only tests 3 and 8
#   VMMANAGER=build/san/vmmanager sh tests/screen/run.sh
#   SCREEN_TIMEOUT=20 ...           seconds to wait for a screen (default 10)
#   SCREEN_TERM=xterm-256color ...  TERM inside the panes (default
#                                    screen-256color, what tmux emulates)
#
# Prints "ok N - ..." / "not ok N - ..." per test, with the screen as "#"
# lines when one fails, then "P passed, F failed"; exits 1 if any failed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/screen
FIXTURE=$ROOT/tests/driver/fixture.xml
URI=test://$FIXTURE
VMM=${VMMANAGER:-$ROOT/vmmanager}
case $VMM in /*) ;; *) VMM=$PWD/$VMM ;; esac
DEADLINE=${SCREEN_TIMEOUT:-10}
PANE_TERM=${SCREEN_TERM:-screen-256color}

export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8

for need in tmux python3 pgrep; do
	command -v "$need" >/dev/null || { echo "Bail out! $need is not installed"; exit 1; }
done
[ -x "$VMM" ] || { echo "Bail out! no program at $VMM (make vmmanager)"; exit 1; }
[ -r "$FIXTURE" ] || { echo "Bail out! no fixture at $FIXTURE"; exit 1; }

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/vmmscreen.XXXXXX") || exit 1
SOCK=$TMPD/tmux.sock
# The program and its shells get an empty home: no user config, key
# bindings or shell history can leak in or out.
mkdir -p "$TMPD/home/.config" "$TMPD/home/.cache"
cat >"$TMPD/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g exit-empty off
set -g default-shell /bin/bash
set -g history-limit 200
EOF

tm() { tmux -u -S "$SOCK" -f "$TMPD/tmux.conf" "$@"; }

cleanup() {
	tmux -S "$SOCK" kill-server 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---------------------------------------------------------------- helpers

CUR=      # the tmux session the helpers act on
SCR=      # the screen as last captured by poll (one line per row)

diag() { sed 's/^/# /'; }

# Environment for everything run in a pane.
pane_env() {
	printf '%q ' env -u LC_ALL -u NO_COLOR -u LIBVIRT_DEFAULT_URI \
		LANG=C.UTF-8 TERM="$PANE_TERM" HOME="$TMPD/home" \
		XDG_CONFIG_HOME="$TMPD/home/.config" XDG_CACHE_HOME="$TMPD/home/.cache"
}

# start_vmm SESSION COLS ROWS ARGS...: vmmanager ARGS in a new COLSxROWS
# window; its stderr goes to $TMPD/SESSION.err and, when it ends, its exit
# status to $TMPD/SESSION.status. (A shell waits for it and writes the
# status: tmux 3.3a often fails to reap a threaded program it runs itself.)
start_vmm() {
	local s=$1 w=$2 h=$3
	shift 3
	: >"$TMPD/$s.err"
	rm -f "$TMPD/$s.status"
	tm new-session -d -s "$s" -x "$w" -y "$h" \
		"$(pane_env) $(printf '%q ' "$VMM" "$@") 2>$(printf %q "$TMPD/$s.err"); echo \$? >$(printf %q "$TMPD/$s.status")"
	CUR=$s
}

# start_shell SESSION: an interactive bash (prompt "vmmsh$ ") in 80x24.
start_shell() {
	tm new-session -d -s "$1" -x 80 -y 24 \
		"exec $(pane_env) PS1='vmmsh\$ ' HISTFILE= bash --norc --noprofile -i"
	CUR=$1
	wait_for '^vmmsh\$'
}

keys() { tm send-keys -t "=$CUR:" "$@"; }
type_line() { tm send-keys -t "=$CUR:" -l "$1"; tm send-keys -t "=$CUR:" Enter; }
pane() { tm display-message -p -t "=$CUR:" "$1"; }

capture() {
	SCR=$(tm capture-pane -p -t "=$CUR:"; echo .)
	SCR=${SCR%.}
}

show_screen() {
	local how
	echo "screen of $CUR ($(pane '#{pane_width}x#{pane_height}'), between the bars):"
	printf '%s' "$SCR" | sed 's/^/|/; s/$/|/'
	if pane_exited; then
		how=$(exit_how)
		echo "the program has ended${how:+, $how}"
		[ -s "$TMPD/$CUR.err" ] && { echo "its stderr:"; cat "$TMPD/$CUR.err"; }
	fi
}

# fail MESSAGE: print MESSAGE and the screen as diagnostics, return 1.
fail() {
	{ echo "$1"; show_screen; } | diag
	return 1
}

now_us() { echo "${EPOCHREALTIME/./}"; }

# poll CHECK ARGS...: capture the screen into $SCR until CHECK ARGS succeeds;
# give up after $DEADLINE seconds, or at once if the program has exited.
poll() {
	local end=$(($(now_us) + DEADLINE * 1000000))
	while :; do
		capture
		"$@" && return 0
		if pane_exited; then
			capture
			"$@" && return 0
			return 1
		fi
		[ "$(now_us)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# matches PATTERN...: every extended regex matches a line of $SCR; a
# pattern written "!REGEX" must match none.
matches() {
	local p
	for p; do
		case $p in
		'!'*) grep -Eq -- "${p#!}" <<<"$SCR" && return 1 ;;
		*) grep -Eq -- "$p" <<<"$SCR" || return 1 ;;
		esac
	done
	return 0
}

# wait_for PATTERN...: until the screen shows all of them (see matches).
wait_for() {
	poll matches "$@" || fail "waited ${DEADLINE}s for a screen matching: $(printf "'%s' " "$@")"
}

# wait_gone PATTERN...: until no line matches any of them.
wait_gone() {
	local a=() p
	for p; do a+=("!$p"); done
	poll matches "${a[@]}" || fail "waited ${DEADLINE}s for these to go: $(printf "'%s' " "$@")"
}

status_matches() { [[ $(printf '%s' "$SCR" | tail -n 1) =~ $1 ]]; }

# wait_status REGEX: until the bottom line (the status line) matches.
wait_status() {
	poll status_matches "$1" || fail "waited ${DEADLINE}s for a status line matching '$1'"
}

# wait_selected NAME: until the one row marked '>' is NAME's (a regex).
selected_is() { [ "$(grep -c '^>' <<<"$SCR")" = 1 ] && grep -Eq "^>$1( |…)" <<<"$SCR"; }
wait_selected() {
	poll selected_is "$1" || fail "waited ${DEADLINE}s for the '>' marker on $1 only"
}

# check_width COLS: no line of $SCR is wider than COLS display columns.
check_width() {
	local out
	out=$(python3 "$HERE/screencheck.py" width "$1" <<<"$SCR") || fail "$out"
}

# check_layout COLS VMROWS: on the current $SCR, no line is wider than
# COLS display columns and the state words of the VMROWS rows line up under
# STATE.
check_layout() {
	local out
	out=$(python3 "$HERE/screencheck.py" width "$1" <<<"$SCR") &&
		out=$(python3 "$HERE/screencheck.py" state-column "$2" <<<"$SCR") ||
		fail "$out"
}

# exit_how: how vmmanager ended ("status N"), "" while it runs
exit_how() {
	local st
	[ -s "$TMPD/$CUR.status" ] && st=$(cat "$TMPD/$CUR.status") || return 0
	if [ "$st" -gt 128 ]; then echo "status $st, killed by signal $((st - 128))"; else echo "status $st"; fi
}
pane_exited() { [ -n "$(exit_how)" ] || [ "$(pane '#{pane_dead}')" = 1 ]; }

exited_with_status() { [ -n "$(exit_how)" ]; }

# quits_cleanly: q from the VM list ends the program with status 0 and
# nothing on stderr (a sanitizer build reports there).
quits_cleanly() {
	keys q
	poll exited_with_status || fail "q did not end the program within ${DEADLINE}s" || return 1
	[ "$(exit_how)" = "status 0" ] || fail "q ended the program with $(exit_how), expected status 0" || return 1
	[ ! -s "$TMPD/$CUR.err" ] || fail "the program wrote to stderr" || return 1
}

# The six VMs of the fixture as rows of the list at 80 columns.
ALL_SIX=(
	'^[> ]alpha +running +3 +3 +2 +1\.0 GiB$'
	'^[> ]beta +paused '
	'^[> ]gamma +shut off '
	'^[> ]delta +saved '
	'^[> ]spaced name ünïcödé ✓ +shut off '
	'^[> ]longx+… +shut off '
)
HEADER='^ NAME +STATE +SNAPS +CHAIN +VCPU +MEMORY$'

# ------------------------------------------------------------------ tests

test_list_shows_every_vm() {
	start_vmm list 80 24 -c "$URI"
	wait_for "$HEADER" "${ALL_SIX[@]}"
	[ "$(grep -Ec ' (running|paused|shut off|saved) ' <<<"$SCR")" = 6 ] || fail "not exactly six VM rows"
	quits_cleanly
}

test_long_and_unicode_names_fit_and_line_up() {
	start_vmm wide 80 24 -c "$URI"
	wait_for "$HEADER" "${ALL_SIX[@]}"
	check_layout 80 6
	# narrower: the unicode name must be cut inside its accented letters,
	# by display columns, with the state still lined up
	start_vmm narrow 56 24 -c "$URI"
	wait_for '^ NAME +STATE' '^ spaced name ün[^ …]*… +shut off ' '^ longx+… +shut off '
	check_layout 56 6
	quits_cleanly
}

test_jkgG_move_the_selection() {
	start_vmm move 80 24 -c "$URI"
	wait_selected alpha
	keys j; wait_selected beta
	keys j; wait_selected delta
	keys k; wait_selected beta
	keys G; wait_selected 'spaced name'
	keys j k; wait_selected longx+     # j on the last row stays there
	keys g; wait_selected alpha
	keys k j; wait_selected beta       # k on the first row stays there
	quits_cleanly
}

test_filter_by_name() {
	start_vmm filter 80 24 -c "$URI"
	wait_for "${ALL_SIX[@]}"
	keys /
	keys -l gam
	wait_for '^>gamma +shut off ' '!^[> ](alpha|beta|delta|long|spaced) '
	keys Escape
	wait_gone '/gam'
	wait_for "${ALL_SIX[@]}"
	quits_cleanly
}

test_help_lists_the_keys() {
	start_vmm help 80 24 -c "$URI"
	wait_for "$HEADER"
	keys '?'
	wait_for 'filter by name' 'force off' '!NAME +STATE'
	keys q
	wait_gone 'filter by name' 'force off'
	wait_for "$HEADER" "${ALL_SIX[@]}"
	quits_cleanly
}

# matches_nudging PATTERN...: like matches, but presses Ctrl-L when they
# do not match yet.
matches_nudging() { matches "$@" || { keys C-l; return 1; }; }

# after_resize PATTERN...: wait for the screen a resize must redraw by
# itself. Once that has failed, later steps are helped with Ctrl-L so
# the rest of the story is still checked.
NUDGE=
after_resize() {
	if [ -z "$NUDGE" ]; then
		poll matches "$@" && return 0
		fail "no redraw ${DEADLINE}s after resizing to $(pane '#{pane_width}x#{pane_height}'), no key pressed; waited for: $(printf "'%s' " "$@")" || true
		echo "# from here on, Ctrl-L is pressed after each resize"
		NUDGE=1
	fi
	poll matches_nudging "$@" || fail "not even Ctrl-L redraws it: $(printf "'%s' " "$@")" || return 1
	echo "# with Ctrl-L, the $(pane '#{pane_width}x#{pane_height}') screen is as expected"
}

test_resizing_keeps_a_sane_screen() {
	start_vmm resize 80 24 -c "$URI"
	wait_for "$HEADER" "${ALL_SIX[@]}"

	tm resize-window -t "=$CUR:" -x 40 -y 10
	after_resize '^ NAME +STATE' '^>alpha +running' '^ spaced name' '^ longx+…'
	check_layout 40 6

	tm resize-window -t "=$CUR:" -x 30 -y 6
	after_resize 'Terminal too small'
	check_width 30

	tm resize-window -t "=$CUR:" -x 80 -y 24
	after_resize "$HEADER" "${ALL_SIX[@]}" '!Terminal too small'
	check_layout 80 6
	quits_cleanly
	[ -z "$NUDGE" ]
}

test_readonly_refuses_to_start() {
	start_vmm ro 80 24 -r -c "$URI"
	wait_selected alpha
	keys j j j
	wait_selected gamma
	keys S
	wait_status 'Read-only'
	wait_for '^>gamma +shut off '
	quits_cleanly
}

test_force_off_asks_first() {
	start_vmm forceoff 80 24 -c "$URI"
	wait_selected alpha
	wait_for '^>alpha +running '
	keys X
	wait_status 'Force off'
	keys n
	wait_status 'Cancelled'
	wait_for '^>alpha +running '
	keys X
	wait_status 'Force off'
	keys y
	wait_for '^>alpha +shut off '
	quits_cleanly
}

# In a shell in the pane, run vmmanager and end it with END (a function),
# then ask stty whether echo, canonical input and CR-to-NL are on again.
# The program runs under "bash -c": were it killed by the signal, the
# interactive shell would repair the terminal itself and hide the fault.
shell_story() {
	local end=$1 fixture=$2
	start_shell "$3"
	type_line "bash -c '\"\$0\" \"\$@\"; echo \"vmmanager exited with status \$?\"' $(printf '%q ' "$VMM" -c "test://$fixture")"
	wait_for "$HEADER" "${ALL_SIX[@]}"
	"$end"
	wait_for '^vmmanager exited with status [0-9]+$'
	grep '^vmmanager exited' <<<"$SCR" | diag
	[ "$(pane '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
	[ "$(pane '#{cursor_flag}')" = 1 ] || fail "the cursor is still hidden"
	wait_for '^vmmsh\$ ?$'
	type_line "stty -a | tr ' ' '\n' | grep -x -e echo -e icanon -e icrnl -e -echo -e -icanon -e -icrnl"
	wait_for '^echo$' '^icanon$' '^icrnl$' '!^-echo$' '!^-icanon$' '!^-icrnl$'
}

end_with_q() { keys q; }

end_with_sigterm() {
	local p pid= exe
	exe=$(readlink -f "$VMM")
	# the fixture copy's path is only on this test's command lines; of
	# those processes, vmmanager is the one running $VMM
	for p in $(pgrep -f -- "$TMPD/sigterm-fixture.xml"); do
		[ "$(readlink -f "/proc/$p/exe" 2>/dev/null)" = "$exe" ] && pid=$p
	done
	[ -n "$pid" ] || fail "cannot find the vmmanager process" || return 1
	kill -TERM "$pid"
}

end_with_ctrl_c() { keys C-c; }

test_q_restores_the_terminal() {
	shell_story end_with_q "$FIXTURE" shq
}

test_sigterm_restores_the_terminal() {
	cp "$FIXTURE" "$TMPD/sigterm-fixture.xml"
	shell_story end_with_sigterm "$TMPD/sigterm-fixture.xml" shterm
}

test_ctrl_c_restores_the_terminal() {
	shell_story end_with_ctrl_c "$FIXTURE" shint
}

test_unreachable_uri_fails_with_libvirts_message() {
	local rc=0
	timeout 30 "$VMM" -c 'qemu+unix:///system?socket=/nonexistent/sock' \
		</dev/null >"$TMPD/unreach.out" 2>"$TMPD/unreach.err" || rc=$?
	{ echo "exit status $rc; stderr:"; cat "$TMPD/unreach.err"; } | diag
	[ "$rc" != 0 ] && [ "$rc" != 124 ] || { echo "# expected a non-zero exit status (124 is the timeout)"; return 1; }
	grep -q /nonexistent/sock "$TMPD/unreach.err" || { echo "# stderr does not name the socket"; return 1; }
}

# ------------------------------------------------------------------ runner

N=0 PASSED=0 FAILED=0
ONLY=("$@")   # test numbers to run; all when none are given

run_test() {
	local fn=$1 desc=$2 rc
	N=$((N + 1))
	if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $N "* ]]; then
		echo "ok $N - $desc # SKIP not selected"
		return
	fi
	# set -e in a subshell: a test stops at its first failed step
	(set -e; "$fn")
	rc=$?
	tm kill-server 2>/dev/null
	if [ $rc = 0 ]; then
		echo "ok $N - $desc"
		PASSED=$((PASSED + 1))
	else
		echo "not ok $N - $desc"
		FAILED=$((FAILED + 1))
	fi
}

echo "# screen tests of $VMM, TERM=$PANE_TERM"
run_test test_list_shows_every_vm "the VM list at 80x24 shows all six VMs, their states and alpha's 3 snapshots, chain 3, 2 vCPUs, 1.0 GiB"
run_test test_long_and_unicode_names_fit_and_line_up "a 200-character name and a unicode name are cut with … by display columns, no line overflows, STATE lines up (80 and 56 columns)"
run_test test_jkgG_move_the_selection "j, k, G and g move the '>' marker, and stop at the ends"
run_test test_filter_by_name "/ gam filters the list down to gamma; Esc brings all six back"
run_test test_help_lists_the_keys "? shows the VM list's keys; q goes back to the list"
run_test test_resizing_keeps_a_sane_screen "resizing to 40x10 keeps the list, 30x6 says Terminal too small, 80x24 brings it all back"
run_test test_readonly_refuses_to_start "with -r, S on a shut-off VM is refused with a Read-only message"
run_test test_force_off_asks_first "X asks before forcing alpha off: n cancels, y turns it off"
run_test test_q_restores_the_terminal "q quits and the shell gets its terminal back (echo, icanon, cursor, main screen)"
run_test test_sigterm_restores_the_terminal "SIGTERM ends the program and the terminal is restored"
run_test test_ctrl_c_restores_the_terminal "Ctrl-C ends the program and the terminal is restored"
run_test test_unreachable_uri_fails_with_libvirts_message "an unreachable URI exits non-zero with libvirt's message naming the socket"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
