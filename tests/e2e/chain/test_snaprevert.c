/* Reverting to and deleting external snapshots end to end on real QEMU with libvirt
 * 9.0, which cannot ("revert to external snapshot not supported yet"):
 * vmmanager puts the disk on a fresh overlay on the file the snapshot
 * froze and, for a checkpoint, restores its memory file. Data written
 * before the snapshot is there afterwards, data written after it is not;
 * the layer written after stays. Deleting one merges the overlay it made
 * into the file it froze (refused where another chain reads that file) and
 * removes its memory file. Checked with virsh, qemu-img and qemu-io. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"
#include "tests/e2e/chain/e2e_chain.h"

/* The guest's view through top holds 1 MiB of pattern at 0. */
static bool holds(const char *top, int pattern)
{
	int st;
	char *out = shell(&st, "qemu-io -r -U -f qcow2 -c 'read -P 0x%02x 0 1M' '%s'", pattern, top);
	bool yes = st == 0 && !strstr(out, "Pattern verification failed");

	free(out);
	return yes;
}

static void write_pattern(const char *path, int pattern)
{
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x%02x 0 1M' '%s'", pattern, path);
}

static char *backing_of(const char *path, char out[PATH_LEN])
{
	char *text = must("qemu-img info -U '%s' | sed -n 's/^backing file: //p'", path);

	text[strcspn(text, "\n")] = '\0';
	str_copy(out, text, PATH_LEN);
	free(text);
	return out;
}

static char *current_of(const char *vm, char out[PATH_LEN])
{
	char *text = must("virsh -q -c '%s' snapshot-current '%s' --name", uri, vm);

	text[strcspn(text, "\n")] = '\0';
	str_copy(out, text, PATH_LEN);
	free(text);
	return out;
}

/* How many files of $E2E_IMG start with prefix. */
static int files_with(const char *prefix)
{
	DIR *d = opendir(img_dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/* A shut-off VM on base (0x11 written), with an external disk-only
 * snapshot s1 whose overlay then gets 0x22. */
static void disk_only_snapshot(const char *vm, char base[PATH_LEN], char over[PATH_LEN])
{
	char name[64];

	snprintf(name, sizeof(name), "%s-base", vm);
	qcow2(img(base, name), "16M", NULL);
	write_pattern(base, 0x11);
	define_vm(vm, base);
	pool_refresh();
	snprintf(name, sizeof(name), "%s-s1", vm);
	img(over, name);
	must_quiet("virsh -q -c '%s' snapshot-create-as '%s' s1 --disk-only --diskspec 'vda,snapshot=external,file=%s'",
		   uri, vm, over);
	write_pattern(over, 0x22);
	pool_refresh();
}

static void revert_to_a_disk_only_snapshot(void **state)
{
	char base[PATH_LEN], over[PATH_LEN], top[PATH_LEN], b[PATH_LEN], cur[PATH_LEN];
	struct be_error err = {0};
	char *info;

	(void)state;
	disk_only_snapshot("er-d", base, over);
	assert_string_equal(blk_source("er-d", true, top), over);
	assert_true(holds(over, 0x22));

	if (be_snapshot_revert(conn, "er-d", "s1", false, false, &err) < 0)
		fail_msg("revert: %s", err.msg);
	/* A fresh overlay on the frozen base, beside it; the layer written
	 * after the snapshot stays where it is. */
	blk_source("er-d", true, top);
	assert_string_not_equal(top, over);
	assert_string_not_equal(top, base);
	assert_int_equal(strncmp(top, img_dir, strlen(img_dir)), 0);
	assert_non_null(strstr(top, "/er-d-vda-"));
	assert_string_equal(backing_of(top, b), base);
	assert_true(holds(top, 0x11));
	assert_false(holds(top, 0x22));
	assert_true(exists(over));
	assert_true(holds(over, 0x22));
	info = must("qemu-img info -U --backing-chain '%s'", top);
	assert_non_null(strstr(info, base));
	assert_null(strstr(info, over));
	free(info);
	assert_string_equal(current_of("er-d", cur), "s1");
	info = must("virsh -q -c '%s' snapshot-info er-d s1", uri);
	assert_non_null(strstr(info, "Current:        yes"));
	free(info);
	assert_intact(top, base, over, NULL);
	/* It runs on it. */
	start_vm("er-d");
	assert_string_equal(blk_source("er-d", false, b), top);
	must_quiet("virsh -q -c '%s' destroy er-d", uri);
	wait_state("er-d", "shut off");
}

static void revert_to_an_external_checkpoint(void **state)
{
	char base[PATH_LEN], over[PATH_LEN], mem[PATH_LEN], top[PATH_LEN], b[PATH_LEN], cur[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	qcow2(img(base, "er-c-base"), "16M", NULL);
	write_pattern(base, 0x11);
	define_vm("er-c", base);
	pool_refresh();
	img(over, "er-c-c1");
	snprintf(mem, sizeof(mem), "%s/er-c-c1.mem", img_dir);
	start_vm("er-c");
	must_quiet("virsh -q -c '%s' snapshot-create-as er-c c1 --memspec 'file=%s,snapshot=external' "
		   "--diskspec 'vda,snapshot=external,file=%s'",
		   uri, mem, over);
	must_quiet("virsh -q -c '%s' destroy er-c", uri);
	wait_state("er-c", "shut off");
	write_pattern(over, 0x22);
	pool_refresh();

	if (be_snapshot_revert(conn, "er-c", "c1", false, false, &err) < 0)
		fail_msg("revert: %s", err.msg);
	/* Running again from the snapshot's memory, on a fresh overlay on
	 * the frozen base, in its live and its persistent definition. */
	wait_state("er-c", "running");
	blk_source("er-c", false, top);
	assert_string_not_equal(top, over);
	assert_string_equal(blk_source("er-c", true, b), top);
	assert_string_equal(backing_of(top, b), base);
	assert_true(holds(top, 0x11));
	assert_false(holds(top, 0x22));
	assert_true(exists(over));
	assert_true(exists(mem));
	assert_string_equal(current_of("er-c", cur), "c1");
	must_quiet("virsh -q -c '%s' destroy er-c", uri);
	wait_state("er-c", "shut off");
}

/* The restore fails (the memory file cut short) after the fresh overlay
 * was made and the definition written: both are undone, the VM is where
 * it was. */
static void a_failed_restore_is_undone(void **state)
{
	char base[PATH_LEN], over[PATH_LEN], mem[PATH_LEN], top[PATH_LEN], st[64];
	struct be_error err = {0};
	int before;

	(void)state;
	qcow2(img(base, "er-u-base"), "16M", NULL);
	define_vm("er-u", base);
	pool_refresh();
	img(over, "er-u-c1");
	snprintf(mem, sizeof(mem), "%s/er-u-c1.mem", img_dir);
	start_vm("er-u");
	must_quiet("virsh -q -c '%s' snapshot-create-as er-u c1 --memspec 'file=%s,snapshot=external' "
		   "--diskspec 'vda,snapshot=external,file=%s'",
		   uri, mem, over);
	must_quiet("virsh -q -c '%s' destroy er-u", uri);
	wait_state("er-u", "shut off");
	must_quiet("truncate -s 100 '%s'", mem);
	pool_refresh();
	before = files_with("er-u");
	assert_int_equal(be_snapshot_revert(conn, "er-u", "c1", false, false, &err), -1);
	print_message("failed as it should: %s\n", err.msg);
	domstate("er-u", st, sizeof(st));
	assert_string_equal(st, "shut off");
	assert_string_equal(blk_source("er-u", true, top), over);
	assert_int_equal(files_with("er-u"), before);
}

/* What cannot be done safely is refused before anything is made: a
 * disk-only revert of a running VM; a snapshot whose frozen file is gone. */
static void unsafe_reverts_are_refused_and_make_nothing(void **state)
{
	char base[PATH_LEN], over[PATH_LEN], top[PATH_LEN];
	struct be_error err = {0};
	int before;

	(void)state;
	disk_only_snapshot("er-r", base, over);
	start_vm("er-r");
	before = files_with("er-r");
	assert_int_equal(be_snapshot_revert(conn, "er-r", "s1", false, false, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "shut it down first"));
	assert_int_equal(files_with("er-r"), before);
	assert_string_equal(blk_source("er-r", false, top), over);
	must_quiet("virsh -q -c '%s' destroy er-r", uri);
	wait_state("er-r", "shut off");

	/* Another VM writing into the frozen base: a fresh overlay on it would
	 * read a file that changes. */
	define_vm("er-r-w", base);
	before = files_with("er-r");
	err = (struct be_error){0};
	assert_int_equal(be_snapshot_revert(conn, "er-r", "s1", false, false, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	if (!strstr(err.msg, "er-r-w (disk vda) writes into it"))
		fail_msg("not said written: %s", err.msg);
	assert_int_equal(files_with("er-r"), before);
	assert_string_equal(blk_source("er-r", true, top), over);
	must_quiet("virsh -q -c '%s' undefine er-r-w", uri);

	/* The frozen base gone. */
	must_quiet("virsh -q -c '%s' vol-delete '%s'", uri, base);
	pool_refresh();
	before = files_with("er-r");
	err = (struct be_error){0};
	assert_int_equal(be_snapshot_revert(conn, "er-r", "s1", false, false, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	if (!strstr(err.msg, "is gone"))
		fail_msg("not said gone: %s", err.msg);
	assert_int_equal(files_with("er-r"), before);
}

/* The guest's view through top holds 1 MiB of pattern at MiB offset mib. */
static bool holds_at(const char *top, int pattern, int mib)
{
	int st;
	char *out = shell(&st, "qemu-io -r -U -f qcow2 -c 'read -P 0x%02x %dM 1M' '%s'", pattern, mib, top);
	bool yes = st == 0 && !strstr(out, "Pattern verification failed");

	free(out);
	return yes;
}

static void write_at(const char *path, int pattern, int mib)
{
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x%02x %dM 1M' '%s'", pattern, mib, path);
}

/* A shut-off VM on base (0x11 at 0) with two external disk-only
 * snapshots: s1 made o1 (0x22 at 1M written into it), s2 made o2 (0x33
 * at 2M). */
static void two_snapshots(const char *vm, char base[PATH_LEN], char o1[PATH_LEN], char o2[PATH_LEN])
{
	char name[64];

	snprintf(name, sizeof(name), "%s-base", vm);
	qcow2(img(base, name), "16M", NULL);
	write_at(base, 0x11, 0);
	define_vm(vm, base);
	pool_refresh();
	snprintf(name, sizeof(name), "%s-o1", vm);
	img(o1, name);
	must_quiet("virsh -q -c '%s' snapshot-create-as '%s' s1 --disk-only --diskspec 'vda,snapshot=external,file=%s'",
		   uri, vm, o1);
	write_at(o1, 0x22, 1);
	snprintf(name, sizeof(name), "%s-o2", vm);
	img(o2, name);
	must_quiet("virsh -q -c '%s' snapshot-create-as '%s' s2 --disk-only --diskspec 'vda,snapshot=external,file=%s'",
		   uri, vm, o2);
	write_at(o2, 0x33, 2);
	pool_refresh();
}

/* s1, in the middle: o1 merges into base and goes; o2 now lies on base,
 * s2 froze base; the guest sees all three writes. */
static void delete_in_the_middle_of_a_chain(void **state)
{
	char base[PATH_LEN], o1[PATH_LEN], o2[PATH_LEN], b[PATH_LEN], st[64];
	struct be_error err = {0};
	char *out;

	(void)state;
	two_snapshots("ed-m", base, o1, o2);
	if (be_snapshot_delete(conn, "ed-m", "s1", BE_DEL_ONE, &err) < 0)
		fail_msg("delete: %s", err.msg);
	domstate("ed-m", st, sizeof(st));
	assert_string_equal(st, "shut off");
	assert_false(exists(o1));
	assert_string_equal(blk_source("ed-m", true, b), o2);
	assert_string_equal(backing_of(o2, b), base);
	assert_true(holds_at(base, 0x22, 1)); /* merged */
	assert_true(holds_at(o2, 0x11, 0));
	assert_true(holds_at(o2, 0x22, 1));
	assert_true(holds_at(o2, 0x33, 2));
	out = must("qemu-img info -U --backing-chain '%s'", o2);
	assert_null(strstr(out, o1));
	free(out);
	out = must("virsh -q -c '%s' snapshot-list ed-m --name", uri);
	assert_null(strstr(out, "s1"));
	assert_non_null(strstr(out, "s2"));
	free(out);
	out = must("virsh -q -c '%s' snapshot-dumpxml ed-m s2", uri);
	assert_non_null(strstr(out, base));
	assert_null(strstr(out, o1));
	free(out);
	assert_intact(o2, base, NULL);
}

/* A checkpoint in the middle, the VM running: merged the same way, and
 * its memory file removed. */
static void delete_a_checkpoint_removes_its_memory_file(void **state)
{
	char base[PATH_LEN], o1[PATH_LEN], o2[PATH_LEN], mem[PATH_LEN], b[PATH_LEN];
	struct be_error err = {0};

	(void)state;
	qcow2(img(base, "ed-c-base"), "16M", NULL);
	define_vm("ed-c", base);
	pool_refresh();
	snprintf(mem, sizeof(mem), "%s/ed-c-c1.mem", img_dir);
	start_vm("ed-c");
	must_quiet("virsh -q -c '%s' snapshot-create-as ed-c c1 --memspec 'file=%s,snapshot=external' "
		   "--diskspec 'vda,snapshot=external,file=%s'",
		   uri, mem, img(o1, "ed-c-o1"));
	must_quiet("virsh -q -c '%s' snapshot-create-as ed-c c2 --disk-only --diskspec 'vda,snapshot=external,file=%s'",
		   uri, img(o2, "ed-c-o2"));
	pool_refresh();
	assert_true(exists(mem));
	if (be_snapshot_delete(conn, "ed-c", "c1", BE_DEL_ONE, &err) < 0)
		fail_msg("delete: %s", err.msg);
	assert_false(exists(mem));
	assert_false(exists(o1));
	assert_string_equal(blk_source("ed-c", false, b), o2);
	assert_string_equal(backing_of(o2, b), base);
	wait_state("ed-c", "running");
	must_quiet("virsh -q -c '%s' destroy ed-c", uri);
	wait_state("ed-c", "shut off");
}

/* Another VM's chain reads base: merging into it is refused, nothing
 * changes. */
static void delete_into_a_file_another_vm_reads_is_refused(void **state)
{
	char base[PATH_LEN], o1[PATH_LEN], o2[PATH_LEN], other[PATH_LEN], b[PATH_LEN];
	struct be_error err = {0};
	char *out;

	(void)state;
	two_snapshots("ed-r", base, o1, o2);
	qcow2(img(other, "ed-r-other"), NULL, base);
	define_vm("ed-r-vm2", other);
	pool_refresh();
	assert_int_equal(be_snapshot_delete(conn, "ed-r", "s1", BE_DEL_ONE, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "Not merging into"));
	assert_non_null(strstr(err.msg, "ed-r-vm2"));
	assert_true(exists(o1));
	assert_true(holds_at(base, 0x00, 1)); /* nothing merged */
	assert_string_equal(backing_of(o2, b), o1);
	out = must("virsh -q -c '%s' snapshot-list ed-r --name", uri);
	assert_non_null(strstr(out, "s1"));
	free(out);

	/* s2's overlay is the active layer; o1 below it is what s2 froze, and
	 * nothing else reads o1: s2 goes, o2 merged into o1. */
	err = (struct be_error){0};
	if (be_snapshot_delete(conn, "ed-r", "s2", BE_DEL_ONE, &err) < 0)
		fail_msg("delete: %s", err.msg);
	assert_false(exists(o2));
	assert_string_equal(blk_source("ed-r", true, b), o1);
	assert_true(holds_at(o1, 0x33, 2));
	assert_true(holds_at(other, 0x11, 0));
	assert_true(holds_at(other, 0x00, 1));
}

int test_snaprevert_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(revert_to_a_disk_only_snapshot, NULL, drop_prefix,
							 "er-d"),
		cmocka_unit_test_prestate_setup_teardown(revert_to_an_external_checkpoint, NULL, drop_prefix,
							 "er-c"),
		cmocka_unit_test_prestate_setup_teardown(unsafe_reverts_are_refused_and_make_nothing, NULL,
							 drop_prefix, "er-r"),
		cmocka_unit_test_prestate_setup_teardown(a_failed_restore_is_undone, NULL, drop_prefix, "er-u"),
		cmocka_unit_test_prestate_setup_teardown(delete_in_the_middle_of_a_chain, NULL, drop_prefix,
							 "ed-m"),
		cmocka_unit_test_prestate_setup_teardown(delete_a_checkpoint_removes_its_memory_file, NULL,
							 drop_prefix, "ed-c"),
		cmocka_unit_test_prestate_setup_teardown(delete_into_a_file_another_vm_reads_is_refused, NULL,
							 drop_prefix, "ed-r"),
	};

	return cmocka_run_group_tests_name("e2e-extrevert", tests, group_open, group_close);
}
