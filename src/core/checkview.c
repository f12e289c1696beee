/* The integrity check of the chain pane (K): see checkview.h. */
#include "core/checkview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chainview.h"
#include "core/cmd.h"
#include "core/dialog.h"
#include "core/images.h"
#include "core/imgcheck.h"
#include "core/jobs.h"
#include "core/state.h"
#include "shared/util.h"

void checkview_check(struct app *a, struct cmds *out)
{
	const struct be_vm *v;
	const struct be_disk *d;
	struct cmd c = {.type = CMD_IMG_CHECK};
	char what[1400];
	size_t di, k, i;
	bool running;

	if (!chainview_at(&a->sv, a->sv.chain_pos.sel, &di, &k)) {
		state_set_status(a, true, "No disk selected");
		return;
	}
	d = &a->sv.disks.d[di];
	if (!(v = state_find_vm(a, a->sv.host, a->sv.vm)))
		return;
	/* qemu-img is given files only: not a device node, not a network
	 * disk, never a path that a command cannot carry whole. */
	for (i = k; i < d->nlayers; i++) {
		const struct be_layer *l = &d->layers[i];

		if (!be_layer_local(l) || l->type == BE_SRC_BLOCK || strlen(l->path) >= CMD_PATH_MAX) {
			state_set_status(a, true, "Not checking %s of %s: %s is no file qemu-img can be given here",
					 d->target, v->name, l->path);
			return;
		}
	}
	running = v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED;
	if (running && k == 0 && d->nlayers == 1) {
		state_set_status(a, true, "Not checking %s: it is the active layer of %s, which runs: QEMU writes it and "
					  "a check would read it half-written; shut the VM down first",
				 d->layers[0].path, v->name);
		return;
	}
	str_copy(c.name, v->name, sizeof(c.name));
	str_copy(c.uuid, state_vm_uuid(a, v->host, v->name), sizeof(c.uuid));
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
	const struct be_vm *v = state_find_vm(a, ev->host, ev->name);
	struct cmd c = {.type = CMD_IMG_REPAIR};
	size_t i;

	if (!v || v->state != BE_VM_SHUTOFF || !a->img_loaded || a->img_host != ev->host)
		return;
	for (i = 0; i < ev->check->n; i++) {
		const struct imgcheck_layer *l = &ev->check->l[i];

		if (l->r.status != IMGCHECK_LEAKS)
			continue;
		if (chainview_read_elsewhere(a, ev->host, ev->name, ev->disk, l->path, NULL, 0, "Not offering to repair"))
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
			state_set_status(a, true, "Check of %s of %s: %s", ev->disk, ev->name, ev->err.msg);
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
		state_set_status(a, l->r.status == IMGCHECK_CORRUPT || l->r.status == IMGCHECK_FAILED, "%s: %s", l->path,
				 imgcheck_summary(&l->r, line, sizeof(line)));
	}
	if (ev->op == CMD_IMG_REPAIR)
		state_set_status(a, leaks || bad || other, "Repair of %s: %s", ev->check->n ? ev->check->l[0].path : "",
				 ev->check->n ? imgcheck_summary(&ev->check->l[0].r, line, sizeof(line)) : "no result");
	else
		state_set_status(a, bad || other, "Check of %s of %s: %zu clean, %zu with leaks, %zu CORRUPT, %zu not "
					    "checked (L: each layer)",
				 ev->disk, ev->name, clean, leaks, bad, other);
	a->redraw = true;
	if (ev->op == CMD_IMG_CHECK && leaks)
		offer_repair(a, ev);
}

void checkview_info_load(struct app *a, const struct event *ev, struct cmds *out)
{
	struct cmd *c;
	char *p;
	size_t i, len = 0, room;

	if (ev->rc < 0 || ev->host != a->sv.host || strcmp(ev->name, a->sv.vm) || !(c = cmd_push(out, CMD_LOAD_IMGINFO)))
		return;
	str_copy(c->name, a->sv.vm, sizeof(c->name));
	c->host = a->sv.host;
	a->imginfo_reading = true;
	p = c->u.load_imginfo.paths;
	room = sizeof(c->u.load_imginfo.paths);
	/* qemu-img is given files only, named whole: not a device node,
	 * not a network disk, not a path with a line break in it. */
	for (i = 0; i < a->sv.disks.n; i++) {
		const struct be_layer *l = a->sv.disks.d[i].nlayers ? &a->sv.disks.d[i].layers[0] : NULL;
		size_t n;

		if (!l || !be_layer_local(l) || l->type == BE_SRC_BLOCK || !l->path || l->path[0] != '/' ||
		    strchr(l->path, '\n') || (n = strlen(l->path)) + 2 > room - len)
			continue;
		memcpy(p + len, l->path, n);
		len += n;
		p[len++] = '\n';
	}
	p[len] = '\0';
}

void checkview_info_loaded(struct app *a, struct event *ev)
{
	if (ev->rc < 0 || !ev->imginfo || ev->host != a->sv.host || strcmp(ev->name, a->sv.vm))
		return;
	imginfo_map_clear(&a->imginfo);
	a->imginfo = *ev->imginfo;
	memset(ev->imginfo, 0, sizeof(*ev->imginfo));
	a->imginfo_reading = false;
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

	if (!l && a->imginfo_reading)
		snprintf(buf, n, "reading (qemu-img info)");
	else if (!l)
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

static void copy_done(struct app *a, int key, struct cmds *out);

void checkview_copy(struct app *a, const struct be_disk *d)
{
	const struct be_vm *v = state_find_vm(a, a->sv.host, a->sv.vm);
	struct cmd c = {.type = CMD_CHAIN_COPY};
	char path[CMD_PATH_MAX], title[sizeof(a->dlg.title)], text[sizeof(a->dlg.text)], names[600], users[200];
	struct dialog_field file = {.label = "File", .value = path};
	const char **layers;
	size_t i, n, len = 0, nsnaps;

	if (!v)
		return;
	if (!be_chain_known(d)) {
		state_set_status(a, true, "The chain of %s is not known to its end: a copy could miss data", d->target);
		return;
	}
	str_copy(c.name, v->name, sizeof(c.name));
	str_copy(c.uuid, state_vm_uuid(a, v->host, v->name), sizeof(c.uuid));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	c.u.chain_copy.offline = v->state == BE_VM_SHUTOFF; /* the backend refuses if that changed */
	/* The old layers nothing else uses: offered for deletion once done
	 * (images not known: none offered; the images screen lists them). */
	layers = xcalloc(d->nlayers + 1, sizeof(*layers));
	for (i = 0; i < d->nlayers; i++) {
		layers[i] = d->layers[i].path;
		if (!a->img_loaded || a->img_host != v->host ||
		    images_users(&a->images, d->layers[i].path, v->name, d->target, NULL, 0, users, sizeof(users)))
			continue;
		if (len + strlen(d->layers[i].path) + 2 < sizeof(c.u.chain_copy.unused))
			len += (size_t)snprintf(c.u.chain_copy.unused + len, sizeof(c.u.chain_copy.unused) - len, "%s\n",
						d->layers[i].path);
	}
	nsnaps = chainview_snapshots_in(a, v->host, v->name, layers, d->nlayers, names, sizeof(names));
	free(layers);
	if (chainview_default_path(a, d, path, sizeof(path)) && (n = strlen(path)) > 6 &&
	    !strcmp(path + n - 6, ".qcow2") && n + 5 < sizeof(path))
		memcpy(path + n - 6, "-flat.qcow2", 12);
	snprintf(title, sizeof(title), "Standalone copy of %s of %s", d->target, v->name);
	snprintf(text, sizeof(text),
		 "One new qcow2 file with all the data of the %zu layer%s of %s and no backing file, in the storage "
		 "pool of its folder; %s then uses it. %s\n%s%.600s%s"
		 "The old layers stay; deleting those nothing else uses is offered once it is done.",
		 d->nlayers, d->nlayers == 1 ? "" : "s", d->target, d->target,
		 v->state == BE_VM_SHUTOFF ? "The VM is shut off: the storage API copies the chain."
					   : "The VM runs: a full block copy, pivoted once libvirt reports it ready.",
		 nsnaps ? "The metadata of the snapshots living in the old layers goes: " : "", nsnaps ? names : "",
		 nsnaps ? "\n" : "");
	dialog_form(a, &c, title, text, &file, 1, "Enter copy  Ctrl-U clear  Esc cancel", copy_done);
}

static void copy_done(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd;
	const char *path = a->dlg.field[0].value, *p;
	char what[1400];

	(void)key;
	if (path[0] != '/' || path[strlen(path) - 1] == '/') {
		state_set_status(a, true, "The copy needs an absolute file name (starting with /)");
		return; /* the form stays open */
	}
	for (p = path; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127) {
			state_set_status(a, true, "File names cannot contain control characters");
			return;
		}
	str_copy(c.u.chain_copy.path, path, sizeof(c.u.chain_copy.path));
	dialog_close(a);
	snprintf(what, sizeof(what), "Standalone copy of %s of %s: %.1000s", c.disk, c.name, c.u.chain_copy.path);
	jobs_start(a, out, &c, what);
}

static void inside_menu_done(struct app *a, int key, struct cmds *out);

void checkview_inside_delete(struct app *a, const struct be_disk *d, size_t k)
{
	const char *path = d->layers[k].path;
	const struct imgsnap_list *l = imginfo_find(&a->imginfo, path);
	struct cmd c = {.type = CMD_IMG_SNAP_DELETE};
	struct dialog_item items[DLG_ITEMS];
	char labels[DLG_ITEMS][300], title[sizeof(a->dlg.title)];
	size_t i;
	int n = 0;

	if (!l) {
		state_set_status(a, true, "What %s holds is not known (%s)", path,
				 a->imginfo.why[0] ? a->imginfo.why : "not read");
		return;
	}
	/* A file another chain or a snapshot reads is never written. */
	if (!a->img_loaded || a->img_host != a->sv.host) {
		state_set_status(a, true, "Not deleting from %s yet: who reads it is not known (the images load)", path);
		return;
	}
	if (chainview_read_elsewhere(a, a->sv.host, a->sv.vm, d->target, path, NULL, 0, "Not deleting a snapshot from"))
		return;
	for (i = 0; i < l->n && n < DLG_ITEMS; i++) {
		if (checkview_known(a, path, l->s[i].name))
			continue;
		snprintf(labels[n], sizeof(labels[n]), "%s", l->s[i].name);
		items[n].key = '1' + n;
		items[n].label = labels[n];
		n++;
	}
	if (!n) {
		state_set_status(a, true, "%s holds no snapshot unknown to libvirt (those libvirt knows: d in the snapshot "
					  "pane)",
				 path);
		return;
	}
	str_copy(c.name, a->sv.vm, sizeof(c.name));
	str_copy(c.uuid, state_vm_uuid(a, a->sv.host, a->sv.vm), sizeof(c.uuid));
	c.host = a->sv.host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	str_copy(c.u.img_snap_delete.path, path, sizeof(c.u.img_snap_delete.path));
	snprintf(title, sizeof(title), "Delete a snapshot unknown to libvirt from %.900s", path);
	dialog_menu(a, &c, title,
		    "Which one? (qemu-img snapshot -d; the disk state and memory saved in it are lost. Esc cancels)",
		    items, n, inside_menu_done);
}

/* The snapshot chosen: asked once more, naming it and the file. */
static void inside_menu_done(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd;
	const char *label = NULL;
	char what[1400];
	int i;

	(void)out;
	for (i = 0; i < a->dlg.nitems; i++)
		if (a->dlg.item[i].key == key)
			label = a->dlg.item[i].label;
	if (!label) {
		dialog_cancel(a);
		return;
	}
	str_copy(c.snap, label, sizeof(c.snap));
	snprintf(what, sizeof(what), "Delete snapshot '%s' from %.1000s", c.snap, c.u.img_snap_delete.path);
	dialog_confirm(a, &c, jobs_start_asked, what,
		    "Delete snapshot '%s', which libvirt does not know, from %s?\nLost: the disk state and memory "
		    "saved in it. The VM is shut off and nothing else reads the file.",
		    c.snap, c.u.img_snap_delete.path);
}
