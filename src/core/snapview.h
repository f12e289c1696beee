/* The VM screen (snapview_screen, screen.h): one VM's snapshot tree and,
 * in its other pane, its disks' chains (chainview.h); taking, reverting and
 * deleting snapshots. */
#ifndef VMM_SNAPVIEW_H
#define VMM_SNAPVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"
#include "core/cmd.h"
#include "core/listpos.h"
#include "core/tree.h"

struct app;

enum vm_pane {
	PANE_SNAPSHOTS,
	PANE_CHAIN, /* the disks' backing chains */
};

/* The VM screen: one VM's snapshot tree and disks. */
struct snapview {
	int host;
	char vm[APP_NAME_MAX];
	char uuid[37]; /* of vm when the screen was opened on it */
	struct be_snap_list snaps;
	struct be_disk_list disks;
	struct tree_layout layout;
	struct tree_layout full; /* the same, nothing collapsed: what delete sees */
	size_t *by_name;   /* snapshot indexes sorted by name, for lookups */
	bool *collapsed;   /* per snapshot */
	char **closed;     /* names of collapsed snapshots, kept across reloads */
	size_t nclosed;
	struct listpos tree_pos; /* rows of the layout */
	char pending[APP_NAME_MAX]; /* select this snapshot when it arrives */
	enum vm_pane pane;
	struct listpos chain_pos; /* rows of the chain pane: one a layer */
	bool loading, loaded;
	char error[4096]; /* libvirt's message, whole (be_error) */
};

/* Reads vm's tree and chains into the VM screen's model; _open shows it. */
void snapview_load(struct app *a, int host, const char *vm, struct cmds *out);
void snapview_open(struct app *a, int host, const char *vm, struct cmds *out);
/* vm changed (an event, a finished job): its details, and its tree and
 * chains when the VM screen's model holds it, are read again. */
void snapview_vm_changed(struct app *a, int host, const char *vm, struct cmds *out);
void snapview_loaded(struct app *a, struct event *ev);
void snapview_take(struct app *a, int host, const char *vm, struct cmds *out);
/* The kinds the snapshot form offers for v (into kinds, up to 3), the
 * first the default: internal when internal_ok (its disks can hold one);
 * external disk-only when v runs, is paused or is shut off and its disks
 * take overlays; external with memory when it runs. Why no external kind
 * is offered into why ("" when one is). */
size_t snapview_kinds(const struct app *a, const struct be_vm *v, bool internal_ok, enum be_snap_kind *kinds,
		      char *why, size_t n);
void snapview_op_done(struct app *a, struct event *ev, struct cmds *out);
/* The selected snapshot of the VM screen, or NULL. */
const struct be_snapshot *snapview_selected(const struct app *a);
void snapview_scroll(struct app *a);
void snapview_free(struct snapview *sv);

#endif
