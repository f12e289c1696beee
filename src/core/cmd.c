/* The core's commands: which worker lane carries each out (cmds.def.h),
 * and appending one to what an event asks for. */
#include "core/cmd.h"

#include <string.h>

enum cmd_lane cmd_lane(enum cmd_type t)
{
	static const enum cmd_lane lane[] = {
#define CMD(name, lane, check, answer, merge, run) [CMD_##name] = LANE_##lane,
#include "core/cmds.def.h"
#undef CMD
	};

	return lane[t];
}

struct cmd *cmd_push(struct cmds *out, enum cmd_type type)
{
	struct cmd *c;

	if (out->n >= CMDS_MAX)
		return NULL;
	c = &out->c[out->n++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	return c;
}
