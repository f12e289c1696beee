/* Dialogs: questions, forms and menus in a framed box in the middle of the
 * screen, drawn from the core's struct dialog. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wrap.h"
#include "shared/util.h"
#include "ui/view.h"

/* Dialogs: a framed box in the middle of the screen. */
static void frame(int y, int x, int h, int w)
{
	int i;

	for (i = 0; i < h; i++)
		ui_put(y + i, x, "", w);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
}

/* s wrapped to width columns: the lines (to free) and their number. */
static struct wrap_line *wrap(const char *s, int width, int *n)
{
	size_t count = wrap_text(s, width, NULL, 0);
	struct wrap_line *lines = xmalloc(count * sizeof(*lines));

	wrap_text(s, width, lines, count);
	*n = (int)count;
	return lines;
}

/* Draws line l of s at (y, x), ending in an ellipsis when more follows
 * that is not shown. */
static void put_line(int y, int x, const char *s, const struct wrap_line *l, int width, bool more)
{
	char line[sizeof(((struct dialog *)0)->text) + 8];

	snprintf(line, sizeof(line), "%.*s%s", (int)l->len, s + l->start, more ? (ui_utf8 ? " \u2026" : " ~") : "");
	ui_put(y, x, line, width);
}

/* Draws the n lines of s from row y while y < end. */
static void put_lines(const char *s, const struct wrap_line *l, int n, int y, int end, int x, int width)
{
	int k;

	for (k = 0; k < n && y < end; k++, y++)
		put_line(y, x, s, &l[k], width, k + 1 < n && y + 1 == end);
}

/* Columns of a menu item's key, "  b  ", before its label. */
#define ITEM_KEY_COLS 5

/* Rows the menu items take: their labels wrapped to width, or one each. */
static int item_rows(const struct dialog *d, int nitems, int width, bool wrapped)
{
	int k, n = 0;

	for (k = 0; k < nitems; k++) {
		int r = wrapped ? (int)wrap_text(d->item[k].label, width - ITEM_KEY_COLS, NULL, 0) : 1;

		n += r > 0 ? r : 1;
	}
	return n;
}

/* Draws the menu items from row i while i < end, each label wrapped
 * beside its key, or cut to one row; returns the next row. */
static int draw_items(const struct dialog *d, int nitems, int i, int end, int x, int width, bool wrapped)
{
	char key[8];
	int k, r, n;

	for (k = 0; k < nitems && i < end; k++) {
		const char *label = d->item[k].label;
		struct wrap_line one = {0, strlen(label)}, *l = wrapped ? wrap(label, width - ITEM_KEY_COLS, &n) : NULL;
		const struct wrap_line *lines = l && n ? l : &one;

		if (lines == &one)
			n = 1;
		snprintf(key, sizeof(key), "  %c  ", d->item[k].key);
		for (r = 0; r < n && i < end; r++, i++) {
			ui_put(i, x, r ? "" : key, ITEM_KEY_COLS);
			put_line(i, x + ITEM_KEY_COLS, label, &lines[r], width - ITEM_KEY_COLS, false);
		}
		free(l);
	}
	return i;
}

/* The end of a field's text that fits in width columns: one types at
 * the end, so that is the part to see. */
/* Draws the dialog; returns where the text cursor belongs (-1: hidden).
 * Title and hint at the top and bottom, the fields or menu items just
 * above the hint, and the explanation in what is left: on a small
 * terminal the explanation gives way, never the part one types into. */
void ui_draw_dialog(const struct app *a, int rows, int cols, int *cy, int *cx)
{
	const struct dialog *d = &a->dlg;
	int w = cols < 60 ? cols - 2 : cols - 4 < 78 ? cols - 4 : 78, inner = w - 4, h, y, x, i, k;
	int nfields = d->kind == DLG_FORM ? d->nfields : 0, nitems = d->kind == DLG_MENU ? d->nitems : 0;
	int title_rows, text_rows, part_rows, spacing, part_top, items;
	bool wrapped = true;
	struct wrap_line *title = wrap(d->title, inner, &title_rows), *text = wrap(d->text, inner, &text_rows);
	const char *hint;
	char line[2048];

	*cy = *cx = -1;
	spacing = nfields ? 2 : 1;
	/* Frame, title, text, a blank row, fields or items, hint, frame. */
	items = item_rows(d, nitems, inner, true);
	h = 3 + title_rows + (text_rows ? text_rows : 1) + 1 + nfields * spacing + items;
	if (h > rows) {
		/* Fields closer together, every choice on one row: first to go. */
		spacing = 1;
		wrapped = false;
		items = nitems;
		h = 3 + title_rows + (text_rows ? text_rows : 1) + 1 + nfields + items;
	}
	if (h > rows)
		h = rows;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	frame(y, x, h, w);
	part_rows = nfields * spacing + items;
	/* On a small terminal the title keeps a row at least, the rest of it
	 * and the text give way to the parts one types into. */
	part_top = y + h - 2 - part_rows;
	if (part_top < y + 2)
		part_top = y + 2;
	attron(A_BOLD);
	put_lines(d->title, title, title_rows, y + 1, part_top > y + 2 ? part_top - 1 : y + 2, x + 2, inner);
	attroff(A_BOLD);
	put_lines(d->text, text, text_rows, y + 1 + title_rows, part_top - (part_rows ? 1 : 0), x + 2, inner);
	free(title);
	free(text);
	i = part_top;
	for (k = 0; k < nfields && i < y + h - 2; k++, i += spacing) {
		const char *value = d->field[k].value;
		char stars[sizeof(d->field[k].value)];

		if (d->field[k].secret) { /* a password shows as many '*' */
			memset(stars, '*', ui_text_width(value) < sizeof(stars) ? ui_text_width(value) : sizeof(stars) - 1);
			stars[ui_text_width(value) < sizeof(stars) ? ui_text_width(value) : sizeof(stars) - 1] = '\0';
			value = stars;
		}
		if (d->field[k].nchoices > 1) { /* a choice: the keys that change it */
			snprintf(stars, sizeof(stars), "%.100s  (Space: %s)", value,
				 d->field[k].nchoices == 2 ? "the other" : "next");
			value = stars;
		}
		snprintf(line, sizeof(line), "%s:", d->field[k].label);
		ui_put(i, x + 2, line, 13);
		if (k == d->active)
			attron(A_UNDERLINE);
		ui_put(i, x + 15, ui_tail(value, inner - 14), inner - 13);
		if (k == d->active) {
			int tw = (int)ui_text_width(ui_tail(value, inner - 14));

			attroff(A_UNDERLINE);
			*cy = i;
			/* After the text, or on the field's last column. */
			*cx = x + 15 + (tw < inner - 14 ? tw : inner - 14);
		}
	}
	draw_items(d, nitems, i, y + h - 2, x + 2, inner, wrapped);
	/* A form's verb comes from what it is for: its creator says it. */
	if (d->hint)
		hint = d->hint;
	else if (nfields)
		hint = "Enter accept  Tab next field  Ctrl-U clear  Esc cancel";
	else if (nitems)
		hint = "press a key above; anything else cancels";
	else
		hint = "y confirms; any other key cancels";
	attron(A_BOLD);
	ui_put(y + h - 2, x + 2, hint, inner);
	attroff(A_BOLD);
}

