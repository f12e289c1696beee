/* Power state and hibernation: start, shut down, force off, pause and
 * resume, hibernate, discard the saved state; each checked, then a job. */
#ifndef VMM_LIFECYCLE_H
#define VMM_LIFECYCLE_H

#include "core/request.h"

struct app;
struct cmds;
struct event;

void lifecycle_request(struct app *a, int host, const char *vm, enum request req, struct cmds *out);
void lifecycle_done(struct app *a, struct event *ev, struct cmds *out);

#endif
