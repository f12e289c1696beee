/* libvirt's XML read and written with libxml2 (xml.h): a domain's disks
 * and their backing chains, volumes, snapshots. */
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

char *xml_root_attr(const char *xml, const char *name)
{
	xmlDocPtr doc = xml_read(xml);
	char *v = doc ? xml_attr(xmlDocGetRootElement(doc), name) : NULL;

	xmlFreeDoc(doc);
	return v;
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

/* What the <source> of a <disk>, <backingStore> or <mirror> names, by
 * that element's type. */
struct source {
	enum be_src_type type;
	char *path; /* as be_layer.path says; NULL for no source */
	char *pool, *volume;
	char *protocol, *name, *hosts;
};

static void source_free(struct source *s)
{
	free(s->path);
	free(s->pool);
	free(s->volume);
	free(s->protocol);
	free(s->name);
	free(s->hosts);
	memset(s, 0, sizeof(*s));
}

static enum be_src_type src_type(xmlNodePtr holder)
{
	static const struct {
		const char *name;
		enum be_src_type type;
	} types[] = {{"file", BE_SRC_FILE},	  {"block", BE_SRC_BLOCK}, {"volume", BE_SRC_VOLUME},
		     {"network", BE_SRC_NETWORK}, {"dir", BE_SRC_DIR}};
	char *t = xml_attr(holder, "type");
	enum be_src_type type = t ? BE_SRC_OTHER : BE_SRC_FILE;
	size_t i;

	for (i = 0; t && i < ARRAY_LEN(types); i++)
		if (!strcmp(t, types[i].name))
			type = types[i].type;
	free(t);
	return type;
}

/* Appends s to *buf (of *len bytes, malloc'd). */
static void cat(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* "mon1:6789,mon2" or "unix:/run/nbd.sock" from the <host>s of src. */
static char *network_hosts(xmlNodePtr src)
{
	char *out = NULL;
	size_t len = 0;
	xmlNodePtr h;

	for (h = src->children; h; h = h->next) {
		char *name, *port, *transport, *socket;

		if (h->type != XML_ELEMENT_NODE || strcmp((const char *)h->name, "host"))
			continue;
		name = xml_attr(h, "name");
		port = xml_attr(h, "port");
		transport = xml_attr(h, "transport");
		socket = xml_attr(h, "socket");
		if (len)
			cat(&out, &len, ",");
		if ((transport && !strcmp(transport, "unix")) || socket) {
			cat(&out, &len, "unix:");
			cat(&out, &len, socket ? socket : "");
		} else {
			cat(&out, &len, name ? name : "");
			if (port) {
				cat(&out, &len, ":");
				cat(&out, &len, port);
			}
		}
		if (!len) /* a <host/> with nothing in it */
			cat(&out, &len, "?");
		free(name);
		free(port);
		free(transport);
		free(socket);
	}
	return out;
}

/* Reads the source of holder into s; false when it has none. */
static bool read_source(xmlNodePtr holder, struct source *s)
{
	static const char *const keys[] = {"file", "dev", "dir", "name", "volume"};
	xmlNodePtr src = xml_child(holder, "source");
	size_t i, len = 0;

	memset(s, 0, sizeof(*s));
	s->type = src_type(holder);
	if (!src)
		return false;
	switch (s->type) {
	case BE_SRC_FILE: s->path = xml_attr(src, "file"); break;
	case BE_SRC_BLOCK: s->path = xml_attr(src, "dev"); break;
	case BE_SRC_DIR: s->path = xml_attr(src, "dir"); break;
	case BE_SRC_VOLUME:
		s->pool = xml_attr(src, "pool");
		s->volume = xml_attr(src, "volume");
		if (!s->pool || !s->volume)
			break;
		/* Until resolved through its pool (be_resolve_disks). */
		cat(&s->path, &len, s->pool);
		cat(&s->path, &len, "/");
		cat(&s->path, &len, s->volume);
		break;
	case BE_SRC_NETWORK:
		s->protocol = xml_attr(src, "protocol");
		s->name = xml_attr(src, "name");
		s->hosts = network_hosts(src);
		/* rbd:pool/image@mon1: never a path of this host. */
		cat(&s->path, &len, s->protocol ? s->protocol : "network");
		cat(&s->path, &len, ":");
		cat(&s->path, &len, s->name ? s->name : "");
		if (s->hosts) {
			cat(&s->path, &len, "@");
			cat(&s->path, &len, s->hosts);
		}
		break;
	case BE_SRC_OTHER:
		for (i = 0; !s->path && i < ARRAY_LEN(keys); i++)
			s->path = xml_attr(src, keys[i]);
		break;
	}
	if (!s->path)
		source_free(s); /* a volume with no pool or volume named */
	return s->path != NULL;
}

/* Gives layer l what s names (s is emptied). */
static void take_source(struct be_layer *l, struct source *s)
{
	l->type = s->type;
	l->pool = s->pool;
	l->volume = s->volume;
	l->protocol = s->protocol;
	l->name = s->name;
	l->hosts = s->hosts;
	s->pool = s->volume = s->protocol = s->name = s->hosts = NULL;
	source_free(s);
}

/* Where a <source> points, whatever its type; NULL for none. */
static char *source_path(xmlNodePtr holder)
{
	struct source s;
	char *path;

	if (!read_source(holder, &s))
		return NULL;
	path = s.path;
	s.path = NULL;
	source_free(&s);
	return path;
}

void xml_disk_push(struct be_disk *d, const char *path, const char *format)
{
	struct be_layer *l;

	d->layers = xrealloc(d->layers, (d->nlayers + 1) * sizeof(*d->layers));
	l = &d->layers[d->nlayers++];
	memset(l, 0, sizeof(*l));
	l->path = xstrdup(path);
	l->format = xstrdup(format ? format : "");
	l->capacity = -1;
	l->allocation = -1;
	l->type = BE_SRC_FILE;
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

static enum be_device device_of(xmlNodePtr disk)
{
	char *dev = xml_attr(disk, "device");
	enum be_device d = !dev || !strcmp(dev, "disk") ? BE_DEV_DISK
			   : !strcmp(dev, "cdrom")	    ? BE_DEV_CDROM
			   : !strcmp(dev, "floppy")	    ? BE_DEV_FLOPPY
			   : !strcmp(dev, "lun")	    ? BE_DEV_LUN
							    : BE_DEV_DISK;

	free(dev);
	return d;
}

static void read_disk(xmlNodePtr disk, struct be_disk *d)
{
	xmlNodePtr n = disk, bs;
	bool pushed;
	struct source src;
	char *fmt = xml_attr(xml_child(disk, "driver"), "type");

	d->target = xml_attr(xml_child(disk, "target"), "dev");
	if (!d->target)
		d->target = xstrdup("?");
	d->device = device_of(disk);
	d->type = src_type(disk);
	d->readonly = xml_child(disk, "readonly") || d->device == BE_DEV_CDROM;
	d->shareable = xml_child(disk, "shareable") != NULL;
	if (read_source(disk, &src)) {
		xml_disk_push(d, src.path, fmt);
		take_source(&d->layers[0], &src);
	}
	free(fmt);
	/* A CD-ROM's, floppy's or LUN's medium is only read, and a folder
	 * has no backing file: their chains are not followed. */
	if (d->device != BE_DEV_DISK || d->type == BE_SRC_DIR) {
		d->end = BE_END_COMPLETE;
		return;
	}
	while ((bs = xml_child(n, "backingStore"))) {
		if (!read_source(bs, &src)) {
			d->end = BE_END_COMPLETE; /* <backingStore/>: the chain ends */
			return;
		}
		fmt = xml_attr(xml_child(bs, "format"), "type");
		pushed = d->nlayers ? xml_disk_backing(d, src.path, fmt) : (xml_disk_push(d, src.path, fmt), true);
		if (pushed)
			take_source(&d->layers[d->nlayers - 1], &src);
		source_free(&src);
		free(fmt);
		if (!pushed)
			return; /* a loop or a chain too deep: no VM runs on it */
		n = bs;
	}
	/* A raw image cannot have a backing file. */
	if (d->nlayers && !strcmp(d->layers[d->nlayers - 1].format, "raw"))
		d->end = BE_END_COMPLETE;
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
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		out->d = xrealloc(out->d, (out->n + 1) * sizeof(*out->d));
		memset(&out->d[out->n], 0, sizeof(*out->d));
		read_disk(n, &out->d[out->n]);
		out->n++;
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
			found = source_path(xml_child(n, "mirror"));
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

/* The source of the disk of domain dom whose target is name, or whose
 * source is name (older XML names disks by path); false for none. */
static bool domain_disk_source(xmlNodePtr dom, const char *name, struct source *found)
{
	xmlNodePtr n, devs = xml_child(dom, "devices");

	for (n = devs ? devs->children : NULL; n; n = n->next) {
		char *target;
		bool is;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk") || !read_source(n, found))
			continue;
		target = xml_attr(xml_child(n, "target"), "dev");
		is = (target && !strcmp(target, name)) || !strcmp(found->path, name);
		free(target);
		if (is)
			return true;
		source_free(found);
	}
	return false;
}

/* Adds the file of src (emptied) to s. */
static void push_file(struct be_snapshot *s, const char *disk, struct source *src, bool external)
{
	struct be_snap_file *f;

	s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
	f = &s->files[s->nfiles++];
	f->disk = xstrdup(disk);
	f->path = src->path;
	f->external = external;
	f->type = src->type;
	f->pool = src->pool;
	f->volume = src->volume;
	f->overlay = NULL;
	src->path = src->pool = src->volume = NULL;
	source_free(src);
}

/* The files that hold the snapshot's disk state: for each disk it covers,
 * the source its own <domain> names. Without <disks>, every disk of that
 * domain, internally. */
static void snapshot_files(xmlNodePtr root, struct be_snapshot *s)
{
	xmlNodePtr dom = xml_child(root, "domain"), disks = xml_child(root, "disks"), n;
	struct source src;

	if (!dom)
		return;
	if (!disks) {
		xmlNodePtr devs = xml_child(dom, "devices");

		for (n = devs ? devs->children : NULL; n; n = n->next) {
			char *target;

			if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk") ||
			    device_of(n) != BE_DEV_DISK || !read_source(n, &src))
				continue;
			target = xml_attr(xml_child(n, "target"), "dev");
			if (target)
				push_file(s, target, &src, false);
			source_free(&src);
			free(target);
		}
		return;
	}
	for (n = disks->children; n; n = n->next) {
		char *name, *mode;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		name = xml_attr(n, "name");
		mode = xml_attr(n, "snapshot");
		if (name && (!mode || (strcmp(mode, "no") && strcmp(mode, "manual"))) &&
		    domain_disk_source(dom, name, &src)) {
			push_file(s, name, &src, mode ? !strcmp(mode, "external") : !strcmp(s->state, "disk-snapshot"));
			/* The overlay it made: the source its <disks> names (the
			 * <domain> names the file it froze). */
			if (s->files[s->nfiles - 1].external && read_source(n, &src)) {
				s->files[s->nfiles - 1].overlay = src.path;
				src.path = NULL;
				source_free(&src);
			}
		}
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
	s->memfile = s->external ? xml_attr(mem, "file") : NULL;
	s->disks = snapshot_disks(xml_child(root, "disks"), &s->external);
	snapshot_files(root, s);
	xmlFreeDoc(doc);
	return 0;
}

char *xml_snapshot_create(const char *name, const char *description)
{
	return xml_snapshot_create_leaving(name, description, NULL, 0);
}

char *xml_snapshot_create_leaving(const char *name, const char *description, const char *const *left_out, size_t n)
{
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"domainsnapshot"), disks, d;
	size_t i;

	xmlDocSetRootElement(doc, root);
	/* xmlNewTextChild escapes its text; xmlNewChild would not. */
	xmlNewTextChild(root, NULL, (const xmlChar *)"name", (const xmlChar *)name);
	if (description && *description)
		xmlNewTextChild(root, NULL, (const xmlChar *)"description", (const xmlChar *)description);
	if (n) {
		/* The others get libvirt's default: internal. */
		disks = xmlNewChild(root, NULL, (const xmlChar *)"disks", NULL);
		for (i = 0; i < n; i++) {
			d = xmlNewChild(disks, NULL, (const xmlChar *)"disk", NULL);
			xmlSetProp(d, (const xmlChar *)"name", (const xmlChar *)left_out[i]);
			xmlSetProp(d, (const xmlChar *)"snapshot", (const xmlChar *)"no");
		}
	}
	return xml_dump(doc);
}
