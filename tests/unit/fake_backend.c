/* An in-memory host with the backend interface: for core unit tests only. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shared/util.h"
#include "tests/unit/fake_backend.h"

struct be_conn {
	int refs;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t released = PTHREAD_COND_INITIALIZER;
static unsigned release_count;
static struct be_vm_list host;
static int delay_ms, in_call, list_calls, detail_calls, act_calls;
static char act_error[256];
static int snap_calls;
static struct be_job_info job;

void fake_reset(void)
{
	pthread_mutex_lock(&lock);
	be_vm_list_clear(&host);
	delay_ms = in_call = list_calls = detail_calls = act_calls = 0;
	snap_calls = 0;
	memset(&job, 0, sizeof(job));
	act_error[0] = '\0';
	pthread_mutex_unlock(&lock);
}

void fake_set_vms(const struct be_vm *vms, size_t n)
{
	size_t i;

	pthread_mutex_lock(&lock);
	be_vm_list_clear(&host);
	host.vms = xcalloc(n, sizeof(*host.vms));
	for (i = 0; i < n; i++)
		be_vm_copy(&host.vms[i], &vms[i]);
	host.n = n;
	pthread_mutex_unlock(&lock);
}

void fake_set_delay_ms(int ms)
{
	pthread_mutex_lock(&lock);
	delay_ms = ms;
	pthread_mutex_unlock(&lock);
}

void fake_fail_act(const char *msg)
{
	pthread_mutex_lock(&lock);
	str_copy(act_error, msg, sizeof(act_error));
	pthread_mutex_unlock(&lock);
}

#define GETTER(fn, var)                   \
	int fn(void)                      \
	{                                 \
		int v;                    \
		pthread_mutex_lock(&lock); \
		v = var;                  \
		pthread_mutex_unlock(&lock); \
		return v;                 \
	}
GETTER(fake_list_calls, list_calls)
GETTER(fake_detail_calls, detail_calls)
GETTER(fake_act_calls, act_calls)

bool fake_in_call(void)
{
	bool v;

	pthread_mutex_lock(&lock);
	v = in_call > 0;
	pthread_mutex_unlock(&lock);
	return v;
}

void fake_release(void)
{
	pthread_mutex_lock(&lock);
	release_count++;
	pthread_cond_broadcast(&released);
	pthread_mutex_unlock(&lock);
}

/* Simulates a slow host: the call is in progress for delay_ms, or until
 * fake_release. */
static void enter_call(int *counter)
{
	struct timespec end;
	unsigned seen;
	int ms;

	pthread_mutex_lock(&lock);
	in_call++;
	(*counter)++;
	ms = delay_ms;
	seen = release_count;
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (ms > 0 && seen == release_count)
		if (pthread_cond_timedwait(&released, &lock, &end) != 0)
			break; /* ETIMEDOUT: delay_ms have passed */
	pthread_mutex_unlock(&lock);
}

static void leave_call(void)
{
	pthread_mutex_lock(&lock);
	in_call--;
	pthread_mutex_unlock(&lock);
}

int be_init(struct be_error *err)
{
	(void)err;
	return 0;
}

struct be_conn *be_open(const char *uri, bool readonly, struct be_error *err)
{
	struct be_conn *c = xcalloc(1, sizeof(struct be_conn));

	(void)uri;
	(void)readonly;
	(void)err;
	c->refs = 1;
	return c;
}

struct be_conn *be_open_auth(const char *uri, bool readonly, be_auth_fn fn, void *ctx, struct be_error *err)
{
	(void)fn;
	(void)ctx;
	return be_open(uri, readonly, err);
}

void be_set_auth(struct be_conn *c, be_auth_fn fn, void *ctx)
{
	(void)c;
	(void)fn;
	(void)ctx;
}

struct be_conn *be_ref(struct be_conn *c)
{
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_SEQ_CST);
	return c;
}

void be_close(struct be_conn *c)
{
	if (c && __atomic_sub_fetch(&c->refs, 1, __ATOMIC_SEQ_CST) == 0)
		free(c);
}

struct be_conn *be_open_ops(struct be_conn *c, struct be_error *err)
{
	(void)c;
	return be_open(NULL, false, err);
}

const char *be_uri(const struct be_conn *c)
{
	(void)c;
	return "fake:///";
}

const char *be_hostname(struct be_conn *c)
{
	(void)c;
	return "fakehost";
}

bool be_readonly(const struct be_conn *c)
{
	(void)c;
	return false;
}

int be_list_vms(struct be_conn *c, struct be_vm_list *out, struct be_error *err)
{
	size_t i;

	(void)c;
	(void)err;
	enter_call(&list_calls);
	pthread_mutex_lock(&lock);
	out->vms = xcalloc(host.n, sizeof(*out->vms));
	for (i = 0; i < host.n; i++) {
		/* Like the bulk call: no details. */
		be_vm_copy(&out->vms[i], &host.vms[i]);
		out->vms[i].nsnap = -1;
		out->vms[i].chain_depth = -1;
	}
	out->n = host.n;
	pthread_mutex_unlock(&lock);
	leave_call();
	return 0;
}

int be_vm_details(struct be_conn *c, struct be_vm *vm, struct be_error *err)
{
	size_t i;
	int rc = -1;

	(void)c;
	enter_call(&detail_calls);
	pthread_mutex_lock(&lock);
	for (i = 0; i < host.n; i++)
		if (!strcmp(host.vms[i].name, vm->name)) {
			free(vm->name);
			be_vm_copy(vm, &host.vms[i]);
			rc = 0;
		}
	pthread_mutex_unlock(&lock);
	if (rc < 0)
		str_copy(err->msg, "Domain not found", sizeof(err->msg));
	leave_call();
	return rc;
}

struct fleet {
	struct be_conn *c;
	struct be_vm *vms;
	void (*done)(void *ctx, size_t i, bool ok);
	void *ctx;
};

static void fleet_one(void *ctx, size_t i)
{
	struct fleet *f = ctx;
	struct be_error err;

	f->done(f->ctx, i, be_vm_details(f->c, &f->vms[i], &err) == 0);
}

/* 32 VMs at a time, each one slow call: a slow link's rounds. */
void be_vms_details(struct be_conn *c, struct be_vm *vms, size_t n, void (*done)(void *ctx, size_t i, bool ok),
		    void *ctx)
{
	struct fleet f = {c, vms, done, ctx};

	parallel_for(n, 32, fleet_one, &f);
}

int be_vm_act(struct be_conn *c, const char *name, enum be_action act, struct be_error *err)
{
	int rc = 0;

	(void)c;
	(void)name;
	(void)act;
	enter_call(&act_calls);
	pthread_mutex_lock(&lock);
	if (act_error[0]) {
		str_copy(err->msg, act_error, sizeof(err->msg));
		rc = -1;
	}
	pthread_mutex_unlock(&lock);
	leave_call();
	return rc;
}

/* The fake host's VM named vm must still have uuid. */
int be_vm_check(struct be_conn *c, const char *vm, const char *uuid, struct be_error *err)
{
	size_t i;
	int rc = 0;

	(void)c;
	pthread_mutex_lock(&lock);
	for (i = 0; i < host.n; i++)
		if (!strcmp(host.vms[i].name, vm) && strcmp(host.vms[i].uuid, uuid)) {
			snprintf(err->msg, sizeof(err->msg), "%s is not the VM that was selected any more", vm);
			err->kind = BE_ERR_REFUSED;
			rc = -1;
		}
	pthread_mutex_unlock(&lock);
	return rc;
}

int be_watch(struct be_conn *c, be_event_fn fn, void *ctx, struct be_error *err)
{
	(void)c;
	(void)fn;
	(void)ctx;
	(void)err;
	return 0;
}

/* Snapshots, disks and jobs: the fake host has none of its own; tests of
 * those state machines feed events to the core directly. These keep the
 * worker linkable and count what was asked. */

int fake_snap_calls(void)
{
	int v;

	pthread_mutex_lock(&lock);
	v = snap_calls;
	pthread_mutex_unlock(&lock);
	return v;
}

void fake_set_job(unsigned long long done, unsigned long long total)
{
	pthread_mutex_lock(&lock);
	job.active = true;
	job.done = done;
	job.total = total;
	pthread_mutex_unlock(&lock);
}

int be_snapshots(struct be_conn *c, const char *vm, struct be_snap_list *out, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)err;
	enter_call(&snap_calls);
	memset(out, 0, sizeof(*out));
	leave_call();
	return 0;
}

static int snap_op(struct be_error *err)
{
	enter_call(&snap_calls);
	leave_call();
	(void)err;
	return 0;
}

int be_snapshot_create(struct be_conn *c, const char *vm, const char *name, const char *description,
		       struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)name;
	(void)description;
	return snap_op(err);
}

unsigned long be_lib_version(struct be_conn *c)
{
	(void)c;
	return 9000000; /* this machine's: vmmanager's own external revert */
}

int be_snapshot_revert(struct be_conn *c, const char *vm, const char *name, bool force, bool discard_save,
		       struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)name;
	(void)force;
	(void)discard_save;
	return snap_op(err);
}

int be_snapshot_delete(struct be_conn *c, const char *vm, const char *name, enum be_snap_delete mode,
		       struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)name;
	(void)mode;
	return snap_op(err);
}

int be_vm_disks(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)err;
	memset(out, 0, sizeof(*out));
	return 0;
}

int be_vm_disks_scan(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err)
{
	return be_vm_disks(c, vm, out, err);
}

int be_job_info(struct be_conn *c, const char *vm, struct be_job_info *out, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)err;
	pthread_mutex_lock(&lock);
	*out = job;
	pthread_mutex_unlock(&lock);
	return 0;
}

int be_job_abort(struct be_conn *c, const char *vm, struct be_error *err)
{
	(void)c;
	(void)vm;
	return snap_op(err);
}

int be_snapshot_create_external(struct be_conn *c, const char *vm, const char *name, const char *description,
				bool memory, char *note, size_t nn, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)name;
	(void)description;
	(void)memory;
	if (nn)
		note[0] = '\0';
	return snap_op(err);
}

int be_overlay_recorded(struct be_conn *c, const char *vm, const char *disk, const char *path, const char *name,
			char *note, size_t nn, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)path;
	(void)name;
	if (nn)
		note[0] = '\0';
	return snap_op(err);
}

/* Block jobs and overlays: the core's unit tests check the commands it
 * emits; what reaches libvirt is tested end to end. */
int be_overlay_new(struct be_conn *c, const char *vm, const char *disk, const char *path, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)path;
	return snap_op(err);
}

int be_overlay_discard(struct be_conn *c, const char *vm, const char *disk, const char *keep, const char *fresh,
		       struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)keep;
	(void)fresh;
	return snap_op(err);
}

int be_block_commit(struct be_conn *c, const char *vm, const char *disk, const char *base, bool shut_off,
		    unsigned long long bandwidth, struct be_error *err)
{
	(void)shut_off;
	(void)c;
	(void)vm;
	(void)disk;
	(void)base;
	(void)bandwidth;
	return snap_op(err);
}

int be_block_job_info(struct be_conn *c, const char *vm, const char *disk, struct be_block_job *out,
		      struct be_error *err)
{
	(void)c;
	(void)err;
	memset(out, 0, sizeof(*out));
	snprintf(out->vm, sizeof(out->vm), "%s", vm);
	snprintf(out->disk, sizeof(out->disk), "%s", disk);
	return 0;
}

int be_block_jobs(struct be_conn *c, struct be_block_job_list *out, struct be_error *err)
{
	(void)c;
	(void)err;
	memset(out, 0, sizeof(*out));
	return 0;
}

int be_block_job_abort(struct be_conn *c, const char *vm, const char *disk, bool pivot, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)pivot;
	return snap_op(err);
}

int be_volumes_delete(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err)
{
	(void)c;
	(void)paths;
	(void)n;
	return snap_op(err);
}

int be_vm_delete(struct be_conn *c, const char *vm, const char *const *paths, size_t n, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)paths;
	(void)n;
	return snap_op(err);
}

int be_vm_clone(struct be_conn *c, const char *vm, const char *name, bool full, const char *disk, const char *layer,
		struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)name;
	(void)full;
	(void)disk;
	(void)layer;
	return snap_op(err);
}

static int recover_rc;

void fake_set_recover(int rc)
{
	recover_rc = rc;
}

int be_commit_recover(struct be_conn *c, const char *vm, const char *disk, const char *base, bool offline,
		      struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)base;
	(void)offline;
	if (recover_rc < 0)
		snprintf(err->msg, sizeof(err->msg), "the commit ended without its pivot");
	return recover_rc;
}

void be_refresh_pools(struct be_conn *c)
{
	(void)c;
}

int be_volumes(struct be_conn *c, struct be_vol_list *out, struct be_error *err)
{
	(void)c;
	(void)err;
	memset(out, 0, sizeof(*out));
	return 0;
}

int be_vm_view(struct be_conn *c, const char *vm, struct be_snap_list *snaps, struct be_disk_list *disks,
	       struct be_error *err)
{
	be_vm_disks(c, vm, disks, err);
	return be_snapshots(c, vm, snaps, err);
}

/* The image tools: the fake has no files to give qemu-img. */
static int fake_fail(struct be_error *err)
{
	err->kind = BE_ERR_OTHER;
	snprintf(err->msg, sizeof(err->msg), "the fake backend has no image files");
	return -1;
}

int be_image_layers(struct be_conn *c, const char *vm, const char *disk, const char *from, char ***paths, size_t *n,
		    bool *active_in_use, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)from;
	*paths = NULL;
	*n = 0;
	*active_in_use = true;
	return fake_fail(err);
}

int be_image_may_repair(struct be_conn *c, const char *vm, const char *disk, const char *path, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)path;
	return fake_fail(err);
}

int be_chain_copy(struct be_conn *c, const char *vm, const char *disk, const char *path, bool shut_off,
		  struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)path;
	(void)shut_off;
	return fake_fail(err);
}

int be_image_may_write(struct be_conn *c, const char *vm, const char *disk, const char *path, const char *doing,
		       struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)disk;
	(void)path;
	(void)doing;
	return fake_fail(err);
}

int be_image_snapshot_unknown(struct be_conn *c, const char *vm, const char *name, struct be_error *err)
{
	(void)c;
	(void)vm;
	(void)name;
	return fake_fail(err);
}
