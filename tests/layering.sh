#!/bin/sh
# The layering of DESIGN.md section 3, checked: only src/ui includes
# curses, only src/backend includes libvirt or libxml2, and src/core and
# src/main.c include neither.
cd "$(dirname "$0")/.." || exit 1
bad=0
check() { # $1 what, $2 pattern, files...
	what=$1 pat=$2
	shift 2
	hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pat)" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "layering: $what"
		echo "$hits"
		bad=1
	fi
}
check "curses outside src/ui" "n?curses|ncursesw/|term\.h" src/core/* src/backend/* src/*.c src/*.h
check "libvirt or libxml2 outside src/backend" "libvirt/|libxml/" src/core/* src/ui/* src/*.c src/*.h
check "the UI calls the backend's internals" "backend/xml\.h" src/core/* src/ui/* src/*.c src/*.h
if [ $bad -eq 0 ]; then
	echo "layering: 3 passed, 0 failed"
else
	echo "layering: failed"
fi
exit $bad
