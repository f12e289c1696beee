/* The VM list: one row per VM, columns dropped from the right when the
 * terminal is narrow. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/view.h"


struct column {
	const char *title;
	int width;
	bool right; /* numbers align right */
};

enum { COL_STATE, COL_SNAPS, COL_CHAIN, COL_VCPUS, COL_MEMORY, NCOLS };

static const struct column columns[NCOLS] = {
	{"STATE", 8, false}, {"SNAPS", 5, true}, {"CHAIN", 5, true},
	{"VCPU", 4, true},   {"MEMORY", 9, true},
};

/* The name column keeps at least this many columns. */
#define MIN_NAME 12
/* The host column, shown when there are several hosts; kept while other
 * columns go, since with several hosts it tells the VMs apart. Wide
 * enough for the longest name and " (not answering)", within limits. */
#define HOST_MIN 8
#define HOST_MAX 32

static int host_width(const struct app *a, int cols)
{
	/* What a narrow terminal leaves after the name and the state. */
	int room = cols - 2 - MIN_NAME - columns[COL_STATE].width - 2;
	size_t i, w = 0;

	if (a->nhosts < 2)
		return 0;
	for (i = 0; i < a->nhosts; i++)
		if (ui_text_width(a->hosts[i].name) > w)
			w = ui_text_width(a->hosts[i].name);
	w += strlen(" (not answering)");
	if (w > HOST_MAX)
		w = HOST_MAX;
	if ((int)w > room)
		w = room > HOST_MIN ? (size_t)room : HOST_MIN;
	return w < HOST_MIN ? HOST_MIN : (int)w;
}

static int shown_columns(int cols, int hostw)
{
	int n = NCOLS, used;

	for (;;) {
		int i;

		used = 2 + (hostw ? hostw + 1 : 0);
		for (i = 0; i < n; i++)
			used += columns[i].width + 1;
		if (n <= 1 || cols - used >= MIN_NAME)
			return n;
		n--;
	}
}

static void fmt_memory(long long kib, char *buf, size_t n)
{
	if (kib < 0)
		snprintf(buf, n, "-");
	else if (kib >= 1024LL * 1024)
		snprintf(buf, n, "%.1f GiB", (double)kib / (1024.0 * 1024.0));
	else
		snprintf(buf, n, "%lld MiB", kib / 1024);
}

static void fmt_count(int v, char *buf, size_t n)
{
	if (v < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d", v);
}

static void put_cell(int y, int x, const struct column *c, const char *s)
{
	char buf[32];

	if (c->right)
		snprintf(buf, sizeof(buf), "%*s", c->width, s);
	else
		snprintf(buf, sizeof(buf), "%s", s);
	ui_put(y, x, buf, c->width);
}

/* "lab2" or, while it is not up, "lab2 (disconnected)". */
static void host_cell(const struct app *a, int h, char *buf, size_t n)
{
	const struct host *o = state_host(a, h);

	if (!o)
		snprintf(buf, n, "?");
	else if (o->state == HOST_UP)
		snprintf(buf, n, "%s", o->name);
	else
		snprintf(buf, n, "%s (%s)", o->name, state_host_state_name(o->state));
}

static void draw_row(const struct app *a, const struct be_vm *vm, int y, int cols, int ncols, bool sel)
{
	int hostw = host_width(a, cols), name_w = cols - 2 - (hostw ? hostw + 1 : 0), i, x;
	char cell[32], host[128];

	for (i = 0; i < ncols; i++)
		name_w -= columns[i].width + 1;
	if (sel)
		attron(A_REVERSE);
	ui_put(y, 0, sel ? ">" : " ", 1);
	ui_put(y, 1, vm->name, name_w);
	x = 1 + name_w;
	for (i = 0; i < ncols; i++) {
		ui_put(y, x++, " ", 1);
		switch (i) {
		case COL_STATE:
			attron(ui_state_attr(vm->state));
			put_cell(y, x, &columns[i], state_vm_state_name(vm->state));
			attroff(ui_state_attr(vm->state));
			if (sel)
				attron(A_REVERSE);
			break;
		case COL_SNAPS: fmt_count(vm->nsnap, cell, sizeof(cell)); put_cell(y, x, &columns[i], cell); break;
		case COL_CHAIN: fmt_count(vm->chain_depth, cell, sizeof(cell)); put_cell(y, x, &columns[i], cell); break;
		case COL_VCPUS: fmt_count(vm->vcpus, cell, sizeof(cell)); put_cell(y, x, &columns[i], cell); break;
		case COL_MEMORY: fmt_memory(vm->mem_kib, cell, sizeof(cell)); put_cell(y, x, &columns[i], cell); break;
		}
		x += columns[i].width;
	}
	if (hostw) {
		ui_put(y, x++, " ", 1);
		host_cell(a, vm->host, host, sizeof(host));
		ui_put(y, x, host, hostw);
		x += hostw;
	}
	ui_put(y, x, "", cols - x);
	if (sel)
		attroff(A_REVERSE);
}

static void draw_header(int y, int cols, int ncols, int hostw)
{
	int name_w = cols - 2 - (hostw ? hostw + 1 : 0), i, x;

	for (i = 0; i < ncols; i++)
		name_w -= columns[i].width + 1;
	attron(A_BOLD | A_UNDERLINE);
	ui_put(y, 0, " NAME", name_w + 1);
	x = 1 + name_w;
	for (i = 0; i < ncols; i++) {
		ui_put(y, x++, " ", 1);
		put_cell(y, x, &columns[i], columns[i].title);
		x += columns[i].width;
	}
	if (hostw) {
		ui_put(y, x, " HOST", hostw + 1);
		x += hostw + 1;
	}
	ui_put(y, x, "", cols - x);
	attroff(A_BOLD | A_UNDERLINE);
}

static void draw(const struct app *a, int top, int height, int cols)
{
	int hostw = host_width(a, cols), ncols = shown_columns(cols, hostw), i;
	char buf[128];

	draw_header(top, cols, ncols, hostw);
	if (a->nrows == 0) {
		if (!a->loaded)
			snprintf(buf, sizeof(buf), "  loading...");
		else if (a->filter[0])
			snprintf(buf, sizeof(buf), "  no VM matches the filter");
		else
			snprintf(buf, sizeof(buf), a->nhosts > 1 ? "  no VMs on these hosts" : "  no VMs on this host");
		ui_put(top + 1, 0, buf, cols);
		return;
	}
	for (i = 0; i < height - 1 && a->list_pos.top + (size_t)i < a->nrows; i++) {
		size_t r = a->list_pos.top + (size_t)i;

		draw_row(a, vmlist_row(a, r), top + 1 + i, cols, ncols, r == a->list_pos.sel);
	}
}

const struct view_ops vmlist_view = {
	.name = "VM list",
	.draw = draw,
};
