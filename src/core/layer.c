/* A disk layer in words, as every screen and --print describe it
 * (layer.h). */
#include "core/layer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"

const char *layer_kind(const struct be_layer *l, char *buf, size_t n)
{
	const char *fmt = l->format[0] ? l->format : "format unknown";
	const char *pt = l->pool_type && l->pool_type[0] ? l->pool_type : "", *sp = pt[0] ? " " : "";

	switch (l->type) {
	case BE_SRC_FILE: snprintf(buf, n, "%s", fmt); break;
	case BE_SRC_VOLUME:
		if (l->volume_file || l->missing)
			snprintf(buf, n, "%s, volume %s of %s%spool %s", fmt, l->volume ? l->volume : "?", pt, sp,
				 l->pool ? l->pool : "?");
		else if (l->pool_type)
			snprintf(buf, n, "%s, volume %s of %s%spool %s, no file of this host", fmt,
				 l->volume ? l->volume : "?", pt, sp, l->pool ? l->pool : "?");
		else
			snprintf(buf, n, "%s, volume %s of pool %s, which libvirt cannot find", fmt,
				 l->volume ? l->volume : "?", l->pool ? l->pool : "?");
		break;
	default: snprintf(buf, n, "%s, %s", fmt, be_src_name(l->type)); break;
	}
	return buf;
}

const char *layer_disk_marks(const struct be_disk *d, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s%s", d->device == BE_DEV_DISK ? "" : be_device_name(d->device),
		 d->device != BE_DEV_DISK && ((d->readonly && d->device != BE_DEV_CDROM) || d->shareable) ? ", " : "",
		 d->readonly && d->device != BE_DEV_CDROM ? "read-only" : "",
		 d->readonly && d->device != BE_DEV_CDROM && d->shareable ? ", " : "", d->shareable ? "shareable" : "");
	return buf;
}

char *layer_label(const struct be_layer *l, char *buf, size_t n)
{
	char cap[32], alloc[32], *kind;
	size_t kn = strlen(l->format) + (l->pool ? strlen(l->pool) : 0) + (l->volume ? strlen(l->volume) : 0) +
		    (l->pool_type ? strlen(l->pool_type) : 0) + 128;

	kind = xmalloc(kn);
	layer_kind(l, kind, kn);
	if (l->in_pool && l->capacity >= 0)
		snprintf(buf, n, "%s (%s, %s virtual, %s used)", l->path, kind,
			 bytes_human((unsigned long long)l->capacity, cap, sizeof(cap)),
			 bytes_human((unsigned long long)(l->allocation > 0 ? l->allocation : 0), alloc, sizeof(alloc)));
	else if (l->missing)
		snprintf(buf, n, "%s (%s, missing)", l->path, kind);
	else if (l->type == BE_SRC_FILE || l->type == BE_SRC_BLOCK || (l->type == BE_SRC_VOLUME && l->volume_file))
		snprintf(buf, n, "%s (%s, in no storage pool: sizes unknown)", l->path, kind);
	else
		snprintf(buf, n, "%s (%s)", l->path, kind);
	free(kind);
	return buf;
}

char *layer_label_dup(const struct be_layer *l)
{
	/* Around the path and what layer_kind says: words and two sizes of
	 * at most 31 bytes each (bytes_human), under 128 bytes in all. */
	size_t n = strlen(l->path) + strlen(l->format) + (l->pool ? strlen(l->pool) : 0) +
		   (l->volume ? strlen(l->volume) : 0) + (l->pool_type ? strlen(l->pool_type) : 0) + 256;

	return layer_label(l, xmalloc(n), n);
}

const char *layer_end_note(const struct be_disk *d, char *buf, size_t n)
{
	size_t up;

	if (!d->nlayers)
		return d->device == BE_DEV_DISK || d->device == BE_DEV_LUN ? "(no source)" : "(no medium)";
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
