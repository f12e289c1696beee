/* The message log screen: every status message since the start, newest
 * last, wrapped to the terminal's width. It is read, not acted on, so it
 * scrolls by rows like a pager, and opens at its end. */
#include "core/logview.h"

#include "core/listpos.h"
#include "core/msglog.h"
#include "core/state.h"

static size_t max_top(const struct app *a)
{
	size_t rows = msglog_rows(&a->log, a->term_cols), h = state_list_height(a);

	return rows > h ? rows - h : 0;
}

void logview_open(struct app *a)
{
	a->log_return = a->screen;
	a->screen = SCREEN_LOG;
	a->log_end = true;
	logview_scroll(a);
}

void logview_open_newest(struct app *a)
{
	size_t n = msglog_count(&a->log), rows = msglog_rows(&a->log, a->term_cols), last = max_top(a), top;

	if (a->screen != SCREEN_LOG)
		logview_open(a);
	if (!n)
		return;
	/* The newest entry from its first row, however tall. */
	top = rows - msglog_entry_rows(msglog_at(&a->log, n - 1), a->term_cols);
	a->log_pos.sel = top;
	listpos_scroll(&a->log_pos, last + 1, 1);
	a->log_end = a->log_pos.top == last;
	a->redraw = true;
}

void logview_scroll(struct app *a)
{
	size_t last = max_top(a);

	if (a->screen != SCREEN_LOG)
		return;
	if (a->log_end)
		a->log_pos.sel = last;
	listpos_scroll(&a->log_pos, last + 1, 1);
	a->redraw = true;
}

static enum request logview_request(struct app *a, enum request req, struct cmds *out)
{
	size_t last;

	(void)out;
	switch (req) {
	case REQ_MESSAGES: /* L again goes back */
	case REQ_BACK:
	case REQ_CANCEL:
		a->screen = a->log_return;
		a->redraw = true;
		return REQ_NONE;
	default:
		last = max_top(a);
		if (!listpos_move(&a->log_pos, req, last + 1, state_list_height(a)))
			return req;
		listpos_scroll(&a->log_pos, last + 1, 1);
		a->log_end = a->log_pos.top == last;
		a->redraw = true;
		return REQ_NONE;
	}
}

/* It is read, not acted on: its moves scroll. */
static const struct hint logview_hints[] = {
	{REQ_HELP, NULL, NULL},           {REQ_BACK, NULL, NULL},          {REQ_MOVE_DOWN, "scroll", NULL},
	{REQ_MOVE_UP, "scroll", NULL},    {REQ_PAGE_UP, "scroll", NULL},   {REQ_PAGE_DOWN, "scroll", NULL},
	{REQ_MOVE_FIRST, "scroll", NULL}, {REQ_MOVE_LAST, "scroll", NULL}, {REQ_NONE, NULL, NULL},
};

const struct screen logview_screen = {
	.scope = SCOPE_LOG,
	.request = logview_request,
	.scroll = logview_scroll,
	.hints = logview_hints,
};
