/* The FIFO list of fifo.h. */
#include "shared/fifo.h"

void fifo_push(struct fifo *q, struct fifo_node *n)
{
	n->next = NULL;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
}

struct fifo_node *fifo_pop(struct fifo *q)
{
	struct fifo_node *n = q->head;

	if (n) {
		q->head = n->next;
		if (!q->head)
			q->tail = NULL;
	}
	return n;
}
