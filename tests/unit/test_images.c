/* The images screen's model: chains turned upside down. */
#include <stdlib.h>
#include <string.h>

#include "core/images.h"
#include "core/layer.h"
#include "core/util.h"
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
	struct be_layer known = {"/i/top.qcow2", "qcow2", 10LL << 30, 1536LL << 20, true};
	struct be_layer lost = {"/elsewhere/base", "", -1, -1, false};
	char buf[256];

	(void)state;
	assert_string_equal(layer_label(&known, buf, sizeof(buf)),
			    "/i/top.qcow2 (qcow2, 10.0 GiB virtual, 1.5 GiB used)");
	assert_string_equal(layer_label(&lost, buf, sizeof(buf)),
			    "/elsewhere/base (format unknown, in no storage pool: sizes unknown)");
}

int test_images_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shared_base_gathers_its_users),
		cmocka_unit_test(users_but_the_disk_acted_on),
		cmocka_unit_test(no_disks_no_images),
		cmocka_unit_test(layers_say_their_sizes_or_that_they_are_unknown),
	};

	return cmocka_run_group_tests_name("images", tests, NULL, NULL);
}
