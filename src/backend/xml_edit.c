/* Building and editing libvirt XML for overlay work, with libxml2: paths
 * and names are user input and are never pasted into text. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "backend/xml_util.h"
#include "shared/util.h"

static bool attr_is(xmlNodePtr n, const char *name, const char *value)
{
	char *v = xml_attr(n, name);
	bool is = v && !strcmp(v, value);

	free(v);
	return is;
}

static xmlNodePtr new_doc(xmlDocPtr *doc, const char *root)
{
	xmlNodePtr r = xmlNewNode(NULL, (const xmlChar *)root);

	*doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlDocSetRootElement(*doc, r);
	return r;
}

static xmlNodePtr add(xmlNodePtr parent, const char *name, const char *text)
{
	/* xmlNewTextChild escapes its text; xmlNewChild would not. */
	return xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)text);
}

static void set(xmlNodePtr n, const char *name, const char *value)
{
	xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

char *xml_overlay_snapshot(const struct be_disk_list *disks, const char *disk, const char *path)
{
	xmlDocPtr doc;
	xmlNodePtr root = new_doc(&doc, "domainsnapshot"), all, d;
	size_t i;

	add(root, "description", "overlay made by vmmanager");
	all = add(root, "disks", NULL);
	for (i = 0; i < disks->n; i++) {
		d = add(all, "disk", NULL);
		set(d, "name", disks->d[i].target);
		if (strcmp(disks->d[i].target, disk)) {
			set(d, "snapshot", "no"); /* only the chosen disk gets one */
			continue;
		}
		set(d, "snapshot", "external");
		set(add(d, "driver", NULL), "type", "qcow2");
		set(add(d, "source", NULL), "file", path);
	}
	return xml_dump(doc);
}

char *xml_overlay_volume(const char *name, unsigned long long capacity, const char *backing, const char *backing_fmt)
{
	xmlDocPtr doc;
	xmlNodePtr root = new_doc(&doc, "volume"), n;
	char cap[32];

	add(root, "name", name);
	snprintf(cap, sizeof(cap), "%llu", capacity);
	set(add(root, "capacity", cap), "unit", "bytes");
	/* An overlay starts nearly empty; without this libvirt assumes it is
	 * allocated in full and may call the pool too small. */
	set(add(root, "allocation", "0"), "unit", "bytes");
	set(add(add(root, "target", NULL), "format", NULL), "type", "qcow2");
	if (!backing)
		return xml_dump(doc); /* a standalone volume */
	n = add(root, "backingStore", NULL);
	add(n, "path", backing);
	if (backing_fmt && *backing_fmt)
		set(add(n, "format", NULL), "type", backing_fmt);
	return xml_dump(doc);
}

char *xml_copy_dest(const char *path)
{
	xmlDocPtr doc;
	xmlNodePtr root = new_doc(&doc, "disk"), drv;

	set(root, "type", "file");
	set(add(root, "source", NULL), "file", path);
	drv = add(root, "driver", NULL);
	set(drv, "name", "qemu");
	set(drv, "type", "qcow2");
	return xml_dump(doc);
}

char *xml_repoint_disk(const char *domxml, const char *disk, const char *path, const char *format)
{
	return xml_repoint_disk_to(domxml, disk, path, NULL, NULL, format);
}

char *xml_repoint_disk_to(const char *domxml, const char *disk, const char *path, const char *pool,
			  const char *volume, const char *format)
{
	xmlDocPtr doc = xml_read(domxml);
	xmlNodePtr devs, n, c, next, src;

	if (!doc || xml_bytewise(doc)) { /* written out, its bytes would change */
		xmlFreeDoc(doc);
		return NULL;
	}
	devs = xml_child(xmlDocGetRootElement(doc), "devices");
	for (n = devs ? devs->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "disk") &&
		    attr_is(xml_child(n, "target"), "dev", disk))
			break;
	if (!n) {
		xmlFreeDoc(doc);
		return NULL;
	}
	/* The old source and chain go; libvirt reads the new chain itself. */
	for (c = n->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE &&
		    (!strcmp((const char *)c->name, "source") || !strcmp((const char *)c->name, "backingStore"))) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	src = xmlNewNode(NULL, (const xmlChar *)"source");
	if (pool && volume) { /* a volume disk stays one */
		set(n, "type", "volume");
		set(src, "pool", pool);
		set(src, "volume", volume);
	} else {
		set(n, "type", "file");
		set(src, "file", path);
	}
	/* <source> right after <driver>, where libvirt writes it. */
	c = xml_child(n, "driver");
	if (c)
		xmlAddNextSibling(c, src);
	else
		xmlAddChild(n, src);
	if (!c)
		c = xmlAddPrevSibling(src, xmlNewNode(NULL, (const xmlChar *)"driver"));
	set(c, "name", "qemu");
	set(c, "type", format && *format ? format : "raw");
	return xml_dump(doc);
}

/* The text of the element at root/a/b's attribute (or text when attr is
 * NULL), as a malloc'd string or NULL. */
static char *read_at(const char *xml, const char *a, const char *b, const char *attr)
{
	xmlDocPtr doc = xml_read(xml);
	xmlNodePtr n;
	char *s;

	if (!doc)
		return NULL;
	n = xml_child(xmlDocGetRootElement(doc), a);
	s = attr ? xml_attr(xml_child(n, b), attr) : xml_child_text(n, b);
	xmlFreeDoc(doc);
	if (s && !*s) {
		free(s);
		s = NULL;
	}
	return s;
}

char *xml_vol_format(const char *volxml)
{
	return read_at(volxml, "target", "format", "type");
}

char *xml_vol_path(const char *volxml)
{
	return read_at(volxml, "target", "path", NULL);
}

char *xml_pool_target(const char *poolxml)
{
	return read_at(poolxml, "target", "path", NULL);
}
