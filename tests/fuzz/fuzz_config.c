/* The config file parser on any bytes: it either lists hosts that make
 * sense or says "NAME:LINE: why"; what it lists, written out again as
 * host lines, reads back the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "shared/util.h"
#include "tests/fuzz/fuzz.h"

/* The hosts of c as a config file; the caller frees it. */
static char *write_back(const struct config *c, size_t *len)
{
	size_t i, cap = 64 + c->nhosts * 600, n = 0;
	char *s = xmalloc(cap);

	for (i = 0; i < c->nhosts; i++)
		n += (size_t)snprintf(s + n, cap - n, "host %s %s%s\n", c->hosts[i].name, c->hosts[i].uri,
				      c->hosts[i].readonly ? " readonly" : "");
	*len = n;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c, again;
	char err[1200], *text;
	size_t i, len;

	if (config_parse("fuzz", (const char *)data, size, &c, err, sizeof(err)) < 0) {
		if (strncmp(err, "fuzz:", 5))
			fuzz_fail("an error without file and line: %s", err);
		return 0;
	}
	if (c.nhosts > CONFIG_MAX_HOSTS)
		fuzz_fail("%zu hosts, more than %d", c.nhosts, CONFIG_MAX_HOSTS);
	for (i = 0; i < c.nhosts; i++)
		if (!c.hosts[i].name[0] || !c.hosts[i].uri[0] || strpbrk(c.hosts[i].uri, " \t\r\n#"))
			fuzz_fail("host %zu: name '%s', URI '%s'", i, c.hosts[i].name, c.hosts[i].uri);
	text = write_back(&c, &len);
	if (config_parse("again", text, len, &again, err, sizeof(err)) < 0)
		fuzz_fail("written back, it does not read: %s", err);
	if (again.nhosts != c.nhosts)
		fuzz_fail("written back: %zu hosts of %zu", again.nhosts, c.nhosts);
	for (i = 0; i < c.nhosts; i++)
		if (strcmp(again.hosts[i].name, c.hosts[i].name) || strcmp(again.hosts[i].uri, c.hosts[i].uri) ||
		    again.hosts[i].readonly != c.hosts[i].readonly)
			fuzz_fail("written back, host %zu differs", i);
	free(text);
	config_free(&again);
	config_free(&c);
	return 0;
}
