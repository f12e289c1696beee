/* The real backend: connections, events, the VM list, a VM's details and
 * view, and actions. Chains, snapshots, storage, block jobs and the
 * helpers all of them use (common.c) are in the files beside it. */
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/volfetch.h"
#include "backend/xml.h"
#include "shared/util.h"

int be_vm_check(struct be_conn *c, const char *vm, const char *uuid, struct be_error *err)
{
	virDomainPtr dom = virDomainLookupByUUIDString(c->conn, uuid);
	virErrorPtr e;
	const char *name;
	int rc = 0;

	if (!dom) {
		e = virGetLastError();
		if (!e || e->code != VIR_ERR_NO_DOMAIN) {
			be_set_err(err, "cannot look the VM up");
			return -1;
		}
		/* Undefined, perhaps defined again under the same name. */
		dom = virDomainLookupByName(c->conn, vm);
		rc = be_refuse(err, dom ? "%s is not the VM that was selected any more (that one was removed and "
					  "another defined under its name); nothing was done"
					: "%s is not on the host any more; nothing was done",
			       vm);
	} else if (!(name = virDomainGetName(dom)) || strcmp(name, vm)) {
		rc = be_refuse(err, "%s was renamed to %s since it was selected; nothing was done", vm,
			       name ? name : "(unknown)");
	}
	if (dom)
		virDomainFree(dom);
	return rc;
}

/* libvirt prints errors to stderr unless told otherwise; the TUI shows
 * them in its status line instead. */
static void quiet_error(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

/* libxml2 prints parse problems (a test driver file that is missing, say)
 * to stderr; libvirt reports them through its own error anyway. */
static void quiet_xml(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void *event_loop(void *arg)
{
	(void)arg;
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			break;
	return NULL;
}

int be_init(struct be_error *err)
{
	static bool done;
	pthread_t t;

	if (done)
		return 0;
	virSetErrorFunc(NULL, quiet_error);
	xmlInitParser(); /* before threads parse at once */
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
		be_set_err(err, "cannot initialise libvirt");
		return -1;
	}
	if (pthread_create(&t, NULL, event_loop, NULL) != 0) {
		str_copy(err->msg, "cannot start the libvirt event thread", sizeof(err->msg));
		return -1;
	}
	pthread_detach(t);
	done = true;
	return 0;
}

/* libvirt's credential callback, answered by the caller's be_auth_fn. */
static int ask_creds(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
	struct be_conn *c = cbdata;
	struct be_cred creds[BE_CREDS_MAX];
	unsigned int i;
	int rc;

	if (ncred > BE_CREDS_MAX)
		return -1;
	memset(creds, 0, sizeof(creds));
	for (i = 0; i < ncred; i++) {
		switch (cred[i].type) {
		case VIR_CRED_AUTHNAME: creds[i].type = BE_CRED_USER; break;
		case VIR_CRED_PASSPHRASE: creds[i].type = BE_CRED_PASSWORD; break;
		case VIR_CRED_ECHOPROMPT: creds[i].type = BE_CRED_ECHO; break;
		default: creds[i].type = BE_CRED_NOECHO; break;
		}
		str_copy(creds[i].prompt, cred[i].prompt ? cred[i].prompt : "", sizeof(creds[i].prompt));
		if (cred[i].defresult)
			str_copy(creds[i].answer, cred[i].defresult, sizeof(creds[i].answer));
	}
	rc = c->auth(c->auth_ctx, creds, ncred);
	for (i = 0; i < ncred && rc == 0; i++) {
		cred[i].result = strdup(creds[i].answer);
		cred[i].resultlen = cred[i].result ? (unsigned int)strlen(cred[i].result) : 0;
		if (!cred[i].result)
			rc = -1;
	}
	explicit_bzero(creds, sizeof(creds)); /* no secret left on the stack */
	return rc;
}

struct be_conn *be_open(const char *uri, bool readonly, struct be_error *err)
{
	return be_open_auth(uri, readonly, NULL, NULL, err);
}

void be_set_auth(struct be_conn *c, be_auth_fn fn, void *ctx)
{
	c->auth = fn;
	c->auth_ctx = ctx;
}

struct be_conn *be_ref(struct be_conn *c)
{
	__atomic_add_fetch(&c->refs, 1, __ATOMIC_SEQ_CST);
	return c;
}

struct be_conn *be_open_auth(const char *uri, bool readonly, be_auth_fn fn, void *ctx, struct be_error *err)
{
	static int types[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT};
	struct be_conn *c = xcalloc(1, sizeof(*c));
	virConnectAuth auth = {types, ARRAY_LEN(types), ask_creds, c};
	virConnectPtr conn;
	char *s;

	xmlSetGenericErrorFunc(NULL, quiet_xml); /* per thread in libxml2 */
	c->auth = fn;
	c->auth_ctx = ctx;
	/* Without fn, libvirt's own prompts, on the terminal (--print). */
	conn = virConnectOpenAuth(uri, fn ? &auth : virConnectAuthPtrDefault, readonly ? VIR_CONNECT_RO : 0);
	if (!conn) {
		be_set_err(err, "cannot connect to the hypervisor");
		free(c);
		return NULL;
	}
	c->refs = 1;
	pthread_mutex_init(&c->cb_lock, NULL);
	pthread_mutex_init(&c->calls_lock, NULL);
	pthread_cond_init(&c->calls_cond, NULL);
	c->conn = conn;
	c->readonly = readonly;
	c->lifecycle_id = -1;
	c->blockjob_id = -1;
	s = virConnectGetURI(conn); /* from the connection itself, no call */
	c->uri = xstrdup(s ? s : uri);
	free(s);
	/* The host name and keepalive come later (be_hostname, be_watch):
	 * what the screens need first is the list, a round trip sooner. */
	return c;
}

static void on_close(virConnectPtr conn, int reason, void *opaque);

struct be_conn *be_open_ops(struct be_conn *c, struct be_error *err)
{
	const char *type = virConnectGetType(c->conn);

	/* Each test-driver connection has its own copy of the host. */
	if (type && !strcmp(type, "TEST"))
		return be_ref(c);
	return be_open_auth(c->uri, c->readonly, c->auth, c->auth_ctx, err);
}

/* Closed connections that had callbacks: libvirt may be about to call one
 * (it checks for deregistration before it unlocks to call), so their
 * structs are kept, a few hundred bytes each, until the process ends. */
static pthread_mutex_t graveyard_lock = PTHREAD_MUTEX_INITIALIZER;
static struct be_conn *graveyard;

static void bury(struct be_conn *c)
{
	if (!c->watched) {
		pthread_mutex_destroy(&c->cb_lock);
		pthread_mutex_destroy(&c->calls_lock);
		pthread_cond_destroy(&c->calls_cond);
		free(c->uri);
		free(c->host);
		free(c);
		return;
	}
	pthread_mutex_lock(&graveyard_lock);
	c->next = graveyard;
	graveyard = c;
	pthread_mutex_unlock(&graveyard_lock);
}

void be_close(struct be_conn *c)
{
	if (!c || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	/* From here no callback reaches the caller's fn, whose context may go
	 * as soon as this returns. */
	pthread_mutex_lock(&c->cb_lock);
	c->closing = true;
	pthread_mutex_unlock(&c->cb_lock);
	if (c->lifecycle_id >= 0)
		virConnectDomainEventDeregisterAny(c->conn, c->lifecycle_id);
	if (c->blockjob_id >= 0)
		virConnectDomainEventDeregisterAny(c->conn, c->blockjob_id);
	if (c->close_cb)
		virConnectUnregisterCloseCallback(c->conn, on_close);
	virConnectClose(c->conn);
	bury(c);
}

/* Delivers ev to the watcher unless the connection is being closed. */
static void deliver(struct be_conn *c, const struct be_event *ev)
{
	pthread_mutex_lock(&c->cb_lock);
	if (!c->closing && c->fn)
		c->fn(c->ctx, ev);
	pthread_mutex_unlock(&c->cb_lock);
}

struct fanout {
	struct be_conn *c;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void fanout_one(void *ctx, size_t i)
{
	struct fanout *f = ctx;
	struct be_conn *c = f->c;

	pthread_mutex_lock(&c->calls_lock);
	while (c->calls >= BE_FANOUT_MAX)
		pthread_cond_wait(&c->calls_cond, &c->calls_lock);
	if (++c->calls > c->calls_peak)
		c->calls_peak = c->calls;
	pthread_mutex_unlock(&c->calls_lock);
	f->fn(f->ctx, i);
	pthread_mutex_lock(&c->calls_lock);
	c->calls--;
	pthread_cond_signal(&c->calls_cond);
	pthread_mutex_unlock(&c->calls_lock);
}

void be_fanout(struct be_conn *c, size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct fanout f = {c, fn, ctx};

	parallel_for(n, BE_FANOUT_MAX, fanout_one, &f);
}

int be_calls_peak(struct be_conn *c)
{
	int n;

	pthread_mutex_lock(&c->calls_lock);
	n = c->calls_peak;
	pthread_mutex_unlock(&c->calls_lock);
	return n;
}

const char *be_uri(const struct be_conn *c)
{
	return c->uri;
}

const char *be_hostname(struct be_conn *c)
{
	char *s;

	if (!c->host) { /* asked once, by the thread that owns c */
		s = virConnectGetHostname(c->conn);
		c->host = xstrdup(s ? s : "?");
		free(s);
		virResetLastError();
	}
	return c->host;
}

bool be_readonly(const struct be_conn *c)
{
	return c->readonly;
}

static enum be_vm_state map_state(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
	case VIR_DOMAIN_BLOCKED:
	case VIR_DOMAIN_SHUTDOWN:
		return BE_VM_RUNNING;
	case VIR_DOMAIN_PAUSED:
		return BE_VM_PAUSED;
	case VIR_DOMAIN_PMSUSPENDED:
		return BE_VM_PMSUSPENDED;
	case VIR_DOMAIN_SHUTOFF:
		return BE_VM_SHUTOFF;
	case VIR_DOMAIN_CRASHED:
		return BE_VM_CRASHED;
	default:
		return BE_VM_OTHER;
	}
}

static void read_stats(struct be_vm *v, virDomainStatsRecordPtr r)
{
	int i;

	for (i = 0; i < r->nparams; i++) {
		virTypedParameterPtr p = &r->params[i];

		if (!strcmp(p->field, "state.state"))
			v->state = map_state(p->value.i);
		else if (!strcmp(p->field, "vcpu.current"))
			v->vcpus = (int)p->value.ui;
		else if (!strcmp(p->field, "balloon.maximum"))
			v->mem_kib = (long long)p->value.ul;
	}
}

static bool in_list(virDomainPtr *doms, int n, const char *uuid)
{
	char u[VIR_UUID_STRING_BUFLEN];
	int i;

	for (i = 0; i < n; i++)
		if (virDomainGetUUIDString(doms[i], u) == 0 && !strcmp(u, uuid))
			return true;
	return false;
}

/* The two calls of the list, independent of each other: sent at once. */
struct list_read {
	virConnectPtr conn;
	virDomainStatsRecordPtr *recs;
	virDomainPtr *saved;
	int n, nsaved;
	struct be_error err;
};

static void list_task(void *ctx, size_t i)
{
	struct list_read *r = ctx;

	if (i == 0) {
		/* One call for every domain; NOWAIT keeps a busy VM from
		 * stalling it. */
		r->n = virConnectGetAllDomainStats(r->conn,
						   VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU |
							   VIR_DOMAIN_STATS_BALLOON,
						   &r->recs, VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT);
		if (r->n < 0)
			be_set_err(&r->err, "cannot list domains");
	} else {
		/* And the hibernated ones, which the stats do not mark. */
		r->nsaved = virConnectListAllDomains(r->conn, &r->saved, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE);
		if (r->nsaved < 0)
			r->nsaved = 0;
	}
}

int be_list_vms(struct be_conn *c, struct be_vm_list *out, struct be_error *err)
{
	struct list_read r = {.conn = c->conn};
	int i;

	memset(out, 0, sizeof(*out));
	parallel_for(2, 2, list_task, &r);
	if (r.n < 0) {
		*err = r.err;
		for (i = 0; i < r.nsaved; i++)
			virDomainFree(r.saved[i]);
		free(r.saved);
		return -1;
	}
	out->vms = xcalloc((size_t)r.n, sizeof(*out->vms));
	for (i = 0; i < r.n; i++) {
		struct be_vm *v = &out->vms[i];

		v->name = xstrdup(virDomainGetName(r.recs[i]->dom));
		virDomainGetUUIDString(r.recs[i]->dom, v->uuid);
		v->state = BE_VM_OTHER;
		v->vcpus = -1;
		v->mem_kib = -1;
		v->nsnap = -1;
		v->chain_depth = -1;
		read_stats(v, r.recs[i]);
		if (v->state == BE_VM_SHUTOFF && in_list(r.saved, r.nsaved, v->uuid))
			v->state = BE_VM_SAVED;
	}
	out->n = (size_t)r.n;
	for (i = 0; i < r.nsaved; i++)
		virDomainFree(r.saved[i]);
	free(r.saved);
	virDomainStatsRecordListFree(r.recs);
	return 0;
}

struct details {
	struct be_conn *c;
	virDomainPtr dom;
	struct be_vm *vm;
	struct be_disk_list disks;
	int rc[2];
	struct be_error err[2];
};

/* Task 0 reads the counts, task 1 the disk chains: at once, because a
 * slow link costs each call a round trip and a fleet has many VMs. */
static void details_task(void *ctx, size_t i)
{
	struct details *d = ctx;
	virDomainInfo info;

	if (i == 1) {
		d->rc[1] = be_dom_disks(d->c, d->dom, 0, &d->disks, &d->err[1]);
		return;
	}
	d->rc[0] = -1;
	if (virDomainGetInfo(d->dom, &info) < 0 || (d->vm->nsnap = virDomainSnapshotNum(d->dom, 0)) < 0) {
		be_set_err(&d->err[0], "cannot read VM details");
		return;
	}
	d->vm->vcpus = info.nrVirtCpu;
	d->vm->mem_kib = (long long)info.maxMem;
	d->rc[0] = 0;
}

int be_vm_details(struct be_conn *c, struct be_vm *vm, struct be_error *err)
{
	struct details d = {.c = c, .vm = vm};
	size_t i;

	if (!(d.dom = be_lookup(c, vm->name, err)))
		return -1;
	virDomainGetUUIDString(d.dom, vm->uuid);
	parallel_for(2, 2, details_task, &d);
	virDomainFree(d.dom);
	if (d.rc[0] < 0 || d.rc[1] < 0) {
		*err = d.err[d.rc[0] < 0 ? 0 : 1];
		be_disk_list_clear(&d.disks);
		return -1;
	}
	vm->chain_depth = 0;
	for (i = 0; i < d.disks.n; i++)
		if (d.disks.d[i].device == BE_DEV_DISK && (int)d.disks.d[i].nlayers > vm->chain_depth)
			vm->chain_depth = (int)d.disks.d[i].nlayers;
	be_disk_list_clear(&d.disks);
	return 0;
}

/* A fleet's details: each VM's three parts (counts, snapshots, disks)
 * read at once, every VM's too, as many as the connection's bound lets
 * through, the first VMs first. */
enum { PART_INFO, PART_SNAPS, PART_DISKS, PARTS };
/* VMs read before the others: a screenful, and then some. */
#define FLEET_HEAD 32
/* The rest of the fleet starts when at most this many of the head's
 * parts are left: a deep chain named unlike (a round trip a layer) then
 * holds up only its own VM's column, not the fleet's. */
#define HEAD_SLOW 2
/* Up to this many VMs, each is looked up by name, and each layer by
 * path; more, and the host's lists of domains and volumes are read. */
#define FLEET_LOOKUPS 8

struct fleet {
	struct be_conn *c;
	struct be_vm *vms;
	virDomainPtr *dom; /* NULL: not on the host (any more) */
	int *left;         /* parts still to read, per VM */
	bool *failed;
	void (*done)(void *ctx, size_t i, bool ok);
	void *ctx;
	struct vol_cat *cat; /* every pool's volumes, or NULL (a few VMs) */
	size_t n;
	size_t head_left;    /* parts of the head not done */
	pthread_cond_t head_cond;
	pthread_mutex_t lock; /* guards left, failed and head_left */
};

static void fleet_lookup(void *ctx, size_t i)
{
	struct fleet *f = ctx;

	f->dom[i] = virDomainLookupByName(f->c->conn, f->vms[i].name);
	if (!f->dom[i])
		virResetLastError();
}

static int by_dom_name(const void *pa, const void *pb)
{
	return strcmp(virDomainGetName(*(virDomainPtr const *)pa), virDomainGetName(*(virDomainPtr const *)pb));
}

/* Every VM's handle: one call for the whole host, or, for a few VMs, a
 * lookup each (all at once); one round trip either way. */
static void fleet_handles(struct fleet *f, size_t n)
{
	virDomainPtr *all = NULL;
	int nall, k;
	size_t i;

	if (n <= FLEET_LOOKUPS || (nall = virConnectListAllDomains(f->c->conn, &all, 0)) < 0) {
		virResetLastError();
		be_fanout(f->c, n, fleet_lookup, f);
		return;
	}
	qsort(all, (size_t)nall, sizeof(*all), by_dom_name);
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = (size_t)nall;

		while (lo < hi) { /* the first not before the name */
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(virDomainGetName(all[mid]), f->vms[i].name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < (size_t)nall && !strcmp(virDomainGetName(all[lo]), f->vms[i].name) &&
		    virDomainRef(all[lo]) == 0)
			f->dom[i] = all[lo];
	}
	for (k = 0; k < nall; k++)
		virDomainFree(all[k]);
	free(all);
}

static void fleet_part(void *ctx, size_t i)
{
	struct fleet *f = ctx;
	size_t v = i / PARTS;
	struct be_vm *vm = &f->vms[v];
	virDomainPtr dom = f->dom[v];
	bool ok = dom != NULL, last;

	if (ok && i % PARTS == PART_INFO) {
		virDomainInfo info;

		/* The list's bulk stats give them for most drivers. */
		if (vm->vcpus <= 0 || vm->mem_kib <= 0) {
			ok = virDomainGetInfo(dom, &info) == 0;
			if (ok) {
				vm->vcpus = info.nrVirtCpu;
				vm->mem_kib = (long long)info.maxMem;
			}
		}
	} else if (ok && i % PARTS == PART_SNAPS) {
		ok = (vm->nsnap = virDomainSnapshotNum(dom, 0)) >= 0;
	} else if (ok) {
		struct be_disk_list disks;
		struct be_error err;
		size_t k;

		/* The head's chains are read ahead as the VM screen's are: a
		 * deep one takes a few round trips, not two a layer. */
		ok = be_dom_disks_cat(f->c, dom, v < FLEET_HEAD ? DISKS_AHEAD : 0, f->cat, &disks, &err) == 0;
		vm->chain_depth = ok ? 0 : -1;
		for (k = 0; ok && k < disks.n; k++)
			if (disks.d[k].device == BE_DEV_DISK && (int)disks.d[k].nlayers > vm->chain_depth)
				vm->chain_depth = (int)disks.d[k].nlayers;
		be_disk_list_clear(&disks);
	}
	if (!ok)
		virResetLastError();
	pthread_mutex_lock(&f->lock);
	f->failed[v] |= !ok;
	if (v < FLEET_HEAD && --f->head_left <= HEAD_SLOW)
		pthread_cond_signal(&f->head_cond);
	last = --f->left[v] == 0;
	ok = !f->failed[v];
	pthread_mutex_unlock(&f->lock);
	if (last) {
		if (dom)
			virDomainGetUUIDString(dom, vm->uuid);
		f->done(f->ctx, v, ok);
	}
}

static void fleet_rest(void *ctx, size_t i)
{
	fleet_part(ctx, i + FLEET_HEAD * PARTS);
}

/* Task 0: the head; task 1: the rest, once the head is nearly done. */
static void fleet_phase(void *ctx, size_t i)
{
	struct fleet *f = ctx;

	if (i == 0) {
		be_fanout(f->c, FLEET_HEAD * PARTS, fleet_part, f);
		return;
	}
	pthread_mutex_lock(&f->lock);
	while (f->head_left > HEAD_SLOW)
		pthread_cond_wait(&f->head_cond, &f->lock);
	pthread_mutex_unlock(&f->lock);
	be_fanout(f->c, (f->n - FLEET_HEAD) * PARTS, fleet_rest, f);
}

void be_vms_details(struct be_conn *c, struct be_vm *vms, size_t n, void (*done)(void *ctx, size_t i, bool ok),
		    void *ctx)
{
	struct fleet f = {.c = c, .vms = vms, .done = done, .ctx = ctx};
	size_t i;

	if (!n)
		return;
	f.dom = xcalloc(n, sizeof(*f.dom));
	f.left = xcalloc(n, sizeof(*f.left));
	f.failed = xcalloc(n, sizeof(*f.failed));
	for (i = 0; i < n; i++)
		f.left[i] = PARTS;
	f.n = n;
	f.head_left = (n < FLEET_HEAD ? n : FLEET_HEAD) * PARTS;
	pthread_cond_init(&f.head_cond, NULL);
	pthread_mutex_init(&f.lock, NULL);
	/* Every pool's volumes listed beside the handles: a layer's key
	 * then saves its lookup by path (some 500 calls for 500 VMs, and a
	 * round trip a VM). A few VMs look theirs up. */
	if (n > FLEET_LOOKUPS)
		f.cat = vc_new(c->conn);
	fleet_handles(&f, n);
	/* The head first, on its own: otherwise its later calls (a chain's
	 * volume, after the VM's XML) would wait at the daemon behind every
	 * other VM's first ones, and the first screenful would come last.
	 * The rest starts when only the head's slowest parts are left. */
	if (n > FLEET_HEAD)
		parallel_for(2, 2, fleet_phase, &f);
	else
		be_fanout(c, n * PARTS, fleet_part, &f);
	pthread_cond_destroy(&f.head_cond);
	pthread_mutex_destroy(&f.lock);
	vc_free(f.cat);
	for (i = 0; i < n; i++)
		if (f.dom[i])
			virDomainFree(f.dom[i]);
	free(f.dom);
	free(f.left);
	free(f.failed);
}

struct view_read {
	struct be_conn *c;
	const char *vm;
	struct be_snap_list *snaps;
	struct be_disk_list *disks;
	int rc[2];
	struct be_error err[2];
};

static void view_task(void *ctx, size_t i)
{
	struct view_read *r = ctx;

	if (i == 0)
		r->rc[0] = be_snapshots(r->c, r->vm, r->snaps, &r->err[0]);
	else
		r->rc[1] = be_vm_disks(r->c, r->vm, r->disks, &r->err[1]);
}

int be_vm_view(struct be_conn *c, const char *vm, struct be_snap_list *snaps, struct be_disk_list *disks,
	       struct be_error *err)
{
	struct view_read r = {.c = c, .vm = vm, .snaps = snaps, .disks = disks};

	/* At once: a slow link costs its round trips once for both. */
	parallel_for(2, 2, view_task, &r);
	if (r.rc[0] < 0 || r.rc[1] < 0) {
		*err = r.err[r.rc[0] < 0 ? 0 : 1];
		be_snap_list_clear(snaps);
		be_disk_list_clear(disks);
		return -1;
	}
	return 0;
}

/* Saving memory while a block job rewrites a disk would fail halfway (or
 * leave the job orphaned): refuse first, saying which disk is busy. */
static int block_job_check(struct be_conn *c, virDomainPtr dom, struct be_error *err)
{
	struct be_disk_list disks;
	size_t i;
	int busy = 0;

	if (be_dom_disks(c, dom, 0, &disks, err) < 0)
		return 0; /* cannot tell: let libvirt decide */
	for (i = 0; i < disks.n && !busy; i++) {
		virDomainBlockJobInfo info;

		if (virDomainGetBlockJobInfo(dom, disks.d[i].target, &info, 0) == 1) {
			be_set_msg(err, BE_ERR_OTHER,
				   "%s has a block job running (%s): wait for it or abort it on the jobs screen first",
				   disks.d[i].target, info.type == VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT ? "active commit"
						      : info.type == VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT	   ? "commit"
						      : info.type == VIR_DOMAIN_BLOCK_JOB_TYPE_COPY	   ? "copy"
												   : "pull");
			busy = 1;
		}
	}
	virResetLastError();
	be_disk_list_clear(&disks);
	return busy ? -1 : 0;
}

/* A saved state holds the memory of a guest that was using particular disk
 * images. If the definition now points elsewhere (an overlay discarded or
 * made since), resuming would run that memory on other disks: refuse. */
static int saved_disks_check(virDomainPtr dom, struct be_error *err)
{
	char *saved = virDomainManagedSaveGetXMLDesc(dom, 0);
	char *now = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	struct be_disk_list a = {0}, b = {0};
	size_t i, j;
	int rc = 0;

	if (saved && now && xml_parse_disks(saved, &a) == 0 && xml_parse_disks(now, &b) == 0) {
		for (i = 0; i < a.n && rc == 0; i++)
			for (j = 0; j < b.n; j++) {
				/* A CD-ROM's medium may change while hibernated. */
				if (strcmp(a.d[i].target, b.d[j].target) || !a.d[i].nlayers || !b.d[j].nlayers ||
				    a.d[i].device != BE_DEV_DISK)
					continue;
				if (strcmp(a.d[i].layers[0].path, b.d[j].layers[0].path)) {
					rc = be_set_msg(err, BE_ERR_OTHER,
							"the saved state was made with %s on %s, but %s is now %s: "
							"resuming would corrupt the guest",
							a.d[i].target, a.d[i].layers[0].path, b.d[j].target,
							b.d[j].layers[0].path);
				}
				break;
			}
	}
	virResetLastError(); /* an old daemon without the call: let it try */
	be_disk_list_clear(&a);
	be_disk_list_clear(&b);
	free(saved);
	free(now);
	return rc;
}

int be_vm_act(struct be_conn *c, const char *name, enum be_action act, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, name, err);
	int rc = -1;

	if (!dom)
		return -1;
	switch (act) {
	case BE_ACT_HIBERNATE:
		rc = block_job_check(c, dom, err) < 0 ? -2 : virDomainManagedSave(dom, 0);
		break;
	case BE_ACT_DISCARD_SAVE: rc = virDomainManagedSaveRemove(dom, 0); break;
	case BE_ACT_START_FRESH:
		rc = virDomainHasManagedSaveImage(dom, 0) == 1 ? virDomainManagedSaveRemove(dom, 0) : 0;
		if (rc == 0)
			rc = virDomainCreate(dom);
		break;
	case BE_ACT_START:
		if (virDomainHasManagedSaveImage(dom, 0) == 1 && saved_disks_check(dom, err) < 0)
			rc = -2;
		else
			rc = virDomainCreate(dom);
		break;
	case BE_ACT_SHUTDOWN: rc = virDomainShutdown(dom); break;
	case BE_ACT_DESTROY: rc = virDomainDestroy(dom); break;
	case BE_ACT_SUSPEND: rc = virDomainSuspend(dom); break;
	case BE_ACT_RESUME: rc = virDomainResume(dom); break;
	}
	if (rc == -1)
		be_set_err(err, "the operation failed");
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
	struct be_conn *c = opaque;
	struct be_event ev = {.kind = BE_EV_LIFECYCLE};
	const char *name = virDomainGetName(dom) ? virDomainGetName(dom) : "";

	(void)conn;
	(void)event;
	(void)detail;
	str_copy(ev.name, name, sizeof(ev.name));
	ev.name_cut = strlen(name) >= sizeof(ev.name);
	virDomainGetUUIDString(dom, ev.uuid);
	deliver(c, &ev);
	return 0;
}

static void on_block_job(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status,
			 void *opaque)
{
	struct be_conn *c = opaque;
	struct be_event ev = {.kind = BE_EV_BLOCK_JOB};
	const char *name = virDomainGetName(dom) ? virDomainGetName(dom) : "";

	(void)conn;
	str_copy(ev.name, name, sizeof(ev.name));
	ev.name_cut = strlen(name) >= sizeof(ev.name);
	virDomainGetUUIDString(dom, ev.uuid);
	str_copy(ev.disk, disk, sizeof(ev.disk));
	ev.bj_type = be_bj_type(type);
	switch (status) {
	case VIR_DOMAIN_BLOCK_JOB_COMPLETED: ev.bj_status = BE_BJS_COMPLETED; break;
	case VIR_DOMAIN_BLOCK_JOB_CANCELED: ev.bj_status = BE_BJS_CANCELED; break;
	case VIR_DOMAIN_BLOCK_JOB_READY: ev.bj_status = BE_BJS_READY; break;
	default: ev.bj_status = BE_BJS_FAILED; break;
	}
	deliver(c, &ev);
}

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
	struct be_conn *c = opaque;
	struct be_event ev = {.kind = BE_EV_CONN_CLOSED};

	(void)conn;
	snprintf(ev.name, sizeof(ev.name), "%s",
		 reason == VIR_CONNECT_CLOSE_REASON_KEEPALIVE ? "keepalive timed out"
		 : reason == VIR_CONNECT_CLOSE_REASON_EOF ? "the daemon closed the connection"
							   : "connection closed");
	deliver(c, &ev);
}

int be_watch(struct be_conn *c, be_event_fn fn, void *ctx, struct be_error *err)
{
	/* Notice a dead peer within seconds; local drivers refuse, harmlessly. */
	if (virConnectSetKeepAlive(c->conn, 5, 3) < 0)
		virResetLastError();
	c->fn = fn;
	c->ctx = ctx;
	c->lifecycle_id = virConnectDomainEventRegisterAny(c->conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
							   VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), c, NULL);
	if (c->lifecycle_id < 0) {
		be_set_err(err, "cannot watch domain events");
		return -1;
	}
	c->watched = true;
	/* The _2 event names disks by target ("vda"), not by path. */
	c->blockjob_id = virConnectDomainEventRegisterAny(c->conn, NULL, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
							  VIR_DOMAIN_EVENT_CALLBACK(on_block_job), c, NULL);
	if (c->blockjob_id < 0)
		virResetLastError(); /* the test driver has no block jobs */
	if (virConnectRegisterCloseCallback(c->conn, on_close, c, NULL) == 0)
		c->close_cb = true;
	else
		virResetLastError(); /* some drivers have none */
	return 0;
}
