/* The config file (config.h): read whole, refused when it is not text,
 * parsed a line at a time into hosts. */
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/utf8.h"
#include "shared/util.h"

/* Longest line, newline excluded: a host line is at most about 600. */
#define LINE_MAX_BYTES 1023

/* Where a message about the file points: its name and the line. */
struct where {
	const char *name;
	int line;
};

__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t errn, const struct where *at,
						      const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errn, "%s:%d: ", at->name, at->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errn)
		vsnprintf(err + n, errn - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next blank-separated word of *p (at most n-1 bytes), or NULL. */
static const char *word(const char **p, char *buf, size_t n, bool *too_long)
{
	size_t len;

	*p += strspn(*p, " \t\r");
	len = strcspn(*p, " \t\r");
	if (!len)
		return NULL;
	*too_long = len >= n;
	snprintf(buf, n, "%.*s", (int)len, *p);
	*p += len;
	return buf;
}

static int parse_host(struct config *out, const char *p, const struct where *at, char *err, size_t errn)
{
	struct host_conf h;
	char flag[32];
	bool too_long = false;
	size_t i;

	memset(&h, 0, sizeof(h));
	if (!word(&p, h.name, sizeof(h.name), &too_long) || too_long)
		return fail(err, errn, at, too_long ? "host name longer than 63 bytes" : "host needs a NAME and a URI");
	if (!word(&p, h.uri, sizeof(h.uri), &too_long) || too_long)
		return fail(err, errn, at, too_long ? "URI longer than 511 bytes" : "host needs a URI after its name");
	while (word(&p, flag, sizeof(flag), &too_long)) {
		if (too_long || strcmp(flag, "readonly"))
			return fail(err, errn, at, "unknown word after the URI (only 'readonly' goes there)");
		h.readonly = true;
	}
	for (i = 0; i < out->nhosts; i++)
		if (!strcmp(out->hosts[i].name, h.name))
			return fail(err, errn, at, "a host of that name is listed already");
	if (out->nhosts >= CONFIG_MAX_HOSTS)
		return fail(err, errn, at, "more than %d hosts (the most vmmanager manages at once)",
			    CONFIG_MAX_HOSTS);
	out->hosts = xrealloc(out->hosts, (out->nhosts + 1) * sizeof(*out->hosts));
	out->hosts[out->nhosts++] = h;
	return 0;
}

/* Bytes that have no place in a text file of settings: NUL (C strings
 * would end there), what is not UTF-8, and control characters other than
 * tab and the CR of a CRLF file. */
static int check_bytes(const char *s, size_t len, const struct where *at, char *err, size_t errn)
{
	size_t i, bad;

	if (memchr(s, '\0', len))
		return fail(err, errn, at, "NUL byte at column %zu", (size_t)((const char *)memchr(s, '\0', len) - s) + 1);
	bad = utf8_check(s, len);
	if (bad < len)
		return fail(err, errn, at, "not UTF-8 (byte 0x%02X at column %zu)", (unsigned char)s[bad], bad + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
			return fail(err, errn, at, "control character 0x%02X at column %zu", c, i + 1);
	}
	return 0;
}

static int parse_line(struct config *out, const char *s, size_t len, const struct where *at, char *err,
		      size_t errn)
{
	char buf[LINE_MAX_BYTES + 1], key[32];
	const char *q = buf;
	bool too_long = false;

	if (len > LINE_MAX_BYTES)
		return fail(err, errn, at, "line longer than %d bytes", LINE_MAX_BYTES);
	if (check_bytes(s, len, at, err, errn) < 0)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strchr(buf, '#'))
		*strchr(buf, '#') = '\0';
	if (!word(&q, key, sizeof(key), &too_long))
		return 0; /* blank or a comment */
	if (!too_long && !strcmp(key, "host"))
		return parse_host(out, q, at, err, errn);
	return fail(err, errn, at, "unknown setting (this version knows 'host')");
}

int config_parse(const char *name, const char *text, size_t len, struct config *out, char *err, size_t errn)
{
	struct where at = {name, 0};
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;

		at.line++;
		if (parse_line(out, text + off, n, &at, err, errn) < 0) {
			config_free(out);
			return -1;
		}
		off += n + (nl != NULL);
	}
	return 0;
}

/* The whole file into *text (malloc'd), up to CONFIG_MAX_BYTES. */
static int read_all(int fd, char **text, size_t *len)
{
	size_t cap = 4096;
	ssize_t got;

	*text = xmalloc(cap);
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap *= 2;
			*text = xrealloc(*text, cap);
		}
		got = read(fd, *text + *len, cap - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : 0;
		*len += (size_t)got;
		if (*len > CONFIG_MAX_BYTES)
			return 0;
	}
}

int config_load(const char *path, struct config *out, char *err, size_t errn)
{
	char *text = NULL;
	size_t len;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0; /* no file: no hosts */
	if (fd < 0) {
		snprintf(err, errn, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = read_all(fd, &text, &len);
	if (rc < 0)
		snprintf(err, errn, "%s: %s", path, strerror(errno));
	close(fd);
	if (rc == 0 && len > CONFIG_MAX_BYTES) {
		snprintf(err, errn, "%s: larger than %d MiB; a config file is a few lines", path,
			 CONFIG_MAX_BYTES / (1024 * 1024));
		rc = -1;
	}
	if (rc == 0)
		rc = config_parse(path, text, len, out, err, errn);
	free(text);
	return rc;
}

void config_free(struct config *c)
{
	free(c->hosts);
	c->hosts = NULL;
	c->nhosts = 0;
}

int config_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		return snprintf(buf, n, "%s/vmmanager/config", xdg) < (int)n ? 0 : -1;
	if (home && *home)
		return snprintf(buf, n, "%s/.config/vmmanager/config", home) < (int)n ? 0 : -1;
	return -1;
}
