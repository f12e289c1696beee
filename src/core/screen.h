/* The screens, listed once. SCREEN_LIST generates the enum, the core's
 * table of screens (screen.c) and the UI's table of views (ui/view.h);
 * each screen's module fills its struct screen (scope, request handler,
 * list, key hints) and ends with it. A key becomes a request where the
 * screen shown looks it up, and the request goes to its pane's handler,
 * then its screen's, then the global one. */
#ifndef VMM_SCREEN_H
#define VMM_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cmd.h"
#include "core/keymap.h"
#include "core/request.h"

/* One row a screen: its id, the prefix of its core module's struct screen
 * (vmlist_screen in core/vmlist.c) and of its UI view (vmlist_view in
 * ui/view_vmlist.c). */
#define SCREEN_LIST(S) \
	S(VMLIST, vmlist, vmlist) \
	S(VM, snapview, vm) \
	S(JOBS, jobview, jobs) \
	S(IMAGES, images, images) \
	S(HELP, help, help) \
	S(LOG, logview, log)

enum app_screen {
#define SCREEN_ENUM(id, core, ui) SCREEN_##id,
	SCREEN_LIST(SCREEN_ENUM)
#undef SCREEN_ENUM
	SCREEN_COUNT
};

struct app;

/* Handles req and returns REQ_NONE, or returns req unused: the next
 * handler of the fallback rule then gets it. */
typedef enum request screen_request_fn(struct app *a, enum request req, struct cmds *out);

/* One item of a screen's hint line (its bottom line when nothing else is
 * said): the key that asks for req there, and label, the request's own
 * hint word when NULL. Items in a row with the same label share it: "j k
 * PgUp PgDn g G scroll". note, when set, adds what it returns in
 * parentheses: "o sort (name)". A list of them ends with REQ_NONE. */
struct hint {
	enum request req;
	const char *label;
	const char *(*note)(const struct app *a);
};

/* A part of a screen with keys of its own (the VM screen's snapshot tree
 * and disk chains): its requests go to it before its screen. */
struct pane {
	const char *name; /* "That key works on the snapshot tree" */
	enum scope scope;
	screen_request_fn *request;
	/* Keeps its list position (a struct listpos) in range and in view. */
	void (*scroll)(struct app *a);
	const struct hint *hints;
};

struct screen {
	enum scope scope; /* its keys: after its pane's, before SCOPE_ALL */
	screen_request_fn *request;
	/* Keeps its list position in range and in view; NULL: none. */
	void (*scroll)(struct app *a);
	const struct hint *hints; /* NULL when its panes have them */
	/* Optional: takes a key before it is looked up (a filter typed into),
	 * true when it did. */
	bool (*key)(struct app *a, int key);
	/* Optional: reads again what it shows (Ctrl-L). */
	void (*reload)(struct app *a, struct cmds *out);
	/* Optional: shows the screen on VM vm of host (the VM screen, opened
	 * from a row of a screen below it: screen_open_vm). */
	void (*open_vm)(struct app *a, int host, const char *vm, struct cmds *out);
	/* Optional: its panes, and which has the keys now. */
	const struct pane *const *panes;
	size_t npanes;
	size_t (*pane)(const struct app *a);
};

#define SCREEN_DECLARE(id, core, ui) extern const struct screen core##_screen;
SCREEN_LIST(SCREEN_DECLARE)
#undef SCREEN_DECLARE

const struct screen *screen_of(enum app_screen s);
/* The pane of the screen shown that has the keys, or NULL. */
const struct pane *screen_pane(const struct app *a);
/* The scope of the keys on the screen shown now: its pane's, or its own. */
enum scope screen_scope(const struct app *a);
/* Where its keys are looked up, first first: its pane's scope, its own,
 * SCOPE_ALL. Returns how many (at most 3) it wrote to out. */
size_t screen_scopes(const struct app *a, enum scope *out);
/* The name of the key that asks for req on the screen shown ("" when
 * none does), into buf. */
const char *screen_request_key(const struct app *a, enum request req, char *buf, size_t n);

/* The hint line of the screen shown (or of its pane), with the keys that
 * ask for each request there, into buf. */
void screen_hints(const struct app *a, char *buf, size_t n);

/* The fallback rule: req goes to the pane's handler (p may be NULL), then
 * to the screen's, then to global; returns what none of them used. */
enum request screen_fallback(struct app *a, const struct screen *s, const struct pane *p, screen_request_fn *global,
			     enum request req, struct cmds *out);
/* A key on the screen shown, by the fallback rule; a key that does
 * nothing here says where it works instead. */
void screen_key(struct app *a, int key, screen_request_fn *global, struct cmds *out);
/* Every screen keeps its lists in range and in view (after a resize). */
void screen_scroll_all(struct app *a);
/* Shows screen s on VM vm of host, through its open_vm handler: how a
 * screen opens one above it without calling it. */
void screen_open_vm(struct app *a, enum app_screen s, int host, const char *vm, struct cmds *out);

#endif
