/* The VM screen's chain pane: each disk's layers from the active one down
 * to the base, and the overlay work on them (new, discard, reset, commit),
 * each checked and asked before anything changes. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "core/util.h"

size_t chain_rows(const struct snapview *sv)
{
	size_t i, n = 0;

	for (i = 0; i < sv->disks.n; i++)
		n += sv->disks.d[i].nlayers;
	return n;
}

bool chain_at(const struct snapview *sv, size_t r, size_t *disk, size_t *layer)
{
	size_t i;

	for (i = 0; i < sv->disks.n; i++) {
		if (r < sv->disks.d[i].nlayers) {
			*disk = i;
			*layer = r;
			return true;
		}
		r -= sv->disks.d[i].nlayers;
	}
	return false;
}

/* A disk's lines: its layers, and the note when its chain is not known
 * to its end. */
static size_t disk_lines(const struct be_disk *d)
{
	return d->nlayers + (d->nlayers && !d->complete);
}

size_t chain_lines(const struct snapview *sv)
{
	size_t i, n = 0;

	for (i = 0; i < sv->disks.n; i++)
		n += disk_lines(&sv->disks.d[i]);
	return n;
}

enum chain_line chain_line_at(const struct snapview *sv, size_t i, size_t *disk, size_t *layer)
{
	size_t di;

	for (di = 0; di < sv->disks.n; di++) {
		const struct be_disk *d = &sv->disks.d[di];

		if (i < disk_lines(d)) {
			*disk = di;
			*layer = i < d->nlayers ? i : d->nlayers - 1;
			return i < d->nlayers ? CHAIN_LINE_LAYER : CHAIN_LINE_NOTE;
		}
		i -= disk_lines(d);
	}
	return CHAIN_LINE_NONE;
}

size_t chain_line_of(const struct snapview *sv, size_t r)
{
	size_t di, line = 0;

	for (di = 0; di < sv->disks.n; di++) {
		const struct be_disk *d = &sv->disks.d[di];

		if (r < d->nlayers)
			return line + r;
		r -= d->nlayers;
		line += disk_lines(d);
	}
	return line;
}

void chain_scroll(struct app *a)
{
	size_t n = chain_rows(&a->sv);

	if (a->sv.chain_sel >= n)
		a->sv.chain_sel = n ? n - 1 : 0;
	a->redraw = true;
}

/* The selected disk, and its selected layer in *k. */
static const struct be_disk *selected(struct app *a, size_t *k)
{
	size_t di;

	if (!chain_at(&a->sv, a->sv.chain_sel, &di, k)) {
		app_set_status(a, true, "No disk selected");
		return NULL;
	}
	return &a->sv.disks.d[di];
}

/* The VM, when its disks may change now; else says why not. */
static const struct be_vm *editable(struct app *a, bool running_ok)
{
	const struct be_vm *v = app_changeable(a, a->sv.host, a->sv.vm);

	if (!v)
		return NULL;
	if (v->state == BE_VM_SAVED) {
		app_set_status(a, true, "%s is hibernated: its saved memory belongs to the disks as they are (W discards it)",
			       v->name);
		return NULL;
	}
	if (v->state == BE_VM_SHUTOFF || (running_ok && (v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED)))
		return v;
	if (!running_ok && (v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED))
		app_set_status(a, true, "%s is running and writes to its active layer: shut it down first", v->name);
	else
		app_set_status(a, true, "%s is %s: shut it down first", v->name, app_state_name(v->state));
	return NULL;
}

/* "/dir/vm-vda-20261125-101500.qcow2": next to the top layer, named so
 * that a later overlay's name does not grow. */
static void default_path(const struct app *a, const struct be_disk *d, char *buf, size_t n)
{
	const char *top = d->layers[0].path, *slash = strrchr(top, '/');
	char vm[128], stamp[32];
	time_t now = (time_t)a->wall;
	struct tm tm;
	size_t i;

	str_copy(vm, a->sv.vm, sizeof(vm));
	for (i = 0; vm[i]; i++)
		if (!((vm[i] >= 'a' && vm[i] <= 'z') || (vm[i] >= 'A' && vm[i] <= 'Z') || (vm[i] >= '0' && vm[i] <= '9') ||
		      vm[i] == '-' || vm[i] == '.' || vm[i] == '_'))
			vm[i] = '_';
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, n, "%.*s/%s-%s-%s.qcow2", slash ? (int)(slash - top) : 0, top, vm, d->target, stamp);
}

static void ask_overlay(struct app *a)
{
	struct dialog *dlg = &a->dlg;
	const struct be_vm *v;
	const struct be_disk *d;
	size_t k;

	if (!(d = selected(a, &k)) || !(v = editable(a, true)))
		return;
	memset(dlg, 0, sizeof(*dlg));
	dlg->kind = DLG_FORM;
	dlg->purpose = DP_OVERLAY_NEW;
	dlg->nfields = 1;
	str_copy(dlg->vm, v->name, sizeof(dlg->vm));
	dlg->host = v->host;
	str_copy(dlg->disk, d->target, sizeof(dlg->disk));
	snprintf(dlg->title, sizeof(dlg->title), "New overlay on %s of %s", d->target, v->name);
	snprintf(dlg->text, sizeof(dlg->text),
		 v->state == BE_VM_SHUTOFF
			 ? "A new qcow2 volume backed by %s, made in the storage pool of its folder; the "
			   "disk then points at it."
			 : "The VM runs: a disk-only external snapshot (no metadata, atomic) makes the file "
			   "its new active layer; %s stays below it, unchanged from now on.",
		 d->layers[0].path);
	str_copy(dlg->field[0].label, "File", sizeof(dlg->field[0].label));
	default_path(a, d, dlg->field[0].value, sizeof(dlg->field[0].value));
	a->redraw = true;
}

/* Why path cannot be a new overlay, or NULL. */
static const char *bad_path(const struct app *a, const char *path)
{
	size_t i, j;
	const char *p;

	if (path[0] != '/')
		return "The overlay needs an absolute file name (starting with /)";
	if (path[strlen(path) - 1] == '/')
		return "The overlay needs a file name, not a folder";
	for (p = path; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127)
			return "File names cannot contain control characters";
	for (i = 0; i < a->sv.disks.n; i++)
		for (j = 0; j < a->sv.disks.d[i].nlayers; j++)
			if (!strcmp(a->sv.disks.d[i].layers[j].path, path))
				return "That file is already a layer of this VM";
	return NULL;
}

void chain_form_done(struct app *a, struct cmds *out)
{
	struct dialog *d = &a->dlg;
	struct cmd c = {.type = CMD_OVERLAY_NEW};
	const char *why = bad_path(a, d->field[0].value);
	char what[1400];

	if (why) {
		app_set_status(a, true, "%s", why); /* the form stays open */
		return;
	}
	str_copy(c.name, d->vm, sizeof(c.name));
	c.host = d->host;
	str_copy(c.disk, d->disk, sizeof(c.disk));
	str_copy(c.path, d->field[0].value, sizeof(c.path));
	app_close_dialog(a);
	snprintf(what, sizeof(what), "New overlay on %s of %s: %s", c.disk, c.name, c.path);
	jobs_start(a, out, &c, what);
}

/* The layers above layer k of d, one "  path (size used)" a line. Only
 * whole lines: a path cut short would name another file. */
static void list_above(const struct be_disk *d, size_t k, char *buf, size_t n, bool sizes)
{
	size_t i, len = 0;
	char used[32];
	int w;

	buf[0] = '\0';
	for (i = 0; i < k; i++) {
		if (sizes && d->layers[i].allocation >= 0)
			w = snprintf(buf + len, n - len, "  %s (%s used)\n", d->layers[i].path,
				     bytes_human((unsigned long long)d->layers[i].allocation, used, sizeof(used)));
		else
			w = snprintf(buf + len, n - len, sizes ? "  %s\n" : "%s\n", d->layers[i].path);
		if (w < 0 || (size_t)w >= n - len) {
			buf[len] = '\0';
			return;
		}
		len += (size_t)w;
	}
}

size_t chain_internal_snapshots(const struct app *a, int host, const char *vm, const char *disk, char *buf,
				size_t n)
{
	const struct snapview *sv = &a->sv;
	char want[80];
	size_t i, count = 0, len = 0;

	buf[0] = '\0';
	if (sv->host != host || strcmp(sv->vm, vm))
		return 0;
	snprintf(want, sizeof(want), "%s internal", disk);
	for (i = 0; i < sv->snaps.n; i++) {
		const char *p = strstr(sv->snaps.s[i].disks, want);

		/* "vda internal" as a whole entry of "vda internal, vdb no" */
		if (!p || (p != sv->snaps.s[i].disks && p[-1] != ' '))
			continue;
		if (count++ < 5 && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s'%s'", len ? ", " : "", sv->snaps.s[i].name);
	}
	if (count > 5 && len < n)
		snprintf(buf + len, n - len, " and %zu more", count - 5);
	return count;
}

/* A line warning that internal snapshots may live in files that go. */
static void snapshot_warning(const struct app *a, const char *disk, char *buf, size_t n)
{
	char names[600];

	buf[0] = '\0';
	if (chain_internal_snapshots(a, a->sv.host, a->sv.vm, disk, names, sizeof(names)))
		snprintf(buf, n, "Internal snapshots of %s (%s) live inside the layer that was active\n"
			 "when each was taken: those inside these files lose their disk state.\n", disk, names);
}

/* Refuses when another chain (another VM's, or another disk's) reads
 * path, as far as the images screen's model knows; the backend checks
 * again before acting. */
static bool used_elsewhere(struct app *a, const struct be_disk *d, const char *path, const char *doing)
{
	char users[400];
	size_t n;

	if (!a->img_loaded || a->img_host != a->sv.host)
		return false; /* another host's images say nothing of this one */
	n = images_users(&a->images, path, a->sv.vm, d->target, users, sizeof(users));
	if (n)
		app_set_status(a, true, "%s %s: %s %s it", doing, path, users, n == 1 ? "uses" : "use");
	return n > 0;
}

/* Discards the layers of d above layer k, after asking. */
static void ask_discard(struct app *a, const struct be_disk *d, size_t k)
{
	const struct be_vm *v = editable(a, false);
	struct cmd c = {.type = CMD_OVERLAY_DISCARD};
	char list[3000], what[1200], warn[800];
	size_t i;

	if (!v)
		return;
	for (i = 0; i < k; i++)
		if (used_elsewhere(a, d, d->layers[i].path, "Not deleting"))
			return;
	str_copy(c.name, v->name, sizeof(c.name));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	str_copy(c.path, d->layers[k].path, sizeof(c.path));
	list_above(d, k, list, sizeof(list), true);
	snapshot_warning(a, d->target, warn, sizeof(warn));
	if (k == 1)
		snprintf(what, sizeof(what), "Discard the top overlay of %s of %s", d->target, v->name);
	else
		snprintf(what, sizeof(what), "Reset %s of %s to %s", d->target, v->name, d->layers[k].path);
	app_confirm(a, &c, what,
		    "Delete %zu overlay%s of %s of %s:\n%s%s then uses %s.\n%s"
		    "Lost: everything written to %s since %s.",
		    k, k == 1 ? "" : "s", d->target, v->name, list, d->target, d->layers[k].path, warn, d->target,
		    k == 1 ? "that overlay was made" : "those overlays were made");
}

static void ask_commit(struct app *a, const struct be_disk *d, size_t k)
{
	const struct be_vm *v = app_find_vm(a, a->sv.host, a->sv.vm);
	struct cmd c = {.type = CMD_BLOCK_COMMIT};
	char list[3000], what[1200];

	if (!v || used_elsewhere(a, d, d->layers[k].path, "Not committing into"))
		return;
	str_copy(c.name, v->name, sizeof(c.name));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	str_copy(c.path, d->layers[k].path, sizeof(c.path));
	c.mode = v->state == BE_VM_SHUTOFF; /* the backend refuses if that changed */
	list_above(d, k, c.text, sizeof(c.text), false);
	list_above(d, k, list, sizeof(list), true);
	snprintf(what, sizeof(what), "Commit %s of %s into %s", d->target, v->name, d->layers[k].path);
	app_confirm(a, &c, what,
		    "Merge into %s:\n%s%s is rewritten for good; refused if another VM's chain uses it.\n%s",
		    d->layers[k].path, list, d->layers[k].path,
		    v->state == BE_VM_SHUTOFF
			    ? "The VM is shut off: vmmanager starts it paused, commits, pivots and stops it again."
			    : "The VM runs: an active commit, pivoted once libvirt reports it ready.");
}

static void ask_commit_menu(struct app *a, const struct be_disk *d, size_t k)
{
	struct dialog *dlg = &a->dlg;

	memset(dlg, 0, sizeof(*dlg));
	dlg->kind = DLG_MENU;
	dlg->purpose = DP_COMMIT;
	str_copy(dlg->vm, a->sv.vm, sizeof(dlg->vm));
	str_copy(dlg->disk, d->target, sizeof(dlg->disk));
	snprintf(dlg->title, sizeof(dlg->title), "Commit %s of %s", d->target, a->sv.vm);
	str_copy(dlg->text, "Merge the top layer how far down? (Esc cancels)", sizeof(dlg->text));
	dlg->nitems = 2;
	dlg->item[0].key = 'b';
	snprintf(dlg->item[0].label, sizeof(dlg->item[0].label), "into its backing file only (%s)", d->layers[1].path);
	dlg->item[1].key = 's';
	snprintf(dlg->item[1].label, sizeof(dlg->item[1].label), "every layer above the selected base (%zu) into it", k);
	a->redraw = true;
}

void chain_menu_done(struct app *a, int key)
{
	size_t k, di;
	const struct be_disk *d;
	char disk[sizeof(a->dlg.disk)];

	str_copy(disk, a->dlg.disk, sizeof(disk));
	if (!chain_at(&a->sv, a->sv.chain_sel, &di, &k) || (key != 'b' && key != 's')) {
		app_close_dialog(a);
		app_set_status(a, false, "Cancelled");
		return;
	}
	d = &a->sv.disks.d[di];
	/* The chain may have been read again while the menu was open. */
	if (strcmp(d->target, disk) || d->nlayers < 2 || (key == 's' && k < 2)) {
		app_close_dialog(a);
		app_set_status(a, true, "The chain of %s changed: select the base again", disk);
		return;
	}
	if (!app_changeable(a, a->sv.host, a->sv.vm)) {
		app_close_dialog(a);
		return;
	}
	/* The confirmation takes the menu's place, before any question that
	 * waited behind the menu; a refusal just closes the menu. */
	if (used_elsewhere(a, d, d->layers[key == 'b' ? 1 : k].path, "Not committing into")) {
		app_close_dialog(a);
		return;
	}
	ask_commit(a, d, key == 'b' ? 1 : k);
}

static void commit(struct app *a)
{
	const struct be_disk *d;
	size_t k;

	if (!(d = selected(a, &k)) || !editable(a, true))
		return;
	if (d->nlayers < 2) {
		app_set_status(a, true, "Nothing to commit: %s has no backing file", d->target);
		return;
	}
	if (k <= 1)
		ask_commit(a, d, 1);
	else
		ask_commit_menu(a, d, k);
}

void chain_request(struct app *a, enum request req)
{
	struct snapview *sv = &a->sv;
	const struct be_disk *d;
	size_t n = chain_rows(sv), h = app_list_height(a), k;

	switch (req) {
	case REQ_OVERLAY_NEW: ask_overlay(a); break;
	case REQ_COMMIT: commit(a); break;
	case REQ_OVERLAY_DISCARD:
		if (!(d = selected(a, &k)))
			break;
		if (d->nlayers < 2)
			app_set_status(a, true, "%s has no backing file: there is no overlay to discard", d->target);
		else
			ask_discard(a, d, 1);
		break;
	case REQ_RESET:
		if (!(d = selected(a, &k)))
			break;
		if (k == 0)
			app_set_status(a, true, "Select the layer to go back to: Z discards every layer above it");
		else
			ask_discard(a, d, k);
		break;
	default:
		if (!request_move(req, &sv->chain_sel, n, h))
			return;
	}
	chain_scroll(a);
}
