/* The plan of a revert to an external snapshot (types.h), as plain data
 * and with no libvirt: which disks get fresh overlays on which frozen
 * files, whether the memory file is restored, or why none of it can be
 * done safely. The core asks it when `r` is pressed, snapshot.c again
 * with fresh data before it changes anything. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/types.h"
#include "shared/ovlname.h"
#include "shared/util.h"

static int refuse(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (n)
		vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

bool be_libvirt_reverts_external(unsigned long libver)
{
	return libver >= BE_LIBVIRT_REVERTS_EXTERNAL;
}

/* A control character in a file name would break the lines the question
 * and the list of unused files are made of: such a name is refused, not
 * shown cut or mangled. */
static bool plain_name(const char *path)
{
	for (; *path; path++)
		if ((unsigned char)*path < 0x20 || *path == 0x7f)
			return false;
	return true;
}

static const struct be_disk *disk_now(const struct be_disk_list *now, const char *target)
{
	size_t i;

	for (i = 0; i < now->n; i++)
		if (!strcmp(now->d[i].target, target))
			return &now->d[i];
	return NULL;
}

/* "/dir/VM-DISK-STAMP.qcow2" beside frozen, as `o` names its overlays;
 * NULL when longer than a path can be. */
static char *fresh_name(const char *frozen, const char *vm, const char *disk, const char *stamp)
{
	char path[4096];

	return ovlname_stamped(frozen, vm, disk, "qcow2", stamp, path, sizeof(path)) ? xstrdup(path) : NULL;
}

/* Why the VM's state does not allow vmmanager's own revert, or NULL. */
static const char *state_refusal(const struct be_snapshot *s, enum be_vm_state st)
{
	switch (st) {
	case BE_VM_SHUTOFF: return NULL;
	case BE_VM_SAVED:
		return "it is hibernated, and its saved memory belongs to the current disks: discard the saved "
		       "state first";
	case BE_VM_RUNNING:
	case BE_VM_PAUSED:
		return s->memory
			       ? "it runs: shut it down first (the revert starts it from the snapshot's memory)"
			       : "it runs, and a disk-only snapshot holds no memory to go back to: shut it down first";
	default: return "its state is not known to be shut off: look at it again";
	}
}

/* Disk f's part of the plan, into p->d[p->n++]. */
static int plan_file(const struct be_snapshot *s, size_t i, const struct be_disk_list *now,
		     const struct be_revert_req *r, struct be_revert_plan *p, char *why, size_t n)
{
	const struct be_snap_file *f = &s->files[i];
	const struct be_disk *d = disk_now(now, f->disk);
	struct be_revert_disk *rd;
	char kind[400];

	if (!f->external)
		return refuse(why, n,
			      "'%s' mixes internal and external disks: vmmanager cannot revert that, nor libvirt "
			      "before 9.7",
			      s->name);
	if (f->type != BE_SRC_FILE && f->type != BE_SRC_VOLUME)
		return refuse(why, n, "disk %s of '%s' froze a %s, not a file: only files get fresh overlays", f->disk,
			      s->name, be_src_name(f->type) ? be_src_name(f->type) : "file");
	if (!f->path || f->path[0] != '/')
		return refuse(why, n, "the file disk %s of '%s' froze is not known", f->disk, s->name);
	if (!plain_name(f->path))
		return refuse(why, n, "the file disk %s of '%s' froze has a control character in its name", f->disk,
			      s->name);
	if (r->gone && r->gone[i])
		return refuse(why, n, "%s, which disk %s of '%s' froze, is gone: its disk state is lost", f->path,
			      f->disk, s->name);
	if (!d)
		return refuse(why, n, "%s has no disk %s any more, which '%s' froze", r->vm, f->disk, s->name);
	if (be_disk_allows(d, BE_USE_CHAIN, kind, sizeof(kind)) < 0)
		return refuse(why, n, "%s", kind);
	if (d->type != BE_SRC_FILE && d->type != BE_SRC_VOLUME)
		return refuse(why, n, "disk %s is a %s now, not a file", f->disk, be_src_name(d->type));
	rd = &p->d[p->n];
	if (!(rd->fresh = fresh_name(f->path, r->vm, f->disk, r->stamp)))
		return refuse(why, n, "the fresh overlay of disk %s would have too long a path", f->disk);
	rd->disk = xstrdup(f->disk);
	rd->frozen = xstrdup(f->path);
	rd->volume = d->type == BE_SRC_VOLUME;
	p->n++;
	return 0;
}

int be_revert_plan_make(const struct be_snapshot *s, const struct be_disk_list *now, const struct be_revert_req *r,
			struct be_revert_plan *p, char *why, size_t n)
{
	const char *st;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (n)
		why[0] = '\0';
	if (!s->external || be_libvirt_reverts_external(r->libver))
		return 0; /* BE_REVERT_LIBVIRT */
	if (!s->nfiles)
		return refuse(why, n, "'%s' names no files it froze: what to revert to is not known", s->name);
	if (s->memory && (!s->memfile || s->memfile[0] != '/'))
		return refuse(why, n, "'%s' holds memory, but not in a file of its own: not revertible here", s->name);
	if (s->memory && !plain_name(s->memfile))
		return refuse(why, n, "the memory file of '%s' has a control character in its name", s->name);
	if ((st = state_refusal(s, r->state)))
		return refuse(why, n, "Not reverting %s to external snapshot '%s': %s", r->vm, s->name, st);
	p->d = xcalloc(s->nfiles, sizeof(*p->d));
	for (i = 0; i < s->nfiles; i++)
		if (plan_file(s, i, now, r, p, why, n) < 0) {
			be_revert_plan_clear(p);
			return -1;
		}
	p->how = s->memory ? BE_REVERT_RESTORE : BE_REVERT_OVERLAYS;
	p->memfile = s->memory ? xstrdup(s->memfile) : NULL;
	p->paused = !strcmp(s->state, "paused");
	return 0;
}

void be_revert_plan_clear(struct be_revert_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->d[i].disk);
		free(p->d[i].frozen);
		free(p->d[i].fresh);
	}
	free(p->d);
	free(p->memfile);
	memset(p, 0, sizeof(*p));
}
