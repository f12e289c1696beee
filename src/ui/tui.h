/* The terminal: set-up and restore, keys, and drawing the current screen.
 * The only part of the program that includes curses. */
#ifndef VMM_TUI_H
#define VMM_TUI_H

#include <stdbool.h>

#include "core/app.h"

/* Starts curses; returns -1 with a message in msg when the terminal cannot
 * be used. Installs handlers that restore the terminal on SIGINT, SIGTERM,
 * SIGHUP and fatal signals. */
int tui_init(char *msg, int msgn);

/* Restores the terminal; safe to call twice and from atexit. */
void tui_end(void);

/* A pipe end that becomes readable when SIGINT, SIGTERM, SIGHUP or
 * SIGWINCH arrived; the main loop poll()s it (see tui_take_signal). */
int tui_signal_fd(void);

/* Reads the signals that arrived: SIGWINCH (the terminal was resized,
 * curses already knows the new size), a quit signal, or 0. */
int tui_take_signal(void);

/* Reads one key without waiting. Returns false when none is pending. Sets
 * *key to a core key code (VK_RESIZE after a resize). */
bool tui_read_key(int *key);

void tui_size(int *rows, int *cols);

/* Draws the app's current screen (everything when a->full_redraw). */
void tui_draw(struct app *a);

#endif
