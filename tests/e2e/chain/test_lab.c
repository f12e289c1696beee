/* Issue 12's invariants end to end, on a kernel lab's layout: a raw base
 * image, a golden qcow2 on it, and one runtime qcow2 per VM on the golden
 * image, two VMs (lab-1, lab-2), with internal snapshots in several
 * layers. Every disk-changing action is tried in the states where it is
 * allowed (running, shut off, hibernated) on the real backend against the
 * private session daemon ($E2E_URI, real QEMU, the "images" pool over
 * $E2E_IMG), and each outcome is checked with virsh, qemu-img info
 * --backing-chain, qemu-img check and sha256sum, not with the backend's
 * own reading: the golden and base images never change, a refused action
 * changes nothing at all, and after an action that went through the
 * other VM still starts and every snapshot that remains can be reverted
 * to.
 * Each test builds the lab from scratch; everything it makes is named
 * lab-* and removed in its teardown, also when it fails. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared/util.h"
#include "tests/e2e/chain/e2e_chain.h"

#define VM1 "lab-1"
#define VM2 "lab-2"
#define SIZE "16M"
#define SIZE_BYTES "(16777216 bytes)"

/* The lab as the kernel lab's guide builds it, in $E2E_IMG (16 MiB):
 *   lab-base.img (raw) <- lab-golden.qcow2 <- lab-1.qcow2 <- lab-1-ov.qcow2   (VM lab-1)
 *                                          <- lab-2.qcow2                     (VM lab-2)
 * Snapshots, all taken shut off: lab-1's "before-ov" lives in lab-1.qcow2
 * (taken while it was lab-1's active layer), "in-ov" in the overlay that
 * be_overlay_new then made on top of it; lab-2's "two-own" lives in
 * lab-2.qcow2. Each layer holds data of its own (qemu-io patterns). */
static struct {
	char base[PATH_LEN], golden[PATH_LEN], rt1[PATH_LEN], rt2[PATH_LEN], ov[PATH_LEN];
	char sum_base[65], sum_golden[65];
} lab;

/* ---- files ------------------------------------------------------------ */

static void sha(const char *path, char out[65])
{
	char *text = must("sha256sum -- '%s'", path);

	snprintf(out, 65, "%.64s", text);
	free(text);
}

/* The golden and base images hold what they held after the lab was
 * built, to the byte. */
static void assert_golden_unchanged(void)
{
	char now[65];

	sha(lab.golden, now);
	if (strcmp(now, lab.sum_golden))
		fail_msg("the golden image changed: sha256 %s, was %s", now, lab.sum_golden);
	sha(lab.base, now);
	if (strcmp(now, lab.sum_base))
		fail_msg("the base image changed: sha256 %s, was %s", now, lab.sum_base);
}

/* The chain qemu-img sees from top down: pairs of path and format after
 * top (NULL-terminated, top first); every backing link records its
 * format. */
static void assert_lab_chain(const char *top, ...)
{
	char want[4096] = "", got[4096] = "";
	char *out = must("qemu-img info --backing-chain -U '%s'", top), *line, *save = NULL;
	int links = 0, formats = 0;
	const char *p, *f;
	va_list ap;

	va_start(ap, top);
	while ((p = va_arg(ap, const char *))) {
		f = va_arg(ap, const char *);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s %s\n", p, f);
	}
	va_end(ap);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "image: ", 7))
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s", line + 7);
		else if (!strncmp(line, "file format: ", 13))
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s\n", line + 13);
		else if (!strncmp(line, "backing file: ", 14))
			links++;
		else if (!strncmp(line, "backing file format: ", 21))
			formats++;
	}
	free(out);
	assert_string_equal(got, want);
	assert_int_equal(formats, links);
}

/* The guest's view through the qcow2 top holds len bytes of pattern at
 * off (qemu-io, read-only, -U: a running VM may hold it). */
static void assert_holds(const char *top, int pattern, const char *off, const char *len)
{
	int st;
	char *out = shell(&st, "qemu-io -r -U -f qcow2 -c 'read -P 0x%02x %s %s' '%s'", pattern, off, len, top);

	if (st != 0 || strstr(out, "Pattern verification failed"))
		fail_msg("%s does not hold 0x%02x at %s: %s", top, pattern, off, out);
	free(out);
}

static void qemu_write(const char *fmt, const char *path, int pattern, const char *off, const char *len)
{
	must_quiet("qemu-io -f %s -c 'write -P 0x%02x %s %s' '%s'", fmt, pattern, off, len, path);
}

/* ---- VMs -------------------------------------------------------------- */

static void stop_vm(const char *vm)
{
	must_quiet("virsh -q -c '%s' destroy '%s'", uri, vm);
	wait_state(vm, "shut off");
}

/* vm starts (QEMU opens its whole chain, taking its locks), then is
 * destroyed again. */
static void assert_starts(const char *vm)
{
	int st;
	char *out = shell(&st, "virsh -q -c '%s' start '%s'", uri, vm);

	if (st != 0)
		fail_msg("virsh start %s: %s", vm, out);
	free(out);
	wait_state(vm, "running");
	stop_vm(vm);
}

/* vda's file in the live definition and in the persistent one. */
static void assert_disk(const char *vm, const char *live, const char *persistent)
{
	char buf[PATH_LEN];

	assert_string_equal(blk_source(vm, false, buf), live);
	assert_string_equal(blk_source(vm, true, buf), persistent);
}

/* Points the persistent definition of vm's disk from file from to file
 * to, as an operator would with virsh edit. */
static void repoint_vm(const char *vm, const char *from, const char *to)
{
	char buf[PATH_LEN];

	must_quiet("virsh -q -c '%s' dumpxml --inactive '%s' | sed \"s|file='%s'|file='%s'|\""
		   " | virsh -q -c '%s' define /dev/stdin",
		   uri, vm, from, to, uri);
	assert_string_equal(blk_source(vm, true, buf), to);
}

static void snapshot(const char *vm, const char *name)
{
	must_quiet("virsh -q -c '%s' snapshot-create-as '%s' '%s'", uri, vm, name);
}

/* vm's snapshots by name, sorted, one a line (malloc'd); virsh's
 * failure shows in it. */
static char *snaps(const char *vm)
{
	return must("(virsh -q -c '%s' snapshot-list --name '%s' || echo 'virsh failed') 2>&1 | sed '/^$/d' |"
		    " LC_ALL=C sort",
		    uri, vm);
}

static void assert_snaps(const char *vm, const char *want)
{
	char *got = snaps(vm);

	assert_string_equal(got, want);
	free(got);
}

/* Every snapshot vm has left can be reverted to (virsh snapshot-revert);
 * vm is shut off afterwards. */
static void assert_all_revert(const char *vm)
{
	char *names = snaps(vm), *line, *save = NULL, state[64];
	int st;

	for (line = strtok_r(names, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *out = shell(&st, "virsh -q -c '%s' snapshot-revert '%s' '%s'", uri, vm, line);

		if (st != 0)
			fail_msg("virsh snapshot-revert %s %s: %s", vm, line, out);
		print_message("reverted %s to %s\n", vm, line);
		free(out);
	}
	free(names);
	domstate(vm, state, sizeof(state));
	if (strcmp(state, "shut off"))
		stop_vm(vm);
}

static bool managed_save(const char *vm)
{
	char *out = must("virsh -q -c '%s' dominfo '%s'", uri, vm);
	const char *m = strstr(out, "Managed save:");
	bool yes = m && strstr(m, "yes") && strstr(m, "yes") < strchr(m, '\n');

	free(out);
	return yes;
}

/* What an action must leave as it was when it is refused: both VMs'
 * state, disks (live and persistent), snapshots and current snapshot,
 * the lab's files and the pool's volumes, and the checksums of every
 * file (sums_all) or of the golden and base images only (a running VM's
 * files may change under it). malloc'd. */
static char *fingerprint(bool sums_all)
{
	static const char *const vms[] = {VM1, VM2};
	static const char *const per_vm[] = {
		"domstate", "dominfo", "domblklist", "domblklist --inactive", "snapshot-list --name",
		"snapshot-current --name",
	};
	char cmds[2048] = "";
	size_t i, k;
	int st;

	/* One virsh for all: it goes on past a failing command ("no current
	 * snapshot", "no block job" of a shut-off VM), whose message counts,
	 * in the order virsh writes it. */
	for (i = 0; i < ARRAY_LEN(vms); i++) {
		for (k = 0; k < ARRAY_LEN(per_vm); k++)
			snprintf(cmds + strlen(cmds), sizeof(cmds) - strlen(cmds), "%s %s; ", per_vm[k], vms[i]);
		snprintf(cmds + strlen(cmds), sizeof(cmds) - strlen(cmds), "blockjob %s vda --info; ", vms[i]);
	}
	strcat(cmds, "vol-list images");
	return shell(&st, "(virsh -q -c '%s' \"%s\" 2>&1 | grep -v '^\\(Id\\|CPU time\\|Used memory\\):';"
		     " cd '%s' && ls -1 | grep '^lab-'; sha256sum %s)",
		     uri, cmds, img_dir, sums_all ? "lab-*" : "lab-base.img lab-golden.qcow2");
}

static void assert_unchanged(const char *before, bool sums_all)
{
	char *now = fingerprint(sums_all);

	assert_string_equal(now, before);
	free(now);
}

/* A refusal that names why (mentions: the VM or snapshot in the way) and
 * the file it is about (path, or NULL). */
static void assert_refused(int rc, const struct be_error *err, const char *mentions, const char *path)
{
	if (rc != -1)
		fail_msg("expected a refusal, got %d (the call went through)", rc);
	if (err->kind != BE_ERR_REFUSED)
		fail_msg("expected a refusal, got kind %d: %s", err->kind, err->msg);
	print_message("refused: %s\n", err->msg);
	if (mentions && !strstr(err->msg, mentions))
		fail_msg("the refusal '%s' does not name '%s'", err->msg, mentions);
	if (path && !strstr(err->msg, path))
		fail_msg("the refusal '%s' does not name the file %s", err->msg, path);
}

static void assert_ok(int rc, int want, const struct be_error *err, const char *what)
{
	if (rc != want)
		fail_msg("%s returned %d (kind %d): %s", what, rc, err->kind, err->msg);
}

/* Waits up to 60 s for vm's active commit on vda to be ready. */
static void wait_ready(const char *vm)
{
	struct be_block_job j;
	struct be_error err = {0};
	long long end = now_ms() + 60000;
	int r;

	for (;;) {
		r = be_block_job_info(conn, vm, "vda", &j, &err);
		if (r < 0)
			fail_msg("be_block_job_info: %s", err.msg);
		assert_int_equal(r, 1);
		assert_int_equal(j.type, BE_BJ_ACTIVE_COMMIT);
		if (j.ready)
			return;
		if (now_ms() > end)
			fail_msg("%s: commit not ready after 60 s: %llu of %llu", vm, j.cur, j.end);
		poll(NULL, 0, 100);
	}
}

static void wait_no_job(const char *vm)
{
	struct be_block_job j;
	struct be_error err = {0};
	long long end = now_ms() + 30000;
	int r;

	while ((r = be_block_job_info(conn, vm, "vda", &j, &err)) == 1 && now_ms() < end)
		poll(NULL, 0, 50);
	if (r != 0)
		fail_msg("%s vda: block job still there after 30 s (%d): %s", vm, r, err.msg);
}

/* ---- the lab ---------------------------------------------------------- */

/* Destroys and undefines lab-1 and lab-2 with their snapshots' metadata
 * and managed saves (drop() would leave a VM that has them), then drop()s
 * the rest. */
static void lab_clean(void)
{
	static const char *const vms[] = {VM1, VM2};
	size_t i;
	int st;

	for (i = 0; i < ARRAY_LEN(vms); i++) {
		free(shell(&st, "virsh -q -c '%s' destroy '%s'", uri, vms[i]));
		free(shell(&st, "virsh -q -c '%s' undefine --managed-save --snapshots-metadata '%s'", uri, vms[i]));
	}
	drop("lab-");
}

static int lab_teardown(void **state)
{
	(void)state;
	lab_clean();
	return 0;
}

static void lab_build(void)
{
	struct be_error err = {0};

	snprintf(lab.base, PATH_LEN, "%s/lab-base.img", img_dir);
	img(lab.golden, "lab-golden");
	img(lab.rt1, "lab-1");
	img(lab.rt2, "lab-2");
	img(lab.ov, "lab-1-ov");

	must_quiet("qemu-img create -q -f raw '%s' " SIZE, lab.base);
	qemu_write("raw", lab.base, 0x11, "0", "1M");
	own(lab.base);
	must_quiet("qemu-img create -q -f qcow2 -b '%s' -F raw '%s'", lab.base, lab.golden);
	qemu_write("qcow2", lab.golden, 0x22, "1M", "1M");
	own(lab.golden);
	qcow2(lab.rt1, NULL, lab.golden);
	qemu_write("qcow2", lab.rt1, 0x31, "2M", "512K");
	qcow2(lab.rt2, NULL, lab.golden);
	qemu_write("qcow2", lab.rt2, 0x32, "2M", "512K");
	define_vm(VM1, lab.rt1);
	define_vm(VM2, lab.rt2);
	pool_refresh();

	snapshot(VM2, "two-own");
	snapshot(VM1, "before-ov");
	assert_ok(be_overlay_new(conn, VM1, "vda", lab.ov, &err), 0, &err, "be_overlay_new");
	qemu_write("qcow2", lab.ov, 0x55, "3M", "512K");
	snapshot(VM1, "in-ov");

	assert_lab_chain(lab.ov, lab.ov, "qcow2", lab.rt1, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	sha(lab.golden, lab.sum_golden);
	sha(lab.base, lab.sum_base);
}

static int group_setup(void **state)
{
	if (group_open(state) < 0)
		return -1;
	lab_clean(); /* leftovers of a run killed midway */
	return 0;
}

static int group_teardown(void **state)
{
	lab_clean();
	return group_close(state);
}

/* ---- 1. reset to golden ----------------------------------------------- */

/* Shut-off lab-1 reset to the golden layer: its runtime layers go with
 * the snapshots in them, a fresh overlay of its own goes on golden, and
 * both VMs run on golden at once. */
static void reset_to_golden(void **state)
{
	char fresh[PATH_LEN];
	struct be_error err = {0};
	char *info;

	(void)state;
	lab_build();
	img(fresh, "lab-1-fresh");

	assert_ok(be_overlay_discard(conn, VM1, "vda", lab.golden, fresh, &err), 0, &err, "be_overlay_discard");

	assert_disk(VM1, fresh, fresh);
	assert_lab_chain(fresh, fresh, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	info = must("qemu-img info -U '%s'", fresh);
	assert_non_null(strstr(info, SIZE_BYTES)); /* as big as golden */
	free(info);
	assert_true(in_pool(fresh));
	assert_false(exists(lab.ov));
	assert_false(exists(lab.rt1));
	assert_false(in_pool(lab.ov));
	assert_false(in_pool(lab.rt1));
	assert_snaps(VM1, ""); /* both lived in deleted layers */
	assert_snaps(VM2, "two-own\n");
	assert_disk(VM2, lab.rt2, lab.rt2);
	assert_holds(fresh, 0x22, "1M", "1M"); /* golden's data, not the runtime's */
	assert_holds(fresh, 0x11, "0", "1M");
	assert_intact(fresh, lab.golden, lab.rt2, NULL);
	assert_golden_unchanged();

	/* Each VM has a writable layer of its own: both run on golden. */
	start_vm(VM1);
	start_vm(VM2);
	stop_vm(VM1);
	stop_vm(VM2);
	assert_all_revert(VM1);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* ---- 2. golden as lab-1's own layer: refused -------------------------- */

static void reset_onto_shared_golden_refused(void **state)
{
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build();
	before = fingerprint(true);

	assert_refused(be_overlay_discard(conn, VM1, "vda", lab.golden, NULL, &err), &err, VM2, lab.golden);

	assert_unchanged(before, true);
	free(before);
	assert_disk(VM1, lab.ov, lab.ov);
	assert_golden_unchanged();
	assert_golden_unchanged();
}

/* ---- 3. discard the top overlay --------------------------------------- */

static void discard_top_overlay(void **state)
{
	struct be_error err = {0};

	(void)state;
	lab_build();

	assert_ok(be_overlay_discard(conn, VM1, "vda", lab.rt1, NULL, &err), 0, &err, "be_overlay_discard");

	assert_disk(VM1, lab.rt1, lab.rt1);
	assert_lab_chain(lab.rt1, lab.rt1, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	assert_false(exists(lab.ov));
	assert_false(in_pool(lab.ov));
	assert_snaps(VM1, "before-ov\n"); /* in-ov went with its file */
	assert_snaps(VM2, "two-own\n");
	assert_holds(lab.rt1, 0x31, "2M", "512K");
	assert_intact(lab.rt1, lab.golden, lab.rt2, NULL);
	assert_golden_unchanged();

	assert_all_revert(VM1);
	assert_disk(VM1, lab.rt1, lab.rt1);
	assert_starts(VM2);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* ---- 4. revert below an overlay --------------------------------------- */

/* Shut-off lab-1 reverted to a snapshot taken before its overlay, once
 * the overlay's own snapshot is deleted (be_snapshot_delete, from the
 * file too): the disk goes back to lab-1.qcow2 and the overlay stays on
 * disk, used by nothing, for the user to see and delete. */
static void revert_below_overlay_keeps_it(void **state)
{
	struct be_error err = {0};
	char *list;

	(void)state;
	lab_build();
	assert_ok(be_snapshot_delete(conn, VM1, "in-ov", BE_DEL_ONE, &err), 0, &err, "be_snapshot_delete");
	assert_snaps(VM1, "before-ov\n");
	list = must("qemu-img snapshot -l -U '%s'", lab.ov);
	assert_string_equal(list, ""); /* gone from the file, not only from libvirt */
	free(list);
	assert_disk(VM1, lab.ov, lab.ov);

	assert_ok(be_snapshot_revert(conn, VM1, "before-ov", false, false, &err), 0, &err, "be_snapshot_revert");

	assert_disk(VM1, lab.rt1, lab.rt1);
	assert_lab_chain(lab.rt1, lab.rt1, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	assert_true(exists(lab.ov)); /* not deleted behind the user's back */
	assert_true(in_pool(lab.ov));
	assert_lab_chain(lab.ov, lab.ov, "qcow2", lab.rt1, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	assert_snaps(VM1, "before-ov\n");
	assert_snaps(VM2, "two-own\n");
	assert_holds(lab.rt1, 0x31, "2M", "512K");
	assert_intact(lab.rt1, lab.ov, lab.golden, lab.rt2, NULL);
	assert_golden_unchanged();

	assert_starts(VM2);
	assert_all_revert(VM1);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* While "in-ov" lives in the overlay, whose state is read through
 * lab-1.qcow2, a revert to "before-ov" would make lab-1.qcow2 writable
 * under it: refused, naming in-ov, and nothing changes. in-ov itself can
 * be reverted to. */
static void revert_below_snapshot_of_overlay_refused(void **state)
{
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build();
	before = fingerprint(true);

	assert_refused(be_snapshot_revert(conn, VM1, "before-ov", false, false, &err), &err, "in-ov", lab.rt1);

	assert_unchanged(before, true);
	free(before);
	assert_golden_unchanged();
	assert_ok(be_snapshot_revert(conn, VM1, "in-ov", false, false, &err), 0, &err, "be_snapshot_revert");
	assert_disk(VM1, lab.ov, lab.ov);
	assert_holds(lab.ov, 0x55, "3M", "512K");
	assert_snaps(VM1, "before-ov\nin-ov\n");
	assert_intact(lab.ov, lab.rt1, lab.golden, NULL);
	assert_golden_unchanged();
}

/* lab-1 with a snapshot "in-golden" that lives in golden.qcow2, taken
 * while lab-1 ran on golden (as the issue's `Z` made it); lab-1 is back on
 * its overlay, and golden's checksum is taken again (it holds the
 * snapshot now). */
static void lab_build_snapshot_in_golden(void)
{
	lab_build();
	repoint_vm(VM1, lab.ov, lab.golden);
	snapshot(VM1, "in-golden"); /* qemu-img snapshot -c in golden.qcow2 */
	repoint_vm(VM1, lab.golden, lab.ov);
	sha(lab.golden, lab.sum_golden);
	assert_snaps(VM1, "before-ov\nin-golden\nin-ov\n");
}

/* Reverting to "in-golden" would write golden, which lab-2 reads:
 * refused, forced or not, and nothing changes. */
static void revert_into_shared_golden_refused(void **state)
{
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build_snapshot_in_golden();
	before = fingerprint(true);

	assert_refused(be_snapshot_revert(conn, VM1, "in-golden", false, false, &err), &err, VM2, lab.golden);
	assert_unchanged(before, true);
	err = (struct be_error){0};
	assert_refused(be_snapshot_revert(conn, VM1, "in-golden", true, false, &err), &err, VM2, lab.golden);

	assert_unchanged(before, true);
	free(before);
	assert_disk(VM1, lab.ov, lab.ov);
	assert_golden_unchanged();
}

/* Deleting "in-golden" from the file (qemu-img snapshot -d) writes golden
 * too: refused, with or without its children, and nothing changes; its
 * metadata alone can go. */
static void delete_snapshot_in_shared_golden_refused(void **state)
{
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build_snapshot_in_golden();
	before = fingerprint(true);

	assert_refused(be_snapshot_delete(conn, VM1, "in-golden", BE_DEL_ONE, &err), &err, VM2, lab.golden);
	assert_unchanged(before, true);
	err = (struct be_error){0};
	assert_refused(be_snapshot_delete(conn, VM1, "in-golden", BE_DEL_WITH_CHILDREN, &err), &err, VM2,
		       lab.golden);

	assert_unchanged(before, true);
	free(before);
	assert_golden_unchanged();
	err = (struct be_error){0};
	assert_ok(be_snapshot_delete(conn, VM1, "in-golden", BE_DEL_METADATA, &err), 0, &err,
		  "be_snapshot_delete(metadata)");
	assert_snaps(VM1, "before-ov\nin-ov\n");
	assert_disk(VM1, lab.ov, lab.ov);
	assert_golden_unchanged();
}

/* ---- 5. a snapshot into golden: refused ------------------------------- */

/* lab-1 pointed at golden.qcow2 itself (what the issue's `Z` did): a
 * snapshot would be stored inside golden, shut off or running. */
static void snapshot_into_shared_golden_refused(void **state)
{
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build();
	repoint_vm(VM1, lab.ov, lab.golden);
	before = fingerprint(true);

	assert_refused(be_snapshot_create(conn, VM1, "into-golden", "", &err), &err, VM2, lab.golden);

	assert_unchanged(before, true);
	free(before);
	assert_golden_unchanged();

	/* Running on golden (lab-2 shut off, else QEMU's locks would stop
	 * it): still refused. */
	start_vm(VM1);
	before = fingerprint(false);
	err = (struct be_error){0};
	assert_refused(be_snapshot_create(conn, VM1, "into-golden", "", &err), &err, VM2, lab.golden);
	assert_unchanged(before, false);
	free(before);
	stop_vm(VM1);
	assert_golden_unchanged();
	assert_snaps(VM1, "before-ov\nin-ov\n");

	/* A snapshot in a layer of lab-2's own is taken. */
	assert_ok(be_snapshot_create(conn, VM2, "two-more", "", &err), 0, &err, "be_snapshot_create");
	assert_snaps(VM2, "two-more\ntwo-own\n");
	assert_golden_unchanged();
	assert_starts(VM2);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* ---- 6. commit -------------------------------------------------------- */

/* Running lab-1: a reset is refused, and so is a commit into golden; the
 * commit of the overlay into lab-1.qcow2 drops the snapshot that lived in
 * the overlay before the job starts; its pivot is refused while another
 * VM (lab-3, defined meanwhile) builds on lab-1.qcow2, and lands on it
 * once lab-3 is gone. */
static void commit_running(void **state)
{
	char fresh[PATH_LEN], rt3[PATH_LEN];
	struct be_block_job j;
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build();
	img(fresh, "lab-1-fresh");
	img(rt3, "lab-3");
	start_vm(VM1);
	before = fingerprint(false);

	assert_refused(be_overlay_discard(conn, VM1, "vda", lab.golden, fresh, &err), &err, "running", NULL);
	assert_false(exists(fresh));
	err = (struct be_error){0};
	assert_refused(be_block_commit(conn, VM1, "vda", lab.golden, false, 0, &err), &err, VM2, lab.golden);
	assert_int_equal(be_block_job_info(conn, VM1, "vda", &j, &err), 0);
	assert_unchanged(before, false);
	free(before);
	assert_golden_unchanged();

	err = (struct be_error){0};
	assert_ok(be_block_commit(conn, VM1, "vda", lab.rt1, false, 0, &err), 0, &err, "be_block_commit");
	assert_snaps(VM1, "before-ov\n"); /* gone before the job could end */
	wait_ready(VM1);

	qcow2(rt3, NULL, lab.rt1);
	define_vm("lab-3", rt3);
	pool_refresh();
	assert_refused(be_block_job_abort(conn, VM1, "vda", true, &err), &err, "lab-3", lab.rt1);
	assert_int_equal(be_block_job_info(conn, VM1, "vda", &j, &err), 1); /* still waiting */
	assert_true(j.ready);
	assert_disk(VM1, lab.ov, lab.ov);
	must_quiet("virsh -q -c '%s' undefine lab-3", uri);
	must_quiet("rm -f -- '%s'", rt3);
	pool_refresh();

	err = (struct be_error){0};
	assert_ok(be_block_job_abort(conn, VM1, "vda", true, &err), 0, &err, "be_block_job_abort(pivot)");
	wait_no_job(VM1);

	assert_disk(VM1, lab.rt1, lab.rt1);
	assert_lab_chain(lab.rt1, lab.rt1, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	assert_holds(lab.rt1, 0x55, "3M", "512K"); /* the overlay's data, merged */
	assert_holds(lab.rt1, 0x31, "2M", "512K");
	assert_true(exists(lab.ov)); /* a commit deletes nothing */
	assert_snaps(VM1, "before-ov\n");
	assert_snaps(VM2, "two-own\n");
	assert_intact(lab.rt1, lab.golden, NULL);
	assert_golden_unchanged();

	assert_starts(VM2); /* while lab-1 runs on golden too */
	assert_all_revert(VM1);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* The same, shut off: the backend starts lab-1 paused, commits, pivots
 * and stops it. */
static void commit_shut_off(void **state)
{
	struct be_error err = {0};
	char *before, st[64];

	(void)state;
	lab_build();
	before = fingerprint(true);

	assert_refused(be_block_commit(conn, VM1, "vda", lab.golden, true, 0, &err), &err, VM2, lab.golden);
	assert_unchanged(before, true);
	free(before);

	err = (struct be_error){0};
	assert_ok(be_block_commit(conn, VM1, "vda", lab.rt1, true, 0, &err), 1, &err, "be_block_commit");

	domstate(VM1, st, sizeof(st));
	assert_string_equal(st, "shut off");
	assert_disk(VM1, lab.rt1, lab.rt1);
	assert_lab_chain(lab.rt1, lab.rt1, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	assert_holds(lab.rt1, 0x55, "3M", "512K");
	assert_true(exists(lab.ov));
	assert_snaps(VM1, "before-ov\n");
	assert_snaps(VM2, "two-own\n");
	assert_intact(lab.rt1, lab.golden, lab.ov, NULL);
	assert_golden_unchanged();

	assert_starts(VM2);
	assert_all_revert(VM1);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* ---- 7. hibernated ---------------------------------------------------- */

/* lab-1's saved memory belongs to its disks as they are: reset, discard
 * and commit are refused, and it resumes afterwards. */
static void hibernated_refuses_disk_changes(void **state)
{
	char fresh[PATH_LEN];
	struct be_error err = {0};
	char *before;

	(void)state;
	lab_build();
	img(fresh, "lab-1-fresh");
	start_vm(VM1);
	must_quiet("virsh -q -c '%s' managedsave " VM1, uri);
	wait_state(VM1, "shut off");
	assert_true(managed_save(VM1));
	before = fingerprint(true);

	assert_refused(be_overlay_discard(conn, VM1, "vda", lab.golden, fresh, &err), &err, "hibernated", NULL);
	assert_unchanged(before, true);
	assert_false(exists(fresh));
	err = (struct be_error){0};
	assert_refused(be_overlay_discard(conn, VM1, "vda", lab.rt1, NULL, &err), &err, "hibernated", NULL);
	assert_unchanged(before, true);
	err = (struct be_error){0};
	assert_refused(be_block_commit(conn, VM1, "vda", lab.rt1, true, 0, &err), &err, "hibernated", NULL);

	assert_unchanged(before, true);
	free(before);
	assert_true(managed_save(VM1));
	assert_golden_unchanged();
	start_vm(VM1); /* resumes from its saved state */
	assert_false(managed_save(VM1));
	assert_disk(VM1, lab.ov, lab.ov);
	stop_vm(VM1);
	assert_golden_unchanged();
}

/* ---- 8. deleting volumes ---------------------------------------------- */

/* Reverts leave overlays behind: the truly unused one can be deleted,
 * the one a snapshot still lives in cannot, nor a layer a VM uses. */
static void delete_left_over_overlays(void **state)
{
	char ov2[PATH_LEN];
	struct be_error err = {0};
	const char *paths[1];

	(void)state;
	lab_build();
	img(ov2, "lab-1-ov2");
	start_vm(VM1);
	/* Running: the overlay is a disk-only external snapshot, and the
	 * revert to a shut-off snapshot stops lab-1. */
	assert_ok(be_overlay_new(conn, VM1, "vda", ov2, &err), 0, &err, "be_overlay_new");
	assert_disk(VM1, ov2, ov2);
	assert_ok(be_snapshot_revert(conn, VM1, "in-ov", false, false, &err), 0, &err, "be_snapshot_revert");
	wait_state(VM1, "shut off");
	assert_disk(VM1, lab.ov, lab.ov);
	assert_true(exists(ov2)); /* left over, used by nothing */
	assert_true(in_pool(ov2));

	paths[0] = ov2;
	assert_ok(be_volumes_delete(conn, paths, 1, &err), 0, &err, "be_volumes_delete");

	assert_false(exists(ov2));
	assert_false(in_pool(ov2));
	assert_disk(VM1, lab.ov, lab.ov);
	assert_snaps(VM1, "before-ov\nin-ov\n");

	/* Back to before-ov behind vmmanager's back: the overlay is left
	 * over, and in-ov still lives in it. */
	must_quiet("virsh -q -c '%s' snapshot-revert " VM1 " before-ov", uri);
	assert_disk(VM1, lab.rt1, lab.rt1);
	pool_refresh();
	paths[0] = lab.ov;
	err = (struct be_error){0};
	assert_refused(be_volumes_delete(conn, paths, 1, &err), &err, "in-ov", lab.ov);
	assert_true(exists(lab.ov));
	assert_true(in_pool(lab.ov));
	paths[0] = lab.golden;
	err = (struct be_error){0};
	assert_refused(be_volumes_delete(conn, paths, 1, &err), &err, VM2, lab.golden);
	paths[0] = lab.rt1;
	err = (struct be_error){0};
	assert_refused(be_volumes_delete(conn, paths, 1, &err), &err, VM1, lab.rt1);

	assert_true(exists(lab.ov) && exists(lab.rt1) && exists(lab.golden) && exists(lab.base));
	assert_disk(VM1, lab.rt1, lab.rt1);
	assert_snaps(VM1, "before-ov\nin-ov\n");
	assert_intact(lab.rt1, lab.ov, lab.golden, NULL);
	assert_golden_unchanged();
	assert_starts(VM2);
	assert_all_revert(VM1);
	assert_all_revert(VM2);
	assert_golden_unchanged();
}

/* ---- 10. stale pools ------------------------------------------------- */

/* A layer made with qemu-img behind the pool's back (as a lab's scripts
 * make them) at $E2E_IMG/name.qcow2 over lab-1's top, holding 512 KiB of
 * pattern at off, and lab-1 repointed to it with virsh. */
static char *stale_top(char out[PATH_LEN], const char *name, const char *top, int pattern, const char *off)
{
	qcow2(img(out, name), NULL, top);
	qemu_write("qcow2", out, pattern, off, "512K");
	repoint_vm(VM1, top, out);
	assert_false(in_pool(out));
	return out;
}

/* A new overlay, a commit and a reset of shut-off lab-1 on such a layer
 * find it by refreshing the pool, instead of refusing for want of a
 * pool. */
static void new_overlay_on_layer_behind_the_pool(void **state)
{
	char ov2[PATH_LEN], ov3[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	lab_build();
	stale_top(ov2, "lab-1-ov2", lab.ov, 0x66, "4M");
	img(ov3, "lab-1-ov3");

	assert_ok(be_overlay_new(conn, VM1, "vda", ov3, &err), 0, &err, "be_overlay_new");

	assert_disk(VM1, ov3, ov3);
	assert_lab_chain(ov3, ov3, "qcow2", ov2, "qcow2", lab.ov, "qcow2", lab.rt1, "qcow2", lab.golden, "qcow2",
			 lab.base, "raw", NULL);
	assert_holds(ov3, 0x66, "4M", "512K");
	assert_intact(ov3, ov2, NULL);
	assert_golden_unchanged();
}

static void commit_of_layer_behind_the_pool(void **state)
{
	char ov2[PATH_LEN];
	struct be_error err = {0};
	const char *paths[1];

	(void)state;
	lab_build();
	stale_top(ov2, "lab-1-ov2", lab.ov, 0x66, "4M");

	assert_ok(be_block_commit(conn, VM1, "vda", lab.ov, true, 0, &err), 1, &err, "be_block_commit");

	assert_disk(VM1, lab.ov, lab.ov);
	assert_holds(lab.ov, 0x66, "4M", "512K");
	assert_holds(lab.ov, 0x55, "3M", "512K");
	assert_snaps(VM1, "before-ov\nin-ov\n"); /* in-ov lives in the base of the commit: kept */
	paths[0] = ov2; /* left over by the commit, used by nothing */
	assert_ok(be_volumes_delete(conn, paths, 1, &err), 0, &err, "be_volumes_delete");
	assert_false(exists(ov2));
	assert_intact(lab.ov, lab.rt1, lab.golden, NULL);
	assert_golden_unchanged();
	assert_all_revert(VM1);
	assert_golden_unchanged();
}

static void reset_of_layer_behind_the_pool(void **state)
{
	char ov2[PATH_LEN], fresh[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	lab_build();
	stale_top(ov2, "lab-1-ov2", lab.ov, 0x66, "4M");
	img(fresh, "lab-1-fresh");

	assert_ok(be_overlay_discard(conn, VM1, "vda", lab.golden, fresh, &err), 0, &err, "be_overlay_discard");

	assert_disk(VM1, fresh, fresh);
	assert_lab_chain(fresh, fresh, "qcow2", lab.golden, "qcow2", lab.base, "raw", NULL);
	assert_false(exists(ov2) || exists(lab.ov) || exists(lab.rt1));
	assert_snaps(VM1, "");
	assert_snaps(VM2, "two-own\n");
	assert_intact(fresh, lab.golden, lab.rt2, NULL);
	assert_golden_unchanged();
	assert_golden_unchanged();
}

/* ---- 9. the pool's volumes -------------------------------------------- */

static const struct be_volume *vol_at(const struct be_vol_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return &l->v[i];
	fail_msg("be_volumes has no volume %s", path);
	return NULL;
}

static void assert_backing(const struct be_vol_list *l, const char *path, const char *backing)
{
	const struct be_volume *v = vol_at(l, path);

	assert_non_null(v->pool);
	assert_string_equal(v->pool, "images");
	if (!backing) {
		if (v->backing)
			fail_msg("%s: backing %s, expected none", path, v->backing);
		return;
	}
	if (!v->backing)
		fail_msg("%s: no backing, expected %s", path, backing);
	assert_string_equal(v->backing, backing);
}

static void volumes_with_backing(void **state)
{
	char behind[PATH_LEN];
	struct be_vol_list l = {0};
	struct be_error err = {0};
	const struct be_volume *v;

	(void)state;
	lab_build();
	img(behind, "lab-behind");
	qcow2(behind, NULL, lab.golden); /* behind the pool's back */
	assert_false(in_pool(behind));

	assert_ok(be_volumes(conn, &l, &err), 0, &err, "be_volumes");

	assert_backing(&l, lab.rt1, lab.golden);
	assert_backing(&l, lab.rt2, lab.golden);
	assert_backing(&l, lab.golden, lab.base);
	assert_backing(&l, lab.base, NULL);
	assert_backing(&l, lab.ov, lab.rt1);
	assert_backing(&l, behind, lab.golden);
	v = vol_at(&l, lab.rt1);
	assert_int_equal(v->capacity, 16 * MIB);
	assert_true(v->allocation > 0);
	be_vol_list_clear(&l);
	assert_golden_unchanged();
}

int test_lab_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(reset_to_golden, lab_teardown),
		cmocka_unit_test_teardown(reset_onto_shared_golden_refused, lab_teardown),
		cmocka_unit_test_teardown(discard_top_overlay, lab_teardown),
		cmocka_unit_test_teardown(revert_below_overlay_keeps_it, lab_teardown),
		cmocka_unit_test_teardown(revert_below_snapshot_of_overlay_refused, lab_teardown),
		cmocka_unit_test_teardown(revert_into_shared_golden_refused, lab_teardown),
		cmocka_unit_test_teardown(delete_snapshot_in_shared_golden_refused, lab_teardown),
		cmocka_unit_test_teardown(snapshot_into_shared_golden_refused, lab_teardown),
		cmocka_unit_test_teardown(commit_running, lab_teardown),
		cmocka_unit_test_teardown(commit_shut_off, lab_teardown),
		cmocka_unit_test_teardown(hibernated_refuses_disk_changes, lab_teardown),
		cmocka_unit_test_teardown(delete_left_over_overlays, lab_teardown),
		cmocka_unit_test_teardown(new_overlay_on_layer_behind_the_pool, lab_teardown),
		cmocka_unit_test_teardown(commit_of_layer_behind_the_pool, lab_teardown),
		cmocka_unit_test_teardown(reset_of_layer_behind_the_pool, lab_teardown),
		cmocka_unit_test_teardown(volumes_with_backing, lab_teardown),
	};

	return cmocka_run_group_tests_name("e2e-lab", tests, group_setup, group_teardown);
}
