#include "core/request.h"

#include <string.h>

static const struct {
	const char *name;
	const char *help;
} requests[REQ_COUNT] = {
	[REQ_NONE] = {"", ""},
#define REQ_INFO(id, name, help) [REQ_##id] = {name, help},
	REQ_LIST(REQ_INFO)
#undef REQ_INFO
};

const char *request_name(enum request r)
{
	return r < REQ_COUNT ? requests[r].name : "";
}

const char *request_help(enum request r)
{
	return r < REQ_COUNT ? requests[r].help : "";
}

enum request request_by_name(const char *name)
{
	int r;

	for (r = 1; r < REQ_COUNT; r++)
		if (!strcmp(requests[r].name, name))
			return (enum request)r;
	return REQ_NONE;
}

bool request_move(enum request req, size_t *sel, size_t n, size_t page)
{
	size_t last = n ? n - 1 : 0;

	switch (req) {
	case REQ_MOVE_DOWN: *sel = *sel < last ? *sel + 1 : last; return true;
	case REQ_MOVE_UP: *sel = *sel > 0 ? *sel - 1 : 0; return true;
	case REQ_MOVE_FIRST: *sel = 0; return true;
	case REQ_MOVE_LAST: *sel = last; return true;
	case REQ_PAGE_DOWN: *sel = *sel + page < last ? *sel + page : last; return true;
	case REQ_PAGE_UP: *sel = *sel > page ? *sel - page : 0; return true;
	default: return false;
	}
}
