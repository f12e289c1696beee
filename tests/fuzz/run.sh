#!/bin/sh
# Runs every fuzz target for SECONDS each on its seed corpus
# (tests/fuzz/corpus/NAME): with the stand-alone driver (build/san/fuzz_NAME,
# what make check uses), or with libFuzzer (build/libfuzzer/fuzz_NAME) when
# the second argument is "libfuzzer". A crash fails the run; the input
# that caused it stays in build/fuzz/crashes, and the line printed replays
# it. libFuzzer's new inputs go to build/fuzz/corpus/NAME, never into the
# checked-in seeds.
#   sh tests/fuzz/run.sh SECONDS [libfuzzer]
cd "$(dirname "$0")/../.." || exit 1
seconds=${1:-3}
mode=${2:-driver}
targets="xml_read xml_roundtrip config textesc wrap"
crashes=build/fuzz/crashes
mkdir -p "$crashes"
# A small quarantine: libxml2 allocates much per parse, and fresh pages
# for each would make the XML targets five times slower.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=16"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0 failed=0
for t in $targets; do
	if [ "$mode" = libfuzzer ]; then
		bin=build/libfuzzer/fuzz_$t
		mkdir -p "build/fuzz/corpus/$t"
		"$bin" -max_total_time="$seconds" -print_final_stats=0 -artifact_prefix="$crashes/$t-" \
			"build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" 2>"build/fuzz/$t.log"
	else
		bin=build/san/fuzz_$t
		"$bin" -t "$seconds" -o "$crashes" "tests/fuzz/corpus/$t" 2>"build/fuzz/$t.log"
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		[ "$mode" = libfuzzer ] && grep -E '^Done [0-9]+ runs' "build/fuzz/$t.log"
	else
		failed=$((failed + 1))
		echo "fuzz: $t failed (exit $rc); the end of build/fuzz/$t.log:"
		tail -n 25 "build/fuzz/$t.log"
		saved=$(grep -Eo "(input saved to|Test unit written to) [^ ]+" "build/fuzz/$t.log" | tail -n 1 | sed 's/.* //')
		[ -n "$saved" ] && echo "fuzz: reproduce with: $bin $saved"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
