/* Word wrapping by display columns (wrap.h). */
#include "core/wrap.h"

#include <stdbool.h>
#include <string.h>
#include <wchar.h>

/* The bytes and columns of the character at s (left bytes remain). */
static size_t next_char(const char *s, size_t left, mbstate_t *st, size_t *cols)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, left, st);
	int w;

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : (size_t)w;
	return n;
}

size_t wrap_width(const char *s, size_t len)
{
	mbstate_t st;
	size_t w = 0, cols;

	memset(&st, 0, sizeof(st));
	while (len > 0) {
		size_t n = next_char(s, len, &st, &cols);

		w += cols;
		s += n;
		len -= n;
	}
	return w;
}

/* Where the line that starts at text[pos] ends (*end, spaces at a break
 * excluded) and the next one starts. */
static size_t line_end(const char *text, size_t total, size_t pos, size_t width, size_t *end)
{
	mbstate_t st;
	size_t i = pos, cols = 0, brk = 0, n, w;
	bool word = false, have_brk = false;

	memset(&st, 0, sizeof(st));
	for (;;) {
		if (i >= total || text[i] == '\n') {
			*end = i;
			return i < total ? i + 1 : i;
		}
		n = next_char(text + i, total - i, &st, &w);
		if (text[i] != ' ') {
			word = true;
		} else if (word) { /* not at an indent's spaces */
			brk = i;
			have_brk = true;
		}
		if (cols + w > width)
			break;
		cols += w;
		i += n;
	}
	if (text[i] == ' ' || have_brk)
		*end = text[i] == ' ' ? i : brk;
	else /* a word longer than the line: as many characters as fit, one at least */
		*end = i > pos ? i : i + n;
	i = *end;
	while (text[i] == ' ')
		i++;
	return text[i] == '\n' ? i + 1 : i;
}

size_t wrap_text(const char *text, int width, struct wrap_line *out, size_t max)
{
	size_t total = strlen(text), pos = 0, count = 0, end, next;

	while (pos < total) {
		next = line_end(text, total, pos, width > 0 ? (size_t)width : 1, &end);
		while (end > pos && text[end - 1] == ' ')
			end--;
		if (out && count < max) {
			out[count].start = pos;
			out[count].len = end - pos;
		}
		count++;
		pos = next;
	}
	return count;
}
