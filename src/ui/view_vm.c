/* The VM screen: the snapshot timeline as a tree, the selected snapshot's
 * details beside it, and the VM's disks with their backing chains. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/checkview.h"
#include "core/chainview.h"
#include "core/layer.h"
#include "core/wrap.h"
#include "shared/util.h"
#include "ui/view.h"

/* Columns kept free for the name when a deep tree is shifted left. */
#define NAME_ROOM 24

static void draw_tree(const struct app *a, int top, int height, int width)
{
	const struct snapview *sv = &a->sv;
	struct listpos shown = sv->tree_pos;
	size_t i, skip = 0, first;

	if (sv->tree_pos.sel < sv->layout.n) {
		size_t d = sv->layout.rows[sv->tree_pos.sel].depth;

		/* Deep trees: shift left so the selected row's name shows. */
		if ((int)d * UI_GLYPH_COLS > width - NAME_ROOM && width > NAME_ROOM)
			skip = d - (size_t)(width - NAME_ROOM) / UI_GLYPH_COLS;
	}
	/* A pane shorter than the screen keeps the selection in it. */
	listpos_scroll(&shown, sv->layout.n, height > 0 ? (size_t)height : 1);
	first = shown.top;
	for (i = 0; (int)i < height && first + i < sv->layout.n; i++) {
		const struct tree_row *r = &sv->layout.rows[first + i];
		const struct be_snapshot *s = &sv->snaps.s[r->node];
		bool sel = first + i == sv->tree_pos.sel;
		int x = 1, y = top + (int)i;
		char label[600];

		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, sel ? ">" : " ", 1);
		if (r->depth > skip)
			x += ui_tree_glyphs(y, x, r->glyphs + skip, r->depth - skip, width - x);
		/* The kind after the name: where its data is, and whether it
		 * holds memory (README, "Snapshot kinds"). */
		snprintf(label, sizeof(label), "%s%s%s  %s", s->current ? (ui_utf8 ? "\u25cf " : "* ") : "", s->name,
			 r->collapsed ? " [+]" : "", be_snap_kind_name(be_snap_kind(s)));
		if (s->current)
			attron(A_BOLD);
		ui_put(y, x, label, width - x);
		if (s->current)
			attroff(A_BOLD);
		if (sel)
			attroff(A_REVERSE);
	}
}

/* One "label: value" line of the details pane, above row bottom; returns
 * the next row. */
static int detail(int y, int x, int width, int bottom, const char *label, const char *value)
{
	char buf[1400];

	if (y >= bottom)
		return y;
	snprintf(buf, sizeof(buf), "%-12s %s", label, value);
	ui_put(y, x, buf, width);
	return y + 1;
}

/* Rows the description may take in the details pane; a longer one ends
 * in a hint: Enter shows it whole in the message log. */
#define DESC_ROWS 4

/* The description word-wrapped beside its label; returns the next row. */
static int description(int y, int x, int width, int bottom, const char *text)
{
	struct wrap_line lines[DESC_ROWS];
	size_t n, i, shown;
	char buf[1400];

	if (!text[0] || width < 13 + 10)
		return detail(y, x, width, bottom, "Description", text[0] ? text : "-");
	n = wrap_text(text, width - 13, lines, DESC_ROWS);
	shown = n > DESC_ROWS ? DESC_ROWS - 1 : n;
	for (i = 0; i < shown && y < bottom; i++) {
		snprintf(buf, sizeof(buf), "%-12s %.*s", i ? "" : "Description", (int)lines[i].len, text + lines[i].start);
		ui_put(y++, x, buf, width);
	}
	if (n > shown && y < bottom) {
		snprintf(buf, sizeof(buf), "%-12s %s Enter shows it whole", "", ui_utf8 ? "\u2026" : "...");
		ui_put(y++, x, buf, width);
	}
	return y;
}

/* The kinds as the details say them. */
static const char *const kind_text[] = {
	[BE_KIND_INT_DISK] = "int-disk: internal, disks only",
	[BE_KIND_INT_SYS] = "int-sys: internal, disks and memory",
	[BE_KIND_EXT_DISK] = "ext-disk: external, disks only",
	[BE_KIND_EXT_SYS] = "ext-sys: external, disks and memory file",
};

static int draw_snapshot(const struct app *a, int y, int x, int width, int bottom)
{
	const struct be_snapshot *s = snapview_selected(a);
	const struct snapview *sv = &a->sv;
	const struct tree_row *r;
	char buf[256], files[1300];
	size_t i;

	if (!s)
		return y;
	r = &sv->layout.rows[sv->tree_pos.sel];
	attron(A_BOLD);
	y = detail(y, x, width, bottom, "Snapshot", s->name);
	attroff(A_BOLD);
	y = description(y, x, width, bottom, s->description);
	y = detail(y, x, width, bottom, "Created", time_text(s->ctime, "%Y-%m-%d %H:%M:%S", buf, sizeof(buf)));
	y = detail(y, x, width, bottom, "VM state", s->state);
	if (s->memory && checkview_saved_memory(a, s) > 0) {
		char mem[32];

		snprintf(buf, sizeof(buf), "included, %s saved",
			 bytes_human((unsigned long long)checkview_saved_memory(a, s), mem, sizeof(mem)));
		y = detail(y, x, width, bottom, "Memory", buf);
	} else {
		y = detail(y, x, width, bottom, "Memory", s->memory ? "included" : "not included (disks only)");
	}
	y = detail(y, x, width, bottom, "Kind", kind_text[be_snap_kind(s)]);
	/* Where its state is: the files (an external one froze them under
	 * the overlays it made) and the memory file. */
	for (i = 0; i < s->nfiles && i < 4; i++) {
		snprintf(files, sizeof(files), "%s %s %s", s->files[i].disk, s->files[i].external ? "frozen in" : "inside",
			 s->files[i].path);
		y = detail(y, x, width, bottom, i ? "" : "Disk state", files);
	}
	if (s->nfiles > 4) {
		snprintf(files, sizeof(files), "and %zu more disks", s->nfiles - 4);
		y = detail(y, x, width, bottom, "", files);
	}
	if (s->memfile)
		y = detail(y, x, width, bottom, "Memory file", s->memfile);
	y = detail(y, x, width, bottom, "Parent", s->parent ? s->parent : "- (a root)");
	snprintf(buf, sizeof(buf), "%zu, descendants %zu", r->children, sv->layout.descendants[r->node]);
	y = detail(y, x, width, bottom, "Children", buf);
	y = detail(y, x, width, bottom, "Current", s->current ? "yes" : "no");
	return detail(y, x, width, bottom, "Disks", s->disks[0] ? s->disks : "-");
}

/* Rows the selected layer's details take in the chain pane. */
#define LAYER_ROWS 11

/* What the last layer of a chain is, by how the chain ends. */
static const char *last_layer_kind(const struct be_disk *d)
{
	switch (d->end) {
	case BE_END_COMPLETE: return "base";
	case BE_END_LOOP: return "backing file; backed by a layer above it (a loop)";
	case BE_END_MISSING: return "backing file; missing from its folder's storage pool";
	case BE_END_CUT: return "backing file; backed by more layers, not read";
	case BE_END_UNKNOWN: break;
	}
	return "backing file; libvirt knows nothing below it";
}

/* The selected layer in full: the chain rows cut long paths short. */
static void draw_layer(const struct app *app, const struct be_disk *d, size_t li, int y, int x, int width,
		       int bottom)
{
	const struct be_layer *l = &d->layers[li];
	const struct imgcheck_result *chk = checkview_result(app, l->path);
	const struct be_snapshot *maker;
	char buf[1200], a[32], b[32];
	unsigned long long total = 0;
	size_t i;
	bool known = true;

	attron(A_BOLD);
	y = detail(y, x, width, bottom, "Layer", li == 0 ? "active (the VM writes here)"
				  : li + 1 < d->nlayers ? "backing file" : last_layer_kind(d));
	attroff(A_BOLD);
	/* The path gets a row of its own; too long, its end (the file name)
	 * is what shows. */
	if (y < bottom && width > 1) {
		const char *p = l->path;

		if (ui_text_width(p) > (size_t)width) {
			snprintf(buf, sizeof(buf), "%s%s", ui_utf8 ? "\u2026" : "~", ui_tail(p, width - 1));
			p = buf;
		}
		ui_put(y++, x, p, width);
	}
	/* An overlay an external snapshot made: the snapshot's. */
	if ((maker = chainview_made_by(&app->sv, l->path))) {
		snprintf(buf, sizeof(buf), "snapshot '%s'", maker->name);
		y = detail(y, x, width, bottom, "Made by", buf);
	}
	y = detail(y, x, width, bottom, "Format", l->format[0] ? l->format : "not known");
	/* What it is, when more than a file: a block device, a pool's
	 * volume, a network disk; a CD-ROM, read-only, shareable. */
	if (l->type != BE_SRC_FILE || layer_disk_marks(d, a, sizeof(a))[0]) {
		const char *kind = layer_kind(l, buf, sizeof(buf));

		kind += strlen(l->format[0] ? l->format : "format unknown");
		snprintf(buf + sizeof(buf) / 2, sizeof(buf) / 2, "%s%s%s", layer_disk_marks(d, a, sizeof(a)),
			 a[0] && kind[0] ? ", " : "", kind[0] ? kind + 2 : "");
		y = detail(y, x, width, bottom, "Is", buf + sizeof(buf) / 2);
	}
	if (l->in_pool && l->capacity >= 0) {
		y = detail(y, x, width, bottom, "Virtual size", bytes_human((unsigned long long)l->capacity, a, sizeof(a)));
		y = detail(y, x, width, bottom, "Used",
			   bytes_human((unsigned long long)(l->allocation > 0 ? l->allocation : 0), b, sizeof(b)));
	} else {
		y = detail(y, x, width, bottom, "Size",
		       l->missing		? "not known: the file is missing"
		       : !be_layer_local(l)	? "not known: no file of this host"
						: "not known: in no storage pool");
	}
	/* What the whole chain takes on the host (a copy of it needs about
	 * as much). */
	for (i = 0; i < d->nlayers; i++) {
		if (d->layers[i].allocation < 0)
			known = false;
		else
			total += (unsigned long long)d->layers[i].allocation;
	}
	snprintf(buf, sizeof(buf), "%s%s (%zu layer%s)", known ? "" : "at least ", bytes_human(total, a, sizeof(a)),
		 d->nlayers, d->nlayers == 1 ? "" : "s");
	y = detail(y, x, width, bottom, "Chain used", buf);
	y = detail(y, x, width, bottom, "Inside", checkview_inside(app, l->path, buf, sizeof(buf)));
	detail(y, x, width, bottom, "Check", chk ? imgcheck_summary(chk, buf, sizeof(buf)) : "not checked (K checks it)");
}

/* Each disk's chain from the active layer down to the base, one line a
 * layer, and a note where libvirt knows nothing below the last; in focus,
 * the selected layer is highlighted and kept in view with its note. */
static void draw_disks(const struct app *a, int y, int x, int width, int bottom)
{
	const struct snapview *sv = &a->sv;
	bool focus = sv->pane == PANE_CHAIN;
	size_t r, n = chainview_rows(sv), lines = chainview_lines(sv), first = 0, di, li, keep, skip = 0;
	int rows_end = bottom;
	unsigned char glyphs[64];
	int room = width - 7 - NAME_ROOM;
	char buf[1300], what[1100], marks[64];
	const struct be_snapshot *maker;

	if (y >= bottom)
		return;
	attron(A_BOLD | (focus ? A_REVERSE : 0));
	ui_put(y++, x, focus ? " Disks and backing chains (Tab: snapshots) " : "Disks and backing chains (Tab)", width);
	attroff(A_BOLD | A_REVERSE);
	if (!n && y < bottom)
		ui_put(y, x, "No disks.", width);
	/* In focus, the selected layer's details take the last rows. */
	if (focus && n && bottom - y >= LAYER_ROWS + 3)
		rows_end = bottom - LAYER_ROWS - 1;
	keep = chainview_line_of(sv, sv->chain_pos.sel);
	if (chainview_line_at(sv, keep + 1, &di, &li) == CHAIN_LINE_NOTE)
		keep++; /* the note under the selected layer shows too */
	if (focus && rows_end > y) {
		/* The pane, shorter than the screen, keeps them in it. */
		struct listpos shown = {keep, chainview_line_of(sv, sv->chain_pos.top)};

		listpos_scroll(&shown, lines, (size_t)(rows_end - y));
		first = shown.top;
	}
	/* Deep chains: shift left so the selected layer's path shows. */
	if (room > 0 && chainview_at(sv, sv->chain_pos.sel, &di, &li) && li * UI_GLYPH_COLS > (size_t)room)
		skip = li - (size_t)room / UI_GLYPH_COLS;
	for (r = first; r < lines && y < rows_end; r++, y++) {
		const struct be_disk *d;
		bool sel;
		int cx = x + 1;

		if (chainview_line_at(sv, r, &di, &li) == CHAIN_LINE_NOTE) {
			/* Under the paths, or less indented to be read whole. */
			const char *note = layer_end_note(&sv->disks.d[di], buf, sizeof(buf));
			int in = width - (int)ui_text_width(note ? note : "");

			if (!sv->disks.d[di].nlayers) { /* an empty drive: its own line */
				d = &sv->disks.d[di];
				layer_disk_marks(d, marks, sizeof(marks));
				snprintf(what, sizeof(what), "%-5s %s%s%s%s", d->target, marks[0] ? "[" : "", marks,
					 marks[0] ? "] " : "", note ? note : "");
				ui_put(y, x, " ", 1);
				ui_put(y, x + 1, what, width - 1);
				continue;
			}

			in = in > 7 ? 7 : in < 1 ? 1 : in;
			ui_put(y, x, "", in);
			ui_put(y, x + in, note ? note : "", width - in);
			continue;
		}
		sel = focus && r == chainview_line_of(sv, sv->chain_pos.sel);
		d = &sv->disks.d[di];
		layer_label(&d->layers[li], what, sizeof(what));
		if ((maker = chainview_made_by(sv, d->layers[li].path))) {
			size_t len = strlen(what);

			snprintf(what + len, sizeof(what) - len, "  made by snapshot '%s'", maker->name);
		}
		if (sel)
			attron(A_REVERSE);
		ui_put(y, x, sel ? ">" : " ", 1);
		if (li == 0) {
			layer_disk_marks(d, marks, sizeof(marks));
			snprintf(buf, sizeof(buf), "%-5s %s%s%s%s", d->target, marks[0] ? "[" : "", marks, marks[0] ? "] " : "",
				 what);
		} else {
			/* Each backing file one level below the layer above it. */
			size_t depth = li > skip ? li - skip : 0;

			depth = depth < sizeof(glyphs) ? depth : sizeof(glyphs);
			ui_put(y, cx, "", 6);
			cx += 6;
			if (depth) {
				memset(glyphs, TG_BLANK, depth - 1);
				glyphs[depth - 1] = TG_ELBOW;
				cx += ui_tree_glyphs(y, cx, glyphs, depth, width - 7);
			}
			snprintf(buf, sizeof(buf), "%s", what);
		}
		ui_put(y, cx, buf, width - (cx - x));
		if (sel)
			attroff(A_REVERSE);
	}
	if (rows_end < bottom && chainview_at(sv, sv->chain_pos.sel, &di, &li))
		draw_layer(a, &sv->disks.d[di], li, rows_end + 1, x + 1, width - 1, bottom);
}

static void draw(const struct app *a, int top, int height, int cols)
{
	const struct snapview *sv = &a->sv;
	const struct be_vm *vm = state_find_vm(a, sv->host, sv->vm);
	int left = cols >= 90 ? cols * 11 / 20 : cols, tree_h = height - 1, y;
	char head[600];

	snprintf(head, sizeof(head), " Snapshots of %s%s%s (%zu)%s%s", sv->vm, a->nhosts > 1 ? " on " : "",
		 a->nhosts > 1 ? state_host_name(a, sv->host) : "", sv->snaps.n, vm ? "  -  " : "",
		 vm ? state_vm_state_name(vm->state) : "");
	attron(A_BOLD | A_UNDERLINE);
	ui_put(top, 0, head, cols);
	attroff(A_BOLD | A_UNDERLINE);
	if (left == cols) { /* narrow: details below the tree, which gets at
			     * most half, and no more rows than it has */
		tree_h = (height - 1) / 2;
		if ((int)sv->layout.n < tree_h)
			tree_h = sv->layout.n ? (int)sv->layout.n : 1;
	}
	if (!sv->loaded) {
		ui_put(top + 1, 1, sv->error[0] ? sv->error : "loading...", cols - 1);
		return;
	}
	if (!sv->snaps.n)
		ui_put(top + 1, 1, "No snapshots yet: s takes one.", left - 1);
	else
		draw_tree(a, top + 1, tree_h, left);
	/* The pane in focus gets the room: the chains replace the snapshot's
	 * details while they are worked on. */
	if (left < cols) {
		y = sv->pane == PANE_CHAIN ? top : draw_snapshot(a, top + 1, left + 1, cols - left - 1, top + height);
		draw_disks(a, y + 1, left + 1, cols - left - 1, top + height);
	} else {
		y = sv->pane == PANE_CHAIN ? top + 1 + tree_h
					   : draw_snapshot(a, top + 1 + tree_h, 1, cols - 1, top + height);
		draw_disks(a, y, 1, cols - 1, top + height);
	}
}

const struct view_ops vm_view = {
	.name = "VM",
	.draw = draw,
};
