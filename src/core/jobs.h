/* Long operations as jobs: data in the core, started here, their progress
 * polled while they run, their end told by EV_OP_DONE; the list the jobs
 * screen (jobview.c) shows. */
#ifndef VMM_JOBS_H
#define VMM_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"
#include "core/cmd.h"

struct app;

enum job_status {
	JOB_RUNNING,
	JOB_READY,   /* an active commit waiting for its pivot */
	JOB_DONE,
	JOB_FAILED,
	JOB_ABORTED,
	JOB_REFUSED, /* vmmanager said no before anything changed */
	JOB_UNKNOWN, /* the connection was lost while it ran */
};

/* A long operation: data in the core, progress polled while it runs. */
struct job {
	int id;
	int host;
	enum cmd_type op;
	char vm[APP_NAME_MAX];
	char uuid[37];
	char what[1024];
	enum job_status status;
	long long started_ms, ended_ms;
	long long elapsed_ms; /* as libvirt reports it, when it does */
	unsigned long long done, total;
	bool polling; /* a progress request is in flight */
	char error[4096]; /* libvirt's message, whole (be_error) */
	/* Block jobs: progress from the block job, the end from its event. */
	bool block;
	bool offline;    /* a shut-off VM's commit: the operation ends it */
	bool found;      /* found running, not started here */
	bool started;    /* libvirt has the job (the starting call returned) */
	bool pivoting;
	enum be_bj_type bj_type;
	char disk[64];
	char merged[4096]; /* files a commit or revert leaves unused, one a line:
			    * offered for deletion once it is done */
	char base[4096];   /* a commit's base: its pivot makes it writable */
	unsigned long long rate; /* bytes/s, smoothed */
	unsigned long long prev_done;
	long long prev_ms;
	int gone_polls; /* polls that found no job before any event said why */
	int failed_polls; /* polls that libvirt answered with an error */
	long long polled_ms; /* when progress was last asked for */
};

/* Refuses a change of vm with the reason (read-only, gone, busy, a name
 * too long), or returns the VM. */
const struct be_vm *jobs_changeable(struct app *a, int host, const char *vm);
/* Starts cmd as a job, unless its VM cannot be changed now (the status
 * says why): NULL then. */
struct job *jobs_start(struct app *a, struct cmds *out, const struct cmd *cmd, const char *what);
/* A question's done handler: starts the command it asked about as a job
 * (jobs_start), titled by the question. */
void jobs_start_asked(struct app *a, int key, struct cmds *out);
/* Records a job for cmd without running anything. */
struct job *jobs_add(struct app *a, const struct cmd *cmd, const char *what);
struct job *jobs_find(struct app *a, int id);
const struct job *jobs_running_on(const struct app *a, int host, const char *vm);
/* Running, or ready and waiting for its pivot. */
bool jobs_is_active(const struct job *j);
/* True while a job runs or waits for its pivot. */
bool jobs_any_active(const struct app *a);
void jobs_done(struct app *a, struct event *ev);
void jobs_info(struct app *a, struct event *ev);
/* Bytes done of a VM job: total less what remains where libvirt says,
 * since a save's zero pages are never "processed". */
unsigned long long jobs_progress(const struct be_job_info *info);
void jobs_tick(struct app *a, struct cmds *out);
/* Offers to delete the files a finished commit or revert left unused
 * (j->merged). */
void jobs_offer_delete(struct app *a, const struct job *j);
void jobs_scroll(struct app *a);
/* Jobs above and below the rows the jobs screen shows. */
void jobs_hidden(const struct app *a, size_t *above, size_t *below);

#endif
