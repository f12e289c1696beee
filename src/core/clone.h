/* Cloning a shut-off VM (C in the VM list and on the VM screen), and a new
 * VM on a layer of its chain (C in the chain pane): a form for the new
 * name, then the kind, then one command; the backend does it as one unit. */
#ifndef VMM_CLONE_H
#define VMM_CLONE_H

#include <stddef.h>

#include "core/cmd.h"

struct app;

/* Asks for a clone of vm of host: refused with the reason when it runs or
 * is hibernated. disk and layer NULL: of the whole VM, linked or full;
 * else a linked clone whose disk disk is an overlay on layer, refused when
 * another disk writes into that layer. */
void clone_ask(struct app *a, int host, const char *vm, const char *disk, const char *layer);

/* "VM-clone", or "VM-clone2", ...: a name no VM of host has; "" when none
 * fits in n. */
void clone_default_name(const struct app *a, int host, const char *vm, char *buf, size_t n);

/* Why name cannot be a new VM of host, or NULL. */
const char *clone_bad_name(const struct app *a, int host, const char *name);

/* After the answer to CMD_VM_CLONE, which snapview_op_done reports: the
 * images model, when it holds the host's, is read again. */
void clone_done(struct app *a, struct event *ev, struct cmds *out);

#endif
