/* Events from other threads to the UI thread: a locked queue plus a pipe
 * whose read end the main loop poll()s along with the terminal. */
#ifndef VMM_MAILBOX_H
#define VMM_MAILBOX_H

#include "core/event.h"

struct mailbox;

/* NULL when the pipe cannot be made. */
struct mailbox *mailbox_new(void);
void mailbox_free(struct mailbox *mb);

/* Takes ownership of ev. Safe from any thread. */
void mailbox_post(struct mailbox *mb, struct event *ev);

/* A be_event_fn: turns a backend event into a core event and posts it to
 * the mailbox ctx. Runs on the backend's event thread. */
void mailbox_backend_sink(void *ctx, const struct be_event *bev);
/* The core event for a backend event; the caller owns it. */
struct event *mailbox_event_of(const struct be_event *bev);

/* The fd to poll() for POLLIN. */
int mailbox_fd(const struct mailbox *mb);

/* The oldest event (caller owns it), or NULL when empty. */
struct event *mailbox_take(struct mailbox *mb);

#endif
