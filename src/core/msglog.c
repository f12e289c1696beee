/* The message log (msglog.h): a ring of the last MSGLOG_MAX status
 * messages, a repeat counted, and the rows each takes on the log screen. */
#include "core/msglog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/wrap.h"
#include "shared/util.h"

static struct msglog_entry *slot(const struct msglog *l, size_t i)
{
	return &l->e[(l->first + i) % MSGLOG_MAX];
}

void msglog_add(struct msglog *l, long long wall, bool error, const char *text)
{
	struct msglog_entry *e;

	if (!text || !*text)
		return;
	if (l->n) {
		e = slot(l, l->n - 1);
		if (e->error == error && !strcmp(e->text, text)) {
			e->count++;
			e->wall = wall;
			return;
		}
	}
	if (!l->e)
		l->e = xcalloc(MSGLOG_MAX, sizeof(*l->e));
	if (l->n == MSGLOG_MAX) { /* the oldest makes room */
		free(slot(l, 0)->text);
		l->first = (l->first + 1) % MSGLOG_MAX;
		l->n--;
	}
	e = slot(l, l->n++);
	e->wall = wall;
	e->error = error;
	e->count = 1;
	e->text = xstrdup(text);
}

size_t msglog_count(const struct msglog *l)
{
	return l->n;
}

const struct msglog_entry *msglog_at(const struct msglog *l, size_t i)
{
	return i < l->n ? slot(l, i) : NULL;
}

char *msglog_text(const struct msglog_entry *e, char *buf, size_t n)
{
	if (e->count > 1)
		snprintf(buf, n, "%s (%u times)", e->text, e->count);
	else
		str_copy(buf, e->text, n);
	return buf;
}

size_t msglog_entry_rows(const struct msglog_entry *e, int cols)
{
	size_t n = MSGLOG_TEXT_LEN(e), rows;
	char *buf = xmalloc(n);

	rows = wrap_text(msglog_text(e, buf, n), cols - MSGLOG_TEXT_COL, NULL, 0);
	free(buf);
	return rows;
}

size_t msglog_rows(const struct msglog *l, int cols)
{
	size_t i, rows = 0;

	for (i = 0; i < l->n; i++)
		rows += msglog_entry_rows(slot(l, i), cols);
	return rows;
}

void msglog_free(struct msglog *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(slot(l, i)->text);
	free(l->e);
	memset(l, 0, sizeof(*l));
}
