#include "core/layer.h"

#include <stdio.h>
#include <string.h>

#include "shared/util.h"

char *layer_label(const struct be_layer *l, char *buf, size_t n)
{
	const char *fmt = l->format[0] ? l->format : "format unknown";
	char cap[32], alloc[32];

	if (l->in_pool && l->capacity >= 0)
		snprintf(buf, n, "%s (%s, %s virtual, %s used)", l->path, fmt,
			 bytes_human((unsigned long long)l->capacity, cap, sizeof(cap)),
			 bytes_human((unsigned long long)(l->allocation > 0 ? l->allocation : 0), alloc, sizeof(alloc)));
	else if (l->missing)
		snprintf(buf, n, "%s (%s, missing)", l->path, fmt);
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

const char *layer_end_note(const struct be_disk *d, char *buf, size_t n)
{
	size_t up;

	if (!d->nlayers)
		return NULL;
	up = d->nlayers - 1 - (d->loop_to < d->nlayers ? d->loop_to : 0);
	switch (d->end) {
	case BE_END_COMPLETE: return NULL;
	case BE_END_UNKNOWN: return LAYER_UNKNOWN_BELOW;
	case BE_END_MISSING: return "(missing: no such file in its pool)";
	case BE_END_CUT:
		snprintf(buf, n, "(cut off at %zu layers: libvirt's limit)", d->nlayers);
		return buf;
	case BE_END_LOOP:
		/* Short, to fit the chain pane beside the tree. */
		if (!up)
			snprintf(buf, n, "(a loop: backed by itself)");
		else if (up + 1 == d->nlayers)
			snprintf(buf, n, "(a loop: backed by the active layer)");
		else if (up == 1)
			snprintf(buf, n, "(a loop: backed by the layer above)");
		else
			snprintf(buf, n, "(a loop: backed by the layer %zu up)", up);
		return buf;
	}
	return LAYER_UNKNOWN_BELOW;
}
