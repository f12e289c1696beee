/* The JSON writer of --print --json and --list --json (json.h). */
#include "core/json.h"

#include <string.h>

#include "core/textesc.h"
#include "core/utf8.h"

static void code_unit(FILE *f, unsigned v)
{
	fprintf(f, "\\u%04x", v & 0xFFFF);
}

void json_string(FILE *f, const char *s)
{
	size_t i = 0, n, len;
	uint32_t cp;

	if (!s) {
		fputs("null", f);
		return;
	}
	n = strlen(s);
	fputc('"', f);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': fputs("\\\"", f); i++; continue;
		case '\\': fputs("\\\\", f); i++; continue;
		case '\n': fputs("\\n", f); i++; continue;
		case '\r': fputs("\\r", f); i++; continue;
		case '\t': fputs("\\t", f); i++; continue;
		case '\b': fputs("\\b", f); i++; continue;
		case '\f': fputs("\\f", f); i++; continue;
		default: break;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len) { /* not UTF-8: the byte, as Latin-1 reads it */
			code_unit(f, c);
			i++;
			continue;
		}
		if (textesc_unsafe(cp)) {
			if (cp > 0xFFFF) { /* a surrogate pair */
				code_unit(f, 0xD800 + ((cp - 0x10000) >> 10));
				code_unit(f, 0xDC00 + ((cp - 0x10000) & 0x3FF));
			} else {
				code_unit(f, cp);
			}
		} else {
			fwrite(s + i, 1, len, f);
		}
		i += len;
	}
	fputc('"', f);
}

static void indent(struct json *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Before a value: a comma and a new line in an array; nothing after a
 * key. */
static void value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->f);
		j->first[j->depth] = false;
		indent(j);
	}
}

void json_start(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

void json_open(struct json *j, char what)
{
	value(j);
	fputc(what, j->f);
	if (j->depth + 1 < JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void json_close(struct json *j, char what)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(what, j->f);
}

void json_key(struct json *j, const char *key)
{
	value(j);
	json_string(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	value(j);
	json_string(j->f, s);
}

void json_int(struct json *j, long long v)
{
	value(j);
	fprintf(j->f, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	value(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	value(j);
	fputs("null", j->f);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kint(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_knum(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	if (v < 0)
		json_null(j);
	else
		json_int(j, v);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
}
