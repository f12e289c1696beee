/* Moving and scrolling a list: one rule for every list (listpos.h). */
#include "core/listpos.h"

bool listpos_move(struct listpos *p, enum request req, size_t n, size_t page)
{
	size_t last = n ? n - 1 : 0;

	switch (req) {
	case REQ_MOVE_DOWN: p->sel = p->sel < last ? p->sel + 1 : last; return true;
	case REQ_MOVE_UP: p->sel = p->sel > 0 ? p->sel - 1 : 0; return true;
	case REQ_MOVE_FIRST: p->sel = 0; return true;
	case REQ_MOVE_LAST: p->sel = last; return true;
	case REQ_PAGE_DOWN: p->sel = p->sel + page < last ? p->sel + page : last; return true;
	case REQ_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return true;
	default: return false;
	}
}

void listpos_scroll(struct listpos *p, size_t n, size_t h)
{
	if (!h)
		h = 1;
	if (p->sel >= n)
		p->sel = n ? n - 1 : 0;
	if (p->sel < p->top)
		p->top = p->sel;
	else if (p->sel >= p->top + h)
		p->top = p->sel - h + 1;
	/* A list that shrank leaves no empty rows above its end. */
	if (n <= h)
		p->top = 0;
	else if (p->top > n - h)
		p->top = n - h;
}
