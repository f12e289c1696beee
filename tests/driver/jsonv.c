#include "tests/driver/jsonv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

struct parser {
	const char *p, *start, *end;
	char *err;
	size_t errn;
	int depth;
};

static int fail(struct parser *ps, const char *what)
{
	if (!ps->err[0])
		snprintf(ps->err, ps->errn, "%s at byte %zu", what, (size_t)(ps->p - ps->start));
	return -1;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static void put_utf8(char **buf, size_t *len, size_t *cap, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
	}
	memcpy(*buf + *len, b, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static int hex4(struct parser *ps, uint32_t *v)
{
	int i;

	*v = 0;
	if (ps->end - ps->p < 4)
		return fail(ps, "a short \\u escape");
	for (i = 0; i < 4; i++) {
		char c = *ps->p++;

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return fail(ps, "a bad hex digit");
	}
	return 0;
}

static int string(struct parser *ps, char **out, size_t *outlen)
{
	size_t len = 0, cap = 16;
	char *buf = calloc(1, cap);
	uint32_t cp, lo;

	ps->p++; /* the quote */
	for (;;) {
		size_t k;

		if (ps->p >= ps->end)
			goto bad_end;
		if (*ps->p == '"') {
			ps->p++;
			break;
		}
		if ((unsigned char)*ps->p < 0x20) {
			free(buf);
			return fail(ps, "a raw control character in a string");
		}
		if (*ps->p != '\\') {
			k = utf8_decode(ps->p, (size_t)(ps->end - ps->p), &cp);
			if (!k) {
				free(buf);
				return fail(ps, "bytes that are not UTF-8 in a string");
			}
			ps->p += k;
			put_utf8(&buf, &len, &cap, cp);
			continue;
		}
		if (++ps->p >= ps->end)
			goto bad_end;
		switch (*ps->p++) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (hex4(ps, &cp) < 0)
				goto bad;
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				free(buf);
				return fail(ps, "a lone low surrogate");
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
					free(buf);
					return fail(ps, "a lone high surrogate");
				}
				ps->p += 2;
				if (hex4(ps, &lo) < 0)
					goto bad;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					free(buf);
					return fail(ps, "a high surrogate not followed by a low one");
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			break;
		default: free(buf); return fail(ps, "an unknown escape");
		}
		put_utf8(&buf, &len, &cap, cp);
	}
	*out = buf;
	*outlen = len;
	return 0;
bad_end:
	free(buf);
	return fail(ps, "a string that does not end");
bad:
	free(buf);
	return -1;
}

static int number(struct parser *ps, double *v)
{
	const char *s = ps->p;
	char tmp[64];

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9')
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	else
		return fail(ps, "a bad number");
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "a bad fraction");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "a bad exponent");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(ps->p - s), s);
	*v = strtod(tmp, NULL);
	return 0;
}

static int value(struct parser *ps, struct jv *v);

static int literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return fail(ps, "an unknown word");
	ps->p += n;
	return 0;
}

static int items(struct parser *ps, struct jv *v, bool object)
{
	char close = object ? '}' : ']';

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		struct jv item = {0};
		char *key = NULL;
		size_t klen;

		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"' || string(ps, &key, &klen) < 0)
				return fail(ps, "a key expected");
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				return fail(ps, "':' expected");
			}
			ps->p++;
		}
		if (value(ps, &item) < 0) {
			free(key);
			jv_free(&item);
			return -1;
		}
		v->v = realloc(v->v, (v->n + 1) * sizeof(*v->v));
		v->v[v->n] = item;
		if (object) {
			v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
			v->keys[v->n] = key;
		}
		v->n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return 0;
		}
		return fail(ps, "',' or the end expected");
	}
}

static int value(struct parser *ps, struct jv *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "a value expected");
	if (++ps->depth > 64)
		return fail(ps, "too deep");
	switch (*ps->p) {
	case '{': v->type = JV_OBJ; rc = items(ps, v, true); break;
	case '[': v->type = JV_ARR; rc = items(ps, v, false); break;
	case '"': v->type = JV_STR; rc = string(ps, &v->str, &v->len); break;
	case 't': v->type = JV_BOOL; v->b = true; rc = literal(ps, "true"); break;
	case 'f': v->type = JV_BOOL; rc = literal(ps, "false"); break;
	case 'n': v->type = JV_NULL; rc = literal(ps, "null"); break;
	default: v->type = JV_NUM; rc = number(ps, &v->num); break;
	}
	ps->depth--;
	return rc;
}

int jv_parse(const char *text, struct jv *out, char *err, size_t errn)
{
	struct parser ps = {text, text, text + strlen(text), err, errn, 0};

	err[0] = '\0';
	if (value(&ps, out) < 0) {
		jv_free(out);
		return -1;
	}
	skip_ws(&ps);
	if (ps.p != ps.end) {
		jv_free(out);
		return fail(&ps, "more after the value");
	}
	return 0;
}

void jv_free(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jv_free(&v->v[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->v);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

const struct jv *jv_get(const struct jv *o, const char *key)
{
	size_t i;

	for (i = 0; o && o->type == JV_OBJ && i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->v[i];
	return NULL;
}
