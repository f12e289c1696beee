/* The image tools end to end (issue #13): qemu-img check of a chain run
 * where the files are, a clean image told from one corrupted on purpose,
 * a running VM's active layer skipped, leaks repaired only in a shut-off
 * VM's file that nothing else reads. Outcomes are checked with qemu-img's
 * own exit status. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "runtime/imgtool.h"
#include "tests/e2e/chain/e2e_chain.h"

/* qemu-img check's exit status: 0 clean, 2 corruptions, 3 leaks. */
static int qemu_img_check(const char *path)
{
	int st;

	free(shell(&st, "qemu-img check -U '%s'", path));
	return st;
}

/* An L1 entry pointing at an offset that is no cluster boundary. */
static void corrupt(const char *path)
{
	must_quiet("python3 -c \"import struct,sys\nf=open(sys.argv[1],'r+b'); h=f.read(72)\n"
		   "l1=struct.unpack('>Q',h[40:48])[0]; f.seek(l1); f.write(struct.pack('>Q',(1<<63)|0x10200))\" '%s'",
		   path);
}

/* One cluster counted in the refcounts that nothing uses: a leak. */
static void leak(const char *path)
{
	must_quiet("python3 -c \"import struct,sys\nf=open(sys.argv[1],'r+b'); h=f.read(72)\n"
		   "rt=struct.unpack('>Q',h[48:56])[0]; f.seek(rt); rb=struct.unpack('>Q',f.read(8))[0]\n"
		   "f.seek(rb+2*6); f.write(struct.pack('>H',1)); f.truncate(7*65536)\" '%s'",
		   path);
}

static void assert_status(const struct imgcheck_report *rep, size_t i, enum imgcheck_status want)
{
	char buf[800];

	assert_true(i < rep->n);
	print_message("%s: %s\n", rep->l[i].path, imgcheck_summary(&rep->l[i].r, buf, sizeof(buf)));
	if (rep->l[i].r.status != want)
		fail_msg("%s: status %d, want %d (%s)", rep->l[i].path, rep->l[i].r.status, want, buf);
}

/* img-c runs on top over a base whose L1 table is corrupted: K's check
 * says top is clean and base corrupt, as qemu-img itself does. */
static void clean_and_corrupt_told_apart(void **state)
{
	char base[PATH_LEN], top[PATH_LEN];
	struct imgcheck_report rep = {0};
	struct be_error err = {0};

	(void)state;
	qcow2(img(base, "img-c-base"), "16M", NULL);
	qcow2(img(top, "img-c-top"), NULL, base);
	corrupt(base);
	define_vm("img-c", top);
	pool_refresh();
	assert_int_equal(qemu_img_check(top), 0);
	assert_int_equal(qemu_img_check(base), 2);

	assert_int_equal(imgtool_check(conn, "img-c", "vda", top, 0, &rep, &err), 0);
	assert_int_equal(rep.n, 2);
	assert_string_equal(rep.l[0].path, top);
	assert_status(&rep, 0, IMGCHECK_CLEAN);
	assert_string_equal(rep.l[1].path, base);
	assert_status(&rep, 1, IMGCHECK_CORRUPT);
	assert_true(rep.l[1].r.corruptions > 0);
	imgcheck_report_clear(&rep);

	/* From the base down: the base alone. */
	assert_int_equal(imgtool_check(conn, "img-c", "vda", base, 0, &rep, &err), 0);
	assert_int_equal(rep.n, 1);
	assert_status(&rep, 0, IMGCHECK_CORRUPT);
	imgcheck_report_clear(&rep);
	/* Corruptions are never repaired: the file is as it was. */
	assert_int_equal(qemu_img_check(base), 2);
}

/* A running VM's active layer is not checked (QEMU writes it), the layer
 * below it is; no repair runs under a running VM. */
static void running_active_layer_skipped(void **state)
{
	char base[PATH_LEN], top[PATH_LEN];
	struct imgcheck_report rep = {0};
	struct be_error err = {0};

	(void)state;
	qcow2(img(base, "img-r-base"), "16M", NULL);
	qcow2(img(top, "img-r-top"), NULL, base);
	leak(base);
	define_vm("img-r", top);
	pool_refresh();
	start_vm("img-r");

	assert_int_equal(imgtool_check(conn, "img-r", "vda", top, 0, &rep, &err), 0);
	assert_int_equal(rep.n, 2);
	assert_status(&rep, 0, IMGCHECK_SKIPPED);
	assert_non_null(strstr(rep.l[0].r.msg, "running VM"));
	assert_status(&rep, 1, IMGCHECK_LEAKS);
	imgcheck_report_clear(&rep);

	assert_int_equal(imgtool_repair(conn, "img-r", "vda", base, 0, &rep, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	print_message("refused: %s\n", err.msg);
	assert_int_equal(rep.n, 0);
	assert_int_equal(qemu_img_check(base), 3); /* untouched */
}

/* Leaks in a shut-off VM's file: repaired with -r leaks; in a file that
 * another VM's chain reads: refused, the file untouched. */
static void leaks_repaired_only_where_nothing_else_reads(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], other[PATH_LEN];
	struct imgcheck_report rep = {0};
	struct be_error err = {0};

	(void)state;
	qcow2(img(base, "img-l-base"), "16M", NULL);
	qcow2(img(top, "img-l-top"), NULL, base);
	qcow2(img(other, "img-l-other"), NULL, base);
	leak(base);
	leak(top);
	define_vm("img-l", top);
	define_vm("img-l-2", other);
	pool_refresh();

	assert_int_equal(imgtool_check(conn, "img-l", "vda", top, 0, &rep, &err), 0);
	assert_status(&rep, 0, IMGCHECK_LEAKS);
	assert_status(&rep, 1, IMGCHECK_LEAKS);
	imgcheck_report_clear(&rep);

	/* base is read by img-l-2's chain too. */
	assert_int_equal(imgtool_repair(conn, "img-l", "vda", base, 0, &rep, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "img-l-2"));
	print_message("refused: %s\n", err.msg);
	assert_int_equal(qemu_img_check(base), 3);
	imgcheck_report_clear(&rep);

	memset(&err, 0, sizeof(err));
	assert_int_equal(imgtool_repair(conn, "img-l", "vda", top, 0, &rep, &err), 0);
	assert_int_equal(rep.n, 1);
	assert_status(&rep, 0, IMGCHECK_CLEAN);
	assert_int_equal(rep.l[0].r.leaks_fixed, 1);
	imgcheck_report_clear(&rep);
	assert_int_equal(qemu_img_check(top), 0);
}

/* A cancelled job's check stops: nothing more is run. */
static void cancelled_check_stops(void **state)
{
	char base[PATH_LEN], top[PATH_LEN];
	struct imgcheck_report rep = {0};
	struct be_error err = {0};

	(void)state;
	qcow2(img(base, "img-x-base"), "16M", NULL);
	qcow2(img(top, "img-x-top"), NULL, base);
	define_vm("img-x", top);
	pool_refresh();
	imgtool_cancel(4242);
	assert_int_equal(imgtool_check(conn, "img-x", "vda", top, 4242, &rep, &err), -1);
	assert_int_equal(err.kind, BE_ERR_ABORTED);
	assert_int_equal(rep.n, 2);
	assert_status(&rep, 0, IMGCHECK_SKIPPED);
	assert_status(&rep, 1, IMGCHECK_SKIPPED);
	imgcheck_report_clear(&rep);
	/* Forgotten once done: the next run of that id goes ahead. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(imgtool_check(conn, "img-x", "vda", top, 4242, &rep, &err), 0);
	assert_status(&rep, 0, IMGCHECK_CLEAN);
	imgcheck_report_clear(&rep);
}

/* A snapshot made with qemu-img snapshot -c behind libvirt's back shows up
 * in --print under the file that holds it, marked as unknown to libvirt;
 * the one libvirt made is not marked. */
static void snapshot_made_behind_libvirt_marked(void **state)
{
	char base[PATH_LEN], top[PATH_LEN];
	struct be_error err = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	qcow2(img(base, "img-s-base"), "16M", NULL);
	qcow2(img(top, "img-s-top"), NULL, base);
	define_vm("img-s", top);
	pool_refresh();
	must_quiet("virsh -q -c '%s' snapshot-create-as img-s known", uri);
	must_quiet("qemu-img snapshot -c 'made by hand' '%s'", top);
	free(must("qemu-img snapshot -l '%s' | grep -c 'made by hand'", top));

	assert_non_null(f = open_memstream(&text, &len));
	assert_int_equal(print_vm(conn, "img-s", true, f, stderr), 0);
	fclose(f);
	print_message("%s", text);
	assert_non_null(strstr(text, "snapshots inside: known, made by hand [unknown to libvirt]\n"));
	/* The base holds none: no line for it. */
	assert_null(strstr(strstr(text, "img-s-base"), "snapshots inside"));
	free(text);

	/* E: libvirt's own is not deleted from the file; the unknown one is. */
	assert_int_equal(imgtool_snapshot_delete(conn, "img-s", "vda", top, "known", &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	print_message("refused: %s\n", err.msg);
	memset(&err, 0, sizeof(err));
	if (imgtool_snapshot_delete(conn, "img-s", "vda", top, "made by hand", &err) != 0)
		fail_msg("imgtool_snapshot_delete: %s", err.msg);
	text = must("qemu-img snapshot -U -l '%s'", top);
	assert_null(strstr(text, "made by hand"));
	assert_non_null(strstr(text, "known"));
	free(text);
	/* Never under a running VM. */
	must_quiet("qemu-img snapshot -c 'again' '%s'", top);
	start_vm("img-s");
	assert_int_equal(imgtool_snapshot_delete(conn, "img-s", "vda", top, "again", &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	print_message("refused: %s\n", err.msg);
}

/* A small pool: an 8 MiB tmpfs beside $E2E_IMG, pool img-small. */
static char small_dir[PATH_LEN - 64]; /* room for a file name after it */

static int small_teardown(void **state)
{
	(void)state;
	drop("img-m");
	small_pool_drop("img-small", small_dir);
	return 0;
}

static int small_setup(void **state)
{
	(void)state;
	return small_pool_make("img-small", small_dir, sizeof(small_dir));
}

/* A snapshot with memory (64 MiB) of a VM whose disk is in an 8 MiB pool
 * is refused with both figures before libvirt starts writing. */
static void memory_snapshot_into_small_pool_refused(void **state)
{
	char disk[PATH_LEN], *count;
	struct be_error err = {0};

	(void)state;
	snprintf(disk, sizeof(disk), "%s/img-m.qcow2", small_dir);
	qcow2(disk, "16M", NULL);
	must_quiet("virsh -q -c '%s' pool-refresh img-small", uri);
	define_vm("img-m", disk);
	start_vm("img-m");

	assert_int_equal(be_snapshot_create(conn, "img-m", "full", "", &err), -1);
	print_message("refused: %s\n", err.msg);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "needs about 64.0 MiB"));
	assert_non_null(strstr(err.msg, "storage pool img-small, which has "));
	assert_non_null(strstr(err.msg, " free"));
	count = must("virsh -q -c '%s' snapshot-list img-m --name | grep -c . || true", uri);
	assert_string_equal(count, "0\n");
	free(count);
	count = must("qemu-img snapshot -U -l '%s' | grep -c full || true", disk);
	assert_string_equal(count, "0\n"); /* nothing written into the file */
	free(count);
	must_quiet("virsh -q -c '%s' destroy img-m", uri);
	wait_state("img-m", "shut off");
}

/* A commit into a base in the 8 MiB pool of 6 MiB of data above it, and
 * a standalone copy of 12 MiB into it: refused with both figures, nothing
 * changed. */
static void commit_and_copy_into_small_pool_refused(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], big[PATH_LEN], copy[PATH_LEN], now[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	snprintf(base, sizeof(base), "%s/img-m-base.qcow2", small_dir);
	snprintf(top, sizeof(top), "%s/img-m-top.qcow2", small_dir);
	qcow2(base, "16M", NULL);
	qcow2(top, NULL, base);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x44 0 6M' '%s'", top);
	own(top);
	must_quiet("virsh -q -c '%s' pool-refresh img-small", uri);
	define_vm("img-m", top);
	assert_int_equal(be_block_commit(conn, "img-m", "vda", base, true, 0, &err), -1);
	print_message("refused: %s\n", err.msg);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "the allocation of the layers merged) in storage pool img-small, which has "));
	assert_string_equal(blk_source("img-m", true, now), top);

	qcow2(img(big, "img-m-big"), "16M", NULL);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x55 0 12M' '%s'", big);
	own(big);
	pool_refresh();
	define_vm("img-m-2", big);
	snprintf(copy, sizeof(copy), "%s/img-m-copy.qcow2", small_dir);
	assert_int_equal(be_chain_copy(conn, "img-m-2", "vda", copy, true, &err), -1);
	print_message("refused: %s\n", err.msg);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "(the chain's allocation) in storage pool img-small, which has "));
	assert_false(exists(copy));
}

/* A 3-layer chain with data in each layer (base 0x11 at 0, mid 0x22 at
 * 1 MiB, top 0x33 at 2 MiB) under VM vm; tops[] gets top. */
static void three_layers(const char *prefix, char top[PATH_LEN])
{
	char base[PATH_LEN], mid[PATH_LEN], name[64];

	snprintf(name, sizeof(name), "%s-base", prefix);
	qcow2(img(base, name), "16M", NULL);
	snprintf(name, sizeof(name), "%s-mid", prefix);
	qcow2(img(mid, name), NULL, base);
	snprintf(name, sizeof(name), "%s-top", prefix);
	qcow2(img(top, name), NULL, mid);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x11 0 1M' '%s'", base);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x22 1M 1M' '%s'", mid);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x33 2M 1M' '%s'", top);
	own(base);
	own(mid);
	own(top);
	define_vm(prefix, top);
	pool_refresh();
}

/* The copy holds what the chain holds and stands alone. */
static void assert_standalone_copy_of(const char *copy, const char *top)
{
	char *out;
	int st;

	out = must("qemu-img info -U --output=json '%s'", copy);
	if (strstr(out, "backing-filename"))
		fail_msg("the copy %s has a backing file: %s", copy, out);
	free(out);
	out = shell(&st, "qemu-img compare -U '%s' '%s'", top, copy);
	if (st != 0)
		fail_msg("qemu-img compare %s %s: %d: %s", top, copy, st, out);
	free(out);
	assert_intact(copy, NULL);
}

/* F on a shut-off VM: the storage API copies the 3-layer chain into one
 * file; the disk is repointed to it; the old layers stay as they were. */
static void standalone_copy_of_shut_off_vm(void **state)
{
	char top[PATH_LEN], copy[PATH_LEN], now[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	three_layers("img-f", top);
	img(copy, "img-f-copy");
	assert_int_equal(be_chain_copy(conn, "img-f", "vda", copy, true, &err), 1);
	assert_string_equal(blk_source("img-f", true, now), copy);
	assert_standalone_copy_of(copy, top);
	assert_true(exists(top));
	assert_true(in_pool(copy));
	/* A second copy to the same file is refused; a stale state too. */
	assert_int_equal(be_chain_copy(conn, "img-f", "vda", copy, true, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_int_equal(be_chain_copy(conn, "img-f", "vda", top, false, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
}

/* F on a running VM: a full block copy, pivoted once ready; the disk then
 * runs on the copy, which holds the chain's data with no backing file. */
static void standalone_copy_of_running_vm(void **state)
{
	char top[PATH_LEN], copy[PATH_LEN], now[PATH_LEN];
	struct be_error err = {0};
	struct be_block_job j;
	long long end;
	int r;

	(void)state;
	three_layers("img-g", top);
	start_vm("img-g");
	img(copy, "img-g-copy");
	if (be_chain_copy(conn, "img-g", "vda", copy, false, &err) != 0)
		fail_msg("be_chain_copy: %s", err.msg);
	for (end = now_ms() + 60000;;) {
		r = be_block_job_info(conn, "img-g", "vda", &j, &err);
		if (r < 0)
			fail_msg("be_block_job_info: %s", err.msg);
		assert_int_equal(r, 1);
		assert_int_equal(j.type, BE_BJ_COPY);
		if (j.ready)
			break;
		if (now_ms() > end)
			fail_msg("the copy is not ready after 60 s");
		poll(NULL, 0, 100);
	}
	assert_int_equal(be_block_job_abort(conn, "img-g", "vda", true, &err), 0);
	for (end = now_ms() + 30000; strcmp(blk_source("img-g", false, now), copy);) {
		if (now_ms() > end)
			fail_msg("vda still on %s after the pivot", now);
		poll(NULL, 0, 100);
	}
	/* The guest (no OS) writes nothing: the copy equals the chain. */
	assert_standalone_copy_of(copy, top);
	/* The definition names the copy too: it starts on it next time. */
	assert_string_equal(blk_source("img-g", true, now), copy);
}

/* A running copy stopped before its pivot: the VM stays on its chain and
 * the copy's half-made file is deleted. */
static void stopped_copy_leaves_no_file(void **state)
{
	char top[PATH_LEN], copy[PATH_LEN], now[PATH_LEN];
	struct be_error err = {0};
	struct be_block_job j;
	long long end;

	(void)state;
	three_layers("img-h", top);
	start_vm("img-h");
	img(copy, "img-h-copy");
	if (be_chain_copy(conn, "img-h", "vda", copy, false, &err) != 0)
		fail_msg("be_chain_copy: %s", err.msg);
	assert_true(exists(copy));
	if (be_block_job_abort(conn, "img-h", "vda", false, &err) != 0)
		fail_msg("stopping the copy: %s", err.msg);
	for (end = now_ms() + 30000; be_block_job_info(conn, "img-h", "vda", &j, &err) != 0;) {
		if (now_ms() > end)
			fail_msg("the copy still runs 30 s after it was stopped");
		poll(NULL, 0, 100);
	}
	assert_false(exists(copy));
	assert_string_equal(blk_source("img-h", false, now), top);
	assert_string_equal(blk_source("img-h", true, now), top);
}

int test_imgtools_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(clean_and_corrupt_told_apart, NULL, drop_prefix, "img-c"),
		cmocka_unit_test_prestate_setup_teardown(running_active_layer_skipped, NULL, drop_prefix, "img-r"),
		cmocka_unit_test_prestate_setup_teardown(leaks_repaired_only_where_nothing_else_reads, NULL, drop_prefix,
							 "img-l"),
		cmocka_unit_test_prestate_setup_teardown(cancelled_check_stops, NULL, drop_prefix, "img-x"),
		cmocka_unit_test_prestate_setup_teardown(snapshot_made_behind_libvirt_marked, NULL, drop_prefix,
							 "img-s"),
		cmocka_unit_test_setup_teardown(memory_snapshot_into_small_pool_refused, small_setup, small_teardown),
		cmocka_unit_test_setup_teardown(commit_and_copy_into_small_pool_refused, small_setup, small_teardown),
		cmocka_unit_test_prestate_setup_teardown(standalone_copy_of_shut_off_vm, NULL, drop_prefix, "img-f"),
		cmocka_unit_test_prestate_setup_teardown(standalone_copy_of_running_vm, NULL, drop_prefix, "img-g"),
		cmocka_unit_test_prestate_setup_teardown(stopped_copy_leaves_no_file, NULL, drop_prefix, "img-h"),
	};

	return cmocka_run_group_tests_name("e2e-imgtools", tests, group_open, group_close);
}
