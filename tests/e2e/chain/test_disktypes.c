/* Disk types end to end, on a private daemon with real QEMU: a volume of
 * the dir pool "images" named by pool and volume, a block device (a loop
 * device), and a file disk beside an empty CD-ROM and a read-only disk.
 * What the backend reads and does is checked with virsh and qemu-img. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "tests/e2e/chain/e2e_chain.h"

/* The loop device of the block test, detached by its teardown. */
static char loop_dev[64];

/* Defines vm with the <disk> elements given (what virsh define reads). */
static void define_with(const char *vm, const char *disks)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "virsh -q -c '%s' define /dev/stdin >/dev/null", uri);
	p = popen(cmd, "w");
	assert_non_null(p);
	fprintf(p,
		"<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>\n"
		"<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>\n%s</devices></domain>\n",
		vm, disks);
	assert_int_equal(pclose(p), 0);
}

/* Removes what a test of prefix made, and its loop device. */
static int clean(void **state)
{
	int st;

	drop_prefix(state); /* the VMs first: they hold the loop device */
	if (loop_dev[0]) {
		free(shell(&st, "losetup -d '%s'", loop_dev));
		loop_dev[0] = '\0';
	}
	return 0;
}

static const struct be_disk *the_disk(const struct be_disk_list *l, const char *target)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->d[i].target, target))
			return &l->d[i];
	fail_msg("no disk %s", target);
	return NULL;
}

static void assert_refused(int rc, const struct be_error *e, const char *words)
{
	assert_int_equal(rc, -1);
	if (e->kind != BE_ERR_REFUSED || !strstr(e->msg, words))
		fail_msg("expected a refusal saying '%s', got kind %d: %s", words, e->kind, e->msg);
}

/* A volume disk (<source pool='images' volume='...'/>) is the file behind
 * it: its chain is read through the pool, the file is counted as read,
 * a snapshot goes into it, and an overlay keeps the disk a volume disk. */
static void volume_disk_in_a_dir_pool(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], ov[PATH_LEN], disk[1024], *out;
	struct be_disk_list l;
	struct be_error e = {0};
	const struct be_disk *d;
	const char *victim[1];

	(void)state;
	qcow2(img(base, "dt-v-base"), "16M", NULL);
	qcow2(img(top, "dt-v-top"), NULL, base);
	pool_refresh();
	snprintf(disk, sizeof(disk),
		 "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
		 "<source pool='images' volume='dt-v-top.qcow2'/><target dev='vda' bus='virtio'/></disk>\n");
	define_with("dt-v", disk);

	assert_int_equal(be_vm_disks(conn, "dt-v", &l, &e), 0);
	d = the_disk(&l, "vda");
	assert_int_equal(d->type, BE_SRC_VOLUME);
	assert_string_equal(d->layers[0].path, top);
	assert_true(d->layers[0].volume_file);
	assert_string_equal(d->layers[0].pool_type, "dir");
	assert_int_equal(d->nlayers, 2);
	assert_string_equal(d->layers[1].path, base);
	assert_int_equal(d->end, BE_END_COMPLETE);
	be_disk_list_clear(&l);

	/* The file behind the volume is read by dt-v, for certain. */
	victim[0] = top;
	assert_refused(be_volumes_delete(conn, victim, 1, &e), &e, "dt-v (disk vda)");
	assert_null(strstr(e.msg, "dt-v (disk vda) may"));
	assert_true(exists(top));

	/* An internal snapshot lands in the file behind the volume. */
	memset(&e, 0, sizeof(e));
	if (be_snapshot_create(conn, "dt-v", "dt-s1", "", &e) < 0)
		fail_msg("snapshot of the volume disk: %s", e.msg);
	out = must("qemu-img snapshot -U -l '%s'", top);
	assert_non_null(strstr(out, "dt-s1"));
	free(out);

	/* A new overlay, shut off: a volume of the pool, and the disk stays
	 * a volume disk naming it. */
	img(ov, "dt-v-ov");
	memset(&e, 0, sizeof(e));
	if (be_overlay_new(conn, "dt-v", "vda", ov, &e) < 0)
		fail_msg("overlay on the volume disk: %s", e.msg);
	out = must("virsh -q -c '%s' dumpxml --inactive dt-v", uri);
	if (!strstr(out, "<disk type='volume' device='disk'>") || !strstr(out, "pool='images'") ||
	    !strstr(out, "volume='dt-v-ov.qcow2'"))
		fail_msg("the disk is no longer the pool's volume:\n%s", out);
	free(out);
	out = must("qemu-img info -U --backing-chain '%s' | grep '^image:'", ov);
	assert_non_null(strstr(out, top));
	assert_non_null(strstr(out, base));
	free(out);

	/* Running, the live XML says the same. */
	start_vm("dt-v");
	assert_int_equal(be_vm_disks(conn, "dt-v", &l, &e), 0);
	d = the_disk(&l, "vda");
	assert_string_equal(d->layers[0].path, ov);
	assert_int_equal(d->nlayers, 3);
	be_disk_list_clear(&l);
	assert_intact(ov, top, base, NULL);
}

/* A linked clone of a volume disk: the clone's overlay and the source's
 * fresh overlay are volumes of the pool, and both disks stay volume
 * disks naming them (not file disks). */
static void linked_clone_of_a_volume_disk(void **state)
{
	char base[PATH_LEN], cl[PATH_LEN], disk[1024], *out;
	struct be_error e = {0};

	(void)state;
	qcow2(img(base, "dt-c-base"), "16M", NULL);
	pool_refresh();
	snprintf(disk, sizeof(disk),
		 "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
		 "<source pool='images' volume='dt-c-base.qcow2'/><target dev='vda' bus='virtio'/></disk>\n");
	define_with("dt-c", disk);
	if (be_vm_clone(conn, "dt-c", "dt-c2", false, NULL, NULL, &e) < 0)
		fail_msg("linked clone of a volume disk: %s", e.msg);
	out = must("virsh -q -c '%s' dumpxml --inactive dt-c2", uri);
	if (!strstr(out, "<disk type='volume' device='disk'>") || !strstr(out, "volume='dt-c2-vda.qcow2'"))
		fail_msg("the clone's disk is not the pool's volume:\n%s", out);
	free(out);
	out = must("virsh -q -c '%s' dumpxml --inactive dt-c", uri);
	if (!strstr(out, "<disk type='volume' device='disk'>") || !strstr(out, "pool='images'") ||
	    !strstr(out, "volume='dt-c-vda-"))
		fail_msg("the source's disk is no longer the pool's volume:\n%s", out);
	free(out);
	out = must("virsh -q -c '%s' vol-list images | grep -c 'dt-c'", uri);
	assert_int_equal(atoi(out), 3); /* base, the clone's, the source's fresh */
	free(out);
	out = must("qemu-img info -U --backing-chain '%s' | grep '^image:'", img(cl, "dt-c2-vda"));
	assert_non_null(strstr(out, base));
	free(out);
}

/* A block device (a loop device over a file): read as one, printed as
 * one, and given an overlay file while the VM runs. */
static void block_device_on_a_loop_device(void **state)
{
	char raw[PATH_LEN], ov[PATH_LEN], disk[1024], *out, *p, *text = NULL;
	struct be_disk_list l;
	struct be_error e = {0};
	const struct be_disk *d;
	size_t n = 0;
	FILE *f;
	int st;

	(void)state;
	img(raw, "dt-b-disk");
	must_quiet("truncate -s 32M '%s'", raw);
	out = shell(&st, "losetup --find --show '%s' 2>&1", raw);
	if (st != 0 || strncmp(out, "/dev/", 5)) {
		if ((p = strchr(out, '\n')))
			*p = '\0';
		print_message("no loop device here (losetup: %s): the block device test is skipped\n", out);
		free(out);
		skip();
	}
	if ((p = strchr(out, '\n')))
		*p = '\0';
	snprintf(loop_dev, sizeof(loop_dev), "%s", out);
	free(out);
	own(loop_dev);
	snprintf(disk, sizeof(disk),
		 "<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
		 "<source dev='%s'/><target dev='vda' bus='virtio'/></disk>\n",
		 loop_dev);
	define_with("dt-b", disk);

	assert_int_equal(be_vm_disks(conn, "dt-b", &l, &e), 0);
	d = the_disk(&l, "vda");
	assert_int_equal(d->layers[0].type, BE_SRC_BLOCK);
	assert_string_equal(d->layers[0].path, loop_dev);
	assert_int_equal(d->end, BE_END_COMPLETE);
	be_disk_list_clear(&l);
	f = open_memstream(&text, &n);
	assert_int_equal(print_vm(conn, "dt-b", true, f, stderr), 0);
	fclose(f);
	if (!strstr(text, "(raw, block device"))
		fail_msg("--print does not say block device:\n%s", text);
	free(text);

	/* Running: a disk-only external snapshot puts a file on it. */
	start_vm("dt-b");
	img(ov, "dt-b-ov");
	if (be_overlay_new(conn, "dt-b", "vda", ov, &e) < 0)
		fail_msg("overlay on the block device: %s", e.msg);
	out = must("virsh -q -c '%s' domblklist dt-b", uri);
	assert_non_null(strstr(out, ov));
	free(out);
	out = must("qemu-img info -U '%s'", ov);
	assert_non_null(strstr(out, loop_dev)); /* backing file: the device */
	free(out);
	assert_int_equal(be_vm_disks(conn, "dt-b", &l, &e), 0);
	d = the_disk(&l, "vda");
	assert_int_equal(d->nlayers, 2);
	assert_int_equal(d->layers[1].type, BE_SRC_BLOCK);
	be_disk_list_clear(&l);
}

/* A running VM's internal snapshot holds its qcow2 disk and leaves out
 * the empty CD-ROM and the read-only disk, which stays as it was; an
 * overlay on either is refused, saying what it is. */
static void file_disk_beside_a_cdrom_and_a_read_only_disk(void **state)
{
	char top[PATH_LEN], ro[PATH_LEN], ov[PATH_LEN], disks[2048], *before, *after, *out;
	struct be_error e = {0};

	(void)state;
	qcow2(img(top, "dt-f-top"), "16M", NULL);
	img(ro, "dt-f-ro");
	must_quiet("truncate -s 1M '%s' && printf data | dd of='%s' conv=notrunc status=none", ro, ro);
	own(ro);
	snprintf(disks, sizeof(disks),
		 "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='%s'/>"
		 "<target dev='vda' bus='virtio'/></disk>\n"
		 "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='%s'/>"
		 "<target dev='vdb' bus='virtio'/><readonly/></disk>\n"
		 "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
		 "<target dev='sda' bus='sata'/><readonly/></disk>\n",
		 top, ro);
	define_with("dt-f", disks);
	pool_refresh();
	before = must("sha256sum '%s' | cut -d' ' -f1", ro);
	start_vm("dt-f");

	if (be_snapshot_create(conn, "dt-f", "dt-s1", "", &e) < 0)
		fail_msg("snapshot beside a CD-ROM and a read-only disk: %s", e.msg);
	out = must("virsh -q -c '%s' snapshot-dumpxml dt-f dt-s1", uri);
	if (!strstr(out, "<disk name='vdb' snapshot='no'/>") || !strstr(out, "<disk name='sda' snapshot='no'/>") ||
	    !strstr(out, "<disk name='vda' snapshot='internal'/>"))
		fail_msg("the snapshot does not leave them out:\n%s", out);
	free(out);
	out = must("qemu-img snapshot -U -l '%s'", top);
	assert_non_null(strstr(out, "dt-s1"));
	free(out);

	img(ov, "dt-f-new");
	memset(&e, 0, sizeof(e));
	assert_refused(be_overlay_new(conn, "dt-f", "vdb", ov, &e), &e, "vdb is read-only");
	memset(&e, 0, sizeof(e));
	assert_refused(be_overlay_new(conn, "dt-f", "sda", ov, &e), &e, "sda is a CD-ROM");
	assert_false(exists(ov));
	after = must("sha256sum '%s' | cut -d' ' -f1", ro);
	assert_string_equal(before, after);
	free(before);
	free(after);
	out = must("virsh -q -c '%s' domblklist dt-f", uri);
	assert_non_null(strstr(out, top)); /* vda unchanged: nothing was made */
	free(out);
}

int test_disktypes_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(volume_disk_in_a_dir_pool, NULL, clean, "dt-v"),
		cmocka_unit_test_prestate_setup_teardown(linked_clone_of_a_volume_disk, NULL, clean, "dt-c"),
		cmocka_unit_test_prestate_setup_teardown(block_device_on_a_loop_device, NULL, clean, "dt-b"),
		cmocka_unit_test_prestate_setup_teardown(file_disk_beside_a_cdrom_and_a_read_only_disk, NULL, clean,
							 "dt-f"),
	};

	return cmocka_run_group_tests_name("e2e-disktypes", tests, group_open, group_close);
}
