/* Who reads an image, end to end: the backend's last check before it
 * writes counts a VM whose chain it cannot follow as a possible reader,
 * says why, and refreshes a stale pool before it says so. Outcomes are
 * checked with qemu-img and sha256sum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/chain/e2e_chain.h"

static char outer[PATH_LEN]; /* the folder above $E2E_IMG: in no pool */

static char *sha256(const char *path)
{
	return must("sha256sum '%s' | cut -d' ' -f1", path);
}

/* A folder beside the pool's, in no pool, that the daemon's QEMU reads. */
static void nopool(char out[PATH_LEN], const char *name)
{
	if (snprintf(out, PATH_LEN, "%s/%s", outer, name) >= PATH_LEN)
		fail_msg("%s/%s: path too long", outer, name);
	must_quiet("mkdir -p '%s'", out);
	own(out);
}

static int clean(void **state)
{
	int st;

	free(shell(&st, "rm -rf -- '%s'/rd-*-nopool", outer));
	return drop_prefix(state);
}

static void assert_refused_naming(int rc, const struct be_error *err, const char *a, const char *b)
{
	assert_int_equal(rc, -1);
	if (err->kind != BE_ERR_REFUSED)
		fail_msg("expected a refusal, got kind %d: %s", err->kind, err->msg);
	if (!strstr(err->msg, a) || (b && !strstr(err->msg, b)))
		fail_msg("the refusal '%s' does not name '%s'%s%s", err->msg, a, b ? " and " : "", b ? b : "");
	print_message("refused: %s\n", err->msg);
}

/* rd-a-x sits on a top layer in no pool, over the golden image: libvirt
 * cannot tell what it is backed by, so committing rd-a-y into golden is
 * refused, naming rd-a-x and the folder to make a pool of. */
static void a_chain_not_fully_known_may_read_the_base(void **state)
{
	char golden[PATH_LEN], y[PATH_LEN], x[PATH_LEN], dir[PATH_LEN];
	struct be_error err = {0};
	char *before, *after, *chain;

	(void)state;
	qcow2(img(golden, "rd-a-golden"), "16M", NULL);
	qcow2(img(y, "rd-a-y"), NULL, golden);
	nopool(dir, "rd-a-nopool");
	if (snprintf(x, sizeof(x), "%s/rd-a-x.qcow2", dir) >= (int)sizeof(x))
		fail_msg("%s: path too long", dir);
	qcow2(x, NULL, golden);
	define_vm("rd-a-y", y);
	define_vm("rd-a-x", x);
	pool_refresh();
	before = sha256(golden);

	assert_refused_naming(be_block_commit(conn, "rd-a-y", "vda", golden, true, 0, &err), &err, "rd-a-x",
			      dir);

	after = sha256(golden);
	assert_string_equal(before, after);
	chain = must("qemu-img info -U --backing-chain '%s' | grep -c '^image:'", y);
	assert_string_equal(chain, "2\n"); /* y, golden: nothing merged */
	free(before);
	free(after);
	free(chain);
}

/* rd-b-x's top was made in the pool's folder behind the pool's back: the
 * check refreshes the pool and then knows rd-b-x reads golden for sure,
 * instead of blaming a missing pool. */
static void a_stale_pool_is_refreshed_not_blamed(void **state)
{
	char golden[PATH_LEN], y[PATH_LEN], x[PATH_LEN];
	struct be_error err = {0};
	int rc;

	(void)state;
	qcow2(img(golden, "rd-b-golden"), "16M", NULL);
	qcow2(img(y, "rd-b-y"), NULL, golden);
	define_vm("rd-b-y", y);
	pool_refresh();
	qcow2(img(x, "rd-b-x"), NULL, golden); /* the pool does not know it yet */
	define_vm("rd-b-x", x);
	assert_false(in_pool(x));

	rc = be_block_commit(conn, "rd-b-y", "vda", golden, true, 0, &err);

	assert_refused_naming(rc, &err, "rd-b-x (disk vda)", NULL);
	if (strstr(err.msg, "rd-b-x (disk vda) may"))
		fail_msg("the refusal is unsure of rd-b-x, blaming a pool: %s", err.msg);
	assert_true(in_pool(x));
}

static int group_setup(void **state)
{
	const char *slash = strrchr(img_dir, '/');

	snprintf(outer, sizeof(outer), "%.*s", slash && slash != img_dir ? (int)(slash - img_dir) : 1, img_dir);
	return group_open(state);
}

int test_readers_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(a_chain_not_fully_known_may_read_the_base, NULL, clean, "rd-a"),
		cmocka_unit_test_prestate_setup_teardown(a_stale_pool_is_refreshed_not_blamed, NULL, clean, "rd-b"),
	};

	return cmocka_run_group_tests_name("e2e-readers", tests, group_setup, group_close);
}
