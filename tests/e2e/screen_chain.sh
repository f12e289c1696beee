#!/bin/bash
# The real program on the private daemon (set up by run.sh): disk chains and
# block jobs on screen. A running VM on base <- mid <- top shows its chain as
# a tree in the chain pane; an active commit started with virsh is found on
# Ctrl-L, its progress advances on the jobs screen until it is ready, and P
# pivots it to the base; o in the chain pane puts a new overlay on the
# running VM. Each result is cross-checked with virsh.
set -euo pipefail
shopt -s extglob
# Bash counts characters, not bytes, on the UTF-8 screen lines (the column
# checks of the tree glyphs).
LC_ALL=C.UTF-8
cd "$(dirname "$0")/../.."
. tests/e2e/daemon.sh # e2e_define_vm

vm='scr-vm'
base=$E2E_IMG/scr-base.qcow2
mid=$E2E_IMG/scr-mid.qcow2
top=$E2E_IMG/scr-top.qcow2
fill_mib=320 # written into top: what the commit copies
bw_mib=40    # virsh blockcommit --bandwidth (MiB/s): ~8 s for fill_mib

SCREEN_NAME=screen-chain
. tests/e2e/screen_lib.sh
cleanup_more() { drop_made scr- "$vm"; }

# --- The VM: base <- mid <- top, fill_mib MiB of data in top --------------
qemu-img create -q -f qcow2 "$base" 512M
qemu-img create -q -f qcow2 -b "$base" -F qcow2 "$mid"
qemu-img create -q -f qcow2 -b "$mid" -F qcow2 "$top"
qemu-io -f qcow2 -c "write -P 0x5a 0 ${fill_mib}M" "$top" >/dev/null
((EUID != 0)) || chown "$E2E_USER:" "$base" "$mid" "$top"
v pool-refresh images >/dev/null
e2e_define_vm "$vm" "$top"
v start "$vm" >/dev/null
[[ $(v domstate "$vm") == running ]] || fail "$vm did not start: $(v domstate "$vm")"

t new-session -d -s vmm -x 100 -y 30 \
	"env LANG=C.UTF-8 TERM=xterm-256color ${VMMANAGER:-./vmmanager} -c '$E2E_URI'"
wait_for "^.$vm +running "
# Other tests' VMs share the host: the filter leaves this one, selected.
t send-keys -t vmm / "$vm" Enter
wait_for "^>$vm +running "

# --- 1. The chain pane: one row a layer, each backing file one level below --
t send-keys -t vmm Enter
wait_for "Snapshots of $vm .*running"
wait_for 'Disks and backing chains \(Tab\)' # the snapshot pane has the focus
t send-keys -t vmm Tab
wait_for 'Disks and backing chains \(Tab: snapshots\)'
wait_for 'vda   /'

# chain_rows SEL PATH...: the pane in focus lists exactly PATH... (active
# layer first), row SEL (from 1) selected; each row below the first drawn as
# "└─ " under the start of the path of the row above. A row may cut its path
# short ("…") where the pane is too narrow, but must keep enough of it to
# tell the layers apart (the first letter of the file name).
chain_rows() {
	local sel=$1 scr lines=() i h=-1 x want shown l rest col prev_col=-1 n
	shift
	n=$#
	scr=$(screen)
	mapfile -t lines <<<"$scr"
	for i in "${!lines[@]}"; do
		if [[ ${lines[i]} == *" Disks and backing chains (Tab: snapshots)"* ]]; then
			h=$i
			break
		fi
	done
	((h >= 0)) || fail "no chain pane in focus"
	rest=${lines[h]%%" Disks and backing chains (Tab: snapshots)"*}
	x=${#rest} # the pane's left column
	for ((i = 1; i <= n; i++)); do
		want=${!i}
		l=${lines[h + i]-}
		rest=${l:x}
		if ((i == 1)); then
			[[ $rest =~ ^([\>\ ])vda\ \ \ (.*)$ ]] ||
				fail "chain row 1 is not 'vda   PATH' at column $x: '$rest'"
			col=$((x + 7))
		else
			[[ $rest =~ ^([\>\ ])(\ *)└─\ (.*)$ ]] ||
				fail "chain row $i has no tree glyph: '$rest'"
			# The glyph sits where the path of the row above starts.
			((x + 1 + ${#BASH_REMATCH[2]} == prev_col)) ||
				fail "chain row $i: glyph at column $((x + 1 + ${#BASH_REMATCH[2]})), the path above at $prev_col"
			col=$((prev_col + 3))
		fi
		[[ ${BASH_REMATCH[1]} == $([[ $i == "$sel" ]] && echo '>' || echo ' ') ]] ||
			fail "chain row $sel should be the selected one (>), row $i: '$rest'"
		shown=${BASH_REMATCH[-1]}
		shown=${shown%%+( )}
		shown=${shown%% (*} # a wide pane adds "(qcow2, sizes)"
		if [[ $shown == *… ]]; then
			shown=${shown%…}
			[[ $want == "$shown"* ]] || fail "chain row $i shows '$shown…', not the start of $want"
			((${#shown} > ${#E2E_IMG} + 5)) ||
				fail "chain row $i shows '$shown…': too little of $want to tell the layers apart"
		else
			[[ $shown == "$want" ]] || fail "chain row $i shows '$shown', not $want"
		fi
		prev_col=$col
	done
	# Nothing more in the chain: the next row is empty or not a layer.
	l=${lines[h + n + 1]-}
	rest=${l:x}
	[[ ! $rest =~ ^[\>\ ](\ *)└─|^[\>\ ]vda\  ]] || fail "chain has more than $n rows: '$rest'"
}

# wait_chain SEL PATH...: poll until chain_rows SEL PATH... holds (10 s).
wait_chain() {
	local end=$((SECONDS + 10))
	until (chain_rows "$@") >/dev/null 2>&1; do
		((SECONDS < end)) || chain_rows "$@"
		sleep 0.1
	done
}

# wait_line TEXT: poll until a screen line holds just TEXT (leading and
# trailing blanks aside), or, when TEXT is a path too long for its row,
# "…" and an end of it that keeps its file name (10 s).
wait_line() {
	local end=$((SECONDS + 10)) l
	while :; do
		while IFS= read -r l; do
			l=${l##+( )} l=${l%%+( )}
			[[ $l == "$1" ]] && return 0
			[[ $l == …* && $1 == *"${l#…}" && ${l#…} == */"${1##*/}" ]] && return 0
		done < <(screen)
		((SECONDS < end)) || fail "no line shows just '$1'"
		sleep 0.1
	done
}

wait_chain 1 "$top" "$mid" "$base"
pass "chain pane: vda on $top, then └─ $mid, then └─ $base, one level each"

# The selected layer shows in full below the rows: walk down the chain.
kinds=("active" "backing file" "base")
layers=("$top" "$mid" "$base")
for i in 0 1 2; do
	((i == 0)) || t send-keys -t vmm j
	wait_for "Layer +${kinds[i]}"
	wait_chain $((i + 1)) "$top" "$mid" "$base"
	wait_line "${layers[i]}"
	wait_for "Format +qcow2"
done
pass "chain pane: j selects each layer; its kind and full path show below"

# --- 2. An active commit found running: progress, ready, pivot -----------
v blockcommit "$vm" vda --active --bandwidth "$bw_mib" >/dev/null
t send-keys -t vmm 2
wait_for '^ vmmanager \| jobs '
t send-keys -t vmm C-l
wait_for 'Active commit of vda of'

# to_kib NUMBER UNIT: NUMBER of UNIT in KiB (an integer).
to_kib() {
	awk -v n="$1" -v u="$2" 'BEGIN {
		m = u == "B" ? 1 / 1024 : u == "KiB" ? 1 : u == "MiB" ? 1024 : u == "GiB" ? 1048576 : -1
		if (m < 0) exit 1
		printf "%d\n", n * m }'
}

# Poll the job's row: its status, "X of Y" (the unit written once when both
# share it), and rate and ETA while it runs.
# The row is the selected one: while the progress text is wide, the name
# on it is cut short (the last row shows it whole).
row_re='^> ?Active commit.* (running|ready|done|failed|aborted|refused) +[0-9]+\.[0-9]s'
prog_re='\[[#.]+\] ([0-9]+(\.[0-9])?)( ([KMG]?i?B))? of ([0-9]+(\.[0-9])?) ([KMG]?i?B)'
samples=() last=-1 status='' eta_seen=0 found_seen=0 total_kib=0
end=$((SECONDS + 30))
while :; do
	((SECONDS < end)) || fail "the commit was not ready within 30 s (status '$status', done KiB: ${samples[*]})"
	scr=$(screen)
	# The name is cut short on the row while the progress text is wide; the
	# status line's progress shows it whole.
	[[ $scr == *"Active commit of vda of $vm (found running)"* ]] && found_seen=1
	row=$(grep -E -- "$row_re" <<<"$scr" | head -n1) || true
	if [[ $row =~ $row_re ]]; then
		status=${BASH_REMATCH[1]}
		if [[ $row =~ $prog_re ]]; then
			unit_t=${BASH_REMATCH[7]}
			done_kib=$(to_kib "${BASH_REMATCH[1]}" "${BASH_REMATCH[4]:-$unit_t}")
			total_kib=$(to_kib "${BASH_REMATCH[5]}" "$unit_t")
			if [[ $status == running ]] && ((done_kib != last)); then
				((done_kib > last)) || fail "progress went back: $last KiB, then $done_kib KiB"
				samples+=("$done_kib")
				last=$done_kib
			fi
		fi
		[[ $status == running && $row =~ [0-9.]+\ [KMG]?i?B/s\ ETA\ [0-9]+:[0-9]{2} ]] && eta_seen=1
		[[ $status == running ]] || break
	fi
	sleep 0.1
done
((found_seen)) || wait_for "Active commit of vda of $vm \(found running\)" 5
pass "Ctrl-L finds the active commit started with virsh (found running)"
[[ $status == ready ]] || fail "the commit ended '$status', not ready"
((${#samples[@]} >= 3)) ||
	fail "progress advanced ${#samples[@]} time(s) while running, not at least 3 (KiB done: ${samples[*]})"
pass "progress advanced: ${samples[*]} KiB done, then ready"
((total_kib >= fill_mib * 1024)) || fail "X of Y: Y is $total_kib KiB, less than the $fill_mib MiB to commit"
pass "the job shows X of Y with Y = $((total_kib / 1024)) MiB"
((eta_seen)) || fail "no 'RATE/s ETA M:SS' on the job's row while it ran"
pass "the running job showed a rate and an ETA"
wait_for '^>.*Active commit of vda of scr-.* ready +[0-9]+\.[0-9]s \[#+\] ([0-9.]+) of \1 ' # X = Y
wait_for 'ready: P pivots to the base, a aborts'
[[ $(disk_of "$vm") == "$top" ]] || fail "vda moved before the pivot: $(disk_of "$vm")"

t send-keys -t vmm P
wait_for '^>.*Active commit of vda of scr-.* done +[0-9]+\.[0-9]s' 15
end=$((SECONDS + 10))
until [[ $(disk_of "$vm") == "$base" ]]; do
	((SECONDS < end)) || fail "after P, virsh domblklist says vda is $(disk_of "$vm"), not $base"
	sleep 0.1
done
pass "P pivoted: the job is done and virsh domblklist shows vda on $base"

# --- 3. o: a new overlay on the running VM ---------------------------------
t send-keys -t vmm 1
wait_for "^>$vm +running +[0-9]+ +1 " # the chain is down to the base
t send-keys -t vmm Enter
wait_for "Snapshots of $vm .*running"
# Reopening the same VM keeps the pane it had: the chain pane.
screen | grep -q 'Disks and backing chains (Tab: snapshots)' || t send-keys -t vmm Tab
wait_for 'Disks and backing chains \(Tab: snapshots\)'
wait_chain 1 "$base"
t send-keys -t vmm o
wait_for "New overlay on vda of $vm"
field=$(screen | sed -n 's/^.* File: *\([^ ]*\).*$/\1/p' | head -n1)
[[ -n $field ]] || fail "no File field in the overlay form"
[[ $field != *… ]] || fail "the File field is cut short: $field"
[[ ${field%/*} == "${base%/*}" ]] || fail "the default overlay file $field is not next to the top layer $base"
[[ ${field##*/} =~ ^scr-vm-vda-[0-9]{8}-[0-9]{6}\.qcow2$ ]] ||
	fail "the default overlay file name is ${field##*/}, not scr-vm-vda-DATE-TIME.qcow2"
[[ ! -e $field ]] || fail "the default overlay file $field already exists"
t send-keys -t vmm Enter
end=$((SECONDS + 15))
until [[ $(disk_of "$vm") == "$field" ]]; do
	((SECONDS < end)) || fail "after o Enter, virsh domblklist says vda is $(disk_of "$vm"), not $field"
	sleep 0.1
done
[[ -f $field ]] || fail "vda points at $field, which does not exist"
backing=$(qemu-img info -U --output=json "$field" | sed -n 's/^ *"backing-filename": "\(.*\)",\{0,1\}$/\1/p')
[[ $backing == "$base" ]] || fail "the new overlay $field is backed by '$backing', not $base"
t send-keys -t vmm 2
wait_for '^ vmmanager \| jobs '
wait_for "New overlay on vda of $vm.* done +[0-9]+\.[0-9]s" 15
t send-keys -t vmm 1
wait_for "^>$vm +running +[0-9]+ +2 "
t send-keys -t vmm Enter
wait_for 'Disks and backing chains \(Tab: snapshots\)'
wait_chain 1 "$field" "$base"
pass "o Enter: vda of the running VM is on the new $field, backed by $base"

echo "screen-chain: $passed passed, 0 failed"
