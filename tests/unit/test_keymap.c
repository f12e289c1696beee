/* The key table and the request list agree with each other. */
#include <string.h>

#include "core/keymap.h"
#include "core/request.h"
#include "tests/unit/unit.h"

static void every_request_has_name_and_help(void **state)
{
	int r;

	(void)state;
	for (r = 1; r < REQ_COUNT; r++) {
		assert_true(strlen(request_name((enum request)r)) > 0);
		assert_true(strlen(request_help((enum request)r)) > 0);
		assert_int_equal(request_by_name(request_name((enum request)r)), r);
	}
	assert_int_equal(request_by_name("no-such-request"), REQ_NONE);
}

static void screen_binding_wins_over_global(void **state)
{
	(void)state;
	assert_int_equal(keymap_lookup(SCOPE_VMLIST, 'j'), REQ_MOVE_DOWN);
	assert_int_equal(keymap_lookup(SCOPE_HELP, 'j'), REQ_MOVE_DOWN);
	assert_int_equal(keymap_lookup(SCOPE_VMLIST, '/'), REQ_FILTER);
	assert_int_equal(keymap_lookup(SCOPE_HELP, '/'), REQ_NONE);
	assert_int_equal(keymap_lookup(SCOPE_VMLIST, 'X'), REQ_FORCE_OFF);
	assert_int_equal(keymap_lookup(SCOPE_VMLIST, VK_CTRL_L), REQ_REFRESH);
	assert_int_equal(keymap_lookup(SCOPE_VMLIST, 'Z'), REQ_NONE);
}

static void keys_have_readable_names(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(keymap_key_name(VK_CTRL_L, buf, sizeof(buf)), "Ctrl-L");
	assert_string_equal(keymap_key_name(VK_UP, buf, sizeof(buf)), "Up");
	assert_string_equal(keymap_key_name('G', buf, sizeof(buf)), "G");
	assert_string_equal(keymap_key_name(VK_ESC, buf, sizeof(buf)), "Esc");
	assert_string_equal(keymap_key_name(' ', buf, sizeof(buf)), "Space");
}

/* One key must not mean two things on one screen. */
static void no_key_bound_twice_in_a_scope(void **state)
{
	const struct binding *b[64];
	int s;
	size_t n, i, j;

	(void)state;
	for (s = 0; s < SCOPE_COUNT; s++) {
		n = keymap_bindings((enum scope)s, b, 64);
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				assert_int_not_equal(b[i]->key, b[j]->key);
	}
}

int test_keymap_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_request_has_name_and_help),
		cmocka_unit_test(screen_binding_wins_over_global),
		cmocka_unit_test(keys_have_readable_names),
		cmocka_unit_test(no_key_bound_twice_in_a_scope),
	};

	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
