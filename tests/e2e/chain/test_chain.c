/* Overlays, block commits and block jobs end to end: the real backend
 * against a private libvirt session daemon running real QEMU (set up by
 * tests/e2e/run.sh, reached through $E2E_URI). Each test makes its own VMs
 * and images, all named chain-*, in $E2E_IMG (the "images" pool) and
 * removes them in its teardown, also when it fails. Outcomes are checked
 * with qemu-img, qemu-io and virsh, not with the backend's own reading.
 * main() also runs the chain walks of test_walk.c. */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shared/util.h"
#include "tests/e2e/chain/e2e_chain.h"

static struct be_conn *conn2; /* progress polls, as the jobs screen makes them */
static struct be_conn *econn; /* events */

/* ---- images ----------------------------------------------------------- */

/* Writes len bytes of pattern at offset 0 into the top layer path. */
static void fill(const char *path, int pattern, const char *len)
{
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x%02x 0 %s' '%s'", pattern, len, path);
}

/* Whether the guest's view through path holds len bytes of pattern at 0.
 * shared: the image is in use by a running VM (qemu-io -U, read-only). */
static bool holds(const char *path, int pattern, const char *len, bool shared)
{
	int st;
	char *out = shell(&st, "qemu-io -r %s -f qcow2 -c 'read -P 0x%02x 0 %s' '%s'", shared ? "-U" : "", pattern,
			  len, path);

	if (st != 0)
		print_message("qemu-io read of %s: %s", path, out);
	free(out);
	return st == 0;
}

/* The chain qemu-img sees from top down equals the paths given after it
 * (NULL-terminated, top first); every layer is qcow2 and every backing
 * link records its format. */
static void assert_chain(const char *top, ...)
{
	char want[4096] = "", got[4096] = "";
	char *out = must("qemu-img info --backing-chain -U '%s'", top), *line, *save = NULL;
	int links = 0, formats = 0;
	const char *p;
	va_list ap;

	va_start(ap, top);
	for (p = va_arg(ap, const char *); p; p = va_arg(ap, const char *)) {
		strncat(want, p, sizeof(want) - strlen(want) - 2);
		strcat(want, "\n");
	}
	va_end(ap);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "image: ", 7)) {
			strncat(got, line + 7, sizeof(got) - strlen(got) - 2);
			strcat(got, "\n");
		} else if (!strncmp(line, "file format: ", 13)) {
			assert_string_equal(line + 13, "qcow2");
		} else if (!strncmp(line, "backing file: ", 14)) {
			links++;
		} else if (!strncmp(line, "backing file format: ", 21)) {
			formats++;
			assert_string_equal(line + 21, "qcow2");
		}
	}
	free(out);
	assert_string_equal(got, want);
	assert_int_equal(formats, links);
}

/* ---- VMs -------------------------------------------------------------- */

/* The source file of the (only) disk in the persistent definition, from
 * virsh dumpxml --inactive. */
static char *def_source(const char *vm, char out[PATH_LEN])
{
	char *xml = must("virsh -q -c '%s' dumpxml --inactive '%s'", uri, vm);
	const char *s = strstr(xml, "<source file='");

	out[0] = '\0';
	if (s) {
		s += strlen("<source file='");
		snprintf(out, PATH_LEN, "%.*s", (int)strcspn(s, "'"), s);
	}
	free(xml);
	return out;
}

/* vda's file in the live definition (domblklist) and in the persistent
 * one (domblklist --inactive, dumpxml --inactive). */
static void assert_disk(const char *vm, const char *live, const char *persistent)
{
	char buf[PATH_LEN];

	assert_string_equal(blk_source(vm, false, buf), live);
	assert_string_equal(blk_source(vm, true, buf), persistent);
	assert_string_equal(def_source(vm, buf), persistent);
}

/* ---- events ----------------------------------------------------------- */

/* Every event the backend delivered, in order. */
struct rec {
	int kind;
	char vm[64];
	char disk[16];
	enum be_bj_type type;
	enum be_bj_status status;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct rec ev[512];
	size_t n;
} events = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void sink(void *ctx, const struct be_event *ev)
{
	(void)ctx;
	pthread_mutex_lock(&events.lock);
	if (events.n < ARRAY_LEN(events.ev)) {
		struct rec *r = &events.ev[events.n++];

		r->kind = ev->kind;
		str_copy(r->vm, ev->name, sizeof(r->vm));
		str_copy(r->disk, ev->disk, sizeof(r->disk));
		r->type = ev->bj_type;
		r->status = ev->bj_status;
	}
	pthread_cond_broadcast(&events.cond);
	pthread_mutex_unlock(&events.lock);
}

static size_t events_mark(void)
{
	size_t n;

	pthread_mutex_lock(&events.lock);
	n = events.n;
	pthread_mutex_unlock(&events.lock);
	return n;
}

static const char *status_name(enum be_bj_status s)
{
	switch (s) {
	case BE_BJS_COMPLETED: return "COMPLETED";
	case BE_BJS_FAILED: return "FAILED";
	case BE_BJS_CANCELED: return "CANCELED";
	case BE_BJS_READY: return "READY";
	}
	return "?";
}

/* vm's block-job events on vda from index from on, as "READY COMPLETED"
 * (each marked when not of an active commit). Call with events.lock held. */
static void seq_locked(const char *vm, size_t from, char *out, size_t n)
{
	size_t i;

	out[0] = '\0';
	for (i = from; i < events.n; i++) {
		const struct rec *r = &events.ev[i];

		if (r->kind == BE_EV_BLOCK_JOB && !strcmp(r->vm, vm) && !strcmp(r->disk, "vda")) {
			size_t len = strlen(out);

			snprintf(out + len, n - len, "%s%s%s", len ? " " : "", status_name(r->status),
				 r->type == BE_BJ_ACTIVE_COMMIT ? "" : "(not an active commit)");
		}
	}
}

static void bj_seq(const char *vm, size_t from, char *out, size_t n)
{
	pthread_mutex_lock(&events.lock);
	seq_locked(vm, from, out, n);
	pthread_mutex_unlock(&events.lock);
}

/* Waits up to ms for an event of vm from index from on: a block-job event
 * on vda with status st (lifecycle false), or any lifecycle event. Returns
 * its index. */
static size_t wait_event(const char *vm, bool lifecycle, enum be_bj_status st, size_t from, int ms)
{
	struct timespec dl;
	char seen[512];
	size_t i = from;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (long)(ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&events.lock);
	for (;;) {
		for (; i < events.n; i++) {
			const struct rec *r = &events.ev[i];

			if (strcmp(r->vm, vm))
				continue;
			if (lifecycle ? r->kind == BE_EV_LIFECYCLE
				      : r->kind == BE_EV_BLOCK_JOB && !strcmp(r->disk, "vda") && r->status == st) {
				pthread_mutex_unlock(&events.lock);
				return i;
			}
		}
		if (pthread_cond_timedwait(&events.cond, &events.lock, &dl) != 0 && i == events.n)
			break;
	}
	seq_locked(vm, from, seen, sizeof(seen));
	pthread_mutex_unlock(&events.lock);
	fail_msg("no %s event for %s in %d ms; block-job events seen: '%s'",
		 lifecycle ? "lifecycle" : status_name(st), vm, ms, seen);
	return 0;
}

static size_t wait_bj(const char *vm, enum be_bj_status st, size_t from, int ms)
{
	return wait_event(vm, false, st, from, ms);
}

/* Every event libvirt sent for vm before now has arrived: a suspend and
 * resume make lifecycle events, which come in order behind the others. */
static void event_barrier(const char *vm)
{
	size_t mark = events_mark();

	must_quiet("virsh -q -c '%s' suspend '%s'", uri, vm);
	must_quiet("virsh -q -c '%s' resume '%s'", uri, vm);
	wait_event(vm, true, BE_BJS_COMPLETED, mark, 10000);
	wait_state(vm, "running");
}

/* Polls virsh blockjob until vm's vda has no job; fails after ms. */
static void wait_no_job(const char *vm, int ms)
{
	long long end = now_ms() + ms;
	char *out = NULL;
	int st;

	do {
		free(out);
		out = shell(&st, "virsh -c '%s' blockjob '%s' vda --info", uri, vm);
		if (st == 0 && strstr(out, "No current block job"))
			break;
		poll(NULL, 0, 50);
	} while (now_ms() < end);
	if (st != 0 || !strstr(out, "No current block job"))
		fail_msg("%s vda: block job still there: %s", vm, out);
	free(out);
}

static void assert_refused(int rc, const struct be_error *err, const char *mentions)
{
	assert_int_equal(rc, -1);
	if (err->kind != BE_ERR_REFUSED)
		fail_msg("expected a refusal, got kind %d: %s", err->kind, err->msg);
	if (mentions && !strstr(err->msg, mentions))
		fail_msg("the refusal '%s' does not name '%s'", err->msg, mentions);
	print_message("refused: %s\n", err->msg);
}

/* ---- fixtures --------------------------------------------------------- */

/* chain-big: a running VM on top (300 MiB of 0x5a) over a 512 MiB base.
 * Tests that leave it so (no block job, top active) hand it on. */
#define BIG "chain-big"
static char big_base[PATH_LEN], big_top[PATH_LEN];

static int big_setup(void **state)
{
	struct be_block_job j;
	struct be_error err = {0};
	char st[64], src[PATH_LEN];

	(void)state;
	img(big_base, "chain-big-base");
	img(big_top, "chain-big-top");
	domstate(BIG, st, sizeof(st));
	if (!strcmp(st, "running") && !strcmp(blk_source(BIG, false, src), big_top) &&
	    be_block_job_info(conn2, BIG, "vda", &j, &err) == 0)
		return 0;
	drop(BIG);
	qcow2(big_base, "512M", NULL);
	qcow2(big_top, NULL, big_base);
	fill(big_top, 0x5a, "300M");
	define_vm(BIG, big_top);
	pool_refresh();
	start_vm(BIG);
	return 0;
}

/* Keeps chain-big for the next test, without a block job. */
static int big_idle(void **state)
{
	struct be_block_job j;
	struct be_error err = {0};
	long long end = now_ms() + 20000;

	(void)state;
	if (be_block_job_info(conn2, BIG, "vda", &j, &err) == 1 &&
	    be_block_job_abort(conn, BIG, "vda", false, &err) < 0)
		fprintf(stderr, "teardown: cannot abort the job of %s: %s\n", BIG, err.msg);
	while (be_block_job_info(conn2, BIG, "vda", &j, &err) == 1 && now_ms() < end)
		poll(NULL, 0, 50);
	return 0;
}

static int group_setup(void **state)
{
	struct be_error err = {0};

	(void)state;
	drop("chain-"); /* leftovers of a run killed midway */
	if (!(conn = be_open(uri, false, &err)) || !(conn2 = be_open(uri, false, &err)) ||
	    !(econn = be_open(uri, false, &err)) || be_watch(econn, sink, NULL, &err) < 0) {
		fprintf(stderr, "cannot connect to %s: %s\n", uri, err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	drop("chain-");
	be_close(conn);
	be_close(conn2);
	be_close(econn);
	conn = conn2 = econn = NULL;
	return 0;
}

/* ---- 1. new overlay --------------------------------------------------- */

/* On a running VM the overlay is a disk-only external snapshot that leaves
 * no snapshot behind; the VM writes to it from then on. */
static void overlay_on_running_vm(void **state)
{
	char base[PATH_LEN], ov[PATH_LEN];
	struct be_error err = {0};
	char *snaps;

	(void)state;
	img(base, "chain-run-base");
	img(ov, "chain-run-ov1");
	qcow2(base, "64M", NULL);
	define_vm("chain-run", base);
	start_vm("chain-run");

	assert_int_equal(be_overlay_new(conn, "chain-run", "vda", ov, &err), 0);

	assert_true(exists(ov));
	assert_disk("chain-run", ov, ov); /* the definition follows the live disk */
	assert_chain(ov, ov, base, NULL);
	snaps = must("virsh -q -c '%s' snapshot-list chain-run", uri);
	assert_string_equal(snaps, "");
	free(snaps);
	assert_true(in_pool(ov)); /* QEMU made it; the pool was told */
	assert_intact(ov, base, NULL);
}

/* On a shut-off VM it is a new volume in the pool with its backing file
 * and format recorded, and the definition points at it. */
static void overlay_on_shut_off_vm(void **state)
{
	char base[PATH_LEN], ov[PATH_LEN], st[64];
	struct be_error err = {0};
	char *info;

	(void)state;
	img(base, "chain-off-base");
	img(ov, "chain-off-ov1");
	qcow2(base, "64M", NULL);
	fill(base, 0x11, "1M");
	define_vm("chain-off", base);
	pool_refresh();

	assert_int_equal(be_overlay_new(conn, "chain-off", "vda", ov, &err), 0);

	domstate("chain-off", st, sizeof(st));
	assert_string_equal(st, "shut off");
	assert_true(exists(ov));
	assert_true(in_pool(ov));
	assert_disk("chain-off", ov, ov);
	assert_chain(ov, ov, base, NULL); /* and "backing file format: qcow2" */
	info = must("qemu-img info -U '%s'", ov);
	assert_non_null(strstr(info, "(67108864 bytes)")); /* as big as its base */
	free(info);
	assert_true(holds(ov, 0x11, "1M", false)); /* the guest still sees the base */
	assert_intact(ov, base, NULL);
}

/* ---- 2. discard ------------------------------------------------------- */

static void discard_top_of_shut_off_vm(void **state)
{
	char base[PATH_LEN], top[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	img(base, "chain-drop-base");
	img(top, "chain-drop-top");
	qcow2(base, "64M", NULL);
	fill(base, 0x11, "1M");
	qcow2(top, NULL, base);
	fill(top, 0x22, "1M");
	define_vm("chain-drop", top);
	pool_refresh();

	assert_int_equal(be_overlay_discard(conn, "chain-drop", "vda", base, NULL, &err), 0);

	assert_false(exists(top));
	assert_false(in_pool(top));
	assert_disk("chain-drop", base, base);
	assert_chain(base, base, NULL);
	assert_true(holds(base, 0x11, "1M", false)); /* the top's writes are gone, not the base's */
	assert_intact(base, NULL);
}

static void discard_refused_while_running(void **state)
{
	struct be_error err = {0};

	(void)state;
	assert_refused(be_overlay_discard(conn, BIG, "vda", big_base, NULL, &err), &err, BIG);

	assert_true(exists(big_top));
	assert_disk(BIG, big_top, big_top);
	assert_chain(big_top, big_top, big_base, NULL);
	assert_intact(big_top, big_base, NULL);
}

/* ---- 3. reset to golden ----------------------------------------------- */

/* The golden image stays read-only below a fresh overlay. */
static void reset_to_golden_image(void **state)
{
	char base[PATH_LEN], ov[3][PATH_LEN], fresh[PATH_LEN], name[32];
	struct be_error err = {0};
	int i;

	(void)state;
	img(base, "chain-gold-base");
	qcow2(base, "64M", NULL);
	fill(base, 0x11, "1M");
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "chain-gold-ov%d", i + 1);
		qcow2(img(ov[i], name), NULL, i ? ov[i - 1] : base);
		fill(ov[i], 0x21 + i, "512K");
	}
	define_vm("chain-gold", ov[2]);
	pool_refresh();
	assert_chain(ov[2], ov[2], ov[1], ov[0], base, NULL);

	img(fresh, "chain-gold-fresh");
	assert_int_equal(be_overlay_discard(conn, "chain-gold", "vda", base, fresh, &err), 0);

	for (i = 0; i < 3; i++) {
		assert_false(exists(ov[i]));
		assert_false(in_pool(ov[i]));
	}
	assert_disk("chain-gold", fresh, fresh);
	assert_chain(fresh, fresh, base, NULL);
	assert_true(holds(fresh, 0x11, "1M", false));
	assert_intact(fresh, base, NULL);
}

/* ---- 8b. one block job per disk --------------------------------------- */

static void second_block_job_refused(void **state)
{
	struct be_error err = {0};
	char *info;

	(void)state;
	/* 1 MiB/s: it runs for minutes; the teardown aborts it. */
	assert_int_equal(be_block_commit(conn, BIG, "vda", big_base, false, 1 * MIB, &err), 0);
	info = must("virsh -q -c '%s' blockjob " BIG " vda --info --bytes", uri);
	assert_non_null(strstr(info, "Active Block Commit"));
	free(info);

	assert_refused(be_block_commit(conn, BIG, "vda", big_base, false, 0, &err), &err, "vda");

	/* The first job goes on untouched, at its own bandwidth. */
	info = must("virsh -q -c '%s' blockjob " BIG " vda --info --bytes", uri);
	assert_non_null(strstr(info, "Active Block Commit"));
	assert_non_null(strstr(info, "Bandwidth limit: 1048576 bytes/s"));
	free(info);
	assert_disk(BIG, big_top, big_top);
}

/* ---- 5. abort --------------------------------------------------------- */

static void abort_commit_keeps_chain(void **state)
{
	struct be_block_job j;
	struct be_error err = {0};
	long long end;
	size_t mark = events_mark();
	char seq[256];
	int r;

	(void)state;
	assert_int_equal(be_block_commit(conn, BIG, "vda", big_base, false, 20 * MIB, &err), 0);
	/* Under way (copying has begun) and far from ready: 300 MiB at 20 MiB/s. */
	end = now_ms() + 20000;
	while ((r = be_block_job_info(conn2, BIG, "vda", &j, &err)) == 1 && j.cur == 0 && now_ms() < end)
		poll(NULL, 0, 50);
	assert_int_equal(r, 1);
	assert_int_equal(j.type, BE_BJ_ACTIVE_COMMIT);
	assert_true(j.cur > 0);
	assert_false(j.ready);
	assert_int_equal(j.bandwidth, 20 * MIB);

	assert_int_equal(be_block_job_abort(conn, BIG, "vda", false, &err), 0);

	wait_bj(BIG, BE_BJS_CANCELED, mark, 20000);
	event_barrier(BIG);
	bj_seq(BIG, mark, seq, sizeof(seq));
	print_message("abort of a running active commit: block-job events: %s\n", seq);
	assert_string_equal(seq, "CANCELED"); /* libvirt 9.0: no READY, no COMPLETED */
	wait_no_job(BIG, 10000);
	assert_disk(BIG, big_top, big_top);
	assert_chain(big_top, big_top, big_base, NULL);
	assert_true(holds(big_top, 0x5a, "300M", true));
	assert_intact(big_top, big_base, NULL);
}

/* ---- 4. commit with progress and pivot -------------------------------- */

static void commit_then_pivot(void **state)
{
	struct be_block_job j;
	struct be_error err = {0};
	unsigned long long seen[256];
	size_t nseen = 0, mark = events_mark(), i;
	long long end = now_ms() + 60000;
	char seq[256];

	(void)state;
	assert_int_equal(be_block_commit(conn, BIG, "vda", big_base, false, 60 * MIB, &err), 0);

	/* The jobs screen's view: polled on another connection, 10 times a
	 * second, until libvirt says the job is ready. */
	for (;;) {
		int r = be_block_job_info(conn2, BIG, "vda", &j, &err);

		if (r < 0)
			fail_msg("be_block_job_info: %s", err.msg);
		assert_int_equal(r, 1); /* an active commit waits for its pivot */
		assert_int_equal(j.type, BE_BJ_ACTIVE_COMMIT);
		assert_true(j.cur <= j.end);
		if (nseen == 0 || j.cur != seen[nseen - 1]) {
			if (nseen)
				assert_true(j.cur > seen[nseen - 1]);
			if (nseen < ARRAY_LEN(seen))
				seen[nseen++] = j.cur;
		}
		if (j.ready)
			break;
		if (now_ms() > end)
			fail_msg("not ready after 60 s: %llu of %llu", j.cur, j.end);
		poll(NULL, 0, 100);
	}
	print_message("commit progress: %zu distinct values:", nseen);
	for (i = 0; i < nseen; i++)
		print_message(" %llu", seen[i] / MIB);
	print_message(" MiB\n");
	assert_true(nseen >= 3);
	assert_true(j.end >= 300 * MIB);

	wait_bj(BIG, BE_BJS_READY, mark, 30000);
	assert_int_equal(be_block_job_abort(conn, BIG, "vda", true, &err), 0);
	wait_bj(BIG, BE_BJS_COMPLETED, mark, 30000);
	bj_seq(BIG, mark, seq, sizeof(seq));
	print_message("commit and pivot: block-job events: %s\n", seq);
	assert_string_equal(seq, "READY COMPLETED");

	wait_no_job(BIG, 10000);
	assert_disk(BIG, big_base, big_base);
	assert_chain(big_base, big_base, NULL);
	assert_true(holds(big_base, 0x5a, "300M", true));
	assert_true(exists(big_top)); /* a commit deletes nothing */
	assert_intact(big_base, big_top, NULL);
}

/* ---- 6. a job started elsewhere --------------------------------------- */

static void pivot_job_found_running(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], seq[256];
	struct be_block_job_list l;
	struct be_block_job j;
	struct be_error err = {0};
	size_t mark, i;
	bool found = false;

	(void)state;
	img(base, "chain-ext-base");
	img(top, "chain-ext-top");
	qcow2(base, "64M", NULL);
	qcow2(top, NULL, base);
	fill(top, 0x33, "16M");
	define_vm("chain-ext", top);
	start_vm("chain-ext");
	mark = events_mark();
	/* As a user would in a shell; without --pivot it waits for one. */
	must_quiet("virsh -q -c '%s' blockcommit chain-ext vda --active --bandwidth 16", uri);

	assert_int_equal(be_block_jobs(conn, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.j[i].vm, "chain-ext")) {
			assert_false(found);
			found = true;
			assert_string_equal(l.j[i].disk, "vda");
			assert_int_equal(l.j[i].type, BE_BJ_ACTIVE_COMMIT);
			assert_int_equal(l.j[i].bandwidth, 16 * MIB);
		}
	be_block_job_list_clear(&l);
	assert_true(found);

	wait_bj("chain-ext", BE_BJS_READY, mark, 30000);
	assert_int_equal(be_block_job_info(conn2, "chain-ext", "vda", &j, &err), 1);
	assert_true(j.ready);
	assert_int_equal(be_block_job_abort(conn, "chain-ext", "vda", true, &err), 0);
	wait_bj("chain-ext", BE_BJS_COMPLETED, mark, 30000);
	bj_seq("chain-ext", mark, seq, sizeof(seq));
	assert_string_equal(seq, "READY COMPLETED");

	wait_no_job("chain-ext", 10000);
	assert_disk("chain-ext", base, base);
	assert_chain(base, base, NULL);
	assert_true(holds(base, 0x33, "16M", true));
	assert_intact(base, top, NULL);
}

/* ---- 7. commit of a shut-off VM --------------------------------------- */

static void commit_shut_off_vm(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], st[64], seq[256];
	struct be_error err = {0};
	size_t mark = events_mark();

	(void)state;
	img(base, "chain-cold-base");
	img(top, "chain-cold-top");
	qcow2(base, "64M", NULL);
	fill(base, 0x11, "32M");
	qcow2(top, NULL, base);
	fill(top, 0x44, "16M");
	define_vm("chain-cold", top);
	pool_refresh();

	assert_int_equal(be_block_commit(conn, "chain-cold", "vda", base, true, 0, &err), 1);

	domstate("chain-cold", st, sizeof(st));
	assert_string_equal(st, "shut off");
	assert_disk("chain-cold", base, base);
	assert_chain(base, base, NULL);
	/* Without -U: nothing holds the image any more. */
	assert_true(holds(base, 0x44, "16M", false));
	must_quiet("qemu-io -r -f qcow2 -c 'read -P 0x11 16M 16M' '%s'", base);
	assert_true(exists(top));
	assert_intact(base, top, NULL);
	wait_bj("chain-cold", BE_BJS_COMPLETED, mark, 10000);
	bj_seq("chain-cold", mark, seq, sizeof(seq));
	print_message("commit of a shut-off VM: block-job events: %s\n", seq);
	assert_string_equal(seq, "READY COMPLETED");
}

/* ---- 8a. a shared base ------------------------------------------------ */

static void commit_into_shared_base_refused(void **state)
{
	char base[PATH_LEN], top1[PATH_LEN], top2[PATH_LEN], st[64];
	struct be_error err = {0};

	(void)state;
	img(base, "chain-shared-base");
	img(top1, "chain-sh1-top");
	img(top2, "chain-sh2-top");
	qcow2(base, "64M", NULL);
	fill(base, 0x11, "1M");
	qcow2(top1, NULL, base);
	fill(top1, 0x55, "1M");
	qcow2(top2, NULL, base);
	define_vm("chain-sh1", top1);
	define_vm("chain-sh2", top2);
	pool_refresh();

	/* chain-sh2 is shut off: its chain is known through the pool only. */
	assert_refused(be_block_commit(conn, "chain-sh1", "vda", base, true, 0, &err), &err, "chain-sh2");

	domstate("chain-sh1", st, sizeof(st));
	assert_string_equal(st, "shut off");
	assert_disk("chain-sh1", top1, top1);
	assert_disk("chain-sh2", top2, top2);
	assert_chain(top1, top1, base, NULL);
	assert_chain(top2, top2, base, NULL);
	assert_true(holds(top2, 0x11, "1M", false)); /* chain-sh2 still sees its base */
	assert_true(holds(top1, 0x55, "1M", false));
	assert_intact(base, top1, top2, NULL);
}

/* ---- 9. deleting volumes ---------------------------------------------- */

static void volumes_delete_refuses_used(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], loose[PATH_LEN];
	struct be_error err = {0};
	const char *paths[2];

	(void)state;
	img(base, "chain-vol-base");
	img(top, "chain-vol-top");
	img(loose, "chain-vol-loose");
	qcow2(base, "64M", NULL);
	qcow2(top, NULL, base);
	qcow2(loose, NULL, base);
	define_vm("chain-vol", top);
	pool_refresh();

	paths[0] = top;
	assert_refused(be_volumes_delete(conn, paths, 1, &err), &err, "chain-vol");
	paths[0] = base; /* used below the top, known through the pool */
	assert_refused(be_volumes_delete(conn, paths, 1, &err), &err, "chain-vol");
	paths[0] = loose;
	paths[1] = base; /* one refused: none deleted */
	assert_refused(be_volumes_delete(conn, paths, 2, &err), &err, "chain-vol");
	assert_true(exists(loose));

	assert_int_equal(be_volumes_delete(conn, paths, 1, &err), 0);

	assert_false(exists(loose));
	assert_false(in_pool(loose));
	assert_true(exists(top) && exists(base));
	assert_disk("chain-vol", top, top);
	assert_chain(top, top, base, NULL);
	assert_intact(top, base, NULL);
}

int main(void)
{
	struct be_error err = {0};
	const char *only;
	int failed = 0;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(overlay_on_running_vm, NULL, drop_prefix, "chain-run"),
		cmocka_unit_test_prestate_setup_teardown(overlay_on_shut_off_vm, NULL, drop_prefix, "chain-off"),
		cmocka_unit_test_prestate_setup_teardown(discard_top_of_shut_off_vm, NULL, drop_prefix, "chain-drop"),
		cmocka_unit_test_setup_teardown(discard_refused_while_running, big_setup, big_idle),
		cmocka_unit_test_prestate_setup_teardown(reset_to_golden_image, NULL, drop_prefix, "chain-gold"),
		cmocka_unit_test_setup_teardown(second_block_job_refused, big_setup, big_idle),
		cmocka_unit_test_setup_teardown(abort_commit_keeps_chain, big_setup, big_idle),
		cmocka_unit_test_prestate_setup_teardown(commit_then_pivot, big_setup, drop_prefix, BIG),
		cmocka_unit_test_prestate_setup_teardown(pivot_job_found_running, NULL, drop_prefix, "chain-ext"),
		cmocka_unit_test_prestate_setup_teardown(commit_shut_off_vm, NULL, drop_prefix, "chain-cold"),
		cmocka_unit_test_prestate_setup_teardown(commit_into_shared_base_refused, NULL, drop_prefix,
							 "chain-sh"),
		cmocka_unit_test_prestate_setup_teardown(volumes_delete_refuses_used, NULL, drop_prefix, "chain-vol"),
	};

	uri = getenv("E2E_URI");
	img_dir = getenv("E2E_IMG");
	img_user = getenv("E2E_USER");
	only = getenv("E2E_CHAIN_ONLY"); /* chain, walk, lab, readers, disktypes, clone, img, kinds, extrevert or faults: one group */
	if (!uri || !img_dir || !img_user) {
		fprintf(stderr, "E2E_URI, E2E_IMG and E2E_USER must be set (run tests/e2e/run.sh)\n");
		return 1;
	}
	if (be_init(&err) < 0) {
		fprintf(stderr, "be_init: %s\n", err.msg);
		return 1;
	}
	/* Every group runs; any failing fails the run. */
	if (!only || !strcmp(only, "chain"))
		failed += cmocka_run_group_tests_name("e2e-chain", tests, group_setup, group_teardown) != 0;
	if (!only || !strcmp(only, "walk"))
		failed += test_walk_group() != 0;
	if (!only || !strcmp(only, "lab"))
		failed += test_lab_group() != 0;
	if (!only || !strcmp(only, "readers"))
		failed += test_readers_group() != 0;
	if (!only || !strcmp(only, "disktypes"))
		failed += test_disktypes_group() != 0;
	if (!only || !strcmp(only, "clone"))
		failed += test_clone_group() != 0;
	if (!only || !strcmp(only, "img"))
		failed += test_imgtools_group() != 0;
	if (!only || !strcmp(only, "kinds"))
		failed += test_snapkinds_group() != 0;
	if (!only || !strcmp(only, "extrevert"))
		failed += test_snaprevert_group() != 0;
	if (!only || !strcmp(only, "faults")) /* last: it restarts the daemon */
		failed += test_faults_group() != 0;
	return failed ? 1 : 0;
}
