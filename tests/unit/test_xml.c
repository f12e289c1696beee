/* Reading disks and backing chains from libvirt's XML. */
#include <stdlib.h>

#include "backend/xml.h"
#include "tests/unit/unit.h"

static const char running_dom[] =
	"<domain type='qemu'><name>a</name><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/img/top.qcow2'/>"
	"<backingStore type='file' index='2'><format type='qcow2'/><source file='/img/mid.qcow2'/>"
	"<backingStore type='file' index='3'><format type='raw'/><source file='/img/base.raw'/>"
	"<backingStore/></backingStore></backingStore>"
	"<target dev='vda' bus='virtio'/></disk>"
	"<disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='sda'/></disk>"
	"<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
	"<source dev='/dev/vg/data'/><target dev='vdb'/></disk>"
	"</devices></domain>";

static void live_chain_is_read_to_its_end(void **state)
{
	struct xml_disk *d;
	int n = xml_parse_disks(running_dom, &d);

	(void)state;
	assert_int_equal(n, 2); /* the cdrom is not a disk chain */
	assert_string_equal(d[0].target, "vda");
	assert_int_equal(d[0].nlayers, 3);
	assert_string_equal(d[0].layers[0], "/img/top.qcow2");
	assert_string_equal(d[0].layers[1], "/img/mid.qcow2");
	assert_string_equal(d[0].layers[2], "/img/base.raw");
	assert_string_equal(d[0].formats[0], "qcow2");
	assert_string_equal(d[0].formats[2], "raw");
	assert_true(d[0].complete);
	assert_string_equal(d[1].target, "vdb");
	assert_string_equal(d[1].layers[0], "/dev/vg/data");
	assert_true(d[1].complete); /* raw cannot have a backing file */
	xml_disks_free(d, n);
}

static void shut_off_chain_is_partial(void **state)
{
	static const char xml[] =
		"<domain><devices><disk type='file' device='disk'><driver type='qcow2'/>"
		"<source file='/img/o&amp;verlay &lt;1&gt;.qcow2'/><target dev='vda'/></disk>"
		"<disk type='network' device='disk'><driver type='raw'/>"
		"<source protocol='rbd' name='pool/img'/><target dev='vdc'/></disk>"
		"</devices></domain>";
	struct xml_disk *d;
	int n = xml_parse_disks(xml, &d);

	(void)state;
	assert_int_equal(n, 2);
	assert_int_equal(d[0].nlayers, 1);
	assert_string_equal(d[0].layers[0], "/img/o&verlay <1>.qcow2");
	assert_false(d[0].complete); /* the storage API must say the rest */
	assert_string_equal(d[1].layers[0], "pool/img");
	xml_disks_free(d, n);
}

static void disk_without_source_has_no_layers(void **state)
{
	static const char xml[] = "<domain><devices><disk device='disk'><target dev='vda'/></disk></devices></domain>";
	struct xml_disk *d;
	int n = xml_parse_disks(xml, &d);

	(void)state;
	assert_int_equal(n, 1);
	assert_int_equal(d[0].nlayers, 0);
	xml_disks_free(d, n);
}

static void bad_xml_is_an_error(void **state)
{
	struct xml_disk *d;

	(void)state;
	assert_int_equal(xml_parse_disks("<domain><devices>", &d), -1);
	assert_null(d);
	assert_int_equal(xml_parse_disks(NULL, &d), -1);
	assert_int_equal(xml_parse_disks("<domain/>", &d), 0);
}

static void volume_backing_file(void **state)
{
	static const char with[] =
		"<volume type='file'><name>top.qcow2</name><target><path>/img/top.qcow2</path>"
		"<format type='qcow2'/></target><backingStore><path>/img/base.qcow2</path>"
		"<format type='qcow2'/></backingStore></volume>";
	static const char without[] =
		"<volume type='file'><name>b</name><target><path>/img/b</path><format type='raw'/></target></volume>";
	char *path, *fmt;

	(void)state;
	assert_int_equal(xml_vol_backing(with, &path, &fmt), 1);
	assert_string_equal(path, "/img/base.qcow2");
	assert_string_equal(fmt, "qcow2");
	free(path);
	free(fmt);
	assert_int_equal(xml_vol_backing(without, &path, &fmt), 0);
	assert_null(path);
	free(fmt);
	assert_int_equal(xml_vol_backing("<volume", &path, &fmt), -1);
}

int test_xml_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_chain_is_read_to_its_end),
		cmocka_unit_test(shut_off_chain_is_partial),
		cmocka_unit_test(disk_without_source_has_no_layers),
		cmocka_unit_test(bad_xml_is_an_error),
		cmocka_unit_test(volume_backing_file),
	};

	return cmocka_run_group_tests_name("xml", tests, NULL, NULL);
}
