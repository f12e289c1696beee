/* Block jobs (commits) as jobs: started by an operation or found running,
 * their progress polled, their end told by libvirt's block-job event, and
 * the pivot of an active commit. */
#ifndef VMM_BLOCKJOBS_H
#define VMM_BLOCKJOBS_H

struct app;
struct cmds;
struct event;
struct job;

void blockjobs_op_done(struct app *a, struct event *ev, struct cmds *out);
/* Host is back: how each of its commits whose outcome was unknown ended
 * is read from libvirt (CMD_COMMIT_RECOVER). */
void blockjobs_recover(struct app *a, int host, struct cmds *out);
void blockjobs_event(struct app *a, struct event *ev, struct cmds *out);
void blockjobs_info(struct app *a, struct event *ev, struct cmds *out);
void blockjobs_found(struct app *a, struct event *ev);
void blockjobs_pivot(struct app *a, struct job *j, struct cmds *out);

#endif
