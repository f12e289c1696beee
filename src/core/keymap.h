/* Keys to requests, per screen. Key codes are Unicode code points, control
 * characters (Ctrl-L is 12) or the VK_ values for keys with no character;
 * the UI translates its terminal keys into these. */
#ifndef VMM_KEYMAP_H
#define VMM_KEYMAP_H

#include <stddef.h>

#include "core/request.h"

enum vkey {
	VK_NONE = 0,
	VK_TAB = 9,
	VK_ENTER = 10,
	VK_CTRL_L = 12,
	VK_ESC = 27,
	VK_BACKSPACE = 127,
	VK_UP = 0x110000,
	VK_DOWN,
	VK_LEFT,
	VK_RIGHT,
	VK_HOME,
	VK_END,
	VK_PAGE_UP,
	VK_PAGE_DOWN,
	VK_RESIZE,
};

/* Where a binding applies. SCOPE_ALL bindings apply on every screen unless
 * that screen binds the same key itself. */
enum scope {
	SCOPE_ALL,
	SCOPE_VMLIST,
	SCOPE_SNAPSHOTS, /* the VM screen's snapshot tree */
	SCOPE_CHAIN,     /* the VM screen's disk chains */
	SCOPE_JOBS,
	SCOPE_IMAGES,
	SCOPE_HELP,
	SCOPE_LOG, /* the message log */
	SCOPE_CONFIRM, /* a yes/no question */
	SCOPE_COUNT,
};

struct binding {
	enum scope scope;
	int key;
	enum request req;
};

/* The request key asks for in the first of the n scopes that binds it
 * (on a screen: its pane's scope, the screen's, then SCOPE_ALL; see
 * screen_scopes); REQ_NONE when none does. */
enum request keymap_find(const enum scope *scopes, size_t n, int key);
/* keymap_find in scope, then in SCOPE_ALL. */
enum request keymap_lookup(enum scope scope, int key);

/* Writes a readable name of key ("j", "Ctrl-L", "Up") into buf. */
const char *keymap_key_name(int key, char *buf, size_t n);

/* The bindings of scope (not those of SCOPE_ALL), for help texts. Returns
 * the number written to out, at most max. */
size_t keymap_bindings(enum scope scope, const struct binding **out, size_t max);

const char *keymap_scope_name(enum scope scope);

/* For a key that does nothing in scope: where else it works, "c does
 * nothing here; it works in VM screen, disk chains (commit: ...)", into
 * buf. Returns how many other scopes bind it (0: buf is ""). */
size_t keymap_elsewhere(enum scope scope, int key, char *buf, size_t n);

/* The name of the first key that asks for req where the n scopes apply
 * (as keymap_find looks them up), "" when none does: for hints that name a
 * key. */
const char *keymap_request_key(const enum scope *scopes, size_t n, enum request req, char *buf, size_t bn);

/* Help for scope: one line per request bound there, in table order.
 * keymap_help_line fills keys ("j, Down") and returns the text. */
size_t keymap_help_count(enum scope scope);
const char *keymap_help_line(enum scope scope, size_t i, char *keys, size_t n);

#endif
