/* The dispatcher: app_handle takes each event and routes it, and each
 * key through the screen shown, to the module it is for. */
#include "core/app.h"

#include <stdlib.h>
#include <string.h>

#include "core/blockjobs.h"
#include "core/checkview.h"
#include "core/clone.h"
#include "core/cmd.h"
#include "core/dialog.h"
#include "core/help.h"
#include "core/hosts.h"
#include "core/images.h"
#include "core/imgcheck.h"
#include "core/jobs.h"
#include "core/lifecycle.h"
#include "core/logview.h"
#include "core/msglog.h"
#include "core/screen.h"
#include "core/snapview.h"
#include "core/state.h"
#include "core/vmdelete.h"
#include "core/vmlist.h"
#include "shared/util.h"

void app_init(struct app *a, const char *uri, const char *host, bool readonly)
{
	memset(a, 0, sizeof(*a));
	if (uri) {
		hosts_add(a, host, uri, readonly);
		a->hosts[0].state = HOST_UP;
	}
	a->term_rows = 24;
	a->term_cols = 80;
	a->redraw = true;
	a->full_redraw = true;
	a->on_status = logview_scroll;
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
	return jobs_any_active(a);
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
		images_open(a, vmlist_selected(a) ? vmlist_selected(a)->host : 0, out);
		return REQ_NONE;
	default:
		return req;
	}
}

static void on_key(struct app *a, int key, struct cmds *out)
{
	const struct screen *s = screen_of(a->screen);

	a->delete_waits[0] = '\0'; /* any key but U again (which sets it) */
	if (a->dlg.kind != DLG_NONE) {
		dialog_key(a, key, out);
		/* A login question that waited behind the dialog shows once it
		 * closed (hosts_show_login keeps keys from it a moment). */
		hosts_show_login(a);
		return;
	}
	if (s->key && s->key(a, key))
		return;
	screen_key(a, key, global_request, out);
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
		checkview_info_load(a, ev, out); /* behind the tree, never before */
		break;
	case EV_IMGINFO:
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
		else if (ev->op == CMD_VM_CLONE) {
			snapview_op_done(a, ev, out); /* says how it went, reads the source again */
			clone_done(a, ev, out);
		}
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
		vmlist_images_read(a, out);
		break;
	case EV_VMS_LOADED:
		vmlist_loaded(a, ev, out);
		break;
	case EV_DETAILS:
		vmlist_details(a, ev->host, &ev->list);
		break;
	case EV_VM_CHANGED:
		state_load_vms(a, ev->host, out, false);
		/* A revert or a start elsewhere changes the tree's current mark. */
		if (ev->name[0])
			snapview_vm_changed(a, ev->host, ev->name, out);
		break;
	case EV_CONN_CLOSED:
		hosts_closed(a, ev);
		break;
	}
}
