#!/usr/bin/env python3
"""Checks on a captured tmux screen (read from stdin) that need display
columns rather than bytes or characters, for tests/screen/run.sh.

  screencheck.py width COLS
      fails if any line is wider than COLS display columns.
  screencheck.py state-column ROWS
      finds the header line (NAME ... STATE ...) and fails unless exactly
      ROWS VM rows follow it and on each of them a state word starts at the
      display column where STATE starts in the header.
  screencheck.py after REGEX
      prints "ROW COL": the row (from 0) of the first line REGEX matches and
      the display column just after the match; fails if no line matches.

Display width as wcwidth() has it in a UTF-8 locale (what ncurses and tmux
use): combining marks take 0 columns, East Asian wide and fullwidth 2,
everything else 1.
"""
import re
import sys
import unicodedata

STATES = ("running", "paused", "shut off", "saved", "crashed", "pmsuspended",
          "blocked", "shutting down", "unknown")


def char_width(ch):
    if unicodedata.combining(ch) or ch in "\u200b\u200d":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text):
    return sum(char_width(ch) for ch in text)


def column_of(line, index):
    """Display column at which line[index] is drawn."""
    return width(line[:index])


def text_at_column(line, col):
    """The rest of line from display column col on (None if col falls in
    the middle of a wide character or past the end)."""
    c = 0
    for i, ch in enumerate(line):
        if c == col:
            return line[i:]
        if c > col:
            return None
        c += char_width(ch)
    return None


def check_width(lines, cols):
    bad = [(n, width(l), l) for n, l in enumerate(lines, 1) if width(l) > cols]
    for n, w, l in bad:
        print(f"line {n} is {w} columns wide (limit {cols}): {l!r}")
    return not bad


def check_state_column(lines, rows):
    header = next((n for n, l in enumerate(lines) if re.search(r"\bNAME\b.*\bSTATE\b", l)), None)
    if header is None:
        print("no header line with NAME and STATE")
        return False
    col = column_of(lines[header], lines[header].index("STATE"))
    vm_rows = []
    for l in lines[header + 1:]:
        if not l.strip() or l[0] not in "> ":
            break
        vm_rows.append(l)
    ok = True
    if len(vm_rows) != rows:
        print(f"expected {rows} VM rows under the header, found {len(vm_rows)}")
        ok = False
    state_re = re.compile(" (" + "|".join(STATES) + r")\b")
    for l in vm_rows:
        rest = text_at_column(l, col)
        if rest is not None and rest.startswith(STATES) and text_at_column(l, col - 1).startswith(" "):
            continue
        m = state_re.search(l)
        where = f"starts at column {column_of(l, m.start(1))}" if m else "is missing"
        print(f"STATE is at column {col} but the state word {where}: {l!r}")
        ok = False
    return ok


def after(lines, regex):
    for n, l in enumerate(lines):
        m = re.search(regex, l)
        if m:
            print(n, column_of(l, m.end()))
            return True
    print(f"no line matches {regex!r}")
    return False


def main(argv):
    lines = sys.stdin.read().split("\n")
    if len(argv) == 3 and argv[1] == "width":
        return 0 if check_width(lines, int(argv[2])) else 1
    if len(argv) == 3 and argv[1] == "state-column":
        return 0 if check_state_column(lines, int(argv[2])) else 1
    if len(argv) == 3 and argv[1] == "after":
        return 0 if after(lines, argv[2]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
