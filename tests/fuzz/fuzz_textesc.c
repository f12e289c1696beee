/* Escaping for terminals and scripts on any bytes: what comes out is
 * UTF-8 with nothing a terminal acts on, and the script style reads back
 * to the very bytes that went in. */
#include <stdlib.h>
#include <string.h>

#include "core/textesc.h"
#include "core/utf8.h"
#include "tests/fuzz/fuzz.h"

static void safe(const char *s, const char *style)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n) {
		if (!(k = utf8_decode(s, n, &cp)))
			fuzz_fail("%s: escaped text is not UTF-8", style);
		if (textesc_unsafe(cp))
			fuzz_fail("%s: U+%04X left raw", style, (unsigned)cp);
		s += k;
		n -= k;
	}
}

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes TEXTESC_SCRIPT into out (as long as s at most); -1 when s is
 * not something it writes. */
static int unescape(const char *s, char *out)
{
	size_t o = 0;

	while (*s) {
		unsigned long v = 0;

		if (*s != '\\') {
			out[o++] = *s++;
			continue;
		}
		s++;
		switch (*s++) {
		case '\\': out[o++] = '\\'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'x':
			if (hex(s[0]) < 0 || hex(s[1]) < 0)
				return -1;
			out[o++] = (char)(hex(s[0]) * 16 + hex(s[1]));
			s += 2;
			break;
		case 'u':
			if (*s++ != '{')
				return -1;
			while (hex(*s) >= 0)
				v = v * 16 + (unsigned long)hex(*s++);
			if (*s++ != '}' || v > 0x10FFFF)
				return -1;
			if (v < 0x80) {
				out[o++] = (char)v;
			} else if (v < 0x800) {
				out[o++] = (char)(0xC0 | v >> 6);
				out[o++] = (char)(0x80 | (v & 0x3F));
			} else if (v < 0x10000) {
				out[o++] = (char)(0xE0 | v >> 12);
				out[o++] = (char)(0x80 | (v >> 6 & 0x3F));
				out[o++] = (char)(0x80 | (v & 0x3F));
			} else {
				out[o++] = (char)(0xF0 | v >> 18);
				out[o++] = (char)(0x80 | (v >> 12 & 0x3F));
				out[o++] = (char)(0x80 | (v >> 6 & 0x3F));
				out[o++] = (char)(0x80 | (v & 0x3F));
			}
			break;
		default: return -1;
		}
	}
	out[o] = '\0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *show = textesc_dup(s, TEXTESC_SHOW);
	char *script = textesc_dup(s, TEXTESC_SCRIPT), *back = malloc(strlen(script) + 1);

	safe(show, "show");
	safe(script, "script");
	if (strchr(script, '\n') || strchr(script, '\r'))
		fuzz_fail("script: a line break left in");
	if (!back || unescape(script, back) < 0 || strcmp(back, s))
		fuzz_fail("script: '%s' does not read back", script);
	free(back);
	free(script);
	free(show);
	free(s);
	return 0;
}
