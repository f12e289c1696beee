/* How a disk layer is described on every screen and in --print. */
#ifndef VMM_LAYER_H
#define VMM_LAYER_H

#include <stddef.h>

#include "backend/types.h"

/* "/img/top.qcow2 (qcow2, 10.0 GiB virtual, 1.2 GiB used)", or, for a
 * layer no storage pool knows, what the XML says and that it is unknown. */
char *layer_label(const struct be_layer *l, char *buf, size_t n);
/* The same, whole however long the path; the caller frees it. */
char *layer_label_dup(const struct be_layer *l);

/* "qcow2", "raw, block device", "qcow2, volume v.img of dir pool p",
 * "raw, network disk": a layer's format and, unless it is a plain file,
 * what it is. In buf. */
const char *layer_kind(const struct be_layer *l, char *buf, size_t n);
/* What d is beyond a writable disk, "" for one: "cdrom", "floppy,
 * read-only", "read-only, shareable". In buf. */
const char *layer_disk_marks(const struct be_disk *d, char *buf, size_t n);

/* The note below a chain that libvirt does not know to its end. */
#define LAYER_UNKNOWN_BELOW "(libvirt knows nothing below this layer)"

/* The note below d's last layer saying how its chain ends, in buf; NULL
 * when it ends in its base (no note). For a disk with no layer, what
 * stands in its place: "(no medium)", "(no source)". */
const char *layer_end_note(const struct be_disk *d, char *buf, size_t n);

#endif
