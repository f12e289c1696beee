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

/* The note below a chain that libvirt does not know to its end. */
#define LAYER_UNKNOWN_BELOW "(libvirt knows nothing below this layer)"

/* The note below d's last layer saying how its chain ends, in buf; NULL
 * when it ends in its base (no note). */
const char *layer_end_note(const struct be_disk *d, char *buf, size_t n);

#endif
