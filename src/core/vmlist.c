/* The VM list screen: every host's VMs in rows, filtered by name as it is
 * typed and sorted by a column; opening a VM, acting on it, quitting. */
#include "core/vmlist.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clone.h"
#include "core/cmd.h"
#include "core/dialog.h"
#include "core/jobs.h"
#include "core/lifecycle.h"
#include "core/listpos.h"
#include "core/snapview.h"
#include "core/state.h"
#include "core/vmdelete.h"
#include "shared/util.h"

static const struct app *sort_app; /* qsort has no context argument */

static int cmp_num_desc(long long x, long long y)
{
	return x < y ? 1 : x > y ? -1 : 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct be_vm *x = &sort_app->vms.vms[*(const size_t *)pa];
	const struct be_vm *y = &sort_app->vms.vms[*(const size_t *)pb];
	int c = 0;

	/* Several hosts: grouped by host, in the order they were given. */
	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	switch (sort_app->sort) {
	case SORT_STATE: c = (int)x->state - (int)y->state; break;
	case SORT_SNAPSHOTS: c = cmp_num_desc(x->nsnap, y->nsnap); break;
	case SORT_CHAIN: c = cmp_num_desc(x->chain_depth, y->chain_depth); break;
	case SORT_VCPUS: c = cmp_num_desc(x->vcpus, y->vcpus); break;
	case SORT_MEMORY: c = cmp_num_desc(x->mem_kib, y->mem_kib); break;
	case SORT_NAME:
	case SORT_COUNT: break;
	}
	if (!c)
		c = strcasecmp(x->name, y->name);
	return c ? c : strcmp(x->name, y->name);
}

/* Rebuilds the visible rows from the list, filter and sort, keeping the
 * selection on the VM with uuid keep (of host keep_host) where it is still
 * shown. */
static void rebuild_rows_keeping(struct app *a, int keep_host, const char *keep)
{
	size_t i, n = 0;

	a->rows = xrealloc(a->rows, (a->vms.n ? a->vms.n : 1) * sizeof(*a->rows));
	for (i = 0; i < a->vms.n; i++)
		if (str_contains_nocase(a->vms.vms[i].name, a->filter))
			a->rows[n++] = i;
	a->nrows = n;
	sort_app = a;
	qsort(a->rows, n, sizeof(*a->rows), cmp_rows);
	sort_app = NULL;
	for (i = 0; keep && keep[0] && i < n; i++)
		if (a->vms.vms[a->rows[i]].host == keep_host && !strcmp(a->vms.vms[a->rows[i]].uuid, keep)) {
			a->list_pos.sel = i;
			break;
		}
	a->redraw = true;
}

void vmlist_scroll(struct app *a)
{
	listpos_scroll(&a->list_pos, a->nrows, state_list_height(a));
}

void vmlist_rebuild_keeping(struct app *a, int keep_host, const char *keep)
{
	rebuild_rows_keeping(a, keep_host, keep);
	vmlist_scroll(a);
}

void vmlist_rebuild(struct app *a)
{
	const struct be_vm *cur = vmlist_selected(a);
	char keep[37] = "";

	if (cur)
		str_copy(keep, cur->uuid, sizeof(keep));
	vmlist_rebuild_keeping(a, cur ? cur->host : -1, keep);
}

const struct be_vm *vmlist_row(const struct app *a, size_t i)
{
	return i < a->nrows ? &a->vms.vms[a->rows[i]] : NULL;
}

const struct be_vm *vmlist_selected(const struct app *a)
{
	return vmlist_row(a, a->list_pos.sel);
}

const char *vmlist_sort_name(enum sort_col c)
{
	static const char *names[SORT_COUNT] = {"name", "state", "snapshots", "chain", "vCPUs", "memory"};

	return c < SORT_COUNT ? names[c] : "";
}

/* VMs by host and uuid: a list of thousands is merged in n log n, not n
 * squared (a reload follows every lifecycle event). */
static int cmp_key(const void *pa, const void *pb)
{
	const struct be_vm *x = *(const struct be_vm *const *)pa, *y = *(const struct be_vm *const *)pb;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return strcmp(x->uuid, y->uuid);
}

static struct be_vm **vm_index(const struct be_vm_list *l)
{
	struct be_vm **idx = xmalloc((l->n ? l->n : 1) * sizeof(*idx));
	size_t i;

	for (i = 0; i < l->n; i++)
		idx[i] = &l->vms[i];
	qsort(idx, l->n, sizeof(*idx), cmp_key);
	return idx;
}

static struct be_vm *vm_find(struct be_vm **idx, size_t n, int host, const char *uuid)
{
	struct be_vm key = {.host = host}, *k = &key, **hit;

	str_copy(key.uuid, uuid, sizeof(key.uuid));
	hit = bsearch(&k, idx, n, sizeof(*idx), cmp_key);
	return hit ? *hit : NULL;
}

/* Details (snapshot count, chain depth) survive a list reload: the bulk
 * call does not carry them, and they only change on events. */
static void keep_details(struct be_vm_list *fresh, const struct be_vm_list *old)
{
	struct be_vm **idx = vm_index(old);
	size_t i;

	for (i = 0; i < fresh->n; i++) {
		struct be_vm *v = &fresh->vms[i];
		const struct be_vm *o = vm_find(idx, old->n, v->host, v->uuid);

		if (!o)
			continue;
		if (v->nsnap < 0)
			v->nsnap = o->nsnap;
		if (v->chain_depth < 0)
			v->chain_depth = o->chain_depth;
		if (v->vcpus < 0)
			v->vcpus = o->vcpus;
		if (v->mem_kib < 0)
			v->mem_kib = o->mem_kib;
	}
	free(idx);
}

void vmlist_images_read(struct app *a, struct cmds *out)
{
	const struct be_vm *v = vmlist_selected(a);

	/* Only where U left it: the same VM selected, nothing asked since. */
	if (a->delete_waits[0] && a->screen == SCREEN_VMLIST && a->dlg.kind == DLG_NONE && a->img_loaded && v &&
	    v->host == a->img_host && !strcmp(v->uuid, a->delete_waits))
		vmdelete_ask(a, v->host, v->name, out);
	a->delete_waits[0] = '\0';
}

void vmlist_details(struct app *a, int host, const struct be_vm_list *d)
{
	struct be_vm **idx = vm_index(&a->vms);
	size_t i;

	for (i = 0; i < d->n; i++) {
		struct be_vm *v = vm_find(idx, a->vms.n, host, d->vms[i].uuid);

		if (!v)
			continue;
		v->nsnap = d->vms[i].nsnap;
		v->chain_depth = d->vms[i].chain_depth;
		if (d->vms[i].vcpus >= 0)
			v->vcpus = d->vms[i].vcpus;
		if (d->vms[i].mem_kib >= 0)
			v->mem_kib = d->vms[i].mem_kib;
	}
	free(idx);
	switch (a->sort) {
	case SORT_SNAPSHOTS:
	case SORT_CHAIN:
	case SORT_VCPUS:
	case SORT_MEMORY:
		vmlist_rebuild(a); /* sorted by a detail, the rows may have moved */
		break;
	case SORT_NAME:
	case SORT_STATE:
	case SORT_COUNT:
		a->redraw = true; /* the rows stay where they are */
		break;
	}
}

/* The host's VMs in the list are replaced by fresh, the others kept. */
static void replace_host_vms(struct app *a, int host, struct be_vm_list *fresh)
{
	struct be_vm_list merged;
	size_t i;

	merged.vms = xcalloc(a->vms.n + fresh->n + 1, sizeof(*merged.vms));
	merged.n = 0;
	for (i = 0; i < a->vms.n; i++) {
		if (a->vms.vms[i].host == host)
			be_vm_clear(&a->vms.vms[i]);
		else
			merged.vms[merged.n++] = a->vms.vms[i];
	}
	for (i = 0; i < fresh->n; i++)
		merged.vms[merged.n++] = fresh->vms[i];
	free(a->vms.vms);
	free(fresh->vms);
	memset(fresh, 0, sizeof(*fresh));
	a->vms = merged;
}

void vmlist_loaded(struct app *a, struct event *ev, struct cmds *out)
{
	const struct be_vm *cur = vmlist_selected(a);
	char keep[37] = "";
	int keep_host = cur ? cur->host : -1;
	struct cmd *c;
	size_t i;

	a->loading = false;
	if (ev->rc < 0) {
		state_set_status(a, true, "Cannot list the VMs of %s: %s", state_host_name(a, ev->host), ev->err.msg);
		return;
	}
	if (cur)
		str_copy(keep, cur->uuid, sizeof(keep));
	for (i = 0; i < ev->list.n; i++)
		ev->list.vms[i].host = ev->host;
	keep_details(&ev->list, &a->vms);
	replace_host_vms(a, ev->host, &ev->list);
	/* A commit left running: on start, and when a host is back. */
	if (state_host(a, ev->host) && !a->hosts[ev->host].loaded && (c = cmd_push(out, CMD_FIND_BLOCK_JOBS))) {
		c->host = ev->host;
		a->hosts[ev->host].loaded = true;
	}
	a->loaded = true;
	vmlist_rebuild_keeping(a, keep_host, keep);
}


/* Keys typed into the filter, until Enter or Esc: each narrows the rows
 * at once; Up and Down still move. */
static bool vmlist_filter_key(struct app *a, int key)
{
	if (!a->filtering)
		return false;
	if (key == VK_ENTER) {
		a->filtering = false;
	} else if (key == VK_ESC) {
		a->filtering = false;
		a->filter[0] = '\0';
	} else if (key == VK_DOWN || key == VK_UP) {
		listpos_move(&a->list_pos, key == VK_DOWN ? REQ_MOVE_DOWN : REQ_MOVE_UP, a->nrows, state_list_height(a));
		vmlist_scroll(a);
		a->redraw = true;
		return true;
	} else if (!dialog_edit_text(a->filter, sizeof(a->filter), key)) {
		return true;
	}
	a->list_pos = (struct listpos){0, 0};
	vmlist_rebuild(a);
	return true;
}

/* The answer to "Quit anyway?" with jobs running. */
static void quit_asked(struct app *a, int key, struct cmds *out)
{
	(void)key;
	dialog_close(a);
	a->quit = true;
	cmd_push(out, CMD_QUIT);
}

static enum request vmlist_request(struct app *a, enum request req, struct cmds *out)
{
	switch (req) {
	case REQ_OPEN:
		if (vmlist_selected(a))
			snapview_open(a, vmlist_selected(a)->host, vmlist_selected(a)->name, out);
		return REQ_NONE;
	case REQ_SNAP_TAKE:
		if (vmlist_selected(a))
			snapview_take(a, vmlist_selected(a)->host, vmlist_selected(a)->name, out);
		return REQ_NONE;
	case REQ_CLONE:
		if (vmlist_selected(a))
			clone_ask(a, vmlist_selected(a)->host, vmlist_selected(a)->name, NULL, NULL);
		return REQ_NONE;
	case REQ_VM_DELETE:
		if (vmlist_selected(a))
			vmdelete_ask(a, vmlist_selected(a)->host, vmlist_selected(a)->name, out);
		return REQ_NONE;
	case REQ_BACK:
		if (jobs_any_active(a)) {
			struct cmd quit = {.type = CMD_QUIT};

			dialog_confirm(a, &quit, quit_asked, "Quit",
				    "Jobs are still running. libvirt carries them on without vmmanager,\n"
				    "but you will not see how they end; a ready commit waits for its pivot.\n"
				    "A shut-off VM's commit stops, as that VM runs only for vmmanager: its\n"
				    "chain stays as it was. Quit anyway?");
			return REQ_NONE;
		}
		a->quit = true;
		cmd_push(out, CMD_QUIT);
		return REQ_NONE;
	case REQ_CANCEL:
		if (a->filter[0]) {
			a->filter[0] = '\0';
			vmlist_rebuild(a);
		}
		return REQ_NONE;
	case REQ_FILTER:
		a->filtering = true;
		a->redraw = true;
		return REQ_NONE;
	case REQ_SORT:
		a->sort = (enum sort_col)((a->sort + 1) % SORT_COUNT);
		vmlist_rebuild(a);
		state_set_status(a, false, "Sorted by %s", vmlist_sort_name(a->sort));
		return REQ_NONE;
	case REQ_START:
	case REQ_SHUTDOWN:
	case REQ_FORCE_OFF:
	case REQ_PAUSE:
	case REQ_HIBERNATE:
		if (vmlist_selected(a))
			lifecycle_request(a, vmlist_selected(a)->host, vmlist_selected(a)->name, req, out);
		else
			state_set_status(a, true, "No VM selected");
		return REQ_NONE;
	default:
		if (!listpos_move(&a->list_pos, req, a->nrows, state_list_height(a)))
			return req;
		vmlist_scroll(a);
		a->redraw = true;
		return REQ_NONE;
	}
}

static const char *sort_note(const struct app *a)
{
	return vmlist_sort_name(a->sort);
}

static const struct hint vmlist_hints[] = {
	{REQ_HELP, NULL, NULL},   {REQ_BACK, "quit", NULL},      {REQ_OPEN, NULL, NULL},
	{REQ_FILTER, NULL, NULL}, {REQ_SORT, NULL, sort_note},   {REQ_SCREEN_JOBS, NULL, NULL},
	{REQ_NONE, NULL, NULL},
};

const struct screen vmlist_screen = {
	.scope = SCOPE_VMLIST,
	.request = vmlist_request,
	.scroll = vmlist_scroll,
	.hints = vmlist_hints,
	.key = vmlist_filter_key,
};
