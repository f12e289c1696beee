/* One move and one scroll for every list: at the edges. */
#include "core/listpos.h"
#include "tests/unit/unit.h"

static void an_empty_list_stays_at_zero(void **state)
{
	struct listpos p = {0, 0};
	enum request moves[] = {REQ_MOVE_DOWN, REQ_MOVE_UP, REQ_MOVE_FIRST, REQ_MOVE_LAST, REQ_PAGE_DOWN, REQ_PAGE_UP};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		assert_true(listpos_move(&p, moves[i], 0, 10));
		listpos_scroll(&p, 0, 10);
		assert_int_equal(p.sel, 0);
		assert_int_equal(p.top, 0);
	}
	/* A selection left behind by a list that emptied comes back. */
	p = (struct listpos){7, 5};
	listpos_scroll(&p, 0, 10);
	assert_int_equal(p.sel, 0);
	assert_int_equal(p.top, 0);
}

static void one_row_is_always_selected(void **state)
{
	struct listpos p = {0, 0};

	(void)state;
	assert_true(listpos_move(&p, REQ_MOVE_DOWN, 1, 10));
	assert_int_equal(p.sel, 0);
	assert_true(listpos_move(&p, REQ_PAGE_DOWN, 1, 10));
	assert_int_equal(p.sel, 0);
	assert_true(listpos_move(&p, REQ_MOVE_UP, 1, 10));
	assert_int_equal(p.sel, 0);
	assert_true(listpos_move(&p, REQ_MOVE_LAST, 1, 10));
	assert_int_equal(p.sel, 0);
	listpos_scroll(&p, 1, 1);
	assert_int_equal(p.top, 0);
}

static void moves_stop_at_both_ends(void **state)
{
	struct listpos p = {0, 0};

	(void)state;
	assert_true(listpos_move(&p, REQ_MOVE_UP, 20, 5));
	assert_int_equal(p.sel, 0);
	assert_true(listpos_move(&p, REQ_PAGE_UP, 20, 5));
	assert_int_equal(p.sel, 0);
	assert_true(listpos_move(&p, REQ_PAGE_DOWN, 20, 5));
	assert_int_equal(p.sel, 5);
	assert_true(listpos_move(&p, REQ_MOVE_LAST, 20, 5));
	assert_int_equal(p.sel, 19);
	assert_true(listpos_move(&p, REQ_MOVE_DOWN, 20, 5));
	assert_int_equal(p.sel, 19);
	assert_true(listpos_move(&p, REQ_PAGE_DOWN, 20, 5));
	assert_int_equal(p.sel, 19);
	assert_true(listpos_move(&p, REQ_PAGE_UP, 20, 5));
	assert_int_equal(p.sel, 14);
	assert_true(listpos_move(&p, REQ_MOVE_FIRST, 20, 5));
	assert_int_equal(p.sel, 0);
	/* What is no movement moves nothing. */
	p.sel = 3;
	assert_false(listpos_move(&p, REQ_HELP, 20, 5));
	assert_false(listpos_move(&p, REQ_NONE, 20, 5));
	assert_int_equal(p.sel, 3);
}

static void scroll_keeps_the_selection_shown(void **state)
{
	struct listpos p = {0, 0};

	(void)state;
	/* Down past the last row shown: the rows follow. */
	p.sel = 7;
	listpos_scroll(&p, 20, 5);
	assert_int_equal(p.top, 3);
	/* Back up within them: they stay. */
	p.sel = 4;
	listpos_scroll(&p, 20, 5);
	assert_int_equal(p.top, 3);
	/* Above the first row shown: it becomes the first. */
	p.sel = 1;
	listpos_scroll(&p, 20, 5);
	assert_int_equal(p.top, 1);
	/* At the end, the last row is on the last line. */
	p.sel = 19;
	listpos_scroll(&p, 20, 5);
	assert_int_equal(p.top, 15);
}

static void scroll_follows_a_window_or_list_that_changes(void **state)
{
	struct listpos p = {10, 8};

	(void)state;
	/* The window shrinks below the selection: it stays shown. */
	listpos_scroll(&p, 20, 2);
	assert_int_equal(p.sel, 10);
	assert_int_equal(p.top, 9);
	/* It grows: no empty rows below the end of the list. */
	p = (struct listpos){19, 17};
	listpos_scroll(&p, 20, 10);
	assert_int_equal(p.top, 10);
	/* Taller than the list: from its first row. */
	listpos_scroll(&p, 20, 30);
	assert_int_equal(p.top, 0);
	/* The list shrinks under the selection: the last row is selected. */
	p = (struct listpos){15, 12};
	listpos_scroll(&p, 6, 4);
	assert_int_equal(p.sel, 5);
	assert_int_equal(p.top, 2);
	/* No rows shown at all still shows the selected one. */
	p = (struct listpos){4, 0};
	listpos_scroll(&p, 10, 0);
	assert_int_equal(p.top, 4);
}

int test_listpos_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_list_stays_at_zero),
		cmocka_unit_test(one_row_is_always_selected),
		cmocka_unit_test(moves_stop_at_both_ends),
		cmocka_unit_test(scroll_keeps_the_selection_shown),
		cmocka_unit_test(scroll_follows_a_window_or_list_that_changes),
	};

	return cmocka_run_group_tests_name("listpos", tests, NULL, NULL);
}
