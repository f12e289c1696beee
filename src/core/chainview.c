/* The VM screen's chain pane: each disk's layers from the active one down
 * to the base, and the overlay work on them (new, discard, reset, commit),
 * each checked and asked before anything changes. */
#include "core/chainview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clone.h"
#include "core/dialog.h"
#include "core/images.h"
#include "core/jobs.h"
#include "core/listpos.h"
#include "core/state.h"
#include "shared/ovlname.h"
#include "shared/util.h"

size_t chainview_rows(const struct snapview *sv)
{
	size_t i, n = 0;

	for (i = 0; i < sv->disks.n; i++)
		n += sv->disks.d[i].nlayers;
	return n;
}

bool chainview_at(const struct snapview *sv, size_t r, size_t *disk, size_t *layer)
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

/* A disk's lines: its layers, and the note when its chain does not end
 * in a base (not known, a loop, a missing file, cut off). */
static size_t disk_lines(const struct be_disk *d)
{
	if (!d->nlayers)
		return 1; /* a drive with no medium, a disk with no source: a note */
	return d->nlayers + (d->end != BE_END_COMPLETE);
}

size_t chainview_lines(const struct snapview *sv)
{
	size_t i, n = 0;

	for (i = 0; i < sv->disks.n; i++)
		n += disk_lines(&sv->disks.d[i]);
	return n;
}

enum chain_line chainview_line_at(const struct snapview *sv, size_t i, size_t *disk, size_t *layer)
{
	size_t di;

	for (di = 0; di < sv->disks.n; di++) {
		const struct be_disk *d = &sv->disks.d[di];

		if (i < disk_lines(d)) {
			*disk = di;
			*layer = i < d->nlayers ? i : d->nlayers ? d->nlayers - 1 : 0;
			return i < d->nlayers ? CHAIN_LINE_LAYER : CHAIN_LINE_NOTE;
		}
		i -= disk_lines(d);
	}
	return CHAIN_LINE_NONE;
}

size_t chainview_line_of(const struct snapview *sv, size_t r)
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

void chainview_scroll(struct app *a)
{
	listpos_scroll(&a->sv.chain_pos, chainview_rows(&a->sv), state_list_height(a));
	a->redraw = true;
}

/* The selected disk, and its selected layer in *k. */
static const struct be_disk *selected(struct app *a, size_t *k)
{
	const struct be_disk *d;
	size_t di, i;
	char why[1200];

	if (!chainview_at(&a->sv, a->sv.chain_pos.sel, &di, k)) {
		state_set_status(a, true, "No disk selected");
		return NULL;
	}
	d = &a->sv.disks.d[di];
	/* A CD-ROM, a read-only or shareable disk, a network disk...: never
	 * given an overlay, committed or reset (the backend asks again). */
	if (be_disk_allows(d, BE_USE_CHAIN, why, sizeof(why)) < 0) {
		state_set_status(a, true, "%s", why);
		return NULL;
	}
	/* A command carries a path whole or not at all: no file can have a
	 * longer one (PATH_MAX), so such a chain is only ever shown. */
	for (i = 0; i < d->nlayers; i++)
		if (strlen(d->layers[i].path) >= CMD_PATH_MAX) {
			state_set_status(a, true, "A file of %s's chain has a path of %zu bytes, more than a file can have "
						  "(%zu); nothing is done on this disk",
					 d->target, strlen(d->layers[i].path), (size_t)CMD_PATH_MAX - 1);
			return NULL;
		}
	return d;
}

/* The VM, when its disks may change now; else says why not. */
static const struct be_vm *editable(struct app *a, bool running_ok)
{
	const struct be_vm *v = jobs_changeable(a, a->sv.host, a->sv.vm);

	if (!v)
		return NULL;
	if (v->state == BE_VM_SAVED) {
		state_set_status(a, true, "%s is hibernated: its saved memory belongs to the disks as they are (W discards it)",
				 v->name);
		return NULL;
	}
	if (v->state == BE_VM_SHUTOFF || (running_ok && (v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED)))
		return v;
	if (!running_ok && (v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED))
		state_set_status(a, true, "%s is running and writes to its active layer: shut it down first", v->name);
	else
		state_set_status(a, true, "%s is %s: shut it down first", v->name, state_vm_state_name(v->state));
	return NULL;
}

const struct be_disk *chainview_changeable_disk(struct app *a, bool running_ok, size_t *k)
{
	const struct be_disk *d = selected(a, k);

	return d && editable(a, running_ok) ? d : NULL;
}

/* "/dir/vm-vda-20261125-101500.qcow2": next to the top layer, named so
 * that a later overlay's name does not grow (ovlname_make). */
bool chainview_default_path(const struct app *a, const struct be_disk *d, char *buf, size_t n)
{
	if (d->layers[0].type == BE_SRC_BLOCK) {
		buf[0] = '\0'; /* not beside a device node: the operator says where */
		return false;
	}
	return ovlname_make(d->layers[0].path, a->sv.vm, d->target, "qcow2", (time_t)a->wall, buf, n);
}

static void overlay_done(struct app *a, int key, struct cmds *out);

/* Whether the new overlay is recorded as a snapshot: no, as always, first. */
static const char *const record_choices[] = {"no", "yes"};

static void ask_overlay(struct app *a)
{
	struct cmd c = {.type = CMD_OVERLAY_NEW};
	char path[CMD_PATH_MAX], title[sizeof(a->dlg.title)], text[sizeof(a->dlg.text)];
	char snap[64];
	const struct dialog_field fields[] = {
		{.label = "File", .value = path},
		{.label = "Snapshot", .value = record_choices[0], .choices = record_choices, .nchoices = 2},
		{.label = "Its name", .value = snap},
	};
	const struct be_vm *v;
	const struct be_disk *d;
	time_t now = (time_t)a->wall;
	struct tm tm;
	bool named;
	size_t k;

	if (!(d = selected(a, &k)) || !(v = editable(a, true)))
		return;
	str_copy(c.name, v->name, sizeof(c.name));
	str_copy(c.uuid, state_vm_uuid(a, v->host, v->name), sizeof(c.uuid));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	snprintf(title, sizeof(title), "New overlay on %s of %s", d->target, v->name);
	snprintf(text, sizeof(text),
		 v->state == BE_VM_SHUTOFF
			 ? "A new qcow2 volume backed by %s, made in the storage pool of its folder; the "
			   "disk then points at it."
			 : "The VM runs: a disk-only external snapshot (no metadata, atomic) makes the file "
			   "its new active layer; %s stays below it, unchanged from now on.",
		 d->layers[0].path);
	named = chainview_default_path(a, d, path, sizeof(path));
	localtime_r(&now, &tm);
	strftime(snap, sizeof(snap), "ovl-%Y%m%d-%H%M%S", &tm);
	str_copy(text + strlen(text),
		 "\nSnapshot: yes records it as an external disk-only snapshot (with metadata, on the timeline, "
		 "named as below); no makes a plain overlay, as always.",
		 sizeof(text) - strlen(text));
	dialog_form(a, &c, title, text, fields, 3, "Enter create  Tab next field  Space yes/no  Ctrl-U clear  Esc cancel",
		    overlay_done);
	if (!named)
		state_set_status(a, true,
				 d->layers[0].type == BE_SRC_BLOCK
					 ? "No file name offered: %s is a block device; type where the overlay file goes"
					 : "No file name offered: one would be longer than a path can be (beside %s)",
				 d->layers[0].path);
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

static void overlay_done(struct app *a, int key, struct cmds *out)
{
	struct dialog *d = &a->dlg;
	struct cmd c = *d->cmd;
	const char *why = bad_path(a, d->field[0].value);
	char what[1700], buf[600];

	(void)key;
	if (why) {
		state_set_status(a, true, "%s", why); /* the form stays open */
		return;
	}
	c.u.overlay_new.record = !strcmp(d->field[1].value, "yes");
	if (c.u.overlay_new.record &&
	    (why = state_bad_snap_name(a, c.host, c.name, d->field[2].value, buf, sizeof(buf)))) {
		state_set_status(a, true, "%s", why); /* the form stays open */
		return;
	}
	if (c.u.overlay_new.record)
		str_copy(c.snap, d->field[2].value, sizeof(c.snap));
	str_copy(c.u.overlay_new.path, d->field[0].value, sizeof(c.u.overlay_new.path));
	dialog_close(a);
	snprintf(what, sizeof(what), "New overlay on %s of %s%s%s%s: %.1000s", c.disk, c.name,
		 c.u.overlay_new.record ? " (snapshot '" : "", c.snap, c.u.overlay_new.record ? "')" : "",
		 c.u.overlay_new.path);
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

const struct be_snapshot *chainview_made_by(const struct snapview *sv, const char *path)
{
	size_t i, k;

	for (i = 0; i < sv->snaps.n; i++)
		for (k = 0; k < sv->snaps.s[i].nfiles; k++)
			if (sv->snaps.s[i].files[k].overlay && !strcmp(sv->snaps.s[i].files[k].overlay, path))
				return &sv->snaps.s[i];
	return NULL;
}

size_t chainview_snapshots_in(const struct app *a, int host, const char *vm, const char *const *paths, size_t n,
			      char *buf, size_t bn)
{
	const struct snapview *sv = &a->sv;
	const char **set;
	size_t i, k, count = 0, len = 0;

	buf[0] = '\0';
	if (sv->host != host || strcmp(sv->vm, vm))
		return 0;
	set = str_set(paths, n);
	for (i = 0; i < sv->snaps.n; i++) {
		const struct be_snapshot *s = &sv->snaps.s[i];
		bool in = false;

		for (k = 0; k < s->nfiles && !in; k++)
			in = str_set_has(set, n, s->files[k].path);
		if (!in)
			continue;
		if (count++ < 5 && len < bn)
			len += (size_t)snprintf(buf + len, bn - len, "%s'%s'", len ? ", " : "", s->name);
	}
	free(set);
	if (count > 5 && len < bn)
		snprintf(buf + len, bn - len, " and %zu more", count - 5);
	return count;
}

/* chainview_read_elsewhere with what the action skips prepared: images known. */
static bool read_elsewhere(struct app *a, const char *path, const struct images_skip *skip, const char *doing)
{
	char users[600];
	size_t n = images_readers(&a->images, path, skip, users, sizeof(users));

	if (n)
		state_set_status(a, true, "%s %s: %s read%s it", doing, path, users, n == 1 ? "s" : "");
	return n > 0;
}

bool chainview_read_elsewhere(struct app *a, int host, const char *vm, const char *disk, const char *path,
			      const char *const *going, size_t ngoing, const char *doing)
{
	struct images_skip skip;
	bool read;

	if (!a->img_loaded || a->img_host != host)
		return false; /* another host's images say nothing of this one */
	images_skip_init(&skip, &a->images, vm, disk, going, ngoing);
	read = read_elsewhere(a, path, &skip, doing);
	images_skip_free(&skip);
	return read;
}

/* The layers of d above layer k, for the action's checks. */
static const char **layers_above(const struct be_disk *d, size_t k)
{
	const char **going = xcalloc(k + 1, sizeof(*going));
	size_t i;

	for (i = 0; i < k; i++)
		going[i] = d->layers[i].path;
	return going;
}

/* "Snapshots 'a', 'b' live in these files: their metadata goes with them." */
static void snapshots_going(const struct app *a, const char *const *going, size_t k, char *buf, size_t n)
{
	char names[600];
	size_t count = chainview_snapshots_in(a, a->sv.host, a->sv.vm, going, k, names, sizeof(names));

	buf[0] = '\0';
	if (count)
		snprintf(buf, n, "Snapshot%s %.600s live%s in these files and go%s with them.\n", count == 1 ? "" : "s",
			 names, count == 1 ? "s" : "", count == 1 ? "es" : "");
}

static void reset_done(struct app *a, int key, struct cmds *out);
static void commit_menu_done(struct app *a, int key, struct cmds *out);

/* Discards the layers of d above layer k, after asking how: a fresh overlay
 * on layer k (it stays read-only), or layer k itself written from now on,
 * offered only when nothing else reads it. */
static void ask_discard(struct app *a, const struct be_disk *d, size_t k)
{
	const struct be_vm *v = editable(a, false);
	const struct dialog_item items[] = {
		{'y', "yes: discard, then a fresh overlay on the kept layer"},
		{'w', "yes: discard, and from now on write into the kept layer itself"},
	};
	struct cmd c = {.type = CMD_OVERLAY_DISCARD};
	const char **going;
	char list[3000], warn[800], users[400], title[sizeof(a->dlg.title)], text[sizeof(a->dlg.text)];
	bool keep_free;
	size_t i;

	if (!v)
		return;
	going = layers_above(d, k);
	keep_free = a->img_loaded && a->img_host == v->host;
	if (keep_free) {
		struct images_skip skip;

		images_skip_init(&skip, &a->images, v->name, d->target, going, k);
		for (i = 0; i < k; i++)
			if (read_elsewhere(a, going[i], &skip, "Not deleting")) {
				images_skip_free(&skip);
				free(going);
				return;
			}
		keep_free = !images_readers(&a->images, d->layers[k].path, &skip, users, sizeof(users));
		images_skip_free(&skip);
	}
	list_above(d, k, list, sizeof(list), true);
	snapshots_going(a, going, k, warn, sizeof(warn));
	free(going);
	str_copy(c.name, v->name, sizeof(c.name));
	str_copy(c.uuid, state_vm_uuid(a, v->host, v->name), sizeof(c.uuid));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	str_copy(c.u.overlay_discard.keep, d->layers[k].path, sizeof(c.u.overlay_discard.keep));
	if (!chainview_default_path(a, d, c.u.overlay_discard.fresh, sizeof(c.u.overlay_discard.fresh))) {
		state_set_status(a, true, "Nothing done: a fresh overlay would have a path longer than a file can have "
					  "(beside %s)",
				 d->layers[0].path);
		return;
	}
	if (k == 1)
		snprintf(title, sizeof(title), "Discard the top overlay of %s of %s", d->target, v->name);
	else
		snprintf(title, sizeof(title), "Reset %s of %s to %s", d->target, v->name, d->layers[k].path);
	/* The list holds whole lines only, so the text is cut, if ever, at its
	 * end. */
	if (snprintf(text, sizeof(text),
		     "Delete %zu overlay%s of %s of %s:\n%s%s"
		     "Lost: everything written to %s since %s.\n"
		     "Then %s starts on a fresh overlay, %.1100s,\non %.1100s, which stays read-only.%s",
		     k, k == 1 ? "" : "s", d->target, v->name, list, warn, d->target,
		     k == 1 ? "that overlay was made" : "those overlays were made", d->target,
		     c.u.overlay_discard.fresh, d->layers[k].path,
		     keep_free ? "" : "\n(Writing into it directly is not offered: another chain or a snapshot reads it, "
				      "or the images are not read yet.)") >= (int)sizeof(text))
		state_set_status(a, true, "Some of the question is cut off: the message log shows it whole");
	dialog_menu(a, &c, title, text, items, keep_free ? 2 : 1, reset_done);
}

/* Asks to commit into layer k; false when refused (the status says why). */
static bool ask_commit(struct app *a, const struct be_disk *d, size_t k)
{
	const struct be_vm *v = state_find_vm(a, a->sv.host, a->sv.vm);
	struct cmd c = {.type = CMD_BLOCK_COMMIT};
	char list[3000], what[1200], warn[800];
	const char **going;
	bool refused;

	if (!v)
		return false;
	going = layers_above(d, k);
	refused = chainview_read_elsewhere(a, v->host, v->name, d->target, d->layers[k].path, going, k,
					   "Not committing into");
	snapshots_going(a, going, k, warn, sizeof(warn));
	free(going);
	if (refused)
		return false;
	str_copy(c.name, v->name, sizeof(c.name));
	c.host = v->host;
	str_copy(c.disk, d->target, sizeof(c.disk));
	str_copy(c.u.block_commit.base, d->layers[k].path, sizeof(c.u.block_commit.base));
	c.u.block_commit.offline = v->state == BE_VM_SHUTOFF; /* the backend refuses if that changed */
	list_above(d, k, c.u.block_commit.merged, sizeof(c.u.block_commit.merged), false);
	list_above(d, k, list, sizeof(list), true);
	snprintf(what, sizeof(what), "Commit %s of %s into %s", d->target, v->name, d->layers[k].path);
	dialog_confirm(a, &c, jobs_start_asked, what,
		    "Merge into %s:\n%s%s%s is rewritten for good; refused if another chain or a snapshot reads it.\n"
		    "The merged files then leave the chain: deleting those nothing else uses is offered once it is done.\n%s",
		    d->layers[k].path, list, warn, d->layers[k].path,
		    v->state == BE_VM_SHUTOFF
			    ? "The VM is shut off: vmmanager starts it paused, commits, pivots and stops it again."
			    : "The VM runs: an active commit, pivoted once libvirt reports it ready.");
	return true;
}

static void ask_commit_menu(struct app *a, const struct be_disk *d, size_t k)
{
	struct cmd c = {.type = CMD_BLOCK_COMMIT, .host = a->sv.host};
	char title[sizeof(a->dlg.title)], backing[160], down[160];
	const struct dialog_item items[] = {{'b', backing}, {'s', down}};

	str_copy(c.name, a->sv.vm, sizeof(c.name));
	str_copy(c.disk, d->target, sizeof(c.disk));
	snprintf(title, sizeof(title), "Commit %s of %s", d->target, a->sv.vm);
	snprintf(backing, sizeof(backing), "into its backing file only (%s)", d->layers[1].path);
	snprintf(down, sizeof(down), "every layer above the selected base (%zu) into it", k);
	dialog_menu(a, &c, title, "Merge the top layer how far down? (Esc cancels)", items, 2, commit_menu_done);
}

/* The answer to the discard menu: y, a fresh overlay on the kept layer;
 * w, the kept layer itself written. */
static void reset_done(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd;
	char what[sizeof(a->dlg.title)];

	str_copy(what, a->dlg.title, sizeof(what));
	dialog_close(a);
	if (key == 'w')
		c.u.overlay_discard.fresh[0] = '\0'; /* no fresh overlay: the kept layer is written */
	jobs_start(a, out, &c, what);
}

/* The answer to the commit menu: b, into the backing file; s, down to the
 * selected base. */
static void commit_menu_done(struct app *a, int key, struct cmds *out)
{
	size_t k, di;
	const struct be_disk *d;
	char disk[sizeof(a->dlg.cmd->disk)];

	(void)out;
	str_copy(disk, a->dlg.cmd->disk, sizeof(disk));
	if (!chainview_at(&a->sv, a->sv.chain_pos.sel, &di, &k)) {
		dialog_cancel(a);
		return;
	}
	d = &a->sv.disks.d[di];
	/* The chain may have been read again while the menu was open. */
	if (strcmp(d->target, disk) || d->nlayers < 2 || (key == 's' && k < 2)) {
		dialog_close(a);
		state_set_status(a, true, "The chain of %s changed: select the base again", disk);
		return;
	}
	if (!jobs_changeable(a, a->sv.host, a->sv.vm)) {
		dialog_close(a);
		return;
	}
	/* The confirmation takes the menu's place, before any question that
	 * waited behind the menu; a refusal just closes the menu. */
	if (!ask_commit(a, d, key == 'b' ? 1 : k))
		dialog_close(a);
}

static void commit(struct app *a)
{
	const struct be_disk *d;
	size_t k;

	if (!(d = selected(a, &k)) || !editable(a, true))
		return;
	if (d->nlayers < 2) {
		state_set_status(a, true, "Nothing to commit: %s has no backing file", d->target);
		return;
	}
	if (k <= 1)
		ask_commit(a, d, 1);
	else
		ask_commit_menu(a, d, k);
}

/* The chain pane's requests. */
static enum request chain_request(struct app *a, enum request req, struct cmds *out)
{
	struct snapview *sv = &a->sv;
	const struct be_disk *d;
	size_t n = chainview_rows(sv), h = state_list_height(a), k;

	(void)out;
	switch (req) {
	case REQ_OVERLAY_NEW: ask_overlay(a); break;
	case REQ_COMMIT: commit(a); break;
	case REQ_OVERLAY_DISCARD:
		if (!(d = selected(a, &k)))
			break;
		if (d->nlayers < 2)
			state_set_status(a, true, "%s has no backing file: there is no overlay to discard", d->target);
		else
			ask_discard(a, d, 1);
		break;
	case REQ_CLONE_LAYER:
		if ((d = selected(a, &k)))
			clone_ask(a, sv->host, sv->vm, d->target, d->layers[k].path);
		break;
	case REQ_RESET:
		if (!(d = selected(a, &k)))
			break;
		if (k == 0)
			state_set_status(a, true, "Select the layer to go back to: Z discards every layer above it");
		else
			ask_discard(a, d, k);
		break;
	default:
		if (!listpos_move(&sv->chain_pos, req, n, h))
			return req;
	}
	chainview_scroll(a);
	return REQ_NONE;
}

static const struct hint chain_hints[] = {
	{REQ_HELP, NULL, NULL},        {REQ_NEXT_PANE, "snapshots", NULL}, {REQ_OVERLAY_NEW, NULL, NULL},
	{REQ_COMMIT, NULL, NULL},      {REQ_OVERLAY_DISCARD, NULL, NULL},  {REQ_RESET, NULL, NULL},
	{REQ_IMG_CHECK, NULL, NULL},   {REQ_CHAIN_COPY, NULL, NULL},       {REQ_SCREEN_JOBS, NULL, NULL}, {REQ_NONE, NULL, NULL},
};

const struct pane chainview_pane = {
	.name = "disk chains",
	.scope = SCOPE_CHAIN,
	.request = chain_request,
	.scroll = chainview_scroll,
	.hints = chain_hints,
};
