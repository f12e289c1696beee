/* What of a text may reach a terminal as it is, and the escapes that
 * stand in for the rest (textesc.h). */
#include "core/textesc.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "shared/util.h"

/* General category Cf of Unicode 15.0 (DerivedGeneralCategory.txt):
 * 170 code points. Bidi controls, zero-width characters, invisible
 * operators, the BOM, interlinear annotation, tags and the script-specific
 * format marks, any of which can hide or reorder what a name shows. */
static const struct {
	uint32_t lo, hi;
} format_chars[] = {
	{0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},
	{0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},
	{0x200B, 0x200F},   {0x202A, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},
	{0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
	{0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
	{0xE0020, 0xE007F},
};

bool textesc_unsafe(uint32_t cp)
{
	size_t lo = 0, hi = ARRAY_LEN(format_chars);

	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
		return true;
	while (lo < hi) { /* the table is sorted */
		size_t mid = (lo + hi) / 2;

		if (cp < format_chars[mid].lo)
			hi = mid;
		else if (cp > format_chars[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

void textesc_code(uint32_t cp, enum textesc_style style, char out[TEXTESC_MAX])
{
	if (style == TEXTESC_SHOW) {
		snprintf(out, TEXTESC_MAX, "<U+%04X>", (unsigned)cp);
		return;
	}
	switch (cp) {
	case '\\': strcpy(out, "\\\\"); break;
	case '\n': strcpy(out, "\\n"); break;
	case '\r': strcpy(out, "\\r"); break;
	case '\t': strcpy(out, "\\t"); break;
	default:
		if (cp < 0x80)
			snprintf(out, TEXTESC_MAX, "\\x%02X", (unsigned)cp);
		else
			snprintf(out, TEXTESC_MAX, "\\u{%04X}", (unsigned)cp);
	}
}

size_t textesc_next(const char *s, size_t n, enum textesc_style style, uint32_t *cp, char out[TEXTESC_MAX])
{
	size_t len = utf8_decode(s, n, cp);

	out[0] = '\0';
	if (!len) {
		snprintf(out, TEXTESC_MAX, style == TEXTESC_SHOW ? "<0x%02X>" : "\\x%02X", (unsigned char)s[0]);
		return 1;
	}
	if (textesc_unsafe(*cp) || (style == TEXTESC_SCRIPT && *cp == '\\'))
		textesc_code(*cp, style, out);
	return len;
}

char *textesc_dup(const char *s, enum textesc_style style)
{
	size_t n = strlen(s), cap = n + 1, len = 0;
	char *d = xmalloc(cap);

	while (n > 0) {
		char out[TEXTESC_MAX];
		uint32_t cp;
		size_t used = textesc_next(s, n, style, &cp, out);
		const char *add = out[0] ? out : s;
		size_t addn = out[0] ? strlen(out) : used;

		if (len + addn + 1 > cap) {
			cap = 2 * cap + addn;
			d = xrealloc(d, cap);
		}
		memcpy(d + len, add, addn);
		len += addn;
		s += used;
		n -= used;
	}
	d[len] = '\0';
	return d;
}

void textesc_fputs(const char *s, enum textesc_style style, FILE *f)
{
	char *e = textesc_dup(s, style);

	fputs(e, f);
	free(e);
}
