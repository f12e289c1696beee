/* What the fuzz targets share (fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "shared/util.h"
#include "tests/fuzz/fuzz.h"

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_fields(const uint8_t *data, size_t size, char **out, size_t n)
{
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		const uint8_t *end = off < size ? memchr(data + off, 0, size - off) : NULL;
		size_t len = off >= size ? 0 : end ? (size_t)(end - (data + off)) : size - off;

		out[i] = fuzz_str(off < size ? data + off : data, len);
		off += len + 1;
	}
}

void fuzz_fields_free(char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i]);
}

int fuzz_xml_text(const char *s)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n) {
		if (!(k = utf8_decode(s, n, &cp)))
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}
