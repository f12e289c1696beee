/* A clone's definition from its source's, with libxml2: its own name, no
 * UUID and no MAC addresses (libvirt makes new ones when it defines it),
 * its own NVRAM file, its disks on their new files, and files the two
 * would otherwise share at run time (serial logs, sockets, a fixed VNC or
 * SPICE port) its own. CD-ROMs, read-only and shareable disks, and every
 * other device, stay as they are: referenced, not copied. */
#include <ctype.h>
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

/* Where the source's name src stands as a word of base (not inside one:
 * VM "a" in "serial.log" is no match), or NULL. */
static const char *word(const char *base, const char *src)
{
	size_t len = strlen(src);
	const char *at;

	for (at = len ? strstr(base, src) : NULL; at; at = strstr(at + 1, src))
		if ((at == base || !isalnum((unsigned char)at[-1])) && !isalnum((unsigned char)at[len]))
			return at;
	return NULL;
}

/* path named for the clone: the source's name in its file name replaced
 * by the clone's, or the clone's name put in front (caller frees). */
static char *renamed(const char *path, const char *src, const char *clone)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path, *at = word(base, src);
	size_t n = strlen(path) + strlen(clone) + 2;
	char *out = malloc(n);

	if (!out)
		return NULL;
	if (at)
		snprintf(out, n, "%.*s%s%s", (int)(at - path), path, clone, at + strlen(src));
	else
		snprintf(out, n, "%.*s%s-%s", (int)(base - path), path, clone, base);
	return out;
}

/* n's attribute attr, when it has one, renamed for the clone. */
static void rename_attr(xmlNodePtr n, const char *attr, const char *src, const char *clone)
{
	char *v = n ? xml_attr(n, attr) : NULL, *r = v ? renamed(v, src, clone) : NULL;

	if (r)
		xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)r);
	free(v);
	free(r);
}

/* Character devices write files and listen on sockets by path: the
 * clone's are its own, or the second VM to start fails or both write one
 * log. Graphics on a fixed port: the clone takes any free one. */
static void own_run_files(xmlNodePtr devs, const char *src, const char *clone)
{
	xmlNodePtr n;

	for (n = devs ? devs->children : NULL; n; n = n->next) {
		if (named(n, "serial") || named(n, "console") || named(n, "parallel") || named(n, "channel")) {
			char *type = xml_attr(n, "type");

			if (type && (!strcmp(type, "file") || !strcmp(type, "unix")))
				rename_attr(xml_child(n, "source"), "path", src, clone);
			free(type);
			rename_attr(xml_child(n, "log"), "file", src, clone);
		} else if (named(n, "graphics")) {
			char *autoport = xml_attr(n, "autoport"), *port = xml_attr(n, "port");

			if (port && strcmp(port, "-1") && (!autoport || strcmp(autoport, "yes"))) {
				xmlUnsetProp(n, (const xmlChar *)"port");
				xmlUnsetProp(n, (const xmlChar *)"tlsPort");
				xmlUnsetProp(n, (const xmlChar *)"websocket");
				xmlSetProp(n, (const xmlChar *)"autoport", (const xmlChar *)"yes");
			}
			free(autoport);
			free(port);
		}
	}
}

char *xml_clone_domain(const char *domxml, const char *name, const char *nvram)
{
	xmlDocPtr doc = xml_read(domxml);
	xmlNodePtr root, devs, n, os;
	char *src;

	if (!doc || xml_bytewise(doc)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	drop(xml_child(root, "uuid"));
	src = xml_child_text(root, "name");
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
	own_run_files(devs, src ? src : "", name);
	free(src);
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
