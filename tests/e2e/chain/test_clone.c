/* Deleting a VM with the images only it uses, end to end on real QEMU:
 * two VMs on one golden image; deleting one removes its definition and its
 * own overlay, keeps the golden image the other reads (unchanged: its
 * checksum), and the other still starts. Checked with virsh, sha256sum and
 * the files themselves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/e2e/chain/e2e_chain.h"

static char *sha256(const char *path)
{
	return must("sha256sum '%s' | cut -d' ' -f1", path);
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
		cmocka_unit_test_prestate_setup_teardown(delete_keeps_what_the_other_vm_reads, NULL, drop_prefix, "cl-d"),
	};

	return cmocka_run_group_tests_name("e2e-clone", tests, group_open, group_close);
}
