#!/bin/sh
# Screen tests: the real vmmanager in a private tmux server, driven with
# send-keys and read with capture-pane, against libvirt's test driver
# (tests/driver/fixture.xml: a fresh, private copy of its state for every
# connection). Each test is a short story of what a person does and sees.
#
#   sh tests/screen/run.sh          (from the repository root; re-runs itself
#                                    with bash)
#   sh tests/screen/run.sh 3 8      only tests 3 and 8
#   sh tests/screen/run.sh test_x   only the test of that function
#   VMMANAGER=build/san/vmmanager sh tests/screen/run.sh
#   SCREEN_TIMEOUT=20 ...           seconds to wait for a screen (default 10)
#   SCREEN_TERM=xterm-256color ...  TERM inside the panes (default
#                                    screen-256color, what tmux emulates)
#   SCREEN_JOBS=1 ...               tests one at a time (default 2 at once:
#                                    they mostly wait for the screen; each
#                                    has its own tmux server and files)
#
# Prints "ok N - ..." / "not ok N - ..." per test, with the screen as "#"
# lines and "# failed: FUNCTION" when one fails, then "P passed, F
# failed"; exits 1 if any failed.
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
	local j
	for j in $(jobs -p); do kill -TERM "$j" 2>/dev/null; done
	for j in "$TMPD"/tmux*.sock; do tmux -S "$j" kill-server 2>/dev/null; done
	wait
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---------------------------------------------------------------- helpers

CUR=      # the tmux session the helpers act on
SCR=      # the screen as last captured by poll (one line per row)

diag() { sed 's/^/# /'; }

# Environment for everything run in a pane; CONFIG_HOME, when set, is
# the XDG_CONFIG_HOME of a test that brings its own config file.
pane_env() {
	printf '%q ' env -u LC_ALL -u NO_COLOR -u LIBVIRT_DEFAULT_URI \
		LANG=C.UTF-8 TERM="$PANE_TERM" HOME="$TMPD/home" \
		XDG_CONFIG_HOME="${CONFIG_HOME:-$TMPD/home/.config}" XDG_CACHE_HOME="$TMPD/home/.cache"
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
# pattern written "!REGEX" must match none; a pattern made with stack
# (regexes joined by newlines) must match that many consecutive lines.
matches() {
	local p
	for p; do
		case $p in
		'!'*) grep -Eq -- "${p#!}" <<<"$SCR" && return 1 ;;
		*$'\n'*) rows_match "$p" || return 1 ;;
		*) grep -Eq -- "$p" <<<"$SCR" || return 1 ;;
		esac
	done
	return 0
}

# stack REGEX...: one pattern for matches: lines directly below each other.
stack() { local IFS=$'\n'; printf '%s' "$*"; }

rows_match() {
	local -a lines pats
	local i j
	mapfile -t lines <<<"$SCR"
	mapfile -t pats <<<"$1"
	for ((i = 0; i + ${#pats[@]} <= ${#lines[@]}; i++)); do
		for ((j = 0; j < ${#pats[@]}; j++)); do
			[[ ${lines[i + j]} =~ ${pats[j]} ]] || continue 2
		done
		return 0
	done
	return 1
}

# nested REGEX...: the lines matching them (the first match of each) start
# further right one after the other: each one is indented below the last.
nested() {
	local p line prev=-1 ind
	for p; do
		line=$(grep -Em1 -- "$p" <<<"$SCR") || return 1
		ind=${line%%[! ]*}
		[ "${#ind}" -gt "$prev" ] || return 1
		prev=${#ind}
	done
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
selected_is() { [ "$(grep -c '^>' <<<"$SCR")" = 1 ] && grep -Eq "^>$1( |…|$)" <<<"$SCR"; }
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

# after_resize PATTERN...: wait for the screen a resize must redraw by
# itself (SIGWINCH), with no key pressed.
after_resize() {
	poll matches "$@" ||
		fail "no redraw ${DEADLINE}s after resizing to $(pane '#{pane_width}x#{pane_height}'), no key pressed; waited for: $(printf "'%s' " "$@")"
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

# -r makes every host read-only, also those of the config file: a change
# is refused there too, and nothing changes.
test_readonly_applies_to_config_hosts() {
	local CONFIG_HOME=$TMPD/roconf
	mkdir -p "$CONFIG_HOME/vmmanager"
	printf 'host lab %s\n' "$(fresh_uri roconf)" >"$CONFIG_HOME/vmmanager/config"
	start_vmm roconf 80 24 -r
	wait_for '^ vmmanager \| VM list \| lab .*read-only' "${ALL_SIX[@]}"
	keys j j j
	wait_selected gamma
	keys S
	wait_status 'Read-only connection to lab'
	keys g
	wait_selected alpha
	keys s
	wait_status 'Read-only connection to lab'
	wait_for '!Take a snapshot' '^>alpha +running +3 ' '^ gamma +shut off '
	quits_cleanly
}

test_force_off_asks_first() {
	start_vmm forceoff 80 24 -c "$URI"
	wait_selected alpha
	wait_for '^>alpha +running '
	keys X
	wait_for 'Force off alpha\? '
	keys n
	wait_status 'Cancelled'
	wait_gone 'Force off alpha'
	wait_for '^>alpha +running '
	keys X
	wait_for 'Force off alpha\? '
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

test_overlong_uri_is_refused_not_cut() {
	local rc=0 uri
	uri="test:///$(printf '%0600d' 0)"
	timeout 30 "$VMM" -c "$uri" </dev/null >"$TMPD/longuri.out" 2>"$TMPD/longuri.err" || rc=$?
	{ echo "exit status $rc; stderr:"; cat "$TMPD/longuri.err"; } | diag
	[ "$rc" = 2 ] || { echo "# expected exit status 2 (bad usage)"; return 1; }
	grep -q "the URI is 608 bytes long" "$TMPD/longuri.err" || { echo "# stderr does not say why"; return 1; }
}

# ------------------------------------------------------- the VM screen

# fresh_uri NAME: the URI of a fresh copy of the fixture, for a test that
# changes snapshots.
fresh_uri() {
	cp "$FIXTURE" "$TMPD/$1.xml"
	printf 'test://%s' "$TMPD/$1.xml"
}

# alpha's tree as the fixture has it, a3 current and selected, at >= 90
# columns (the details pane on the right of each row).
ALPHA_TREE=$(stack '^ a1 ' '^ ├─ a2 ' '^>└─ ● a3 ')
ALPHA_CHAIN=$(stack ' vda +/fx/alpha-top\.qcow2 \(qcow2, 10' ' └─ /fx/alpha-mid\.qcow2 \(qcow2, 10' ' └─ /fx/base\.qcow2 \(qcow2, 10')

# open_alpha SESSION [ARGS...]: vmmanager at 100x30 on a fresh fixture
# copy, with Enter pressed on alpha: its VM screen, the tree loaded.
open_alpha() {
	local s=$1
	shift
	start_vmm "$s" 100 30 "$@" -c "$(fresh_uri "$s")"
	wait_selected alpha
	keys Enter
	wait_for '^ Snapshots of alpha \(3\)  -  running' "$ALPHA_TREE"
}

# back_and_quit: q back to the VM list, then q quits cleanly.
back_and_quit() {
	keys q
	wait_for "$HEADER"
	quits_cleanly
}

test_enter_shows_alphas_snapshot_tree_and_chain() {
	open_alpha tree
	wait_for "$ALPHA_TREE" 'Snapshot +a3$' 'Description  current snapshot$' 'Current +yes$' \
		'Disks and backing chains \(Tab\)$' "$ALPHA_CHAIN"
	poll nested ' vda +/fx/alpha-top\.qcow2' '└─ /fx/alpha-mid\.qcow2' '└─ /fx/base\.qcow2' ||
		fail "the backing files are not each indented below the layer above"
	wait_selected '└─ ● a3'
	check_width 100
	back_and_quit
}

test_take_a_snapshot_named_with_spaces_and_unicode() {
	open_alpha take
	keys s
	wait_for '│ Take a snapshot of alpha ' '│ Name: +snap-[0-9]{8}-[0-9]{6} +│' '│ Description: +│'
	keys C-u
	wait_for '│ Name: +│'
	keys -l 'before upgrade ✓'
	keys Tab
	keys -l '<quotes> & "amps"'
	wait_for '│ Name: +before upgrade ✓ +│' '│ Description: <quotes> & "amps" +│'
	keys Enter
	wait_gone 'Take a snapshot'
	wait_for '^ Snapshots of alpha \(4\)' "$(stack '^ a1 ' '^ ├─ a2 ' '^ └─ a3 ' '^>   └─ ● before upgrade ✓ ')" \
		'Snapshot +before upgrade ✓$' 'Description  <quotes> & "amps"$' 'Parent +a3$' 'Current +yes$' '!● a3'
	wait_status "^Snapshot 'before upgrade ✓' of alpha: done$"
	keys 2
	wait_for '^ JOB' "^> Snapshot 'before upgrade ✓.* done "
	keys 1
	wait_for "$HEADER" '^>alpha +running +4 +3 '
	quits_cleanly
}

test_revert_asks_and_n_keeps_y_reverts() {
	open_alpha revert
	keys k k
	wait_selected a1
	keys r
	wait_for "Revert alpha to snapshot 'a1'\?"
	keys n
	wait_status '^Cancelled$'
	wait_gone 'Revert alpha to'
	wait_for '^ Snapshots of alpha \(3\)  -  running' "$(stack '^>a1 ' '^ ├─ a2 ' '^ └─ ● a3 ')"
	keys r
	wait_for "Revert alpha to snapshot 'a1'\?"
	keys y
	wait_for '^ Snapshots of alpha \(3\)  -  shut off' "$(stack '^>● a1 ' '^ ├─ a2 ' '^ └─ a3 ')" 'Current +yes$'
	wait_status "^Revert alpha to 'a1': done$"
	keys q
	wait_for "$HEADER" '^>alpha +shut off +3 '
	quits_cleanly
}

test_delete_with_children_lists_them_and_empties_the_tree() {
	open_alpha delete
	keys g
	wait_selected a1
	keys d
	wait_for "│ Delete snapshot 'a1' " '│ +t +this snapshot only' '│ +c +this snapshot and all its children' \
		'│ +o +its children only' '│ +m +its metadata only'
	keys c
	wait_for '│ Delete 3 snapshots of alpha: +│' '│ +a1 +│' '│ +a2 +│' '│ +a3 +│'
	keys y
	wait_for '^ Snapshots of alpha \(0\)' '^ No snapshots yet' '!^[> ]a1 ' '!^ [├└]─ '
	wait_status 'done$'
	keys q
	wait_for "$HEADER" '^>alpha +running +0 '
	quits_cleanly
}

test_space_collapses_and_expands_a1() {
	open_alpha fold
	keys g
	wait_selected a1
	keys Space
	wait_for '^>a1 \[\+\] ' 'Snapshot +a1$' '!^ [├└]─ '
	keys Space
	wait_for "$(stack '^>a1 ' '^ ├─ a2 ' '^ └─ ● a3 ')" '!\[\+\]'
	back_and_quit
}

test_print_writes_the_tree_and_chains() {
	local uri rc=0
	uri=$(fresh_uri print)
	timeout 30 "$VMM" -c "$uri" --print alpha </dev/null >"$TMPD/p.out" 2>"$TMPD/p.err" || rc=$?
	SCR=$(cat "$TMPD/p.out")
	{ echo "--print alpha: status $rc, stdout:"; cat "$TMPD/p.out"; echo "stderr:"; cat "$TMPD/p.err"; } | diag
	[ "$rc" = 0 ] || { echo "# expected status 0"; return 1; }
	[ ! -s "$TMPD/p.err" ] || { echo "# expected nothing on stderr"; return 1; }
	matches "$(stack '^a1 .*"root snapshot"' '^├─ a2 ' '^└─ a3 .*\(current\).*"current snapshot"')" \
		"$(stack '^vda +/fx/alpha-top\.qcow2 \(qcow2, 10\.0 GiB virtual, 64\.0 MiB used\)$' '^ +└─ /fx/alpha-mid\.qcow2 \(qcow2, 10\.0 GiB virtual, 256\.0 MiB used\)$' '^ +└─ /fx/base\.qcow2 \(qcow2, 10\.0 GiB virtual, 1\.0 GiB used\)$')" \
		'!'$'\e' || { echo "# stdout is not the tree and the chain"; return 1; }
	nested '^vda ' '/fx/alpha-mid' '/fx/base' || { echo "# the chain is not indented level by level"; return 1; }

	rc=0
	timeout 30 "$VMM" -c "$uri" --print nosuchvm </dev/null >"$TMPD/n.out" 2>"$TMPD/n.err" || rc=$?
	{ echo "--print nosuchvm: status $rc, stderr:"; cat "$TMPD/n.err"; } | diag
	[ "$rc" != 0 ] && [ "$rc" != 124 ] || { echo "# expected a non-zero status (124 is the timeout)"; return 1; }
	grep -q nosuchvm "$TMPD/n.err" || { echo "# stderr does not name nosuchvm"; return 1; }
	[ ! -s "$TMPD/n.out" ] || { echo "# expected nothing on stdout"; return 1; }

	rc=0
	timeout 30 "$VMM" -c "$uri" --print alpha --ascii </dev/null >"$TMPD/a.out" 2>"$TMPD/a.err" || rc=$?
	{ echo "--print alpha --ascii: status $rc, stdout:"; cat "$TMPD/a.out"; } | diag
	[ "$rc" = 0 ] || { echo "# expected status 0"; return 1; }
	python3 -c 'import sys
bad = [(n, l) for n, l in enumerate(open(sys.argv[1], "rb").read().split(b"\n"), 1) if any(b >= 0x80 for b in l)]
for n, l in bad:
    print(f"# line {n} has bytes >= 0x80: {l!r}")
sys.exit(1 if bad else 0)' "$TMPD/a.out"
	SCR=$(cat "$TMPD/a.out")
	matches '^a1 ' '^[|`]- a2 ' '^[|`]- a3 .*\(current\)' '^ +[|`]- /fx/alpha-mid\.qcow2' '^ +[|`]- /fx/base\.qcow2' ||
		{ echo "# the --ascii tree or chain is missing"; return 1; }
}

test_small_windows_keep_a_sane_vm_screen() {
	start_vmm small 40 10 -c "$(fresh_uri small)"
	wait_selected alpha
	keys Enter
	wait_for '^ Snapshots of alpha' "$(stack '^ a1  int-disk$' '^ ├─ a2  int-sys$' '^>└─ ● a3  int-sys$')"
	check_width 40
	tm resize-window -t "=$CUR:" -x 80 -y 24
	after_resize "$(stack '^ a1  int-disk$' '^ ├─ a2  int-sys$' '^>└─ ● a3  int-sys$')" '^ Description  current snapshot$'
	check_width 80
	back_and_quit
}

test_80x24_vm_screen_shows_the_disk_chain() {
	start_vmm chain80 80 24 -c "$(fresh_uri chain80)"
	wait_selected alpha
	keys Enter
	wait_for "$(stack '^ a1  int-disk$' '^ ├─ a2  int-sys$' '^>└─ ● a3  int-sys$')" '^ Disks and backing chains'
	poll matches "$ALPHA_CHAIN" || fail "at 80x24 the VM screen does not show alpha's chain"
	back_and_quit
}

# cursor_after REGEX: the terminal's cursor is shown just after the text
# REGEX matches on the screen (the first line it matches).
cursor_after() {
	local want
	want=$(python3 "$HERE/screencheck.py" after "$1" <<<"$SCR") || return 1
	[ "$(pane '#{cursor_flag} #{cursor_y} #{cursor_x}')" = "1 $want" ]
}

test_take_form_cursor_follows_the_typing() {
	open_alpha cursor
	keys s
	wait_for '│ Name: +snap-[0-9]{8}-[0-9]{6} +│'
	keys C-u
	keys -l 'before ✓'
	wait_for '│ Name: +before ✓ +│'
	poll cursor_after 'Name: +before ✓' ||
		fail "typing the name, the cursor is at column $(pane '#{cursor_x}') of row $(pane '#{cursor_y}'), not just after 'before ✓'"
	keys Tab
	keys -l 'why'
	wait_for '│ Description: why +│'
	poll cursor_after 'Description: why' ||
		fail "typing the description, the cursor is at column $(pane '#{cursor_x}') of row $(pane '#{cursor_y}'), not just after 'why'"
	keys Escape
	wait_status '^Cancelled$'
	wait_gone 'Take a snapshot'
	wait_for '^ Snapshots of alpha \(3\)' "$ALPHA_TREE"
	back_and_quit
}

# open_alpha_40x10 SESSION: alpha's VM screen in a 40x10 window.
open_alpha_40x10() {
	start_vmm "$1" 40 10 -c "$(fresh_uri "$1")"
	wait_selected alpha
	keys Enter
	wait_for '^ Snapshots of alpha' "$(stack '^ a1  int-disk$' '^ ├─ a2  int-sys$' '^>└─ ● a3  int-sys$')"
}

test_small_window_take_form_shows_its_fields() {
	open_alpha_40x10 smallform
	keys s
	wait_for '│ Take a snapshot of alpha'
	poll matches '│ Name: +snap-[0-9]{8}-[0-9]{6} +│' '│ Description: +│' ||
		fail "at 40x10 the take form does not show both its Name and Description fields"
	check_width 40
	keys Escape
	wait_gone 'Take a snapshot'
	keys q
	wait_for '^ NAME +STATE'
	quits_cleanly
}

test_small_window_delete_menu_shows_every_choice() {
	open_alpha_40x10 smallmenu
	keys g
	wait_selected a1
	keys d
	wait_for "│ Delete snapshot 'a1'"
	poll matches '│ +t +this snapshot' '│ +c +this snapshot' '│ +o +its children' '│ +m +its metadata' ||
		fail "at 40x10 the delete menu does not show all of t, c, o and m"
	check_width 40
	keys Escape
	wait_gone 'Delete snapshot'
	keys q
	wait_for '^ NAME +STATE'
	quits_cleanly
}

test_readonly_refuses_a_snapshot() {
	start_vmm rosnap 80 24 -r -c "$(fresh_uri rosnap)"
	wait_selected alpha
	keys s
	wait_status 'Read-only'
	wait_for '!Take a snapshot' '^>alpha +running +3 '
	quits_cleanly
}

# Control characters in names and descriptions (here a C1 CSI in a VM's
# name, a tab and a C1 NEL in a snapshot's description, as libvirt
# accepts them) never reach the terminal: each shows as one '?'.
test_control_characters_in_names_are_shown_as_stand_ins() {
	sed -e 's|<name>gamma</name>|<name>gam\&#x9b;ma</name>|' \
		-e 's|<description>current snapshot</description>|<description>current\&#9;snap\&#x85;shot</description>|' \
		"$FIXTURE" >"$TMPD/controls.xml"
	start_vmm controls 100 30 -c "test://$TMPD/controls.xml"
	wait_for '^[> ]gam<U\+009B>ma +shut off ' '^>alpha +running '
	check_layout 100 6
	keys Enter
	wait_for '^ Snapshots of alpha \(3\)' 'Description  current<U\+0009>snap<U\+0085>shot$'
	check_width 100
	back_and_quit
}

test_images_screen_shows_the_shared_base() {
	start_vmm images 100 30 -c "$(fresh_uri images)"
	wait_selected alpha
	keys 3
	wait_for '^ Images \(1 shared base, 0 unused\)' \
		"$(stack '^>/fx/base\.qcow2 \(qcow2, base of 2 disks\)' '^ ├─ /fx/alpha-mid\.qcow2 \(qcow2\)' \
			'^ │  └─ /fx/alpha-top\.qcow2 \(qcow2\)' '^ │     ├─ alpha: vda' \
			"^ │     ├─ alpha: snapshot 'a1' \\(vda, inside this file\\)" \
			"^ │     ├─ alpha: snapshot 'a2' \\(vda, inside this file\\)" \
			"^ │     └─ alpha: snapshot 'a3' \\(vda, inside this file\\)" \
			'^ └─ /fx/gamma-top\.qcow2 \(qcow2\)' '^    └─ gamma: vda')"
	keys j j j Enter
	wait_for '^ Snapshots of alpha \(3\)'
	keys q
	wait_for '^ NAME +STATE'
	quits_cleanly
}

# ------------------------------------------------------- several hosts

# Two test-driver hosts at once: two copies of the fixture, north and
# south (south's a3 has a description of its own), so the same six VM
# names are on both and only the HOST column tells them apart.
test_two_hosts_grouped_with_a_host_column() {
	local h r rows=()
	cp "$FIXTURE" "$TMPD/north.xml"
	sed 's|<description>current snapshot</description>|<description>south copy</description>|' \
		"$FIXTURE" >"$TMPD/south.xml"
	start_vmm hosts 100 30 -c "test://$TMPD/north.xml" -c "test://$TMPD/south.xml"
	# ALL_SIX's rows in the list's order (by name), each ending in its
	# host's name; alpha's pattern ends at its memory: given here in full
	for h in north south; do
		for r in 0 1 3 2 5 4; do rows+=("${ALL_SIX[r]}.* $h$"); done
	done
	rows[0]='^[> ]alpha +running +3 +3 +2 +1\.0 GiB +north$'
	rows[6]='^[> ]alpha +running +3 +3 +2 +1\.0 GiB +south$'
	wait_for '^ vmmanager \| VM list \| 2 hosts: north south$' \
		'^ NAME +STATE +SNAPS +CHAIN +VCPU +MEMORY +HOST$' "$(stack "${rows[@]}")"
	check_width 100
	[ "$(grep -Ec ' (running|paused|shut off|saved) .* (north|south)$' <<<"$SCR")" = 12 ] ||
		fail "not exactly twelve VM rows, each naming its host"
	# down to south's alpha, the seventh row (the first selection is on
	# whichever host answered first)
	keys g
	wait_for '^>alpha +running .* north$'
	keys j j j j j j
	wait_for '^>alpha +running .* south$'
	keys Enter
	wait_for '^ vmmanager \| VM \| south \| test://.*/south\.xml$' '^ Snapshots of alpha on south \(3\)' \
		"$ALPHA_TREE" 'Description  south copy$' '!north'
	keys q
	wait_for '^ NAME +STATE .* HOST$' '^>alpha +running .* south$'
	quits_cleanly
}

# ------------------------------------------------------- whole messages

# A refusal longer than a 60-column status line ends in a hint at L; L
# shows it whole, wrapped at a word; a question wraps at words too.
test_long_refusal_is_read_whole_in_the_log() {
	start_vmm whole 60 20 -c "$(fresh_uri whole)"
	wait_selected alpha
	keys Enter
	wait_for '^ Snapshots of alpha \(3\)'
	keys Tab
	wait_for 'Disks and backing chains \(Tab: snapshots\)'
	keys x
	wait_status '^alpha is running and writes to .*… \(L: whole message\)$'
	check_width 60
	keys L
	wait_for '^ vmmanager \| messages ' \
		"$(stack '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] ! alpha is running and writes to its active layer:$' \
			'^ {11}shut it down first$')"
	check_width 60
	keys q
	wait_for 'Disks and backing chains \(Tab: snapshots\)'
	keys c
	wait_for "$(stack '│ /fx/alpha-mid\.qcow2 is rewritten for good; refused +│' \
		'│ if another chain or a snapshot reads it\. +│')" '│ The VM runs: an active commit, pivoted once libvirt +│'
	check_width 60
	keys n
	wait_status '^Cancelled$'
	back_and_quit
}

# A shut-off VM whose disk is in no pool and names no backing file: its
# chain is not known to the end, and the pane says so on a line of its own
# that the selection passes by.
test_chain_pane_notes_an_incomplete_chain() {
	sed "/<name>spaced name/,/<\/devices>/ s|^    </devices>|      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/elsewhere/spaced.qcow2'/><target dev='vda' bus='virtio'/></disk>\n    </devices>|" \
		"$FIXTURE" >"$TMPD/incomplete.xml"
	start_vmm incomplete 100 24 -c "test://$TMPD/incomplete.xml"
	wait_for "$HEADER"
	keys G
	wait_selected 'spaced name'
	keys Enter
	wait_for '^ Snapshots of spaced name' \
		"$(stack ' vda +/elsewhere/spaced\.qcow2 \(qcow2, in n' ' {4,}\(libvirt knows nothing below this layer\)$')"
	keys Tab j
	wait_for ' >vda +/elsewhere/spaced' '!>.*libvirt knows nothing' 'Layer +active'
	check_width 100
	back_and_quit
}

# A VM on two files backed by each other (its live XML says so): the
# chain pane shows each file once and a note naming the loop. A long
# description wraps in the details pane and ends in a hint; Enter shows it
# whole in the message log, from its start.
test_chain_loop_and_long_description() {
	local long="Before the kernel upgrade, with the lab's tools installed and the database migrated; do not delete before the end of term, and ask the lab admins first. The end of this text must be read whole."
	sed -e "/<name>spaced name/,/<\/devices>/ s|^    </devices>|      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/lp/top.qcow2'/><backingStore type='file'><format type='qcow2'/><source file='/lp/a.qcow2'/><backingStore type='file'><format type='qcow2'/><source file='/lp/b.qcow2'/><backingStore type='file'><format type='qcow2'/><source file='/lp/a.qcow2'/><backingStore/></backingStore></backingStore></backingStore><target dev='vda' bus='virtio'/></disk>\n    </devices>|" \
		-e "s|<description>root snapshot</description>|<description>$long</description>|" \
		"$FIXTURE" >"$TMPD/loop.xml"
	start_vmm loop 100 30 -c "test://$TMPD/loop.xml"
	wait_for "$HEADER"
	keys G
	wait_selected 'spaced name'
	keys Enter
	wait_for '^ Snapshots of spaced name' \
		"$(stack ' vda +/lp/top\.qcow2 ' ' +└─ /lp/a\.qcow2 ' ' +└─ /lp/b\.qcow2 ' \
			' {4,}\(a loop: backed by the layer above\)$')"
	check_width 100
	keys q
	wait_for "$HEADER"
	keys g
	wait_selected alpha
	keys Enter
	wait_for '^ Snapshots of alpha \(3\)'
	keys g
	wait_for 'Description +Before the kernel upgrade, with' '^ +… Enter shows it whole' 'Created +20'
	check_width 100
	keys Enter
	wait_for '^ vmmanager \| messages ' "Snapshot 'a1' of alpha: created" 'Description: Before the kernel upgrade' 'this text must be read whole\.$'
	keys q
	wait_for '^ Snapshots of alpha \(3\)'
	back_and_quit
}

# More jobs than rows: the jobs screen shows the newest, followed into
# view, and counts the jobs above; g goes to the first and counts those
# below.
test_jobs_screen_follows_and_counts() {
	local i
	start_vmm jobs 60 10 -c "$(fresh_uri jobs)"
	wait_selected alpha
	for i in 1 2 3 4 5 6 7 8; do
		keys p
		if ((i % 2)); then wait_status 'Pause alpha: done|alpha.*paused'; else wait_status 'Resume alpha: done|alpha.*resumed'; fi
	done
	keys 2
	wait_for ' JOB .* ↑ 2 more$' '^>.*Resume alpha'
	check_width 60
	keys g
	wait_for ' JOB .* ↓ 2 more$' '^>.*Pause alpha'
	keys q
	wait_for "$HEADER"
	quits_cleanly
}

# ------------------------------------------------------------------ runner

N=0 PASSED=0 FAILED=0 SHOWN=0
ONLY=("$@")   # test numbers or function names to run; all when none are given
JOBS=${SCREEN_JOBS:-2}

# show_done: prints, in the order of the tests, the outputs of those that
# have ended ($TMPD/out.N, $TMPD/rc.N) and counts them.
show_done() {
	local rc
	while [ -f "$TMPD/rc.$((SHOWN + 1))" ]; do
		SHOWN=$((SHOWN + 1))
		cat "$TMPD/out.$SHOWN"
		rc=$(cat "$TMPD/rc.$SHOWN")
		if [ "$rc" = pass ]; then PASSED=$((PASSED + 1)); elif [ "$rc" = fail ]; then FAILED=$((FAILED + 1)); fi
	done
}

# run_test FUNCTION DESCRIPTION: runs the test in the background, in a
# tmux server of its own, once fewer than $JOBS tests run.
run_test() {
	local fn=$1 desc=$2
	N=$((N + 1))
	if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $N "* && " ${ONLY[*]} " != *" $fn "* ]]; then
		echo "ok $N - $desc # SKIP not selected" >"$TMPD/out.$N"
		echo skip >"$TMPD/rc.$N"
		show_done
		return
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
		show_done
	done
	(
		local rc n=$N
		SOCK=$TMPD/tmux.$n.sock
		{
			# set -e in a subshell: a test stops at its first failed step
			(set -e; "$fn")
			rc=$?
			tm kill-server 2>/dev/null
			if [ $rc = 0 ]; then
				echo "ok $n - $desc"
			else
				echo "not ok $n - $desc"
				echo "# failed: $fn"
			fi
		} >"$TMPD/out.$n" 2>&1
		if [ $rc = 0 ]; then echo pass >"$TMPD/rc.$n"; else echo fail >"$TMPD/rc.$n"; fi
	) &
	show_done
}

# run_tests_end: waits for the last tests; every test has a result.
run_tests_end() {
	wait
	show_done
	if [ "$SHOWN" != "$N" ]; then
		echo "not ok - test $((SHOWN + 1)) left no result"
		FAILED=$((FAILED + N - SHOWN))
	fi
}

# --------------------------------------------------- terminal safety

test_hidden_characters_in_names_show_as_stand_ins() {
	local f=$TMPD/hostile.xml
	# gamma with a right-to-left override, delta (and its snapshot's
	# domain) with a zero-width space: each must show, in reverse video
	sed -e 's|<name>gamma</name>|<name>gam\xe2\x80\xaema</name>|' \
		-e 's|<name>delta</name>|<name>del\xe2\x80\x8bta</name>|' "$FIXTURE" >"$f"
	start_vmm hostile 100 24 -c "test://$f"
	wait_for '^[> ]gam<U\+202E>ma +shut off ' '^[> ]del<U\+200B>ta ' '!'$'\u202e' '!'$'\u200b'
	check_layout 100 6
	tm capture-pane -e -p -t "=$CUR:" | grep -q $'\e\\[7m<U+202E>' ||
		fail "the stand-in is not in reverse video"
	quits_cleanly
	# libvirt's message echoes the URI: on stderr too, ESC and the
	# override are stand-ins
	timeout 30 "$VMM" -c "qemu+unix:///system?socket=/nonexistent/"$'\e[2J\u202e'"sock" \
		</dev/null >"$TMPD/hostile.out" 2>"$TMPD/hostile.err" || true
	diag <"$TMPD/hostile.err"
	grep -qF '/nonexistent/<U+001B>[2J<U+202E>sock' "$TMPD/hostile.err" ||
		{ echo "# stderr does not show the stand-ins"; return 1; }
	! grep -q $'\e\\|\u202e' "$TMPD/hostile.err" || { echo "# a raw ESC or override on stderr"; return 1; }
}

echo "# screen tests of $VMM, TERM=$PANE_TERM"
run_test test_list_shows_every_vm "the VM list at 80x24 shows all six VMs, their states and alpha's 3 snapshots, chain 3, 2 vCPUs, 1.0 GiB"
run_test test_long_and_unicode_names_fit_and_line_up "a 200-character name and a unicode name are cut with … by display columns, no line overflows, STATE lines up (80 and 56 columns)"
run_test test_jkgG_move_the_selection "j, k, G and g move the '>' marker, and stop at the ends"
run_test test_filter_by_name "/ gam filters the list down to gamma; Esc brings all six back"
run_test test_help_lists_the_keys "? shows the VM list's keys; q goes back to the list"
run_test test_resizing_keeps_a_sane_screen "resizing to 40x10 keeps the list, 30x6 says Terminal too small, 80x24 brings it all back"
run_test test_readonly_refuses_to_start "with -r, S on a shut-off VM is refused with a Read-only message"
run_test test_readonly_applies_to_config_hosts "with -r and a host from the config file, S and s are refused with a Read-only message naming it, and nothing changes"
run_test test_force_off_asks_first "X asks before forcing alpha off: n cancels, y turns it off"
run_test test_q_restores_the_terminal "q quits and the shell gets its terminal back (echo, icanon, cursor, main screen)"
run_test test_sigterm_restores_the_terminal "SIGTERM ends the program and the terminal is restored"
run_test test_ctrl_c_restores_the_terminal "Ctrl-C ends the program and the terminal is restored"
run_test test_unreachable_uri_fails_with_libvirts_message "an unreachable URI exits non-zero with libvirt's message naming the socket"
run_test test_overlong_uri_is_refused_not_cut "a -c URI longer than a host's URI holds exits with status 2, saying its length, never cut"
run_test test_enter_shows_alphas_snapshot_tree_and_chain "Enter on alpha shows a1 with a2 and a3 below it, a3 current (●) and selected, its details and the chain top > mid > base"
run_test test_take_a_snapshot_named_with_spaces_and_unicode "s, C-u, 'before upgrade ✓', Tab, '<quotes> & \"amps\"', Enter: the snapshot is current under a3 with that description, done"
run_test test_revert_asks_and_n_keeps_y_reverts "r on a1 asks naming a1: n cancels and nothing changes; y makes a1 current and alpha shut off"
run_test test_delete_with_children_lists_them_and_empties_the_tree "d c on a1 lists a1, a2, a3; y deletes them and the tree says No snapshots yet"
run_test test_space_collapses_and_expands_a1 "Space on a1 hides a2 and a3 and shows [+]; Space again brings them back"
run_test test_print_writes_the_tree_and_chains "--print alpha prints the tree and chain (status 0); nosuchvm fails on stderr; --ascii is 7-bit"
run_test test_small_windows_keep_a_sane_vm_screen "the VM screen at 40x10 and, resized, at 80x24 shows the tree and no line overflows"
run_test test_80x24_vm_screen_shows_the_disk_chain "at 80x24 the VM screen shows alpha's disk chain below the details"
run_test test_take_form_cursor_follows_the_typing "in the take form the cursor sits just after the text typed, in Name and after Tab in Description; Esc takes nothing"
run_test test_small_window_take_form_shows_its_fields "at 40x10 the take form still shows its Name and Description fields"
run_test test_small_window_delete_menu_shows_every_choice "at 40x10 the delete menu still shows all four choices t, c, o, m"
run_test test_readonly_refuses_a_snapshot "with -r, s on the VM list is refused with a Read-only message and no form"
run_test test_control_characters_in_names_are_shown_as_stand_ins "a C1 CSI in a VM name, a tab and a C1 NEL in a description show as <U+009B>, <U+0009> and <U+0085>, and the columns still line up"
run_test test_images_screen_shows_the_shared_base "3 shows /fx/base.qcow2 shared by alpha and gamma as a tree; Enter on alpha's disk opens alpha"
run_test test_two_hosts_grouped_with_a_host_column "two test-driver hosts (-c twice): the six VMs of each, grouped by host, with a HOST column naming north or south; Enter on south's alpha opens it, its title naming south"
run_test test_long_refusal_is_read_whole_in_the_log "at 60 columns x's refusal is cut with '… (L: whole message)'; L shows it whole, wrapped at a word; c's question wraps at words"
run_test test_chain_pane_notes_an_incomplete_chain "a disk in no pool with no backing file known: the chain pane notes '(libvirt knows nothing below this layer)' under it, and j never selects the note"
run_test test_chain_loop_and_long_description "a VM on two files backed by each other: each shows once, with the note '(a loop: ...)'; a1's long description wraps in the details with '… Enter shows it whole', and Enter shows it whole in the log"
run_test test_jobs_screen_follows_and_counts "eight jobs at 60x10: the jobs screen shows the newest selected with '↑ 2 more'; g shows the first with '↓ 2 more'"
run_test test_hidden_characters_in_names_show_as_stand_ins "names with a right-to-left override and a zero-width space show <U+202E> and <U+200B> in reverse video, lined up; libvirt's message on stderr shows ESC and the override as stand-ins"
run_tests_end
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
