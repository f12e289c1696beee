#include "core/event.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct event *event_new(enum event_type type)
{
	struct event *ev = xcalloc(1, sizeof(*ev));

	ev->type = type;
	return ev;
}

void event_clear(struct event *ev)
{
	be_vm_list_clear(&ev->list);
	be_snap_list_clear(&ev->snaps);
	be_disk_list_clear(&ev->disks);
}

void event_free(struct event *ev)
{
	if (!ev)
		return;
	event_clear(ev);
	free(ev);
}

bool cmd_is_long(enum cmd_type t)
{
	return t == CMD_ACT || t == CMD_SNAP_CREATE || t == CMD_SNAP_REVERT || t == CMD_SNAP_DELETE;
}
