/* A thread that runs blocking backend calls for one connection, one
 * command at a time, and posts each outcome as an event to the mailbox, so
 * that the UI thread never waits on libvirt. */
#ifndef VMM_WORKER_H
#define VMM_WORKER_H

#include <stdbool.h>

#include "backend/backend.h"
#include "core/event.h"
#include "core/mailbox.h"

struct worker;

/* conn and mb must outlive the worker. */
struct worker *worker_new(struct be_conn *conn, struct mailbox *mb);

/* Stops after the command in progress and joins the thread. */
void worker_free(struct worker *w);

/* Queues a copy of cmd (not CMD_QUIT). A list load already waiting is
 * merged with a new one. */
void worker_submit(struct worker *w, const struct cmd *cmd);

/* True while a command runs or waits. */
bool worker_busy(struct worker *w);

#endif
