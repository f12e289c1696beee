/* How a new overlay file is named, in one place: the chain pane's `o`
 * offers it, an external snapshot makes its overlays and memory file by
 * it. */
#ifndef VMM_OVLNAME_H
#define VMM_OVLNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* "/dir/VM-WHAT-YYYYmmdd-HHMMSS.EXT" in the folder of beside (a path),
 * the VM's name with all but [A-Za-z0-9._-] as '_' (and cut to 127
 * bytes) so that a later overlay's name does not grow; what is the disk's
 * target or "mem". False, and buf "", when it would not fit n: never a
 * cut path, which would name a file elsewhere. */
bool ovlname_make(const char *beside, const char *vm, const char *what, const char *ext, time_t when, char *buf,
		  size_t n);
/* The same with the stamp given ("YYYYmmdd-HHMMSS"), for plans made
 * without a clock. */
bool ovlname_stamped(const char *beside, const char *vm, const char *what, const char *ext, const char *stamp,
		     char *buf, size_t n);

#endif
