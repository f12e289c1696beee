/* The VM screen's chain pane (chainview_pane, a pane of snapview_screen):
 * each disk's backing chain, a layer a row, and the actions on it (new
 * overlay, commit, discard, reset) with the checks that keep shared
 * images safe. */
#ifndef VMM_CHAINVIEW_H
#define VMM_CHAINVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"
#include "core/screen.h"

struct app;
struct snapview;

/* The chain pane's lines: one a row (a layer), and below the last layer
 * of a disk whose chain libvirt does not know to its end a note saying
 * so, as --print has it. A note is no row: it is never selected. */
enum chain_line {
	CHAIN_LINE_NONE,
	CHAIN_LINE_LAYER,
	CHAIN_LINE_NOTE,
};

size_t chainview_rows(const struct snapview *sv);
/* The disk and layer on row r; false when there is none. */
bool chainview_at(const struct snapview *sv, size_t r, size_t *disk, size_t *layer);
size_t chainview_lines(const struct snapview *sv);
/* What line i shows, with its disk and layer (the note's: the last). */
enum chain_line chainview_line_at(const struct snapview *sv, size_t i, size_t *disk, size_t *layer);
/* The line that shows row r. */
size_t chainview_line_of(const struct snapview *sv, size_t r);
void chainview_scroll(struct app *a);
/* The selected disk, its selected layer in *k, when the VM's disks may
 * change now (running_ok: while it runs too); else NULL, the status
 * saying why. */
const struct be_disk *chainview_changeable_disk(struct app *a, bool running_ok, size_t *k);
/* The VM screen's chain pane (its snapshot tree's is in snapview.c). */
extern const struct pane chainview_pane;
/* The snapshots of vm whose state lives in one of paths, as the VM screen
 * knows them: how many, and up to five names into buf. */
/* The snapshot of the VM shown whose external snapshot made the layer at
 * path (its overlay), or NULL. */
const struct be_snapshot *chainview_made_by(const struct snapview *sv, const char *path);
size_t chainview_snapshots_in(const struct app *a, int host, const char *vm, const char *const *paths, size_t n,
			      char *buf, size_t bn);
/* Refuses (status: doing path: who reads it) when the images model knows
 * another chain or a snapshot that reads path, by the rules of
 * images_users; false when none does or the model is not loaded. */
bool chainview_read_elsewhere(struct app *a, int host, const char *vm, const char *disk, const char *path,
			      const char *const *going, size_t ngoing, const char *doing);
/* A new file's default name beside d's active layer,
 * "/dir/VM-DISK-YYYYMMDD-HHMMSS.qcow2"; false ("" in buf) when none can be
 * offered (a block device, a path too long). */
bool chainview_default_path(const struct app *a, const struct be_disk *d, char *buf, size_t n);

#endif
