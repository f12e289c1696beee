/* The mailbox: a locked queue of events and the pipe that wakes the main
 * loop; also turns the backend's events into the core's. */
#include "runtime/mailbox.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "shared/fifo.h"
#include "shared/util.h"

/* An event waiting for the main loop. */
struct posted {
	struct fifo_node node;
	struct event *ev;
};

struct mailbox {
	pthread_mutex_t lock;
	struct fifo queue; /* of struct posted */
	int fds[2];
};

struct mailbox *mailbox_new(void)
{
	struct mailbox *mb = xcalloc(1, sizeof(*mb));
	int i;

	if (pipe(mb->fds) < 0) {
		free(mb);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		fcntl(mb->fds[i], F_SETFL, fcntl(mb->fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(mb->fds[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&mb->lock, NULL);
	return mb;
}

void mailbox_free(struct mailbox *mb)
{
	struct event *ev;

	if (!mb)
		return;
	while ((ev = mailbox_take(mb)))
		event_free(ev);
	close(mb->fds[0]);
	close(mb->fds[1]);
	pthread_mutex_destroy(&mb->lock);
	free(mb);
}

void mailbox_post(struct mailbox *mb, struct event *ev)
{
	struct posted *p = xmalloc(sizeof(*p));
	char byte = 1;
	ssize_t r;

	p->ev = ev;
	pthread_mutex_lock(&mb->lock);
	fifo_push(&mb->queue, &p->node);
	pthread_mutex_unlock(&mb->lock);
	/* A full pipe already wakes the reader; the byte only signals. */
	do
		r = write(mb->fds[1], &byte, 1);
	while (r < 0 && errno == EINTR);
}

void mailbox_backend_sink(void *ctx, const struct be_event *bev)
{
	mailbox_post(ctx, mailbox_event_of(bev));
}

struct event *mailbox_event_of(const struct be_event *bev)
{
	struct event *ev;

	if (bev->kind == BE_EV_CONN_CLOSED) {
		ev = event_new(EV_CONN_CLOSED);
		str_copy(ev->err.msg, bev->name, sizeof(ev->err.msg));
	} else if (bev->name_cut) {
		/* A VM whose name does not fit is never acted on; its event
		 * must not pass for the VM named by the cut name: the list is
		 * read again, nothing else. */
		ev = event_new(EV_VM_CHANGED);
	} else if (bev->kind == BE_EV_BLOCK_JOB) {
		ev = event_new(EV_BLOCK_EVENT);
		str_copy(ev->name, bev->name, sizeof(ev->name));
		str_copy(ev->disk, bev->disk, sizeof(ev->disk));
		ev->bj.type = bev->bj_type;
		ev->bj_status = bev->bj_status;
	} else {
		ev = event_new(EV_VM_CHANGED);
		str_copy(ev->name, bev->name, sizeof(ev->name));
	}
	return ev;
}

int mailbox_fd(const struct mailbox *mb)
{
	return mb->fds[0];
}

struct event *mailbox_take(struct mailbox *mb)
{
	struct fifo_node *n;
	struct event *ev = NULL;
	char buf[64];

	pthread_mutex_lock(&mb->lock);
	n = fifo_pop(&mb->queue);
	if (!n) {
		/* Empty: drain the wake-up bytes while holding the lock, so that
		 * a post after this point leaves a byte behind. */
		while (read(mb->fds[0], buf, sizeof(buf)) > 0)
			;
	}
	pthread_mutex_unlock(&mb->lock);
	if (n) {
		ev = FIFO_ITEM(n, struct posted, node)->ev;
		free(FIFO_ITEM(n, struct posted, node));
	}
	return ev;
}
