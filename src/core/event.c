#include "core/event.h"

#include <stdlib.h>

#include "core/util.h"

struct event *event_new(enum event_type type)
{
	struct event *ev = xcalloc(1, sizeof(*ev));

	ev->type = type;
	return ev;
}

void event_free(struct event *ev)
{
	if (!ev)
		return;
	be_vm_list_clear(&ev->list);
	free(ev);
}
