/* The XML of an external snapshot (disk-only or with memory), built with
 * libxml2: the snapshot's name, its description and its files' names are
 * user input and are never pasted into text. Pure: unit tested. */
#include <libxml/tree.h>
#include <stdlib.h>

#include "backend/xml.h"
#include "backend/xml_util.h"

static xmlNodePtr add(xmlNodePtr parent, const char *name, const char *text)
{
	/* xmlNewTextChild escapes its text; xmlNewChild would not. */
	return xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)text);
}

static void set(xmlNodePtr n, const char *name, const char *value)
{
	xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* True when every text given is UTF-8: other bytes would be written as
 * XML that libvirt reads as other names. */
static bool all_utf8(const char *name, const char *description, const struct xml_snapext_disk *disks, size_t n,
		     const char *memfile)
{
	size_t i;

	if (!xml_utf8(name) || (description && !xml_utf8(description)) || (memfile && !xml_utf8(memfile)))
		return false;
	for (i = 0; i < n; i++)
		if (!xml_utf8(disks[i].target) || (disks[i].overlay && !xml_utf8(disks[i].overlay)))
			return false;
	return true;
}

char *xml_snapshot_external(const char *name, const char *description, const struct xml_snapext_disk *disks,
			    size_t n, const char *memfile)
{
	xmlDocPtr doc;
	xmlNodePtr root, mem, all, d;
	size_t i;

	if (!name || !all_utf8(name, description, disks, n, memfile))
		return NULL;
	doc = xmlNewDoc((const xmlChar *)"1.0");
	root = xmlNewNode(NULL, (const xmlChar *)"domainsnapshot");
	xmlDocSetRootElement(doc, root);
	add(root, "name", name);
	if (description && *description)
		add(root, "description", description);
	mem = add(root, "memory", NULL);
	if (memfile) {
		set(mem, "snapshot", "external");
		set(mem, "file", memfile);
	} else {
		set(mem, "snapshot", "no");
	}
	/* Every disk is named: left to libvirt's default, one could be
	 * snapshotted internally beside the external ones, which it refuses,
	 * or a read-only one given a writable overlay. */
	all = add(root, "disks", NULL);
	for (i = 0; i < n; i++) {
		d = add(all, "disk", NULL);
		set(d, "name", disks[i].target);
		if (!disks[i].overlay) {
			set(d, "snapshot", "no");
			continue;
		}
		set(d, "snapshot", "external");
		set(d, "type", "file");
		set(add(d, "driver", NULL), "type", "qcow2");
		set(add(d, "source", NULL), "file", disks[i].overlay);
	}
	return xml_dump(doc);
}
