/* Block commit and the block jobs it runs: progress, abort, pivot, and
 * finding the jobs that were running before vmmanager started. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

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

		if (be_dom_disks(c, doms[i], 0, &dl, &e) == 0) {
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

/* A pivot makes the job's target the disk's writable active layer: refused
 * when another chain or a snapshot reads it now. */
static int pivot_check(struct be_conn *c, virDomainPtr dom, const char *vm, const char *disk,
		       struct be_error *err)
{
	char *xml = virDomainGetXMLDesc(dom, 0), *target = xml ? xml_disk_mirror(xml, disk) : NULL;
	struct be_disk_list dl = {0};
	struct be_disk *d = NULL;
	const char **going = NULL;
	size_t k = 0;
	int rc = -1;

	free(xml);
	if (!target) {
		virResetLastError();
		return 0; /* no mirror: libvirt refuses the pivot itself */
	}
	if (be_disk_chain(c, dom, disk, 0, &dl, &d, err) == 0) {
		going = xcalloc(d->nlayers + 1, sizeof(*going));
		for (k = 0; k < d->nlayers && strcmp(d->layers[k].path, target); k++)
			going[k] = d->layers[k].path;
		rc = be_refuse_if_read(c, target, vm, disk, going, k, "Not pivoting to", err);
	}
	free(going);
	free(target);
	be_disk_list_clear(&dl);
	return rc;
}

/* Deletes the file of a block copy that was stopped before its pivot:
 * libvirt made it for the copy, and nothing else reads it (checked again,
 * as every deletion is). */
static int drop_copy(struct be_conn *c, const char *vm, const char *path, struct be_error *err)
{
	const char *paths[1] = {path};
	char why[400];

	if (be_volumes_delete(c, paths, 1, err) == 0)
		return 0;
	str_copy(why, err->msg, sizeof(why));
	be_set_msg(err, err->kind, "the copy of %s stopped, but its file %s stays: %s", vm, path, why);
	return -1;
}

int be_block_job_abort(struct be_conn *c, const char *vm, const char *disk, bool pivot, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	virDomainBlockJobInfo bi;
	char *copy_to = NULL, *xml;
	int rc;

	if (!dom)
		return -1;
	if (pivot && pivot_check(c, dom, vm, disk, err) < 0) {
		virDomainFree(dom);
		return -1;
	}
	/* A block copy (a standalone copy, be_chain_copy) runs as a transient
	 * job: its pivot changes the running VM only, so the definition is
	 * pointed at the copy too; stopped, its half-made file goes. */
	if (virDomainGetBlockJobInfo(dom, disk, &bi, 0) == 1 && bi.type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY &&
	    (xml = virDomainGetXMLDesc(dom, 0))) {
		copy_to = xml_disk_mirror(xml, disk);
		free(xml);
	}
	virResetLastError();
	rc = virDomainBlockJobAbort(dom, disk, pivot ? VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT : 0);
	if (rc < 0) {
		be_set_err(err, pivot ? "cannot pivot" : "cannot abort the block job");
	} else if (copy_to && !pivot) {
		rc = drop_copy(c, vm, copy_to, err);
	} else if (copy_to && virDomainIsPersistent(dom) == 1 && be_repoint_disk(c, dom, disk, copy_to, "qcow2", err) < 0) {
		char why[400];

		str_copy(why, err->msg, sizeof(why));
		be_set_msg(err, err->kind, "%s runs on %s now, but its definition still names the old chain: %s", vm,
			   copy_to, why);
		rc = -1;
	}
	free(copy_to);
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}

/* What a shut-off VM's commit waits for: its block-job events. On the
 * heap, freed by libvirt once the callback is gone for good: an event
 * being delivered may still hold it after deregistration. */
struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char disk[64];
	int status; /* the last virConnectDomainEventBlockJobStatus, -1 none */
};

static void waiter_free(void *opaque)
{
	struct waiter *w = opaque;

	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

static void wake_waiter(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status, void *opaque)
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

/* The job's status from its event: READY (only when ready is set) or its
 * end. JOB_GONE when the job is gone and no event said how it ended; the
 * job is looked at each second in case an event is lost. */
#define JOB_GONE (-2)
/* The connection went away: how the job ends is not known here. */
#define JOB_LOST (-3)

static int wait_event(struct waiter *w, virDomainPtr dom, bool ready)
{
	int status = -1;

	pthread_mutex_lock(&w->lock);
	while (status == -1) {
		struct timespec ts;
		struct be_block_job j;
		struct be_error e;

		if (w->status >= 0 && (ready || w->status != VIR_DOMAIN_BLOCK_JOB_READY)) {
			status = w->status;
			break;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) == 0)
			continue;
		pthread_mutex_unlock(&w->lock);
		switch (job_info(dom, w->disk, &j, &e)) {
		case 1: break;
		case 0: status = JOB_GONE; break;
		default:
			status = e.kind == BE_ERR_CONN || virConnectIsAlive(virDomainGetConnect(dom)) != 1 ? JOB_LOST
													    : JOB_GONE;
		}
		pthread_mutex_lock(&w->lock);
		if (status == JOB_GONE && w->status >= 0 && (ready || w->status != VIR_DOMAIN_BLOCK_JOB_READY))
			status = w->status; /* the event came after all */
	}
	w->status = -1;
	pthread_mutex_unlock(&w->lock);
	return status;
}

/* True when the VM's disk now runs on base (the pivot took). */
static bool on_base(struct be_conn *c, virDomainPtr dom, const char *disk, const char *base)
{
	struct be_disk_list dl;
	struct be_disk *d;
	struct be_error e;
	bool yes;

	if (be_disk_chain(c, dom, disk, 0, &dl, &d, &e) < 0)
		return false;
	yes = !strcmp(d->layers[0].path, base);
	be_disk_list_clear(&dl);
	return yes;
}

/* Start paused, commit, pivot once libvirt's event says ready, stop: the
 * VM ends shut off as it was, on the merged chain. */
static int commit_offline(struct be_conn *c, virDomainPtr dom, const char *disk, const char *base,
			  unsigned long long bandwidth, struct be_error *err)
{
	struct waiter *w = xcalloc(1, sizeof(*w));
	int id, status, rc = -1;

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	str_copy(w->disk, disk, sizeof(w->disk));
	w->status = -1;
	id = virConnectDomainEventRegisterAny(c->conn, dom, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
					      VIR_DOMAIN_EVENT_CALLBACK(wake_waiter), w, waiter_free);
	if (id < 0) {
		be_set_err(err, "cannot watch block jobs");
		waiter_free(w);
		return -1;
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
	status = wait_event(w, dom, true);
	if (status == JOB_LOST)
		goto lost;
	if (status != VIR_DOMAIN_BLOCK_JOB_READY) {
		be_set_msg(err, status == VIR_DOMAIN_BLOCK_JOB_CANCELED ? BE_ERR_ABORTED : BE_ERR_OTHER,
			   "the commit %s before it was ready; the chain is as it was",
			   status == VIR_DOMAIN_BLOCK_JOB_CANCELED ? "was aborted" : "failed");
		goto stop;
	}
	if (virDomainBlockJobAbort(dom, disk, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) < 0) {
		be_set_err(err, "cannot pivot");
		goto stop;
	}
	/* The pivot took when the disk runs on the base, whatever the event. */
	if (wait_event(w, dom, false) == JOB_LOST)
		goto lost;
	if (on_base(c, dom, disk, base)) {
		rc = 0;
	} else {
		be_set_msg(err, BE_ERR_OTHER, "the pivot did not take: %s is not on %s; the chain is as it was", disk,
			   base);
	}
stop:
	if (virDomainDestroy(dom) < 0 && rc == 0) {
		be_set_err(err, "committed, but cannot stop the VM again");
		rc = -1;
	}
	goto dereg;
lost:
	/* Never "as it was": the job may have gone on, or ended, meanwhile. */
	be_set_msg(err, BE_ERR_CONN,
		   "the connection was lost during the commit: how it ended is not known, and the VM may be left "
		   "paused on its host; look at it again once the host is back");
dereg:
	virConnectDomainEventDeregisterAny(c->conn, id);
	return rc;
}

int be_state_as_seen(virDomainPtr dom, const char *vm, bool shut_off, struct be_error *err)
{
	int state = be_disk_work_state(dom, err);

	if (state >= 0 && (state == VIR_DOMAIN_SHUTOFF) != shut_off)
		return be_refuse(err, "%s is %s now: look at it again", vm, shut_off ? "running" : "shut off");
	return state;
}

int be_block_commit(struct be_conn *c, const char *vm, const char *disk, const char *base, bool shut_off,
		    unsigned long long bandwidth, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_disk_list dl = {0};
	struct be_disk *d;
	struct be_block_job j;
	const char **merged = NULL;
	char **names = NULL;
	int state, busy, rc = -1;
	size_t k, i, nnames = 0;
	unsigned long long need;

	if (!dom)
		return -1;
	/* Asked for as it was on screen: a VM started or stopped since then
	 * would get the other kind of commit. */
	if ((state = be_state_as_seen(dom, vm, shut_off, err)) < 0)
		goto out;
	if (be_disk_chain(c, dom, disk, DISKS_SIZES, &dl, &d, err) < 0 || be_refuse_by_kind(d, BE_USE_CHAIN, err) < 0)
		goto out;
	for (k = 1; k < d->nlayers && strcmp(d->layers[k].path, base); k++)
		;
	if (k >= d->nlayers) {
		be_refuse(err, "%s is not below the active layer of %s", base, disk);
		goto out;
	}
	merged = xcalloc(k, sizeof(*merged));
	for (i = 0; i < k; i++)
		merged[i] = d->layers[i].path;
	if (be_refuse_if_read(c, base, vm, disk, merged, k, "Not committing into", err) < 0)
		goto out;
	/* base grows by at most what the merged layers hold. */
	for (i = 0, need = 0; i < k; i++)
		need += d->layers[i].allocation > 0 ? (unsigned long long)d->layers[i].allocation : 0;
	if (be_refuse_if_no_room(c, base, need, "Not committing", "the allocation of the layers merged", err) < 0)
		goto out;
	if (state != VIR_DOMAIN_SHUTOFF && (busy = job_info(dom, disk, &j, err)) != 0) {
		if (busy > 0)
			be_refuse(err, "%s already has a block job: wait for it, or abort it on the jobs screen", disk);
		goto out;
	}
	/* The merged layers leave the chain: their snapshots go first. */
	if (be_snapshots_in(c, dom, merged, k, &names, &nnames, err) < 0 ||
	    be_snapshots_forget(dom, names, nnames, err) < 0)
		goto out;
	if (state == VIR_DOMAIN_SHUTOFF) {
		rc = commit_offline(c, dom, disk, base, bandwidth, err) < 0 ? -1 : 1;
		goto out;
	}
	rc = virDomainBlockCommit(dom, disk, base, NULL, bandwidth,
				  VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES);
	if (rc < 0)
		be_set_err(err, "cannot start the commit");
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(merged);
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc < 0 ? -1 : rc;
}

/* Polls until the disk's job is ready or gone, up to ms: 1 ready, 0 gone,
 * -1 still running or unreadable. */
static int wait_ready(virDomainPtr dom, const char *disk, long long ms, struct be_error *err)
{
	struct be_block_job j;
	long long end = mono_ms() + ms;
	int rc;

	while ((rc = job_info(dom, disk, &j, err)) == 1 && !j.ready && mono_ms() < end) {
		struct timespec ts = {0, 200 * 1000 * 1000};

		nanosleep(&ts, NULL);
	}
	return rc < 0 ? -1 : rc == 0 ? 0 : j.ready ? 1 : -1;
}

/* Stops the VM that ran only for a shut-off VM's commit. */
static void stop_helper(virDomainPtr dom, bool offline)
{
	int state = 0, reason;

	if (offline && virDomainGetState(dom, &state, &reason, 0) == 0 &&
	    (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_PAUSED) && virDomainDestroy(dom) < 0)
		virResetLastError();
}

int be_commit_recover(struct be_conn *c, const char *vm, const char *disk, const char *base, bool offline,
		      struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_block_job j;
	int busy, rc = -1;

	if (!dom)
		return -1;
	busy = job_info(dom, disk, &j, err);
	if (busy > 0 && !offline) {
		rc = 1; /* a running VM's commit goes on: followed again */
		goto out;
	}
	/* A shut-off VM's commit outlived its connection: the helper VM is
	 * finished (pivoted) when it is ready, else aborted; it stops. */
	if (busy > 0 && wait_ready(dom, disk, 60000, err) == 1) {
		if (virDomainBlockJobAbort(dom, disk, VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT) < 0)
			be_set_err(err, "cannot pivot");
		wait_ready(dom, disk, 30000, err);
	} else if (busy > 0 && virDomainBlockJobAbort(dom, disk, 0) == 0) {
		wait_ready(dom, disk, 30000, err);
	}
	if (busy < 0) {
		be_set_err(err, "cannot read the block job");
		goto out;
	}
	stop_helper(dom, offline);
	if (on_base(c, dom, disk, base))
		rc = 0;
	else
		be_set_msg(err, BE_ERR_OTHER, "the commit ended without its pivot: %s is as it was, not on %s%s", disk,
			   base, offline ? "; the VM is shut off again" : "");
out:
	virDomainFree(dom);
	return rc;
}
