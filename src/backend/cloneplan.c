/* The plan of a clone (cloneplan.h): what vmclone.c did between its
 * libvirt calls, as data. No libvirt here: the disks and the definition
 * are read by the caller, the files are made and the definitions written
 * by it, step by step. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cloneplan.h"
#include "backend/xml.h"
#include "shared/util.h"

static int fail(struct be_error *err, enum be_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct be_error *err, enum be_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	err->code = 0;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* The folder of near + "/" + name (caller frees); NULL when longer than
 * a path vmclone.c has room for. */
static char *beside(const char *near, const char *name)
{
	const char *slash = strrchr(near, '/');
	int len = slash ? (int)(slash - near) : 0;
	char path[4096];

	if (snprintf(path, sizeof(path), "%.*s/%s", len, near, name) >= (int)sizeof(path))
		return NULL;
	return xstrdup(path);
}

/* Whether disk d is referenced by the clone, not copied. */
static bool referenced(const struct be_disk *d)
{
	return !d->nlayers || d->device == BE_DEV_CDROM || d->readonly || d->shareable;
}

static void add_step(struct clone_plan *p, enum cp_step_kind kind, size_t disk, const char *path)
{
	p->steps = xrealloc(p->steps, (p->nsteps + 1) * sizeof(*p->steps));
	p->steps[p->nsteps].kind = kind;
	p->steps[p->nsteps].disk = disk;
	p->steps[p->nsteps].path = path;
	p->nsteps++;
}

/* Disk i's part of the plan: k, the layer built on. */
static int plan_disk(const struct be_disk *d, size_t i, size_t k, const struct clone_req *r, struct clone_plan *p,
		     struct be_error *err)
{
	struct cp_disk *cd = &p->d[i];
	char file[1200], why[1200];

	if (be_disk_allows(d, BE_USE_CHAIN, why, sizeof(why)) < 0)
		return fail(err, BE_ERR_REFUSED, "%s", why);
	cd->make = r->full ? CP_COPY : CP_OVERLAY;
	cd->layer = k;
	cd->from = xstrdup(d->layers[k].path);
	/* The new files land beside the active layer: in its pool's folder. */
	if (d->type == BE_SRC_VOLUME && d->layers[0].pool && d->layers[0].volume_file)
		cd->pool = xstrdup(d->layers[0].pool);
	snprintf(file, sizeof(file), "%s-%s.qcow2", r->name, d->target);
	if (!(cd->path = beside(d->layers[0].path, file)))
		return fail(err, BE_ERR_REFUSED, "the clone's file for %s would have too long a path", d->target);
	add_step(p, CP_STEP_CLONE_FILE, i, cd->path);
	if (r->full || k > 0)
		return 0; /* the source's own files are not shared */
	snprintf(file, sizeof(file), "%s-%s-%s.qcow2", r->vm, d->target, r->stamp);
	if (!(cd->fresh = beside(d->layers[0].path, file)))
		return fail(err, BE_ERR_REFUSED, "the fresh overlay of %s would have too long a path", d->target);
	add_step(p, CP_STEP_FRESH_OVERLAY, i, cd->fresh);
	return 0;
}

/* xml with each disk of p that has a file in `which` (the clone's path or
 * the source's fresh overlay) on it, as qcow2; frees xml. */
static char *repoint(char *xml, const struct clone_plan *p, bool fresh)
{
	size_t i;

	for (i = 0; xml && i < p->n; i++) {
		const char *path = fresh ? p->d[i].fresh : p->d[i].path;
		char *next;

		if (!path)
			continue;
		/* A dir pool's volume is named by its file's name. */
		next = xml_repoint_disk_to(xml, p->d[i].target, path, p->d[i].pool,
					   p->d[i].pool ? strrchr(path, '/') + 1 : NULL, "qcow2");
		free(xml);
		xml = next;
	}
	return xml;
}

static int plan_disks(const struct be_disk_list *dl, const struct clone_req *r, struct clone_plan *p,
		      struct be_error *err)
{
	size_t i, k;
	bool found = !r->disk;

	for (i = 0; i < dl->n; i++) {
		const struct be_disk *d = &dl->d[i];
		bool chosen = r->disk && !strcmp(d->target, r->disk);

		p->d[i].target = xstrdup(d->target);
		k = 0;
		if (chosen) {
			while (k < d->nlayers && strcmp(d->layers[k].path, r->layer))
				k++;
			if (k == d->nlayers)
				return fail(err, BE_ERR_REFUSED, "%s is not in the chain of %s of %s (it changed?)",
					    r->layer, r->disk, r->vm);
			found = true;
		}
		if (referenced(d) && !chosen)
			continue;
		if (plan_disk(d, i, k, r, p, err) < 0)
			return -1;
	}
	if (!found)
		return fail(err, BE_ERR_REFUSED, "%s has no disk %s", r->vm, r->disk);
	return 0;
}

int clone_plan_make(const struct be_disk_list *dl, const char *srcxml, const struct clone_req *r,
		    struct clone_plan *p, struct be_error *err)
{
	char file[1200];
	size_t i;
	bool fresh = false;

	memset(p, 0, sizeof(*p));
	if (r->full && r->disk) {
		fail(err, BE_ERR_REFUSED, "a clone from a layer is a linked clone");
		goto fail;
	}
	p->n = dl->n;
	p->d = xcalloc(dl->n ? dl->n : 1, sizeof(*p->d));
	if (plan_disks(dl, r, p, err) < 0)
		goto fail;
	if ((p->nvram = xml_nvram_path(srcxml))) {
		snprintf(file, sizeof(file), "%s_VARS.fd", r->name);
		if (!(p->nvram_copy = beside(p->nvram, file))) {
			fail(err, BE_ERR_REFUSED, "the clone's NVRAM file would have too long a path");
			goto fail;
		}
		add_step(p, CP_STEP_NVRAM_COPY, 0, p->nvram_copy);
	}
	p->clone_xml = repoint(xml_clone_domain(srcxml, r->name, p->nvram_copy), p, false);
	if (!p->clone_xml) {
		fail(err, BE_ERR_OTHER, "cannot rewrite the definition of %s for the clone", r->vm);
		goto fail;
	}
	add_step(p, CP_STEP_DEFINE_CLONE, 0, NULL);
	for (i = 0; i < p->n; i++)
		fresh |= p->d[i].fresh != NULL;
	if (fresh) {
		if (!(p->source_xml = repoint(xstrdup(srcxml), p, true))) {
			fail(err, BE_ERR_OTHER, "cannot rewrite the definition of %s", r->vm);
			goto fail;
		}
		add_step(p, CP_STEP_DEFINE_SOURCE, 0, NULL);
	}
	return 0;
fail:
	clone_plan_clear(p);
	return -1;
}

void clone_plan_clear(struct clone_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->d[i].target);
		free(p->d[i].from);
		free(p->d[i].path);
		free(p->d[i].fresh);
		free(p->d[i].pool);
	}
	free(p->d);
	free(p->nvram);
	free(p->nvram_copy);
	free(p->clone_xml);
	free(p->source_xml);
	free(p->steps);
	memset(p, 0, sizeof(*p));
}

size_t clone_undo(const struct clone_plan *p, size_t ndone, struct cp_undo *out)
{
	size_t i, n = 0;

	if (ndone > p->nsteps)
		ndone = p->nsteps;
	for (i = ndone; i-- > 0;) {
		const struct cp_step *s = &p->steps[i];

		out[n].step = i;
		out[n].path = NULL;
		switch (s->kind) {
		case CP_STEP_DEFINE_SOURCE: out[n].kind = CP_UNDO_RESTORE_SOURCE; break;
		case CP_STEP_DEFINE_CLONE: out[n].kind = CP_UNDO_UNDEFINE_CLONE; break;
		case CP_STEP_CLONE_FILE:
		case CP_STEP_FRESH_OVERLAY:
		case CP_STEP_NVRAM_COPY:
			out[n].kind = CP_UNDO_DELETE_FILE;
			out[n].path = s->path;
			break;
		}
		n++;
	}
	return n;
}
