/* The chain pane's integrity check (K, issue #13): qemu-img check of the
 * selected layer and those below it as a job, the results per layer kept
 * for the layer details, and the repair of leaks offered after a
 * question for a shut-off VM's file that nothing else reads. */
#ifndef VMM_CHECKVIEW_H
#define VMM_CHECKVIEW_H

#include "core/event.h"

struct app;

/* K: checks the selected layer and the layers below it. */
void checkview_check(struct app *a, struct cmds *out);
/* A check's or repair's EV_OP_DONE. */
void checkview_done(struct app *a, struct event *ev, struct cmds *out);
/* The latest result of a check of path, NULL when it was not checked. */
const struct imgcheck_result *checkview_result(const struct app *a, const char *path);

#endif
