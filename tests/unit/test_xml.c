/* Reading disks and backing chains from libvirt's XML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "core/layer.h"
#include "shared/util.h"
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
	struct be_disk_list l;
	struct be_disk *d;

	(void)state;
	assert_int_equal(xml_parse_disks(running_dom, &l), 0);
	d = l.d;
	assert_int_equal(l.n, 3); /* the cdrom too, its chain not followed */
	assert_string_equal(d[0].target, "vda");
	assert_int_equal(d[0].nlayers, 3);
	assert_string_equal(d[0].layers[0].path, "/img/top.qcow2");
	assert_string_equal(d[0].layers[1].path, "/img/mid.qcow2");
	assert_string_equal(d[0].layers[2].path, "/img/base.raw");
	assert_string_equal(d[0].layers[0].format, "qcow2");
	assert_string_equal(d[0].layers[2].format, "raw");
	assert_int_equal(d[0].end, BE_END_COMPLETE);
	assert_string_equal(d[1].target, "sda");
	assert_int_equal(d[1].device, BE_DEV_CDROM);
	assert_true(d[1].readonly);
	assert_int_equal(d[1].nlayers, 1);
	assert_int_equal(d[1].end, BE_END_COMPLETE);
	assert_string_equal(d[2].target, "vdb");
	assert_string_equal(d[2].layers[0].path, "/dev/vg/data");
	assert_int_equal(d[2].layers[0].type, BE_SRC_BLOCK);
	assert_int_equal(d[2].end, BE_END_COMPLETE); /* raw cannot have a backing file */
	be_disk_list_clear(&l);
}

static void shut_off_chain_is_partial(void **state)
{
	static const char xml[] =
		"<domain><devices><disk type='file' device='disk'><driver type='qcow2'/>"
		"<source file='/img/o&amp;verlay &lt;1&gt;.qcow2'/><target dev='vda'/></disk>"
		"<disk type='network' device='disk'><driver type='raw'/>"
		"<source protocol='rbd' name='pool/img'/><target dev='vdc'/></disk>"
		"</devices></domain>";
	struct be_disk_list l;

	(void)state;
	assert_int_equal(xml_parse_disks(xml, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.d[0].nlayers, 1);
	assert_string_equal(l.d[0].layers[0].path, "/img/o&verlay <1>.qcow2");
	assert_int_equal(l.d[0].end, BE_END_UNKNOWN); /* the storage API must say the rest */
	assert_string_equal(l.d[1].layers[0].path, "rbd:pool/img"); /* never a local path */
	assert_int_equal(l.d[1].layers[0].type, BE_SRC_NETWORK);
	be_disk_list_clear(&l);
}

/* Every kind of <disk>: what it is, and where its data comes from. */
static void every_disk_type_is_read(void **state)
{
	static const char xml[] =
		"<domain><devices>"
		"<disk type='network' device='disk'><driver type='qcow2'/>"
		"<source protocol='nbd' name='exp'><host transport='unix' socket='/run/n.sock'/></source>"
		"<target dev='vda'/></disk>"
		"<disk type='network' device='disk'><driver type='raw'/>"
		"<source protocol='gluster' name='vol/img'><host name='g1' port='24007'/><host name='g2'/></source>"
		"<target dev='vdb'/><shareable/></disk>"
		"<disk type='dir' device='disk'><driver type='fat'/><source dir='/srv/x'/><target dev='vdc'/></disk>"
		"<disk type='file' device='floppy'><source file='/f.img'/><target dev='fda'/><readonly/></disk>"
		"<disk type='block' device='lun'><source dev='/dev/sdz'/><target dev='sdb'/></disk>"
		"<disk type='file' device='cdrom'><target dev='sdc'/></disk>"
		"<disk type='nvme' device='disk'><source type='pci' managed='yes' namespace='1'/>"
		"<target dev='vdd'/></disk>"
		"</devices></domain>";
	struct be_disk_list l;
	char buf[200];

	(void)state;
	assert_int_equal(xml_parse_disks(xml, &l), 0);
	assert_int_equal(l.n, 7);
	assert_string_equal(l.d[0].layers[0].path, "nbd:exp@unix:/run/n.sock");
	assert_string_equal(l.d[0].layers[0].hosts, "unix:/run/n.sock");
	assert_int_equal(l.d[0].end, BE_END_UNKNOWN); /* qcow2 on the network: not known below */
	assert_string_equal(l.d[1].layers[0].path, "gluster:vol/img@g1:24007,g2");
	assert_true(l.d[1].shareable);
	assert_int_equal(l.d[2].type, BE_SRC_DIR);
	assert_int_equal(l.d[2].end, BE_END_COMPLETE);
	assert_int_equal(l.d[3].device, BE_DEV_FLOPPY);
	assert_true(l.d[3].readonly);
	assert_string_equal(layer_disk_marks(&l.d[3], buf, sizeof(buf)), "floppy, read-only");
	assert_int_equal(l.d[4].device, BE_DEV_LUN);
	assert_int_equal(l.d[4].layers[0].type, BE_SRC_BLOCK);
	assert_int_equal(l.d[5].device, BE_DEV_CDROM);
	assert_int_equal(l.d[5].nlayers, 0);
	assert_string_equal(layer_end_note(&l.d[5], buf, sizeof(buf)), "(no medium)");
	assert_int_equal(l.d[6].type, BE_SRC_OTHER);
	assert_int_equal(l.d[6].nlayers, 0); /* an NVMe device names no file */
	/* What may be done on each, by what it is. */
	assert_int_equal(be_disk_allows(&l.d[0], BE_USE_CHAIN, buf, sizeof(buf)), -1);
	assert_non_null(strstr(buf, "vda is a network disk (nbd:exp@unix:/run/n.sock)"));
	assert_int_equal(be_disk_allows(&l.d[1], BE_USE_SNAPSHOT, buf, sizeof(buf)), -1);
	assert_non_null(strstr(buf, "vdb is shareable"));
	assert_int_equal(be_disk_allows(&l.d[3], BE_USE_SNAPSHOT, buf, sizeof(buf)), 1); /* read-only: left out */
	assert_int_equal(be_disk_allows(&l.d[4], BE_USE_SNAPSHOT, buf, sizeof(buf)), -1);
	assert_int_equal(be_disk_allows(&l.d[5], BE_USE_SNAPSHOT, buf, sizeof(buf)), 1); /* empty: left out */
	assert_int_equal(be_disk_allows(&l.d[5], BE_USE_CHAIN, buf, sizeof(buf)), -1);
	be_disk_list_clear(&l);
}

/* A snapshot's file on a volume keeps the pool and volume to resolve. */
static void snapshot_file_on_a_volume(void **state)
{
	static const char xml[] =
		"<domainsnapshot><name>s</name><state>shutoff</state><disks><disk name='vda' snapshot='internal'/>"
		"<disk name='sda' snapshot='no'/></disks><domain><devices>"
		"<disk type='volume' device='disk'><source pool='p' volume='v.qcow2'/><target dev='vda'/></disk>"
		"<disk type='file' device='cdrom'><target dev='sda'/></disk></devices></domain></domainsnapshot>";
	struct be_snapshot s;
	char *made = xml_snapshot_create_leaving("n", "", (const char *const[]){"sda", "vdb"}, 2);

	(void)state;
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	assert_int_equal(s.nfiles, 1);
	assert_int_equal(s.files[0].type, BE_SRC_VOLUME);
	assert_string_equal(s.files[0].path, "p/v.qcow2");
	assert_string_equal(s.files[0].pool, "p");
	assert_string_equal(s.files[0].volume, "v.qcow2");
	be_snapshot_clear(&s);
	assert_non_null(strstr(made, "<disks><disk name=\"sda\" snapshot=\"no\"/><disk name=\"vdb\" snapshot=\"no\"/></disks>"));
	free(made);
}

/* A live XML whose chain names again a file above: cut at the repeat. */
static void live_chain_loop_is_reported_as_a_loop(void **state)
{
	static const char self[] =
		"<domain><devices><disk type='file' device='disk'><driver type='qcow2'/>"
		"<source file='/img/a.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/a.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/a.qcow2'/></backingStore>"
		"</backingStore><target dev='vda'/></disk></devices></domain>";
	static const char pair[] =
		"<domain><devices><disk type='file' device='disk'><driver type='qcow2'/>"
		"<source file='/img/top.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/a.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/b.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/a.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/b.qcow2'/>"
		"</backingStore></backingStore></backingStore></backingStore>"
		"<target dev='vda'/></disk></devices></domain>";
	struct be_disk_list l;
	char buf[128];

	(void)state;
	assert_int_equal(xml_parse_disks(self, &l), 0);
	assert_int_equal(l.d[0].nlayers, 1);
	assert_int_equal(l.d[0].end, BE_END_LOOP);
	assert_int_equal(l.d[0].loop_to, 0);
	assert_true(be_chain_known(&l.d[0]));
	assert_string_equal(layer_end_note(&l.d[0], buf, sizeof(buf)), "(a loop: backed by itself)");
	be_disk_list_clear(&l);
	assert_int_equal(xml_parse_disks(pair, &l), 0);
	assert_int_equal(l.d[0].nlayers, 3); /* top, a, b: each once */
	assert_string_equal(l.d[0].layers[2].path, "/img/b.qcow2");
	assert_int_equal(l.d[0].end, BE_END_LOOP);
	assert_int_equal(l.d[0].loop_to, 1);
	assert_string_equal(layer_end_note(&l.d[0], buf, sizeof(buf)),
			    "(a loop: backed by the layer above)");
	be_disk_list_clear(&l);
}

/* A live chain deeper than any libvirt runs stops at BE_MAX_CHAIN layers
 * and says so; one exactly that deep is whole. */
static void live_chain_too_deep_is_cut_off(void **state)
{
	struct be_disk_list l;
	char buf[128];
	int extra;

	(void)state;
	for (extra = 0; extra <= 1; extra++) {
		size_t n = BE_MAX_CHAIN + (size_t)extra, i, cap = 200 * n + 200, len;
		char *xml = xmalloc(cap);

		len = (size_t)snprintf(xml, cap, "<domain><devices><disk device='disk'><driver type='qcow2'/>"
						 "<source file='/img/l0.qcow2'/>");
		for (i = 1; i < n; i++)
			len += (size_t)snprintf(xml + len, cap - len,
						"<backingStore type='file'><format type='qcow2'/><source file='/img/l%zu.qcow2'/>",
						i);
		len += (size_t)snprintf(xml + len, cap - len, "<backingStore/>");
		for (i = 1; i < n; i++)
			len += (size_t)snprintf(xml + len, cap - len, "</backingStore>");
		snprintf(xml + len, cap - len, "<target dev='vda'/></disk></devices></domain>");
		assert_int_equal(xml_parse_disks(xml, &l), 0);
		free(xml);
		assert_int_equal(l.d[0].nlayers, BE_MAX_CHAIN);
		assert_int_equal(l.d[0].end, extra ? BE_END_CUT : BE_END_COMPLETE);
		if (extra) {
			assert_false(be_chain_known(&l.d[0]));
			snprintf(buf, sizeof(buf), "(cut off at %d layers: libvirt's limit)",
				 BE_MAX_CHAIN);
			assert_string_equal(layer_end_note(&l.d[0], (char[128]){0}, 128), buf);
		}
		be_disk_list_clear(&l);
	}
}

static void disk_without_source_has_no_layers(void **state)
{
	static const char xml[] = "<domain><devices><disk device='disk'><target dev='vda'/></disk></devices></domain>";
	struct be_disk_list l;

	(void)state;
	assert_int_equal(xml_parse_disks(xml, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.d[0].nlayers, 0);
	be_disk_list_clear(&l);
}

static void bad_xml_is_an_error(void **state)
{
	struct be_disk_list l;

	(void)state;
	assert_int_equal(xml_parse_disks("<domain><devices>", &l), -1);
	assert_null(l.d);
	assert_int_equal(xml_parse_disks(NULL, &l), -1);
	assert_int_equal(xml_parse_disks("<domain/>", &l), 0);
	assert_int_equal(l.n, 0);
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

static void snapshot_details_are_read(void **state)
{
	static const char xml[] =
		"<domainsnapshot><name>pg16 &amp; more</name><description>before &lt;upgrade&gt;</description>"
		"<state>running</state><parent><name>base</name></parent>"
		"<creationTime>1767225600</creationTime><memory snapshot='internal'/>"
		"<disks><disk name='vda' snapshot='internal'/><disk name='vdb' snapshot='no'/></disks>"
		"<domain type='qemu'><name>vm</name><memory unit='KiB'>65536</memory></domain>"
		"</domainsnapshot>";
	struct be_snapshot s;

	(void)state;
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	assert_string_equal(s.name, "pg16 & more");
	assert_string_equal(s.description, "before <upgrade>");
	assert_string_equal(s.state, "running");
	assert_string_equal(s.parent, "base");
	assert_int_equal(s.ctime, 1767225600);
	assert_true(s.memory);
	assert_false(s.external);
	assert_string_equal(s.disks, "vda internal, vdb no");
	free(s.name);
	free(s.parent);
	free(s.description);
	free(s.disks);
}

static void disk_only_external_root(void **state)
{
	static const char xml[] =
		"<domainsnapshot><name>pre</name><state>disk-snapshot</state><creationTime>5</creationTime>"
		"<memory snapshot='no'/><disks><disk name='vda' snapshot='external'>"
		"<source file='/img/vda.pre'/></disk></disks></domainsnapshot>";
	struct be_snapshot s;

	(void)state;
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	assert_null(s.parent);
	assert_string_equal(s.description, "");
	assert_false(s.memory);
	assert_true(s.external);
	free(s.name);
	free(s.description);
	free(s.disks);
	assert_int_equal(xml_parse_snapshot("<domainsnapshot/>", &s), -1);
	assert_int_equal(xml_parse_snapshot("<oops", &s), -1);
}

/* Where a snapshot keeps each disk's state: the file its own <domain>
 * names, inside it (internal) or frozen below an overlay (external); a
 * disk it does not cover has none. */
static void snapshot_files_come_from_its_domain(void **state)
{
	static const char xml[] =
		"<domainsnapshot><name>s</name><state>shutoff</state>"
		"<disks><disk name='vda' snapshot='internal'/><disk name='vdb' snapshot='external'>"
		"<source file='/img/vdb.ovl'/></disk><disk name='vdc' snapshot='no'/></disks>"
		"<domain><devices>"
		"<disk type='file' device='disk'><source file='/img/a &amp; b.qcow2'/><target dev='vda'/></disk>"
		"<disk type='file' device='disk'><source file='/img/vdb.qcow2'/><target dev='vdb'/></disk>"
		"<disk type='file' device='disk'><source file='/img/vdc.raw'/><target dev='vdc'/></disk>"
		"</devices></domain></domainsnapshot>";
	static const char old[] = /* the test driver's: no <disks> */
		"<domainsnapshot><name>t</name><state>running</state><domain><devices>"
		"<disk device='disk'><source file='/img/t.qcow2'/><target dev='vda'/></disk>"
		"<disk device='cdrom'><source file='/img/cd.iso'/><target dev='hdc'/></disk>"
		"</devices></domain></domainsnapshot>";
	struct be_snapshot s;

	(void)state;
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	assert_int_equal(s.nfiles, 2);
	assert_string_equal(s.files[0].disk, "vda");
	assert_string_equal(s.files[0].path, "/img/a & b.qcow2");
	assert_false(s.files[0].external);
	assert_string_equal(s.files[1].disk, "vdb");
	assert_string_equal(s.files[1].path, "/img/vdb.qcow2"); /* frozen, not the overlay */
	assert_true(s.files[1].external);
	be_snapshot_clear(&s);
	assert_int_equal(xml_parse_snapshot(old, &s), 0);
	assert_int_equal(s.nfiles, 1);
	assert_string_equal(s.files[0].path, "/img/t.qcow2");
	be_snapshot_clear(&s);
}

/* A VM renamed to bytes that are not UTF-8 (virsh domrename takes any):
 * its disks still read, each path exactly the bytes libvirt gave, and its
 * definition is not written back (its bytes would change). */
static void a_name_that_is_not_utf8_still_reads(void **state)
{
	static const char xml[] =
		"<domain><name>lab\xff\xfe-\xe9t\xe9</name><devices>"
		"<disk type='file' device='disk'><source file='/img/caf\xc3\xa9-\x80.qcow2'/>"
		"<backingStore type='file'><format type='qcow2'/><source file='/img/b\xe4se'/><backingStore/>"
		"</backingStore><target dev='vda'/></disk></devices></domain>";
	static const char snap[] =
		"<domainsnapshot><name>s\xff</name><description>d\xe9</description><state>shutoff</state>"
		"<domain><name>lab\xff</name><devices><disk device='disk'><source file='/img/\xfe.qcow2'/>"
		"<target dev='vda'/></disk></devices></domain></domainsnapshot>";
	struct be_disk_list dl;
	struct be_snapshot s;

	(void)state;
	assert_false(xml_utf8(xml));
	assert_int_equal(xml_parse_disks(xml, &dl), 0);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.d[0].nlayers, 2);
	assert_string_equal(dl.d[0].layers[0].path, "/img/caf\xc3\xa9-\x80.qcow2");
	assert_string_equal(dl.d[0].layers[1].path, "/img/b\xe4se");
	assert_int_equal(dl.d[0].end, BE_END_COMPLETE);
	be_disk_list_clear(&dl);
	assert_null(xml_repoint_disk(xml, "vda", "/img/new.qcow2", "qcow2"));
	assert_int_equal(xml_parse_snapshot(snap, &s), 0);
	assert_string_equal(s.name, "s\xff");
	assert_string_equal(s.description, "d\xe9");
	assert_string_equal(s.files[0].path, "/img/\xfe.qcow2");
	be_snapshot_clear(&s);
	/* A character reference above U+00FF in such XML stays UTF-8. */
	assert_int_equal(xml_parse_snapshot("<domainsnapshot><name>\xff&#x20AC;</name></domainsnapshot>", &s), 0);
	assert_string_equal(s.name, "\xff\xe2\x82\xac");
	be_snapshot_clear(&s);
}

/* An active commit's base, as the live XML's <mirror> names it. */
static void mirror_of_a_running_block_job(void **state)
{
	static const char xml[] =
		"<domain><devices><disk type='file' device='disk'><source file='/img/top'/>"
		"<mirror type='file' job='active-commit' ready='yes'><format type='qcow2'/>"
		"<source file='/img/base'/></mirror><target dev='vda'/></disk>"
		"<disk type='file' device='disk'><source file='/img/data'/><target dev='vdb'/></disk>"
		"</devices></domain>";
	char *m;

	(void)state;
	m = xml_disk_mirror(xml, "vda");
	assert_string_equal(m, "/img/base");
	free(m);
	assert_null(xml_disk_mirror(xml, "vdb"));
	assert_null(xml_disk_mirror(xml, "vdz"));
	assert_null(xml_disk_mirror("<oops", "vda"));
}

/* Whatever the user types arrives in libvirt exactly: the XML is built
 * by libxml2 and reads back to the same text. */
static void hostile_names_survive_the_round_trip(void **state)
{
	static const char *const names[] = {
		"it's \"quoted\"", "<b>bold</b> & co", "]]> <!-- x -->", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80",
		"&amp; literally", "tab\there",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *xml = xml_snapshot_create(names[i], names[(i + 1) % 6]);
		struct be_snapshot s;

		assert_int_equal(xml_parse_snapshot(xml, &s), 0);
		assert_string_equal(s.name, names[i]);
		assert_string_equal(s.description, names[(i + 1) % 6]);
		free(s.name);
		free(s.description);
		free(s.disks);
		free(s.parent);
		free(xml);
	}
}

int test_xml_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_chain_is_read_to_its_end),
		cmocka_unit_test(live_chain_loop_is_reported_as_a_loop),
		cmocka_unit_test(live_chain_too_deep_is_cut_off),
		cmocka_unit_test(shut_off_chain_is_partial),
		cmocka_unit_test(every_disk_type_is_read),
		cmocka_unit_test(snapshot_file_on_a_volume),
		cmocka_unit_test(disk_without_source_has_no_layers),
		cmocka_unit_test(bad_xml_is_an_error),
		cmocka_unit_test(volume_backing_file),
		cmocka_unit_test(snapshot_details_are_read),
		cmocka_unit_test(disk_only_external_root),
		cmocka_unit_test(snapshot_files_come_from_its_domain),
		cmocka_unit_test(mirror_of_a_running_block_job),
		cmocka_unit_test(a_name_that_is_not_utf8_still_reads),
		cmocka_unit_test(hostile_names_survive_the_round_trip),
	};

	return cmocka_run_group_tests_name("xml", tests, NULL, NULL);
}
