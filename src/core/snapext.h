/* The core's half of reverting to and deleting external snapshots: the
 * rules checked against the core's copy of the VM and its images when the
 * key is pressed, and what the question says the action does. */
#ifndef VMM_CORE_SNAPEXT_H
#define VMM_CORE_SNAPEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"
#include "core/state.h"

/* For an external snapshot s of the VM screen's VM v: true, with the
 * reason in the status line, when it cannot be reverted safely (nothing
 * is asked, nothing sent); else false with what the revert does into buf
 * ("" for an internal snapshot). */
bool snapext_revert_refused(struct app *a, const struct be_vm *v, const struct be_snapshot *s, char *buf, size_t n);

/* For deleting the external snapshot s of the VM screen's VM (this one
 * only: the overlays it made merged into the files it froze, its memory
 * file removed): true, with the reason in the status line, when it cannot
 * be done safely; else false with what happens into buf. */
bool snapext_delete_refused(struct app *a, const struct be_snapshot *s, char *buf, size_t n);

#endif
