#include "backend/xml.h"
#include "backend/xml_util.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"

/* Marks a document read byte for byte (see xml_read). */
static int bytewise;

xmlDocPtr xml_read(const char *xml)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr doc;

	if (!xml)
		return NULL;
	doc = xmlReadMemory(xml, (int)strlen(xml), "libvirt.xml", NULL, opts);
	if (doc || xmlCheckUTF8((const xmlChar *)xml))
		return doc;
	/* libvirt hands out names and paths as the bytes it was given, which
	 * need not be UTF-8 (virsh domrename takes any). Read as Latin-1 each
	 * byte is one character, and xml_attr and xml_child_text give back the
	 * bytes as they were. */
	doc = xmlReadMemory(xml, (int)strlen(xml), "libvirt.xml", "ISO-8859-1", opts);
	if (doc)
		doc->_private = &bytewise;
	return doc;
}

/* A value of a document read byte for byte, back to its bytes. */
static char *value_of(xmlNodePtr n, const xmlChar *v)
{
	const unsigned char *p;
	char *s, *o;

	if (!v)
		return NULL;
	if (!n->doc || n->doc->_private != &bytewise)
		return xstrdup((const char *)v);
	s = o = xmalloc(strlen((const char *)v) + 1);
	for (p = v; *p; p++) {
		/* A character below 256, two bytes 110000xx 10xxxxxx, was one
		 * byte of the file; a character reference above (&#x20AC;)
		 * stays as libxml2 wrote it. */
		if ((p[0] == 0xC2 || p[0] == 0xC3) && (p[1] & 0xC0) == 0x80) {
			*o++ = (char)(((p[0] & 0x03) << 6) | (p[1] & 0x3F));
			p++;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return s;
}

bool xml_utf8(const char *s)
{
	return xmlCheckUTF8((const xmlChar *)s) != 0;
}

bool xml_bytewise(xmlDocPtr doc)
{
	return doc && doc->_private == &bytewise;
}

xmlNodePtr xml_child(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return n;
	return NULL;
}

char *xml_dump(xmlDocPtr doc)
{
	xmlChar *buf = NULL;
	int len = 0;
	char *out;

	xmlDocDumpMemoryEnc(doc, &buf, &len, "UTF-8");
	out = xstrdup(buf ? (const char *)buf : "");
	xmlFree(buf);
	xmlFreeDoc(doc);
	return out;
}

char *xml_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	char *s = value_of(n, v);

	xmlFree(v);
	return s;
}

char *xml_child_text(xmlNodePtr n, const char *name)
{
	xmlNodePtr c = xml_child(n, name);
	xmlChar *v = c ? xmlNodeGetContent(c) : NULL;
	char *s = value_of(c, v);

	xmlFree(v);
	return s;
}

/* Where a <source> points: a file, a block device, a network name or a
 * pool volume. */
static char *source_path(xmlNodePtr src)
{
	static const char *const keys[] = {"file", "dev", "name", "volume"};
	size_t i;
	char *s;

	for (i = 0; src && i < ARRAY_LEN(keys); i++)
		if ((s = xml_attr(src, keys[i])))
			return s;
	return NULL;
}

void xml_disk_push(struct be_disk *d, const char *path, const char *format)
{
	d->layers = xrealloc(d->layers, (d->nlayers + 1) * sizeof(*d->layers));
	d->layers[d->nlayers].path = xstrdup(path);
	d->layers[d->nlayers].format = xstrdup(format ? format : "");
	d->layers[d->nlayers].capacity = -1;
	d->layers[d->nlayers].allocation = -1;
	d->layers[d->nlayers].in_pool = false;
	d->layers[d->nlayers].missing = false;
	d->nlayers++;
}

bool xml_disk_backing(struct be_disk *d, const char *path, const char *format)
{
	size_t i;

	for (i = 0; i < d->nlayers; i++)
		if (!strcmp(d->layers[i].path, path)) {
			d->end = BE_END_LOOP;
			d->loop_to = i;
			return false;
		}
	if (d->nlayers >= BE_MAX_CHAIN) {
		d->end = BE_END_CUT;
		return false;
	}
	xml_disk_push(d, path, format);
	return true;
}

static void read_disk(xmlNodePtr disk, struct be_disk *d)
{
	xmlNodePtr n = disk, bs;
	bool pushed;
	char *path = source_path(xml_child(disk, "source"));
	char *fmt = xml_attr(xml_child(disk, "driver"), "type");

	d->target = xml_attr(xml_child(disk, "target"), "dev");
	if (!d->target)
		d->target = xstrdup("?");
	if (path)
		xml_disk_push(d, path, fmt);
	free(path);
	free(fmt);
	while ((bs = xml_child(n, "backingStore"))) {
		path = source_path(xml_child(bs, "source"));
		if (!path) {
			d->end = BE_END_COMPLETE; /* <backingStore/>: the chain ends */
			return;
		}
		fmt = xml_attr(xml_child(bs, "format"), "type");
		pushed = d->nlayers ? xml_disk_backing(d, path, fmt) : (xml_disk_push(d, path, fmt), true);
		free(path);
		free(fmt);
		if (!pushed)
			return; /* a loop or a chain too deep: no VM runs on it */
		n = bs;
	}
	/* A raw image cannot have a backing file. */
	if (d->nlayers && !strcmp(d->layers[d->nlayers - 1].format, "raw"))
		d->end = BE_END_COMPLETE;
}

/* A CD-ROM, floppy or LUN with a source: its file is in use. */
static void read_media(xmlNodePtr disk, struct be_disk_list *out)
{
	char *path = source_path(xml_child(disk, "source"));
	struct be_disk *m;

	if (!path)
		return; /* no media inserted */
	out->media = xrealloc(out->media, (out->nmedia + 1) * sizeof(*out->media));
	m = &out->media[out->nmedia++];
	memset(m, 0, sizeof(*m));
	m->target = xml_attr(xml_child(disk, "target"), "dev");
	if (!m->target)
		m->target = xstrdup("?");
	xml_disk_push(m, path, NULL);
	m->end = BE_END_COMPLETE;
	free(path);
}

int xml_parse_disks(const char *domxml, struct be_disk_list *out)
{
	xmlDocPtr doc = xml_read(domxml);
	xmlNodePtr devs, n;

	memset(out, 0, sizeof(*out));
	if (!doc)
		return -1;
	devs = xml_child(xmlDocGetRootElement(doc), "devices");
	for (n = devs ? devs->children : NULL; n; n = n->next) {
		char *dev;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		dev = xml_attr(n, "device");
		if (!dev || !strcmp(dev, "disk")) {
			out->d = xrealloc(out->d, (out->n + 1) * sizeof(*out->d));
			memset(&out->d[out->n], 0, sizeof(*out->d));
			read_disk(n, &out->d[out->n]);
			out->n++;
		} else {
			read_media(n, out);
		}
		free(dev);
	}
	xmlFreeDoc(doc);
	return 0;
}

char *xml_disk_mirror(const char *domxml, const char *disk)
{
	xmlDocPtr doc = xml_read(domxml);
	xmlNodePtr devs, n;
	char *found = NULL;

	if (!doc)
		return NULL;
	devs = xml_child(xmlDocGetRootElement(doc), "devices");
	for (n = devs ? devs->children : NULL; n && !found; n = n->next) {
		char *target;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		target = xml_attr(xml_child(n, "target"), "dev");
		if (target && !strcmp(target, disk))
			found = source_path(xml_child(xml_child(n, "mirror"), "source"));
		free(target);
	}
	xmlFreeDoc(doc);
	return found;
}

/* The number in element name below n, or -1. */
static long long child_number(xmlNodePtr n, const char *name)
{
	char *v = xml_child_text(n, name);
	long long x = v ? strtoll(v, NULL, 10) : -1;

	free(v);
	return x;
}

int xml_vol_sizes(const char *volxml, long long *capacity, long long *allocation)
{
	xmlDocPtr doc = xml_read(volxml);

	*capacity = *allocation = -1;
	if (!doc)
		return -1;
	*capacity = child_number(xmlDocGetRootElement(doc), "capacity");
	*allocation = child_number(xmlDocGetRootElement(doc), "allocation");
	xmlFreeDoc(doc);
	return 0;
}

int xml_vol_backing(const char *volxml, char **path, char **format)
{
	xmlDocPtr doc = xml_read(volxml);
	xmlNodePtr bs;

	*path = *format = NULL;
	if (!doc)
		return -1;
	bs = xml_child(xmlDocGetRootElement(doc), "backingStore");
	if (bs) {
		*path = xml_child_text(bs, "path");
		*format = xml_attr(xml_child(bs, "format"), "type");
	}
	xmlFreeDoc(doc);
	if (*path && !**path) {
		free(*path);
		*path = NULL;
	}
	return *path ? 1 : 0;
}

/* "vda internal, vdb no" from <disks>; sets *external when a disk is. */
static char *snapshot_disks(xmlNodePtr disks, bool *external)
{
	size_t len = 0, cap = 64;
	char *out = xcalloc(cap, 1);
	xmlNodePtr n;

	for (n = disks ? disks->children : NULL; n; n = n->next) {
		char *name, *mode;
		size_t need;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		name = xml_attr(n, "name");
		mode = xml_attr(n, "snapshot");
		if (mode && !strcmp(mode, "external"))
			*external = true;
		need = len + strlen(name ? name : "?") + strlen(mode ? mode : "default") + 4;
		if (need > cap) {
			cap = need * 2;
			out = xrealloc(out, cap);
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%s %s", len ? ", " : "", name ? name : "?",
					mode ? mode : "default");
		free(name);
		free(mode);
	}
	return out;
}

/* The source file of the disk of domain dom whose target is name, or
 * whose source is name (older XML names disks by path). */
static char *domain_disk_source(xmlNodePtr dom, const char *name)
{
	xmlNodePtr n, devs = xml_child(dom, "devices");
	char *found = NULL;

	for (n = devs ? devs->children : NULL; n && !found; n = n->next) {
		char *target, *src;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		target = xml_attr(xml_child(n, "target"), "dev");
		src = source_path(xml_child(n, "source"));
		if (src && ((target && !strcmp(target, name)) || !strcmp(src, name)))
			found = xstrdup(src);
		free(target);
		free(src);
	}
	return found;
}

static void push_file(struct be_snapshot *s, const char *disk, char *path, bool external)
{
	s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
	s->files[s->nfiles].disk = xstrdup(disk);
	s->files[s->nfiles].path = path;
	s->files[s->nfiles].external = external;
	s->nfiles++;
}

/* The files that hold the snapshot's disk state: for each disk it covers,
 * the source its own <domain> names. Without <disks>, every disk of that
 * domain, internally. */
static void snapshot_files(xmlNodePtr root, struct be_snapshot *s)
{
	xmlNodePtr dom = xml_child(root, "domain"), disks = xml_child(root, "disks"), n;

	if (!dom)
		return;
	if (!disks) {
		xmlNodePtr devs = xml_child(dom, "devices");

		for (n = devs ? devs->children : NULL; n; n = n->next) {
			char *target, *dev, *src;

			if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
				continue;
			dev = xml_attr(n, "device");
			target = xml_attr(xml_child(n, "target"), "dev");
			src = source_path(xml_child(n, "source"));
			if ((!dev || !strcmp(dev, "disk")) && target && src)
				push_file(s, target, src, false);
			else
				free(src);
			free(dev);
			free(target);
		}
		return;
	}
	for (n = disks->children; n; n = n->next) {
		char *name, *mode, *src;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		name = xml_attr(n, "name");
		mode = xml_attr(n, "snapshot");
		if (name && (!mode || (strcmp(mode, "no") && strcmp(mode, "manual"))) &&
		    (src = domain_disk_source(dom, name)))
			push_file(s, name, src,
				  mode ? !strcmp(mode, "external") : !strcmp(s->state, "disk-snapshot"));
		free(name);
		free(mode);
	}
}

int xml_parse_snapshot(const char *xml, struct be_snapshot *s)
{
	xmlDocPtr doc = xml_read(xml);
	xmlNodePtr root, mem;
	char *v;

	memset(s, 0, sizeof(*s));
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	s->name = xml_child_text(root, "name");
	if (!s->name) {
		xmlFreeDoc(doc);
		return -1;
	}
	s->parent = xml_child_text(xml_child(root, "parent"), "name");
	s->description = xml_child_text(root, "description");
	if (!s->description)
		s->description = xstrdup("");
	v = xml_child_text(root, "creationTime");
	s->ctime = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	v = xml_child_text(root, "state");
	str_copy(s->state, v ? v : "unknown", sizeof(s->state));
	free(v);
	mem = xml_child(root, "memory");
	v = xml_attr(mem, "snapshot");
	/* Older XML has no <memory>: a snapshot of a running VM held it. */
	s->memory = v ? strcmp(v, "no") != 0 : strcmp(s->state, "running") == 0 || strcmp(s->state, "paused") == 0;
	s->external = v && !strcmp(v, "external");
	free(v);
	s->disks = snapshot_disks(xml_child(root, "disks"), &s->external);
	snapshot_files(root, s);
	xmlFreeDoc(doc);
	return 0;
}

char *xml_snapshot_create(const char *name, const char *description)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"domainsnapshot");

	xmlDocSetRootElement(doc, root);
	/* xmlNewTextChild escapes its text; xmlNewChild would not. */
	xmlNewTextChild(root, NULL, (const xmlChar *)"name", (const xmlChar *)name);
	if (description && *description)
		xmlNewTextChild(root, NULL, (const xmlChar *)"description", (const xmlChar *)description);
	return xml_dump(doc);
}
