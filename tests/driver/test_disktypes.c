/* Every disk type, against libvirt's test driver: a file written here
 * holds a dir pool and VMs with a volume disk, a network disk, a block
 * device, a host folder, a read-only and a shareable disk, an empty
 * CD-ROM and a floppy. Each is read as what it is, printed as such, and
 * refused what it cannot take; a volume disk and the file behind it are
 * one image to the safety checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "print.h"

int disktypes_tests(void);

#define VOL(name, fmt, backing)                                                                                  \
	"<volume type='file'><name>" name "</name><key>/pd/" name "</key>\n"                                     \
	"<capacity unit='bytes'>1048576</capacity><allocation unit='bytes'>4096</allocation>\n"                  \
	"<target><path>/pd/" name "</path><format type='" fmt "'/></target>" backing "</volume>\n"
#define BACKED(path) "<backingStore><path>" path "</path><format type='qcow2'/></backingStore>"
#define DOMAIN(name, n, disks)                                                                                   \
	"<domain type='test'><name>" name "</name><uuid>fe000000-0000-4000-8000-00000000000" n "</uuid>\n"       \
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"               \
	"<devices>" disks "</devices><test:runstate>5</test:runstate></domain>\n"
#define DISK(type, dev, fmt, source, target, extra)                                                              \
	"<disk type='" type "' device='" dev "'><driver name='qemu' type='" fmt "'/>" source "<target dev='" target \
	"'/>" extra "</disk>\n"

static const char *const fixture_xml[] = {
	"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	"<pool type='dir'><name>pd</name><uuid>fe000000-0000-4000-8000-0000000000f0</uuid>\n"
	"<target><path>/pd</path></target>\n" VOL("top.qcow2", "qcow2", BACKED("/pd/base.qcow2"))
		VOL("base.qcow2", "qcow2", "") VOL("child.qcow2", "qcow2", BACKED("/pd/top.qcow2"))
			VOL("ro.raw", "raw", "") VOL("snap.qcow2", "qcow2", "") VOL("sharer.qcow2", "qcow2", "") VOL("shared.qcow2", "qcow2", "") "</pool>\n",
	/* One VM with a disk of every kind. */
	DOMAIN("kinds", "1",
	       DISK("volume", "disk", "qcow2", "<source pool='pd' volume='top.qcow2'/>", "vda", "")
		       DISK("network", "disk", "raw",
			    "<source protocol='rbd' name='pool/image'><host name='mon1' port='6789'/><host name='mon2'/>"
			    "</source>",
			    "vdb", "") DISK("block", "disk", "raw", "<source dev='/dev/vmm-test-lv'/>", "vdc", "")
			       DISK("dir", "disk", "fat", "<source dir='/srv/share'/>", "vdd", "")
				       DISK("file", "disk", "raw", "<source file='/pd/ro.raw'/>", "vde", "<readonly/>")
					       DISK("file", "disk", "raw", "<source file='/pd/shared.raw'/>", "vdf",
						    "<shareable/>") DISK("file", "cdrom", "raw", "", "sda", "<readonly/>")
						       DISK("file", "floppy", "raw", "<source file='/pd/fd.img'/>", "fda", "")),
	/* A file disk on a file built on the volume kinds runs on. */
	DOMAIN("filer", "2", DISK("file", "disk", "qcow2", "<source file='/pd/child.qcow2'/>", "vda", "")),
	/* Internal snapshots: the CD-ROM and the read-only disk are left out;
	 * a shareable disk cannot be held. */
	DOMAIN("snapper", "3",
	       DISK("file", "disk", "qcow2", "<source file='/pd/snap.qcow2'/>", "vda", "")
		       DISK("file", "disk", "raw", "<source file='/pd/ro.raw'/>", "vdb", "<readonly/>")
			       DISK("file", "cdrom", "raw", "", "sda", "<readonly/>")),
	DOMAIN("sharer", "4",
	       DISK("file", "disk", "qcow2", "<source file='/pd/sharer.qcow2'/>", "vda", "")
		       DISK("file", "disk", "qcow2", "<source file='/pd/shared.qcow2'/>", "vdb", "<shareable/>")),
	"</node>\n",
};

/* Volumes that cannot be resolved: gone from their pool, or of a pool
 * libvirt does not have. A file of their own: what libvirt cannot follow
 * "may read" anything, and would hold up every check of the first. */
static const char *const ghost_xml[] = {
	"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	"<pool type='dir'><name>pd</name><uuid>fe000000-0000-4000-8000-0000000000f1</uuid>\n"
	"<target><path>/pd</path></target>\n" VOL("base.qcow2", "qcow2", "") "</pool>\n",
	DOMAIN("ghost", "5",
	       DISK("volume", "disk", "qcow2", "<source pool='pd' volume='gone.qcow2'/>", "vda", "")
		       DISK("volume", "disk", "qcow2", "<source pool='nopool' volume='x.qcow2'/>", "vdb", "")),
	"</node>\n",
};

static char fixture[512], ghost[512];

static int write_one(char *path, size_t n, const char *const *parts, size_t nparts)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	size_t i;
	int fd;

	snprintf(path, n, "%s/vmm-disktypes-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0 || !(f = fdopen(fd, "w")))
		return -1;
	for (i = 0; i < nparts; i++)
		fputs(parts[i], f);
	fclose(f);
	return 0;
}

static int write_fixture(void **state)
{
	(void)state;
	if (write_one(fixture, sizeof(fixture), fixture_xml, sizeof(fixture_xml) / sizeof(fixture_xml[0])) < 0)
		return -1;
	return write_one(ghost, sizeof(ghost), ghost_xml, sizeof(ghost_xml) / sizeof(ghost_xml[0]));
}

static int remove_fixture(void **state)
{
	(void)state;
	unlink(fixture);
	unlink(ghost);
	return 0;
}

static struct be_conn *open_file(const char *file)
{
	char uri[600];
	struct be_error e = {0};
	struct be_conn *c;

	snprintf(uri, sizeof(uri), "test://%s", file);
	c = be_open(uri, false, &e);
	if (!c)
		fail_msg("cannot open %s: %s", uri, e.msg);
	return c;
}

static struct be_conn *open_it(void)
{
	return open_file(fixture);
}

static const struct be_disk *disk_of(const struct be_disk_list *l, const char *target)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->d[i].target, target))
			return &l->d[i];
	fail_msg("no disk %s", target);
	return NULL;
}

/* Each disk is read as what it is. */
static void every_disk_is_read_as_what_it_is(void **state)
{
	struct be_conn *c = open_it();
	struct be_disk_list l;
	struct be_error e = {0};
	const struct be_disk *d;

	(void)state;
	assert_int_equal(be_vm_disks(c, "kinds", &l, &e), 0);
	assert_int_equal(l.n, 8);
	/* The volume, resolved through its pool to the file behind it. */
	d = disk_of(&l, "vda");
	assert_int_equal(d->type, BE_SRC_VOLUME);
	assert_int_equal(d->nlayers, 2);
	assert_int_equal(d->end, BE_END_COMPLETE);
	assert_string_equal(d->layers[0].path, "/pd/top.qcow2");
	assert_true(d->layers[0].volume_file);
	assert_string_equal(d->layers[0].pool, "pd");
	assert_string_equal(d->layers[0].volume, "top.qcow2");
	assert_string_equal(d->layers[0].pool_type, "dir");
	assert_true(d->layers[0].in_pool);
	assert_string_equal(d->layers[1].path, "/pd/base.qcow2");
	/* The network disk: protocol, name, hosts; never a path. */
	d = disk_of(&l, "vdb");
	assert_int_equal(d->layers[0].type, BE_SRC_NETWORK);
	assert_string_equal(d->layers[0].path, "rbd:pool/image@mon1:6789,mon2");
	assert_string_equal(d->layers[0].protocol, "rbd");
	assert_string_equal(d->layers[0].name, "pool/image");
	assert_string_equal(d->layers[0].hosts, "mon1:6789,mon2");
	assert_false(d->layers[0].in_pool);
	d = disk_of(&l, "vdc");
	assert_int_equal(d->layers[0].type, BE_SRC_BLOCK);
	assert_string_equal(d->layers[0].path, "/dev/vmm-test-lv");
	d = disk_of(&l, "vdd");
	assert_int_equal(d->layers[0].type, BE_SRC_DIR);
	assert_int_equal(d->end, BE_END_COMPLETE);
	assert_true(disk_of(&l, "vde")->readonly);
	assert_true(disk_of(&l, "vdf")->shareable);
	d = disk_of(&l, "sda");
	assert_int_equal(d->device, BE_DEV_CDROM);
	assert_int_equal(d->nlayers, 0);
	assert_true(d->readonly);
	d = disk_of(&l, "fda");
	assert_int_equal(d->device, BE_DEV_FLOPPY);
	assert_int_equal(d->nlayers, 1);
	assert_false(d->readonly);
	be_disk_list_clear(&l);
	be_close(c);
}

static char *print_of(const char *file, const char *vm)
{
	char *out = NULL, *err = NULL;
	size_t outn = 0, errn = 0;
	struct be_conn *c = open_file(file);
	FILE *o = open_memstream(&out, &outn), *eo = open_memstream(&err, &errn);

	assert_int_equal(print_vm(c, vm, true, o, eo), 0);
	fclose(o);
	fclose(eo);
	be_close(c);
	free(err);
	return out;
}

/* --print says what each disk is, in the order libvirt keeps them. */
static void print_names_every_kind(void **state)
{
	static const char *const want[] = {
		"vda   /pd/top.qcow2 (qcow2, volume top.qcow2 of dir pool pd, 1.0 MiB virtual, 4.0 KiB used)\n"
		"      `- /pd/base.qcow2 (qcow2, 1.0 MiB virtual, 4.0 KiB used)\n",
		"vdb   rbd:pool/image@mon1:6789,mon2 (raw, network disk)\n",
		"vdc   /dev/vmm-test-lv (raw, block device, in no storage pool: sizes unknown)\n",
		"vdd   /srv/share (fat, host folder)\n",
		"vde   [read-only] /pd/ro.raw (raw, 1.0 MiB virtual, 4.0 KiB used)\n",
		"vdf   [shareable] /pd/shared.raw (raw, in no storage pool: sizes unknown)\n",
		"sda   [cdrom] (no medium)\n",
		"fda   [floppy] /pd/fd.img (raw, in no storage pool: sizes unknown)\n",
	};
	char *out;
	size_t i;

	(void)state;
	out = print_of(fixture, "kinds");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(out, want[i]))
			fail_msg("no\n%sin:\n%s", want[i], out);
	assert_null(strstr(out, "rbd:pool/image@mon1:6789,mon2 (raw, in no storage pool"));
	free(out);
	out = print_of(ghost, "ghost");
	if (!strstr(out, "vda   pd/gone.qcow2 (qcow2, volume gone.qcow2 of dir pool pd, missing)\n"
			 "      (missing: no such file in its pool)\n") ||
	    !strstr(out, "vdb   nopool/x.qcow2 (qcow2, volume x.qcow2 of pool nopool, which libvirt cannot find)\n"))
		fail_msg("unresolved volumes not said so in:\n%s", out);
	free(out);
}

static void assert_refused(int rc, const struct be_error *e, const char *words)
{
	assert_int_equal(rc, -1);
	if (e->kind != BE_ERR_REFUSED || !strstr(e->msg, words))
		fail_msg("expected a refusal saying '%s', got kind %d: %s", words, e->kind, e->msg);
}

/* Overlays, commits, discards and resets are for writable disks of
 * this host: the backend refuses the rest, saying what the disk is. */
static void chain_work_is_refused_by_kind(void **state)
{
	static const struct {
		const char *disk, *words;
	} cases[] = {
		{"vdb", "vdb is a network disk (rbd:pool/image@mon1:6789,mon2)"},
		{"vdd", "vdd is a host folder"},
		{"vde", "vde is read-only"},
		{"vdf", "vdf is shareable"},
		{"fda", "fda is a floppy drive"},
	};
	struct be_conn *c = open_it();
	struct be_disk_list l;
	struct be_error e = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_refused(be_overlay_new(c, "kinds", cases[i].disk, "/pd/new.qcow2", &e), &e, cases[i].words);
		memset(&e, 0, sizeof(e));
		assert_refused(be_overlay_discard(c, "kinds", cases[i].disk, "/pd/base.qcow2", "/pd/fresh.qcow2", &e), &e,
			       cases[i].words);
		memset(&e, 0, sizeof(e));
		assert_refused(be_block_commit(c, "kinds", cases[i].disk, "/pd/base.qcow2", true, 0, &e), &e,
			       cases[i].words);
	}
	/* Nothing was made or changed. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(be_vm_disks(c, "kinds", &l, &e), 0);
	assert_int_equal(l.n, 8);
	assert_string_equal(disk_of(&l, "vdb")->layers[0].path, "rbd:pool/image@mon1:6789,mon2");
	be_disk_list_clear(&l);
	be_close(c);
}

/* A volume disk reads the file behind it: the base under kinds' volume
 * cannot be deleted, and filer cannot make that volume its writable
 * layer, each refusal naming kinds for certain (not "may"). */
static void a_volume_and_its_file_are_one_image(void **state)
{
	const char *base = "/pd/base.qcow2";
	struct be_conn *c = open_it();
	struct be_vol_list v;
	struct be_error e = {0};
	size_t i;
	bool kept = false;

	(void)state;
	assert_refused(be_volumes_delete(c, &base, 1, &e), &e, "kinds (disk vda)");
	if (strstr(e.msg, "may:"))
		fail_msg("a reader only may: %s", e.msg);
	memset(&e, 0, sizeof(e));
	assert_refused(be_overlay_discard(c, "filer", "vda", "/pd/top.qcow2", NULL, &e), &e,
		       "/pd/top.qcow2: it would be written, and kinds (disk vda) reads it");
	memset(&e, 0, sizeof(e));
	assert_int_equal(be_volumes(c, &v, &e), 0);
	for (i = 0; i < v.n; i++)
		kept |= !strcmp(v.v[i].path, base);
	assert_true(kept);
	be_vol_list_clear(&v);
	be_close(c);
}

/* An internal snapshot leaves out the empty CD-ROM and the read-only
 * disk, and is refused for a VM with a shareable disk. */
static void internal_snapshots_leave_out_what_they_cannot_hold(void **state)
{
	struct be_conn *c = open_it();
	struct be_snap_list s;
	struct be_error e = {0};

	(void)state;
	if (be_snapshot_create(c, "snapper", "s1", "", &e) < 0)
		fail_msg("snapper: %s", e.msg);
	assert_int_equal(be_snapshots(c, "snapper", &s, &e), 0);
	assert_int_equal(s.n, 1);
	if (!strstr(s.s[0].disks, "vda internal") || !strstr(s.s[0].disks, "vdb no") || !strstr(s.s[0].disks, "sda no"))
		fail_msg("the snapshot holds: %s", s.s[0].disks);
	be_snap_list_clear(&s);
	memset(&e, 0, sizeof(e));
	assert_refused(be_snapshot_create(c, "sharer", "s1", "", &e), &e, "vdb is shareable");
	assert_int_equal(be_snapshots(c, "sharer", &s, &e), 0);
	assert_int_equal(s.n, 0);
	be_snap_list_clear(&s);
	memset(&e, 0, sizeof(e));
	assert_refused(be_snapshot_create(c, "kinds", "s1", "", &e), &e, "fda is a writable floppy");
	be_close(c);
}

int disktypes_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_disk_is_read_as_what_it_is),
		cmocka_unit_test(print_names_every_kind),
		cmocka_unit_test(chain_work_is_refused_by_kind),
		cmocka_unit_test(a_volume_and_its_file_are_one_image),
		cmocka_unit_test(internal_snapshots_leave_out_what_they_cannot_hold),
	};

	return cmocka_run_group_tests_name("disk types", tests, write_fixture, remove_fixture);
}
