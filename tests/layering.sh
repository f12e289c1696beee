#!/bin/sh
# The layering of DESIGN.md section 3, checked: only src/ui includes
# curses, only src/backend includes libvirt or libxml2; src/core, the pure
# state machine, has no threads and includes no runtime header (src/runtime
# owns the threads and calls the backend), and neither does src/ui; both
# take the backend's data types from types.h, never backend.h;
# src/shared, the helpers every layer uses, and src/backend include
# nothing of the layers above them. Inside src/core, the modules call
# each other in one direction: a module that calls another includes its
# header, so that the includes show every call, and the include graph
# (core/X.h standing for the module X.c) has no cycle. A lower module
# reaches a higher one only through a table of handlers: the screens'
# (screen.h), a dialog's done handler, the state's on_status.
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
# $1 what must not happen, $2 a line that shows it (ERE), files...
forbid() {
	what=$1 pat=$2
	shift 2
	hits=$(grep -nE "$pat" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layering: $what"
		echo "$hits"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
# An #include of $2, or a use of an identifier that starts with $2.
check() {
	w=$1 p=$2
	shift 2
	forbid "$w" "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($p)" "$@"
}
uses() {
	w=$1 p=$2
	shift 2
	forbid "$w" "(^|[^[:alnum:]_])($p)" "$@"
}
check "curses outside src/ui" "n?curses|ncursesw/|term\.h" src/core/* src/runtime/* src/shared/* src/backend/* src/*.c src/*.h
check "libvirt or libxml2 outside src/backend" "libvirt/|libxml/" src/core/* src/runtime/* src/shared/* src/ui/* src/*.c src/*.h
# The backend's headers but backend.h (its operations) and types.h (its
# data) are its own.
internal=$(cd src/backend && ls *.h | grep -vxE 'backend\.h|types\.h' | sed 's/\./\\./' | paste -sd '|' -)
check "the backend's internals outside src/backend" "backend/($internal)" src/core/* src/runtime/* src/shared/* src/ui/* src/*.c src/*.h
check "src/core calls the backend (backend.h; types.h holds its data)" "backend/backend\.h" src/core/*
check "src/ui calls the backend (backend.h; types.h holds its data)" "backend/backend\.h" src/ui/*
check "src/core uses the runtime" "runtime/" src/core/*
check "src/ui uses the runtime" "runtime/" src/ui/*
check "src/core includes a thread header" "pthread\.h|threads\.h" src/core/*
uses "src/core calls a thread API" "pthread_|thrd_|mtx_|cnd_|tss_" src/core/*
check "src/shared uses a layer" "core/|ui/|runtime/|backend/" src/shared/*
check "src/backend uses the core, the UI or the runtime" "core/|ui/|runtime/" src/backend/*

# The core's modules: each X.c, with its header X.h if it has one (a
# screen's module may export nothing but its struct screen, which
# screen.h declares; core/cmds.def.h and core/keys.def.h are rows of a
# table, no module).
modules=$(cd src/core && for c in *.c; do echo "${c%.c}"; done)
# The code of a file without its comments, which name other modules'
# functions freely: each file of src/core stripped once, up front, into
# $pre (the checks below read them many times).
pre=$(mktemp -d "${TMPDIR:-/tmp}/vmm-layering.XXXXXX") || exit 1
trap 'rm -rf "$pre"' EXIT
for f in src/core/*.c src/core/*.h; do
	${CC:-cc} -fpreprocessed -dD -E -P "$f" >"$pre/${f##*/}" 2>/dev/null
done
code() { cat "$pre/${1##*/}"; }
# The functions and tables core/$1.h declares.
declared() {
	code "src/core/$1.h" | sed -n '/^typedef/d
		s/^[a-z][^(;]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p
		s/^extern .*[ *]\([a-z_][a-z0-9_]*\);$/\1/p'
}
# A module that calls another includes its header.
missing=""
for x in $modules; do
	[ -f "src/core/$x.h" ] || continue
	names=$(declared "$x" | paste -sd '|' -)
	[ -n "$names" ] || continue
	# The modules whose code names one of them (one grep over all).
	for m in $(cd "$pre" && grep -lwE "$names" -- *.c | sed 's/\.c$//'); do
		[ "$m" = "$x" ] && continue
		if ! grep -qE "^#include \"core/$x\.h\"" "src/core/$m.c"; then
			missing="$missing
src/core/$m.c uses $(code "src/core/$m.c" | grep -owE "$names" | sort -u | paste -sd ' ' -) without #include \"core/$x.h\""
		fi
	done
done
if [ -n "$missing" ]; then
	echo "layering: a core module calls another without including its header:$missing"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# The include graph: "M X" when src/core/M.c includes core/X.h.
edges=$(for m in $modules; do
	sed -n 's/^#include "core\/\([a-z0-9_]*\)\.h"$/\1/p' "src/core/$m.c" |
		while read -r x; do
			[ "$x" != "$m" ] && [ -f "src/core/$x.c" ] && echo "$m $x"
		done
done)
if loop=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) && [ -z "$loop" ]; then
	pass=$((pass + 1))
else
	echo "layering: the core's modules call each other in a circle (an include of core/X.h is a call of X.c):"
	# tsort names the modules of each circle one a line, after "input
	# contains a loop:".
	printf '%s\n' "$loop" | sed 's/^tsort: //' | awk '/loop:$/ { if (l) print l; l = "  circle:"; next } { l = l " " $0 } END { if (l) print l }'
	fail=$((fail + 1))
fi
echo "layering: $pass passed, $fail failed"
[ $fail -eq 0 ]
