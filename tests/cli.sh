#!/bin/sh
# The command line for scripts, run as a script would run it: --print
# --json and --list --json parse with python3's own JSON reader (strict:
# no NaN, one document), --list's text is aligned, and the exit status
# is 0 done, 1 a libvirt error, 2 bad usage.
cd "$(dirname "$0")/.." || exit 1
prog=${VMMANAGER:-./vmmanager}
# The demo of this tree, wherever the binary is (build/san/vmmanager).
VMMANAGER_DEMO=${VMMANAGER_DEMO:-$PWD/data/demo.xml}
export VMMANAGER_DEMO
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "cli: $*"; }
status_is() { # want args...
	want=$1
	shift
	"$prog" "$@" >/dev/null 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else ko "vmmanager $* exited $got, not $want"; fi
}
strict_json() { # what: stdin must be one JSON document, version 1
	python3 -c '
import json, sys
def no_constant(c): raise ValueError("not JSON: " + c)
doc = json.loads(sys.stdin.read(), parse_constant=no_constant)
assert doc["version"] == 1, "version"
' 2>&1
}

for vm in kernel-dev build-golden-a legacy-erp; do
	if out=$("$prog" --demo --print "$vm" --json | strict_json); then ok; else ko "--print $vm --json: $out"; fi
done
if out=$("$prog" --demo --list --json | strict_json); then ok; else ko "--list --json: $out"; fi
# Text: NAME and STATE start at the same column on every line.
if "$prog" --demo --list | awk 'NR == 1 { n = index($0, " NAME"); s = index($0, " STATE"); next }
	substr($0, n, 1) != " " || substr($0, n + 1, 1) == " " || substr($0, s, 1) != " " || substr($0, s + 1, 1) == " " { bad = 1 }
	END { exit bad || NR < 12 }'; then ok; else ko "--list is not aligned"; fi
# Wide (CJK) names take two columns each: STATE still lines up, counted
# as the terminal shows it (in a UTF-8 locale).
wide=$(mktemp) || exit 1
trap 'rm -f "$wide"' EXIT
cat >"$wide" <<'EOF'
<node><domain type='test'><name>虚拟机一号</name><memory>65536</memory><os><type>hvm</type></os></domain>
<domain type='test'><name>plain-ascii-vm</name><memory>65536</memory><os><type>hvm</type></os></domain>
<domain type='test'><name>café</name><memory>65536</memory><os><type>hvm</type></os></domain></node>
EOF
if LC_ALL=C.UTF-8 "$prog" -c "test://$wide" --list | python3 -c '
import sys, unicodedata
def cols(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.stdin.read().splitlines()
at = {cols(l[:l.index(w)]) for l in lines for w in ("STATE", "shut off", "running") if w in l}
sys.exit(len(lines) != 4 or len(at) != 1)'; then ok; else ko "--list misaligns wide names"; fi
status_is 0 --demo --list
status_is 0 --demo --print kernel-dev --json
status_is 1 --demo --print no-such-vm --json
status_is 1 -c test:///no/such/file.xml --list
status_is 2 --json
status_is 2 --demo --list --print kernel-dev
status_is 2 --demo --print kernel-dev --json --ascii
status_is 2 --demo --list --ascii
status_is 2 --list --bogus
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
