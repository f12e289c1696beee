/* Fixture files the driver tests write for libvirt's test driver. */
#include <stdio.h>
#include <stdlib.h>

#include "tests/driver/driver.h"

FILE *driver_fixture_open(char *path, size_t n, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	int fd;
	FILE *f;

	snprintf(path, n, "%s/vmm-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if ((fd = mkstemp(path)) < 0)
		return NULL;
	if (!(f = fdopen(fd, "w")))
		remove(path);
	return f;
}
