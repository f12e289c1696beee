/* Clones and deleting VMs, end to end on real QEMU: a linked and a full
 * clone of a shut-off VM run beside it, data written into a clone is not
 * in the source, the file they share is unchanged, a clone that fails half
 * way leaves nothing, and deleting a VM removes only its own files.
 * Checked with virsh, qemu-img, qemu-io, sha256sum and the files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"
#include "tests/e2e/chain/e2e_chain.h"

static char *sha256(const char *path)
{
	return must("sha256sum '%s' | cut -d' ' -f1", path);
}

/* The guest's view through top holds len bytes of pattern at 0. */
static bool holds(const char *top, int pattern, const char *len)
{
	int st;
	char *out = shell(&st, "qemu-io -r -U -f qcow2 -c 'read -P 0x%02x 0 %s' '%s'", pattern, len, top);
	bool yes = st == 0 && !strstr(out, "Pattern verification failed");

	free(out);
	return yes;
}

/* The backing file of path as qemu-img sees it, "" for none. */
static char *backing_of(const char *path, char out[PATH_LEN])
{
	char *text = must("qemu-img info -U '%s' | sed -n 's/^backing file: //p'", path);

	text[strcspn(text, "\n")] = '\0';
	str_copy(out, text, PATH_LEN);
	free(text);
	return out;
}

static char *uuid_of(const char *vm)
{
	return must("virsh -q -c '%s' domuuid '%s'", uri, vm);
}

/* Both run at once; then both are shut off again. */
static void run_together(const char *a, const char *b)
{
	start_vm(a);
	start_vm(b);
	must_quiet("virsh -q -c '%s' destroy '%s'", uri, a);
	must_quiet("virsh -q -c '%s' destroy '%s'", uri, b);
	wait_state(a, "shut off");
	wait_state(b, "shut off");
}

static void linked_clone_runs_beside_its_source(void **state)
{
	char top[PATH_LEN], clone[PATH_LEN], now[PATH_LEN], b[PATH_LEN];
	const char *paths[1];
	struct be_error err = {0};
	char *before, *after, *u1, *u2, *files;

	(void)state;
	qcow2(img(top, "cl-l-src"), "16M", NULL);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x11 0 1M' '%s'", top);
	define_vm("cl-l-src", top);
	/* A serial log: the clone must write a log of its own. */
	must_quiet("echo \"<serial type='file'><source path='%s/cl-l-src-serial.log'/><target port='0'/></serial>\" |"
		   " virsh -q -c '%s' attach-device cl-l-src /dev/stdin --config",
		   img_dir, uri);
	pool_refresh();
	before = sha256(top);

	if (be_vm_clone(conn, "cl-l-src", "cl-l-clone", false, NULL, NULL, &err) < 0)
		fail_msg("linked clone: %s", err.msg);
	files = must("virsh -q -c '%s' dumpxml --inactive cl-l-clone", uri);
	if (!strstr(files, "/cl-l-clone-serial.log'") || strstr(files, "cl-l-src-serial"))
		fail_msg("the clone's serial log is not its own:\n%s", files);
	free(files);

	/* The clone on its own overlay of the old top; the source moved onto a
	 * fresh one: nobody writes into the old top any more. */
	img(clone, "cl-l-clone-vda");
	assert_string_equal(blk_source("cl-l-clone", true, now), clone);
	assert_string_equal(backing_of(clone, b), top);
	blk_source("cl-l-src", true, now);
	if (strcmp(now, top) == 0 || strncmp(now, img_dir, strlen(img_dir)) || !strstr(now, "/cl-l-src-vda-"))
		fail_msg("the source is not on a fresh overlay: %s", now);
	assert_string_equal(backing_of(now, b), top);
	u1 = uuid_of("cl-l-src");
	u2 = uuid_of("cl-l-clone");
	assert_string_not_equal(u1, u2);
	/* Data written into the clone is not in the source. */
	must_quiet("qemu-io -f qcow2 -c 'write -P 0xcc 0 1M' '%s'", clone);
	assert_true(holds(clone, 0xcc, "1M"));
	assert_true(holds(now, 0x11, "1M"));
	run_together("cl-l-src", "cl-l-clone");
	assert_true(holds(now, 0x11, "1M"));
	snprintf(b, sizeof(b), "%s/cl-l-clone-serial.log", img_dir);
	assert_true(exists(b)); /* the clone ran, writing its own log */
	after = sha256(top);
	assert_string_equal(before, after);
	assert_intact(top, clone, now, NULL);

	/* Deleting the clone takes only its own file; the source starts. */
	paths[0] = clone;
	if (be_vm_delete(conn, "cl-l-clone", paths, 1, &err) < 0)
		fail_msg("delete: %s", err.msg);
	assert_false(exists(clone));
	assert_true(exists(top));
	assert_true(exists(now));
	files = must("ls '%s' | grep -c '^cl-l-.*qcow2$' || true", img_dir);
	assert_string_equal(files, "2\n"); /* the old top and the source's overlay */
	start_vm("cl-l-src");
	must_quiet("virsh -q -c '%s' destroy cl-l-src", uri);
	free(before);
	free(after);
	free(u1);
	free(u2);
	free(files);
}

static void full_clone_is_standalone(void **state)
{
	char gold[PATH_LEN], top[PATH_LEN], clone[PATH_LEN], now[PATH_LEN], b[PATH_LEN];
	struct be_error err = {0};
	char *before, *chain;

	(void)state;
	qcow2(img(gold, "cl-f-gold"), "16M", NULL);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x22 0 2M' '%s'", gold);
	qcow2(img(top, "cl-f-src"), NULL, gold);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x33 0 1M' '%s'", top);
	define_vm("cl-f-src", top);
	pool_refresh();
	before = sha256(gold);

	if (be_vm_clone(conn, "cl-f-src", "cl-f-clone", true, NULL, NULL, &err) < 0)
		fail_msg("full clone: %s", err.msg);

	/* One file with no backing file, holding what the chain showed; the
	 * source is as it was. */
	img(clone, "cl-f-clone-vda");
	assert_string_equal(blk_source("cl-f-clone", true, now), clone);
	assert_string_equal(backing_of(clone, b), "");
	chain = must("qemu-img info -U --backing-chain '%s' | grep -c '^image:'", clone);
	assert_string_equal(chain, "1\n");
	free(chain);
	assert_true(holds(clone, 0x33, "1M"));
	chain = must("qemu-io -r -U -f qcow2 -c 'read -P 0x22 1M 1M' '%s'", clone);
	if (strstr(chain, "Pattern verification failed"))
		fail_msg("the copy lacks the base's data: %s", chain);
	free(chain);
	assert_string_equal(blk_source("cl-f-src", true, now), top);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0xcc 0 1M' '%s'", clone);
	run_together("cl-f-src", "cl-f-clone");
	assert_true(holds(top, 0x33, "1M"));
	chain = sha256(gold);
	assert_string_equal(before, chain);
	free(chain);
	free(before);
}

/* A new VM on the golden layer below the source's top (C in the chain
 * pane): its disk an overlay on golden; the source keeps its own top;
 * both run; golden is unchanged. */
static void a_new_vm_on_the_golden_layer(void **state)
{
	char gold[PATH_LEN], top[PATH_LEN], disk[PATH_LEN], now[PATH_LEN], b[PATH_LEN];
	struct be_error err = {0};
	char *before, *after;

	(void)state;
	qcow2(img(gold, "cl-g-gold"), "16M", NULL);
	qcow2(img(top, "cl-g-src"), NULL, gold);
	define_vm("cl-g-src", top);
	pool_refresh();
	before = sha256(gold);

	if (be_vm_clone(conn, "cl-g-src", "cl-g-student", false, "vda", gold, &err) < 0)
		fail_msg("new VM on a layer: %s", err.msg);

	img(disk, "cl-g-student-vda");
	assert_string_equal(blk_source("cl-g-student", true, now), disk);
	assert_string_equal(backing_of(disk, b), gold);
	assert_string_equal(blk_source("cl-g-src", true, now), top);
	run_together("cl-g-src", "cl-g-student");
	after = sha256(gold);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* vdb lies in a folder no pool holds: the clone fails there, after vda's
 * overlays were made; nothing of it is left, the source is as it was. */
static void a_clone_failing_half_way_leaves_nothing(void **state)
{
	char top[PATH_LEN], dir[PATH_LEN], other[PATH_LEN + 16], now[PATH_LEN];
	const char *tops[2];
	struct be_error err = {0};
	char *xml_before, *xml_after, *files;
	int rc;

	(void)state;
	qcow2(img(top, "cl-h-src"), "16M", NULL);
	snprintf(dir, sizeof(dir), "%s-cl-h-nopool", img_dir);
	must_quiet("mkdir -p '%s'", dir);
	own(dir);
	snprintf(other, sizeof(other), "%s/data.qcow2", dir);
	qcow2(other, "16M", NULL);
	tops[0] = top;
	tops[1] = other;
	define_vm_disks("cl-h-src", tops, 2);
	pool_refresh();
	xml_before = must("virsh -q -c '%s' dumpxml --inactive cl-h-src", uri);

	rc = be_vm_clone(conn, "cl-h-src", "cl-h-clone", false, NULL, NULL, &err);

	assert_int_equal(rc, -1);
	if (!strstr(err.msg, "nothing of the clone was kept"))
		fail_msg("the failure does not say it was undone: %s", err.msg);
	print_message("failed as expected: %s\n", err.msg);
	domstate("cl-h-clone", now, sizeof(now));
	assert_string_equal(now, ""); /* no such VM */
	files = must("ls '%s' | grep '^cl-h-' || true", img_dir);
	assert_string_equal(files, "cl-h-src.qcow2\n");
	free(files);
	xml_after = must("virsh -q -c '%s' dumpxml --inactive cl-h-src", uri);
	assert_string_equal(xml_before, xml_after);
	free(xml_before);
	free(xml_after);
}

static int clean_half_way(void **state)
{
	int st;

	free(shell(&st, "rm -rf -- '%s-cl-h-nopool'", img_dir));
	return drop_prefix(state);
}

static void delete_keeps_what_the_other_vm_reads(void **state)
{
	char gold[PATH_LEN], top[PATH_LEN], other[PATH_LEN], st[64];
	const char *paths[2];
	struct be_error err = {0};
	char *before, *after;
	int rc;

	(void)state;
	qcow2(img(gold, "cl-d-gold"), "16M", NULL);
	qcow2(img(top, "cl-d-src"), NULL, gold);
	qcow2(img(other, "cl-d-other"), NULL, gold);
	define_vm("cl-d-src", top);
	define_vm("cl-d-other", other);
	pool_refresh();
	before = sha256(gold);

	/* A running VM is refused, and runs on. */
	start_vm("cl-d-other");
	paths[0] = other;
	rc = be_vm_delete(conn, "cl-d-other", paths, 1, &err);
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	domstate("cl-d-other", st, sizeof(st));
	assert_string_equal(st, "running");
	assert_true(exists(other));
	must_quiet("virsh -q -c '%s' destroy cl-d-other", uri);
	wait_state("cl-d-other", "shut off");

	/* Asked to take the golden image along, the backend keeps it: the
	 * other VM reads it. */
	paths[0] = top;
	paths[1] = gold;
	rc = be_vm_delete(conn, "cl-d-src", paths, 2, &err);
	assert_int_equal(rc, -1);
	if (!strstr(err.msg, "cl-d-other (disk vda)"))
		fail_msg("the golden image is not said to be kept for cl-d-other: %s", err.msg);
	domstate("cl-d-src", st, sizeof(st));
	assert_string_equal(st, ""); /* no such VM */
	assert_false(exists(top));
	assert_false(in_pool(top));
	assert_true(exists(gold));
	after = sha256(gold);
	assert_string_equal(before, after);
	assert_intact(gold, other, NULL);
	start_vm("cl-d-other");
	must_quiet("virsh -q -c '%s' destroy cl-d-other", uri);
	free(before);
	free(after);
}

int test_clone_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(linked_clone_runs_beside_its_source, NULL, drop_prefix, "cl-l"),
		cmocka_unit_test_prestate_setup_teardown(full_clone_is_standalone, NULL, drop_prefix, "cl-f"),
		cmocka_unit_test_prestate_setup_teardown(a_new_vm_on_the_golden_layer, NULL, drop_prefix, "cl-g"),
		cmocka_unit_test_prestate_setup_teardown(a_clone_failing_half_way_leaves_nothing, NULL, clean_half_way, "cl-h"),
		cmocka_unit_test_prestate_setup_teardown(delete_keeps_what_the_other_vm_reads, NULL, drop_prefix, "cl-d"),
	};

	return cmocka_run_group_tests_name("e2e-clone", tests, group_open, group_close);
}
