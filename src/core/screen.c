/* The table of screens and the one rule by which a key reaches them: its
 * pane first, then its screen, then the global handler (screen.h). */
#include "core/screen.h"

#include <string.h>

#include "core/keymap.h"
#include "core/request.h"
#include "core/state.h"
#include "shared/util.h"

static const struct screen *const screens[SCREEN_COUNT] = {
#define SCREEN_ENTRY(id, core, ui) [SCREEN_##id] = &core##_screen,
	SCREEN_LIST(SCREEN_ENTRY)
#undef SCREEN_ENTRY
};

const struct screen *screen_of(enum app_screen s)
{
	return screens[s < SCREEN_COUNT ? s : SCREEN_VMLIST];
}

const struct pane *screen_pane(const struct app *a)
{
	const struct screen *s = screen_of(a->screen);
	size_t i;

	if (!s->npanes)
		return NULL;
	i = s->pane(a);
	return s->panes[i < s->npanes ? i : 0];
}

enum scope screen_scope(const struct app *a)
{
	const struct pane *p = screen_pane(a);

	return p ? p->scope : screen_of(a->screen)->scope;
}

size_t screen_scopes(const struct app *a, enum scope *out)
{
	const struct pane *p = screen_pane(a);
	size_t n = 0;

	if (p)
		out[n++] = p->scope;
	if (!n || out[0] != screen_of(a->screen)->scope)
		out[n++] = screen_of(a->screen)->scope;
	out[n++] = SCOPE_ALL;
	return n;
}

const char *screen_request_key(const struct app *a, enum request req, char *buf, size_t n)
{
	enum scope sc[3];

	return keymap_request_key(sc, screen_scopes(a, sc), req, buf, n);
}

/* Appends s to buf (len used of n), cut at a character's end. */
static void append_cut(char *buf, size_t n, size_t *len, const char *s)
{
	if (*len < n) {
		str_copy(buf + *len, s, n - *len);
		*len += strlen(buf + *len);
	}
}

static const char *hint_label(const struct hint *h)
{
	return h->label ? h->label : request_hint(h->req);
}

/* A group's label once, after its keys, and its note. */
static void add_label(const struct app *a, const struct hint *h, char *buf, size_t n, size_t *len)
{
	append_cut(buf, n, len, " ");
	append_cut(buf, n, len, hint_label(h));
	if (h->note) {
		append_cut(buf, n, len, " (");
		append_cut(buf, n, len, h->note(a));
		append_cut(buf, n, len, ")");
	}
}

void screen_hints(const struct app *a, char *buf, size_t n)
{
	const struct pane *p = screen_pane(a);
	const struct hint *h = p && p->hints ? p->hints : screen_of(a->screen)->hints, *group = NULL;
	enum scope sc[3];
	size_t ns = screen_scopes(a, sc), len = 0;
	char key[32];

	if (n)
		buf[0] = '\0';
	for (; h && h->req != REQ_NONE; h++) {
		if (!*keymap_request_key(sc, ns, h->req, key, sizeof(key)))
			continue; /* no key asks for it here */
		if (group && !strcmp(hint_label(group), hint_label(h))) {
			append_cut(buf, n, &len, " ");
		} else {
			if (group)
				add_label(a, group, buf, n, &len);
			append_cut(buf, n, &len, len ? "  " : "");
		}
		append_cut(buf, n, &len, key);
		group = h;
	}
	if (group)
		add_label(a, group, buf, n, &len);
}

enum request screen_fallback(struct app *a, const struct screen *s, const struct pane *p, screen_request_fn *global,
			     enum request req, struct cmds *out)
{
	if (p && req != REQ_NONE)
		req = p->request(a, req, out);
	if (req != REQ_NONE)
		req = s->request(a, req, out);
	if (req != REQ_NONE && global)
		req = global(a, req, out);
	return req;
}

/* A request nothing used, of a key that another pane of the screen binds
 * to it: that pane is where it works. */
static void other_pane(struct app *a, const struct screen *s, const struct pane *cur, int key, enum request req)
{
	char next[32];
	size_t i;

	for (i = 0; i < s->npanes; i++) {
		const struct pane *p = s->panes[i];

		if (p != cur && keymap_find(&p->scope, 1, key) == req) {
			state_set_status(a, true, "That key works on the %s: %s goes there", p->name,
					 screen_request_key(a, REQ_NEXT_PANE, next, sizeof(next)));
			return;
		}
	}
}

void screen_key(struct app *a, int key, screen_request_fn *global, struct cmds *out)
{
	const struct screen *s = screen_of(a->screen);
	const struct pane *p = screen_pane(a);
	enum scope sc[3];
	enum request req = keymap_find(sc, screen_scopes(a, sc), key);
	char where[600];

	if (req == REQ_NONE) {
		/* One rule for every screen and pane: a key bound elsewhere
		 * says where it works. */
		if (keymap_elsewhere(sc[0], key, where, sizeof(where)))
			state_set_status(a, true, "%s", where);
		return;
	}
	req = screen_fallback(a, s, p, global, req, out);
	if (req != REQ_NONE)
		other_pane(a, s, p, key, req);
}

void screen_scroll_all(struct app *a)
{
	size_t s, i;

	for (s = 0; s < SCREEN_COUNT; s++) {
		if (screens[s]->scroll)
			screens[s]->scroll(a);
		for (i = 0; i < screens[s]->npanes; i++)
			screens[s]->panes[i]->scroll(a);
	}
}

void screen_open_vm(struct app *a, enum app_screen s, int host, const char *vm, struct cmds *out)
{
	if (screen_of(s)->open_vm)
		screen_of(s)->open_vm(a, host, vm, out);
}
