/* Reading and writing libvirt's XML with libxml2. Internal to the backend;
 * unit tested on fixtures. */
#ifndef VMM_XML_H
#define VMM_XML_H

#include "backend/types.h"

/* Parses the <disk> elements of a domain XML (disks, CD-ROMs, floppies,
 * LUNs), each with what it is and the part of its backing chain the XML
 * shows. A volume's path is "POOL/VOLUME" until be_resolve_disks. Returns
 * 0 (out filled, free with be_disk_list_clear) or -1 when the XML does
 * not parse. */
int xml_parse_disks(const char *domxml, struct be_disk_list *out);

/* The file a running block job of disk mirrors to (an active commit's
 * base, a copy's destination), from the live XML; NULL when none. */
char *xml_disk_mirror(const char *domxml, const char *disk);

/* An attribute of the root element of xml (a pool's type), or NULL. */
char *xml_root_attr(const char *xml, const char *name);

/* True when s is valid UTF-8. */
bool xml_utf8(const char *s);

/* Appends a layer to d. */
void xml_disk_push(struct be_disk *d, const char *path, const char *format);
/* Appends path, which d's last layer names as its backing file, unless
 * that ends the chain: a layer already in it (d->end BE_END_LOOP) or one
 * more than BE_MAX_CHAIN (BE_END_CUT). Returns true when appended. */
bool xml_disk_backing(struct be_disk *d, const char *path, const char *format);

/* Reads a storage volume XML's backing file. Returns 1 and sets *path and
 * *format (caller frees) when there is one, 0 when there is none, -1 when
 * the XML does not parse. */
int xml_vol_backing(const char *volxml, char **path, char **format);

/* A volume XML's capacity and allocation in bytes (libvirt writes them in
 * bytes), -1 where absent. Returns -1 when the XML does not parse. */
int xml_vol_sizes(const char *volxml, long long *capacity, long long *allocation);

/* Fills s from a snapshot XML (all but current). Returns 0 or -1; on
 * success the caller owns s's strings. */
int xml_parse_snapshot(const char *xml, struct be_snapshot *s);

/* A <domainsnapshot> with name and description (may be NULL or ""),
 * built with libxml2 so that any text is escaped. Caller frees. */
char *xml_snapshot_create(const char *name, const char *description);
/* The same, leaving out the disks named in left_out (n of them). */
char *xml_snapshot_create_leaving(const char *name, const char *description, const char *const *left_out, size_t n);

/* In xml_snapext.c. One disk of an external snapshot: its target and
 * the new overlay file it gets, or overlay NULL for snapshot='no' (left
 * out: be_disk_allows BE_USE_EXTERNAL). */
struct xml_snapext_disk {
	const char *target, *overlay;
};
/* The <domainsnapshot> of an external snapshot named name: each of the n
 * disks external onto its overlay (qcow2) or left out; the memory into
 * memfile, or none (memfile NULL: disk-only). NULL when a text given is
 * not UTF-8. Caller frees. */
char *xml_snapshot_external(const char *name, const char *description, const struct xml_snapext_disk *disks,
			    size_t n, const char *memfile);

/* In xml_edit.c. Each returns a malloc'd string (or NULL on failure). */

/* A disk-only external snapshot of disk onto path; the VM's other disks
 * (all of disks) take no part. */
char *xml_overlay_snapshot(const struct be_disk_list *disks, const char *disk, const char *path);

/* A qcow2 volume named name backed by backing (of format backing_fmt);
 * backing NULL: with no backing store. */
char *xml_overlay_volume(const char *name, unsigned long long capacity, const char *backing,
			 const char *backing_fmt);

/* The destination of a full block copy: a qcow2 file at path. */
char *xml_copy_dest(const char *path);

/* domxml with disk's source set to the file path of format, its old
 * <backingStore> dropped; NULL when the XML has no such disk or is not
 * UTF-8 (xml_utf8). */
char *xml_repoint_disk(const char *domxml, const char *disk, const char *path, const char *format);
/* The same; with pool and volume set, the disk becomes (or stays) a
 * volume disk of that pool's volume instead of the file path. */
char *xml_repoint_disk_to(const char *domxml, const char *disk, const char *path, const char *pool,
			  const char *volume, const char *format);

/* In xml_clone.c. The definition of a clone named name of the VM domxml
 * defines: no <uuid> and no interface <mac> (libvirt makes new ones), its
 * <nvram> file nvram (NULL: none named, libvirt makes one from its
 * template); its disks as they are (repoint them with xml_repoint_disk).
 * NULL when the XML does not parse or is not UTF-8. */
char *xml_clone_domain(const char *domxml, const char *name, const char *nvram);
/* A volume named name of capacity bytes in format, with no backing file:
 * made from another volume (virStorageVolCreateXMLFrom), a copy of all
 * that volume's chain shows, flattened. */
char *xml_copy_volume(const char *name, unsigned long long capacity, const char *format);
/* The <os><nvram> file of a domain XML, or NULL. */
char *xml_nvram_path(const char *domxml);

/* A volume XML's format and path, a pool XML's folder; NULL when absent. */
char *xml_vol_format(const char *volxml);
char *xml_vol_path(const char *volxml);
char *xml_pool_target(const char *poolxml);

/* In xml_snap.c. The <domain> a snapshot's XML embeds, as a document of
 * its own (caller frees), or NULL. */
char *xml_snapshot_domain(const char *snapxml);

#endif
