/* C: clone a shut-off VM, linked or full, or make a new VM on a layer. */
#include "core/clone.h"

#include <stdio.h>
#include <string.h>

#include "core/dialog.h"
#include "core/images.h"
#include "core/jobs.h"
#include "core/state.h"
#include "shared/util.h"

void clone_default_name(const struct app *a, int host, const char *vm, char *buf, size_t n)
{
	int i;

	for (i = 1; i < 1000; i++) {
		int w = i == 1 ? snprintf(buf, n, "%s-clone", vm) : snprintf(buf, n, "%s-clone%d", vm, i);

		if (w < 0 || (size_t)w >= n || w >= APP_NAME_MAX) {
			break;
		}
		if (!state_find_vm(a, host, buf))
			return;
	}
	buf[0] = '\0';
}

const char *clone_bad_name(const struct app *a, int host, const char *name)
{
	const char *p;

	if (!name[0])
		return "The clone needs a name";
	if (strlen(name) >= APP_NAME_MAX)
		return "VM names are limited to 255 bytes here";
	if (strchr(name, '/'))
		return "VM names cannot contain '/'";
	for (p = name; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127)
			return "VM names cannot contain control characters";
	if (state_find_vm(a, host, name))
		return "A VM of that name exists already on this host";
	return NULL;
}

/* The kind: l linked, f full. */
static void kind_chosen(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd;
	char what[sizeof(a->dlg.title) + 32];

	c.u.vm_clone.full = key == 'f';
	snprintf(what, sizeof(what), "%s (%s)", a->dlg.title, c.u.vm_clone.full ? "full" : "linked");
	dialog_close(a);
	jobs_start(a, out, &c, what);
}

/* The name typed: checked before anything is sent; the form stays open on
 * a name that cannot be. */
static void name_given(struct app *a, int key, struct cmds *out)
{
	struct cmd c = *a->dlg.cmd;
	const char *why = clone_bad_name(a, c.host, a->dlg.field[0].value);
	const struct dialog_item items[] = {
		{'l', "linked: an overlay on each disk's active layer; both VMs get one (quick, small)"},
		{'f', "full: a standalone copy of each disk's whole chain (as long as a copy takes)"},
	};
	char title[sizeof(a->dlg.title)], text[sizeof(a->dlg.text)];

	(void)out;
	if (why) {
		state_set_status(a, true, "%s", why);
		return;
	}
	str_copy(c.u.vm_clone.clone, a->dlg.field[0].value, sizeof(c.u.vm_clone.clone));
	snprintf(title, sizeof(title), "Clone %s as %s", c.name, c.u.vm_clone.clone);
	if (c.u.vm_clone.layer[0]) {
		snprintf(text, sizeof(text),
			 "A new VM %s, a copy of %s's definition (new UUID and MAC addresses),\n"
			 "whose disk %s is a new qcow2 overlay on\n  %.2000s\nwhich stays read-only for every VM using it; "
			 "its other disks are linked clones of %s's.\nNothing of %s is lost.",
			 c.u.vm_clone.clone, c.name, c.disk, c.u.vm_clone.layer, c.name, c.name);
		snprintf(title, sizeof(title), "New VM %s on %s of %s", c.u.vm_clone.clone, c.disk, c.name);
		dialog_confirm(a, &c, jobs_start_asked, title, "%s", text);
		(void)key;
		return;
	}
	snprintf(text, sizeof(text),
		 "%s gets its own UUID, new MAC addresses and its own NVRAM copy; its files are named\n"
		 "after it, beside %s's. CD-ROMs, read-only and shareable disks are referenced, not copied;\n"
		 "snapshots are not copied. Linked: %s moves onto a fresh overlay at the same time, so that\n"
		 "neither VM writes into the file they share. Which kind? (any other key cancels)",
		 c.u.vm_clone.clone, c.name, c.name);
	dialog_menu(a, &c, title, text, items, 2, kind_chosen);
}

/* True, with the reason, when another disk writes into layer: its active
 * layer, as the images model knows. */
static bool layer_written(struct app *a, int host, const char *vm, const char *disk, const char *layer)
{
	size_t f, i;

	if (!a->img_loaded || a->img_host != host || (f = images_find(&a->images, layer)) == TREE_NONE)
		return false; /* the backend checks again */
	for (i = 0; i < a->images.n; i++) {
		const struct image_node *n = &a->images.nodes[i];

		if (n->kind == IMG_USE && a->images.tree[i].parent == f && (strcmp(n->path, vm) || strcmp(n->format, disk))) {
			state_set_status(a, true, "Not cloning on %s: %s (disk %s) writes into it", layer, n->path, n->format);
			return true;
		}
	}
	return false;
}

void clone_ask(struct app *a, int host, const char *vm, const char *disk, const char *layer)
{
	const struct be_vm *v = jobs_changeable(a, host, vm);
	struct cmd c = {.type = CMD_VM_CLONE, .host = host};
	char name[APP_NAME_MAX], title[sizeof(a->dlg.title)];
	struct dialog_field field = {.label = "Name", .value = name};

	if (!v)
		return;
	if (v->state == BE_VM_SAVED) {
		state_set_status(a, true, "%s is hibernated: its saved memory belongs to it alone; start it and shut it "
					  "down, or discard the saved state (W), before cloning",
				 vm);
		return;
	}
	if (v->state != BE_VM_SHUTOFF) {
		state_set_status(a, true, "%s is %s: a clone is made of a shut-off VM (shut it down first)", vm,
				 state_vm_state_name(v->state));
		return;
	}
	if (layer && layer_written(a, host, vm, disk, layer))
		return;
	if (layer && strlen(layer) >= sizeof(c.u.vm_clone.layer)) {
		state_set_status(a, true, "The layer's path is longer than a path can be");
		return;
	}
	str_copy(c.name, vm, sizeof(c.name));
	str_copy(c.uuid, v->uuid, sizeof(c.uuid));
	if (layer) {
		str_copy(c.disk, disk, sizeof(c.disk));
		str_copy(c.u.vm_clone.layer, layer, sizeof(c.u.vm_clone.layer));
	}
	clone_default_name(a, host, vm, name, sizeof(name));
	if (layer)
		snprintf(title, sizeof(title), "New VM on %s of %s", disk, vm);
	else
		snprintf(title, sizeof(title), "Clone %s", vm);
	dialog_form(a, &c, title,
		    layer ? "The new VM's name (its disk: an overlay on the selected layer):"
			  : "The clone's name (the kind, linked or full, comes next):",
		    &field, 1, "Enter next  Ctrl-U clear  Esc cancel", name_given);
}

void clone_done(struct app *a, struct event *ev, struct cmds *out)
{
	if (a->img_loaded && a->img_host == ev->host)
		images_load(a, ev->host, out);
}
