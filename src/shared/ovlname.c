/* The name of a new overlay or memory file beside an existing one. */
#include "shared/ovlname.h"

#include <stdio.h>
#include <string.h>

#include "shared/util.h"

bool ovlname_stamped(const char *beside, const char *vm, const char *what, const char *ext, const char *stamp,
		     char *buf, size_t n)
{
	const char *slash = strrchr(beside, '/');
	char name[128];
	size_t i;
	int w;

	str_copy(name, vm, sizeof(name));
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '.' || name[i] == '_'))
			name[i] = '_';
	w = snprintf(buf, n, "%.*s/%s-%s-%s.%s", slash ? (int)(slash - beside) : 0, beside, name, what, stamp, ext);
	if (w < 0 || (size_t)w >= n) {
		buf[0] = '\0';
		return false;
	}
	return true;
}

bool ovlname_make(const char *beside, const char *vm, const char *what, const char *ext, time_t when, char *buf,
		  size_t n)
{
	char stamp[32];
	struct tm tm;

	localtime_r(&when, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	return ovlname_stamped(beside, vm, what, ext, stamp, buf, n);
}
