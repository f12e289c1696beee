/* The VM list screen (vmlist_screen, screen.h) and its rows: the VMs
 * filtered and sorted. */
#ifndef VMM_VMLIST_H
#define VMM_VMLIST_H

struct app;

/* Rebuilds the rows from the VMs, filter and sort, keeping the selection
 * on the VM with uuid keep of host keep_host where it is still shown (or,
 * vmlist_rebuild, on the VM selected now), and keeps it on screen. */
void vmlist_rebuild_keeping(struct app *a, int keep_host, const char *keep);
void vmlist_rebuild(struct app *a);
/* Keeps the selection in the rows and on screen. */
void vmlist_scroll(struct app *a);

#endif
