#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

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

static int fail(char *err, size_t errn, int line, const char *what)
{
	snprintf(err, errn, "line %d: %s", line, what);
	return -1;
}

static int parse_host(struct config *out, const char *p, int line, char *err, size_t errn)
{
	struct host_conf h;
	char flag[32];
	bool too_long = false;
	size_t i;

	memset(&h, 0, sizeof(h));
	if (!word(&p, h.name, sizeof(h.name), &too_long) || too_long)
		return fail(err, errn, line, too_long ? "host name longer than 63 bytes" : "host needs a NAME and a URI");
	if (!word(&p, h.uri, sizeof(h.uri), &too_long) || too_long)
		return fail(err, errn, line, too_long ? "URI longer than 511 bytes" : "host needs a URI after its name");
	while (word(&p, flag, sizeof(flag), &too_long)) {
		if (strcmp(flag, "readonly"))
			return fail(err, errn, line, "unknown word after the URI (only 'readonly' goes there)");
		h.readonly = true;
	}
	for (i = 0; i < out->nhosts; i++)
		if (!strcmp(out->hosts[i].name, h.name))
			return fail(err, errn, line, "a host of that name is listed already");
	out->hosts = xrealloc(out->hosts, (out->nhosts + 1) * sizeof(*out->hosts));
	out->hosts[out->nhosts++] = h;
	return 0;
}

int config_parse(const char *text, struct config *out, char *err, size_t errn)
{
	const char *p = text;
	int line = 0;

	memset(out, 0, sizeof(*out));
	while (p && *p) {
		size_t len = strcspn(p, "\n");
		char buf[1024], key[32];
		const char *q = buf;
		bool too_long = false;

		line++;
		if (len >= sizeof(buf)) {
			config_free(out);
			return fail(err, errn, line, "line longer than 1023 bytes");
		}
		snprintf(buf, sizeof(buf), "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		if (strchr(buf, '#'))
			*strchr(buf, '#') = '\0';
		if (!word(&q, key, sizeof(key), &too_long))
			continue; /* blank or a comment */
		if (!strcmp(key, "host")) {
			if (parse_host(out, q, line, err, errn) < 0) {
				config_free(out);
				return -1;
			}
		} else {
			config_free(out);
			return fail(err, errn, line, "unknown setting (this version knows 'host')");
		}
	}
	return 0;
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
