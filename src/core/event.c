/* Events: made by whoever posts them, freed with what they own. */
#include "core/event.h"

#include <stdlib.h>
#include <string.h>

#include "core/imgcheck.h"
#include "shared/util.h"

struct event *event_new(enum event_type type)
{
	struct event *ev = xcalloc(1, sizeof(*ev));

	ev->type = type;
	return ev;
}

void vm_disks_list_clear(struct vm_disks_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].vm);
		be_disk_list_clear(&l->v[i].disks);
		be_snap_list_clear(&l->v[i].snaps);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void event_clear(struct event *ev)
{
	vm_disks_list_clear(&ev->chains);
	be_vm_list_clear(&ev->list);
	be_snap_list_clear(&ev->snaps);
	be_disk_list_clear(&ev->disks);
	be_block_job_list_clear(&ev->bjobs);
	be_vol_list_clear(&ev->vols);
	imgcheck_report_free(ev->check);
	ev->check = NULL;
	imginfo_map_free(ev->imginfo);
	ev->imginfo = NULL;
}

void event_free(struct event *ev)
{
	if (!ev)
		return;
	event_clear(ev);
	free(ev);
}
