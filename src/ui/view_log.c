/* The message log: every status message since the start with its time, an
 * error marked '!', each wrapped at word boundaries to the screen's width
 * (the core counts the rows with the same wrap_text, to scroll). */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/wrap.h"
#include "shared/util.h"
#include "ui/view.h"

/* Draws entry e's rows from its row skip on, from y while y < bottom;
 * returns the next free row. */
static int draw_entry(const struct msglog_entry *e, size_t skip, int y, int bottom, int cols)
{
	int width = cols - MSGLOG_TEXT_COL;
	size_t len = MSGLOG_TEXT_LEN(e), n, k;
	char *text = msglog_text(e, xmalloc(len), len), *line = xmalloc(len), when[16];
	struct wrap_line *lines;
	time_t t = (time_t)e->wall;
	struct tm tm;

	n = wrap_text(text, width, NULL, 0);
	lines = xmalloc(n * sizeof(*lines));
	wrap_text(text, width, lines, n);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	for (k = skip; k < n && y < bottom; k++, y++) {
		snprintf(line, len, "%.*s", (int)lines[k].len, text + lines[k].start);
		ui_put(y, 0, k == 0 ? when : "", MSGLOG_TEXT_COL - 3);
		ui_put(y, MSGLOG_TEXT_COL - 3, k == 0 && e->error ? " ! " : "   ", 3);
		if (e->error)
			attron(ui_error_attr());
		ui_put(y, MSGLOG_TEXT_COL, line, width);
		if (e->error)
			attroff(ui_error_attr());
	}
	free(line);
	free(lines);
	free(text);
	return y;
}

static void draw(const struct app *a, int top, int height, int cols)
{
	size_t n = msglog_count(&a->log), i, row = 0;
	int y = top + 1;

	attron(A_BOLD);
	ui_put(top, 0, "Messages since the start (! errors)", cols);
	attroff(A_BOLD);
	if (!n)
		ui_put(y, 1, "No messages yet.", cols - 1);
	for (i = 0; i < n && y < top + height; i++) {
		const struct msglog_entry *e = msglog_at(&a->log, i);
		size_t rows = msglog_entry_rows(e, cols);

		if (row + rows > a->log_top)
			y = draw_entry(e, row < a->log_top ? a->log_top - row : 0, y, top + height, cols);
		row += rows;
	}
}

const struct view_ops log_view = {
	.name = "messages",
	.draw = draw,
};
