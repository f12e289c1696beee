/* Word wrapping on any bytes and widths: every line fits (for widths a
 * double-width character fits in), holds no newline, and the lines keep
 * every character but the spaces dropped at breaks. The first byte of
 * the input is the width. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/wrap.h"
#include "shared/util.h"
#include "tests/fuzz/fuzz.h"

/* s without spaces and newlines, into out. */
static size_t squeeze(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n')
			out[o++] = s[i];
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	int width = size ? (int)(data[0] % 100) - 2 : 0;
	char *text = fuzz_str(size ? data + 1 : data, size ? size - 1 : 0), *a, *b;
	size_t total = strlen(text), n, i, na, nb = 0;
	struct wrap_line *lines;

	if (!ready) /* widths as a UTF-8 terminal counts them */
		ready = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
	n = wrap_text(text, width, NULL, 0);
	lines = xcalloc(n ? n : 1, sizeof(*lines));
	if (wrap_text(text, width, lines, n) != n)
		fuzz_fail("two wraps of the same text differ");
	a = xmalloc(total + 1);
	b = xmalloc(total + 1);
	na = squeeze(text, total, a);
	for (i = 0; i < n; i++) {
		const struct wrap_line *l = &lines[i];

		if (l->start > total || l->len > total - l->start || (i && l->start < lines[i - 1].start + lines[i - 1].len))
			fuzz_fail("line %zu (%zu+%zu) out of place", i, l->start, l->len);
		if (memchr(text + l->start, '\n', l->len))
			fuzz_fail("line %zu holds a newline", i);
		if (width >= 2 && wrap_width(text + l->start, l->len) > (size_t)width)
			fuzz_fail("line %zu is %zu columns wide, more than %d", i, wrap_width(text + l->start, l->len), width);
		nb += squeeze(text + l->start, l->len, b + nb);
	}
	if (na != nb || memcmp(a, b, na))
		fuzz_fail("wrapping lost or added characters");
	free(a);
	free(b);
	free(lines);
	free(text);
	return 0;
}
