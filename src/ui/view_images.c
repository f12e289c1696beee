/* The images screen: every base image as the root of a tree, the overlays
 * built on it below, and at the leaves the VMs and disks that use them. */
#include <curses.h>
#include <stdio.h>

#include "shared/util.h"
#include "ui/view.h"

static void draw(const struct app *a, int top, int height, int cols)
{
	const struct images *im = &a->images;
	char head[200], label[1200];
	size_t i, first = a->img_pos.top;

	snprintf(head, sizeof(head), " Images (%zu shared base%s, %zu unused)", im->shared, im->shared == 1 ? "" : "s",
		 im->unused);
	attron(A_BOLD | A_UNDERLINE);
	ui_put(top, 0, head, cols);
	attroff(A_BOLD | A_UNDERLINE);
	if (!a->img_loaded) {
		ui_put(top + 1, 1, a->img_loading ? "loading..." : "", cols - 1);
		return;
	}
	if (!im->layout.n)
		ui_put(top + 1, 1, "No disk images: no VM has a disk.", cols - 1);
	for (i = 0; (int)i < height - 1 && first + i < im->layout.n; i++) {
		const struct tree_row *r = &im->layout.rows[first + i];
		const struct image_node *n = &im->nodes[r->node];
		size_t up = im->tree[r->node].parent;
		bool sel = first + i == a->img_pos.sel, shared_base = r->depth == 0 && n->users > 1;
		int y = top + 1 + (int)i, x = 1;
		char size[32];

		if (n->kind == IMG_USE)
			snprintf(label, sizeof(label), "%s: %s%s%s%s", n->path, n->format, n->marks ? " (" : "",
				 n->marks ? n->marks : "", n->marks ? ")" : "");
		else if (n->kind == IMG_SNAP)
			snprintf(label, sizeof(label), "%s: snapshot '%s' (%s, %s)", n->path, n->snap, n->format,
				 n->external ? "external: frozen here" : "inside this file");
		else if (n->kind == IMG_UNUSED)
			snprintf(label, sizeof(label), "Unused images (%zu): no VM, disk, snapshot or image uses them; d deletes one",
				 im->unused);
		else if (up != TREE_NONE && im->nodes[up].kind == IMG_UNUSED)
			snprintf(label, sizeof(label), "%s (%s used)", n->path,
				 n->allocation >= 0 ? bytes_human((unsigned long long)n->allocation, size, sizeof(size))
						    : "size unknown");
		else if (r->depth == 0)
			snprintf(label, sizeof(label), "%s (%s, base of %zu disk%s)", n->path, n->format[0] ? n->format : "?",
				 n->users, n->users == 1 ? "" : "s");
		else
			snprintf(label, sizeof(label), "%s (%s)", n->path, n->format[0] ? n->format : "?");
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, sel ? ">" : " ", 1);
		x += ui_tree_glyphs(y, x, r->glyphs, r->depth, cols - x);
		if (shared_base || n->kind == IMG_USE)
			attron(A_BOLD);
		ui_put(y, x, label, cols - x);
		if (shared_base || n->kind == IMG_USE)
			attroff(A_BOLD);
		if (sel)
			attroff(A_REVERSE);
	}
}

const struct view_ops images_view = {
	.name = "images",
	.draw = draw,
};
