/* The helpers of types.h that free, copy and name its plain data, shared
 * by the real and fake backends. */
#include <stdlib.h>
#include <string.h>

#include "backend/types.h"
#include "shared/util.h"

void be_vm_clear(struct be_vm *v)
{
	if (!v)
		return;
	free(v->name);
	memset(v, 0, sizeof(*v));
}

void be_vm_copy(struct be_vm *dst, const struct be_vm *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
}

void be_vm_list_clear(struct be_vm_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		be_vm_clear(&l->vms[i]);
	free(l->vms);
	l->vms = NULL;
	l->n = 0;
}

void be_snapshot_clear(struct be_snapshot *s)
{
	size_t j;

	free(s->name);
	free(s->parent);
	free(s->description);
	free(s->disks);
	free(s->memfile);
	for (j = 0; j < s->nfiles; j++) {
		free(s->files[j].disk);
		free(s->files[j].path);
		free(s->files[j].pool);
		free(s->files[j].volume);
		free(s->files[j].overlay);
	}
	free(s->files);
	memset(s, 0, sizeof(*s));
}

void be_snap_list_clear(struct be_snap_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		be_snapshot_clear(&l->s[i]);
	free(l->s);
	l->s = NULL;
	l->n = 0;
}

void be_layer_clear(struct be_layer *l)
{
	free(l->path);
	free(l->format);
	free(l->pool);
	free(l->volume);
	free(l->pool_type);
	free(l->protocol);
	free(l->name);
	free(l->hosts);
	memset(l, 0, sizeof(*l));
}

static void disks_free(struct be_disk *d, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < d[i].nlayers; j++)
			be_layer_clear(&d[i].layers[j]);
		free(d[i].layers);
		free(d[i].target);
	}
	free(d);
}

void be_disk_list_clear(struct be_disk_list *l)
{
	if (!l)
		return;
	disks_free(l->d, l->n);
	memset(l, 0, sizeof(*l));
}

void be_block_job_list_clear(struct be_block_job_list *l)
{
	free(l->j);
	l->j = NULL;
	l->n = 0;
}

void be_vol_list_clear(struct be_vol_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].pool);
		free(l->v[i].backing);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

enum be_snap_kind be_snap_kind(const struct be_snapshot *s)
{
	/* libvirt keeps no memory internally beside external disks, nor the
	 * reverse: one flag each tells the four apart. */
	if (s->external)
		return s->memory ? BE_KIND_EXT_SYS : BE_KIND_EXT_DISK;
	return s->memory ? BE_KIND_INT_SYS : BE_KIND_INT_DISK;
}

const char *be_snap_kind_name(enum be_snap_kind k)
{
	switch (k) {
	case BE_KIND_INT_DISK: return "int-disk";
	case BE_KIND_INT_SYS: return "int-sys";
	case BE_KIND_EXT_DISK: return "ext-disk";
	case BE_KIND_EXT_SYS: return "ext-sys";
	}
	return "?";
}
