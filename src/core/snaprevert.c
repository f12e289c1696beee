/* The core's half of a revert to an external snapshot (snaprevert.h).
 * libvirt's version is not known here: the plan is asked with none, so
 * the stricter rules of vmmanager's own revert (libvirt before 9.7) hold
 * when the key is pressed; the backend asks again with the version. */
#include "core/snaprevert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

bool snaprevert_refused(struct app *a, const struct be_vm *v, const struct be_snapshot *s, char *buf, size_t n)
{
	struct be_revert_plan p;
	struct be_revert_req r = {v->name, v->state, 0, "YYYYMMDD-HHMMSS", NULL};
	bool *gone = xcalloc(s->nfiles + 1, sizeof(*gone));
	char why[1200];
	size_t i, len = 0;
	int rc;

	buf[0] = '\0';
	for (i = 0; i < s->nfiles; i++)
		gone[i] = known_gone(a, &s->files[i]);
	r.gone = gone;
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
	if (p.how == BE_REVERT_RESTORE && len < n)
		snprintf(buf + len, n - len, "%s is then started %s from %s, the snapshot's memory.\n", v->name,
			 p.paused ? "paused" : "running", p.memfile);
	be_revert_plan_clear(&p);
	return false;
}
