/* The images screen's model: chains turned upside down. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "core/images.h"
#include "core/layer.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* Adds disk target of vm with layers top..base given as paths. */
static void disk(struct vm_disks_list *l, const char *vm, const char *target, const char *const *paths, size_t n)
{
	struct vm_disks *v = NULL;
	struct be_disk *d;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].vm, vm))
			v = &l->v[i];
	if (!v) {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		v = &l->v[l->n++];
		memset(v, 0, sizeof(*v));
		v->vm = xstrdup(vm);
	}
	v->disks.d = xrealloc(v->disks.d, (v->disks.n + 1) * sizeof(*v->disks.d));
	d = &v->disks.d[v->disks.n++];
	memset(d, 0, sizeof(*d));
	d->target = xstrdup(target);
	d->layers = xcalloc(n, sizeof(*d->layers));
	for (i = 0; i < n; i++) {
		d->layers[i].path = xstrdup(paths[i]);
		d->layers[i].format = xstrdup("qcow2");
	}
	d->nlayers = n;
}

static const char *label(const struct images *im, size_t row)
{
	return im->nodes[im->layout.rows[row].node].path;
}

static void shared_base_gathers_its_users(void **state)
{
	const char *alpha[] = {"/i/alpha-top", "/i/alpha-mid", "/i/base"};
	const char *gamma[] = {"/i/gamma-top", "/i/base"};
	const char *beta[] = {"/i/beta.raw"};
	const char *data[] = {"/i/data"};
	struct vm_disks_list l = {0};
	struct images im;

	(void)state;
	disk(&l, "beta", "vda", beta, 1);
	disk(&l, "gamma", "vda", gamma, 2);
	disk(&l, "alpha", "vda", alpha, 3);
	disk(&l, "alpha", "vdb", data, 1);
	images_build(&im, &l, &(struct be_vol_list){0});
	assert_int_equal(im.shared, 1);
	/* The shared base comes first, with both chains below it. */
	assert_string_equal(label(&im, 0), "/i/base");
	assert_int_equal(im.nodes[im.layout.rows[0].node].users, 2);
	assert_string_equal(label(&im, 1), "/i/alpha-mid");
	assert_string_equal(label(&im, 2), "/i/alpha-top");
	assert_string_equal(label(&im, 3), "alpha");
	assert_int_equal(im.nodes[im.layout.rows[3].node].kind, IMG_USE);
	assert_string_equal(im.nodes[im.layout.rows[3].node].format, "vda");
	assert_int_equal(im.layout.rows[3].depth, 3);
	assert_string_equal(label(&im, 4), "/i/gamma-top");
	assert_string_equal(label(&im, 5), "gamma");
	/* Then the unshared bases by path, each with its one user. */
	assert_string_equal(label(&im, 6), "/i/beta.raw");
	assert_string_equal(label(&im, 7), "beta");
	assert_string_equal(label(&im, 8), "/i/data");
	assert_string_equal(label(&im, 9), "alpha");
	assert_int_equal(im.layout.n, 10);
	images_free(&im);
	vm_disks_list_clear(&l);
}

/* Who else reads an image: another VM, or another disk of the VM acted
 * on, but not the disk acted on itself. */
/* After a linked clone: the source's old top is the shared base, with the
 * source's fresh overlay and the clone's overlay below it, each with its
 * VM; a new VM on the golden layer below hangs beside them (issue #14). */
static void clones_show_under_their_base(void **state)
{
	const char *src[] = {"/i/src-vda-20260101-000000.qcow2", "/i/src.qcow2", "/i/golden.qcow2"};
	const char *clone[] = {"/i/src-clone-vda.qcow2", "/i/src.qcow2", "/i/golden.qcow2"};
	const char *student[] = {"/i/student1-vda.qcow2", "/i/golden.qcow2"};
	struct vm_disks_list l = {0};
	struct images im;

	(void)state;
	disk(&l, "src", "vda", src, 3);
	disk(&l, "src-clone", "vda", clone, 3);
	disk(&l, "student1", "vda", student, 2);
	images_build(&im, &l, &(struct be_vol_list){0});
	assert_string_equal(label(&im, 0), "/i/golden.qcow2");
	assert_int_equal(im.nodes[im.layout.rows[0].node].users, 3);
	assert_string_equal(label(&im, 1), "/i/src.qcow2");
	assert_int_equal(im.nodes[im.layout.rows[1].node].users, 2);
	assert_string_equal(label(&im, 2), "/i/src-clone-vda.qcow2");
	assert_string_equal(label(&im, 3), "src-clone");
	assert_string_equal(label(&im, 4), "/i/src-vda-20260101-000000.qcow2");
	assert_string_equal(label(&im, 5), "src");
	assert_int_equal(im.layout.rows[5].depth, 3);
	assert_string_equal(label(&im, 6), "/i/student1-vda.qcow2");
	assert_string_equal(label(&im, 7), "student1");
	assert_int_equal(im.layout.rows[7].depth, 2);
	assert_int_equal(im.layout.n, 8);
	images_free(&im);
	vm_disks_list_clear(&l);
}

static void users_but_the_disk_acted_on(void **state)
{
	const char *alpha_a[] = {"/i/alpha-a", "/i/base"};
	const char *alpha_b[] = {"/i/alpha-b", "/i/base"};
	const char *gamma[] = {"/i/gamma-top", "/i/base"};
	struct vm_disks_list l = {0};
	struct images im;
	char buf[128];

	(void)state;
	disk(&l, "alpha", "vda", alpha_a, 2);
	disk(&l, "alpha", "vdb", alpha_b, 2);
	disk(&l, "gamma", "vda", gamma, 2);
	images_build(&im, &l, &(struct be_vol_list){0});
	assert_int_equal(images_users(&im, "/i/base", "alpha", "vda", NULL, 0, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "alpha (disk vdb); gamma (disk vda)");
	assert_int_equal(images_users(&im, "/i/base", "gamma", "vda", NULL, 0, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "alpha (disk vda); alpha (disk vdb)");
	assert_int_equal(images_users(&im, "/i/alpha-a", "alpha", "vda", NULL, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(images_users(&im, "/i/nowhere", "alpha", "vda", NULL, 0, buf, sizeof(buf)), 0);
	images_free(&im);
	vm_disks_list_clear(&l);
}

/* Adds snapshot name of vm, its state for disk in file (external: frozen
 * there below an overlay). */
static void snap(struct vm_disks_list *l, const char *vm, const char *name, const char *disk, const char *file,
		 bool external)
{
	struct be_snap_list *sl = NULL;
	struct be_snapshot *s;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].vm, vm))
			sl = &l->v[i].snaps;
	assert_non_null(sl);
	sl->s = xrealloc(sl->s, (sl->n + 1) * sizeof(*sl->s));
	s = &sl->s[sl->n++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->files = xcalloc(1, sizeof(*s->files));
	s->nfiles = 1;
	s->files[0].disk = xstrdup(disk);
	s->files[0].path = xstrdup(file);
	s->files[0].external = external;
}

/* The kernel lab: golden on a raw base, one runtime per VM. lab1 took s1
 * inside its runtime, then an overlay, then s2 inside that; lab2 froze
 * golden under an external snapshot long ago. */
static void kernel_lab(struct vm_disks_list *l)
{
	const char *lab1[] = {"/i/lab1-ovl", "/i/lab1", "/i/golden", "/i/base.raw"};
	const char *lab2[] = {"/i/lab2", "/i/golden", "/i/base.raw"};

	memset(l, 0, sizeof(*l));
	disk(l, "lab1", "vda", lab1, 4);
	disk(l, "lab2", "vda", lab2, 3);
	snap(l, "lab1", "s1", "vda", "/i/lab1", false);
	snap(l, "lab1", "s2", "vda", "/i/lab1-ovl", false);
}

/* Invariant 1: nothing writes into a file that another chain reads. */
static void a_golden_image_is_read_by_the_other_vm(void **state)
{
	struct vm_disks_list l;
	struct images im;
	char buf[256];

	(void)state;
	kernel_lab(&l);
	images_build(&im, &l, &(struct be_vol_list){0});
	/* Resetting lab1 onto golden and writing it: lab2 reads it. */
	assert_int_equal(images_users(&im, "/i/golden", "lab1", "vda", NULL, 0, buf, sizeof(buf)), 3);
	assert_non_null(strstr(buf, "lab2 (disk vda)"));
	/* and lab1's own snapshots, which live in files built on golden. */
	assert_non_null(strstr(buf, "lab1's snapshot 's1'"));
	assert_non_null(strstr(buf, "lab1's snapshot 's2'"));
	/* A snapshot into lab1's active layer: only lab1 reads it. */
	assert_int_equal(images_users(&im, "/i/lab1-ovl", "lab1", "vda", NULL, 0, buf, sizeof(buf)), 0);
	images_free(&im);
	vm_disks_list_clear(&l);
}

/* Invariant 2: the snapshots in the files an action removes are its own
 * business; those above a written file are readers of it. */
static void snapshots_read_the_files_below_theirs(void **state)
{
	const char *going1[] = {"/i/lab1-ovl"}, *going2[] = {"/i/lab1-ovl", "/i/lab1"};
	struct vm_disks_list l;
	struct images im;
	char buf[256];

	(void)state;
	kernel_lab(&l);
	images_build(&im, &l, &(struct be_vol_list){0});
	/* Reverting to s1 writes /i/lab1, below s2's overlay: s2 reads it. */
	assert_int_equal(images_users(&im, "/i/lab1", "lab1", "vda", NULL, 0, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "lab1's snapshot 's2'");
	/* Discarding the overlay (s2 goes with it) and writing /i/lab1: s1
	 * lives inside it and survives a write there. */
	assert_int_equal(images_users(&im, "/i/lab1", "lab1", "vda", going1, 1, buf, sizeof(buf)), 0);
	/* Resetting to golden: both snapshots go; lab2 still reads golden. */
	assert_int_equal(images_users(&im, "/i/golden", "lab1", "vda", going2, 2, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "lab2 (disk vda)");
	images_free(&im);
	vm_disks_list_clear(&l);
}

/* A file shared through an external snapshot: frozen there, it must not be
 * written even by its own VM. */
static void an_external_snapshot_freezes_its_file(void **state)
{
	const char *solo[] = {"/i/solo-ovl", "/i/solo"};
	struct vm_disks_list l = {0};
	struct images im;
	char buf[256];

	(void)state;
	disk(&l, "solo", "vda", solo, 2);
	snap(&l, "solo", "frozen", "vda", "/i/solo", true);
	images_build(&im, &l, &(struct be_vol_list){0});
	assert_int_equal(images_users(&im, "/i/solo", "solo", "vda", NULL, 0, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "solo's snapshot 'frozen'");
	images_free(&im);
	vm_disks_list_clear(&l);
}

/* Invariant 3: volumes nothing uses are grouped; one that an image is
 * built on, or that a snapshot lives in, is not unused. */
static void unused_volumes_are_grouped(void **state)
{
	struct be_volume v[] = {
		{"/i/golden", "images", "/i/base.raw", 1, 1},
		{"/i/stale-ovl", "images", "/i/old", 1, 3LL << 20}, /* left by a revert */
		{"/i/old", "images", NULL, 1, 1},                  /* built on by stale-ovl */
		{"/i/snapfile", "images", "/i/golden", 1, 1},      /* s3 lives in it */
		{"/i/lost.qcow2", "images", NULL, 1, 5LL << 20},
	};
	struct be_vol_list vols = {v, 5};
	struct vm_disks_list l;
	struct images im;
	size_t i, group = TREE_NONE, unused = 0;

	(void)state;
	kernel_lab(&l);
	snap(&l, "lab2", "s3", "vda", "/i/snapfile", false);
	images_build(&im, &l, &vols);
	assert_int_equal(im.unused, 2);
	for (i = 0; i < im.n; i++)
		if (im.nodes[i].kind == IMG_UNUSED)
			group = i;
	assert_int_not_equal(group, TREE_NONE);
	for (i = 0; i < im.n; i++) {
		if (im.tree[i].parent != group)
			continue;
		unused++;
		assert_true(!strcmp(im.nodes[i].path, "/i/stale-ovl") || !strcmp(im.nodes[i].path, "/i/lost.qcow2"));
	}
	assert_int_equal(unused, 2);
	/* The group comes last, after every used image. */
	assert_int_equal(im.layout.rows[im.layout.n - 3].node, group);
	/* s3's file hangs below golden through its volume's backing file. */
	assert_int_equal(im.tree[images_find(&im, "/i/snapfile")].parent, images_find(&im, "/i/golden"));
	images_free(&im);
	vm_disks_list_clear(&l);
}

/* An ISO in a VM's CD-ROM is in use, though no chain shows it. */
static void a_cdrom_image_is_not_unused(void **state)
{
	struct be_volume v[] = {{"/i/drivers.iso", "images", NULL, 1, 1}};
	struct be_vol_list vols = {v, 1};
	struct vm_disks_list l;
	struct images im;
	struct be_disk *m;
	char buf[128];

	(void)state;
	kernel_lab(&l);
	l.v[1].disks.d = xrealloc(l.v[1].disks.d, (l.v[1].disks.n + 1) * sizeof(*m));
	m = &l.v[1].disks.d[l.v[1].disks.n++];
	memset(m, 0, sizeof(*m));
	m->target = xstrdup("sda");
	m->device = BE_DEV_CDROM;
	m->readonly = true;
	m->end = BE_END_COMPLETE;
	xml_disk_push(m, "/i/drivers.iso", NULL);
	images_build(&im, &l, &vols);
	assert_int_equal(im.unused, 0);
	assert_int_equal(images_users(&im, "/i/drivers.iso", "lab1", "vda", NULL, 0, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "lab2 (disk sda)");
	images_free(&im);
	vm_disks_list_clear(&l);
}

static void no_disks_no_images(void **state)
{
	struct vm_disks_list l = {0};
	struct images im;

	(void)state;
	l.v = xcalloc(1, sizeof(*l.v));
	l.v[0].vm = xstrdup("diskless");
	l.n = 1;
	images_build(&im, &l, &(struct be_vol_list){0});
	assert_int_equal(im.layout.n, 0);
	assert_int_equal(im.shared, 0);
	images_free(&im);
	vm_disks_list_clear(&l);
}

static void layers_say_their_sizes_or_that_they_are_unknown(void **state)
{
	struct be_layer known = {.path = "/i/top.qcow2", .format = "qcow2", .capacity = 10LL << 30, .allocation = 1536LL << 20, .in_pool = true};
	struct be_layer lost = {.path = "/elsewhere/base", .format = "", .capacity = -1, .allocation = -1};
	struct be_layer gone = {.path = "/i/base.qcow2", .format = "qcow2", .capacity = -1, .allocation = -1, .missing = true};
	char buf[256];

	(void)state;
	assert_string_equal(layer_label(&known, buf, sizeof(buf)),
			    "/i/top.qcow2 (qcow2, 10.0 GiB virtual, 1.5 GiB used)");
	assert_string_equal(layer_label(&lost, buf, sizeof(buf)),
			    "/elsewhere/base (format unknown, in no storage pool: sizes unknown)");
	assert_string_equal(layer_label(&gone, buf, sizeof(buf)), "/i/base.qcow2 (qcow2, missing)");
}

/* Each kind of layer says what it is; a volume names its pool. */
static void layers_say_what_they_are(void **state)
{
	struct be_layer blk = {.path = "/dev/loop3", .format = "raw", .capacity = 64LL << 20,
			       .allocation = 64LL << 20, .in_pool = true, .type = BE_SRC_BLOCK};
	struct be_layer vol = {.path = "/pd/v.qcow2", .format = "qcow2", .capacity = -1, .allocation = -1,
			       .type = BE_SRC_VOLUME, .pool = "pd", .volume = "v.qcow2", .pool_type = "dir",
			       .volume_file = true};
	struct be_layer lost = {.path = "np/x", .format = "", .capacity = -1, .allocation = -1, .type = BE_SRC_VOLUME,
				.pool = "np", .volume = "x"};
	struct be_layer net = {.path = "rbd:p/i@m1", .format = "raw", .capacity = -1, .allocation = -1,
			       .type = BE_SRC_NETWORK};
	char buf[256];

	(void)state;
	assert_string_equal(layer_label(&blk, buf, sizeof(buf)),
			    "/dev/loop3 (raw, block device, 64.0 MiB virtual, 64.0 MiB used)");
	assert_string_equal(layer_label(&vol, buf, sizeof(buf)),
			    "/pd/v.qcow2 (qcow2, volume v.qcow2 of dir pool pd, in no storage pool: sizes unknown)");
	assert_string_equal(layer_label(&lost, buf, sizeof(buf)),
			    "np/x (format unknown, volume x of pool np, which libvirt cannot find)");
	assert_string_equal(layer_label(&net, buf, sizeof(buf)), "rbd:p/i@m1 (raw, network disk)");
}

/* The note under a chain's last layer says how the chain ends. */
static void chain_ends_are_noted(void **state)
{
	struct be_layer l[3] = {{.path = "/i/a", .format = "qcow2", .capacity = -1, .allocation = -1},
				{.path = "/i/b", .format = "qcow2", .capacity = -1, .allocation = -1},
				{.path = "/i/c", .format = "qcow2", .capacity = -1, .allocation = -1, .missing = true}};
	struct be_disk d = {.target = "vda", .layers = l, .nlayers = 3, .end = BE_END_COMPLETE};
	char buf[128];

	(void)state;
	assert_null(layer_end_note(&d, buf, sizeof(buf)));
	d.end = BE_END_UNKNOWN;
	assert_string_equal(layer_end_note(&d, buf, sizeof(buf)), LAYER_UNKNOWN_BELOW);
	d.end = BE_END_MISSING;
	assert_string_equal(layer_end_note(&d, buf, sizeof(buf)),
			    "(missing: no such file in its pool)");
	d.end = BE_END_LOOP;
	assert_string_equal(layer_end_note(&d, buf, sizeof(buf)), "(a loop: backed by the active layer)");
	d.loop_to = 1;
	assert_string_equal(layer_end_note(&d, buf, sizeof(buf)), "(a loop: backed by the layer above)");
	d.layers = (struct be_layer[4]){l[0], l[1], l[2], l[2]};
	d.nlayers = 4;
	assert_string_equal(layer_end_note(&d, buf, sizeof(buf)),
			    "(a loop: backed by the layer 2 up)");
	d.layers = l;
	d.nlayers = 3;
	d.end = BE_END_CUT;
	assert_string_equal(layer_end_note(&d, buf, sizeof(buf)),
			    "(cut off at 3 layers: libvirt's limit)");
}

/* A chain that names its files again (a loop that reached the model
 * unguarded) hangs each file once, below no file that hangs below it. */
static void a_looped_chain_builds_no_parent_loop(void **state)
{
	const char *loop[] = {"/i/top", "/i/a", "/i/b", "/i/a", "/i/b"};
	const char *other[] = {"/i/other", "/i/a"};
	struct vm_disks_list l = {0};
	struct images im;
	size_t i, a, b;

	(void)state;
	disk(&l, "alpha", "vda", loop, 5);
	disk(&l, "beta", "vda", other, 2);
	images_build(&im, &l, &(struct be_vol_list){0});
	a = images_find(&im, "/i/a");
	b = images_find(&im, "/i/b");
	assert_int_not_equal(a, TREE_NONE);
	assert_int_not_equal(b, TREE_NONE);
	assert_false(im.tree[a].parent == b && im.tree[b].parent == a);
	for (i = 0; i < im.n; i++) { /* every way up ends at a root */
		size_t up = i, steps = 0;

		while (up != TREE_NONE && steps++ <= im.n)
			up = im.tree[up].parent;
		assert_true(up == TREE_NONE);
	}
	/* Each node is drawn once: 4 files and 2 disks. */
	assert_int_equal(im.layout.n, 6);
	images_free(&im);
	vm_disks_list_clear(&l);
}

int test_images_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shared_base_gathers_its_users),
		cmocka_unit_test(clones_show_under_their_base),
		cmocka_unit_test(users_but_the_disk_acted_on),
		cmocka_unit_test(no_disks_no_images),
		cmocka_unit_test(a_golden_image_is_read_by_the_other_vm),
		cmocka_unit_test(snapshots_read_the_files_below_theirs),
		cmocka_unit_test(an_external_snapshot_freezes_its_file),
		cmocka_unit_test(unused_volumes_are_grouped),
		cmocka_unit_test(a_cdrom_image_is_not_unused),
		cmocka_unit_test(layers_say_their_sizes_or_that_they_are_unknown),
		cmocka_unit_test(layers_say_what_they_are),
		cmocka_unit_test(chain_ends_are_noted),
		cmocka_unit_test(a_looped_chain_builds_no_parent_loop),
	};

	return cmocka_run_group_tests_name("images", tests, NULL, NULL);
}
