/* One host's link to libvirt: its two workers (quick reads; long
 * operations), the connections they share, credentials asked of the user
 * through the UI thread, and the events of the connection, tagged with
 * the host. The runner keeps one per host. */
#ifndef VMM_HOSTLINK_H
#define VMM_HOSTLINK_H

#include <stdbool.h>

#include "core/cmd.h"
#include "core/event.h"
#include "runtime/mailbox.h"
#include "runtime/worker.h"

struct hostlink;

/* NULL when its threads cannot start. Nothing connects until CMD_CONNECT. */
struct hostlink *hostlink_new(int host, const char *uri, bool readonly, struct mailbox *mb);

/* Gives cmd to the worker that carries it out (long operations to their
 * own). CMD_AUTH_ANSWER answers a waiting credential question instead. */
void hostlink_submit(struct hostlink *h, const struct cmd *cmd);

/* A connection opened already (before the screen started) for the
 * next CMD_CONNECT to use instead of opening one; h takes c. */
void hostlink_preopen(struct hostlink *h, struct be_conn *c);

/* Opens the connections (on the reads worker's thread: the credential
 * question waits there for the user's answer) and posts EV_CONNECTED. */
void hostlink_connect(struct hostlink *h);

/* When the host's oldest read began, 0 when it is idle. */
long long hostlink_busy_since(struct hostlink *h);

/* True while a worker runs or holds a command. */
bool hostlink_busy(struct hostlink *h);

/* Stops asking for credentials: a waiting question is cancelled and the
 * remembered answers wiped. */
void hostlink_stop(struct hostlink *h);

/* hostlink_stop; then
 * frees everything, unless a worker is still inside libvirt (a dead host
 * or a long job), whose thread is left to the process's end. */
void hostlink_free(struct hostlink *h);

#endif
