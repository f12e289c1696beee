/* The message log screen (logview_screen, screen.h): every status
 * message since the start, read like a pager. */
#ifndef VMM_LOGVIEW_H
#define VMM_LOGVIEW_H

struct app;

/* The message log screen (logview.c): L opens it, and closes it again. */
void logview_open(struct app *a);
/* Opens it on the newest message's first row (one taller than the
 * screen shows its start). */
void logview_open_newest(struct app *a);
/* Keeps its rows in range after a resize or a new message. */
void logview_scroll(struct app *a);

#endif
