#include "backend/xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static xmlDocPtr parse(const char *xml)
{
	if (!xml)
		return NULL;
	return xmlReadMemory(xml, (int)strlen(xml), "libvirt.xml", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return n;
	return NULL;
}

/* The attribute's value as a malloc'd string, or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	char *s = v ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

/* Text content of the named child, or NULL. */
static char *child_text(xmlNodePtr n, const char *name)
{
	xmlNodePtr c = child(n, name);
	xmlChar *v = c ? xmlNodeGetContent(c) : NULL;
	char *s = v ? xstrdup((const char *)v) : NULL;

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
		if ((s = attr(src, keys[i])))
			return s;
	return NULL;
}

void xml_disk_push(struct xml_disk *d, const char *path, const char *format)
{
	d->layers = xrealloc(d->layers, (d->nlayers + 1) * sizeof(*d->layers));
	d->formats = xrealloc(d->formats, (d->nlayers + 1) * sizeof(*d->formats));
	d->layers[d->nlayers] = xstrdup(path);
	d->formats[d->nlayers] = xstrdup(format ? format : "");
	d->nlayers++;
}

static void read_disk(xmlNodePtr disk, struct xml_disk *d)
{
	xmlNodePtr n = disk, bs;
	char *path = source_path(child(disk, "source"));
	char *fmt = attr(child(disk, "driver"), "type");

	d->target = attr(child(disk, "target"), "dev");
	if (!d->target)
		d->target = xstrdup("?");
	if (path)
		xml_disk_push(d, path, fmt);
	free(path);
	free(fmt);
	while ((bs = child(n, "backingStore"))) {
		path = source_path(child(bs, "source"));
		if (!path) {
			d->complete = true; /* <backingStore/>: the chain ends */
			return;
		}
		fmt = attr(child(bs, "format"), "type");
		xml_disk_push(d, path, fmt);
		free(path);
		free(fmt);
		n = bs;
	}
	/* A raw image cannot have a backing file. */
	if (d->nlayers && !strcmp(d->formats[d->nlayers - 1], "raw"))
		d->complete = true;
}

int xml_parse_disks(const char *domxml, struct xml_disk **out)
{
	xmlDocPtr doc = parse(domxml);
	xmlNodePtr devs, n;
	int count = 0;

	*out = NULL;
	if (!doc)
		return -1;
	devs = child(xmlDocGetRootElement(doc), "devices");
	for (n = devs ? devs->children : NULL; n; n = n->next) {
		char *dev;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		dev = attr(n, "device");
		if (!dev || !strcmp(dev, "disk")) {
			*out = xrealloc(*out, (size_t)(count + 1) * sizeof(**out));
			memset(&(*out)[count], 0, sizeof(**out));
			read_disk(n, &(*out)[count]);
			count++;
		}
		free(dev);
	}
	xmlFreeDoc(doc);
	return count;
}

void xml_disks_free(struct xml_disk *d, int n)
{
	int i;
	size_t j;

	for (i = 0; d && i < n; i++) {
		for (j = 0; j < d[i].nlayers; j++) {
			free(d[i].layers[j]);
			free(d[i].formats[j]);
		}
		free(d[i].layers);
		free(d[i].formats);
		free(d[i].target);
	}
	free(d);
}

int xml_vol_backing(const char *volxml, char **path, char **format)
{
	xmlDocPtr doc = parse(volxml);
	xmlNodePtr bs;

	*path = *format = NULL;
	if (!doc)
		return -1;
	bs = child(xmlDocGetRootElement(doc), "backingStore");
	if (bs) {
		*path = child_text(bs, "path");
		*format = attr(child(bs, "format"), "type");
	}
	xmlFreeDoc(doc);
	if (*path && !**path) {
		free(*path);
		*path = NULL;
	}
	return *path ? 1 : 0;
}
