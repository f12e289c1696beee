/* The chain pane's integrity check (K, issue #13): qemu-img check of the
 * selected layer and those below it as a job, the results per layer kept
 * for the layer details, and the repair of leaks offered after a
 * question for a shut-off VM's file that nothing else reads. */
#ifndef VMM_CHECKVIEW_H
#define VMM_CHECKVIEW_H

#include "core/cmd.h"

struct app;

/* K: checks the selected layer and the layers below it. */
void checkview_check(struct app *a, struct cmds *out);
/* F: the form for a standalone copy of d's chain (the VM may change). */
void checkview_copy(struct app *a, const struct be_disk *d);
/* d (chain pane): offers to delete a snapshot unknown to libvirt from
 * layer k's file; the VM is shut off. */
void checkview_inside_delete(struct app *a, const struct be_disk *d, size_t k);
/* A check's or repair's EV_OP_DONE. */
void checkview_done(struct app *a, struct event *ev, struct cmds *out);
/* The latest result of a check of path, NULL when it was not checked. */
const struct imgcheck_result *checkview_result(const struct app *a, const char *path);

/* EV_SNAPSHOTS of the VM screen's VM, once its tree is taken: asks what
 * the files of its disks hold (CMD_LOAD_IMGINFO, qemu-img info). */
void checkview_info_load(struct app *a, const struct event *ev, struct cmds *out);
/* EV_IMGINFO of the VM screen's VM: what its files hold. */
void checkview_info_loaded(struct app *a, struct event *ev);
/* The snapshots stored inside path, as a line: "none", "2: a (64.0 MiB
 * memory), b [unknown to libvirt]", or why they could not be read. */
const char *checkview_inside(const struct app *a, const char *path, char *buf, size_t n);
/* Whether the snapshot name inside path is one libvirt knows for the VM
 * screen's VM. */
bool checkview_known(const struct app *a, const char *path, const char *name);
/* The bytes of saved memory of the VM screen's snapshot s, read from the
 * file it lives in; -1 when not known. */
long long checkview_saved_memory(const struct app *a, const struct be_snapshot *s);

#endif
