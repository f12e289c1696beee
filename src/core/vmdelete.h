/* Deleting a VM with the images only it uses (U in the VM list): what goes
 * and what stays, read from the images model, asked, then one command. */
#ifndef VMM_VMDELETE_H
#define VMM_VMDELETE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cmd.h"
#include "core/images.h"

struct app;

/* What deleting vm does to its images, as the model im knows them. */
struct vmdelete_plan {
	char **goes;  /* images only vm uses: active layers first, bases last */
	size_t ngoes;
	char **stays; /* "PATH: why it stays", one each */
	size_t nstays;
};

/* Fills p (free with vmdelete_plan_free): each file of vm's disk chains,
 * and each file a snapshot of vm lives in, goes when no other VM's disk
 * and no other VM's snapshot reads it, and when it is not a CD-ROM's,
 * read-only or shareable disk's (those are referenced, and stay). */
void vmdelete_plan(const struct images *im, const char *vm, struct vmdelete_plan *p);
void vmdelete_plan_free(struct vmdelete_plan *p);

/* U: asks to delete vm of host (refused while it runs, with the reason),
 * naming what goes and what stays; with images to delete, the VM's name
 * must be typed. Reads the host's images first when they are not known. */
void vmdelete_ask(struct app *a, int host, const char *vm, struct cmds *out);

/* The answer to CMD_VM_DELETE. */
void vmdelete_done(struct app *a, struct event *ev, struct cmds *out);

#endif
