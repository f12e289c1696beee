/* Every status message since the program started (the last MSGLOG_MAX),
 * with its time and whether it was an error: the status line has one row,
 * so a message cut short there can be read whole in the log. */
#ifndef VMM_MSGLOG_H
#define VMM_MSGLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define MSGLOG_MAX 500

/* Where the log screen starts a message's text: "HH:MM:SS ! " before it. */
#define MSGLOG_TEXT_COL 11

struct msglog_entry {
	long long wall; /* seconds since the epoch, of the last time */
	bool error;
	unsigned count; /* the same message this many times in a row */
	char *text;     /* owned; lines separated by '\n' */
};

/* A ring of at most MSGLOG_MAX entries, allocated on the first message. */
struct msglog {
	struct msglog_entry *e;
	size_t first, n;
};

/* Adds a copy of text ("" is not kept); the same text as the newest entry
 * counts it again instead. Drops the oldest beyond MSGLOG_MAX. */
void msglog_add(struct msglog *l, long long wall, bool error, const char *text);
size_t msglog_count(const struct msglog *l);
/* Entry i, the oldest first; NULL past the end. */
const struct msglog_entry *msglog_at(const struct msglog *l, size_t i);
/* What the log shows of e: its text, and how often when more than once;
 * MSGLOG_TEXT_LEN(e) bytes hold it whole. */
#define MSGLOG_TEXT_LEN(e) (strlen((e)->text) + 32)
char *msglog_text(const struct msglog_entry *e, char *buf, size_t n);
/* Rows e, or all entries, take on the log screen of cols columns. */
size_t msglog_entry_rows(const struct msglog_entry *e, int cols);
size_t msglog_rows(const struct msglog *l, int cols);
void msglog_free(struct msglog *l);

#endif
