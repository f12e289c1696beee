/* Volume XMLs for walking backing chains through the storage API, read a
 * round at a time with what is likely needed next. Internal to the
 * backend. */
#ifndef VMM_VOLFETCH_H
#define VMM_VOLFETCH_H

#include <libvirt/libvirt.h>
#include <stdbool.h>
#include <stddef.h>

struct vol_fetch;

/* eager: one VM the operator waits for: a deep chain's volumes are read
 * ahead. Otherwise (scans of many VMs) they are read one by one. */
struct vol_fetch *vf_new(virConnectPtr conn, bool eager);
void vf_free(struct vol_fetch *f);

/* Another disk's chain begins. */
void vf_next_disk(struct vol_fetch *f);

/* The XML of the volume at path (caller frees), or NULL when no pool
 * knows it. depth: layers of this chain known so far, path the last. */
char *vf_xml(struct vol_fetch *f, const char *path, size_t depth);

#endif
