/* The integrity check of the chain pane (K): see checkview.h. */
#include "core/checkview.h"

#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "shared/util.h"

void checkview_check(struct app *a, struct cmds *out)
{
	const struct be_vm *v;
	const struct be_disk *d;
	struct cmd c = {.type = CMD_IMG_CHECK};
	char what[1400];
	size_t di, k, i;
	bool running;

	if (!chain_at(&a->sv, a->sv.chain_pos.sel, &di, &k)) {
		app_set_status(a, true, "No disk selected");
		return;
	}
	d = &a->sv.disks.d[di];
	if (!(v = app_find_vm(a, a->sv.host, a->sv.vm)))
		return;
	/* qemu-img is given files only: not a device node, not a network
	 * disk, never a path that a command cannot carry whole. */
	for (i = k; i < d->nlayers; i++) {
		const struct be_layer *l = &d->layers[i];

		if (!be_layer_local(l) || l->type == BE_SRC_BLOCK || strlen(l->path) >= CMD_PATH_MAX) {
			app_set_status(a, true, "Not checking %s of %s: %s is no file qemu-img can be given here",
				       d->target, v->name, l->path);
			return;
		}
	}
	running = v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED;
	if (running && k == 0 && d->nlayers == 1) {
		app_set_status(a, true, "Not checking %s: it is the active layer of %s, which runs: QEMU writes it and "
					"a check would read it half-written; shut the VM down first",
			       d->layers[0].path, v->name);
		return;
	}
	str_copy(c.name, v->name, sizeof(c.name));
	str_copy(c.uuid, app_vm_uuid(a, v->host, v->name), sizeof(c.uuid));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	str_copy(c.u.img_check.from, d->layers[k].path, sizeof(c.u.img_check.from));
	snprintf(what, sizeof(what), "Check %s of %s: %zu layer%s from %.1000s down%s", d->target, v->name,
		 d->nlayers - k, d->nlayers - k == 1 ? "" : "s", d->layers[k].path,
		 running && k == 0 ? " (the running VM's active layer skipped)" : "");
	jobs_start(a, out, &c, what);
}

const struct imgcheck_result *checkview_result(const struct app *a, const char *path)
{
	return imgcheck_report_find(&a->checks, path);
}

/* Offers to repair the leaks of the first file of rep that has some, when
 * the VM is shut off and nothing else reads the file (the images known:
 * not known, not offered; the backend checks again). */
static void offer_repair(struct app *a, const struct event *ev)
{
	const struct be_vm *v = app_find_vm(a, ev->host, ev->name);
	struct cmd c = {.type = CMD_IMG_REPAIR};
	size_t i;

	if (!v || v->state != BE_VM_SHUTOFF || !a->img_loaded || a->img_host != ev->host)
		return;
	for (i = 0; i < ev->check->n; i++) {
		const struct imgcheck_layer *l = &ev->check->l[i];

		if (l->r.status != IMGCHECK_LEAKS)
			continue;
		if (chain_read_elsewhere(a, ev->host, ev->name, ev->disk, l->path, NULL, 0, "Not offering to repair"))
			continue;
		str_copy(c.name, v->name, sizeof(c.name));
		str_copy(c.uuid, v->uuid, sizeof(c.uuid));
		c.host = v->host;
		str_copy(c.disk, ev->disk, sizeof(c.disk));
		str_copy(c.u.img_repair.path, l->path, sizeof(c.u.img_repair.path));
		dialog_confirm(a, &c, jobs_start_asked, "Repair leaks", "%s has %lld leaked cluster%s: space that is "
					"allocated but used by nothing (no harm to the data).\n"
					"Free it with qemu-img check -r leaks? The file is rewritten in place; %s "
					"is shut off and nothing else reads the file.",
			       l->path, l->r.leaks, l->r.leaks == 1 ? "" : "s", v->name);
		return;
	}
}

void checkview_done(struct app *a, struct event *ev, struct cmds *out)
{
	size_t i, clean = 0, leaks = 0, bad = 0, other = 0;
	char line[900];

	(void)out;
	jobs_done(a, ev);
	if (!ev->check) {
		if (ev->rc < 0)
			app_set_status(a, true, "Check of %s of %s: %s", ev->disk, ev->name, ev->err.msg);
		return;
	}
	for (i = 0; i < ev->check->n; i++) {
		const struct imgcheck_layer *l = &ev->check->l[i];

		imgcheck_report_add(&a->checks, l->path, &l->r);
		clean += l->r.status == IMGCHECK_CLEAN;
		leaks += l->r.status == IMGCHECK_LEAKS;
		bad += l->r.status == IMGCHECK_CORRUPT;
		other += l->r.status != IMGCHECK_CLEAN && l->r.status != IMGCHECK_LEAKS && l->r.status != IMGCHECK_CORRUPT;
		/* Each layer's result whole in the message log. */
		app_set_status(a, l->r.status == IMGCHECK_CORRUPT || l->r.status == IMGCHECK_FAILED, "%s: %s", l->path,
			       imgcheck_summary(&l->r, line, sizeof(line)));
	}
	if (ev->op == CMD_IMG_REPAIR)
		app_set_status(a, leaks || bad || other, "Repair of %s: %s", ev->check->n ? ev->check->l[0].path : "",
			       ev->check->n ? imgcheck_summary(&ev->check->l[0].r, line, sizeof(line)) : "no result");
	else
		app_set_status(a, bad || other, "Check of %s of %s: %zu clean, %zu with leaks, %zu CORRUPT, %zu not "
					  "checked (L: each layer)",
			       ev->disk, ev->name, clean, leaks, bad, other);
	a->redraw = true;
	if (ev->op == CMD_IMG_CHECK && leaks)
		offer_repair(a, ev);
}

void checkview_info_loaded(struct app *a, struct event *ev)
{
	if (ev->rc < 0 || !ev->imginfo || ev->host != a->sv.host || strcmp(ev->name, a->sv.vm))
		return;
	imginfo_map_clear(&a->imginfo);
	a->imginfo = *ev->imginfo;
	memset(ev->imginfo, 0, sizeof(*ev->imginfo));
	a->redraw = true;
}

bool checkview_known(const struct app *a, const char *path, const char *name)
{
	return imgsnap_known(&a->sv.snaps, path, name);
}

const char *checkview_inside(const struct app *a, const char *path, char *buf, size_t n)
{
	const struct imgsnap_list *l = imginfo_find(&a->imginfo, path);
	int len;

	if (!l)
		snprintf(buf, n, "not read%s%s", a->imginfo.why[0] ? ": " : "", a->imginfo.why);
	else if (!l->n)
		snprintf(buf, n, "no snapshots");
	else if ((len = snprintf(buf, n, "%zu: ", l->n)) > 0 && (size_t)len < n)
		imgsnap_line(l, &a->sv.snaps, path, buf + len, n - (size_t)len);
	return buf;
}

long long checkview_saved_memory(const struct app *a, const struct be_snapshot *s)
{
	size_t k, i;

	for (k = 0; k < s->nfiles; k++) {
		const struct imgsnap_list *l = s->files[k].path ? imginfo_find(&a->imginfo, s->files[k].path) : NULL;

		for (i = 0; l && i < l->n; i++)
			if (!strcmp(l->s[i].name, s->name) && l->s[i].vm_state_size > 0)
				return l->s[i].vm_state_size;
	}
	return -1;
}
