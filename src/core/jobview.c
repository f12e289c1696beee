/* The jobs screen (jobview_screen, screen.h): every job of this session
 * and those found running, newest last; aborting one, pivoting a ready
 * commit. Its list is jobs.c's. */
#include <string.h>

#include "core/blockjobs.h"
#include "core/cmd.h"
#include "core/jobs.h"
#include "core/listpos.h"
#include "core/state.h"
#include "shared/util.h"

static enum request jobview_request(struct app *a, enum request req, struct cmds *out)
{
	size_t n = a->njobs;
	struct job *j = a->jobs_pos.sel < n ? &a->jobs[a->jobs_pos.sel] : NULL;
	struct cmd *c;

	switch (req) {
	case REQ_BACK:
	case REQ_CANCEL: a->screen = SCREEN_VMLIST; break;
	case REQ_JOB_PIVOT:
		if (!j || !jobs_is_active(j))
			state_set_status(a, true, "No running job selected");
		else
			blockjobs_pivot(a, j, out);
		break;
	case REQ_JOB_ABORT:
		if (!j || !jobs_is_active(j)) {
			state_set_status(a, true, "No running job selected");
			break;
		}
		if (!state_host_writable(a, j->host))
			break;
		if ((c = cmd_push(out, j->block			 ? CMD_BLOCK_ABORT
					 : j->op == CMD_IMG_CHECK || j->op == CMD_IMG_REPAIR ? CMD_TOOL_ABORT
											      : CMD_JOB_ABORT))) {
			str_copy(c->name, j->vm, sizeof(c->name));
			str_copy(c->uuid, j->uuid, sizeof(c->uuid));
			str_copy(c->disk, j->disk, sizeof(c->disk));
			c->host = j->host;
			c->job = j->id;
			state_set_status(a, false, "Aborting %s...", j->what);
		}
		break;
	default:
		if (!listpos_move(&a->jobs_pos, req, n, state_list_height(a)))
			return req;
	}
	jobs_scroll(a);
	a->redraw = true;
	return REQ_NONE;
}

static const struct hint jobview_hints[] = {
	{REQ_HELP, NULL, NULL},       {REQ_BACK, NULL, NULL},          {REQ_JOB_ABORT, NULL, NULL},
	{REQ_JOB_PIVOT, NULL, NULL},  {REQ_SCREEN_VMS, NULL, NULL},    {REQ_SCREEN_IMAGES, NULL, NULL},
	{REQ_NONE, NULL, NULL},
};

const struct screen jobview_screen = {
	.scope = SCOPE_JOBS,
	.request = jobview_request,
	.scroll = jobs_scroll,
	.hints = jobview_hints,
};
