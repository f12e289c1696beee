/* Strict UTF-8 decoding and checking (utf8.h). */
#include "core/utf8.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t len, i;

	if (!n)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xC2) /* a continuation byte, or a 2-byte overlong lead */
		return 0;
	if (s[0] < 0xE0) {
		len = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if (s[0] < 0xF0) {
		len = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if (s[0] < 0xF5) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_check(const char *s, size_t n)
{
	size_t i = 0, len;
	uint32_t cp;

	while (i < n && (len = utf8_decode(s + i, n - i, &cp)))
		i += len;
	return i;
}
