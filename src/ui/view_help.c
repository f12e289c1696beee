/* The help screen: the keys of the screen it was opened from, generated
 * from the binding table so it cannot disagree with the program. */
#include <curses.h>
#include <stdio.h>

#include "core/help.h"
#include "ui/view.h"

#define KEY_COL 18

static void draw(const struct app *a, int top, int height, int cols)
{
	char title[128], key[64];
	size_t n = help_count(a), i;
	int y = top + 1;

	snprintf(title, sizeof(title), "Keys of the %s (q or ? to go back)", keymap_scope_name(a->help_from));
	attron(A_BOLD);
	ui_put(top, 0, title, cols);
	attroff(A_BOLD);
	for (i = a->help_pos.top; i < n && y < top + height; i++, y++) {
		const char *text;

		help_line(a, i, key, sizeof(key), &text);
		if (!key[0]) {
			/* A scope's keys, or the table of snapshot kinds. */
			if (text == help_kinds_heading)
				snprintf(title, sizeof(title), "%s", text);
			else
				snprintf(title, sizeof(title), "Keys, %s:", text);
			attron(A_BOLD);
			ui_put(y, 0, title, cols);
			attroff(A_BOLD);
			continue;
		}
		ui_put(y, 0, "  ", 2);
		attron(A_BOLD);
		ui_put(y, 2, key, KEY_COL - 2 < cols - 2 ? KEY_COL - 2 : cols - 2);
		attroff(A_BOLD);
		if (cols > KEY_COL)
			ui_put(y, KEY_COL, text, cols - KEY_COL);
	}
}

const struct view_ops help_view = {
	.name = "help",
	.draw = draw,
};
