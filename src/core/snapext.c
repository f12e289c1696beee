/* The core's half of reverting to and deleting external snapshots
 * (snapext.h). A revert's plan is asked with the host's libvirt version
 * as the connection said it: not known, the stricter rules of vmmanager's
 * own revert (libvirt before 9.7) hold; the backend asks again. */
#include "core/snapext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chainview.h"
#include "core/state.h"
#include "shared/util.h"

/* Whether the core knows f's file to be gone: a layer of its disk's
 * chain that its pool does not have. */
static bool known_gone(const struct app *a, const struct be_snap_file *f)
{
	size_t i, k;

	for (i = 0; i < a->sv.disks.n; i++)
		for (k = 0; k < a->sv.disks.d[i].nlayers; k++)
			if (f->path && !strcmp(a->sv.disks.d[i].layers[k].path, f->path))
				return a->sv.disks.d[i].layers[k].missing;
	return false;
}

bool snapext_revert_refused(struct app *a, const struct be_vm *v, const struct be_snapshot *s, char *buf, size_t n)
{
	struct be_revert_plan p;
	struct be_revert_req r = {v->name, v->state, 0, "YYYYMMDD-HHMMSS", NULL};
	const struct host *h;
	bool *gone = xcalloc(s->nfiles + 1, sizeof(*gone));
	char why[1200];
	size_t i, len = 0;
	int rc;

	buf[0] = '\0';
	for (i = 0; i < s->nfiles; i++)
		gone[i] = known_gone(a, &s->files[i]);
	r.gone = gone;
	if ((h = state_host(a, a->sv.host)))
		r.libver = h->libver;
	rc = be_revert_plan_make(s, &a->sv.disks, &r, &p, why, sizeof(why));
	free(gone);
	if (rc < 0) {
		state_set_status(a, true, "%s%s", strncmp(why, "Not ", 4) ? "Not reverting: " : "", why);
		return true;
	}
	for (i = 0; i < p.n && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len,
					"Disk %s starts on a fresh overlay on %s, the file '%s' froze.\n", p.d[i].disk,
					p.d[i].frozen, s->name);
	if (s->external && p.how == BE_REVERT_LIBVIRT)
		snprintf(buf, n, "libvirt %lu.%lu reverts this external snapshot itself.\n", r.libver / 1000000,
			 r.libver / 1000 % 1000);
	if (p.how == BE_REVERT_RESTORE && len < n)
		snprintf(buf + len, n - len, "%s is then started %s from %s, the snapshot's memory.\n", v->name,
			 p.paused ? "paused" : "running", p.memfile);
	be_revert_plan_clear(&p);
	return false;
}

/* Deleting s merges, for each disk, the overlay it made (the layer right
 * above the file it froze in the disk's chain now) into that file:
 * refused when the chain is not so (a revert since), or when another
 * chain or snapshot reads the file written or the overlay removed. */
static bool delete_disk_refused(struct app *a, const struct be_snapshot *s, const struct be_snap_file *f, char *buf,
				size_t n)
{
	const struct snapview *sv = &a->sv;
	const char *going[2];
	size_t i, k, len = strlen(buf);

	if (!f->external) {
		state_set_status(a, true,
				 "Not deleting: '%s' mixes internal and external disks (metadata only forgets it)",
				 s->name);
		return true;
	}
	for (i = 0; i < sv->disks.n && strcmp(sv->disks.d[i].target, f->disk); i++)
		;
	for (k = 0;
	     i < sv->disks.n && k + 1 < sv->disks.d[i].nlayers && strcmp(sv->disks.d[i].layers[k + 1].path, f->path);
	     k++)
		;
	if (i == sv->disks.n || k + 1 >= sv->disks.d[i].nlayers ||
	    (f->overlay && strcmp(f->overlay, sv->disks.d[i].layers[k].path))) {
		state_set_status(a, true,
				 "Not deleting: '%s' froze %s, and the layer it made is not right on it in disk %s's "
				 "chain now (a revert since?): only its metadata can go",
				 s->name, f->path, f->disk);
		return true;
	}
	going[0] = sv->disks.d[i].layers[k].path;
	going[1] = f->path;
	if (chainview_read_elsewhere(a, sv->host, sv->vm, f->disk, going[0], going, 1, "Not deleting") ||
	    chainview_read_elsewhere(a, sv->host, sv->vm, f->disk, f->path, going, 2, "Not merging into"))
		return true;
	if (len < n)
		snprintf(buf + len, n - len, "Disk %s: %s, the layer it made, is merged into %s and removed.\n",
			 f->disk, going[0], f->path);
	return false;
}

bool snapext_delete_refused(struct app *a, const struct be_snapshot *s, char *buf, size_t n)
{
	size_t i, len;

	buf[0] = '\0';
	if (!s->external)
		return false;
	for (i = 0; i < s->nfiles; i++)
		if (delete_disk_refused(a, s, &s->files[i], buf, n))
			return true;
	len = strlen(buf);
	if (s->memfile && len < n)
		snprintf(buf + len, n - len, "Its memory file %s is removed.\n", s->memfile);
	return false;
}
