#!/bin/sh
# Runs every test tier (DESIGN.md section 6) and reports each; exits
# non-zero when any tier failed. Called by `make check`.
#
# The tiers run in three lanes at once, each lane's tiers in order: the
# daemons' lane (the end-to-end tier: private libvirt daemons and QEMU,
# mostly waiting on them), the screens' lane (the program in tmux, mostly
# waiting for the screen; then the package) and the rest. Each tier's
# output goes to a file and is printed whole when the tier ends, between
# "=== NAME" and "=== NAME: SECONDS s", so that the lanes' output never
# mixes. Tiers share nothing (each makes its own temporary dirs, daemons
# and tmux servers), so a new tier may go in any lane: the one whose
# tiers are most like it, or the shortest.
#
#   sh tests/run.sh                 every tier
#   sh tests/run.sh NAME...         only these tiers (e.g. unit screen)
cd "$(dirname "$0")/.." || exit 1
only=" $* "
logs=$(mktemp -d "${TMPDIR:-/tmp}/vmm-check.XXXXXX") || exit 1
: >"$logs/started"
: >"$logs/results"
trap 'rm -rf "$logs"' EXIT
# Ctrl-C or TERM: the lanes stop and every tier still running gets TERM
# ($logs/NAME.pid), so that each cleans up its daemons and dirs.
lanes=""
stop() {
	trap '' INT TERM
	[ -z "$lanes" ] || kill -TERM $lanes 2>/dev/null
	for f in "$logs"/*.pid; do
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	wait
	exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM

# tier NAME COMMAND...: runs COMMAND, its output into $logs/NAME.log;
# then prints it whole, and records "STATUS NAME" in $logs/results.
tier() {
	name=$1
	shift
	case $only in "  ") ;; *" $name "*) ;; *) return 0 ;; esac
	echo "$name" >>"$logs/started"
	t0=$(date +%s)
	"$@" >"$logs/$name.log" 2>&1 </dev/null &
	echo $! >"$logs/$name.pid"
	wait $!
	rc=$?
	rm -f "$logs/$name.pid"
	{
		flock 9
		echo "=== $name"
		cat "$logs/$name.log"
		if [ $rc -eq 0 ]; then
			echo "=== $name: $(($(date +%s) - t0)) s"
		else
			echo "=== $name: $(($(date +%s) - t0)) s, FAILED (exit status $rc)"
		fi
		echo "$rc $name" >>"$logs/results"
	} 9>>"$logs/lock"
}

# Sanitizers: any error or leak fails the tier.
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
start=$(date +%s)

# The daemons' lane.
(
	tier end-to-end bash tests/e2e/run.sh
) &
lanes="$lanes $!"

# The screens' lane, then the package (compiles the program once more and
# runs lintian: it fits here, the rest's lane is the longer).
(
	tier screen bash tests/screen/run.sh
	tier screen-sanitizers env VMMANAGER=build/san/vmmanager bash tests/screen/run.sh
	# The build's own messages, make install, make deb and the package.
	tier package bash tests/package.sh
) &
lanes="$lanes $!"

# The rest.
tier layering sh tests/layering.sh
tier docs sh tests/docs.sh
tier cli sh tests/cli.sh
tier cli-sanitizers env VMMANAGER=build/san/vmmanager sh tests/cli.sh
tier unit build/obj/test_unit
tier driver build/obj/test_driver tests/driver/fixture.xml
tier unit-sanitizers build/san/test_unit
tier driver-sanitizers build/san/test_driver tests/driver/fixture.xml
# Each fuzz target for 4 s on its seed corpus (make fuzz runs them longer).
tier fuzz sh tests/fuzz/run.sh 4
# Each safety rule broken on purpose must fail the unit or driver tier
# (make mutants also runs those that need the screen and e2e tiers).
# Four copies at once: the unit tier partly waits (timers), the builds
# compute.
tier mutants-quick env MUTANT_JOBS=4 sh tests/mutants/run.sh --quick

wait
# Every tier that started has a result, or it failed.
passed=0 failed=0 failures=""
while read -r name; do
	rc=$(awk -v n="$name" '$2 == n { print $1 }' "$logs/results")
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
	fi
done <"$logs/started"
echo "=== tiers:$failures"
echo "$passed passed, $failed failed in $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ]
