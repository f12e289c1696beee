/* libxml2 helpers the backend's XML files (xml.c, xml_edit.c) share. */
#ifndef VMM_XML_UTIL_H
#define VMM_XML_UTIL_H

#include <libxml/tree.h>

/* Parses libvirt XML quietly, without the network; NULL for NULL or XML
 * that does not parse. Free with xmlFreeDoc. */
xmlDocPtr xml_read(const char *xml);
/* The first element child of n named name, or NULL. */
xmlNodePtr xml_child(xmlNodePtr n, const char *name);
/* An attribute's value, the text of a named child: malloc'd, or NULL. */
char *xml_attr(xmlNodePtr n, const char *name);
char *xml_child_text(xmlNodePtr n, const char *name);
/* The document as a malloc'd UTF-8 string; frees doc. */
char *xml_dump(xmlDocPtr doc);

#endif
