/* Questions, forms and menus: one dialog at a time, on top of any screen.
 * Built for a command and a done handler its creator gives; the keys
 * answer it, run that handler, or cancel. */
#include "core/dialog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keymap.h"
#include "core/state.h"
#include "shared/util.h"

void dialog_clear(struct dialog *d)
{
	free(d->cmd);
	memset(d, 0, sizeof(*d));
}

/* Makes d a dialog of kind for a copy of c (c may be the one d holds). */
static struct dialog *open_in(struct app *a, struct dialog *d, enum dialog_kind kind, const struct cmd *c,
			      const char *title, dialog_done_fn *done)
{
	struct cmd *own = xmalloc(sizeof(*own));

	*own = *c;
	if (own->name[0] && !own->uuid[0]) /* the VM as it is when asked */
		str_copy(own->uuid, state_vm_uuid(a, own->host, own->name), sizeof(own->uuid));
	dialog_clear(d);
	d->kind = kind;
	d->cmd = own;
	d->done = done;
	str_copy(d->title, title, sizeof(d->title));
	a->redraw = true;
	return d;
}

void dialog_confirm(struct app *a, const struct cmd *c, dialog_done_fn *done, const char *what, const char *fmt, ...)
{
	/* A question that comes from a finished job must not take over the
	 * dialog the user is answering: it waits until that one closes. The
	 * follow-up question of the dialog being answered replaces it. */
	struct dialog *d = a->dlg.kind == DLG_NONE || a->answering ? &a->dlg : &a->dlg_next;
	va_list ap;

	if (d == &a->dlg_next && a->dlg_next.kind != DLG_NONE) {
		state_set_status(a, true, "%s: not asked, another question is waiting; try again", what);
		return;
	}
	if (d == &a->dlg)
		a->status[0] = '\0'; /* the question replaces the last outcome */
	open_in(a, d, DLG_CONFIRM, c, what, done);
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
}

struct dialog *dialog_form(struct app *a, const struct cmd *c, const char *title, const char *text,
			   const struct dialog_field *fields, int n, const char *hint, dialog_done_fn *done)
{
	struct dialog *d = open_in(a, &a->dlg, DLG_FORM, c, title, done);
	int i, k;

	str_copy(d->text, text, sizeof(d->text));
	d->hint = hint;
	for (i = 0; i < n && i < DLG_FIELDS; i++) {
		str_copy(d->field[i].label, fields[i].label, sizeof(d->field[i].label));
		str_copy(d->field[i].value, fields[i].value, sizeof(d->field[i].value));
		d->field[i].secret = fields[i].secret;
		for (k = 0; k < fields[i].nchoices && k < DLG_CHOICES; k++)
			str_copy(d->field[i].choice[k], fields[i].choices[k], sizeof(d->field[i].choice[k]));
		d->field[i].nchoices = k;
	}
	d->nfields = i;
	return d;
}

struct dialog *dialog_menu(struct app *a, const struct cmd *c, const char *title, const char *text,
			   const struct dialog_item *items, int n, dialog_done_fn *done)
{
	struct dialog *d = open_in(a, &a->dlg, DLG_MENU, c, title, done);
	int i;

	str_copy(d->text, text, sizeof(d->text));
	for (i = 0; i < n && i < DLG_ITEMS; i++) {
		d->item[i].key = items[i].key;
		str_copy(d->item[i].label, items[i].label, sizeof(d->item[i].label));
	}
	d->nitems = i;
	return d;
}

/* Appends code point key to s (of size n) as UTF-8, if it fits. */
static void append_utf8(char *s, size_t n, int key)
{
	size_t len = strlen(s);
	char u[4];
	size_t k;

	if (key < 0x80) {
		u[0] = (char)key, k = 1;
	} else if (key < 0x800) {
		u[0] = (char)(0xC0 | (key >> 6)), u[1] = (char)(0x80 | (key & 0x3F)), k = 2;
	} else if (key < 0x10000) {
		u[0] = (char)(0xE0 | (key >> 12)), u[1] = (char)(0x80 | ((key >> 6) & 0x3F));
		u[2] = (char)(0x80 | (key & 0x3F)), k = 3;
	} else {
		u[0] = (char)(0xF0 | (key >> 18)), u[1] = (char)(0x80 | ((key >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((key >> 6) & 0x3F)), u[3] = (char)(0x80 | (key & 0x3F)), k = 4;
	}
	if (len + k < n) {
		memcpy(s + len, u, k);
		s[len + k] = '\0';
	}
}

/* Removes the last UTF-8 character of s. */
static void delete_last(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && ((unsigned char)s[len - 1] & 0xC0) == 0x80)
		len--;
	if (len > 0)
		len--;
	s[len] = '\0';
}

/* Edits a line of text with key; true when the key was an edit. */
bool dialog_edit_text(char *s, size_t n, int key)
{
	if (key == VK_BACKSPACE || key == 8) {
		delete_last(s);
		return true;
	}
	if (key == 21) { /* Ctrl-U */
		s[0] = '\0';
		return true;
	}
	if (key >= 32 && key != 127 && key < 0x110000 && !(key >= 0x80 && key < 0xA0)) {
		append_utf8(s, n, key);
		return true;
	}
	return false;
}

void dialog_close(struct app *a)
{
	dialog_clear(&a->dlg);
	if (a->dlg_next.kind != DLG_NONE) {
		a->dlg = a->dlg_next;
		memset(&a->dlg_next, 0, sizeof(a->dlg_next)); /* a->dlg holds its command now */
		/* Keys typed for the last question (a repeated y) must not
		 * answer this one: give the eye a moment to see it. */
		a->dlg_guard_ms = a->now_ms + DLG_GUARD_MS;
	}
	a->redraw = true;
}

void dialog_cancel(struct app *a)
{
	dialog_close(a);
	state_set_status(a, false, "Cancelled");
}

/* Any key but the dialog's answers: its creator's cancel, or just closed. */
static void cancelled(struct app *a, int key, struct cmds *out)
{
	if (a->dlg.cancel)
		a->dlg.cancel(a, key, out);
	else
		dialog_cancel(a);
}

/* A choice field's next (step 1) or previous (-1) choice. */
static void choose(struct dialog *d, int step)
{
	int n = d->field[d->active].nchoices, k;

	for (k = 0; k < n && strcmp(d->field[d->active].choice[k], d->field[d->active].value); k++)
		;
	k = k == n ? 0 : (k + n + step) % n;
	str_copy(d->field[d->active].value, d->field[d->active].choice[k], sizeof(d->field[0].value));
}

static void form_key(struct app *a, int key, struct cmds *out)
{
	struct dialog *d = &a->dlg;

	if (key == VK_ESC) {
		cancelled(a, key, out);
	} else if (key == VK_ENTER) {
		d->done(a, key, out);
	} else if (key == VK_TAB || key == VK_DOWN) {
		d->active = (d->active + 1) % d->nfields;
	} else if (key == VK_UP) {
		d->active = (d->active + d->nfields - 1) % d->nfields;
	} else if (d->field[d->active].nchoices) {
		if (key == ' ' || key == VK_RIGHT || key == VK_LEFT)
			choose(d, key == VK_LEFT ? -1 : 1); /* typing never makes a value of its own */
	} else {
		dialog_edit_text(d->field[d->active].value, sizeof(d->field[0].value), key);
	}
	a->redraw = true;
}

static bool menu_has(const struct dialog *d, int key)
{
	int i;

	for (i = 0; i < d->nitems; i++)
		if (d->item[i].key == key)
			return true;
	return false;
}

static void answer(struct app *a, int key, struct cmds *out)
{
	switch (a->dlg.kind) {
	case DLG_CONFIRM:
		if (keymap_lookup(SCOPE_CONFIRM, key) != REQ_CONFIRM)
			cancelled(a, key, out);
		else
			a->dlg.done(a, key, out);
		break;
	case DLG_FORM:
		form_key(a, key, out);
		break;
	case DLG_MENU:
		if (menu_has(&a->dlg, key))
			a->dlg.done(a, key, out);
		else
			cancelled(a, key, out);
		break;
	case DLG_NONE:
		break;
	}
}

void dialog_key(struct app *a, int key, struct cmds *out)
{
	if (a->now_ms < a->dlg_guard_ms)
		return;
	a->answering = true;
	answer(a, key, out);
	a->answering = false;
}
