/* The XML of external snapshots, read back with the program's own
 * snapshot parser: names, descriptions and file names are user input and
 * must arrive exactly, in every kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* made, as libvirt would keep it: with the <domain> of the VM as it was
 * (vda on froze, hdc a CD-ROM), parsed into s. */
static void read_back(const char *made, const char *froze, struct be_snapshot *s)
{
	const char *end = strstr(made, "</domainsnapshot>");
	char *dom, *doc;
	size_t n;

	assert_non_null(end);
	n = strlen(froze) * 6 + 400;
	dom = xcalloc(n, 1);
	/* froze is escaped by the test's own rules: & < > ' " */
	{
		size_t k = 0;
		const char *p;

		k += (size_t)snprintf(dom + k, n - k, "<domain><devices><disk type='file' device='disk'><source file='");
		for (p = froze; *p; p++)
			k += (size_t)snprintf(dom + k, n - k, "%s",
					      *p == '&'    ? "&amp;"
					      : *p == '<'  ? "&lt;"
					      : *p == '>'  ? "&gt;"
					      : *p == '\'' ? "&apos;"
					      : *p == '"'  ? "&quot;"
					      : *p == '\n' ? "&#10;"
							   : (char[]){*p, 0});
		snprintf(dom + k, n - k,
			 "'/><target dev='vda'/></disk><disk type='file' device='cdrom'>"
			 "<source file='/iso/x.iso'/><target dev='hdc'/></disk></devices></domain>");
	}
	doc = xcalloc(strlen(made) + strlen(dom) + 1, 1);
	memcpy(doc, made, (size_t)(end - made));
	strcat(doc, dom);
	strcat(doc, end);
	assert_int_equal(xml_parse_snapshot(doc, s), 0);
	free(dom);
	free(doc);
}

static void disk_only_covers_each_disk_or_leaves_it_out(void **state)
{
	const struct xml_snapext_disk disks[] = {{"vda", "/img/web-vda-1.qcow2"}, {"hdc", NULL}};
	char *xml = xml_snapshot_external("before", "", disks, 2, NULL);
	struct be_snapshot s;

	(void)state;
	assert_non_null(xml);
	assert_non_null(strstr(xml, "<memory snapshot=\"no\"/>"));
	read_back(xml, "/img/web.qcow2", &s);
	assert_string_equal(s.name, "before");
	assert_false(s.memory);
	assert_true(s.external);
	assert_null(s.memfile);
	assert_string_equal(s.disks, "vda external, hdc no");
	assert_int_equal(s.nfiles, 1);
	assert_string_equal(s.files[0].path, "/img/web.qcow2");
	assert_string_equal(s.files[0].overlay, "/img/web-vda-1.qcow2");
	assert_int_equal(be_snap_kind(&s), BE_KIND_EXT_DISK);
	assert_string_equal(be_snap_kind_name(be_snap_kind(&s)), "ext-disk");
	be_snapshot_clear(&s);
	free(xml);
}

static void with_memory_names_its_file(void **state)
{
	const struct xml_snapext_disk disks[] = {{"vda", "/img/web-vda-1.qcow2"}, {"hdc", NULL}};
	char *xml = xml_snapshot_external("sys", "desc", disks, 2, "/img/web-mem-1.save");
	struct be_snapshot s;

	(void)state;
	read_back(xml, "/img/web.qcow2", &s);
	assert_true(s.memory);
	assert_true(s.external);
	assert_string_equal(s.memfile, "/img/web-mem-1.save");
	assert_string_equal(s.description, "desc");
	assert_string_equal(s.files[0].overlay, "/img/web-vda-1.qcow2");
	assert_int_equal(be_snap_kind(&s), BE_KIND_EXT_SYS);
	assert_string_equal(be_snap_kind_name(be_snap_kind(&s)), "ext-sys");
	be_snapshot_clear(&s);
	free(xml);
}

/* Quotes, markup, spaces, newlines, UTF-8 and a very long name, in the
 * snapshot's name, its description and every file's name. */
static void hostile_file_names_arrive_exactly(void **state)
{
	static char longname[3900];
	const char *names[] = {
		"/img/it's \"quoted\".qcow2", "/img/<b>&amp; co</b>.qcow2", "/img/with spaces/and ]]> too",
		"/img/new\nline.qcow2", "/img/caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80.qcow2", longname,
	};
	size_t i, n = sizeof(names) / sizeof(names[0]);

	(void)state;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[0] = '/';
	for (i = 0; i < n; i++) {
		const struct xml_snapext_disk disks[] = {{"vda", names[i]}, {"hdc", NULL}};
		const char *mem = names[(i + 1) % n], *froze = names[(i + 2) % n];
		char *xml = xml_snapshot_external(names[(i + 3) % n] + 1, names[(i + 4) % n], disks, 2, mem);
		struct be_snapshot s;

		assert_non_null(xml);
		read_back(xml, froze, &s);
		assert_string_equal(s.name, names[(i + 3) % n] + 1);
		assert_string_equal(s.description, names[(i + 4) % n]);
		assert_string_equal(s.memfile, mem);
		assert_int_equal(s.nfiles, 1);
		assert_string_equal(s.files[0].path, froze);
		assert_string_equal(s.files[0].overlay, names[i]);
		be_snapshot_clear(&s);
		free(xml);
	}
}

/* Bytes that are not UTF-8 would reach libvirt as other names: refused. */
static void text_not_utf8_is_refused(void **state)
{
	const struct xml_snapext_disk bad[] = {{"vda", "/img/\xff.qcow2"}};
	const struct xml_snapext_disk good[] = {{"vda", "/img/a.qcow2"}};

	(void)state;
	assert_null(xml_snapshot_external("s", NULL, bad, 1, NULL));
	assert_null(xml_snapshot_external("s\xc3", NULL, good, 1, NULL));
	assert_null(xml_snapshot_external("s", NULL, good, 1, "/img/\xe2\x82.save"));
	assert_null(xml_snapshot_external(NULL, NULL, good, 1, NULL));
}

/* Which disks an external snapshot covers: the VM's own writable disks;
 * left out what it only reads or shares; refused what takes no overlay. */
static void external_snapshot_disk_rules(void **state)
{
	struct be_layer file = {.path = "/img/a.qcow2", .format = "qcow2", .type = BE_SRC_FILE};
	struct be_layer dev = {.path = "/dev/vg/x", .format = "raw", .type = BE_SRC_BLOCK};
	struct be_layer net = {.path = "rbd:p/i", .format = "raw", .type = BE_SRC_NETWORK};
	struct be_disk d = {.target = "vda", .layers = &file, .nlayers = 1, .device = BE_DEV_DISK};
	char why[400];

	(void)state;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), 0);
	d.readonly = true;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), 1);
	d.readonly = false;
	d.shareable = true;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), 1);
	d.shareable = false;
	d.device = BE_DEV_CDROM;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), 1);
	d.device = BE_DEV_DISK;
	d.nlayers = 0;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), 1);
	d.nlayers = 1;
	d.layers = &dev;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "block device"));
	d.layers = &net;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "network disk"));
	d.layers = &file;
	d.device = BE_DEV_FLOPPY;
	assert_int_equal(be_disk_allows(&d, BE_USE_EXTERNAL, why, sizeof(why)), -1);
}

int test_snapext_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disk_only_covers_each_disk_or_leaves_it_out),
		cmocka_unit_test(with_memory_names_its_file),
		cmocka_unit_test(hostile_file_names_arrive_exactly),
		cmocka_unit_test(text_not_utf8_is_refused),
		cmocka_unit_test(external_snapshot_disk_rules),
	};

	return cmocka_run_group_tests_name("snapext", tests, NULL, NULL);
}
