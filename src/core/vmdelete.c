/* U in the VM list: delete a shut-off VM with the images only it uses. */
#include "core/vmdelete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dialog.h"
#include "core/images.h"
#include "core/jobs.h"
#include "core/state.h"
#include "core/tree.h"
#include "shared/util.h"

static void push(char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

static bool listed(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* Has path been placed in goes or stays already? */
static bool placed(const struct vmdelete_plan *p, const char *path)
{
	size_t i, len = strlen(path);

	if (listed(p->goes, p->ngoes, path))
		return true;
	for (i = 0; i < p->nstays; i++)
		if (!strncmp(p->stays[i], path, len) && p->stays[i][len] == ':')
			return true;
	return false;
}

/* The readers of file node f other than vm itself, "; "-separated into
 * buf: the leaves of its subtree. How many. */
static size_t others(const struct images *im, size_t f, const char *vm, char *buf, size_t n)
{
	size_t row = tree_layout_find(&im->layout, f), end, count = 0, len = 0;

	buf[0] = '\0';
	if (row == TREE_NONE)
		return 0;
	for (end = row + 1; end < im->layout.n && im->layout.rows[end].depth > im->layout.rows[row].depth; end++) {
		const struct image_node *l = &im->nodes[im->layout.rows[end].node];

		if ((l->kind != IMG_USE && l->kind != IMG_SNAP) || !strcmp(l->path, vm))
			continue;
		if (len < n) {
			if (l->kind == IMG_USE)
				len += (size_t)snprintf(buf + len, n - len, "%s%s (disk %s)", len ? "; " : "", l->path,
							l->format);
			else
				len += (size_t)snprintf(buf + len, n - len, "%s%s's snapshot '%s'", len ? "; " : "",
							l->path, l->snap);
		}
		count++;
	}
	return count;
}

/* Places file node f of vm: it goes, or stays with why. */
static void place(const struct images *im, size_t f, const char *vm, const char *marks, struct vmdelete_plan *p)
{
	const char *path = im->nodes[f].path;
	char who[600], line[5000];

	if (placed(p, path))
		return;
	if (marks) {
		snprintf(line, sizeof(line), "%s: %s, referenced, never deleted with a VM", path, marks);
		push(&p->stays, &p->nstays, line);
	} else if (others(im, f, vm, who, sizeof(who))) {
		snprintf(line, sizeof(line), "%s: used by %s", path, who);
		push(&p->stays, &p->nstays, line);
	} else {
		push(&p->goes, &p->ngoes, path);
	}
}

void vmdelete_plan(const struct images *im, const char *vm, struct vmdelete_plan *p)
{
	size_t i, f, guard;

	memset(p, 0, sizeof(*p));
	/* A referenced disk's files stay first, whatever else reads them. */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < im->n; i++) {
			const struct image_node *l = &im->nodes[i];

			if (l->kind != IMG_USE || strcmp(l->path, vm) || (pass == 0) != (l->marks != NULL))
				continue;
			/* From the active layer down to the base. */
			for (f = im->tree[i].parent, guard = 0; f != TREE_NONE && guard++ <= im->n; f = im->tree[f].parent)
				if (im->nodes[f].kind == IMG_FILE)
					place(im, f, vm, l->marks, p);
		}
	/* The files only its snapshots hold (their disks moved on). */
	for (i = 0; i < im->n; i++)
		if (im->nodes[i].kind == IMG_SNAP && !strcmp(im->nodes[i].path, vm) &&
		    (f = im->tree[i].parent) != TREE_NONE)
			place(im, f, vm, NULL, p);
}

void vmdelete_plan_free(struct vmdelete_plan *p)
{
	size_t i;

	for (i = 0; i < p->ngoes; i++)
		free(p->goes[i]);
	for (i = 0; i < p->nstays; i++)
		free(p->stays[i]);
	free(p->goes);
	free(p->stays);
	memset(p, 0, sizeof(*p));
}

/* The typed name: the VM's, or the form stays open saying so. */
static void name_typed(struct app *a, int key, struct cmds *out)
{
	if (strcmp(a->dlg.field[0].value, a->dlg.cmd->name)) {
		state_set_status(a, true, "That is not the VM's name: type %s exactly, or Esc to keep it",
				 a->dlg.cmd->name);
		return;
	}
	jobs_start_asked(a, key, out);
}

/* Appends a line to text, or counts it as left out. */
static void line(char *text, size_t n, size_t *len, size_t *left, const char *fmt, const char *s)
{
	int w;

	if (*left || *len >= n) {
		++*left;
		return;
	}
	w = snprintf(text + *len, n - *len, fmt, s);
	if (w < 0 || (size_t)w >= n - *len - 200) { /* keep room for the end */
		text[*len] = '\0';
		++*left;
		return;
	}
	*len += (size_t)w;
}

void vmdelete_ask(struct app *a, int host, const char *vm, struct cmds *out)
{
	const struct be_vm *v = jobs_changeable(a, host, vm);
	struct cmd c = {.type = CMD_VM_DELETE, .host = host};
	struct vmdelete_plan p;
	char text[sizeof(a->dlg.text)], title[sizeof(a->dlg.title)], snaps[64];
	size_t len = 0, left = 0, i, plen = 0;
	struct dialog_field name = {.label = "Name", .value = ""};

	if (!v)
		return;
	if (v->state != BE_VM_SHUTOFF && v->state != BE_VM_SAVED) {
		state_set_status(a, true, "%s is %s: force it off first (X), then U deletes it", vm, state_vm_state_name(v->state));
		return;
	}
	if (!a->img_loaded || a->img_host != host) {
		if (!a->img_loading || a->img_host != host)
			images_load(a, host, out);
		str_copy(a->delete_waits, v->uuid, sizeof(a->delete_waits));
		state_set_status(a, false, "Reading which images %s shares with other VMs: the question follows", vm);
		return;
	}
	vmdelete_plan(&a->images, vm, &p);
	str_copy(c.name, vm, sizeof(c.name));
	str_copy(c.uuid, v->uuid, sizeof(c.uuid));
	for (i = 0; i < p.ngoes; i++) {
		size_t w = strlen(p.goes[i]) + 1;

		if (plen + w >= sizeof(c.u.vm_delete.paths)) {
			state_set_status(a, true, "%s has more images than one deletion carries: nothing done", vm);
			vmdelete_plan_free(&p);
			return;
		}
		snprintf(c.u.vm_delete.paths + plen, sizeof(c.u.vm_delete.paths) - plen, "%s\n", p.goes[i]);
		plen += w;
	}
	if (v->nsnap >= 0)
		snprintf(snaps, sizeof(snaps), "%d", v->nsnap);
	else
		str_copy(snaps, "any", sizeof(snaps));
	len = (size_t)snprintf(text, sizeof(text),
			       "Goes, for good:\n  the definition of %s\n  the metadata of its snapshots (%s)\n"
			       "%s  its NVRAM (UEFI variables), if it has one\n",
			       vm, snaps, v->state == BE_VM_SAVED ? "  its hibernated state (managed save)\n" : "");
	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	for (i = 0; i < p.ngoes; i++)
		line(text, sizeof(text), &len, &left, "  the image %s\n", p.goes[i]);
	if (p.nstays)
		line(text, sizeof(text), &len, &left, "%s", "Stays:\n");
	for (i = 0; i < p.nstays; i++)
		line(text, sizeof(text), &len, &left, "  %s\n", p.stays[i]);
	if (left)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "  (%zu more lines: the message log has them)\n",
					left);
	snprintf(title, sizeof(title), "Delete the VM %s", vm);
	if (p.ngoes) {
		snprintf(text + len, sizeof(text) - len,
			 "The images go after the definition, each checked again just before.\n"
			 "Type the VM's name to delete it and its %zu image%s:",
			 p.ngoes, p.ngoes == 1 ? "" : "s");
		dialog_form(a, &c, title, text, &name, 1, "Enter delete  Esc keep it", name_typed);
	} else {
		snprintf(text + len, sizeof(text) - len, "No image goes with it. Delete it?");
		dialog_confirm(a, &c, jobs_start_asked, title, "%s", text);
	}
	if (left) { /* the whole list, for the message log */
		for (i = 0; i < p.ngoes; i++)
			state_set_status(a, false, "Goes: %s", p.goes[i]);
		for (i = 0; i < p.nstays; i++)
			state_set_status(a, false, "Stays: %s", p.stays[i]);
	}
	vmdelete_plan_free(&p);
}

void vmdelete_done(struct app *a, struct event *ev, struct cmds *out)
{
	const struct job *j = jobs_find(a, ev->job);

	if (ev->rc < 0 && ev->err.kind == BE_ERR_REFUSED)
		state_set_status(a, true, "%s refused: %s", j ? j->what : "Deleting the VM", ev->err.msg);
	else if (ev->rc < 0)
		state_set_status(a, true, "%s failed: %s", j ? j->what : "Deleting the VM", ev->err.msg);
	else
		state_set_status(a, false, "%s: done", j ? j->what : "Deleting the VM");
	state_load_vms(a, ev->host, out, false);
	if (a->img_loaded && a->img_host == ev->host)
		images_load(a, ev->host, out);
}
