/* Volume XMLs for walking backing chains through the storage API, read a
 * round at a time with what is likely needed next. Internal to the
 * backend. */
#ifndef VMM_VOLFETCH_H
#define VMM_VOLFETCH_H

#include <libvirt/libvirt.h>
#include <stdbool.h>
#include <stddef.h>

struct vol_fetch;
struct vol_cat;

/* Every active pool's volumes, listed once for a load of many VMs
 * (be_vms_details), in a thread of its own so that the listing rides
 * beside the VMs' own first calls: their keys (the paths, for file-based
 * pools) then save each layer's lookup by path. Only a cache of handles:
 * a path it does not hold (in no pool, spelled otherwise, made since) is
 * looked up as without it, so what no pool knows stays unknown. */
struct vol_cat *vc_new(virConnectPtr conn);
/* Waits for the listing; NULL frees nothing. */
void vc_free(struct vol_cat *cat);
/* The volume whose key is path, owned by cat, or NULL; waits until the
 * listing is done. */
virStorageVolPtr vc_find(struct vol_cat *cat, const char *path);
/* Volumes cat holds (for tests); waits until the listing is done. */
size_t vc_count(struct vol_cat *cat);

/* eager: one VM the operator waits for: a deep chain's volumes are read
 * ahead. Otherwise (scans of many VMs) they are read one by one. */
struct vol_fetch *vf_new(virConnectPtr conn, bool eager);
void vf_free(struct vol_fetch *f);

/* Layers not read ahead are found in cat first (it stays the
 * caller's). */
void vf_use_catalog(struct vol_fetch *f, struct vol_cat *cat);

/* Another disk's chain begins. */
void vf_next_disk(struct vol_fetch *f);

/* The XML of the volume at path (caller frees), or NULL when no pool
 * knows it. depth: layers of this chain known so far, path the last. */
char *vf_xml(struct vol_fetch *f, const char *path, size_t depth);

#endif
