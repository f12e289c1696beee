/* Who reads an image, against libvirt's test driver: a file written here
 * holds a pool where one image is read only by another image built on it,
 * one only by a snapshot, one only by a VM's CD-ROM, and one by nothing.
 * The backend's last check before deleting must see each reader. */
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
#include "tests/driver/driver.h"

int readers_tests(void);

static const char fixture_xml[] =
	"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	"<pool type='dir'><name>rd</name><uuid>fc000000-0000-4000-8000-0000000000f0</uuid>\n"
	"<target><path>/rd</path></target>\n"
	"%s</pool>\n"
	"<domain type='test'><name>lab</name><uuid>fc000000-0000-4000-8000-000000000001</uuid>\n"
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"
	"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
	"<source file='/rd/lab.qcow2'/><backingStore/><target dev='vda' bus='virtio'/></disk>\n"
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>\n"
	"<source file='/rd/tools.iso'/><target dev='sda' bus='sata'/><readonly/></disk></devices>\n"
	"<test:runstate>5</test:runstate>\n"
	"<test:domainsnapshot><name>old</name><state>shutoff</state><creationTime>5</creationTime>\n"
	"<memory snapshot='no'/><disks><disk name='vda' snapshot='internal'/></disks><active>0</active>\n"
	"<domain type='test'><name>lab</name><uuid>fc000000-0000-4000-8000-000000000001</uuid>\n"
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"
	"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
	"<source file='/rd/before.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>\n"
	"</test:domainsnapshot></domain></node>\n";

static const char vol_xml[] =
	"<volume type='file'><name>%s</name><key>/rd/%s</key><capacity unit='bytes'>1048576</capacity>\n"
	"<allocation unit='bytes'>4096</allocation><target><path>/rd/%s</path><format type='%s'/></target>%s\n"
	"</volume>\n";

static char fixture[512];

static int write_fixture(void **state)
{
	static const struct {
		const char *name, *format, *backing;
	} vols[] = {
		{"lab.qcow2", "qcow2", NULL},      {"tools.iso", "raw", NULL}, /* read by lab */
		{"before.qcow2", "qcow2", NULL},                               /* snapshot 'old' lives in it */
		{"base.qcow2", "qcow2", NULL},     {"left.qcow2", "qcow2", "/rd/base.qcow2"}, /* left: unused */
	};
	char all[4096], backing[200];
	size_t i, n = 0;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(vols) / sizeof(vols[0]); i++) {
		backing[0] = '\0';
		if (vols[i].backing)
			snprintf(backing, sizeof(backing), "<backingStore><path>%s</path><format type='qcow2'/></backingStore>",
				 vols[i].backing);
		n += (size_t)snprintf(all + n, sizeof(all) - n, vol_xml, vols[i].name, vols[i].name, vols[i].name,
				      vols[i].format, backing);
	}
	if (!(f = driver_fixture_open(fixture, sizeof(fixture), "readers")))
		return -1;
	fprintf(f, fixture_xml, all);
	fclose(f);
	return 0;
}

static int remove_fixture(void **state)
{
	(void)state;
	unlink(fixture);
	return 0;
}

static struct be_conn *open_it(void)
{
	char uri[600];
	struct be_error e = {0};
	struct be_conn *c;

	snprintf(uri, sizeof(uri), "test://%s", fixture);
	c = be_open(uri, false, &e);
	if (!c)
		fail_msg("cannot open %s: %s", uri, e.msg);
	return c;
}

/* Deleting path is refused, naming who; the volume stays. */
static void assert_kept(struct be_conn *c, const char *path, const char *who)
{
	const char *paths[] = {path};
	struct be_vol_list vols;
	struct be_error err = {0};
	size_t i, found = 0;

	assert_int_equal(be_volumes_delete(c, paths, 1, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	if (!strstr(err.msg, who))
		fail_msg("the refusal '%s' does not name '%s'", err.msg, who);
	assert_int_equal(be_volumes(c, &vols, &err), 0);
	for (i = 0; i < vols.n; i++)
		found += !strcmp(vols.v[i].path, path);
	be_vol_list_clear(&vols);
	assert_int_equal(found, 1);
}

static void every_reader_keeps_its_image(void **state)
{
	struct be_conn *c = open_it();
	const char *left[] = {"/rd/left.qcow2"};
	struct be_error err = {0};

	(void)state;
	assert_kept(c, "/rd/base.qcow2", "the image /rd/left.qcow2 (built on it)");
	assert_kept(c, "/rd/before.qcow2", "lab's snapshot 'old'");
	assert_kept(c, "/rd/tools.iso", "lab (disk sda)");
	assert_kept(c, "/rd/lab.qcow2", "lab (disk vda)");
	/* What nothing reads goes, and then its base is free too. */
	assert_int_equal(be_volumes_delete(c, left, 1, &err), 0);
	left[0] = "/rd/base.qcow2";
	assert_int_equal(be_volumes_delete(c, left, 1, &err), 0);
	be_close(c);
}

/* The volumes with their backing files, as the images screen reads them. */
static void volumes_are_listed_with_their_backing_files(void **state)
{
	struct be_conn *c = open_it();
	struct be_vol_list vols;
	struct be_error err = {0};
	size_t i, seen = 0;

	(void)state;
	assert_int_equal(be_volumes(c, &vols, &err), 0);
	assert_int_equal(vols.n, 5);
	for (i = 0; i < vols.n; i++) {
		assert_string_equal(vols.v[i].pool, "rd");
		if (!strcmp(vols.v[i].path, "/rd/left.qcow2")) {
			assert_non_null(vols.v[i].backing);
			assert_string_equal(vols.v[i].backing, "/rd/base.qcow2");
			assert_int_equal(vols.v[i].allocation, 4096);
			seen++;
		} else {
			assert_null(vols.v[i].backing);
		}
	}
	assert_int_equal(seen, 1);
	be_vol_list_clear(&vols);
	be_close(c);
}

int readers_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reader_keeps_its_image),
		cmocka_unit_test(volumes_are_listed_with_their_backing_files),
	};

	return cmocka_run_group_tests_name("readers", tests, write_fixture, remove_fixture);
}
