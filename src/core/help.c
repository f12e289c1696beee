/* The help screen: the keys of the screen it was opened from, then those
 * that work everywhere, then the answers to questions, generated from the
 * key table so that it cannot disagree with the program; then the table
 * of snapshot kinds that --help prints too. */
#include "core/help.h"

#include <stdio.h>

#include "core/keymap.h"
#include "core/listpos.h"
#include "core/screen.h"
#include "core/state.h"

/* The scopes it lists: those of the screen it was opened from (the one in
 * use first, then its other panes'), then those that work everywhere, then
 * the answers to questions; each after the first under a heading line (no
 * key). */
static size_t help_scopes(const struct app *a, enum scope *out)
{
	const struct screen *s = screen_of(a->help_return);
	enum scope add[SCOPE_COUNT + 3];
	size_t i, j, k = 0, n = 0;

	add[k++] = a->help_from;
	for (i = 0; i < s->npanes; i++)
		add[k++] = s->panes[i]->scope;
	add[k++] = s->scope;
	add[k++] = SCOPE_ALL;
	add[k++] = SCOPE_CONFIRM;
	for (i = 0; i < k; i++) {
		for (j = 0; j < n && out[j] != add[i]; j++)
			;
		if (j == n)
			out[n++] = add[i];
	}
	return n;
}

const char help_kinds_heading[] =
	"Snapshot kinds: where | what it captures | what reverting costs | libvirt 9.0 reverts it";

/* One row a kind; its cells in the heading's order. */
static const struct {
	const char *kind, *cell[HELP_KIND_CELLS];
} kinds[HELP_KINDS] = {
	{"int-disk", {"inside each qcow2 file", "the disks of a shut-off VM", "quick: the files go back in place", "yes"}},
	{"int-sys",
	 {"inside each qcow2 file", "the disks and memory of a running VM", "quick: it runs again from that moment",
	  "yes"}},
	{"ext-disk",
	 {"the files as they were, frozen under new overlays",
	  "the disks, all at once (quiesced where a guest agent answers)",
	  "fresh overlays on the frozen files; later layers are left to delete", "from 9.7; vmmanager does it before"}},
	{"ext-sys",
	 {"the same, and the memory in a file beside them", "the disks and memory of a running VM",
	  "the same, and the VM restored from the memory file", "from 9.7; vmmanager does it before"}},
};

const char *help_kind(size_t i, size_t cell)
{
	return i < HELP_KINDS && cell < HELP_KIND_CELLS ? kinds[i].cell[cell] : "";
}

const char *help_kind_name(size_t i)
{
	return i < HELP_KINDS ? kinds[i].kind : "";
}

size_t help_count(const struct app *a)
{
	enum scope sc[SCOPE_COUNT];
	size_t i, n = 0, ns = help_scopes(a, sc);

	for (i = 0; i < ns; i++)
		n += keymap_help_count(sc[i]) + (i > 0);
	return n + 1 + HELP_KINDS * HELP_KIND_CELLS;
}

void help_line(const struct app *a, size_t i, char *key, size_t keyn, const char **text)
{
	enum scope sc[SCOPE_COUNT];
	size_t s, n, ns = help_scopes(a, sc);

	for (s = 0; s < ns; s++) {
		if (s > 0 && i-- == 0) {
			key[0] = '\0';
			*text = keymap_scope_name(sc[s]);
			return;
		}
		n = keymap_help_count(sc[s]);
		if (i < n) {
			*text = keymap_help_line(sc[s], i, key, keyn);
			return;
		}
		i -= n;
	}
	key[0] = '\0';
	*text = "";
	/* The kinds: the heading, then a line a cell, the kind's name on
	 * its first (the others' key a blank: no heading). */
	if (i-- == 0) {
		*text = help_kinds_heading;
	} else if (i < HELP_KINDS * HELP_KIND_CELLS) {
		snprintf(key, keyn, "%s", i % HELP_KIND_CELLS ? " " : help_kind_name(i / HELP_KIND_CELLS));
		*text = help_kind(i / HELP_KIND_CELLS, i % HELP_KIND_CELLS);
	}
}

void help_open(struct app *a)
{
	a->help_from = screen_scope(a);
	a->help_return = a->screen;
	a->help_pos = (struct listpos){0, 0};
	a->screen = SCREEN_HELP;
	a->redraw = true;
}


static enum request help_request(struct app *a, enum request req, struct cmds *out)
{
	size_t n = help_count(a), h = state_list_height(a);
	size_t tops = n > h ? n - h + 1 : 1; /* where its first line can be */

	(void)out;
	switch (req) {
	case REQ_HELP:
	case REQ_BACK:
	case REQ_CANCEL: a->screen = a->help_return; break;
	default:
		if (!listpos_move(&a->help_pos, req, tops, h))
			return req;
		listpos_scroll(&a->help_pos, tops, 1);
	}
	a->redraw = true;
	return REQ_NONE;
}

static const struct hint help_hints[] = {
	{REQ_HELP, NULL, NULL},        {REQ_BACK, NULL, NULL}, {REQ_SCREEN_VMS, NULL, NULL},
	{REQ_SCREEN_JOBS, NULL, NULL}, {REQ_NONE, NULL, NULL},
};

const struct screen help_screen = {
	.scope = SCOPE_HELP,
	.request = help_request,
	.hints = help_hints,
};
