/* Reading and writing libvirt's XML with libxml2. Internal to the backend;
 * unit tested on fixtures. */
#ifndef VMM_XML_H
#define VMM_XML_H

#include "backend/backend.h"

/* Parses the <disk device='disk'> elements of a domain XML, each with the
 * part of its backing chain the XML shows. Returns 0 (out filled, free
 * with be_disk_list_clear) or -1 when the XML does not parse. */
int xml_parse_disks(const char *domxml, struct be_disk_list *out);

/* Appends a layer to d. */
void xml_disk_push(struct be_disk *d, const char *path, const char *format);

/* Reads a storage volume XML's backing file. Returns 1 and sets *path and
 * *format (caller frees) when there is one, 0 when there is none, -1 when
 * the XML does not parse. */
int xml_vol_backing(const char *volxml, char **path, char **format);

/* Fills s from a snapshot XML (all but current). Returns 0 or -1; on
 * success the caller owns s's strings. */
int xml_parse_snapshot(const char *xml, struct be_snapshot *s);

/* A <domainsnapshot> with name and description (may be NULL or ""),
 * built with libxml2 so that any text is escaped. Caller frees. */
char *xml_snapshot_create(const char *name, const char *description);

#endif
