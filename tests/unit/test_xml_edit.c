/* The XML that overlay work sends to libvirt, read back with the
 * program's own parsers: paths are user input and must arrive exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* A running VM's live XML: vda a chain of three, vdb a pool volume, a
 * cdrom, and things around them that must survive an edit. */
static const char dom_xml[] =
	"<domain type='qemu'><name>web</name><uuid>0b5a2c1e-7b1f-4c55-9f7e-2d1c3a4b5c6d</uuid>"
	"<memory unit='KiB'>65536</memory><devices>"
	"<emulator>/usr/bin/qemu-system-x86_64</emulator>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none' discard='unmap'/>"
	"<source file='/img/web-top.qcow2' index='3'/>"
	"<backingStore type='file' index='2'><format type='qcow2'/><source file='/img/web-mid.qcow2'/>"
	"<backingStore type='file' index='1'><format type='qcow2'/><source file='/golden/base.qcow2'/>"
	"<backingStore/></backingStore></backingStore>"
	"<target dev='vda' bus='virtio'/><boot order='1'/><alias name='virtio-disk0'/>"
	"<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/></disk>"
	"<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
	"<source pool='data' volume='web-data.img'/><target dev='vdb' bus='virtio'/>"
	"<serial>DATA-1</serial></disk>"
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
	"<source file='/iso/install.iso'/><target dev='sda' bus='sata'/><readonly/></disk>"
	"<interface type='network'><source network='default'/><model type='virtio'/></interface>"
	"</devices></domain>";

static const char *const hostile[] = {
	"/img/a&b.qcow2",
	"/img/<top>.qcow2",
	"/img/it's \"quoted\".qcow2",
	"/img/&amp; literally.qcow2",
	"/img/caf\xc3\xa9 \xe2\x9c\x93 ]]>.qcow2",
	"/img/--><!-- x -->.qcow2",
	"/img/a'b\"c<d>e&f;.qcow2",
};

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* s with every from replaced by to; caller frees. */
static char *replace(const char *s, const char *from, const char *to)
{
	size_t n = count(s, from), lf = strlen(from), lt = strlen(to);
	char *out = xmalloc(strlen(s) + n * lt + 1), *o = out;
	const char *p;

	while ((p = strstr(s, from))) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		memcpy(o, to, lt);
		o += lt;
		s = p + lf;
	}
	strcpy(o, s);
	return out;
}

static void repoint_drops_the_old_chain_and_keeps_the_rest(void **state)
{
	char *out = xml_repoint_disk(dom_xml, "vda", "/img/web-new.qcow2", "qcow2");
	struct be_disk_list l;

	(void)state;
	assert_non_null(out);
	assert_int_equal(xml_parse_disks(out, &l), 0);
	assert_int_equal(l.n, 3); /* vda, vdb, the CD-ROM sda */
	assert_string_equal(l.d[0].target, "vda");
	assert_int_equal(l.d[0].nlayers, 1); /* libvirt reads the new chain itself */
	assert_string_equal(l.d[0].layers[0].path, "/img/web-new.qcow2");
	assert_string_equal(l.d[0].layers[0].format, "qcow2");
	assert_int_equal(l.d[0].end, BE_END_UNKNOWN);
	/* The other disk is as it was. */
	assert_string_equal(l.d[1].target, "vdb");
	assert_int_equal(l.d[1].nlayers, 1);
	assert_string_equal(l.d[1].layers[0].path, "data/web-data.img"); /* until resolved */
	assert_int_equal(l.d[1].layers[0].type, BE_SRC_VOLUME);
	assert_string_equal(l.d[1].layers[0].pool, "data");
	assert_string_equal(l.d[1].layers[0].volume, "web-data.img");
	assert_string_equal(l.d[1].layers[0].format, "raw");
	be_disk_list_clear(&l);

	assert_null(strstr(out, "web-top.qcow2"));
	assert_null(strstr(out, "web-mid.qcow2"));
	assert_null(strstr(out, "base.qcow2"));
	assert_null(strstr(out, "backingStore"));
	assert_null(strstr(out, "index="));
	/* The rest of the disk and of the domain stays. */
	assert_non_null(strstr(out, "cache=\"none\""));
	assert_non_null(strstr(out, "discard=\"unmap\""));
	assert_non_null(strstr(out, "<boot order=\"1\"/>"));
	assert_non_null(strstr(out, "slot=\"0x00\""));
	assert_non_null(strstr(out, "pool=\"data\""));
	assert_non_null(strstr(out, "<serial>DATA-1</serial>"));
	assert_non_null(strstr(out, "file=\"/iso/install.iso\""));
	assert_non_null(strstr(out, "network=\"default\""));
	assert_non_null(strstr(out, "<uuid>0b5a2c1e-7b1f-4c55-9f7e-2d1c3a4b5c6d</uuid>"));
	assert_int_equal(count(out, "<disk "), 3);
	assert_int_equal(count(out, "<source "), 4); /* one per disk, one network */
	free(out);
}

static void repoint_makes_a_volume_disk_a_file(void **state)
{
	char *out = xml_repoint_disk(dom_xml, "vdb", "/srv/data/web-data-1.qcow2", "qcow2");
	struct be_disk_list l;

	(void)state;
	assert_non_null(out);
	assert_int_equal(xml_parse_disks(out, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.d[1].target, "vdb");
	assert_int_equal(l.d[1].nlayers, 1);
	assert_string_equal(l.d[1].layers[0].path, "/srv/data/web-data-1.qcow2");
	assert_string_equal(l.d[1].layers[0].format, "qcow2");
	/* vda keeps its whole chain. */
	assert_int_equal(l.d[0].nlayers, 3);
	assert_string_equal(l.d[0].layers[2].path, "/golden/base.qcow2");
	assert_int_equal(l.d[0].end, BE_END_COMPLETE);
	be_disk_list_clear(&l);

	assert_null(strstr(out, "type=\"volume\""));
	assert_null(strstr(out, "pool=\"data\""));
	assert_null(strstr(out, "web-data.img"));
	assert_int_equal(count(out, "<disk type=\"file\" device=\"disk\""), 2);
	assert_non_null(strstr(out, "<serial>DATA-1</serial>"));
	free(out);
}

static void repoint_adds_a_driver_where_there_was_none(void **state)
{
	static const char xml[] = "<domain><devices><disk type='block' device='disk'>"
				  "<source dev='/dev/vg/web'/><target dev='vdc'/></disk></devices></domain>";
	char *out = xml_repoint_disk(xml, "vdc", "/img/vdc.qcow2", "qcow2");
	struct be_disk_list l;

	(void)state;
	assert_non_null(out);
	assert_int_equal(xml_parse_disks(out, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.d[0].nlayers, 1);
	assert_string_equal(l.d[0].layers[0].path, "/img/vdc.qcow2");
	assert_string_equal(l.d[0].layers[0].format, "qcow2");
	be_disk_list_clear(&l);
	assert_non_null(strstr(out, "name=\"qemu\""));
	assert_int_equal(count(out, "<driver"), 1);
	assert_null(strstr(out, "/dev/vg/web"));
	assert_null(strstr(out, "type=\"block\""));
	free(out);

	/* A raw base keeps being read as raw. */
	out = xml_repoint_disk(dom_xml, "vda", "/golden/base.raw", "raw");
	assert_int_equal(xml_parse_disks(out, &l), 0);
	assert_string_equal(l.d[0].layers[0].format, "raw");
	assert_int_equal(l.d[0].end, BE_END_COMPLETE);
	be_disk_list_clear(&l);
	free(out);
}

static void repoint_of_an_unknown_disk_is_null(void **state)
{
	(void)state;
	assert_null(xml_repoint_disk(dom_xml, "vdz", "/img/x.qcow2", "qcow2"));
	assert_null(xml_repoint_disk(dom_xml, "vd", "/img/x.qcow2", "qcow2"));
	assert_null(xml_repoint_disk(dom_xml, "", "/img/x.qcow2", "qcow2"));
	assert_null(xml_repoint_disk("<domain/>", "vda", "/img/x.qcow2", "qcow2"));
	assert_null(xml_repoint_disk("<domain><devices>", "vda", "/img/x.qcow2", "qcow2"));
	assert_null(xml_repoint_disk(NULL, "vda", "/img/x.qcow2", "qcow2"));
	/* The interface's <source> is no disk. */
	assert_null(xml_repoint_disk(dom_xml, "default", "/img/x.qcow2", "qcow2"));
}

static void repoint_takes_any_path_exactly(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(hostile); i++) {
		char *out = xml_repoint_disk(dom_xml, "vda", hostile[i], "qcow2");
		struct be_disk_list l;

		assert_non_null(out);
		assert_int_equal(xml_parse_disks(out, &l), 0);
		assert_int_equal(l.n, 3);
		assert_int_equal(l.d[0].nlayers, 1);
		assert_string_equal(l.d[0].layers[0].path, hostile[i]);
		assert_int_equal(l.d[1].nlayers, 1);
		be_disk_list_clear(&l);
		free(out);
	}
	/* Escaped, never pasted: no element or comment comes from a path. */
	{
		char *out = xml_repoint_disk(dom_xml, "vda", "/img/<top>.qcow2", "qcow2");

		assert_null(strstr(out, "<top>"));
		free(out);
		out = xml_repoint_disk(dom_xml, "vda", "/img/--><!-- x -->.qcow2", "qcow2");
		assert_null(strstr(out, "<!--"));
		free(out);
	}
}

/* The snapshot XML names its disks in <disks>: read as <devices> it goes
 * through the disk parser; given a name, through the snapshot parser. */
static void overlay_snapshot_touches_only_the_chosen_disk(void **state)
{
	struct be_disk_list dl, back;
	size_t i;

	(void)state;
	assert_int_equal(xml_parse_disks(dom_xml, &dl), 0);
	for (i = 0; i < ARRAY_LEN(hostile); i++) {
		char *xml = xml_overlay_snapshot(&dl, "vdb", hostile[i]);
		char *named = replace(xml, "<domainsnapshot>", "<domainsnapshot><name>x</name>");
		char *devs = replace(xml, "disks>", "devices>");
		struct be_snapshot s;

		assert_int_equal(count(named, "<name>x</name>"), 1);
		assert_int_equal(xml_parse_snapshot(named, &s), 0);
		assert_string_equal(s.disks, "vda no, vdb external, sda no");
		assert_true(s.external);
		assert_false(s.memory); /* disk only */
		free(s.name);
		free(s.parent);
		free(s.description);
		free(s.disks);

		assert_int_equal(xml_parse_disks(devs, &back), 0);
		assert_int_equal(back.n, 3);
		assert_int_equal(back.d[0].nlayers, 0); /* vda: no new file */
		assert_int_equal(back.d[2].nlayers, 0); /* nor the CD-ROM */
		assert_int_equal(back.d[1].nlayers, 1);
		assert_string_equal(back.d[1].layers[0].path, hostile[i]);
		assert_string_equal(back.d[1].layers[0].format, "qcow2");
		be_disk_list_clear(&back);
		free(devs);
		free(named);
		free(xml);
	}
	be_disk_list_clear(&dl);
}

static void overlay_snapshot_of_the_first_disk(void **state)
{
	struct be_disk_list dl;
	char *xml, *named;
	struct be_snapshot s;

	(void)state;
	assert_int_equal(xml_parse_disks(dom_xml, &dl), 0);
	xml = xml_overlay_snapshot(&dl, "vda", "/img/web-next.qcow2");
	named = replace(xml, "<domainsnapshot>", "<domainsnapshot><name>x</name>");
	assert_int_equal(xml_parse_snapshot(named, &s), 0);
	assert_string_equal(s.disks, "vda external, vdb no, sda no");
	assert_int_equal(count(xml, "/img/web-next.qcow2"), 1);
	assert_null(strstr(xml, "web-top.qcow2")); /* libvirt knows the old top */
	free(s.name);
	free(s.parent);
	free(s.description);
	free(s.disks);
	free(named);
	free(xml);
	be_disk_list_clear(&dl);
}

static void overlay_volume_reads_back(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(hostile); i++) {
		char *xml = xml_overlay_volume("web-vda-1.qcow2", 10737418240ULL, hostile[i], "qcow2");
		char *path, *fmt, *own;

		assert_int_equal(xml_vol_backing(xml, &path, &fmt), 1);
		assert_string_equal(path, hostile[i]);
		assert_string_equal(fmt, "qcow2");
		own = xml_vol_format(xml);
		assert_non_null(own);
		assert_string_equal(own, "qcow2"); /* the new volume is qcow2 */
		assert_non_null(strstr(xml, "<capacity unit=\"bytes\">10737418240</capacity>"));
		free(own);
		free(path);
		free(fmt);
		free(xml);
	}
}

static void overlay_volume_name_and_backing_format(void **state)
{
	char *xml, *path, *fmt;

	(void)state;
	/* The name is escaped too. */
	xml = xml_overlay_volume("a & <b>.qcow2", 0, "/img/base.raw", "raw");
	assert_null(strstr(xml, "<b>"));
	assert_non_null(strstr(xml, "<name>a &amp; &lt;b&gt;.qcow2</name>"));
	assert_non_null(strstr(xml, ">0</capacity>"));
	assert_int_equal(xml_vol_backing(xml, &path, &fmt), 1);
	assert_string_equal(fmt, "raw");
	free(path);
	free(fmt);
	free(xml);

	/* No backing format known: none is claimed. */
	xml = xml_overlay_volume("n.qcow2", 1, "/img/base", NULL);
	assert_int_equal(xml_vol_backing(xml, &path, &fmt), 1);
	assert_string_equal(path, "/img/base");
	assert_null(fmt);
	free(path);
	free(xml);
	xml = xml_overlay_volume("n.qcow2", 1, "/img/base", "");
	assert_int_equal(xml_vol_backing(xml, &path, &fmt), 1);
	assert_null(fmt);
	free(path);
	free(xml);

	/* The largest size goes through as written. */
	xml = xml_overlay_volume("n.qcow2", 18446744073709551615ULL, "/img/base", "qcow2");
	assert_non_null(strstr(xml, ">18446744073709551615</capacity>"));
	free(xml);
}

static void volume_format_path_and_pool_folder(void **state)
{
	static const char vol[] = "<volume type='file'><name>x</name><target><path>/img/x</path>"
				  "<format type='qcow2'/></target></volume>";
	static const char vol_nofmt[] = "<volume><name>x</name><target><path>/img/x</path></target></volume>";
	static const char vol_empty[] = "<volume><target><format type=''/></target></volume>";
	static const char pool[] = "<pool type='dir'><name>images</name><source/><target>"
				   "<path>/srv/a&amp;b &lt;c&gt;</path><permissions><mode>0711</mode></permissions>"
				   "</target></pool>";
	static const char pool_none[] = "<pool type='rbd'><name>ceph</name><source><name>rbd</name></source></pool>";
	char *s;

	(void)state;
	s = xml_vol_format(vol);
	assert_non_null(s);
	assert_string_equal(s, "qcow2");
	free(s);
	assert_null(xml_vol_format(vol_nofmt));
	assert_null(xml_vol_format(vol_empty));
	assert_null(xml_vol_format("<volume"));
	assert_null(xml_vol_format(NULL));

	/* The path a volume read ahead is kept under: target, not backing. */
	s = xml_vol_path("<volume><target><path>/img/top</path></target>"
			 "<backingStore><path>/img/base</path></backingStore></volume>");
	assert_non_null(s);
	assert_string_equal(s, "/img/top");
	free(s);
	assert_null(xml_vol_path(vol_empty));
	assert_null(xml_vol_path("<volume"));

	s = xml_pool_target(pool);
	assert_non_null(s);
	assert_string_equal(s, "/srv/a&b <c>");
	free(s);
	assert_null(xml_pool_target(pool_none));
	assert_null(xml_pool_target("<pool><target><path></path></target></pool>"));
	assert_null(xml_pool_target("<pool><target>"));
	assert_null(xml_pool_target(NULL));
}

/* Chains as libvirt writes them, beyond what test_xml.c reads. */
static void live_chain_of_other_layer_types(void **state)
{
	static const char xml[] =
		"<domain><devices><disk type='file' device='disk'><driver type='qcow2'/>"
		"<source file='/img/o&amp;1 &lt;top&gt;.qcow2'/>"
		"<backingStore type='volume'><format type='qcow2'/><source pool='p' volume='mid-vol'/>"
		"<backingStore type='block'><format type='raw'/><source dev='/dev/vg/base'/></backingStore>"
		"</backingStore><target dev='vda'/></disk></devices></domain>";
	struct be_disk_list l;

	(void)state;
	assert_int_equal(xml_parse_disks(xml, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.d[0].nlayers, 3);
	assert_string_equal(l.d[0].layers[0].path, "/img/o&1 <top>.qcow2");
	assert_string_equal(l.d[0].layers[1].path, "p/mid-vol"); /* until resolved */
	assert_int_equal(l.d[0].layers[1].type, BE_SRC_VOLUME);
	assert_int_equal(l.d[0].layers[2].type, BE_SRC_BLOCK);
	assert_string_equal(l.d[0].layers[2].path, "/dev/vg/base");
	assert_string_equal(l.d[0].layers[2].format, "raw");
	assert_int_equal(l.d[0].end, BE_END_COMPLETE); /* a raw layer is the end */
	be_disk_list_clear(&l);
}

static void live_chain_that_stops_short(void **state)
{
	/* A qcow2 bottom layer with no <backingStore/> after it: libvirt has
	 * not said where the chain ends. */
	static const char xml[] = "<domain><devices><disk type='file' device='disk'><driver type='qcow2'/>"
				  "<source file='/img/top.qcow2'/><backingStore type='file'><format type='qcow2'/>"
				  "<source file='/img/mid.qcow2'/></backingStore><target dev='vda'/></disk>"
				  "</devices></domain>";
	struct be_disk_list l;

	(void)state;
	assert_int_equal(xml_parse_disks(xml, &l), 0);
	assert_int_equal(l.d[0].nlayers, 2);
	assert_string_equal(l.d[0].layers[1].path, "/img/mid.qcow2");
	assert_int_equal(l.d[0].end, BE_END_UNKNOWN);
	assert_int_equal(l.d[0].layers[1].capacity, -1); /* the pool will say */
	assert_int_equal(l.d[0].layers[1].allocation, -1);
	be_disk_list_clear(&l);
}

static void volume_backing_with_odd_paths(void **state)
{
	static const char esc[] = "<volume><name>t</name><backingStore><path>/img/b&amp;se &lt;1&gt; &quot;q&quot;</path>"
				  "</backingStore></volume>";
	static const char empty[] = "<volume><name>t</name><backingStore><path></path>"
				    "<format type='qcow2'/></backingStore></volume>";
	static const char nopath[] = "<volume><name>t</name><backingStore/></volume>";
	char *path, *fmt;

	(void)state;
	assert_int_equal(xml_vol_backing(esc, &path, &fmt), 1);
	assert_string_equal(path, "/img/b&se <1> \"q\"");
	assert_null(fmt);
	free(path);
	assert_int_equal(xml_vol_backing(empty, &path, &fmt), 0);
	assert_null(path);
	free(fmt);
	assert_int_equal(xml_vol_backing(nopath, &path, &fmt), 0);
	assert_null(path);
	free(fmt);
}

int test_xml_edit_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repoint_drops_the_old_chain_and_keeps_the_rest),
		cmocka_unit_test(repoint_makes_a_volume_disk_a_file),
		cmocka_unit_test(repoint_adds_a_driver_where_there_was_none),
		cmocka_unit_test(repoint_of_an_unknown_disk_is_null),
		cmocka_unit_test(repoint_takes_any_path_exactly),
		cmocka_unit_test(overlay_snapshot_touches_only_the_chosen_disk),
		cmocka_unit_test(overlay_snapshot_of_the_first_disk),
		cmocka_unit_test(overlay_volume_reads_back),
		cmocka_unit_test(overlay_volume_name_and_backing_format),
		cmocka_unit_test(volume_format_path_and_pool_folder),
		cmocka_unit_test(live_chain_of_other_layer_types),
		cmocka_unit_test(live_chain_that_stops_short),
		cmocka_unit_test(volume_backing_with_odd_paths),
	};

	return cmocka_run_group_tests_name("xml_edit", tests, NULL, NULL);
}
