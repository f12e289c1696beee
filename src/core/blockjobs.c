/* Block jobs (commits) as jobs: started by a long operation or found
 * running, their progress polled from the block job, their end told by
 * libvirt's block-job event. */
#include "core/blockjobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/chainview.h"
#include "core/cmd.h"
#include "core/jobs.h"
#include "core/snapview.h"
#include "core/state.h"
#include "shared/util.h"

/* Polls without a job and without an event before the job counts as over. */
#define GONE_POLLS 8

static const char *type_name(enum be_bj_type t)
{
	switch (t) {
	case BE_BJ_PULL: return "Pull";
	case BE_BJ_COPY: return "Copy";
	case BE_BJ_COMMIT: return "Commit";
	case BE_BJ_ACTIVE_COMMIT: return "Active commit";
	case BE_BJ_BACKUP: return "Backup";
	case BE_BJ_UNKNOWN: break;
	}
	return "Block job";
}

/* The live block job on vm's disk, or NULL. */
static struct job *on_disk(struct app *a, int host, const char *vm, const char *disk)
{
	size_t i;

	for (i = a->njobs; i-- > 0;) {
		struct job *j = &a->jobs[i];

		if (j->block && jobs_is_active(j) && j->host == host && !strcmp(j->vm, vm) && !strcmp(j->disk, disk))
			return j;
	}
	return NULL;
}

/* A job vmmanager did not start, found running or ending. */
static struct job *adopt(struct app *a, int host, const char *vm, const char *disk, enum be_bj_type type,
			 const char *how)
{
	struct cmd none = {.type = CMD_BLOCK_INFO, .host = host};
	struct job *j;
	char what[1024];

	str_copy(none.name, vm, sizeof(none.name));
	snprintf(what, sizeof(what), "%s of %s of %s (%s)", type_name(type), disk, vm, how);
	j = jobs_add(a, &none, what);
	j->block = j->found = j->started = true;
	j->bj_type = type;
	str_copy(j->disk, disk, sizeof(j->disk));
	return j;
}

/* A pivot makes the base writable: refused when another chain or a
 * snapshot reads it, as far as the images model knows. */
static bool pivot_read_elsewhere(struct app *a, const struct job *j)
{
	char *copy = xstrdup(j->merged), *line, *save = NULL;
	const char **going = NULL;
	size_t n = 0;
	bool refused;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		going = xrealloc(going, (n + 1) * sizeof(*going));
		going[n++] = line;
	}
	refused = chainview_read_elsewhere(a, j->host, j->vm, j->disk, j->base, going, n, "Not pivoting to");
	free(going);
	free(copy);
	return refused;
}

void blockjobs_pivot(struct app *a, struct job *j, struct cmds *out)
{
	struct cmd *c;

	if (!j->block || (j->bj_type != BE_BJ_ACTIVE_COMMIT && j->bj_type != BE_BJ_COPY)) {
		state_set_status(a, true, "Only an active commit pivots: this job ends by itself");
		return;
	}
	if (j->status != JOB_READY) {
		state_set_status(a, true, "Not ready: libvirt has not reported %s of %s ready to pivot", j->disk, j->vm);
		return;
	}
	if (!state_host_writable(a, j->host))
		return;
	if (j->base[0] && pivot_read_elsewhere(a, j))
		return;
	if (j->pivoting || !(c = cmd_push(out, CMD_BLOCK_ABORT)))
		return;
	c->host = j->host;
	str_copy(c->name, j->vm, sizeof(c->name));
	str_copy(c->uuid, j->uuid, sizeof(c->uuid));
	str_copy(c->disk, j->disk, sizeof(c->disk));
	c->u.block_abort.pivot = true;
	c->job = j->id;
	j->pivoting = true;
	state_set_status(a, false, "Pivoting %s of %s to its base...", j->disk, j->vm);
}

static void end(struct app *a, struct job *j, enum job_status st, const char *error)
{
	j->status = st;
	j->ended_ms = a->now_ms;
	j->pivoting = false;
	if (st == JOB_DONE && j->total)
		j->done = j->total;
	if (error)
		str_copy(j->error, error, sizeof(j->error));
	a->redraw = true;
}

/* How long a shut-off VM's finished commit still owns its disk's late
 * events (they come on another connection than its end). */
#define LATE_EVENT_MS 10000

static bool late_event(const struct app *a, int host, const char *vm, const char *disk)
{
	size_t i;

	for (i = 0; i < a->njobs; i++) {
		const struct job *j = &a->jobs[i];

		if (j->offline && !jobs_is_active(j) && a->now_ms - j->ended_ms < LATE_EVENT_MS && j->host == host &&
		    !strcmp(j->vm, vm) &&
		    !strcmp(j->disk, disk))
			return true;
	}
	return false;
}

/* An operation of ours on vm that libvirt carries out with block jobs of
 * its own (deleting or reverting an external snapshot commits or drops
 * overlays), running or ended a moment ago (its events come late): such
 * block jobs are that operation's, which reports how it ends; they were
 * not started outside vmmanager, and no pivot is theirs to offer. */
static bool own_operation(const struct app *a, int host, const char *vm)
{
	size_t i;

	for (i = 0; i < a->njobs; i++) {
		const struct job *j = &a->jobs[i];

		if (!j->block && (j->op == CMD_SNAP_DELETE || j->op == CMD_SNAP_REVERT) && j->host == host &&
		    !strcmp(j->vm, vm) && (jobs_is_active(j) || a->now_ms - j->ended_ms < LATE_EVENT_MS))
			return true;
	}
	return false;
}

void blockjobs_event(struct app *a, struct event *ev, struct cmds *out)
{
	struct job *j = on_disk(a, ev->host, ev->name, ev->disk);

	if (!j && (late_event(a, ev->host, ev->name, ev->disk) || own_operation(a, ev->host, ev->name)))
		return;
	if (!j)
		j = adopt(a, ev->host, ev->name, ev->disk, ev->bj.type, "started outside vmmanager");
	if (j->offline)
		return; /* the operation pivots and ends it itself */
	switch (ev->bj_status) {
	case BE_BJS_READY:
		j->status = JOB_READY;
		if (j->total)
			j->done = j->total;
		if (!j->found) {
			/* Asked for by the user: pivot now that libvirt says it may. */
			blockjobs_pivot(a, j, out);
		} else {
			state_set_status(a, false, "%s is ready: P on the jobs screen pivots", j->what);
		}
		break;
	case BE_BJS_COMPLETED:
		end(a, j, JOB_DONE, NULL);
		state_set_status(a, false, "%s: done", j->what);
		jobs_offer_delete(a, j);
		break;
	case BE_BJS_CANCELED:
		end(a, j, JOB_ABORTED, "aborted: the chain is as it was");
		state_set_status(a, false, "%s: aborted, the chain is as it was", j->what);
		break;
	case BE_BJS_FAILED:
		end(a, j, JOB_FAILED, "libvirt reports that the block job failed");
		state_set_status(a, true, "%s failed: libvirt reports that the block job failed", j->what);
		break;
	}
	snapview_vm_changed(a, ev->host, ev->name, out);
}

void blockjobs_info(struct app *a, struct event *ev, struct cmds *out)
{
	struct job *j = jobs_find(a, ev->job);

	if (!j)
		return;
	j->polling = false;
	if (!jobs_is_active(j))
		return;
	if (ev->rc < 0) {
		/* A VM that stopped mid-job (destroyed, say) has no job to read:
		 * the job must not keep its VM busy for ever. */
		if (!j->offline && ++j->failed_polls >= GONE_POLLS) {
			end(a, j, JOB_FAILED, ev->err.msg);
			state_set_status(a, true, "%s failed: %s", j->what, ev->err.msg);
			snapview_vm_changed(a, j->host, j->vm, out);
		}
		return;
	}
	j->failed_polls = 0;
	if (ev->rc == 0) {
		/* The end's event may be on its way; a job that is simply gone
		 * (its event lost) must not stay running for ever. */
		if (j->started && !j->offline && ++j->gone_polls >= GONE_POLLS) {
			end(a, j, JOB_DONE, "ended; libvirt sent no outcome");
			snapview_vm_changed(a, j->host, j->vm, out);
		}
		return;
	}
	j->gone_polls = 0;
	j->bj_type = ev->bj.type;
	if (j->prev_ms && a->now_ms > j->prev_ms && ev->bj.cur > j->prev_done) {
		unsigned long long r =
			(ev->bj.cur - j->prev_done) * 1000ULL / (unsigned long long)(a->now_ms - j->prev_ms);

		j->rate = j->rate ? (j->rate * 2 + r) / 3 : r;
	}
	if (ev->bj.cur != j->prev_done || !j->prev_ms) {
		j->prev_done = ev->bj.cur;
		j->prev_ms = a->now_ms;
	}
	j->done = ev->bj.cur;
	j->total = ev->bj.end;
	a->redraw = true;
}

void blockjobs_found(struct app *a, struct event *ev)
{
	size_t i, found = 0;

	if (ev->rc < 0)
		return;
	for (i = 0; i < ev->bjobs.n; i++) {
		const struct be_block_job *b = &ev->bjobs.j[i];
		struct job *j;

		if (on_disk(a, ev->host, b->vm, b->disk) || own_operation(a, ev->host, b->vm))
			continue;
		j = adopt(a, ev->host, b->vm, b->disk, b->type, "found running");
		j->done = b->cur;
		j->total = b->end;
		if (b->ready)
			j->status = JOB_READY;
		found++;
	}
	if (found)
		state_set_status(a, false, "Found %zu block job%s running", found, found == 1 ? "" : "s");
}

void blockjobs_recover(struct app *a, int host, struct cmds *out)
{
	size_t i;

	for (i = 0; i < a->njobs; i++) {
		struct job *j = &a->jobs[i];
		struct cmd *c;

		if (j->host != host || j->status != JOB_UNKNOWN || !j->block || !j->base[0] ||
		    !(c = cmd_push(out, CMD_COMMIT_RECOVER)))
			continue;
		c->host = host;
		c->job = j->id;
		c->u.commit_recover.offline = j->offline;
		str_copy(c->name, j->vm, sizeof(c->name));
		str_copy(c->uuid, j->uuid, sizeof(c->uuid));
		str_copy(c->disk, j->disk, sizeof(c->disk));
		str_copy(c->u.commit_recover.base, j->base, sizeof(c->u.commit_recover.base));
		j->status = JOB_RUNNING;
		j->error[0] = '\0';
		state_set_status(a, false, "%s: the host is back, reading how it ended...", j->what);
	}
}

/* How a commit the host carried on without us ended. */
static void recovered(struct app *a, struct job *j, struct event *ev, struct cmds *out)
{
	if (ev->rc == 1) {
		j->started = true; /* it runs on: polls and its event follow it */
		state_set_status(a, false, "%s: still running", j->what);
	} else if (ev->rc == 0) {
		end(a, j, JOB_DONE, NULL);
		jobs_offer_delete(a, j);
		state_set_status(a, false, "%s: done while the host was away%s", j->what,
				 j->offline ? "; the VM is shut off again" : "");
	} else if (ev->err.kind == BE_ERR_CONN) {
		end(a, j, JOB_UNKNOWN, "the connection was lost again: how the job ends is not known");
	} else {
		end(a, j, JOB_FAILED, ev->err.msg);
		state_set_status(a, true, "%s: %s", j->what, ev->err.msg);
	}
	snapview_vm_changed(a, ev->host, ev->name, out);
}

void blockjobs_op_done(struct app *a, struct event *ev, struct cmds *out)
{
	struct job *j = jobs_find(a, ev->job);

	if (ev->op == CMD_COMMIT_RECOVER) {
		if (j)
			recovered(a, j, ev, out);
		return;
	}

	if (ev->op == CMD_BLOCK_ABORT) {
		j = on_disk(a, ev->host, ev->name, ev->disk);
		if (j)
			j->pivoting = false;
		if (ev->rc < 0)
			state_set_status(a, true, "Cannot %s: %s", ev->pivot ? "pivot" : "abort", ev->err.msg);
		else if (j) /* else its end's event came first and said more */
			state_set_status(a, false, "%s requested", ev->pivot ? "Pivot" : "Abort");
		return;
	}
	if (j && ev->rc < 0 && ev->err.kind == BE_ERR_ABORTED) {
		/* A shut-off VM's commit aborted by the user: stopped again,
		 * chain unchanged. */
		end(a, j, JOB_ABORTED, "aborted: the chain is as it was; the VM is shut off again");
		state_set_status(a, false, "%s: aborted, the chain is as it was", j->what);
		snapview_vm_changed(a, ev->host, ev->name, out);
		return;
	}
	if (j && ev->rc == 0 && !jobs_is_active(j)) {
		snapview_vm_changed(a, ev->host, ev->name, out); /* its end's event came first and said so */
		return;
	}
	if (!j || ev->rc <= 0) {
		/* Failed, refused, or a running VM's commit now under way: its
		 * block-job event will say how it ends. */
		if (j && ev->rc == 0)
			j->started = true;
		else
			jobs_done(a, ev);
		snapview_op_done(a, ev, out);
		return;
	}
	/* A shut-off VM's commit: started, committed, pivoted and stopped. */
	end(a, j, JOB_DONE, NULL);
	state_set_status(a, false, ev->op == CMD_CHAIN_COPY ? "%s: done" : "%s: done; the VM is shut off again", j->what);
	jobs_offer_delete(a, j);
	snapview_vm_changed(a, ev->host, ev->name, out);
}
