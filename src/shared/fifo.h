/* A first-in first-out list of nodes embedded in the caller's items: the
 * mailbox's events and a worker's commands queue alike. Not locked: each
 * user holds its own lock around it. */
#ifndef VMM_FIFO_H
#define VMM_FIFO_H

#include <stdbool.h>
#include <stddef.h>

struct fifo_node {
	struct fifo_node *next;
};

struct fifo {
	struct fifo_node *head, *tail;
};

void fifo_push(struct fifo *q, struct fifo_node *n);
/* The oldest node, taken off the list; NULL when it is empty. */
struct fifo_node *fifo_pop(struct fifo *q);

static inline bool fifo_empty(const struct fifo *q)
{
	return !q->head;
}

/* The item of type holding node n as its member. */
#define FIFO_ITEM(n, type, member) ((type *)(void *)((char *)(n) - offsetof(type, member)))

#endif
