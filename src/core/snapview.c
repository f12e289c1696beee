/* The VM screen's snapshot timeline: the tree, and taking, reverting and
 * deleting snapshots with the checks and questions an operator expects. */
#include "core/snapview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chainview.h"
#include "core/checkview.h"
#include "core/clone.h"
#include "core/cmd.h"
#include "core/dialog.h"
#include "core/images.h"
#include "core/jobs.h"
#include "core/lifecycle.h"
#include "core/listpos.h"
#include "core/logview.h"
#include "core/snapext.h"
#include "core/state.h"
#include "core/tree.h"
#include "shared/util.h"

void snapview_free(struct snapview *sv)
{
	size_t i;

	be_snap_list_clear(&sv->snaps);
	be_disk_list_clear(&sv->disks);
	tree_layout_free(&sv->layout);
	tree_layout_free(&sv->full);
	free(sv->collapsed);
	free(sv->by_name);
	for (i = 0; i < sv->nclosed; i++)
		free(sv->closed[i]);
	free(sv->closed);
	memset(sv, 0, sizeof(*sv));
}

static const struct be_snap_list *sort_snaps; /* qsort has no context */

static int cmp_by_name(const void *a, const void *b)
{
	return strcmp(sort_snaps->s[*(const size_t *)a].name, sort_snaps->s[*(const size_t *)b].name);
}

/* Sorts the names once a list arrives: lookups by name are then a binary
 * search, so that laying out 2000 snapshots is not 4 million strcmp. */
static void index_names(struct snapview *sv)
{
	size_t i;

	free(sv->by_name);
	sv->by_name = xcalloc(sv->snaps.n ? sv->snaps.n : 1, sizeof(*sv->by_name));
	for (i = 0; i < sv->snaps.n; i++)
		sv->by_name[i] = i;
	sort_snaps = &sv->snaps;
	qsort(sv->by_name, sv->snaps.n, sizeof(*sv->by_name), cmp_by_name);
	sort_snaps = NULL;
}

static size_t snap_index(const struct snapview *sv, const char *name)
{
	size_t lo = 0, hi = name && sv->by_name ? sv->snaps.n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sv->snaps.s[sv->by_name[mid]].name, name);

		if (!c)
			return sv->by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return TREE_NONE;
}

const struct be_snapshot *snapview_selected(const struct app *a)
{
	const struct snapview *sv = &a->sv;

	if (sv->tree_pos.sel >= sv->layout.n)
		return NULL;
	return &sv->snaps.s[sv->layout.rows[sv->tree_pos.sel].node];
}

void snapview_scroll(struct app *a)
{
	listpos_scroll(&a->sv.tree_pos, a->sv.layout.n, state_list_height(a));
	a->redraw = true;
}

/* Lays the tree out again, keeping the selection on the snapshot named
 * keep (or the current one when keep is NULL). */
static void relayout(struct app *a, const char *keep)
{
	struct snapview *sv = &a->sv;
	struct tree_node *nodes = xcalloc(sv->snaps.n, sizeof(*nodes));
	size_t i, j, want = TREE_NONE, row;

	free(sv->collapsed);
	sv->collapsed = xcalloc(sv->snaps.n, sizeof(*sv->collapsed));
	for (i = 0; i < sv->snaps.n; i++) {
		nodes[i].parent = snap_index(sv, sv->snaps.s[i].parent);
		nodes[i].order = sv->snaps.s[i].ctime;
		if (!keep && sv->snaps.s[i].current)
			want = i;
	}
	for (i = 0; i < sv->nclosed; i++)
		if ((j = snap_index(sv, sv->closed[i])) != TREE_NONE)
			sv->collapsed[j] = true;
	if (keep)
		want = snap_index(sv, keep);
	tree_layout_free(&sv->layout);
	tree_layout_build(&sv->layout, nodes, sv->snaps.n, sv->collapsed);
	tree_layout_free(&sv->full);
	tree_layout_build(&sv->full, nodes, sv->snaps.n, NULL);
	free(nodes);
	row = want == TREE_NONE ? TREE_NONE : tree_layout_find(&sv->layout, want);
	if (row != TREE_NONE)
		sv->tree_pos.sel = row;
	snapview_scroll(a);
}

void snapview_load(struct app *a, int host, const char *vm, struct cmds *out)
{
	struct snapview *sv = &a->sv;
	struct cmd *c;

	if (!state_name_fits(a, "VM", vm))
		return;
	if (sv->host != host || strcmp(sv->vm, vm)) {
		snapview_free(sv);
		sv->host = host;
		str_copy(sv->vm, vm, sizeof(sv->vm));
		sv->uuid[0] = '\0';
	}
	if (!sv->uuid[0])
		str_copy(sv->uuid, state_vm_uuid(a, host, vm), sizeof(sv->uuid));
	sv->loading = true;
	a->redraw = true;
	if ((c = cmd_push(out, CMD_LOAD_SNAPSHOTS))) {
		str_copy(c->name, vm, sizeof(c->name));
		c->host = host;
	}
}

void snapview_open(struct app *a, int host, const char *vm, struct cmds *out)
{
	if (!state_name_fits(a, "VM", vm))
		return;
	snapview_load(a, host, vm, out);
	a->screen = SCREEN_VM;
}

void snapview_vm_changed(struct app *a, int host, const char *vm, struct cmds *out)
{
	struct cmd *c = cmd_push(out, CMD_LOAD_DETAILS);

	if (c) {
		str_copy(c->name, vm, sizeof(c->name));
		c->host = host;
	}
	if (a->sv.host == host && !strcmp(a->sv.vm, vm))
		snapview_load(a, host, vm, out);
}

void snapview_loaded(struct app *a, struct event *ev)
{
	struct snapview *sv = &a->sv;
	const struct be_snapshot *cur = snapview_selected(a);
	char keep[256] = "";

	if (ev->host != sv->host || strcmp(ev->name, sv->vm))
		return; /* another VM's answer, overtaken by a later open */
	sv->loading = false;
	a->redraw = true;
	if (ev->rc < 0) {
		snprintf(sv->error, sizeof(sv->error), "%s", ev->err.msg);
		state_set_status(a, true, "Cannot read the snapshots of %s: %s", sv->vm, ev->err.msg);
		return;
	}
	if (sv->pending[0])
		str_copy(keep, sv->pending, sizeof(keep));
	else if (cur && sv->loaded)
		str_copy(keep, cur->name, sizeof(keep));
	sv->pending[0] = '\0';
	sv->error[0] = '\0';
	be_snap_list_clear(&sv->snaps);
	be_disk_list_clear(&sv->disks);
	sv->snaps = ev->snaps;
	sv->disks = ev->disks;
	memset(&ev->snaps, 0, sizeof(ev->snaps));
	memset(&ev->disks, 0, sizeof(ev->disks));
	sv->loaded = true;
	index_names(sv);
	relayout(a, keep[0] ? keep : NULL);
	chainview_scroll(a);
}

static void toggle(struct app *a)
{
	struct snapview *sv = &a->sv;
	const struct be_snapshot *s = snapview_selected(a);
	size_t i;

	if (!s || !sv->layout.rows[sv->tree_pos.sel].children)
		return;
	for (i = 0; i < sv->nclosed; i++)
		if (!strcmp(sv->closed[i], s->name)) {
			free(sv->closed[i]);
			sv->closed[i] = sv->closed[--sv->nclosed];
			relayout(a, s->name);
			return;
		}
	sv->closed = xrealloc(sv->closed, (sv->nclosed + 1) * sizeof(*sv->closed));
	sv->closed[sv->nclosed++] = xstrdup(s->name);
	relayout(a, s->name);
}

/* An internal snapshot lives inside qcow2 images: a raw disk cannot hold
 * one, and libvirt would fail halfway. It is written into each disk's
 * active layer: refused when another chain or a snapshot reads one. */
static bool disks_can_hold_snapshots(struct app *a, int host, const char *vm)
{
	const struct snapview *sv = &a->sv;
	size_t i;

	if (sv->host != host || strcmp(sv->vm, vm) || !sv->loaded)
		return true; /* not known yet: libvirt will say */
	for (i = 0; i < sv->disks.n; i++) {
		const struct be_disk *d = &sv->disks.d[i];
		char why[1200];
		int use = be_disk_allows(d, BE_USE_SNAPSHOT, why, sizeof(why));

		if (use < 0) {
			state_set_status(a, true, "%s", why);
			return false;
		}
		if (use > 0)
			continue; /* left out: an empty drive, a read-only disk */
		if (d->nlayers && chainview_read_elsewhere(a, host, vm, d->target, d->layers[0].path, NULL, 0,
							   "Not taking a snapshot into"))
			return false;

		if (d->nlayers && d->layers[0].format[0] && strcmp(d->layers[0].format, "qcow2")) {
			state_set_status(a, true, "%s of %s is %s: internal snapshots need every disk in qcow2", d->target,
					 vm, d->layers[0].format);
			return false;
		}
	}
	return true;
}

/* Why an external snapshot cannot be taken of vm's disks (into why), or
 * NULL: each disk takes an overlay beside its file or is left out, and
 * one at least takes one. Not known yet: libvirt will say. */
static const char *external_refused(const struct app *a, int host, const char *vm, char *why, size_t n)
{
	const struct snapview *sv = &a->sv;
	size_t i, covered = 0;

	if (sv->host != host || strcmp(sv->vm, vm) || !sv->loaded)
		return NULL;
	for (i = 0; i < sv->disks.n; i++) {
		int use = be_disk_allows(&sv->disks.d[i], BE_USE_EXTERNAL, why, n);

		if (use < 0)
			return why;
		covered += use == 0;
	}
	if (covered)
		return NULL;
	snprintf(why, n, "%s has no disk that can take an overlay", vm);
	return why;
}

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	str_copy(buf + len, s, n - len);
}

/* The kinds of the form's Kind field, as it names them. */
static const char *const kind_names[] = {
	[BE_KIND_INT_DISK] = "internal",
	[BE_KIND_EXT_DISK] = "external, disks only",
	[BE_KIND_EXT_SYS] = "external, with memory",
};

size_t snapview_kinds(const struct app *a, const struct be_vm *v, bool internal_ok, enum be_snap_kind *kinds,
		      char *why, size_t n)
{
	size_t k = 0;

	why[0] = '\0';
	if (internal_ok)
		kinds[k++] = BE_KIND_INT_DISK; /* the default: the VM's state decides about memory */
	/* A hibernated VM's saved memory belongs to its disks as they are: no
	 * overlay goes under it. A crashed or suspended one: look again. */
	if (v->state == BE_VM_SAVED)
		snprintf(why, n, "%s is hibernated: its saved memory belongs to its disks as they are", v->name);
	else if (v->state != BE_VM_RUNNING && v->state != BE_VM_PAUSED && v->state != BE_VM_SHUTOFF)
		snprintf(why, n, "%s is %s", v->name, state_vm_state_name(v->state));
	else if (!external_refused(a, v->host, v->name, why, n)) {
		kinds[k++] = BE_KIND_EXT_DISK;
		/* Memory to a file needs a running VM. */
		if (v->state == BE_VM_RUNNING)
			kinds[k++] = BE_KIND_EXT_SYS;
	}
	return k;
}

static void take_done(struct app *a, int key, struct cmds *out);

void snapview_take(struct app *a, int host, const char *vm, struct cmds *out)
{
	const struct be_vm *v = jobs_changeable(a, host, vm);
	struct cmd c = {.type = CMD_SNAP_CREATE, .host = host};
	char name[64], title[sizeof(a->dlg.title)], text[sizeof(a->dlg.text)], noext[1200];
	enum be_snap_kind kinds[3];
	const char *choices[3];
	struct dialog_field fields[] = {{"Name", name, false, NULL, 0}, {"Description", "", false, NULL, 0},
				      {"Kind", NULL, false, choices, 0}};
	time_t now = (time_t)a->wall;
	struct tm tm;
	bool internal_ok;
	size_t i, nk;

	if (!v)
		return;
	/* Where the disks cannot hold an internal snapshot (the status says
	 * why), the external kinds may still be offered. */
	internal_ok = disks_can_hold_snapshots(a, host, vm);
	nk = snapview_kinds(a, v, internal_ok, kinds, noext, sizeof(noext));
	if (!nk)
		return;
	for (i = 0; i < nk; i++)
		choices[i] = kind_names[kinds[i]];
	fields[2].value = choices[0];
	fields[2].nchoices = (int)nk;
	/* Load the tree behind the form, so that names can be checked. */
	if (a->sv.host != host || strcmp(a->sv.vm, vm) || !a->sv.loaded)
		snapview_load(a, host, vm, out);
	str_copy(c.name, vm, sizeof(c.name));
	str_copy(c.uuid, state_vm_uuid(a, host, vm), sizeof(c.uuid));
	snprintf(title, sizeof(title), "Take a snapshot of %s", vm);
	localtime_r(&now, &tm);
	strftime(name, sizeof(name), "snap-%Y%m%d-%H%M%S", &tm);
	text[0] = '\0';
	if (internal_ok)
		str_copy(text,
			 v->state == BE_VM_RUNNING
				 ? "internal, in the qcow2 files: the VM runs: the snapshot holds its memory too (libvirt "
				   "takes no internal snapshot of a running VM without it)."
			 : v->state == BE_VM_PAUSED
				 ? "internal, in the qcow2 files: The VM is paused: the snapshot holds its memory too "
				   "(libvirt takes no internal snapshot of a live VM without it); it stays paused, and so "
				   "does a revert to it."
			 : v->state == BE_VM_SAVED
				 ? "The VM is hibernated: the snapshot holds its disks only, not the saved "
				   "memory. Reverting to it later means discarding that saved state."
				 : "internal, in the qcow2 files: the VM is shut off: the snapshot holds its disks.",
			 sizeof(text));
	for (i = 0; i < nk; i++)
		if (kinds[i] == BE_KIND_EXT_DISK)
			append(text, sizeof(text),
				   v->state == BE_VM_RUNNING
					   ? "\nexternal, disks only: each disk's file is frozen as it is and a new overlay "
					     "beside it takes the writes, all at once, quiesced where a guest agent answers."
					   : "\nexternal, disks only: each disk's file is frozen as it is and a new overlay "
					     "beside it takes the writes.");
		else if (kinds[i] == BE_KIND_EXT_SYS)
			append(text, sizeof(text),
				   "\nexternal, with memory: the same, and the memory into a file beside the overlays.");
	if (nk > 1)
		append(text, sizeof(text), "\nRead-only and shareable disks and CD-ROMs are left out of external ones.");
	if (noext[0]) {
		append(text, sizeof(text), "\nNo external kind: ");
		append(text, sizeof(text), noext);
	}
	dialog_form(a, &c, title, text, fields, 3,
		    nk > 1 ? "Enter take  Tab next field  Space kind  Ctrl-U clear  Esc cancel"
			   : "Enter take  Tab next field  Ctrl-U clear  Esc cancel",
		    take_done);
}

static void take_done(struct app *a, int key, struct cmds *out)
{
	struct dialog *d = &a->dlg;
	struct cmd c = *d->cmd;
	char buf[1024], what[1024];
	const char *why = state_bad_snap_name(a, c.host, c.name, d->field[0].value, buf, sizeof(buf));
	size_t k;

	(void)key;
	if (why) {
		state_set_status(a, true, "%s", why); /* the form stays open */
		return;
	}
	for (k = 0; k < ARRAY_LEN(kind_names) && (!kind_names[k] || strcmp(kind_names[k], d->field[2].value)); k++)
		;
	c.u.snap_create.kind = k < ARRAY_LEN(kind_names) ? (enum be_snap_kind)k : BE_KIND_INT_DISK;
	/* The disks may have arrived while the form was open. */
	if (c.u.snap_create.kind == BE_KIND_INT_DISK ? !disks_can_hold_snapshots(a, c.host, c.name)
						    : external_refused(a, c.host, c.name, buf, sizeof(buf)) != NULL) {
		if (c.u.snap_create.kind != BE_KIND_INT_DISK)
			state_set_status(a, true, "No external snapshot: %s", buf);
		dialog_close(a);
		return;
	}
	str_copy(c.snap, d->field[0].value, sizeof(c.snap));
	str_copy(c.u.snap_create.description, d->field[1].value, sizeof(c.u.snap_create.description));
	dialog_close(a);
	snprintf(what, sizeof(what), "Snapshot '%s' of %s%s%s%s", c.snap, c.name,
		 c.u.snap_create.kind == BE_KIND_INT_DISK ? "" : " (",
		 c.u.snap_create.kind == BE_KIND_INT_DISK ? "" : be_snap_kind_name(c.u.snap_create.kind),
		 c.u.snap_create.kind == BE_KIND_INT_DISK ? "" : ")");
	jobs_start(a, out, &c, what);
}

/* The layers of the VM's disk above the file a snapshot lives in leave
 * its chain on a revert: those nothing else reads, one a line into buf
 * (for the offer to delete them), with "  path\n" lines into list. */
static void left_unused(struct app *a, const struct be_snap_file *f, char *buf, size_t n, char *list, size_t ln)
{
	const struct snapview *sv = &a->sv;
	size_t i, k, len = 0, llen = 0;
	char users[200];

	buf[0] = list[0] = '\0';
	for (i = 0; i < sv->disks.n; i++) {
		const struct be_disk *d = &sv->disks.d[i];

		if (strcmp(d->target, f->disk))
			continue;
		for (k = 0; k < d->nlayers && strcmp(d->layers[k].path, f->path); k++)
			;
		if (k == d->nlayers || !a->img_loaded || a->img_host != sv->host)
			return; /* not below the active layer, or not known */
		while (k-- > 0) {
			const char *p = d->layers[k].path;

			if (images_users(&a->images, p, sv->vm, d->target, NULL, 0, users, sizeof(users)))
				continue;
			/* Whole lines only: a path cut short would name another file. */
			if (len + strlen(p) + 2 < n)
				len += (size_t)snprintf(buf + len, n - len, "%s\n", p);
			if (llen + strlen(p) + 4 < ln)
				llen += (size_t)snprintf(list + llen, ln - llen, "  %s\n", p);
		}
	}
}

/* Another snapshot of the VM living in a layer built on f's file (above
 * it in the disk's chain), or NULL: the revert would write under it. */
static const struct be_snapshot *snapshot_above(const struct snapview *sv, const struct be_snapshot *s,
						const struct be_snap_file *f, const char **where)
{
	const struct be_snapshot *found = NULL;
	size_t i, k, j, n;

	for (i = 0; i < sv->disks.n && !found; i++) {
		const struct be_disk *d = &sv->disks.d[i];
		const char **above, **set;

		if (strcmp(d->target, f->disk))
			continue;
		for (k = 0; k < d->nlayers && strcmp(d->layers[k].path, f->path); k++)
			;
		if (k == d->nlayers)
			continue;
		/* The layers above, as a set: a deep chain under a big tree is
		 * then one lookup a snapshot's file. */
		above = xcalloc(k ? k : 1, sizeof(*above));
		for (j = 0; j < k; j++)
			above[j] = d->layers[j].path;
		set = str_set(above, k);
		for (n = 0; n < sv->snaps.n && !found; n++)
			for (j = 0; j < sv->snaps.s[n].nfiles && &sv->snaps.s[n] != s && !found; j++)
				if (str_set_has(set, k, sv->snaps.s[n].files[j].path)) {
					*where = sv->snaps.s[n].files[j].path;
					found = &sv->snaps.s[n];
				}
		free(above);
		free(set);
	}
	return found;
}

/* A revert writes into the files the snapshot lives in and makes them the
 * active layers: refused when another chain or a snapshot reads one. */
static bool revert_refused(struct app *a, const struct be_snapshot *s)
{
	const struct be_snapshot *other;
	const char *where = NULL;
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		const struct be_snap_file *f = &s->files[i];

		if (f->external)
			continue; /* libvirt says itself what it cannot revert */
		if ((other = snapshot_above(&a->sv, s, f, &where))) {
			state_set_status(a, true,
					 "Not reverting into %s: snapshot '%s' lives in %s, built on it, and would no "
					 "longer match (delete '%s' first)",
					 f->path, other->name, where, other->name);
			return true;
		}
		if (chainview_read_elsewhere(a, a->sv.host, a->sv.vm, f->disk, f->path, NULL, 0, "Not reverting into"))
			return true;
	}
	return false;
}

/* The state a revert leaves the VM in, which is the snapshot's (the
 * backend reverts with no RUNNING or PAUSED flag), when it differs from
 * the VM's now; "" when the same. */
static const char *state_after_revert(const struct be_vm *v, const struct be_snapshot *s, char *buf, size_t n)
{
	bool live = v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED;

	buf[0] = '\0';
	if (!strcmp(s->state, "running") && v->state != BE_VM_RUNNING)
		snprintf(buf, n, "Afterwards %s runs, from the snapshot's memory.\n", v->name);
	else if (!strcmp(s->state, "paused") && v->state != BE_VM_PAUSED)
		snprintf(buf, n, "Afterwards %s is paused, as it was when the snapshot was taken.\n", v->name);
	else if (strcmp(s->state, "running") && strcmp(s->state, "paused") && live)
		snprintf(buf, n, "Afterwards %s is shut off: the snapshot holds no memory to run from.\n", v->name);
	return buf;
}

static void revert(struct app *a, const struct be_snapshot *s)
{
	const struct be_vm *v = jobs_changeable(a, a->sv.host, a->sv.vm);
	struct cmd c = {.type = CMD_SNAP_REVERT};
	char what[1024], list[2000] = "", more[2000], left[2400] = "", after[400], plan[3000];
	size_t i;

	if (!v || !state_name_fits(a, "snapshot", s->name) || revert_refused(a, s) ||
	    snapext_revert_refused(a, v, s, plan, sizeof(plan)))
		return;
	str_copy(c.name, v->name, sizeof(c.name));
	c.host = v->host;
	str_copy(c.snap, s->name, sizeof(c.snap));
	for (i = 0; i < s->nfiles; i++) {
		char *unused = c.u.snap_revert.unused;
		size_t len = strlen(unused);

		left_unused(a, &s->files[i], unused + len, sizeof(c.u.snap_revert.unused) - len, more, sizeof(more));
		str_copy(list + strlen(list), more, sizeof(list) - strlen(list));
	}
	if (list[0])
		snprintf(left, sizeof(left),
			 "These layers leave the chain and nothing else uses them (you are asked\n"
			 "whether to delete them once the revert is done):\n%s",
			 list);
	snprintf(what, sizeof(what), "Revert %s to '%s'", v->name, s->name);
	if (v->state == BE_VM_SAVED) {
		c.u.snap_revert.discard_save = true;
		dialog_confirm(a, &c, jobs_start_asked, what,
			    "%s is hibernated (it has a managed save image). After a revert that saved\n"
			    "memory no longer matches the disks: resuming it would corrupt the guest.\n"
			    "Discard the saved state and revert to '%s'?\n%s%s"
			    "Lost: the hibernated memory and the disk state since '%s'.",
			    v->name, s->name, state_after_revert(v, s, after, sizeof(after)), left, s->name);
		return;
	}
	dialog_confirm(a, &c, jobs_start_asked, what,
		    "Revert %s to snapshot '%s'?\n%s%s%sLost: the current disk state%s since '%s'.", v->name, s->name,
		    state_after_revert(v, s, after, sizeof(after)), plan, left,
		    v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED ? " and the running memory" : "", s->name);
}

/* The names that mode would delete, one per line in tree order, into buf.
 * Below target is the run of rows of the full layout after its own that
 * are deeper than it: one pass, whatever the tree's shape. */
static size_t victims(const struct snapview *sv, size_t target, enum be_snap_delete mode, char *buf, size_t n)
{
	size_t r = tree_layout_find(&sv->full, target), end, count = 0, len = 0, shown = 0;
	bool subtree = mode == BE_DEL_WITH_CHILDREN || mode == BE_DEL_CHILDREN_ONLY;

	buf[0] = '\0';
	if (r == TREE_NONE)
		return 0;
	for (end = r + 1; subtree && end < sv->full.n && sv->full.rows[end].depth > sv->full.rows[r].depth; end++)
		;
	if (mode == BE_DEL_CHILDREN_ONLY)
		r++;
	for (; r < end; r++) {
		count++;
		if (shown < 12 && len < n) {
			len += (size_t)snprintf(buf + len, n - len, "  %s\n", sv->snaps.s[sv->full.rows[r].node].name);
			shown++;
		}
	}
	if (count > shown && len < n)
		snprintf(buf + len, n - len, "  ... and %zu more\n", count - shown);
	return count;
}

/* The delete menu's items: what goes, as libvirt's delete modes. */
static const struct {
	int key;
	enum be_snap_delete mode;
	const char *label, *name;
} delete_modes[] = {
	{'t', BE_DEL_ONE, "this snapshot only (its children move up)", "this one"},
	{'c', BE_DEL_WITH_CHILDREN, "this snapshot and all its children", "with its children"},
	{'o', BE_DEL_CHILDREN_ONLY, "its children only", "its children only"},
	{'m', BE_DEL_METADATA, "its metadata only (the image keeps the data)", "metadata only"},
};

static void delete_done(struct app *a, int key, struct cmds *out);

static void ask_delete(struct app *a, const struct be_snapshot *s)
{
	struct dialog_item items[ARRAY_LEN(delete_modes)];
	struct cmd c = {.type = CMD_SNAP_DELETE, .host = a->sv.host};
	char title[sizeof(a->dlg.title)];
	size_t i;

	if (!jobs_changeable(a, a->sv.host, a->sv.vm) || !state_name_fits(a, "snapshot", s->name))
		return;
	str_copy(c.name, a->sv.vm, sizeof(c.name));
	str_copy(c.uuid, a->sv.uuid, sizeof(c.uuid));
	str_copy(c.snap, s->name, sizeof(c.snap));
	for (i = 0; i < ARRAY_LEN(delete_modes); i++)
		items[i] = (struct dialog_item){delete_modes[i].key, delete_modes[i].label};
	snprintf(title, sizeof(title), "Delete snapshot '%s'", s->name);
	dialog_menu(a, &c, title, "What goes? (Esc cancels)", items, (int)ARRAY_LEN(items), delete_done);
}

static void delete_done(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd; /* the confirmation below replaces the menu */
	size_t target = snap_index(&a->sv, c.snap), n, i;
	const struct be_snapshot *s;
	char list[3600], what[1024], merge[3000] = "";

	(void)out;
	for (i = 0; i < ARRAY_LEN(delete_modes) && delete_modes[i].key != key; i++)
		;
	if (i == ARRAY_LEN(delete_modes) || target == TREE_NONE) {
		dialog_cancel(a);
		return;
	}
	n = victims(&a->sv, target, delete_modes[i].mode, list, sizeof(list));
	if (!n) {
		dialog_close(a);
		state_set_status(a, true, "'%s' has no children", c.snap);
		return;
	}
	s = &a->sv.snaps.s[target];
	if (s->external && delete_modes[i].mode != BE_DEL_METADATA) {
		if (delete_modes[i].mode != BE_DEL_ONE) {
			dialog_close(a);
			state_set_status(a, true, "'%s' is external: delete it on its own, then its children, one at a time",
					 s->name);
			return;
		}
		if (snapext_delete_refused(a, s, merge, sizeof(merge))) {
			dialog_close(a);
			return;
		}
	}
	/* The confirmation takes the menu's place, before any question that
	 * waited behind the menu. */
	c.u.snap_delete.mode = delete_modes[i].mode;
	snprintf(what, sizeof(what), "Delete '%s' of %s: %s", c.snap, c.name, delete_modes[i].name);
	dialog_confirm(a, &c, jobs_start_asked, what, "%s %zu snapshot%s of %s:\n%s%s",
		       c.u.snap_delete.mode == BE_DEL_METADATA ? "Forget" : "Delete", n, n == 1 ? "" : "s", c.name,
		       list, merge);
}

/* The selected snapshot's details, the description whole (the details
 * pane has a few rows for it), into the message log, shown from its
 * start. */
static void show_whole(struct app *a, const struct be_snapshot *s)
{
	char when[40], files[3000];
	size_t i;

	if (!s) {
		state_set_status(a, true, "No snapshot selected");
		return;
	}
	files[0] = '\0';
	for (i = 0; i < s->nfiles; i++) {
		size_t len = strlen(files);

		snprintf(files + len, sizeof(files) - len, "\n  %s %s %s%s%s", s->files[i].disk,
			 s->files[i].external ? "frozen in" : "inside", s->files[i].path,
			 s->files[i].overlay ? ", under overlay " : "", s->files[i].overlay ? s->files[i].overlay : "");
	}
	state_set_status(a, false, "Snapshot '%s' of %s: created %s, %s, %s (%s, %s)%s.\nDescription: %s%s%s%s%s",
			 s->name, a->sv.vm, time_text(s->ctime, "%Y-%m-%d %H:%M:%S", when, sizeof(when)), s->state,
			 be_snap_kind_name(be_snap_kind(s)), s->memory ? "with memory" : "disks only",
			 s->external ? "external" : "internal", s->current ? ", current" : "",
			 s->description[0] ? s->description : "(none)", files[0] ? "\nDisk state:" : "", files,
			 s->memfile ? "\nMemory file: " : "", s->memfile ? s->memfile : "");
	logview_open_newest(a);
}

/* The snapshot tree pane's requests. */
static enum request tree_request(struct app *a, enum request req, struct cmds *out)
{
	struct snapview *sv = &a->sv;
	const struct be_snapshot *s = snapview_selected(a);

	(void)out;
	switch (req) {
	case REQ_TOGGLE: toggle(a); return REQ_NONE;
	case REQ_SNAP_INFO: show_whole(a, s); return REQ_NONE;
	case REQ_SNAP_REVERT:
	case REQ_SNAP_DELETE:
		if (!s)
			state_set_status(a, true, "No snapshot selected");
		else if (req == REQ_SNAP_REVERT)
			revert(a, s);
		else
			ask_delete(a, s);
		break;
	default:
		if (!listpos_move(&sv->tree_pos, req, sv->layout.n, state_list_height(a)))
			return req;
	}
	snapview_scroll(a);
	return REQ_NONE;
}

/* The VM screen's requests, in either pane: its VM's, and the panes'. */
static enum request snapview_request(struct app *a, enum request req, struct cmds *out)
{
	struct snapview *sv = &a->sv;
	const struct be_disk *d;
	size_t k;

	switch (req) {
	case REQ_NEXT_PANE:
		sv->pane = sv->pane == PANE_CHAIN ? PANE_SNAPSHOTS : PANE_CHAIN;
		/* Every VM's chains, behind the pane: which images are shared.
		 * Read once (again on Ctrl-L or the images screen): the backend
		 * checks afresh before it changes anything. */
		if (sv->pane == PANE_CHAIN && (!a->img_loaded || a->img_host != sv->host) && !a->img_loading)
			images_load(a, sv->host, out);
		chainview_scroll(a);
		return REQ_NONE;
	case REQ_START:
	case REQ_SHUTDOWN:
	case REQ_FORCE_OFF:
	case REQ_PAUSE:
	case REQ_HIBERNATE:
	case REQ_DISCARD_SAVE:
		lifecycle_request(a, sv->host, sv->vm, req, out);
		return REQ_NONE;
	case REQ_BACK:
	case REQ_CANCEL:
		a->screen = SCREEN_VMLIST;
		a->redraw = true;
		return REQ_NONE;
	case REQ_SNAP_TAKE:
		snapview_take(a, sv->host, sv->vm, out);
		a->redraw = true;
		return REQ_NONE;
	case REQ_CLONE:
		clone_ask(a, sv->host, sv->vm, NULL, NULL);
		return REQ_NONE;
	case REQ_IMG_CHECK: /* the chain pane's image tools, which the pane hands on */
		checkview_check(a, out);
		return REQ_NONE;
	case REQ_INSIDE_DELETE:
		if ((d = chainview_changeable_disk(a, false, &k)))
			checkview_inside_delete(a, d, k);
		return REQ_NONE;
	case REQ_CHAIN_COPY:
		if ((d = chainview_changeable_disk(a, true, &k)))
			checkview_copy(a, d);
		return REQ_NONE;
	case REQ_SCREEN_IMAGES: /* the images of this VM's host */
		images_open(a, sv->host, out);
		return REQ_NONE;
	default:
		return req;
	}
}

static void offer_forced_revert(struct app *a, struct event *ev)
{
	struct cmd c = {.type = CMD_SNAP_REVERT, .u.snap_revert.force = true};
	char what[1024];

	str_copy(c.name, ev->name, sizeof(c.name));
	c.host = ev->host;
	str_copy(c.snap, ev->snap, sizeof(c.snap));
	snprintf(what, sizeof(what), "Forced revert of %s to '%s'", ev->name, ev->snap);
	dialog_confirm(a, &c, jobs_start_asked, what,
		    "libvirt calls this revert risky:\n  %s\n"
		    "The snapshot's configuration cannot be applied to the VM as it is (for\n"
		    "example a running VM that must be restarted). Revert anyway, forced?",
		    ev->err.msg);
}

void snapview_op_done(struct app *a, struct event *ev, struct cmds *out)
{
	const struct job *j = jobs_find(a, ev->job);

	if (ev->rc < 0 && ev->op == CMD_SNAP_REVERT && ev->err.kind == BE_ERR_REVERT_RISKY)
		offer_forced_revert(a, ev);
	else if (ev->rc < 0 && ev->err.kind == BE_ERR_REFUSED)
		state_set_status(a, true, "%s refused: %s", j ? j->what : "The operation", ev->err.msg);
	else if (ev->rc < 0)
		state_set_status(a, true, "%s failed: %s", j ? j->what : "The operation", ev->err.msg);
	else if ((ev->op == CMD_SNAP_CREATE || ev->op == CMD_OVERLAY_NEW) && ev->text[0])
		state_set_status(a, false, "%s: done; %s", j ? j->what : "The operation", ev->text); /* not quiesced */
	else if (ev->op == CMD_BLOCK_COMMIT)
		state_set_status(a, false, "%s: under way; it pivots once libvirt reports it ready",
				 j ? j->what : "The commit");
	else
		state_set_status(a, false, "%s: done", j ? j->what : "The operation");
	if (!ev->name[0]) { /* the host's images changed, no VM */
		if (a->img_loaded && a->img_host == ev->host)
			images_load(a, ev->host, out);
		return;
	}
	state_load_vms(a, ev->host, out, false);
	if (j && ev->rc == 0 && ev->op == CMD_SNAP_REVERT)
		jobs_offer_delete(a, j);
	if (ev->host == a->sv.host && !strcmp(ev->name, a->sv.vm) && ev->rc == 0 && ev->op == CMD_SNAP_CREATE)
		str_copy(a->sv.pending, ev->snap, sizeof(a->sv.pending));
	snapview_vm_changed(a, ev->host, ev->name, out);
}

/* Ctrl-L: the VM's tree and chains afresh, and who shares which image
 * while the chains are worked on. */
static void snapview_reload(struct app *a, struct cmds *out)
{
	if (a->sv.pane == PANE_CHAIN && !a->img_loading)
		images_load(a, a->sv.host, out);
	snapview_load(a, a->sv.host, a->sv.vm, out);
}

static size_t snapview_pane(const struct app *a)
{
	return a->sv.pane;
}

static const struct hint tree_hints[] = {
	{REQ_HELP, NULL, NULL},        {REQ_BACK, NULL, NULL},        {REQ_NEXT_PANE, "chains", NULL},
	{REQ_SNAP_TAKE, NULL, NULL},   {REQ_SNAP_REVERT, NULL, NULL}, {REQ_SNAP_DELETE, NULL, NULL},
	{REQ_TOGGLE, NULL, NULL},      {REQ_SCREEN_JOBS, NULL, NULL}, {REQ_NONE, NULL, NULL},
};

static const struct pane tree_pane = {
	.name = "snapshot tree",
	.scope = SCOPE_SNAPSHOTS,
	.request = tree_request,
	.scroll = snapview_scroll,
	.hints = tree_hints,
};

static const struct pane *const panes[] = {
	[PANE_SNAPSHOTS] = &tree_pane,
	[PANE_CHAIN] = &chainview_pane,
};

/* Its own keys are those of the snapshot tree's scope (s, S, D, ...): they
 * work in the chain pane too, after its own. */
const struct screen snapview_screen = {
	.scope = SCOPE_SNAPSHOTS,
	.request = snapview_request,
	.reload = snapview_reload,
	.panes = panes,
	.npanes = ARRAY_LEN(panes),
	.pane = snapview_pane,
	.open_vm = snapview_open,
};
