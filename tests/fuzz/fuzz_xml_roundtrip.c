/* The XML builders, round trip: names, descriptions and paths of any
 * text XML can carry come back out of the parsers exactly as they went
 * in. The input is up to three fields separated by NUL bytes. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "tests/fuzz/fuzz.h"

/* A domain with two disks; vda gets repointed. */
static const char domain_xml[] =
	"<domain type='qemu'><name>rt</name><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/old/top.qcow2'/><backingStore type='file'><format type='qcow2'/>"
	"<source file='/old/base.qcow2'/></backingStore><target dev='vda' bus='virtio'/></disk>"
	"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
	"<source file='/other.img'/><target dev='vdb' bus='virtio'/></disk>"
	"</devices></domain>";

static void same(const char *what, const char *got, const char *want)
{
	if (!got || strcmp(got, want))
		fuzz_fail("%s: put in '%s', got back '%s'", what, want, got ? got : "(none)");
}

static void snapshot(const char *name, const char *desc, int ok)
{
	char *xml = xml_snapshot_create(name, desc);
	struct be_snapshot s;

	if (!xml)
		fuzz_fail("xml_snapshot_create gave nothing");
	if (xml_parse_snapshot(xml, &s) < 0) {
		if (ok)
			fuzz_fail("a snapshot's XML does not parse: %s", xml);
		free(xml);
		return;
	}
	if (ok) {
		same("snapshot name", s.name, name);
		same("snapshot description", s.description, desc);
	}
	be_snapshot_clear(&s);
	free(xml);
}

static void volume(const char *name, unsigned long long cap, const char *backing, const char *fmt, int ok)
{
	char *xml = xml_overlay_volume(name, cap, backing, fmt), *path, *got_fmt, *vol_fmt;
	long long c, al;
	int rc;

	if (!xml)
		fuzz_fail("xml_overlay_volume gave nothing");
	rc = xml_vol_backing(xml, &path, &got_fmt);
	if (ok) {
		if (rc != (*backing ? 1 : 0))
			fuzz_fail("volume backing: %d for '%s'", rc, backing);
		if (*backing)
			same("backing file", path, backing);
		if (*fmt)
			same("backing format", got_fmt, fmt);
		if (xml_vol_sizes(xml, &c, &al) < 0 || c != (long long)cap || al != 0)
			fuzz_fail("volume sizes: %lld/%lld for %llu", c, al, cap);
		same("volume format", vol_fmt = xml_vol_format(xml), "qcow2");
		free(vol_fmt);
	}
	free(path);
	free(got_fmt);
	free(xml);
}

/* The overlay snapshot's disks read with libxml2 itself: its XML has no
 * name (libvirt makes one up), so xml_parse_snapshot does not take it. */
static void overlay_snapshot(const char *target, const char *path, int ok)
{
	struct be_disk d[2] = {{0}, {0}};
	struct be_disk_list dl = {.d = d, .n = 2};
	char other[] = "vdz";
	char *xml;
	xmlDocPtr doc;
	xmlNodePtr n;
	xmlChar *name, *file;
	int seen = 0;

	d[0].target = (char *)target;
	d[1].target = other;
	xml = xml_overlay_snapshot(&dl, target, path);
	if (!xml)
		fuzz_fail("xml_overlay_snapshot gave nothing");
	doc = xmlReadMemory(xml, (int)strlen(xml), "o.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc && ok)
		fuzz_fail("an overlay snapshot's XML does not parse: %s", xml);
	n = doc ? xmlDocGetRootElement(doc)->children : NULL;
	for (; n && strcmp((const char *)n->name, "disks"); n = n->next)
		;
	for (n = n ? n->children : NULL; n && ok; n = n->next, seen++) {
		name = xmlGetProp(n, (const xmlChar *)"name");
		same("overlay disk", (const char *)name, seen ? other : target);
		xmlFree(name);
		if (seen)
			break;
		file = n->children && n->children->next ? xmlGetProp(n->children->next, (const xmlChar *)"file") : NULL;
		same("overlay file", (const char *)file, path);
		xmlFree(file);
	}
	if (ok && seen != 1)
		fuzz_fail("an overlay snapshot with %d disks", seen + 1);
	xmlFreeDoc(doc);
	free(xml);
}

static void repoint(const char *path, const char *fmt, int ok)
{
	char *xml = xml_repoint_disk(domain_xml, "vda", path, fmt);
	struct be_disk_list dl;

	if (!xml)
		fuzz_fail("xml_repoint_disk lost vda");
	if (xml_parse_disks(xml, &dl) < 0) {
		if (ok)
			fuzz_fail("a repointed domain does not parse: %s", xml);
		free(xml);
		return;
	}
	if (ok) {
		if (dl.n != 2 || dl.d[0].nlayers != 1)
			fuzz_fail("repointed: %zu disks, vda with %zu layers", dl.n, dl.n ? dl.d[0].nlayers : 0);
		same("repointed disk", dl.d[0].target, "vda");
		same("repointed path", dl.d[0].layers[0].path, path);
		same("repointed format", dl.d[0].layers[0].format, *fmt ? fmt : "raw");
		same("the other disk", dl.d[1].layers[0].path, "/other.img");
	}
	be_disk_list_clear(&dl);
	free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[3];
	unsigned long long cap = 0;
	size_t i;
	int ok;

	fuzz_fields(data, size, f, 3);
	/* Any capacity below 2^63 (libvirt reads a signed 64-bit number). */
	for (i = 0; i < size && i < 8; i++)
		cap = cap << 8 | data[i];
	cap &= ~(1ULL << 63);
	ok = fuzz_xml_text(f[0]) && fuzz_xml_text(f[1]) && fuzz_xml_text(f[2]);
	snapshot(f[0], f[1], ok);
	volume(f[0], cap, f[1], f[2], ok);
	overlay_snapshot(f[0], f[1], ok);
	repoint(f[1], f[2], ok);
	fuzz_fields_free(f, 3);
	return 0;
}
