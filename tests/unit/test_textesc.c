/* Terminal safety: every code point and every byte that is not UTF-8 is
 * either shown as it is or by a visible stand-in, and --print's escaping
 * can be undone exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/textesc.h"
#include "core/utf8.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* What must be escaped, written from the standard, not from the code:
 * C0, DEL and C1, U+2028/U+2029, and general category Cf of Unicode 15.0
 * (DerivedGeneralCategory.txt lists 170 Cf code points). */
static const struct {
	uint32_t lo, hi;
} spec[] = {
	{0x0000, 0x001F}, /* C0, ESC among them */
	{0x007F, 0x009F}, /* DEL and C1 */
	{0x00AD, 0x00AD}, /* soft hyphen */
	{0x0600, 0x0605}, /* Arabic number signs */
	{0x061C, 0x061C}, /* Arabic letter mark */
	{0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x0890, 0x0891}, {0x08E2, 0x08E2},
	{0x180E, 0x180E}, /* Mongolian vowel separator */
	{0x200B, 0x200D}, /* zero width space, non-joiner, joiner */
	{0x200E, 0x200F}, /* LRM, RLM */
	{0x2028, 0x2029}, /* line and paragraph separators */
	{0x202A, 0x202E}, /* LRE, RLE, PDF, LRO, RLO */
	{0x2060, 0x2064}, /* word joiner, invisible operators */
	{0x2066, 0x2069}, /* LRI, RLI, FSI, PDI */
	{0x206A, 0x206F}, /* deprecated format characters */
	{0xFEFF, 0xFEFF}, /* BOM, zero width no-break space */
	{0xFFF9, 0xFFFB}, /* interlinear annotation */
	{0x110BD, 0x110BD}, {0x110CD, 0x110CD},
	{0x13430, 0x1343F}, /* Egyptian hieroglyph format controls (to 1343F in 15.0) */
	{0x1BCA0, 0x1BCA3}, /* shorthand format controls */
	{0x1D173, 0x1D17A}, /* musical symbol format */
	{0xE0001, 0xE0001}, /* language tag */
	{0xE0020, 0xE007F}, /* tag characters */
};

static bool in_spec(uint32_t cp)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(spec); i++)
		if (cp >= spec[i].lo && cp <= spec[i].hi)
			return true;
	return false;
}

static size_t encode(uint32_t cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void every_code_point_is_classified_as_the_standard_says(void **state)
{
	size_t unsafe = 0, cf = 0;
	uint32_t cp;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue; /* not characters */
		if (textesc_unsafe(cp) != in_spec(cp))
			fprintf(stderr, "U+%04X: textesc_unsafe says %d\n", (unsigned)cp, textesc_unsafe(cp));
		assert_int_equal(textesc_unsafe(cp), in_spec(cp));
		unsafe += textesc_unsafe(cp);
		cf += textesc_unsafe(cp) && cp >= 0xA0 && cp != 0x2028 && cp != 0x2029;
	}
	assert_int_equal(cf, 170);
	assert_int_equal(unsafe, 32 + 33 + 2 + 170); /* C0, DEL and C1, separators, Cf */
}

/* Every code point, in both styles: the stand-in names it, or it passes
 * as it is; one character is one step. */
static void every_code_point_has_a_visible_stand_in(void **state)
{
	char b[4], out[TEXTESC_MAX], want[TEXTESC_MAX];
	uint32_t cp, got;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		size_t n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = encode(cp, b);
		assert_int_equal(textesc_next(b, n, TEXTESC_SHOW, &got, out), n);
		assert_int_equal(got, cp);
		if (in_spec(cp)) {
			snprintf(want, sizeof(want), "<U+%04X>", (unsigned)cp);
			assert_string_equal(out, want);
		} else {
			assert_string_equal(out, "");
		}
		assert_int_equal(textesc_next(b, n, TEXTESC_SCRIPT, &got, out), n);
		if (cp == '\\')
			strcpy(want, "\\\\");
		else if (cp == '\n' || cp == '\r' || cp == '\t')
			strcpy(want, cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : "\\t");
		else if (in_spec(cp) && cp < 0x80)
			snprintf(want, sizeof(want), "\\x%02X", (unsigned)cp);
		else if (in_spec(cp))
			snprintf(want, sizeof(want), "\\u{%04X}", (unsigned)cp);
		else
			want[0] = '\0';
		assert_string_equal(out, want);
	}
}

static void bytes_that_are_not_utf8_show_as_bytes(void **state)
{
	static const char *const bad[] = {
		"\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
		"\xED\xBF\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
		"\xFE", "\xFF", "\xE2\x80", "\xF0\x9F\x98", "\xC3", "\xC3(",
	};
	char out[TEXTESC_MAX], want[TEXTESC_MAX];
	uint32_t cp;
	size_t i;
	int c;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(textesc_next(bad[i], strlen(bad[i]), TEXTESC_SHOW, &cp, out), 1);
		snprintf(want, sizeof(want), "<0x%02X>", (unsigned char)bad[i][0]);
		assert_string_equal(out, want);
		assert_int_equal(textesc_next(bad[i], strlen(bad[i]), TEXTESC_SCRIPT, &cp, out), 1);
		snprintf(want, sizeof(want), "\\x%02X", (unsigned char)bad[i][0]);
		assert_string_equal(out, want);
	}
	/* Every byte from 0x80 on is bad on its own. */
	for (c = 0x80; c <= 0xFF; c++) {
		char b = (char)c;

		assert_int_equal(textesc_next(&b, 1, TEXTESC_SHOW, &cp, out), 1);
		snprintf(want, sizeof(want), "<0x%02X>", (unsigned)c);
		assert_string_equal(out, want);
	}
	/* The longest and the last: U+10FFFF passes, whole. */
	assert_int_equal(textesc_next("\xF4\x8F\xBF\xBF", 4, TEXTESC_SHOW, &cp, out), 4);
	assert_int_equal(cp, 0x10FFFF);
	assert_string_equal(out, "");
}

static void names_that_differ_by_a_hidden_character_look_different(void **state)
{
	char *a, *b;

	(void)state;
	a = textesc_dup("invoice.pdf", TEXTESC_SHOW);
	b = textesc_dup("invoice\xE2\x80\xAE" "fdp.exe", TEXTESC_SHOW); /* RLO */
	assert_string_equal(a, "invoice.pdf");
	assert_string_equal(b, "invoice<U+202E>fdp.exe");
	free(a);
	free(b);
	a = textesc_dup("vm\xE2\x80\x8B" "1\x1B[2J\xC2\x9B" "1m\xF3\xA0\x80\x81\xFF", TEXTESC_SHOW);
	assert_string_equal(a, "vm<U+200B>1<U+001B>[2J<U+009B>1m<U+E0001><0xFF>");
	free(a);
	a = textesc_dup("caf\xC3\xA9 \xE2\x9C\x93 C:\\x", TEXTESC_SHOW); /* shown as they are */
	assert_string_equal(a, "caf\xC3\xA9 \xE2\x9C\x93 C:\\x");
	free(a);
}

/* The reverse of TEXTESC_SCRIPT, as a script would write it. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;
	unsigned v;
	int used;

	while (*s) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		if (*s == '\\' || *s == 'n' || *s == 'r' || *s == 't') {
			out[n++] = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : '\\';
			s++;
		} else if (sscanf(s, "x%2x%n", &v, &used) == 1 && used == 3) {
			out[n++] = (char)v;
			s += used;
		} else if (sscanf(s, "u{%x}%n", &v, &used) == 1) {
			n += encode(v, out + n);
			s += used;
		} else {
			fail_msg("bad escape at \"%s\"", s);
		}
	}
	return n;
}

/* Random bytes, heavy in what must be escaped: the script form has no
 * control, no format character, no bad byte, and undoes to the input. */
static void script_escaping_is_one_line_and_reversible(void **state)
{
	static const char *const pieces[] = {"\\", "\n", "\r", "\t", "\x1B", "\x7F", "\xC2\x9B", "\xE2\x80\xAE",
					     "\xEF\xBB\xBF", "\xF3\xA0\x80\xA1", "\xFF", "\xE2\x82", "a", "\xC3\xA9",
					     "\\x41", "\\u{41}", "<U+202E>", "\xE2\x80\xA8"};
	unsigned seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 2000; round++) {
		char in[512], back[512];
		size_t n = 0, len, i;
		char *e;
		int k;

		for (k = 0; k < 20; k++) {
			const char *p;

			seed = seed * 1103515245 + 12345;
			p = pieces[(seed >> 16) % ARRAY_LEN(pieces)];
			if ((seed >> 8) % 5 == 0) { /* now and then, any byte but NUL */
				in[n++] = (char)(1 + (seed >> 20) % 255);
				continue;
			}
			memcpy(in + n, p, strlen(p));
			n += strlen(p);
		}
		in[n] = '\0';
		e = textesc_dup(in, TEXTESC_SCRIPT);
		assert_int_equal(utf8_check(e, strlen(e)), strlen(e));
		for (i = 0; e[i];) {
			uint32_t cp;

			i += utf8_decode(e + i, strlen(e + i), &cp);
			assert_false(textesc_unsafe(cp));
		}
		len = unescape(e, back);
		assert_int_equal(len, n);
		assert_memory_equal(back, in, n);
		free(e);
		e = textesc_dup(in, TEXTESC_SHOW);
		for (i = 0; e[i];) {
			uint32_t cp;
			size_t step = utf8_decode(e + i, strlen(e + i), &cp);

			assert_true(step > 0);
			assert_false(textesc_unsafe(cp));
			i += step;
		}
		free(e);
	}
}

int test_textesc_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_point_is_classified_as_the_standard_says),
		cmocka_unit_test(every_code_point_has_a_visible_stand_in),
		cmocka_unit_test(bytes_that_are_not_utf8_show_as_bytes),
		cmocka_unit_test(names_that_differ_by_a_hidden_character_look_different),
		cmocka_unit_test(script_escaping_is_one_line_and_reversible),
	};

	return cmocka_run_group_tests_name("textesc", tests, NULL, NULL);
}
