/* The snapshot side of the real backend (snapshot.c, snaplist.c, chain.c,
 * job.c) against libvirt's test driver, on fixture.xml. Every test opens
 * its own connection, so every test starts from the file's state; the
 * outcome of each operation is read back through a second backend call
 * (be_snapshots, be_list_vms or be_vm_details), never from the operation's
 * own result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "shared/util.h"

int snapshot_tests(const char *fixture_uri);

/* Text that breaks XML built by hand: quotes, markup, an entity, non-ASCII. */
#define HOSTILE_NAME "q\"u'o<t>e&s \xe2\x9c\x93 \xc3\xbcn\xc3\xaf"
#define HOSTILE_DESC "<desc> & \"more\""

static const char *uri;

static int open_conn(void **state)
{
	struct be_error err = {0};
	struct be_conn *c = be_open(uri, false, &err);

	if (!c)
		fprintf(stderr, "cannot open %s: %s\n", uri, err.msg);
	*state = c;
	return c ? 0 : -1;
}

static int close_conn(void **state)
{
	be_close(*state);
	return 0;
}

static const struct be_snapshot *snap(const struct be_snap_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->s[i].name, name))
			return &l->s[i];
	return NULL;
}

/* The one current snapshot's name, NULL when there is none; fails the
 * test when more than one is marked current. */
static const char *current_of(const struct be_snap_list *l)
{
	const char *cur = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->s[i].current) {
			assert_null(cur);
			cur = l->s[i].name;
		}
	return cur;
}

/* ctime is libvirt's clock, time() here may be the coarse one a tick
 * behind it: allow a second either side. */
static void assert_taken_between(long long ctime, time_t before, time_t after)
{
	if (ctime < (long long)before - 1 || ctime > (long long)after + 1)
		fprintf(stderr, "ctime %lld not in [%lld, %lld]\n", ctime, (long long)before, (long long)after);
	assert_true(ctime >= (long long)before - 1 && ctime <= (long long)after + 1);
}

static void load(struct be_conn *c, const char *vm, struct be_snap_list *l)
{
	struct be_error err = {0};
	int rc = be_snapshots(c, vm, l, &err);

	if (rc != 0)
		fprintf(stderr, "be_snapshots(%s): %s\n", vm, err.msg);
	assert_int_equal(rc, 0);
}

static enum be_vm_state state_of(struct be_conn *c, const char *name)
{
	struct be_vm_list l;
	struct be_error err = {0};
	enum be_vm_state s = BE_VM_OTHER;
	size_t i;
	bool found = false;

	assert_int_equal(be_list_vms(c, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.vms[i].name, name)) {
			s = l.vms[i].state;
			found = true;
		}
	be_vm_list_clear(&l);
	assert_true(found);
	return s;
}

/* The snapshot count as be_vm_details reads it (virDomainSnapshotNum). */
static int nsnap_of(struct be_conn *c, const char *name)
{
	struct be_error err = {0};
	struct be_vm v = {.name = xstrdup(name), .state = BE_VM_OTHER};
	int n;

	assert_int_equal(be_vm_details(c, &v, &err), 0);
	n = v.nsnap;
	be_vm_clear(&v);
	return n;
}

/* A failure must carry libvirt's own words, not be silent. */
static void assert_failed_with_message(int rc, const struct be_error *err)
{
	assert_int_equal(rc, -1);
	assert_true(strlen(err->msg) > 0);
}

/* 1. The fixture's three snapshots of alpha, every field. */
static void alpha_snapshots_have_every_field(void **state)
{
	struct be_conn *c = *state;
	struct be_snap_list l;
	const struct be_snapshot *a1, *a2, *a3;
	size_t i;

	load(c, "alpha", &l);
	assert_int_equal(l.n, 3);
	a1 = snap(&l, "a1");
	a2 = snap(&l, "a2");
	a3 = snap(&l, "a3");
	assert_non_null(a1);
	assert_non_null(a2);
	assert_non_null(a3);

	assert_null(a1->parent);
	assert_non_null(a2->parent);
	assert_string_equal(a2->parent, "a1");
	assert_non_null(a3->parent);
	assert_string_equal(a3->parent, "a1");

	assert_int_equal(a1->ctime, 1767225600);
	assert_int_equal(a2->ctime, 1767312000);
	assert_int_equal(a3->ctime, 1767398400);

	assert_string_equal(a1->state, "shutoff");
	assert_string_equal(a2->state, "paused");
	assert_string_equal(a3->state, "running");

	assert_false(a1->memory);
	assert_true(a2->memory);
	assert_true(a3->memory);
	assert_false(a1->external);
	assert_false(a2->external);
	assert_false(a3->external);

	assert_string_equal(a1->description, "root snapshot");
	assert_string_equal(a2->description, "");
	assert_string_equal(a3->description, "current snapshot");

	assert_false(a1->current);
	assert_false(a2->current);
	assert_true(a3->current);
	assert_string_equal(current_of(&l), "a3");

	for (i = 0; i < l.n; i++) {
		assert_non_null(l.s[i].disks);
		assert_true(strlen(l.s[i].disks) > 0);
		assert_non_null(strstr(l.s[i].disks, "vda"));
	}
	be_snap_list_clear(&l);
	assert_int_equal(nsnap_of(c, "alpha"), 3);
}

/* 2. A shut-off VM: name and description arrive byte for byte, and a
 * second snapshot of the same name is refused with libvirt's message. */
static void create_on_shutoff_keeps_hostile_text(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;
	const struct be_snapshot *s;
	time_t before = time(NULL), after;
	int rc;

	load(c, "gamma", &l);
	assert_int_equal(l.n, 0);
	be_snap_list_clear(&l);

	rc = be_snapshot_create(c, "gamma", HOSTILE_NAME, HOSTILE_DESC, &err);
	if (rc != 0)
		fprintf(stderr, "create: %s\n", err.msg);
	assert_int_equal(rc, 0);
	after = time(NULL);

	load(c, "gamma", &l);
	assert_int_equal(l.n, 1);
	s = &l.s[0];
	assert_string_equal(s->name, HOSTILE_NAME);
	assert_string_equal(s->description, HOSTILE_DESC);
	assert_true(s->current);
	assert_null(s->parent);
	assert_string_equal(s->state, "shutoff");
	assert_false(s->memory);
	assert_taken_between(s->ctime, before, after);
	be_snap_list_clear(&l);
	assert_int_equal(nsnap_of(c, "gamma"), 1);
	assert_int_equal(state_of(c, "gamma"), BE_VM_SHUTOFF);

	memset(&err, 0, sizeof(err));
	rc = be_snapshot_create(c, "gamma", HOSTILE_NAME, "again", &err);
	assert_failed_with_message(rc, &err);
	assert_true(err.code != 0); /* from libvirt, not the fallback text */
	/* "operation failed: domain moment <name> already exists" */
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(err.kind, BE_ERR_OTHER);

	/* Still exactly the one snapshot, unchanged. */
	load(c, "gamma", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.s[0].name, HOSTILE_NAME);
	assert_string_equal(l.s[0].description, HOSTILE_DESC);
	assert_true(l.s[0].current);
	be_snap_list_clear(&l);
}

/* 3. A running VM: the snapshot holds memory, hangs below the previous
 * current snapshot and becomes current itself. */
static void create_on_running_follows_current(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;
	const struct be_snapshot *s;
	time_t before = time(NULL), after;
	int rc;

	rc = be_snapshot_create(c, "alpha", "a4", NULL, &err);
	if (rc != 0)
		fprintf(stderr, "create: %s\n", err.msg);
	assert_int_equal(rc, 0);
	after = time(NULL);

	load(c, "alpha", &l);
	assert_int_equal(l.n, 4);
	s = snap(&l, "a4");
	assert_non_null(s);
	assert_string_equal(s->state, "running");
	assert_true(s->memory);
	assert_non_null(s->parent);
	assert_string_equal(s->parent, "a3");
	assert_string_equal(s->description, "");
	assert_taken_between(s->ctime, before, after);
	assert_true(strlen(s->disks) > 0);
	assert_string_equal(current_of(&l), "a4");
	assert_false(snap(&l, "a3")->current);
	be_snap_list_clear(&l);
	assert_int_equal(nsnap_of(c, "alpha"), 4);
	/* Taking the snapshot leaves the VM running. */
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
}

/* 4. Reverting takes the snapshot's power state and moves "current". */
static void revert_changes_state_and_current(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;
	int rc;

	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
	rc = be_snapshot_revert(c, "alpha", "a1", false, false, &err);
	if (rc != 0)
		fprintf(stderr, "revert a1: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_SHUTOFF);
	load(c, "alpha", &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(current_of(&l), "a1");
	be_snap_list_clear(&l);

	rc = be_snapshot_revert(c, "alpha", "a3", false, false, &err);
	if (rc != 0)
		fprintf(stderr, "revert a3: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
	load(c, "alpha", &l);
	assert_string_equal(current_of(&l), "a3");
	be_snap_list_clear(&l);

	/* a2 was taken paused. */
	rc = be_snapshot_revert(c, "alpha", "a2", false, false, &err);
	if (rc != 0)
		fprintf(stderr, "revert a2: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_PAUSED);
	load(c, "alpha", &l);
	assert_string_equal(current_of(&l), "a2");
	be_snap_list_clear(&l);

	memset(&err, 0, sizeof(err));
	rc = be_snapshot_revert(c, "alpha", "no-such-snapshot", false, false, &err);
	assert_failed_with_message(rc, &err);
	assert_true(err.code != 0);
	assert_non_null(strstr(err.msg, "no-such-snapshot"));
	assert_int_not_equal(err.kind, BE_ERR_NO_VM);
	/* Nothing moved. */
	assert_int_equal(state_of(c, "alpha"), BE_VM_PAUSED);
	load(c, "alpha", &l);
	assert_string_equal(current_of(&l), "a2");
	be_snap_list_clear(&l);
}

static void delete_ok(struct be_conn *c, const char *vm, const char *name, enum be_snap_delete mode)
{
	struct be_error err = {0};
	int rc = be_snapshot_delete(c, vm, name, mode, &err);

	if (rc != 0)
		fprintf(stderr, "delete %s mode %d: %s\n", name, (int)mode, err.msg);
	assert_int_equal(rc, 0);
}

/* 5a. The children of a deleted snapshot move up to its parent (here: none). */
static void delete_one_reparents_children(void **state)
{
	struct be_conn *c = *state;
	struct be_snap_list l;

	delete_ok(c, "alpha", "a1", BE_DEL_ONE);
	load(c, "alpha", &l);
	assert_int_equal(l.n, 2);
	assert_null(snap(&l, "a1"));
	assert_non_null(snap(&l, "a2"));
	assert_non_null(snap(&l, "a3"));
	assert_null(snap(&l, "a2")->parent);
	assert_null(snap(&l, "a3")->parent);
	assert_string_equal(current_of(&l), "a3");
	be_snap_list_clear(&l);
	assert_int_equal(nsnap_of(c, "alpha"), 2);
}

/* 5b. The whole subtree goes, the current snapshot with it. */
static void delete_with_children_removes_subtree(void **state)
{
	struct be_conn *c = *state;
	struct be_snap_list l;

	delete_ok(c, "alpha", "a1", BE_DEL_WITH_CHILDREN);
	load(c, "alpha", &l);
	assert_int_equal(l.n, 0);
	be_snap_list_clear(&l);
	assert_int_equal(nsnap_of(c, "alpha"), 0);
	/* Deleting snapshots never touches the VM's power state. */
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
}

/* 5c. Everything below a1 goes, a1 stays. */
static void delete_children_only_keeps_root(void **state)
{
	struct be_conn *c = *state;
	struct be_snap_list l;

	delete_ok(c, "alpha", "a1", BE_DEL_CHILDREN_ONLY);
	load(c, "alpha", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.s[0].name, "a1");
	assert_null(l.s[0].parent);
	assert_string_equal(l.s[0].description, "root snapshot");
	be_snap_list_clear(&l);
	assert_int_equal(nsnap_of(c, "alpha"), 1);
}

/* 5d. BE_DEL_METADATA asks for VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY,
 * which libvirt 9.0's test driver does not implement: it refuses with
 * "unsupported flags (0x2) in function testDomainSnapshotDelete"
 * (VIR_ERR_INVALID_ARG). So here the mode can only be checked to fail
 * cleanly, with libvirt's reason and nothing deleted; that it forgets only
 * a2 (others intact) needs a real driver. */
static void delete_metadata_only(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;
	int rc;

	rc = be_snapshot_delete(c, "alpha", "a2", BE_DEL_METADATA, &err);
	if (rc == 0) {
		/* A driver that implements it: a2's record goes, the rest stays. */
		load(c, "alpha", &l);
		assert_int_equal(l.n, 2);
		assert_null(snap(&l, "a2"));
		assert_non_null(snap(&l, "a1"));
		assert_non_null(snap(&l, "a3"));
		assert_null(snap(&l, "a1")->parent);
		assert_string_equal(snap(&l, "a3")->parent, "a1");
		assert_string_equal(current_of(&l), "a3");
		be_snap_list_clear(&l);
		assert_int_equal(nsnap_of(c, "alpha"), 2);
		return;
	}
	assert_failed_with_message(rc, &err);
	assert_non_null(strstr(err.msg, "unsupported flags"));
	assert_int_equal(err.kind, BE_ERR_OTHER);
	load(c, "alpha", &l);
	assert_int_equal(l.n, 3);
	assert_non_null(snap(&l, "a2"));
	assert_string_equal(snap(&l, "a2")->parent, "a1");
	assert_string_equal(current_of(&l), "a3");
	be_snap_list_clear(&l);
}

/* 5e. A missing snapshot, in every mode: refused with a message, nothing
 * deleted. */
static void delete_missing_fails(void **state)
{
	static const enum be_snap_delete modes[] = {BE_DEL_ONE, BE_DEL_WITH_CHILDREN, BE_DEL_CHILDREN_ONLY,
						    BE_DEL_METADATA};
	struct be_conn *c = *state;
	struct be_snap_list l;
	size_t i;

	for (i = 0; i < ARRAY_LEN(modes); i++) {
		struct be_error err = {0};
		int rc = be_snapshot_delete(c, "alpha", "no-such-snapshot", modes[i], &err);

		assert_failed_with_message(rc, &err);
		assert_true(err.code != 0);
		/* "Domain snapshot not found: no domain snapshot with matching
		 * name 'no-such-snapshot'" */
		assert_non_null(strstr(err.msg, "no-such-snapshot"));
		assert_int_not_equal(err.kind, BE_ERR_NO_VM);
	}
	load(c, "alpha", &l);
	assert_int_equal(l.n, 3);
	be_snap_list_clear(&l);
}

/* 6a. discard_save removes the hibernated state, then reverts. */
static void revert_hibernated_discarding_save(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;
	int rc;

	assert_int_equal(state_of(c, "delta"), BE_VM_SAVED);
	rc = be_snapshot_revert(c, "delta", "d1", false, true, &err);
	if (rc != 0)
		fprintf(stderr, "revert d1: %s\n", err.msg);
	assert_int_equal(rc, 0);
	/* d1 was taken shut off: delta is plainly shut off now, not saved. */
	assert_int_equal(state_of(c, "delta"), BE_VM_SHUTOFF);
	load(c, "delta", &l);
	assert_int_equal(l.n, 1);
	assert_true(l.s[0].current);
	be_snap_list_clear(&l);
	/* With no save image, starting it boots afresh and it runs. */
	assert_int_equal(be_vm_act(c, "delta", BE_ACT_START, &err), 0);
	assert_int_equal(state_of(c, "delta"), BE_VM_RUNNING);
}

/* 6b. Without discard_save, libvirt 9.0's test driver reverts anyway and
 * leaves the managed save image in place: delta reads back in be_list_vms
 * as shut off with a save image (BE_VM_SAVED), consistently with the
 * image still being there, and d1 is current. Starting delta then uses the
 * image up (the test driver just boots; a real driver restores the image,
 * i.e. the state from before the revert, which is what the UI's "discard
 * the saved state?" question guards against). */
static void revert_hibernated_keeping_save(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;
	int rc;

	rc = be_snapshot_revert(c, "delta", "d1", false, false, &err);
	if (rc != 0)
		fprintf(stderr, "revert d1 keeping the save: %s (code %d kind %d)\n", err.msg, err.code,
			(int)err.kind);
	assert_int_equal(rc, 0);
	assert_int_equal(state_of(c, "delta"), BE_VM_SAVED);
	load(c, "delta", &l);
	assert_int_equal(l.n, 1);
	assert_true(l.s[0].current);
	be_snap_list_clear(&l);

	assert_int_equal(be_vm_act(c, "delta", BE_ACT_START, &err), 0);
	assert_int_equal(state_of(c, "delta"), BE_VM_RUNNING);
	assert_int_equal(be_vm_act(c, "delta", BE_ACT_DESTROY, &err), 0);
	assert_int_equal(state_of(c, "delta"), BE_VM_SHUTOFF); /* not SAVED: the image is gone */
}

static void assert_layer(const struct be_disk *d, size_t i, const char *path, const char *format)
{
	assert_true(i < d->nlayers);
	assert_string_equal(d->layers[i].path, path);
	assert_string_equal(d->layers[i].format, format);
}

/* 7. Backing chains, from the live XML and the storage pool. */
static void disk_chains(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_disk_list l;

	assert_int_equal(be_vm_disks(c, "alpha", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.d[0].target, "vda");
	assert_int_equal(l.d[0].nlayers, 3);
	assert_layer(&l.d[0], 0, "/fx/alpha-top.qcow2", "qcow2");
	assert_layer(&l.d[0], 1, "/fx/alpha-mid.qcow2", "qcow2");
	assert_layer(&l.d[0], 2, "/fx/base.qcow2", "qcow2");
	assert_int_equal(l.d[0].end, BE_END_COMPLETE);
	/* Sizes come from the fixture's pool. */
	assert_true(l.d[0].layers[0].in_pool);
	assert_int_equal(l.d[0].layers[0].capacity, 10LL << 30);
	assert_int_equal(l.d[0].layers[0].allocation, 64LL << 20);
	assert_int_equal(l.d[0].layers[2].allocation, 1LL << 30);
	be_disk_list_clear(&l);

	assert_int_equal(be_vm_disks(c, "gamma", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.d[0].target, "vda");
	assert_int_equal(l.d[0].nlayers, 2);
	assert_layer(&l.d[0], 0, "/fx/gamma-top.qcow2", "qcow2");
	assert_layer(&l.d[0], 1, "/fx/base.qcow2", "qcow2");
	assert_int_equal(l.d[0].end, BE_END_COMPLETE);
	be_disk_list_clear(&l);

	assert_int_equal(be_vm_disks(c, "beta", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.d[0].target, "vda");
	assert_int_equal(l.d[0].nlayers, 1);
	assert_layer(&l.d[0], 0, "/fx/beta.raw", "raw");
	assert_int_equal(l.d[0].end, BE_END_COMPLETE);
	be_disk_list_clear(&l);

	/* A VM with no disks has an empty list, not an error. */
	assert_int_equal(be_vm_disks(c, "spaced name ünïcödé ✓", &l, &err), 0);
	assert_int_equal(l.n, 0);
	be_disk_list_clear(&l);

	memset(&err, 0, sizeof(err));
	assert_int_equal(be_vm_disks(c, "no-such-vm", &l, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
	assert_int_equal(l.n, 0);
}

/* 8. libvirt 9.0's test driver implements none of the job calls (they
 * fail with VIR_ERR_NO_SUPPORT). be_job_info reads that as "no job": rc 0,
 * not active, nothing done. Aborting is refused with libvirt's message. */
static void job_info_and_abort_when_idle(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_job_info j;
	int rc;

	memset(&j, 0xff, sizeof(j));
	rc = be_job_info(c, "alpha", &j, &err);
	assert_int_equal(rc, 0);
	assert_false(j.active);
	assert_int_equal(j.elapsed_ms, 0);
	assert_int_equal(j.done, 0);
	assert_int_equal(j.total, 0);

	/* With no job running, an abort must fail, whatever the reason. */
	memset(&err, 0, sizeof(err));
	rc = be_job_abort(c, "alpha", &err);
	assert_failed_with_message(rc, &err);
	assert_true(err.code != 0);
	assert_non_null(strstr(err.msg, "not supported"));
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);

	memset(&err, 0, sizeof(err));
	memset(&j, 0xff, sizeof(j));
	assert_int_equal(be_job_info(c, "no-such-vm", &j, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
	assert_false(j.active);
	memset(&err, 0, sizeof(err));
	assert_int_equal(be_job_abort(c, "no-such-vm", &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
}

/* 9. A VM that does not exist: every snapshot call says so as NO_VM. */
/* libvirt's version, which decides who reverts an external snapshot:
 * asked once, the same after; this machine's libvirt (9.0) does not
 * revert external snapshots itself. */
static void lib_version_is_asked_once(void **state)
{
	struct be_conn *c = *state;
	unsigned long v = be_lib_version(c);

	assert_true(v >= 9000000);
	assert_int_equal(be_lib_version(c), v);
	if (v < 9007000)
		assert_false(be_libvirt_reverts_external(v));
}

static void snapshots_of_missing_vm(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_snap_list l;

	assert_int_equal(be_snapshots(c, "no-such-vm", &l, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
	assert_true(strlen(err.msg) > 0);
	assert_int_equal(l.n, 0);
	assert_null(l.s);

	memset(&err, 0, sizeof(err));
	assert_int_equal(be_snapshot_create(c, "no-such-vm", "x", NULL, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
	memset(&err, 0, sizeof(err));
	assert_int_equal(be_snapshot_revert(c, "no-such-vm", "x", false, false, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
	memset(&err, 0, sizeof(err));
	assert_int_equal(be_snapshot_delete(c, "no-such-vm", "x", BE_DEL_ONE, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
}

int snapshot_tests(const char *fixture_uri)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(alpha_snapshots_have_every_field, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(create_on_shutoff_keeps_hostile_text, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(create_on_running_follows_current, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(revert_changes_state_and_current, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(delete_one_reparents_children, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(delete_with_children_removes_subtree, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(delete_children_only_keeps_root, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(delete_metadata_only, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(delete_missing_fails, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(revert_hibernated_discarding_save, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(revert_hibernated_keeping_save, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(disk_chains, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(job_info_and_abort_when_idle, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(snapshots_of_missing_vm, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(lib_version_is_asked_once, open_conn, close_conn),
	};

	uri = fixture_uri;
	return cmocka_run_group_tests_name("snapshots", tests, NULL, NULL);
}
