/* The table of screens and the one fallback rule: a request goes to the
 * pane, then to its screen, then to the global handler, and stops at the
 * first that uses it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* Which handler saw which request, in order. */
static char seen[16][8];
static size_t nseen;

static void saw(const char *who)
{
	if (nseen < ARRAY_LEN(seen))
		str_copy(seen[nseen++], who, sizeof(seen[0]));
}

/* The pane uses Space; the screen uses q and Space (never reached when the
 * pane has it); the global handler uses ?. */
static enum request fake_pane(struct app *a, enum request req, struct cmds *out)
{
	(void)a;
	(void)out;
	saw("pane");
	return req == REQ_TOGGLE ? REQ_NONE : req;
}

static enum request fake_screen(struct app *a, enum request req, struct cmds *out)
{
	(void)a;
	(void)out;
	saw("screen");
	return req == REQ_BACK || req == REQ_TOGGLE ? REQ_NONE : req;
}

static enum request fake_global(struct app *a, enum request req, struct cmds *out)
{
	(void)a;
	(void)out;
	saw("global");
	return req == REQ_HELP ? REQ_NONE : req;
}

static const struct pane pane = {.name = "pane", .scope = SCOPE_SNAPSHOTS, .request = fake_pane};
static const struct screen screen = {.scope = SCOPE_SNAPSHOTS, .request = fake_screen};

/* req through the rule; the handlers that saw it, joined by spaces. */
static enum request route(const struct pane *p, enum request req, char *who, size_t n)
{
	struct app a;
	struct cmds out = {0};
	size_t i, len = 0;

	memset(&a, 0, sizeof(a));
	nseen = 0;
	req = screen_fallback(&a, &screen, p, fake_global, req, &out);
	who[0] = '\0';
	for (i = 0; i < nseen; i++)
		len += (size_t)snprintf(who + len, n - len, "%s%s", i ? " " : "", seen[i]);
	return req;
}

static void a_request_stops_at_the_first_handler_that_uses_it(void **state)
{
	char who[64];

	(void)state;
	/* The pane uses it: the screen, which would too, never sees it. */
	assert_int_equal(route(&pane, REQ_TOGGLE, who, sizeof(who)), REQ_NONE);
	assert_string_equal(who, "pane");
	/* The pane does not: the screen gets it. */
	assert_int_equal(route(&pane, REQ_BACK, who, sizeof(who)), REQ_NONE);
	assert_string_equal(who, "pane screen");
	/* Neither does: the global handler gets it. */
	assert_int_equal(route(&pane, REQ_HELP, who, sizeof(who)), REQ_NONE);
	assert_string_equal(who, "pane screen global");
	/* Nobody does: it comes back unused. */
	assert_int_equal(route(&pane, REQ_SORT, who, sizeof(who)), REQ_SORT);
	assert_string_equal(who, "pane screen global");
	/* A screen without panes: the screen first. */
	assert_int_equal(route(NULL, REQ_TOGGLE, who, sizeof(who)), REQ_NONE);
	assert_string_equal(who, "screen");
	assert_int_equal(route(NULL, REQ_HELP, who, sizeof(who)), REQ_NONE);
	assert_string_equal(who, "screen global");
}

static void every_screen_has_a_scope_and_a_handler(void **state)
{
	size_t s, i;

	(void)state;
	for (s = 0; s < SCREEN_COUNT; s++) {
		const struct screen *sc = screen_of((enum app_screen)s);

		assert_non_null(sc);
		assert_non_null(sc->request);
		assert_true(sc->scope != SCOPE_ALL && sc->scope < SCOPE_COUNT);
		assert_true(!sc->npanes || sc->pane);
		for (i = 0; i < sc->npanes; i++) {
			assert_non_null(sc->panes[i]->request);
			assert_non_null(sc->panes[i]->scroll);
			assert_true(strlen(sc->panes[i]->name) > 0);
		}
	}
}

static void keys_are_looked_up_in_the_pane_then_the_screen(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	enum scope sc[3];

	(void)state;
	app_init(a, "test:///x", "host1", false);
	assert_int_equal(screen_scopes(a, sc), 2);
	assert_int_equal(sc[0], SCOPE_VMLIST);
	assert_int_equal(sc[1], SCOPE_ALL);
	a->screen = SCREEN_VM;
	a->sv.pane = PANE_CHAIN;
	assert_int_equal(screen_scope(a), SCOPE_CHAIN);
	assert_int_equal(screen_scopes(a, sc), 3);
	assert_int_equal(sc[0], SCOPE_CHAIN);
	assert_int_equal(sc[1], SCOPE_SNAPSHOTS);
	assert_int_equal(sc[2], SCOPE_ALL);
	/* c is the chain pane's; s, the VM screen's, works there too. */
	assert_int_equal(keymap_find(sc, 3, 'c'), REQ_COMMIT);
	assert_int_equal(keymap_find(sc, 3, 's'), REQ_SNAP_TAKE);
	assert_int_equal(keymap_find(sc, 3, 'j'), REQ_MOVE_DOWN);
	a->sv.pane = PANE_SNAPSHOTS;
	assert_int_equal(screen_scopes(a, sc), 2);
	assert_int_equal(keymap_find(sc, 2, 'c'), REQ_NONE);
	app_free(a);
	free(a);
}

/* Each screen's bottom line names its keys, from the key table. */
static void hint_lines_name_the_keys_of_each_screen(void **state)
{
	static const struct {
		enum app_screen screen;
		enum vm_pane pane;
		const char *hints;
	} cases[] = {
		{SCREEN_VMLIST, PANE_SNAPSHOTS, "? help  q quit  Enter open  / filter  o sort (name)  2 jobs"},
		{SCREEN_VM, PANE_SNAPSHOTS, "? help  q back  Tab chains  s take  r revert  d delete  Space fold  2 jobs"},
		{SCREEN_VM, PANE_CHAIN, "? help  Tab snapshots  o overlay  c commit  x discard  Z reset  K check  F copy  2 jobs"},
		{SCREEN_JOBS, PANE_SNAPSHOTS, "? help  q back  a abort  P pivot  1 VMs  3 images"},
		{SCREEN_IMAGES, PANE_SNAPSHOTS, "? help  q back  Enter open the VM  d delete unused  1 VMs  2 jobs"},
		{SCREEN_HELP, PANE_SNAPSHOTS, "? help  q back  1 VMs  2 jobs"},
		{SCREEN_LOG, PANE_SNAPSHOTS, "? help  q back  j k PgUp PgDn g G scroll"},
	};
	struct app *a = xcalloc(1, sizeof(*a));
	char buf[200], small[12];
	size_t i;
	int r;

	(void)state;
	app_init(a, "test:///x", "host1", false);
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		a->screen = cases[i].screen;
		a->sv.pane = cases[i].pane;
		screen_hints(a, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].hints);
	}
	a->screen = SCREEN_VMLIST;
	a->sort = SORT_MEMORY;
	screen_hints(a, buf, sizeof(buf));
	assert_non_null(strstr(buf, "o sort (memory)"));
	/* A short buffer holds the line's start. */
	screen_hints(a, small, sizeof(small));
	assert_string_equal(small, "? help  q q");
	for (r = 1; r < REQ_COUNT; r++)
		assert_true(strlen(request_hint((enum request)r)) > 0);
	app_free(a);
	free(a);
}

int test_screen_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_request_stops_at_the_first_handler_that_uses_it),
		cmocka_unit_test(every_screen_has_a_scope_and_a_handler),
		cmocka_unit_test(keys_are_looked_up_in_the_pane_then_the_screen),
		cmocka_unit_test(hint_lines_name_the_keys_of_each_screen),
	};

	return cmocka_run_group_tests_name("screen", tests, NULL, NULL);
}
