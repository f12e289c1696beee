/* Word wrapping by display columns: pure (no curses), so that the status
 * log, the dialogs and their tests measure text the same way. */
#ifndef VMM_WRAP_H
#define VMM_WRAP_H

#include <stddef.h>

/* A line of wrapped text: len bytes of it from start. */
struct wrap_line {
	size_t start, len;
};

/* Display columns of the first len bytes of UTF-8 s, as the terminal shows
 * them: a byte that is not UTF-8 or a character with no width (a control)
 * takes one column, as the screen draws it '?'. */
size_t wrap_width(const char *s, size_t len);

/* Breaks text into lines of at most width columns: at each '\n', else at
 * the last space that fits (dropping the spaces at the break), else, for a
 * word longer than a line, between two characters. Fills up to max lines
 * of out (which may be NULL) and returns the number of lines in all; ""
 * has none. */
size_t wrap_text(const char *text, int width, struct wrap_line *out, size_t max);

#endif
