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

/* Each screen's view, as core/screen.h lists the screens: NAME_view in
 * view_NAME.c, and the views by screen (tui.c). */
#define VIEW_DECLARE(id, core, ui) extern const struct view_ops ui##_view;
SCREEN_LIST(VIEW_DECLARE)
#undef VIEW_DECLARE
extern const struct view_ops *const ui_views[SCREEN_COUNT];

/* Draws the open dialog over the screen; sets (*cy, *cx) to where the
 * text cursor belongs, or -1 when it is hidden. */
void ui_draw_dialog(const struct app *a, int rows, int cols, int *cy, int *cx);

/* Display columns of a UTF-8 string as ui_put draws it. */
size_t ui_text_width(const char *s);
/* The end of s that fits in width columns (whole characters). */
const char *ui_tail(const char *s, int width);

#define UI_GLYPH_COLS 3

/* Draws the line glyphs of a tree row at (y, x); returns the columns
 * used (UI_GLYPH_COLS per level). */
int ui_tree_glyphs(int y, int x, const unsigned char *glyphs, size_t depth, int width);

/* A progress bar of width columns for done of total (total 0: unknown). */
void ui_progress(int y, int x, int width, unsigned long long done, unsigned long long total);

/* Colour attribute for a VM state; 0 without colours. */
int ui_state_attr(enum be_vm_state s);
/* Attribute of an error message: red and bold, bold without colours. */
int ui_error_attr(void);



/* Writes a message on row y from column 0; one wider than cols is cut
 * short and ends in a hint at the key that shows it whole in the log
 * (every message is there), unless a dialog has the keys. */
void ui_put_message(const struct app *a, int y, const char *msg, int cols);

/* Writes s at (y, x) in at most width columns, cutting with an ellipsis
 * and padding with spaces. What must not reach the terminal raw (controls,
 * format characters, bytes that are not UTF-8) and what it cannot draw
 * show as a stand-in in reverse video, <U+202E> or <0xFF>. Returns the
 * columns used. */
int ui_put(int y, int x, const char *s, int width);

#endif
