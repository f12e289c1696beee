#include "core/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkview.h"
#include "core/help.h"
#include "shared/util.h"
#include "core/clone.h"
#include "core/vmdelete.h"
#include "core/vmlist.h"

void app_init(struct app *a, const char *uri, const char *host, bool readonly)
{
	memset(a, 0, sizeof(*a));
	if (uri) {
		app_add_host(a, host, uri, readonly);
		a->hosts[0].state = HOST_UP;
	}
	a->term_rows = 24;
	a->term_cols = 80;
	a->redraw = true;
	a->full_redraw = true;
	a->on_status = logview_scroll;
}

int app_add_host(struct app *a, const char *name, const char *uri, bool readonly)
{
	struct host *h;

	a->hosts = xrealloc(a->hosts, (a->nhosts + 1) * sizeof(*a->hosts));
	h = &a->hosts[a->nhosts];
	memset(h, 0, sizeof(*h));
	str_copy(h->uri, uri ? uri : "", sizeof(h->uri));
	h->named = name && *name;
	str_copy(h->name, h->named ? name : "", sizeof(h->name));
	h->readonly = readonly;
	h->state = HOST_CONNECTING;
	a->nhosts++;
	hosts_name(a, h, h->uri, a->local_host[0] ? a->local_host : "localhost");
	return (int)a->nhosts - 1;
}

void app_set_local_host(struct app *a, const char *name)
{
	str_copy(a->local_host, name, sizeof(a->local_host));
}

void app_free(struct app *a)
{
	snapview_free(&a->sv);
	images_free(&a->images);
	imgcheck_report_clear(&a->checks);
	imginfo_map_clear(&a->imginfo);
	free(a->jobs);
	a->jobs = NULL;
	a->njobs = 0;
	be_vm_list_clear(&a->vms);
	free(a->hosts);
	a->hosts = NULL;
	a->nhosts = 0;
	free(a->rows);
	a->rows = NULL;
	a->nrows = 0;
	msglog_free(&a->log);
	dialog_clear(&a->dlg);
	dialog_clear(&a->dlg_next);
}

const char *app_sort_name(enum sort_col c)
{
	static const char *names[SORT_COUNT] = {"name", "state", "snapshots", "chain", "vCPUs", "memory"};

	return c < SORT_COUNT ? names[c] : "";
}

const struct be_vm *app_row_vm(const struct app *a, size_t i)
{
	return i < a->nrows ? &a->vms.vms[a->rows[i]] : NULL;
}

const struct be_vm *app_selected(const struct app *a)
{
	return app_row_vm(a, a->list_pos.sel);
}

bool jobs_any_active(const struct app *a)
{
	size_t i;

	for (i = 0; i < a->njobs; i++)
		if (job_active(&a->jobs[i]))
			return true;
	return false;
}

bool app_wants_tick(const struct app *a)
{
	size_t i;

	/* A host that is down is tried again every few seconds (not one that
	 * waits for R). */
	for (i = 0; i < a->nhosts; i++)
		if (a->hosts[i].state == HOST_DOWN && a->hosts[i].retry_ms != HOST_NEVER)
			return true;
	/* A ready commit waiting for its pivot too: it is looked at every few
	 * seconds, in case its end's event is lost. */
	for (i = 0; i < a->njobs; i++)
		if (job_active(&a->jobs[i]))
			return true;
	return false;
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

static void merge_details(struct app *a, int host, const struct be_vm_list *d)
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

/* The requests of every screen, after the screen's own: what it did not
 * use. */
static enum request global_request(struct app *a, enum request req, struct cmds *out)
{
	const struct screen *s = screen_of(a->screen);
	struct cmd *c;

	switch (req) {
	case REQ_REFRESH:
		a->full_redraw = true;
		a->redraw = true;
		state_load_vms(a, -1, out, true);
		if (out->n && out->c[out->n - 1].type == CMD_LOAD_VMS)
			out->c[out->n - 1].u.load_vms.refresh_pools = true; /* files made behind their back */
		if ((c = cmd_push(out, CMD_FIND_BLOCK_JOBS)))
			c->host = -1;
		if (s->reload)
			s->reload(a, out);
		return REQ_NONE;
	case REQ_RECONNECT:
		hosts_reconnect(a, out, true);
		return REQ_NONE;
	case REQ_HELP:
		help_open(a);
		return REQ_NONE;
	case REQ_SCREEN_VMS:
		a->screen = SCREEN_VMLIST;
		a->redraw = true;
		return REQ_NONE;
	case REQ_SCREEN_JOBS:
		a->screen = SCREEN_JOBS;
		a->redraw = true;
		return REQ_NONE;
	case REQ_MESSAGES:
		logview_open(a);
		return REQ_NONE;
	case REQ_SCREEN_IMAGES:
		/* The images of the host of the VM selected. */
		images_open(a, app_selected(a) ? app_selected(a)->host : 0, out);
		return REQ_NONE;
	default:
		return req;
	}
}

static void on_key(struct app *a, int key, struct cmds *out)
{
	const struct screen *s = screen_of(a->screen);

	if (a->dlg.kind != DLG_NONE) {
		app_dialog_key(a, key, out);
		return;
	}
	if (s->key && s->key(a, key))
		return;
	screen_key(a, key, global_request, out);
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

static void on_loaded(struct app *a, struct event *ev, struct cmds *out)
{
	const struct be_vm *cur = app_selected(a);
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

void app_handle(struct app *a, struct event *ev, struct cmds *out)
{
	if (ev->now_ms)
		a->now_ms = ev->now_ms;
	if (ev->wall)
		a->wall = ev->wall;
	switch (ev->type) {
	case EV_KEY:
		on_key(a, ev->key, out);
		break;
	case EV_RESIZE:
		a->term_rows = ev->rows;
		a->term_cols = ev->cols;
		screen_scroll_all(a);
		a->full_redraw = true;
		a->redraw = true;
		break;
	case EV_TICK:
		jobs_tick(a, out);
		hosts_reconnect(a, out, false);
		break;
	case EV_CONNECTED:
		hosts_connected(a, ev, out);
		break;
	case EV_AUTH:
		hosts_auth(a, ev);
		break;
	case EV_HOST_SLOW:
		hosts_slow(a, ev);
		break;
	case EV_SNAPSHOTS:
		snapview_loaded(a, ev);
		checkview_info_loaded(a, ev);
		break;
	case EV_OP_DONE:
		if (ev->op == CMD_JOB_ABORT) {
			if (ev->rc < 0)
				state_set_status(a, true, "Cannot abort: %s", ev->err.msg);
			else
				state_set_status(a, false, "Abort requested");
			break;
		}
		if (ev->op == CMD_TOOL_ABORT)
			break; /* the check ends with its own answer */
		if (ev->op == CMD_IMG_CHECK || ev->op == CMD_IMG_REPAIR) {
			checkview_done(a, ev, out);
			break;
		}
		if (ev->op == CMD_BLOCK_ABORT || ev->op == CMD_BLOCK_COMMIT || ev->op == CMD_CHAIN_COPY || ev->op == CMD_COMMIT_RECOVER) {
			blockjobs_op_done(a, ev, out);
			break;
		}
		jobs_done(a, ev);
		if (ev->op == CMD_VM_DELETE)
			vmdelete_done(a, ev, out);
		else if (ev->op == CMD_VM_CLONE)
			clone_done(a, ev, out);
		else if (ev->op == CMD_ACT)
			lifecycle_done(a, ev, out);
		else
			snapview_op_done(a, ev, out);
		break;
	case EV_BLOCK_EVENT:
		blockjobs_event(a, ev, out);
		break;
	case EV_BLOCK_INFO:
		blockjobs_info(a, ev, out);
		break;
	case EV_BLOCK_JOBS:
		blockjobs_found(a, ev);
		break;
	case EV_JOB_INFO:
		jobs_info(a, ev);
		break;
	case EV_IMAGES:
		images_loaded(a, ev);
		break;
	case EV_VMS_LOADED:
		on_loaded(a, ev, out);
		break;
	case EV_DETAILS:
		merge_details(a, ev->host, &ev->list);
		break;
	case EV_VM_CHANGED:
		state_load_vms(a, ev->host, out, false);
		/* A revert or a start elsewhere changes the tree's current mark. */
		if (ev->name[0])
			app_vm_changed(a, ev->host, ev->name, out);
		break;
	case EV_CONN_CLOSED:
		hosts_closed(a, ev);
		break;
	}
}
