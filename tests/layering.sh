#!/bin/sh
# The layering of DESIGN.md section 3, checked: only src/ui includes
# curses, only src/backend includes libvirt or libxml2; src/core, the pure
# state machine, has no threads and includes no runtime header (src/runtime
# owns the threads and calls the backend), and neither does src/ui; both
# take the backend's data types from types.h, never backend.h;
# src/shared, the helpers every layer uses, and src/backend include
# nothing of the layers above them. Inside src/core, a module that calls
# another includes its header, so that the includes show every call.
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

# The core's modules: X.c with its header X.h (core/cmds.def.h and
# core/keys.def.h are rows of a table, no module).
modules=$(cd src/core && for c in *.c; do [ -f "${c%.c}.h" ] && echo "${c%.c}"; done)
# The code of a file without its comments, which name other modules'
# functions freely.
code() { ${CC:-cc} -fpreprocessed -dD -E -P "$1" 2>/dev/null; }
# The functions and tables core/$1.h declares.
declared() {
	code "src/core/$1.h" | sed -n '/^typedef/d
		s/^[a-z][^(;]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p
		s/^extern .*[ *]\([a-z_][a-z0-9_]*\);$/\1/p'
}
# A module that calls another includes its header.
missing=""
for x in $modules; do
	names=$(declared "$x" | paste -sd '|' -)
	[ -n "$names" ] || continue
	for m in $modules; do
		[ "$m" = "$x" ] && continue
		if code "src/core/$m.c" | grep -qwE "$names" &&
			! grep -qE "^#include \"core/$x\.h\"" "src/core/$m.c"; then
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
echo "layering: $pass passed, $fail failed"
[ $fail -eq 0 ]
