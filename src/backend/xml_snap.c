/* What a revert to an external checkpoint reads from its XML beyond
 * xml_parse_snapshot: the VM definition it embeds, the one its memory is
 * restored with. */
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
