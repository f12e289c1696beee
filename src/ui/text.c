/* Width-aware text output: names can be unicode, wide, or 200 characters
 * long and must never push the layout out of line. */
#include <curses.h>
#include <string.h>
#include <wchar.h>

#include "ui/view.h"

static int char_width(wchar_t wc)
{
	int w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

int ui_put(int y, int x, const char *s, int width)
{
	mbstate_t st;
	const char *p = s;
	size_t left = strlen(s);
	int used = 0;

	if (width <= 0)
		return 0;
	memset(&st, 0, sizeof(st));
	move(y, x);
	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, left, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			wc = L'?';
			n = 1;
		} else if (n == 0) {
			break;
		}
		if (wcwidth(wc) < 0)
			wc = L'?';
		w = char_width(wc);
		/* Keep a column for the ellipsis unless this is the last char. */
		if (used + w > width || (used + w == width && n < left)) {
			if (used < width) {
				if (ui_utf8)
					addnwstr(L"\u2026", 1);
				else
					addch('~');
				used++;
			}
			break;
		}
		addnwstr(&wc, 1);
		used += w;
		p += n;
		left -= n;
	}
	while (used < width) {
		addch(' ');
		used++;
	}
	return used;
}
