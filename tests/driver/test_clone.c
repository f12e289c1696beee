/* Deleting a VM with its own images, against libvirt's test driver: a
 * file written here holds a pool with a golden image that two VMs build
 * on, a CD-ROM image, and the two VMs (lab shut off, other running). */
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

int clone_tests(void);

#define DOM(name, uuid, disk, state)                                                                            \
	"<domain type='test'><name>" name "</name><uuid>fc000000-0000-4000-8000-00000000000" uuid "</uuid>\n"    \
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"              \
	"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"                         \
	"<source file='/cl/" disk "'/><target dev='vda' bus='virtio'/></disk>\n"                                 \
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>\n"                                    \
	"<source file='/cl/tools.iso'/><target dev='sda' bus='sata'/><readonly/></disk>\n"                       \
	"<interface type='network'><mac address='52:54:00:aa:bb:0" uuid "'/><source network='default'/></interface>\n" \
	"</devices><test:runstate>" state "</test:runstate></domain>\n"

#define VOL(name, fmt, backing)                                                                                 \
	"<volume type='file'><name>" name "</name><key>/cl/" name "</key><capacity unit='bytes'>1048576</capacity>\n" \
	"<allocation unit='bytes'>4096</allocation><target><path>/cl/" name "</path><format type='" fmt "'/></target>" \
	backing "</volume>\n"
#define ON_GOLD "<backingStore><path>/cl/gold.qcow2</path><format type='qcow2'/></backingStore>"

static const char fixture_xml[] =
	"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	"<pool type='dir'><name>cl</name><uuid>fc000000-0000-4000-8000-0000000000c0</uuid>\n"
	"<target><path>/cl</path></target>\n" VOL("gold.qcow2", "qcow2", "") VOL("lab.qcow2", "qcow2", ON_GOLD)
		VOL("other.qcow2", "qcow2", ON_GOLD) VOL("tools.iso", "raw", "") "</pool>\n" DOM("lab", "1", "lab.qcow2", "5")
			DOM("other", "2", "other.qcow2", "1") "</node>\n";

static char fixture[512];

static int write_fixture(void **state)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	int fd;

	(void)state;
	snprintf(fixture, sizeof(fixture), "%s/vmm-clone-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(fixture)) < 0 || !(f = fdopen(fd, "w")))
		return -1;
	fputs(fixture_xml, f);
	fclose(f);
	return 0;
}

static int remove_fixture(void **state)
{
	(void)state;
	unlink(fixture);
	return 0;
}

static int open_it(void **state)
{
	char uri[600];
	struct be_error e = {0};

	snprintf(uri, sizeof(uri), "test://%s", fixture);
	*state = be_open(uri, false, &e);
	if (!*state)
		fail_msg("cannot open %s: %s", uri, e.msg);
	return 0;
}

static int close_it(void **state)
{
	be_close(*state);
	return 0;
}

static bool has_volume(struct be_conn *c, const char *path)
{
	struct be_vol_list vols;
	struct be_error err = {0};
	size_t i;
	bool found = false;

	assert_int_equal(be_volumes(c, &vols, &err), 0);
	for (i = 0; i < vols.n; i++)
		found |= !strcmp(vols.v[i].path, path);
	be_vol_list_clear(&vols);
	return found;
}

static bool has_vm(struct be_conn *c, const char *name)
{
	struct be_vm_list l;
	struct be_error err = {0};
	size_t i;
	bool found = false;

	assert_int_equal(be_list_vms(c, &l, &err), 0);
	for (i = 0; i < l.n; i++)
		found |= !strcmp(l.vms[i].name, name);
	be_vm_list_clear(&l);
	return found;
}

static void a_running_vm_is_not_deleted(void **state)
{
	struct be_conn *c = *state;
	const char *paths[] = {"/cl/other.qcow2"};
	struct be_error err = {0};

	assert_int_equal(be_vm_delete(c, "other", paths, 1, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_string_equal(err.msg, "other is not shut off: force it off first");
	assert_true(has_vm(c, "other"));
	assert_true(has_volume(c, "/cl/other.qcow2"));
}

/* A command naming a file that is none of the VM's own (a CD-ROM's
 * medium is referenced, never its own) changes nothing. */
static void only_its_own_images_are_deleted(void **state)
{
	struct be_conn *c = *state;
	const char *paths[] = {"/cl/lab.qcow2", "/cl/tools.iso"};
	struct be_error err = {0};

	assert_int_equal(be_vm_delete(c, "lab", paths, 2, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "/cl/tools.iso is not a disk image of lab"));
	assert_true(has_vm(c, "lab"));
	assert_true(has_volume(c, "/cl/lab.qcow2"));
	assert_true(has_volume(c, "/cl/tools.iso"));
}

/* The definition goes first; then each image is checked again: lab's
 * overlay goes, the golden image other builds on stays, named. */
static void the_definition_goes_then_unused_images(void **state)
{
	struct be_conn *c = *state;
	const char *paths[] = {"/cl/lab.qcow2", "/cl/gold.qcow2"};
	struct be_error err = {0};

	assert_int_equal(be_vm_delete(c, "lab", paths, 2, &err), -1);
	if (has_vm(c, "lab"))
		fail_msg("lab is still defined: %s", err.msg);
	assert_false(has_volume(c, "/cl/lab.qcow2"));
	assert_true(has_volume(c, "/cl/gold.qcow2"));
	assert_non_null(strstr(err.msg, "lab is deleted, but not all of its images: Kept /cl/gold.qcow2: read by other (disk vda)"));
	assert_true(has_vm(c, "other"));
	assert_true(has_volume(c, "/cl/tools.iso"));
}

int clone_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_running_vm_is_not_deleted, open_it, close_it),
		cmocka_unit_test_setup_teardown(only_its_own_images_are_deleted, open_it, close_it),
		cmocka_unit_test_setup_teardown(the_definition_goes_then_unused_images, open_it, close_it),
	};

	return cmocka_run_group_tests_name("clone", tests, write_fixture, remove_fixture);
}
