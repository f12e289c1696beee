/* What a revert to or a delete of an external snapshot reads from its
 * XML beyond xml_parse_snapshot: the VM definition it embeds (the one a
 * checkpoint's memory is restored with) and the overlays it made. */
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "backend/xml_util.h"
#include "shared/util.h"

char *xml_snapshot_domain(const char *snapxml)
{
	xmlDocPtr doc = xml_read(snapxml), out;
	xmlNodePtr dom;

	if (!doc || xml_bytewise(doc)) { /* written out, its bytes would change */
		xmlFreeDoc(doc);
		return NULL;
	}
	dom = xml_child(xmlDocGetRootElement(doc), "domain");
	if (!dom) {
		xmlFreeDoc(doc);
		return NULL;
	}
	out = xmlNewDoc((const xmlChar *)"1.0");
	xmlDocSetRootElement(out, xmlDocCopyNode(dom, out, 1));
	xmlFreeDoc(doc);
	return xml_dump(out);
}

char *xml_snapshot_overlay(const char *snapxml, const char *disk)
{
	xmlDocPtr doc = xml_read(snapxml);
	xmlNodePtr disks, n;
	char *path = NULL;

	disks = doc ? xml_child(xmlDocGetRootElement(doc), "disks") : NULL;
	for (n = disks ? disks->children : NULL; n && !path; n = n->next) {
		char *name, *mode;

		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "disk"))
			continue;
		name = xml_attr(n, "name");
		mode = xml_attr(n, "snapshot");
		if (name && mode && !strcmp(name, disk) && !strcmp(mode, "external"))
			path = xml_attr(xml_child(n, "source"), "file");
		free(name);
		free(mode);
	}
	xmlFreeDoc(doc);
	if (path && !*path) {
		free(path);
		path = NULL;
	}
	return path;
}
