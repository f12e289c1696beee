#!/bin/sh
# --help, the help screen (both generated from the key table), README.md and
# vmmanager.1 must list the same keys and options with the same words.
cd "$(dirname "$0")/.." || exit 1
prog=${VMMANAGER:-./vmmanager}
pass=0 fail=0
man=$(groff -man -Tutf8 -P-cbou vmmanager.1 2>/dev/null)
[ -n "$man" ] || { echo "docs: cannot render vmmanager.1"; exit 1; }
ok() { pass=$((pass + 1)); }
# A rendered .TP entry is "KEYS  TEXT" on one line, or KEYS alone with TEXT
# on the next line.
man_has() {
	awk -v k="$1" -v t="$2" '
		{ sub(/^ +/, "") }
		prev == k && $0 == t { found = 1 }
		index($0, k " ") == 1 { r = substr($0, length(k) + 1); sub(/^ +/, "", r); if (r == t) found = 1 }
		{ prev = $0 }
		END { exit !found }'
}
ko() { fail=$((fail + 1)); echo "docs: $*"; }

help=$("$prog" --help) || { echo "docs: $prog --help failed"; exit 1; }
expected="${TMPDIR:-/tmp}/vmm-docs-rows.$$"
: > "$expected"

# Key lines of --help look like "  j, Down    move down".
printf '%s\n' "$help" | sed -n '/^Keys/,$p' | grep '^  ' | while IFS= read -r line; do
	keys=$(printf '%s\n' "$line" | sed 's/^  \(.\{10\}\).*/\1/; s/[[:space:]]*$//')
	text=$(printf '%s\n' "$line" | cut -c14-)
	readme_keys=$(printf '%s\n' "$keys" | sed 's/, /`, `/g; s/^/`/; s/$/`/')
	printf '| %s | %s |\n' "$readme_keys" "$text" >> "$expected"
	if grep -qF -- "| $readme_keys | $text |" README.md; then ok; else ko "README lacks: | $readme_keys | $text |"; fi
	if printf '%s\n' "$man" | man_has "$keys" "$text"; then ok
	else ko "vmmanager.1 lacks key '$keys' with '$text'"; fi
	echo "$pass $fail" > "${TMPDIR:-/tmp}/vmm-docs.$$"
done
read -r pass fail < "${TMPDIR:-/tmp}/vmm-docs.$$" || true
rm -f "${TMPDIR:-/tmp}/vmm-docs.$$"

# And the other way: every row of the README's key table is a key of --help.
rows=$(sed -n '/^## Keys/,/^## /p' README.md | grep '^|[^|]*| `')
while IFS= read -r row; do
	[ -n "$row" ] || continue
	tail=$(printf '%s\n' "$row" | sed 's/^|[^|]*|/|/')
	if grep -qxF -- "$tail" "$expected"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "docs: README has a key --help does not: $row"; fi
done <<EOF_ROWS
$rows
EOF_ROWS
rm -f "$expected"

# Every option of --help is in the README and the man page.
for opt in $(printf '%s\n' "$help" | grep -oE '^ +(-[a-z], )?--[a-z]+' | grep -oE -- '--[a-z]+'); do
	if grep -qF -- "\`$opt" README.md; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "docs: README lacks $opt"; fi
	if printf '%s\n' "$man" | grep -qF -- "$opt"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "docs: vmmanager.1 lacks $opt"; fi
done
# The table of snapshot kinds (--help, from the help screen's rows) is in
# the README's table and in the man page, cell for cell.
flat=$(printf '%s\n' "$man" | tr -s ' \n' '  ')
kinds=$(printf '%s\n' "$help" | sed -n '/^Snapshot kinds/,/^Keys/p' | grep '^  ')
[ -n "$kinds" ] || { fail=$((fail + 1)); echo "docs: --help has no snapshot kinds"; }
while IFS= read -r line; do
	[ -n "$line" ] || continue
	kind=$(printf '%s\n' "$line" | sed 's/^  \([^ ]*\) *|.*/\1/')
	rest=$(printf '%s\n' "$line" | sed 's/^  [^|]*| //')
	if grep -qF -- "| \`$kind\` | $rest |" README.md; then pass=$((pass + 1))
	else fail=$((fail + 1)); echo "docs: README lacks the kind row: | \`$kind\` | $rest |"; fi
	if printf '%s\n' "$flat" | grep -qF -- "$kind $rest"; then pass=$((pass + 1))
	else fail=$((fail + 1)); echo "docs: vmmanager.1 lacks the kind $kind with: $rest"; fi
done <<EOF_KINDS
$kinds
EOF_KINDS

# Every field the JSON output can hold is described in the man page's
# JSON OUTPUT section (the keys as the code writes them).
json=$(printf '%s\n' "$man" | sed -n '/^JSON OUTPUT/,/^KEYS/p')
[ -n "$json" ] || { fail=$((fail + 1)); echo "docs: vmmanager.1 has no JSON OUTPUT section"; }
for key in $(grep -ohE 'json_(key|kstr|kbool|kint|knum)\(&?j, "[a-z_]+"' src/print_json.c src/list.c |
	grep -oE '"[a-z_]+"' | tr -d '"' | sort -u); do
	if printf '%s\n' "$json" | grep -qE "(^|[ ,(])$key([ ,.;:)]|\$)"; then pass=$((pass + 1))
	else fail=$((fail + 1)); echo "docs: vmmanager.1's JSON OUTPUT lacks the field $key"; fi
done

# The man page is clean for groff and mandoc (when installed).
out=$(groff -ww -z -man vmmanager.1 2>&1)
if [ -z "$out" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "docs: groff -ww: $out"; fi
if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint vmmanager.1 2>&1)
	if [ -z "$out" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "docs: mandoc -Tlint: $out"; fi
fi
echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
