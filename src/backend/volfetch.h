/* Volume XMLs for walking backing chains through the storage API, read a
 * round at a time with what is likely needed next. Internal to the
 * backend. */
#ifndef VMM_VOLFETCH_H
#define VMM_VOLFETCH_H

#include <libvirt/libvirt.h>
#include <stdbool.h>

struct vol_fetch;

/* eager: one VM the operator waits for, worth listing a pool to read a
 * deep chain ahead; otherwise (scans of many VMs) volumes are read one by
 * one. */
struct vol_fetch *vf_new(virConnectPtr conn, bool eager);
void vf_free(struct vol_fetch *f);

/* The XML of the volume at path (caller frees), or NULL when no pool
 * knows it. depth: layers of this chain known so far. */
char *vf_xml(struct vol_fetch *f, const char *path, int depth);

#endif
