/* Questions, forms and menus: one dialog at a time, on top of any screen.
 * A confirmation runs its command only on the confirm key. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "core/util.h"


void app_confirm(struct app *a, const struct cmd *on_yes, const char *what, const char *fmt, ...)
{
	/* A question that comes from a finished job must not take over the
	 * dialog the user is answering: it waits until that one closes. The
	 * follow-up question of the dialog being answered replaces it. */
	struct dialog *d = a->dlg.kind == DLG_NONE || a->answering ? &a->dlg : &a->dlg_next;
	va_list ap;

	if (d == &a->dlg_next && a->dlg_next.kind != DLG_NONE) {
		app_set_status(a, true, "%s: not asked, another question is waiting; try again", what);
		return;
	}
	memset(d, 0, sizeof(*d));
	if (d == &a->dlg)
		a->status[0] = '\0'; /* the question replaces the last outcome */
	d->kind = DLG_CONFIRM;
	d->on_yes = *on_yes;
	if (on_yes->name[0] && !on_yes->uuid[0]) /* the VM as it is when asked */
		str_copy(d->on_yes.uuid, app_vm_uuid(a, on_yes->host, on_yes->name), sizeof(d->on_yes.uuid));
	str_copy(d->title, what, sizeof(d->title));
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
	a->redraw = true;
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
bool app_edit_text(char *s, size_t n, int key)
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

void app_close_dialog(struct app *a)
{
	a->dlg.kind = DLG_NONE;
	if (a->dlg_next.kind != DLG_NONE) {
		a->dlg = a->dlg_next;
		a->dlg_next.kind = DLG_NONE;
		/* Keys typed for the last question (a repeated y) must not
		 * answer this one: give the eye a moment to see it. */
		a->dlg_guard_ms = a->now_ms + DLG_GUARD_MS;
	} else if (hosts_show_login(a)) {
		a->dlg_guard_ms = a->now_ms + DLG_GUARD_MS; /* likewise */
	}
	a->redraw = true;
}

static void form_key(struct app *a, int key, struct cmds *out)
{
	struct dialog *d = &a->dlg;

	if (d->purpose == DP_AUTH && (key == VK_ESC || key == VK_ENTER)) {
		hosts_auth_form_done(a, key == VK_ESC, out);
	} else if (key == VK_ESC) {
		app_close_dialog(a);
		app_set_status(a, false, "Cancelled");
	} else if (key == VK_ENTER) {
		if (d->purpose == DP_OVERLAY_NEW)
			chain_form_done(a, out);
		else
			snapview_form_done(a, out);
	} else if (key == VK_TAB || key == VK_DOWN) {
		d->active = (d->active + 1) % d->nfields;
	} else if (key == VK_UP) {
		d->active = (d->active + d->nfields - 1) % d->nfields;
	} else {
		app_edit_text(d->field[d->active].value, sizeof(d->field[0].value), key);
	}
	a->redraw = true;
}

static void dialog_key(struct app *a, int key, struct cmds *out)
{
	struct cmd yes;
	struct cmd *c;
	char what[sizeof(a->dlg.title)];

	switch (a->dlg.kind) {
	case DLG_CONFIRM:
		yes = a->dlg.on_yes;
		str_copy(what, a->dlg.title, sizeof(what));
		app_close_dialog(a);
		if (keymap_lookup(SCOPE_CONFIRM, key) != REQ_CONFIRM) {
			app_set_status(a, false, "Cancelled");
			break;
		}
		if (yes.type == CMD_QUIT) {
			a->quit = true;
			app_push(out, CMD_QUIT);
		} else if (cmd_lane(yes.type) == LANE_OPS) {
			jobs_start(a, out, &yes, what);
		} else if ((c = app_push(out, yes.type))) {
			*c = yes;
			app_set_status(a, false, "%s...", what);
		}
		break;
	case DLG_FORM:
		form_key(a, key, out);
		break;
	case DLG_MENU:
		if (a->dlg.purpose == DP_COMMIT)
			chain_menu_done(a, key);
		else if (a->dlg.purpose == DP_RESET)
			chain_reset_done(a, key, out);
		else
			snapview_menu_done(a, key, out);
		break;
	case DLG_NONE:
		break;
	}
}

void app_dialog_key(struct app *a, int key, struct cmds *out)
{
	if (a->now_ms < a->dlg_guard_ms)
		return;
	a->answering = true;
	dialog_key(a, key, out);
	a->answering = false;
}
