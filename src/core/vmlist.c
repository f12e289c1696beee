/* The VM list screen: every host's VMs in rows, filtered by name as it is
 * typed and sorted by a column; opening a VM, acting on it, quitting. */
#include "core/vmlist.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/clone.h"
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
	const struct be_vm *cur = app_selected(a);
	char keep[37] = "";

	if (cur)
		str_copy(keep, cur->uuid, sizeof(keep));
	vmlist_rebuild_keeping(a, cur ? cur->host : -1, keep);
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
	} else if (!app_edit_text(a->filter, sizeof(a->filter), key)) {
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
		if (app_selected(a))
			snapview_open(a, app_selected(a)->host, app_selected(a)->name, out);
		return REQ_NONE;
	case REQ_SNAP_TAKE:
		if (app_selected(a))
			snapview_take(a, app_selected(a)->host, app_selected(a)->name, out);
		return REQ_NONE;
	case REQ_CLONE:
		if (app_selected(a))
			clone_ask(a, app_selected(a)->host, app_selected(a)->name, NULL, NULL);
		return REQ_NONE;
	case REQ_VM_DELETE:
		if (app_selected(a))
			vmdelete_ask(a, app_selected(a)->host, app_selected(a)->name, out);
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
		state_set_status(a, false, "Sorted by %s", app_sort_name(a->sort));
		return REQ_NONE;
	case REQ_START:
	case REQ_SHUTDOWN:
	case REQ_FORCE_OFF:
	case REQ_PAUSE:
	case REQ_HIBERNATE:
		if (app_selected(a))
			lifecycle_request(a, app_selected(a)->host, app_selected(a)->name, req, out);
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
	return app_sort_name(a->sort);
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
