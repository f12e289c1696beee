/* Width-aware text output: names can be unicode, wide, or 200 characters
 * long and must never push the layout out of line. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/wrap.h"
#include "ui/view.h"

static int char_width(wchar_t wc)
{
	int w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

int ui_put(int y, int x, const char *s, int width)
{
	mbstate_t st;
	const char *p = s;
	size_t left = strlen(s);
	int used = 0;

	if (width <= 0)
		return 0;
	memset(&st, 0, sizeof(st));
	move(y, x);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			wc = L'?';
			n = 1;
		} else if (n == 0) {
			break;
		}
		if (wcwidth(wc) < 0)
			wc = L'?';
		w = char_width(wc);
		/* Keep a column for the ellipsis unless this is the last char. */
		if (used + w > width || (used + w == width && n < left)) {
			if (used < width) {
				if (ui_utf8)
					addnwstr(L"\u2026", 1);
				else
					addch('~');
				used++;
			}
			break;
		}
		addnwstr(&wc, 1);
		used += w;
		p += n;
		left -= n;
	}
	while (used < width) {
		addch(' ');
		used++;
	}
	return used;
}

int ui_tree_glyphs(int y, int x, const unsigned char *glyphs, size_t depth, int width)
{
	/* UTF-8 line characters where the locale allows, ACS otherwise
	 * (ncurses falls back to ASCII where the terminal has none). Three
	 * columns a level, so a child's line starts under its parent's name. */
	static const wchar_t *const wide[] = {L"   ", L"\u2502  ", L"\u251c\u2500 ", L"\u2514\u2500 "};
	size_t i;
	int used = 0;

	move(y, x);
	for (i = 0; i < depth && used + UI_GLYPH_COLS <= width; i++, used += UI_GLYPH_COLS) {
		if (ui_utf8) {
			addnwstr(wide[glyphs[i]], UI_GLYPH_COLS);
			continue;
		}
		switch (glyphs[i]) {
		case 1: addch(ACS_VLINE); addstr("  "); break;
		case 2: addch(ACS_LTEE); addch(ACS_HLINE); addch(' '); break;
		case 3: addch(ACS_LLCORNER); addch(ACS_HLINE); addch(' '); break;
		default: addstr("   "); break;
		}
	}
	return used;
}

void ui_progress(int y, int x, int width, unsigned long long done, unsigned long long total)
{
	int fill, i;

	if (width < 3)
		return;
	move(y, x);
	addch('[');
	fill = total ? (int)((double)done / (double)total * (width - 2)) : 0;
	if (fill > width - 2)
		fill = width - 2;
	for (i = 0; i < width - 2; i++)
		addch(i < fill ? '#' : (total ? '.' : ' '));
	addch(']');
}

size_t ui_text_width(const char *s)
{
	return wrap_width(s, strlen(s));
}

const char *ui_tail(const char *s, int width)
{
	while (*s && (int)ui_text_width(s) > width) {
		s++;
		while (((unsigned char)*s & 0xC0) == 0x80)
			s++; /* not in the middle of a character */
	}
	return s;
}
