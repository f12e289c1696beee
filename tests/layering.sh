#!/bin/sh
# The layering of DESIGN.md section 3, checked: only src/ui includes
# curses, only src/backend includes libvirt or libxml2; src/core, the pure
# state machine, includes no runtime header (src/runtime owns the threads
# and calls the backend), and neither does src/ui.
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
# $1 what must not happen, $2 the headers (ERE), files...
check() {
	what=$1 pat=$2
	shift 2
	hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pat)" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layering: $what"
		echo "$hits"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
check "curses outside src/ui" "n?curses|ncursesw/|term\.h" src/core/* src/runtime/* src/backend/* src/*.c src/*.h
check "libvirt or libxml2 outside src/backend" "libvirt/|libxml/" src/core/* src/runtime/* src/ui/* src/*.c src/*.h
check "the UI calls the backend's internals" "backend/xml\.h" src/core/* src/runtime/* src/ui/* src/*.c src/*.h
check "src/core uses the runtime" "runtime/" src/core/*
check "src/ui uses the runtime" "runtime/" src/ui/*
echo "layering: $pass passed, $fail failed"
[ $fail -eq 0 ]
