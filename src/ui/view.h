/* One screen = one file filling a view_ops table. Views draw from core
 * state only; they never call the backend. */
#ifndef VMM_VIEW_H
#define VMM_VIEW_H

#include <stdbool.h>

#include "core/app.h"

struct view_ops {
	const char *name;
	/* Draws the body: rows top..top+height-1 of the terminal. */
	void (*draw)(const struct app *a, int top, int height, int cols);
};

/* True when the terminal's locale is UTF-8 (else 7-bit fallbacks). */
extern bool ui_utf8;

extern const struct view_ops vmlist_view;
extern const struct view_ops help_view;

/* Writes s at (y, x) in at most width columns, cutting with an ellipsis
 * and padding with spaces; control and invalid bytes show as '?'.
 * Returns the columns used. */
int ui_put(int y, int x, const char *s, int width);

#endif
