/* Helpers the unit test stories share. */
#include <stdio.h>
#include <stdlib.h>

#include "core/app.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

const struct cmd *cmds_find(const struct cmds *c, enum cmd_type t)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->c[i].type == t)
			return &c->c[i];
	return NULL;
}

int cmds_count(const struct cmds *c, enum cmd_type t)
{
	int i, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->c[i].type == t;
	return n;
}

struct be_vm unit_vm(const char *name, enum be_vm_state st, int nsnap, int depth)
{
	struct be_vm v = {0};

	v.name = (char *)name;
	snprintf(v.uuid, sizeof(v.uuid), "uuid-%s", name); /* the same on every host */
	v.state = st;
	v.vcpus = 1;
	v.mem_kib = 1024;
	v.nsnap = nsnap;
	v.chain_depth = depth;
	return v;
}

void unit_load_vms(struct app *a, const struct be_vm *vms, size_t n, struct cmds *out)
{
	struct event ev = {.type = EV_VMS_LOADED};
	struct cmds none = {0};
	size_t i;

	ev.list.vms = xcalloc(n ? n : 1, sizeof(struct be_vm));
	for (i = 0; i < n; i++)
		be_vm_copy(&ev.list.vms[i], &vms[i]);
	ev.list.n = n;
	app_handle(a, &ev, out ? out : &none);
	event_clear(&ev);
}
