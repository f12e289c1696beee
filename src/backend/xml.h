/* Reading libvirt's XML with libxml2. Internal to the backend. */
#ifndef VMM_XML_H
#define VMM_XML_H

#include <stdbool.h>
#include <stddef.h>

/* One disk of a domain and the part of its backing chain the XML shows. */
struct xml_disk {
	char *target; /* "vda" */
	char **layers; /* layers[0] is the active layer's source */
	char **formats;
	size_t nlayers;
	bool complete; /* the XML shows where the chain ends */
};

/* Parses the <disk device='disk'> elements of a domain XML. Returns the
 * number of disks (out owned by the caller, free with xml_disks_free) or
 * -1 when the XML does not parse. */
int xml_parse_disks(const char *domxml, struct xml_disk **out);
void xml_disks_free(struct xml_disk *d, int n);

/* Reads a storage volume XML's backing file. Returns 1 and sets *path and
 * *format (caller frees) when there is one, 0 when there is none, -1 when
 * the XML does not parse. */
int xml_vol_backing(const char *volxml, char **path, char **format);

/* Appends a layer to d. */
void xml_disk_push(struct xml_disk *d, const char *path, const char *format);

#endif
