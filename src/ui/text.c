/* Width-aware text output: names can be unicode, wide, or 200 characters
 * long and must never push the layout out of line. */
#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/textesc.h"
#include "core/wrap.h"
#include "ui/view.h"

/* One cell to draw: a character of the data, or one character of the
 * stand-in (core/textesc.h) for what must not reach the terminal raw or
 * what it cannot draw (wcwidth < 0, or not ASCII in a locale that is not
 * UTF-8). Stand-ins are drawn in reverse, so that a name holding the text
 * "<U+202E>" and one holding the character still look different. */
struct cells {
	const char *p;
	size_t left;
	char esc[TEXTESC_MAX];
	size_t esc_pos; /* the next character of esc to give */
};

static bool cell_next(struct cells *c, wchar_t *wc, int *w, bool *esc)
{
	uint32_t cp;
	size_t n;

	for (;;) {
		if (c->esc[c->esc_pos]) {
			*wc = (unsigned char)c->esc[c->esc_pos++];
			*w = 1;
			*esc = true;
			return true;
		}
		if (!c->left)
			return false;
		c->esc_pos = 0;
		n = textesc_next(c->p, c->left, TEXTESC_SHOW, &cp, c->esc);
		c->p += n;
		c->left -= n;
		if (c->esc[0])
			continue;
		/* wchar_t holds code points (__STDC_ISO_10646__) in glibc. */
		*w = ui_utf8 || cp < 0x80 ? wcwidth((wchar_t)cp) : -1;
		if (*w >= 0) {
			*wc = (wchar_t)cp;
			*esc = false;
			return true;
		}
		textesc_code(cp, TEXTESC_SHOW, c->esc);
	}
}

static bool cell_more(const struct cells *c)
{
	return c->esc[c->esc_pos] || c->left;
}

static void cells_start(struct cells *c, const char *s)
{
	memset(c, 0, sizeof(*c));
	c->p = s;
	c->left = strlen(s);
}

int ui_put(int y, int x, const char *s, int width)
{
	struct cells c;
	attr_t attrs;
	short pair;
	wchar_t wc;
	bool esc;
	int used = 0, w;

	if (width <= 0)
		return 0;
	cells_start(&c, s);
	attr_get(&attrs, &pair, NULL);
	move(y, x);
	while (cell_next(&c, &wc, &w, &esc)) {
		/* Keep a column for the ellipsis unless this is the last cell. */
		if (used + w > width || (used + w == width && cell_more(&c))) {
			if (used < width) {
				if (ui_utf8)
					addnwstr(L"\u2026", 1);
				else
					addch('~');
				used++;
			}
			break;
		}
		if (esc)
			attr_set(attrs ^ A_REVERSE, pair, NULL);
		addnwstr(&wc, 1);
		if (esc)
			attr_set(attrs, pair, NULL);
		used += w;
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
	struct cells c;
	wchar_t wc;
	bool esc;
	size_t used = 0;
	int w;

	cells_start(&c, s);
	while (cell_next(&c, &wc, &w, &esc))
		used += (size_t)w;
	return used;
}

const char *ui_tail(const char *s, int width)
{
	char esc[TEXTESC_MAX];
	uint32_t cp;

	while (*s && (int)ui_text_width(s) > width)
		s += textesc_next(s, strlen(s), TEXTESC_SHOW, &cp, esc); /* a whole character */
	return s;
}
