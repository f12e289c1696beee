/* Where a list stands: its selected row and the first row shown. Every
 * list of the program (the VM list, jobs, images, the snapshot tree, the
 * chain pane, and the help and log pagers) moves and scrolls with the two
 * functions here. */
#ifndef VMM_LISTPOS_H
#define VMM_LISTPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/request.h"

struct listpos {
	size_t sel; /* the selected row (0 in an empty list) */
	size_t top; /* the first row shown */
};

/* Moves the selection of a list of n rows, page of them shown, as req
 * asks: a row, a page, the first or the last, never past either end.
 * False, nothing moved, when req is no movement. */
bool listpos_move(struct listpos *p, enum request req, size_t n, size_t page);

/* Keeps the selection in the list of n rows and in the h rows shown from
 * top, and leaves no empty rows below the end of a list taller than h. */
void listpos_scroll(struct listpos *p, size_t n, size_t h);

#endif
