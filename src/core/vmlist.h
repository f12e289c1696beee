/* The VM list screen (vmlist_screen, screen.h) and its rows: the VMs
 * filtered and sorted. */
#ifndef VMM_VMLIST_H
#define VMM_VMLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cmd.h"

struct app;

enum sort_col {
	SORT_NAME,
	SORT_STATE,
	SORT_SNAPSHOTS,
	SORT_CHAIN,
	SORT_VCPUS,
	SORT_MEMORY,
	SORT_COUNT,
};

/* Rebuilds the rows from the VMs, filter and sort, keeping the selection
 * on the VM with uuid keep of host keep_host where it is still shown (or,
 * vmlist_rebuild, on the VM selected now), and keeps it on screen. */
void vmlist_rebuild_keeping(struct app *a, int keep_host, const char *keep);
void vmlist_rebuild(struct app *a);
/* Keeps the selection in the rows and on screen. */
void vmlist_scroll(struct app *a);

/* The VM on row i of the list, or NULL. */
const struct be_vm *vmlist_row(const struct app *a, size_t i);
const struct be_vm *vmlist_selected(const struct app *a);
const char *vmlist_sort_name(enum sort_col c);

/* A host's VM list arrived (EV_VMS_LOADED): it replaces what the list
 * held of that host; the details known survive. */
void vmlist_loaded(struct app *a, struct event *ev, struct cmds *out);
/* Details (snapshot count, chain depth, vCPUs, memory) of host's VMs in
 * d (EV_DETAILS) go into the list. */
void vmlist_details(struct app *a, int host, const struct be_vm_list *d);
/* The images arrived: a deletion asked for before them (U) asks now. */
void vmlist_images_read(struct app *a, struct cmds *out);

#endif
