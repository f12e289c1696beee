/* Questions, forms and menus: one dialog at a time, on top of any screen.
 * A dialog knows no feature: its creator gives it the command its answer
 * acts on and the handler that does it. */
#ifndef VMM_DIALOG_H
#define VMM_DIALOG_H

#include <stdbool.h>

#include "core/cmd.h"

struct app;

enum dialog_kind {
	DLG_NONE,
	DLG_CONFIRM, /* the confirm key runs done; any other key cancels */
	DLG_FORM,    /* text fields; Enter runs done, Esc cancels */
	DLG_MENU,    /* an item's key runs done; any other key cancels */
};

#define DLG_FIELDS 4 /* as many as libvirt asks credentials at once */
#define DLG_ITEMS 6
#define DLG_CHOICES 4
/* How long a question shown unasked-for ignores keys. */
#define DLG_GUARD_MS 500

/* What a dialog does with its answer (key: the confirm key, an item's key,
 * Enter), or with a cancel. It runs with the dialog still open as a->dlg
 * and closes it (dialog_close), opens the next question in its place, or
 * leaves a form open on a value it refuses, saying why. */
typedef void dialog_done_fn(struct app *a, int key, struct cmds *out);

struct dialog {
	enum dialog_kind kind;
	dialog_done_fn *done;
	dialog_done_fn *cancel; /* NULL: a cancel just closes it, saying so */
	struct cmd *cmd;        /* what the answer acts on; the dialog's own,
				 * freed when it closes */
	const char *hint;       /* a form's keys, when it says them its way */
	char title[1024];
	char text[4096]; /* lines separated by '\n' */
	struct {
		char label[32];
		char value[4096]; /* a path up to PATH_MAX */
		bool secret; /* drawn as '*' */
		/* A choice field: value is one of these, Space or the arrow
		 * keys change it; none for a text field. */
		char choice[DLG_CHOICES][64];
		int nchoices;
	} field[DLG_FIELDS];
	int nfields, active;
	struct {
		int key;
		char label[160];
	} item[DLG_ITEMS];
	int nitems;
};

/* A form's field and a menu's item, as the builders take them. */
struct dialog_field {
	const char *label, *value; /* value: what it starts with */
	bool secret;
	const char *const *choices; /* a choice field's (value among them) */
	int nchoices;
};

struct dialog_item {
	int key;
	const char *label;
};

/* Asks whether to go ahead with c (copied), done running on the confirm
 * key. A question that comes from a finished job while another is open
 * waits until that one closes (one may wait: a second is not asked, and
 * the status says so); the follow-up question of the dialog being
 * answered takes its place. */
void dialog_confirm(struct app *a, const struct cmd *c, dialog_done_fn *done, const char *what, const char *fmt,
		    ...) __attribute__((format(printf, 5, 6)));
/* A form of n fields (up to DLG_FIELDS) for c (copied), and a menu of n
 * items (up to DLG_ITEMS), in the place of the dialog open; hint NULL for
 * the usual keys. Each returns the dialog for its creator to finish. */
struct dialog *dialog_form(struct app *a, const struct cmd *c, const char *title, const char *text,
			   const struct dialog_field *fields, int n, const char *hint, dialog_done_fn *done);
struct dialog *dialog_menu(struct app *a, const struct cmd *c, const char *title, const char *text,
			   const struct dialog_item *items, int n, dialog_done_fn *done);
/* Closes the dialog; a question that waited behind it opens. */
void dialog_close(struct app *a);
/* Closes the dialog, saying it was cancelled. */
void dialog_cancel(struct app *a);
/* Frees what d holds and empties it. */
void dialog_clear(struct dialog *d);
/* A key for the open dialog: its answer, a field's edit, or a cancel.
 * Keys in the moment after a question opened unasked-for are ignored. */
void dialog_key(struct app *a, int key, struct cmds *out);
/* Edits a line of text with key (the forms' fields, the VM list's
 * filter); true when the key was an edit. */
bool dialog_edit_text(char *s, size_t n, int key);

#endif
