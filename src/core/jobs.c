/* Long operations as jobs: started by the core, finished by EV_OP_DONE,
 * their progress polled on EV_TICK while they run. */
#include "core/jobs.h"

#include <stdio.h>
#include <string.h>

#include "core/cmd.h"
#include "core/dialog.h"
#include "core/listpos.h"
#include "core/state.h"
#include "shared/util.h"

/* How often a ready block job's state is read. */
#define READY_POLL_MS 5000

/* Finished jobs kept on the jobs screen. */
#define JOBS_KEPT 64

static void keep_recent(struct app *a)
{
	size_t i, j;

	if (a->njobs < JOBS_KEPT)
		return;
	/* Drop the oldest finished job. */
	for (i = 0; i < a->njobs; i++)
		if (!jobs_is_active(&a->jobs[i]))
			break;
	if (i == a->njobs)
		return;
	for (j = i; j + 1 < a->njobs; j++)
		a->jobs[j] = a->jobs[j + 1];
	a->njobs--;
	/* The selection stays on the job it was on. */
	if (a->jobs_pos.sel > i)
		a->jobs_pos.sel--;
	if (a->jobs_pos.top > i)
		a->jobs_pos.top--;
}

struct job *jobs_add(struct app *a, const struct cmd *cmd, const char *what)
{
	struct job *j;
	bool follow;

	keep_recent(a);
	/* The list follows a new job, as tail -f does: unless the operator
	 * is on the jobs screen with another job selected, which a key
	 * (a: abort) may be about to act on. */
	follow = a->screen != SCREEN_JOBS || a->jobs_pos.sel + 1 >= a->njobs;
	a->jobs = xrealloc(a->jobs, (a->njobs + 1) * sizeof(*a->jobs));
	j = &a->jobs[a->njobs++];
	memset(j, 0, sizeof(*j));
	j->id = ++a->next_job;
	j->op = cmd->type;
	j->status = JOB_RUNNING;
	j->started_ms = a->now_ms;
	str_copy(j->vm, cmd->name, sizeof(j->vm));
	str_copy(j->uuid, cmd->uuid, sizeof(j->uuid));
	j->host = cmd->host;
	str_copy(j->disk, cmd->disk, sizeof(j->disk));
	str_copy(j->what, what, sizeof(j->what));
	if (follow) {
		a->jobs_pos.sel = a->njobs - 1;
		jobs_scroll(a);
	}
	a->redraw = true;
	return j;
}

/* The VM cmd names is still the one selected: a form or a question may
 * have waited while the list changed under it. The backend checks again. */
static bool same_vm(struct app *a, const struct cmd *cmd, const char *uuid, const struct be_vm *now)
{
	if (!uuid[0] || !strcmp(uuid, now->uuid))
		return true;
	state_set_status(a, true, "%s is not the VM that was selected any more (renamed or replaced); nothing was done",
			 cmd->name);
	return false;
}

struct job *jobs_start(struct app *a, struct cmds *out, const struct cmd *cmd, const char *what)
{
	const struct be_vm *v = NULL;
	const char *uuid = cmd->uuid[0] ? cmd->uuid : state_vm_uuid(a, cmd->host, cmd->name);
	struct cmd *c;
	struct job *j;

	/* A form or a question may have waited: the VM may be busy by now. */
	/* Work on the host's images alone (an unused image deleted) names no VM. */
	if (cmd->name[0] ? !(v = jobs_changeable(a, cmd->host, cmd->name)) || !same_vm(a, cmd, uuid, v)
			 : !state_host_writable(a, cmd->host))
		return NULL;
	if (!(c = cmd_push(out, cmd->type)))
		return NULL;
	*c = *cmd;
	if (v)
		str_copy(c->uuid, v->uuid, sizeof(c->uuid));
	j = jobs_add(a, c, what);
	if (cmd->type == CMD_BLOCK_COMMIT) {
		j->block = true;
		j->bj_type = BE_BJ_ACTIVE_COMMIT;
		j->offline = cmd->u.block_commit.offline; /* as asked; the backend holds to it */
		str_copy(j->base, cmd->u.block_commit.base, sizeof(j->base));
		str_copy(j->merged, cmd->u.block_commit.merged, sizeof(j->merged));
	}
	if (cmd->type == CMD_CHAIN_COPY) { /* a block copy, pivoted when ready */
		j->block = true;
		j->bj_type = BE_BJ_COPY;
		j->offline = cmd->u.chain_copy.offline;
		str_copy(j->merged, cmd->u.chain_copy.unused, sizeof(j->merged));
	}
	if (cmd->type == CMD_SNAP_REVERT)
		str_copy(j->merged, cmd->u.snap_revert.unused, sizeof(j->merged));
	c->job = j->id;
	state_set_status(a, false, "%s...", what);
	return j;
}

void jobs_start_asked(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd;
	char what[sizeof(a->dlg.title)];

	(void)key;
	str_copy(what, a->dlg.title, sizeof(what));
	dialog_close(a);
	jobs_start(a, out, &c, what);
}

bool jobs_is_active(const struct job *j)
{
	return j->status == JOB_RUNNING || j->status == JOB_READY;
}

struct job *jobs_find(struct app *a, int id)
{
	size_t i;

	for (i = 0; i < a->njobs; i++)
		if (a->jobs[i].id == id)
			return &a->jobs[i];
	return NULL;
}

const struct job *jobs_running_on(const struct app *a, int host, const char *vm)
{
	size_t i;

	for (i = 0; i < a->njobs; i++)
		if (jobs_is_active(&a->jobs[i]) && a->jobs[i].host == host && !strcmp(a->jobs[i].vm, vm))
			return &a->jobs[i];
	return NULL;
}

void jobs_done(struct app *a, struct event *ev)
{
	struct job *j = jobs_find(a, ev->job);

	if (!j)
		return;
	j->status = ev->rc >= 0			   ? JOB_DONE
		    : ev->err.kind == BE_ERR_REFUSED ? JOB_REFUSED
		    : ev->err.kind == BE_ERR_ABORTED ? JOB_ABORTED
		    : ev->err.kind == BE_ERR_CONN    ? JOB_UNKNOWN /* libvirt may go on */
						     : JOB_FAILED;
	j->ended_ms = a->now_ms;
	if (ev->rc < 0)
		str_copy(j->error, ev->err.msg, sizeof(j->error));
	else if (j->total)
		j->done = j->total;
	a->redraw = true;
}

unsigned long long jobs_progress(const struct be_job_info *info)
{
	unsigned long long left;

	if (!info->has_remaining || info->remaining > info->total)
		return info->done;
	/* Zero pages count only as no longer remaining, never as processed. */
	left = info->total - info->remaining;
	return left > info->done ? left : info->done;
}

void jobs_info(struct app *a, struct event *ev)
{
	struct job *j = jobs_find(a, ev->job);

	if (!j)
		return;
	j->polling = false;
	if (j->status != JOB_RUNNING || ev->rc < 0 || !ev->info.active)
		return;
	j->elapsed_ms = ev->info.elapsed_ms;
	j->done = jobs_progress(&ev->info);
	j->total = ev->info.total;
	a->redraw = true;
}

void jobs_tick(struct app *a, struct cmds *out)
{
	size_t i;

	for (i = 0; i < a->njobs; i++) {
		struct job *j = &a->jobs[i];
		struct cmd *c;

		/* A ready commit only waits for its pivot, maybe for days: it is
		 * looked at now and then, not several times a second. */
		/* qemu-img reports no progress: its elapsed time is all. */
		if (!jobs_is_active(j) || j->polling || j->op == CMD_IMG_CHECK || j->op == CMD_IMG_REPAIR ||
		    (j->status == JOB_READY && a->now_ms - j->polled_ms < READY_POLL_MS))
			continue;
		j->polled_ms = a->now_ms;
		c = cmd_push(out, j->block ? CMD_BLOCK_INFO : CMD_JOB_INFO);
		if (!c)
			break;
		str_copy(c->name, j->vm, sizeof(c->name));
		str_copy(c->uuid, j->uuid, sizeof(c->uuid));
		str_copy(c->disk, j->disk, sizeof(c->disk));
		c->host = j->host;
		c->job = j->id;
		j->polling = true;
	}
	/* Elapsed time moves on screen even when libvirt reports nothing; a
	 * host retried or a commit waiting for its pivot shows nothing new. */
	for (i = 0; i < a->njobs; i++)
		if (a->jobs[i].status == JOB_RUNNING)
			a->redraw = true;
}

/* The jobs screen's rows for jobs: it keeps its last row for the
 * selected job's error. */
static size_t jobs_rows(const struct app *a)
{
	return state_list_height(a) > 1 ? state_list_height(a) - 1 : 1;
}

void jobs_scroll(struct app *a)
{
	listpos_scroll(&a->jobs_pos, a->njobs, jobs_rows(a));
}

void jobs_hidden(const struct app *a, size_t *above, size_t *below)
{
	size_t h = jobs_rows(a), shown = a->jobs_pos.top < a->njobs ? a->njobs - a->jobs_pos.top : 0;

	*above = a->jobs_pos.top < a->njobs ? a->jobs_pos.top : 0;
	*below = shown > h ? shown - h : 0;
}

const struct be_vm *jobs_changeable(struct app *a, int host, const char *vm)
{
	const struct be_vm *v = state_find_vm(a, host, vm);
	const struct job *j = jobs_running_on(a, host, vm);

	if (!state_name_fits(a, "VM", vm) || !state_host_writable(a, host))
		return NULL;
	if (!v) {
		state_set_status(a, true, "%s is not on %s (any more)", vm, state_host_name(a, host));
		return NULL;
	}
	if (j) {
		state_set_status(a, true, "%s is busy: %s", vm, j->what);
		return NULL;
	}
	return v;
}

void jobs_offer_delete(struct app *a, const struct job *j)
{
	struct cmd c = {.type = CMD_VOL_DELETE};
	char what[1024];

	if (!j->merged[0])
		return;
	str_copy(c.name, j->vm, sizeof(c.name));
	c.host = j->host;
	str_copy(c.u.vol_delete.paths, j->merged, sizeof(c.u.vol_delete.paths));
	snprintf(what, sizeof(what), "Delete the files %s of %s no longer uses", j->disk[0] ? j->disk : "the disks",
		 j->vm);
	dialog_confirm(a, &c, jobs_start_asked, what,
		    "%s of %s no longer uses these files, and no other VM, disk or snapshot does:\n%s"
		    "Delete them through the storage API? (any other key keeps them: the images\n"
		    "screen lists them under unused images)",
		    j->disk[0] ? j->disk : "The VM", j->vm, j->merged);
}

bool jobs_any_active(const struct app *a)
{
	size_t i;

	for (i = 0; i < a->njobs; i++)
		if (jobs_is_active(&a->jobs[i]))
			return true;
	return false;
}
