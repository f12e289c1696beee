/* What data may reach a terminal as it is, and what stands in for the
 * rest. Names, descriptions, paths, URIs and libvirt's messages are data:
 * a control character or a bidi override in them could move the cursor,
 * restyle or reorder the text, or hide a difference between two names.
 * The screens, --print and stderr all go through textesc_next. */
#ifndef VMM_TEXTESC_H
#define VMM_TEXTESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum textesc_style {
	/* For people (screens, stderr): <U+202E> for a code point, <0xFF>
	 * for a byte that is not UTF-8; everything else as it is. */
	TEXTESC_SHOW,
	/* For scripts (--print), reversible and one line: \\ for a
	 * backslash, \n \r \t, \xNN for another ASCII control or a byte that
	 * is not UTF-8, \u{202E} for any other code point escaped. */
	TEXTESC_SCRIPT,
};

/* Room for the longest stand-in, "<U+10FFFF>" or "\u{10FFFF}" (11 bytes
 * with the NUL), and for what the compiler sees %X could print. */
#define TEXTESC_MAX 16

/* True for a code point that never reaches a terminal raw: C0 controls,
 * DEL, C1 controls, the line and paragraph separators (U+2028, U+2029)
 * and every format character (general category Cf, Unicode 15). */
bool textesc_unsafe(uint32_t cp);

/* Looks at the character at the start of s (n > 0 bytes). Returns the
 * bytes it takes (1 to 4) and writes to out what stands for it in style,
 * or "" when it may be shown as it is; then *cp is its code point. */
size_t textesc_next(const char *s, size_t n, enum textesc_style style, uint32_t *cp, char out[TEXTESC_MAX]);

/* The stand-in for code point cp in style, whether it needs one or not
 * (the screens also use it for what the terminal cannot draw). */
void textesc_code(uint32_t cp, enum textesc_style style, char out[TEXTESC_MAX]);

/* s escaped whole; the caller frees it. */
char *textesc_dup(const char *s, enum textesc_style style);

/* Writes s escaped to f. */
void textesc_fputs(const char *s, enum textesc_style style, FILE *f);

#endif
