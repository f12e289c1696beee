/* The key table (keys.def.h) looked up by scope, and the key names and
 * help lines made from it (keymap.h). */
#include "core/keymap.h"

#include <stdbool.h>
#include <stdio.h>

#include "core/request.h"
#include "shared/util.h"

#include "core/keys.def.h"

enum request keymap_find(const enum scope *scopes, size_t n, int key)
{
	size_t s, i;

	for (s = 0; s < n; s++)
		for (i = 0; i < ARRAY_LEN(default_bindings); i++)
			if (default_bindings[i].scope == scopes[s] && default_bindings[i].key == key)
				return default_bindings[i].req;
	return REQ_NONE;
}

enum request keymap_lookup(enum scope scope, int key)
{
	const enum scope scopes[] = {scope, SCOPE_ALL};

	return keymap_find(scopes, ARRAY_LEN(scopes), key);
}

const char *keymap_key_name(int key, char *buf, size_t n)
{
	static const struct {
		int key;
		const char *name;
	} named[] = {
		{VK_TAB, "Tab"},       {VK_ENTER, "Enter"},    {VK_ESC, "Esc"},
		{VK_BACKSPACE, "Backspace"}, {VK_UP, "Up"},    {VK_DOWN, "Down"},
		{VK_LEFT, "Left"},     {VK_RIGHT, "Right"},    {VK_HOME, "Home"},
		{VK_END, "End"},       {VK_PAGE_UP, "PgUp"},   {VK_PAGE_DOWN, "PgDn"},
		{' ', "Space"},
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(named); i++)
		if (named[i].key == key)
			return str_copy(buf, named[i].name, n);
	if (key > 0 && key < 32)
		snprintf(buf, n, "Ctrl-%c", '@' + key);
	else if (key < 128)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "U+%04X", (unsigned)key);
	return buf;
}

size_t keymap_bindings(enum scope scope, const struct binding **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_LEN(default_bindings) && n < max; i++)
		if (default_bindings[i].scope == scope)
			out[n++] = &default_bindings[i];
	return n;
}

const char *keymap_scope_name(enum scope scope)
{
	static const char *names[SCOPE_COUNT] = {"everywhere", "VM list", "VM screen, snapshots",
						  "VM screen, disk chains", "jobs screen", "images screen",
						  "help", "message log", "questions"};

	return scope < SCOPE_COUNT ? names[scope] : "";
}

static bool in_scopes(enum scope scope, const enum scope *scopes, size_t n)
{
	size_t i;

	for (i = 0; i < n && scopes[i] != scope; i++)
		;
	return i < n;
}

const char *keymap_request_key(const enum scope *scopes, size_t n, enum request req, char *buf, size_t bn)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(default_bindings); i++) {
		const struct binding *b = &default_bindings[i];

		if (b->req == req && in_scopes(b->scope, scopes, n) && keymap_find(scopes, n, b->key) == req)
			return keymap_key_name(b->key, buf, bn);
	}
	return str_copy(buf, "", bn);
}

/* The distinct requests bound in a scope, in table order. */
static size_t scope_requests(enum scope scope, enum request *reqs, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < ARRAY_LEN(default_bindings); i++) {
		if (default_bindings[i].scope != scope)
			continue;
		for (j = 0; j < n && reqs[j] != default_bindings[i].req; j++)
			;
		if (j == n && n < max)
			reqs[n++] = default_bindings[i].req;
	}
	return n;
}

size_t keymap_help_count(enum scope scope)
{
	enum request reqs[REQ_COUNT];

	return scope_requests(scope, reqs, ARRAY_LEN(reqs));
}

const char *keymap_help_line(enum scope scope, size_t i, char *keys, size_t n)
{
	enum request reqs[REQ_COUNT];
	size_t nr = scope_requests(scope, reqs, ARRAY_LEN(reqs)), j, len = 0;
	char one[32];

	if (n)
		keys[0] = '\0';
	if (i >= nr)
		return "";
	for (j = 0; j < ARRAY_LEN(default_bindings) && len < n; j++) {
		const struct binding *b = &default_bindings[j];

		if (b->scope != scope || b->req != reqs[i])
			continue;
		keymap_key_name(b->key, one, sizeof(one));
		len += (size_t)snprintf(keys + len, n - len, "%s%s", len ? ", " : "", one);
	}
	return request_help(reqs[i]);
}

size_t keymap_elsewhere(enum scope scope, int key, char *buf, size_t n)
{
	size_t i, found = 0, len;
	char name[32];

	len = (size_t)snprintf(buf, n, "%s does nothing here; it works in ", keymap_key_name(key, name, sizeof(name)));
	for (i = 0; i < ARRAY_LEN(default_bindings) && len < n; i++) {
		const struct binding *b = &default_bindings[i];

		/* A question's keys are its own; everywhere means here too. */
		if (b->key != key || b->scope == scope || b->scope == SCOPE_ALL || b->scope == SCOPE_CONFIRM)
			continue;
		len += (size_t)snprintf(buf + len, n - len, "%s%s (%s)", found ? " and in " : "",
					keymap_scope_name(b->scope), request_help(b->req));
		found++;
	}
	if (!found && n)
		buf[0] = '\0';
	return found;
}
