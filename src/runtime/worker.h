/* A thread that runs blocking backend calls for one connection, one
 * command at a time, and posts each outcome as an event to the mailbox, so
 * that the UI thread never waits on libvirt. */
#ifndef VMM_WORKER_H
#define VMM_WORKER_H

#include <stdbool.h>

#include "backend/backend.h"
#include "core/cmd.h"
#include "core/event.h"
#include "runtime/mailbox.h"

struct worker;

/* mb must outlive the worker; the worker takes a reference of conn (may
 * be NULL). */
struct worker *worker_new(struct be_conn *conn, struct mailbox *mb);

/* Stops after the command in progress and joins the thread. */
void worker_free(struct worker *w);

/* Queues a copy of cmd (none of lane NONE). A repeat of a command still
 * waiting merges with it where its row of cmds.def.h says so. */
void worker_submit(struct worker *w, const struct cmd *cmd);

/* True while a command runs or waits. */
bool worker_busy(struct worker *w);

/* The connection the next commands use (a reference of its own is taken;
 * the one before is let go once no command uses it). NULL: none, and
 * commands are answered "not connected". */
void worker_set_conn(struct worker *w, struct be_conn *conn);

struct hostlink;
/* Tags the worker's events with host; CMD_CONNECT goes to link. */
void worker_set_host(struct worker *w, int host, struct hostlink *link);

/* Reads the details of the VMs of list on conn, many at once in the
 * list's order (by name, as the screen starts out), and posts them to mb
 * as EV_DETAILS of host: the head of the list (a screenful) first, in an
 * event of its own, the rest behind it. */
void worker_details(struct be_conn *conn, struct mailbox *mb, int host, const struct be_vm_list *list);

/* When the command running began (mono_ms), 0 when idle. */
long long worker_busy_since(struct worker *w);

#endif
