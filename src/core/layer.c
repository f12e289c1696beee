#include "core/layer.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

char *layer_label(const struct be_layer *l, char *buf, size_t n)
{
	const char *fmt = l->format[0] ? l->format : "format unknown";
	char cap[32], alloc[32];

	if (l->in_pool && l->capacity >= 0)
		snprintf(buf, n, "%s (%s, %s virtual, %s used)", l->path, fmt,
			 bytes_human((unsigned long long)l->capacity, cap, sizeof(cap)),
			 bytes_human((unsigned long long)(l->allocation > 0 ? l->allocation : 0), alloc, sizeof(alloc)));
	else
		snprintf(buf, n, "%s (%s, in no storage pool: sizes unknown)", l->path, fmt);
	return buf;
}

char *layer_label_dup(const struct be_layer *l)
{
	/* Around the path and the format: words and two sizes of at most 31
	 * bytes each (bytes_human), under 128 bytes in all. */
	size_t n = strlen(l->path) + strlen(l->format) + 128;

	return layer_label(l, xmalloc(n), n);
}
