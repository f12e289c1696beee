/* Block commit and the block jobs it runs: progress, abort, pivot, and
 * finding the jobs that were running before vmmanager started. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/internal.h"
#include "core/util.h"

enum be_bj_type be_bj_type(int type)
{
	switch (type) {
	case VIR_DOMAIN_BLOCK_JOB_TYPE_PULL: return BE_BJ_PULL;
	case VIR_DOMAIN_BLOCK_JOB_TYPE_COPY: return BE_BJ_COPY;
	case VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT: return BE_BJ_COMMIT;
	case VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT: return BE_BJ_ACTIVE_COMMIT;
	case VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP: return BE_BJ_BACKUP;
	default: return BE_BJ_UNKNOWN;
	}
}

/* 1 and out filled while dom's disk has a job, 0 when it has none. */
static int job_info(virDomainPtr dom, const char *disk, struct be_block_job *out, struct be_error *err)
{
	virDomainBlockJobInfo info;
	int rc = virDomainGetBlockJobInfo(dom, disk, &info, VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES);

	memset(out, 0, sizeof(*out));
	if (rc < 0) {
		be_set_err(err, "cannot read the block job");
		return -1;
	}
	str_copy(out->vm, virDomainGetName(dom), sizeof(out->vm));
	str_copy(out->disk, disk, sizeof(out->disk));
	if (rc == 0)
		return 0;
	out->type = be_bj_type(info.type);
	out->cur = info.cur;
	out->end = info.end;
	out->bandwidth = info.bandwidth;
	/* libvirt holds cur below end until a mirroring job is ready. */
	out->ready = (out->type == BE_BJ_ACTIVE_COMMIT || out->type == BE_BJ_COPY) && info.end > 0 &&
		     info.cur == info.end;
	return 1;
}

int be_block_job_info(struct be_conn *c, const char *vm, const char *disk, struct be_block_job *out,
		      struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int rc;

	if (!dom)
		return -1;
	rc = job_info(dom, disk, out, err);
	virDomainFree(dom);
	return rc;
}

int be_block_jobs(struct be_conn *c, struct be_block_job_list *out, struct be_error *err)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(c->conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE), i;

	memset(out, 0, sizeof(*out));
	if (n < 0) {
		be_set_err(err, "cannot list the running VMs");
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct be_disk_list dl;
		struct be_block_job j;
		struct be_error e;
		size_t d;

		if (be_dom_disks(c, doms[i], false, &dl, &e) == 0) {
			for (d = 0; d < dl.n; d++)
				if (job_info(doms[i], dl.d[d].target, &j, &e) == 1) {
					out->j = xrealloc(out->j, (out->n + 1) * sizeof(*out->j));
					out->j[out->n++] = j;
				}
			be_disk_list_clear(&dl);
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	virResetLastError(); /* a VM that stopped meanwhile has no jobs */
	return 0;
}

int be_block_job_abort(struct be_conn *c, const char *vm, const char *disk, bool pivot, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int rc;

	if (!dom)
		return -1;
	rc = virDomainBlockJobAbort(dom, disk, pivot ? VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT : 0);
	if (rc < 0)
		be_set_err(err, pivot ? "cannot pivot" : "cannot abort the block job");
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}

/* What a shut-off VM's commit waits for: its block-job events. */
struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char disk[64];
	int status; /* the last virConnectDomainEventBlockJobStatus, -1 none */
};

static void on_block_job(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status, void *opaque)
{
	struct waiter *w = opaque;

	(void)conn;
	(void)dom;
	(void)type;
	pthread_mutex_lock(&w->lock);
	if (!strcmp(disk, w->disk)) {
		w->status = status;
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
}

/* Waits until the disk's job is ready (want_ready) or gone. Returns the
 * event's status; the job's own state is asked each second too, in case
 * an event is lost. */
static int wait_job(struct waiter *w, virDomainPtr dom, bool want_ready)
{
	struct be_block_job j;
	struct be_error e;
	int status;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct timespec ts;
		int r;

		status = w->status;
		if (status == VIR_DOMAIN_BLOCK_JOB_READY ? want_ready : status >= 0)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) == 0)
			continue;
		pthread_mutex_unlock(&w->lock);
		r = job_info(dom, w->disk, &j, &e);
		pthread_mutex_lock(&w->lock);
		if (r < 0) {
			status = VIR_DOMAIN_BLOCK_JOB_FAILED;
			break;
		}
		if (r == 0 && w->status < 0) {
			status = want_ready ? VIR_DOMAIN_BLOCK_JOB_FAILED : VIR_DOMAIN_BLOCK_JOB_COMPLETED;
			break;
		}
		/* libvirt reports cur == end only once the job is ready. */
		if (r == 1 && want_ready && j.ready && w->status < 0) {
			status = VIR_DOMAIN_BLOCK_JOB_READY;
			break;
		}
	}
	w->status = -1;
	pthread_mutex_unlock(&w->lock);
	return status;
}

/* Start paused, commit, pivot once ready, stop: the VM ends shut off as it
 * was, on the merged chain. */
static int commit_offline(struct be_conn *c, virDomainPtr dom, const char *disk, const char *base,
			  unsigned long long bandwidth, struct be_error *err)
{
	struct waiter w = {.status = -1};
	int id, status, rc = -1;

	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	str_copy(w.disk, disk, sizeof(w.disk));
	id = virConnectDomainEventRegisterAny(c->conn, dom, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
					      VIR_DOMAIN_EVENT_CALLBACK(on_block_job), &w, NULL);
	if (id < 0) {
		be_set_err(err, "cannot watch block jobs");
		goto out;
	}
	/* Autodestroy: should vmmanager die, the paused VM goes too. */
	if (virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY) < 0) {
		be_set_err(err, "cannot start the VM paused to commit");
		goto dereg;
	}
	if (virDomainBlockCommit(dom, disk, base, NULL, bandwidth,
				 VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES) < 0) {
		be_set_err(err, "cannot start the commit");
		goto stop;
	}
	status = wait_job(&w, dom, true);
	if (status != VIR_DOMAIN_BLOCK_JOB_READY) {
		snprintf(err->msg, sizeof(err->msg), "the commit %s before it was ready; the chain is unchanged",
			 status == VIR_DOMAIN_BLOCK_JOB_CANCELED ? "was aborted" : "failed");
		err->code = 0;
		err->kind = BE_ERR_OTHER;
		goto stop;
	}
	if (virDomainBlockJobAbort(dom, disk, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) < 0) {
		be_set_err(err, "cannot pivot");
		goto stop;
	}
	wait_job(&w, dom, false);
	rc = 0;
stop:
	if (virDomainDestroy(dom) < 0 && rc == 0) {
		be_set_err(err, "committed, but cannot stop the VM again");
		rc = -1;
	}
dereg:
	virConnectDomainEventDeregisterAny(c->conn, id);
out:
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

int be_block_commit(struct be_conn *c, const char *vm, const char *disk, const char *base,
		    unsigned long long bandwidth, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_disk_list dl = {0};
	struct be_disk *d;
	struct be_block_job j;
	int state = 0, reason, busy, rc = -1;
	size_t k;

	if (!dom)
		return -1;
	if (virDomainGetState(dom, &state, &reason, 0) < 0) {
		be_set_err(err, "cannot read the VM's state");
		goto out;
	}
	if (be_disk_chain(c, dom, disk, &dl, &d, err) < 0)
		goto out;
	for (k = 1; k < d->nlayers && strcmp(d->layers[k].path, base); k++)
		;
	if (k >= d->nlayers) {
		be_refuse(err, "%s is not below the active layer of %s", base, disk);
		goto out;
	}
	if (be_refuse_if_used(c, base, vm, "Not committing into", err) < 0)
		goto out;
	if (state == VIR_DOMAIN_SHUTOFF) {
		if (virDomainHasManagedSaveImage(dom, 0) == 1)
			be_refuse(err, "%s is hibernated: its saved memory belongs to the current disks", vm);
		else
			rc = commit_offline(c, dom, disk, base, bandwidth, err) < 0 ? -1 : 1;
		goto out;
	}
	if ((busy = job_info(dom, disk, &j, err)) != 0) {
		if (busy > 0)
			be_refuse(err, "%s already has a block job: wait for it, or abort it on the jobs screen", disk);
		goto out;
	}
	rc = virDomainBlockCommit(dom, disk, base, NULL, bandwidth,
				  VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES);
	if (rc < 0)
		be_set_err(err, "cannot start the commit");
out:
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc < 0 ? -1 : rc;
}
