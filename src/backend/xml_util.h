/* libxml2 helpers the backend's XML files (xml.c, xml_edit.c) share. */
#ifndef VMM_XML_UTIL_H
#define VMM_XML_UTIL_H

#include <libxml/tree.h>
#include <stdbool.h>

/* Parses libvirt XML quietly, without the network; NULL for NULL or XML
 * that does not parse. XML that is not UTF-8 (a name given to libvirt as
 * other bytes) is read byte for byte: values come back as the same bytes.
 * Free with xmlFreeDoc. */
xmlDocPtr xml_read(const char *xml);
/* True for a document xml_read read byte for byte: writing it out again
 * would change its bytes. */
bool xml_bytewise(xmlDocPtr doc);
/* The first element child of n named name, or NULL. */
xmlNodePtr xml_child(xmlNodePtr n, const char *name);
/* An attribute's value, the text of a named child: malloc'd, or NULL. */
char *xml_attr(xmlNodePtr n, const char *name);
char *xml_child_text(xmlNodePtr n, const char *name);
/* The document as a malloc'd UTF-8 string; frees doc. */
char *xml_dump(xmlDocPtr doc);

#endif
