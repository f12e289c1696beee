/* Cloning and deleting VMs against libvirt's test driver: a file written
 * here holds a pool with a golden image that two VMs build on, a CD-ROM
 * image, an NVRAM file, and the two VMs (lab shut off with a network
 * interface, a CD-ROM and UEFI variables; other running). The clone's and
 * the source's definitions are read back from libvirt. */
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
#include "backend/internal.h"
#include "tests/driver/driver.h"

int clone_tests(void);

#define DOM(name, uuid, disk, state)                                                                            \
	"<domain type='test'><name>" name "</name><uuid>fc000000-0000-4000-8000-00000000000" uuid "</uuid>\n"    \
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type>"                     \
	"<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"                             \
	"<nvram>/cl/" name "_VARS.fd</nvram></os>\n"                                                             \
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

/* In parts: C99 compilers need only take strings of 4095 bytes. */
static const char *const fixture_xml[] = {
	"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	"<pool type='dir'><name>cl</name><uuid>fc000000-0000-4000-8000-0000000000c0</uuid>\n"
	"<target><path>/cl</path></target>\n",
	VOL("gold.qcow2", "qcow2", "") VOL("lab.qcow2", "qcow2", ON_GOLD) VOL("other.qcow2", "qcow2", ON_GOLD),
	VOL("tools.iso", "raw", "") VOL("lab_VARS.fd", "raw", "") VOL("other_VARS.fd", "raw", ""),
	VOL("writer_VARS.fd", "raw", "") VOL("reader_VARS.fd", "raw", "") VOL("base2.qcow2", "qcow2", ""),
	VOL("r.qcow2", "qcow2", "<backingStore><path>/cl/base2.qcow2</path><format type='qcow2'/></backingStore>")
	"</pool>\n",
	DOM("lab", "1", "lab.qcow2", "5"),
	DOM("other", "2", "other.qcow2", "1"),
	DOM("writer", "3", "base2.qcow2", "5"),
	DOM("reader", "4", "r.qcow2", "5") "</node>\n",
};

static char fixture[512];

static int write_fixture(void **state)
{
	FILE *f = driver_fixture_open(fixture, sizeof(fixture), "clone");

	(void)state;
	if (!f)
		return -1;
	for (size_t i = 0; i < sizeof(fixture_xml) / sizeof(fixture_xml[0]); i++)
		fputs(fixture_xml[i], f);
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

/* The inactive XML of vm (caller frees), read through the backend's own
 * connection: the test driver's connections share nothing. */
static char *xml_of(struct be_conn *c, const char *vm)
{
	virDomainPtr dom = virDomainLookupByName(c->conn, vm);
	char *xml = dom ? virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE) : NULL;

	if (dom)
		virDomainFree(dom);
	if (!xml)
		fail_msg("no definition of %s", vm);
	return xml;
}

static void assert_has(const char *xml, const char *what, bool want)
{
	if (!!strstr(xml, what) != want)
		fail_msg("the definition %s '%s':\n%s", want ? "lacks" : "has", what, xml);
}

/* A linked clone: its own name, UUID, MAC and NVRAM copy; its disk a new
 * overlay named after it on the source's old top; the CD-ROM referenced;
 * the source on a fresh overlay, its MAC and NVRAM its own still. */
static void a_linked_clone_gets_a_definition_of_its_own(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_disk_list dl;
	char *src, *cl;

	if (be_vm_clone(c, "lab", "lab-clone", false, NULL, NULL, &err) < 0)
		fail_msg("clone: %s", err.msg);
	cl = xml_of(c, "lab-clone");
	src = xml_of(c, "lab");
	assert_has(cl, "<name>lab-clone</name>", true);
	assert_has(cl, "fc000000-0000-4000-8000-000000000001", false);
	assert_has(cl, "<uuid>", true);
	assert_has(cl, "52:54:00:aa:bb:01", false);
	assert_has(cl, "<mac address=", true);
	assert_has(cl, "<source network='default'/>", true);
	assert_has(cl, "<nvram>/cl/lab-clone_VARS.fd</nvram>", true);
	assert_has(cl, "<source file='/cl/lab-clone-vda.qcow2'/>", true);
	assert_has(cl, "<source file='/cl/tools.iso'/>", true);
	assert_has(src, "52:54:00:aa:bb:01", true);
	assert_has(src, "<nvram>/cl/lab_VARS.fd</nvram>", true);
	assert_has(src, "<source file='/cl/lab-vda-", true);
	assert_has(src, "<source file='/cl/lab.qcow2'/>", false);
	assert_true(has_volume(c, "/cl/lab-clone_VARS.fd"));
	assert_true(has_volume(c, "/cl/lab-clone-vda.qcow2"));
	/* Both build on the old top, which neither writes. */
	assert_int_equal(be_vm_disks(c, "lab-clone", &dl, &err), 0);
	assert_int_equal(dl.d[0].nlayers, 3);
	assert_string_equal(dl.d[0].layers[1].path, "/cl/lab.qcow2");
	be_disk_list_clear(&dl);
	assert_int_equal(be_vm_disks(c, "lab", &dl, &err), 0);
	assert_int_equal(dl.d[0].nlayers, 3);
	assert_string_equal(dl.d[0].layers[1].path, "/cl/lab.qcow2");
	be_disk_list_clear(&dl);
	free(cl);
	free(src);
}

/* Refusals change nothing: a running VM, a name taken, a layer that
 * another VM writes into. */
static void clones_refused_change_nothing(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	char *before = xml_of(c, "lab"), *after;

	assert_int_equal(be_vm_clone(c, "other", "x", false, NULL, NULL, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_int_equal(be_vm_clone(c, "lab", "other", false, NULL, NULL, &err), -1);
	assert_string_equal(err.msg, "a VM named other exists already");
	assert_int_equal(be_vm_clone(c, "lab", "y", true, "vda", "/cl/gold.qcow2", &err), -1);
	assert_int_equal(be_vm_clone(c, "lab", "y", false, "vda", "/cl/nowhere.qcow2", &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	/* writer's active layer is base2, which reader builds on: a new VM
	 * there would read a file that is written. */
	assert_int_equal(be_vm_clone(c, "reader", "z", false, "vda", "/cl/base2.qcow2", &err), -1);
	assert_string_equal(err.msg, "Not cloning on /cl/base2.qcow2: writer (disk vda) writes into it");
	assert_false(has_vm(c, "z"));
	assert_false(has_volume(c, "/cl/z-vda.qcow2"));
	assert_false(has_vm(c, "x"));
	assert_false(has_vm(c, "y"));
	assert_false(has_volume(c, "/cl/y-vda.qcow2"));
	after = xml_of(c, "lab");
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* A new VM on the golden image, from the chain pane: its disk an overlay
 * on gold; lab keeps its own top (it does not write gold). */
static void a_new_vm_on_a_layer(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_disk_list dl;
	char *src = xml_of(c, "lab"), *after;

	if (be_vm_clone(c, "lab", "student1", false, "vda", "/cl/gold.qcow2", &err) < 0)
		fail_msg("clone on a layer: %s", err.msg);
	assert_int_equal(be_vm_disks(c, "student1", &dl, &err), 0);
	assert_string_equal(dl.d[0].layers[0].path, "/cl/student1-vda.qcow2");
	assert_int_equal(dl.d[0].nlayers, 2);
	assert_string_equal(dl.d[0].layers[1].path, "/cl/gold.qcow2");
	be_disk_list_clear(&dl);
	after = xml_of(c, "lab");
	assert_string_equal(src, after);
	free(src);
	free(after);
}

int clone_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_linked_clone_gets_a_definition_of_its_own, open_it, close_it),
		cmocka_unit_test_setup_teardown(clones_refused_change_nothing, open_it, close_it),
		cmocka_unit_test_setup_teardown(a_new_vm_on_a_layer, open_it, close_it),
		cmocka_unit_test_setup_teardown(a_running_vm_is_not_deleted, open_it, close_it),
		cmocka_unit_test_setup_teardown(only_its_own_images_are_deleted, open_it, close_it),
		cmocka_unit_test_setup_teardown(the_definition_goes_then_unused_images, open_it, close_it),
	};

	return cmocka_run_group_tests_name("clone", tests, write_fixture, remove_fixture);
}
