/* Helpers the unit test stories share. */
#include "tests/unit/unit.h"

const struct cmd *cmds_find(const struct cmds *c, enum cmd_type t)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->c[i].type == t)
			return &c->c[i];
	return NULL;
}

int cmds_count(const struct cmds *c, enum cmd_type t)
{
	int i, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->c[i].type == t;
	return n;
}
