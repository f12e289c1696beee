/* The kinds of snapshot end to end, on a private daemon with real QEMU:
 * external disk-only and external with memory, taken from a running and
 * from a shut-off VM where allowed, and an overlay recorded as a
 * snapshot. Checked with virsh snapshot-info, snapshot-dumpxml and
 * qemu-img info --backing-chain, not with the program's own reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/chain/e2e_chain.h"

static void assert_has(const char *text, const char *words, const char *what)
{
	if (!strstr(text, words))
		fail_msg("%s lacks '%s':\n%s", what, words, text);
}

/* virsh snapshot-info and snapshot-dumpxml of vm's snapshot name, checked
 * for state and location; the dump returned (malloc'd). */
static char *snapshot_checked(const char *vm, const char *name, const char *state)
{
	char *info = must("virsh -q -c '%s' snapshot-info '%s' '%s'", uri, vm, name), *xml, want[64];

	snprintf(want, sizeof(want), "State:          %s", state);
	assert_has(info, want, "snapshot-info");
	assert_has(info, "Location:       external", "snapshot-info");
	free(info);
	xml = must("virsh -q -c '%s' snapshot-dumpxml '%s' '%s'", uri, vm, name);
	assert_has(xml, "snapshot='external'", "snapshot-dumpxml");
	return xml;
}

/* The disk's overlay is a qcow2 file backed by froze (qemu-img, -U: a
 * running QEMU holds its lock). */
static void assert_overlay_on(const char *overlay, const char *froze)
{
	char *chain = must("qemu-img info -U --backing-chain '%s'", overlay), want[PATH_LEN + 32];

	assert_has(chain, "file format: qcow2", "qemu-img info");
	snprintf(want, sizeof(want), "backing file: %s", froze);
	assert_has(chain, want, "qemu-img info");
	free(chain);
}

/* The program's reading of libvirt's XML of vm's snapshot name: its
 * kind, the file it froze, the overlay it made, its memory file. */
static void assert_read_as(const char *vm, const char *name, enum be_snap_kind kind, const char *froze,
			   const char *made)
{
	struct be_snap_list sl;
	struct be_error e = {0};
	size_t i;

	if (be_snapshots(conn, vm, &sl, &e) < 0)
		fail_msg("be_snapshots: %s", e.msg);
	for (i = 0; i < sl.n && strcmp(sl.s[i].name, name); i++)
		;
	assert_true(i < sl.n);
	assert_int_equal(be_snap_kind(&sl.s[i]), kind);
	assert_int_equal(sl.s[i].nfiles, 1);
	assert_string_equal(sl.s[i].files[0].path, froze);
	assert_non_null(sl.s[i].files[0].overlay);
	assert_string_equal(sl.s[i].files[0].overlay, made);
	if (kind == BE_KIND_EXT_SYS)
		assert_non_null(sl.s[i].memfile);
	else
		assert_null(sl.s[i].memfile);
	be_snap_list_clear(&sl);
}

/* A running VM: disk-only, every disk frozen at once under a new overlay
 * beside it; no guest agent answers, so it is taken unquiesced and the
 * note says so. */
static void external_disk_only_of_a_running_vm(void **state)
{
	char top[PATH_LEN], now[PATH_LEN], note[512], *xml;
	struct be_error e = {0};

	(void)state;
	qcow2(img(top, "kd-run"), "16M", NULL);
	define_vm("kd-run", top);
	start_vm("kd-run");
	if (be_snapshot_create_external(conn, "kd-run", "ext <1> & \"q\"", "before", false, note, sizeof(note), &e) < 0)
		fail_msg("be_snapshot_create_external: %s", e.msg);
	assert_has(note, "not quiesced", "the note");
	blk_source("kd-run", false, now);
	assert_true(strcmp(now, top) != 0);
	assert_true(strncmp(now, img_dir, strlen(img_dir)) == 0); /* beside the file it covers */
	assert_has(now, "/kd-run-vda-", "the overlay's name");
	xml = snapshot_checked("kd-run", "ext <1> & \"q\"", "disk-snapshot");
	assert_has(xml, now, "snapshot-dumpxml");
	assert_has(xml, "<memory snapshot='no'/>", "snapshot-dumpxml");
	free(xml);
	assert_overlay_on(now, top);
	assert_true(in_pool(now)); /* the pool was told */
	assert_read_as("kd-run", "ext <1> & \"q\"", BE_KIND_EXT_DISK, top, now);
}

/* A shut-off VM: disk-only; libvirt makes the overlay, the definition
 * points at it. */
static void external_disk_only_of_a_shut_off_vm(void **state)
{
	char top[PATH_LEN], now[PATH_LEN], note[512], *xml;
	struct be_error e = {0};

	(void)state;
	qcow2(img(top, "kd-off"), "16M", NULL);
	define_vm("kd-off", top);
	if (be_snapshot_create_external(conn, "kd-off", "cold", "", false, note, sizeof(note), &e) < 0)
		fail_msg("be_snapshot_create_external: %s", e.msg);
	assert_string_equal(note, "");
	blk_source("kd-off", true, now);
	assert_has(now, "/kd-off-vda-", "the overlay's name");
	xml = snapshot_checked("kd-off", "cold", "shutoff");
	assert_has(xml, now, "snapshot-dumpxml");
	free(xml);
	assert_overlay_on(now, top);
	assert_read_as("kd-off", "cold", BE_KIND_EXT_DISK, top, now);
	/* With memory needs a running VM: refused, nothing made. */
	assert_int_equal(be_snapshot_create_external(conn, "kd-off", "mem", "", true, note, sizeof(note), &e), -1);
	assert_int_equal(e.kind, BE_ERR_REFUSED);
	assert_has(e.msg, "not running", "the refusal");
}

/* A running VM with memory: the memory into a file beside the overlays,
 * the VM still running afterwards. */
static void external_with_memory_of_a_running_vm(void **state)
{
	char top[PATH_LEN], now[PATH_LEN], st[64], note[512], *xml, *mem;
	struct be_error e = {0};

	(void)state;
	qcow2(img(top, "kd-sys"), "16M", NULL);
	define_vm("kd-sys", top);
	start_vm("kd-sys");
	if (be_snapshot_create_external(conn, "kd-sys", "sys", "", true, note, sizeof(note), &e) < 0)
		fail_msg("be_snapshot_create_external: %s", e.msg);
	blk_source("kd-sys", false, now);
	assert_has(now, "/kd-sys-vda-", "the overlay's name");
	xml = snapshot_checked("kd-sys", "sys", "running");
	assert_has(xml, "<memory snapshot='external' file='", "snapshot-dumpxml");
	mem = strstr(xml, "<memory snapshot='external' file='") + strlen("<memory snapshot='external' file='");
	*strchr(mem, '\'') = '\0';
	assert_true(strncmp(mem, img_dir, strlen(img_dir)) == 0);
	assert_has(mem, "/kd-sys-mem-", "the memory file's name");
	assert_true(exists(mem));
	free(xml);
	assert_overlay_on(now, top);
	assert_read_as("kd-sys", "sys", BE_KIND_EXT_SYS, top, now);
	domstate("kd-sys", st, sizeof(st));
	assert_string_equal(st, "running");
}

/* Read-only disks and CD-ROMs are left out (snapshot='no'): they keep
 * their file, never a private writable overlay. */
static void read_only_disk_left_out(void **state)
{
	char top[PATH_LEN], ro[PATH_LEN], now[PATH_LEN], *xml, *list;
	struct be_error e = {0};
	char note[512];
	FILE *p;
	char cmd[1024];

	(void)state;
	qcow2(img(top, "kd-ro"), "16M", NULL);
	qcow2(img(ro, "kd-ro-data"), "16M", NULL);
	snprintf(cmd, sizeof(cmd), "virsh -q -c '%s' define /dev/stdin >/dev/null", uri);
	assert_non_null(p = popen(cmd, "w"));
	fprintf(p,
		"<domain type='qemu'><name>kd-ro</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
		"<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
		"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='%s'/>"
		"<target dev='vda' bus='virtio'/></disk>"
		"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='%s'/>"
		"<target dev='vdb' bus='virtio'/><readonly/></disk>"
		"<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>"
		"</devices></domain>\n",
		top, ro);
	assert_int_equal(pclose(p), 0);
	start_vm("kd-ro");
	if (be_snapshot_create_external(conn, "kd-ro", "ro", "", false, note, sizeof(note), &e) < 0)
		fail_msg("be_snapshot_create_external: %s", e.msg);
	xml = snapshot_checked("kd-ro", "ro", "disk-snapshot");
	assert_has(xml, "<disk name='vdb' snapshot='no'/>", "snapshot-dumpxml");
	assert_has(xml, "<disk name='hdc' snapshot='no'/>", "snapshot-dumpxml");
	free(xml);
	list = must("virsh -q -c '%s' domblklist kd-ro", uri);
	assert_has(list, ro, "domblklist"); /* vdb still on its own file */
	free(list);
	blk_source("kd-ro", false, now);
	assert_overlay_on(now, top);
}

/* o's overlay recorded as a snapshot: of one disk, with metadata, in
 * either state. */
static void overlay_recorded_as_a_snapshot(void **state)
{
	char top[PATH_LEN], ov[PATH_LEN], now[PATH_LEN], top2[PATH_LEN], ov2[PATH_LEN], note[512], *xml;
	struct be_error e = {0};

	(void)state;
	qcow2(img(top, "kd-ovl"), "16M", NULL);
	define_vm("kd-ovl", top);
	img(ov, "kd-ovl-mine");
	if (be_overlay_recorded(conn, "kd-ovl", "vda", ov, "cold ovl", note, sizeof(note), &e) < 0)
		fail_msg("be_overlay_recorded: %s", e.msg);
	blk_source("kd-ovl", true, now);
	assert_string_equal(now, ov);
	xml = snapshot_checked("kd-ovl", "cold ovl", "shutoff");
	assert_has(xml, ov, "snapshot-dumpxml");
	free(xml);
	assert_overlay_on(ov, top);

	qcow2(img(top2, "kd-ovr"), "16M", NULL);
	define_vm("kd-ovr", top2);
	start_vm("kd-ovr");
	img(ov2, "kd-ovr-mine");
	if (be_overlay_recorded(conn, "kd-ovr", "vda", ov2, "hot ovl", note, sizeof(note), &e) < 0)
		fail_msg("be_overlay_recorded: %s", e.msg);
	blk_source("kd-ovr", false, now);
	assert_string_equal(now, ov2);
	free(snapshot_checked("kd-ovr", "hot ovl", "disk-snapshot"));
	assert_overlay_on(ov2, top2);
}

/* An 8 MiB tmpfs beside $E2E_IMG, pool kd-small: too small for a 64 MiB
 * VM's memory file. */
static char small_dir[PATH_LEN - 64]; /* room for a file name after it */

static int small_teardown(void **state)
{
	drop_prefix(state);
	small_pool_drop("kd-small", small_dir);
	return 0;
}

static int small_setup(void **state)
{
	(void)state;
	return small_pool_make("kd-small", small_dir, sizeof(small_dir));
}

/* With memory, into a pool with less room than the VM's 64 MiB: refused
 * with both figures before anything is written; the VM keeps its disk. */
static void memory_file_into_a_small_pool_refused(void **state)
{
	char disk[PATH_LEN], now[PATH_LEN], note[512], *count;
	struct be_error e = {0};

	(void)state;
	snprintf(disk, sizeof(disk), "%s/kd-sm.qcow2", small_dir);
	qcow2(disk, "16M", NULL);
	must_quiet("virsh -q -c '%s' pool-refresh kd-small", uri);
	define_vm("kd-sm", disk);
	start_vm("kd-sm");
	assert_int_equal(be_snapshot_create_external(conn, "kd-sm", "mem", "", true, note, sizeof(note), &e), -1);
	print_message("refused: %s\n", e.msg);
	assert_int_equal(e.kind, BE_ERR_REFUSED);
	assert_has(e.msg, "needs about 64.0 MiB (the running VM's memory)", "the refusal");
	assert_has(e.msg, "storage pool kd-small, which has ", "the refusal");
	count = must("virsh -q -c '%s' snapshot-list kd-sm --name | grep -c . || true", uri);
	assert_string_equal(count, "0\n");
	free(count);
	blk_source("kd-sm", false, now);
	assert_string_equal(now, disk);
	count = must("ls '%s' | grep -c -- -mem- || true", small_dir);
	assert_string_equal(count, "0\n");
	free(count);
}

int test_snapkinds_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(external_disk_only_of_a_running_vm, NULL, drop_prefix, "kd-run"),
		cmocka_unit_test_prestate_setup_teardown(external_disk_only_of_a_shut_off_vm, NULL, drop_prefix, "kd-off"),
		cmocka_unit_test_prestate_setup_teardown(external_with_memory_of_a_running_vm, NULL, drop_prefix, "kd-sys"),
		cmocka_unit_test_prestate_setup_teardown(read_only_disk_left_out, NULL, drop_prefix, "kd-ro"),
		cmocka_unit_test_prestate_setup_teardown(overlay_recorded_as_a_snapshot, NULL, drop_prefix, "kd-ov"),
		cmocka_unit_test_prestate_setup_teardown(memory_file_into_a_small_pool_refused, small_setup,
							 small_teardown, "kd-sm"),
	};

	return cmocka_run_group_tests_name("e2e-kinds", tests, group_open, group_close);
}
