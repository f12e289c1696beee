/* The core's half of a revert to an external snapshot: the plan asked of
 * be_revert_plan_make with the core's copy of the VM, and what the
 * question says of it. */
#ifndef VMM_CORE_SNAPREVERT_H
#define VMM_CORE_SNAPREVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"
#include "core/state.h"

/* For an external snapshot s of the VM screen's VM v: true, with the
 * reason in the status line, when it cannot be reverted safely (nothing
 * is asked, nothing sent); else false with what the revert does into buf
 * ("" for an internal snapshot). */
bool snaprevert_refused(struct app *a, const struct be_vm *v, const struct be_snapshot *s, char *buf, size_t n);

#endif
