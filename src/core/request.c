/* Each request's name, help text and hint word, from REQ_LIST
 * (request.h). */
#include "core/request.h"

#include <string.h>

static const struct {
	const char *name;
	const char *help;
	const char *hint;
} requests[REQ_COUNT] = {
	[REQ_NONE] = {"", "", ""},
#define REQ_INFO(id, name, help, hint) [REQ_##id] = {name, help, hint},
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

const char *request_hint(enum request r)
{
	return r < REQ_COUNT ? requests[r].hint : "";
}

enum request request_by_name(const char *name)
{
	int r;

	for (r = 1; r < REQ_COUNT; r++)
		if (!strcmp(requests[r].name, name))
			return (enum request)r;
	return REQ_NONE;
}
