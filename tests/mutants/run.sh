#!/bin/sh
# Mutation check of the safety rules (README.md, "Mutants"): each
# *.patch here breaks one rule on purpose; the tiers it names must then
# fail. Works on a scratch copy of the working tree as it is (uncommitted
# changes included), never on the tree itself.
#
#   sh tests/mutants/run.sh          every mutant (make mutants)
#   sh tests/mutants/run.sh --quick  those needing only the unit and driver
#                                    tiers (make check)
#   sh tests/mutants/run.sh --tiers "unit driver screen" [NAME...]
#                                    each with only these of its tiers
#   sh tests/mutants/run.sh NAME...  only these (.patch optional)
#   MUTANT_JOBS=N (default 2) copies at once; MUTANT_KEEP=1 keeps the copy
#
# Prints one line per mutant: "killed (by TEST)", "SURVIVED", or "ERROR"
# when its patch no longer applies or the mutant does not build; exits 1
# if any mutant survived or had an error, 2 if the tree itself fails.
cd "$(dirname "$0")/../.." || exit 2
# The tiers that may run: all, unless limited. --quick takes only the
# mutants that need no other tier; --tiers runs each mutant with those of
# its tiers that are allowed.
allowed="unit driver screen e2e" whole=0
case ${1:-} in
--quick) allowed="unit driver" whole=1; shift ;;
--tiers) allowed=$2; shift 2 ;;
esac
JOBS=${MUTANT_JOBS:-2}
start=$(date +%s)

# A mutant's tiers ("# Tiers:" header line), cheapest first; with -a
# only those allowed.
tiers_of() {
	only="unit driver screen e2e"
	[ "$1" = -a ] && { only=$allowed; shift; }
	t=" $(sed -n 's/^# Tiers: *//p' "$1" 2>/dev/null | head -n 1) "
	for k in unit driver screen e2e; do
		case "$t: $only " in *" $k "*:*" $k "*) printf '%s ' $k ;; esac
	done
}
list=""
if [ $# -gt 0 ]; then
	for m; do list="$list tests/mutants/${m%.patch}.patch"; done
else
	for p in tests/mutants/*.patch; do
		[ -e "$p" ] || continue
		if [ $whole = 1 ]; then
			[ "$(tiers_of -a "$p")" = "$(tiers_of "$p")" ] && list="$list $p"
		else
			[ -n "$(tiers_of -a "$p")" ] && list="$list $p"
		fi
	done
fi
[ -n "$list" ] || { echo "mutants: none to run"; exit 0; }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/vmm-mutants.XXXXXX") || exit 2
# MUTANT_KEEP=1 keeps the copy and the tiers' logs (in $SCRATCH/log).
if [ -n "${MUTANT_KEEP:-}" ]; then
	echo "mutants: working in $SCRATCH"
else
	trap 'rm -rf "$SCRATCH"' EXIT
fi
trap 'exit 130' INT
trap 'exit 143' TERM HUP
trap 'exit 141' PIPE

# The working tree's files as they are (tracked and new, not ignored,
# not deleted), with their times, and the objects already built: only
# what a patch touches is compiled again.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# shellcheck disable=SC2016
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\n" "$f"; done' sh |
		tar -cf - -T - | tar -C "$SCRATCH" -xf -
else
	tar --exclude=./build -cf - . | tar -C "$SCRATCH" -xf -
fi
if [ -d build/obj ]; then
	mkdir -p "$SCRATCH/build"
	cp -pR build/obj "$SCRATCH/build/obj"
fi
[ -f vmmanager ] && cp -p vmmanager "$SCRATCH/vmmanager"
cd "$SCRATCH" || exit 2
# git apply, outside any repository here, works like patch(1) but with no
# fuzz: a patch whose context changed does not apply.
GIT_CEILING_DIRECTORIES=$(dirname "$SCRATCH")
export GIT_CEILING_DIRECTORIES
LOG=$SCRATCH/log
mkdir -p "$LOG"

targets() { # tiers... -> make targets
	for t; do
		case $t in
		unit) echo build/obj/test_unit ;;
		driver) echo build/obj/test_driver ;;
		screen) echo vmmanager ;;
		e2e) echo vmmanager build/obj/test_e2e build/obj/test_e2e_chain ;;
		esac
	done | sort -u
}

# run_tier TIER LOG [SCREEN TESTS]: the tier's tests; status 0 when all pass.
run_tier() {
	t=$1 out=$2
	shift 2
	case $t in
	unit) timeout 300 build/obj/test_unit >"$out" 2>&1 ;;
	driver) timeout 120 build/obj/test_driver tests/driver/fixture.xml >"$out" 2>&1 ;;
	screen) timeout 900 bash tests/screen/run.sh "$@" >"$out" 2>&1 ;;
	e2e) E2E_CHAIN_ONLY=${1:-} timeout 3600 bash tests/e2e/run.sh >"$out" 2>&1 ;;
	*) echo "unknown tier $t" >"$out"; return 2 ;;
	esac
}

# The failed tests a tier's log names (cmocka's "[  FAILED  ] name", the
# screen scripts' "# failed: name"): the first three, and how many more.
failed_tests() {
	sed -n 's/^\[  FAILED  \] \([A-Za-z0-9_]*\)$/\1/p; s/^# failed: \([A-Za-z0-9_]*\)$/\1/p' "$1" | sort -u |
		awk 'NR <= 3 { printf "%s%s", (NR > 1 ? ", " : ""), $0 } END { if (NR > 3) printf " and %d more", NR - 3 }'
}

MAKE_JOBS=$JOBS MAKELOG=$LOG/make
# shellcheck disable=SC2046
build() { make -j"$MAKE_JOBS" $(targets "$@") >"$MAKELOG" 2>&1; }

all_tiers=$(for p in $list; do tiers_of -a "$p"; done | tr ' ' '\n' | grep . | sort -u | tr '\n' ' ')
screens() { sed -n 's/^# Screen: *//p' "$1" 2>/dev/null | head -n 1; }
# "# E2E: GROUP" runs only that group of the chain tests (chain, walk, lab,
# readers, disktypes, img, faults) instead of the whole end-to-end tier.
e2e_group() { sed -n 's/^# E2E: *//p' "$1" 2>/dev/null | head -n 1; }
all_screens=$(for p in $list; do screens "$p"; done | tr ' ' '\n' | grep . | sort -u | tr '\n' ' ')
for p in $list; do
	case " $(tiers_of -a "$p") " in *" screen "*) [ -n "$(screens "$p")" ] || all_screens="" ;; esac
done

# The tree as it is must pass what the mutants are checked with, or a
# "killed" would mean nothing.
echo "mutants: $(echo "$list" | wc -w) to run; first the tree as it is: ${all_tiers% }"
# shellcheck disable=SC2086
if ! build $all_tiers; then
	tail -n 20 "$MAKELOG"
	echo "mutants: the tree itself does not build"
	exit 2
fi
for t in $all_tiers; do
	# shellcheck disable=SC2046,SC2086
	if ! run_tier "$t" "$LOG/base-$t" $([ "$t" = screen ] && echo $all_screens); then
		tail -n 30 "$LOG/base-$t"
		echo "mutants: the tree itself fails the $t tier: $(failed_tests "$LOG/base-$t")"
		exit 2
	fi
done

# back_to_pristine PATCH: the copy as it was before PATCH. In a copy of
# $PRISTINE (a slot), the files PATCH touched and all that the build has
# made since $MARK come back from there, contents and times, so that make
# compiles nothing again for the next mutant; elsewhere, git apply -R,
# whose new file times make make compile those files again.
back_to_pristine() {
	if [ -z "${PRISTINE:-}" ]; then
		git apply -R "$1"
		return
	fi
	{
		git apply --numstat "$1" | cut -f 3-
		find build vmmanager -newer "$MARK" ! -type d 2>/dev/null
	} | while IFS= read -r f; do
		if [ -e "$PRISTINE/$f" ]; then cp -p "$PRISTINE/$f" "$f"; else rm -f "$f"; fi
	done
}

# run_mutant PATCH: applies it in the current copy, builds, runs its tiers
# (cheapest first, up to the first that fails), takes it back; the
# outcome goes to stdout and to $LOG/NAME.result.
run_mutant() {
	p=$1 name=$(basename "$1" .patch)
	tiers=$(tiers_of -a "$p")
	if [ ! -f "$p" ]; then
		res="ERROR: no such patch"
	elif [ -z "$(tiers_of "$p")" ]; then
		res="ERROR: no '# Tiers:' line"
	elif [ -z "$tiers" ]; then
		res="ERROR: none of its tiers ($(tiers_of "$p")) is allowed"
	elif ! git apply --check "$p" 2>"$LOG/$name.apply"; then
		res="ERROR: the patch no longer applies: $(head -n 1 "$LOG/$name.apply")"
	else
		[ -z "${PRISTINE:-}" ] || : >"$MARK"
		git apply "$p"
		# shellcheck disable=SC2086
		if ! build $tiers; then
			res="ERROR: the mutant does not build: $(grep -m1 'error' "$MAKELOG")"
		else
			by=""
			for t in $tiers; do
				# shellcheck disable=SC2046
				run_tier "$t" "$LOG/$name-$t" $([ "$t" = screen ] && screens "$p") \
					$([ "$t" = e2e ] && e2e_group "$p") && continue
				rc=$?
				by=$(failed_tests "$LOG/$name-$t")
				[ "$rc" = 124 ] && by="${by:+$by, }$t tier timed out"
				by="$t: ${by:-exit status $rc}"
				break
			done
			if [ -n "$by" ]; then
				res="killed (by $by)"
			else
				skipped=""
				[ "$tiers" = "$(tiers_of "$p")" ] || skipped="; not run: its other tiers"
				res="SURVIVED (${tiers% } passed$skipped; expected: $(sed -n 's/^# Killed by: *//p' "$p" | head -n 1))"
			fi
		fi
		back_to_pristine "$p"
	fi
	echo "$res" >"$LOG/$name.result"
	echo "mutants: $name: $res"
}

# The mutants that need no private daemons run in $JOBS copies at once
# (the tests mostly wait, so two copies on two cores keep both busy); the
# end-to-end ones one after the other, as their daemons are shared.
par="" ser=""
for p in $list; do
	case " $(tiers_of -a "$p") " in *" e2e "*) ser="$ser $p" ;; *) par="$par $p" ;; esac
done
slot=0
while [ $slot -lt "$JOBS" ]; do
	mine="" i=0
	for p in $par; do
		[ $((i % JOBS)) = $slot ] && mine="$mine $p"
		i=$((i + 1))
	done
	if [ -n "$mine" ]; then
		mkdir -p "$SCRATCH/slot$slot"
		tar --exclude=./log --exclude='./slot*' -cf - . | tar -C "$SCRATCH/slot$slot" -xf -
		(
			cd "$SCRATCH/slot$slot" || exit 2
			MAKE_JOBS=1 MAKELOG=$LOG/make-slot$slot
			PRISTINE=$SCRATCH MARK=$LOG/mark-slot$slot
			for p in $mine; do run_mutant "$p"; done
		) &
	fi
	slot=$((slot + 1))
done
wait
for p in $ser; do run_mutant "$p"; done

killed=0 survived=0 errors=0
for p in $list; do
	case $(cat "$LOG/$(basename "$p" .patch).result" 2>/dev/null) in
	killed*) killed=$((killed + 1)) ;;
	SURVIVED*) survived=$((survived + 1)) ;;
	*) errors=$((errors + 1)) ;;
	esac
done
echo "mutants: $killed killed, $survived survived, $errors errors in $(($(date +%s) - start)) s"
[ $survived = 0 ] && [ $errors = 0 ]
