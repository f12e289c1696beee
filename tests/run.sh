#!/bin/sh
# Runs every test tier (DESIGN.md section 6) in order and reports each;
# exits non-zero when any tier failed. Called by `make check`.
cd "$(dirname "$0")/.." || exit 1
passed=0 failed=0 failures=""

tier() { # name command...
	name=$1
	shift
	echo "=== $name"
	t0=$(date +%s)
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
	fi
	echo "=== $name: $(($(date +%s) - t0)) s"
}

# Sanitizers: any error or leak fails the tier.
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

tier layering sh tests/layering.sh
tier docs sh tests/docs.sh
tier cli sh tests/cli.sh
tier cli-sanitizers env VMMANAGER=build/san/vmmanager sh tests/cli.sh
# The build's own messages, make install, make deb and the package.
tier package bash tests/package.sh
tier unit build/obj/test_unit
tier driver build/obj/test_driver tests/driver/fixture.xml
tier unit-sanitizers build/san/test_unit
tier driver-sanitizers build/san/test_driver tests/driver/fixture.xml
# Each fuzz target for 4 s on its seed corpus (make fuzz runs them longer).
tier fuzz sh tests/fuzz/run.sh 4
tier end-to-end bash tests/e2e/run.sh
tier screen bash tests/screen/run.sh
tier screen-sanitizers env VMMANAGER=build/san/vmmanager bash tests/screen/run.sh
# Each safety rule broken on purpose must fail the unit or driver tier
# (make mutants also runs those that need the screen and e2e tiers).
# Four copies at once: the unit tier mostly waits (timers), not computes.
tier mutants-quick env MUTANT_JOBS=4 sh tests/mutants/run.sh --quick

echo "=== tiers:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
