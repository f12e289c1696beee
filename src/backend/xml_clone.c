/* A clone's definition from its source's, with libxml2: its own name, no
 * UUID and no MAC addresses (libvirt makes new ones when it defines it),
 * its own NVRAM file, and its disks on their new files. CD-ROMs,
 * read-only and shareable disks, and every other device, stay as they
 * are: referenced, not copied. */
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "backend/xml_util.h"

static void drop(xmlNodePtr n)
{
	if (n) {
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
}

static bool named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

char *xml_nvram_path(const char *domxml)
{
	xmlDocPtr doc = xml_read(domxml);
	xmlNodePtr os;
	char *path;

	if (!doc)
		return NULL;
	os = xml_child(xmlDocGetRootElement(doc), "os");
	path = os ? xml_child_text(os, "nvram") : NULL;
	xmlFreeDoc(doc);
	if (path && !*path) {
		free(path);
		path = NULL;
	}
	return path;
}

char *xml_clone_domain(const char *domxml, const char *name, const char *nvram)
{
	xmlDocPtr doc = xml_read(domxml);
	xmlNodePtr root, devs, n, os;

	if (!doc || xml_bytewise(doc)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	drop(xml_child(root, "uuid"));
	/* xmlNodeSetContent would take entities in the name as markup. */
	n = xml_child(root, "name");
	if (!n)
		n = xmlNewChild(root, NULL, (const xmlChar *)"name", NULL);
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, (const xmlChar *)name);
	devs = xml_child(root, "devices");
	for (n = devs ? devs->children : NULL; n; n = n->next)
		if (named(n, "interface"))
			drop(xml_child(n, "mac"));
	os = xml_child(root, "os");
	n = os ? xml_child(os, "nvram") : NULL;
	if (n) {
		xmlNodeSetContent(n, NULL);
		if (nvram)
			xmlNodeAddContent(n, (const xmlChar *)nvram);
	}
	return xml_dump(doc);
}

char *xml_copy_volume(const char *name, unsigned long long capacity, const char *format)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"volume"), n;
	char cap[32];

	xmlDocSetRootElement(doc, root);
	xmlNewTextChild(root, NULL, (const xmlChar *)"name", (const xmlChar *)name);
	snprintf(cap, sizeof(cap), "%llu", capacity);
	n = xmlNewTextChild(root, NULL, (const xmlChar *)"capacity", (const xmlChar *)cap);
	xmlSetProp(n, (const xmlChar *)"unit", (const xmlChar *)"bytes");
	n = xmlNewChild(xmlNewChild(root, NULL, (const xmlChar *)"target", NULL), NULL, (const xmlChar *)"format", NULL);
	xmlSetProp(n, (const xmlChar *)"type", (const xmlChar *)format);
	return xml_dump(doc);
}
