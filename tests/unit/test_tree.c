/* Tree layout: shapes drawn as text so the expectations read like the
 * screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tree.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* Renders a layout with ASCII glyphs, one line per row: "|-name". */
static char *render(const struct tree_layout *l, const char *const *names)
{
	static const char *g[] = {"  ", "| ", "|-", "`-"};
	size_t cap = 1 << 16, len = 0, i, j;
	char *s = xcalloc(cap, 1);

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->rows[i].depth; j++)
			len += (size_t)snprintf(s + len, cap - len, "%s", g[l->rows[i].glyphs[j]]);
		len += (size_t)snprintf(s + len, cap - len, "%s%s\n", names[l->rows[i].node],
					l->rows[i].collapsed ? " [+]" : "");
	}
	return s;
}

static void branches_and_siblings_in_order(void **state)
{
	/* 0 root; 1 and 2 its children (2 created first); 3 under 1; 4 under 2 */
	const struct tree_node n[] = {{TREE_NONE, 0}, {0, 20}, {0, 10}, {1, 30}, {2, 40}};
	const char *names[] = {"root", "late", "early", "leaf", "mid"};
	struct tree_layout l;
	char *s;

	(void)state;
	tree_layout_build(&l, n, 5, NULL);
	s = render(&l, names);
	assert_string_equal(s, "root\n"
			       "|-early\n"
			       "| `-mid\n"
			       "`-late\n"
			       "  `-leaf\n");
	assert_int_equal(l.descendants[0], 4);
	assert_int_equal(l.descendants[1], 1);
	assert_int_equal(l.rows[0].children, 2);
	free(s);
	tree_layout_free(&l);
}

static void several_roots(void **state)
{
	const struct tree_node n[] = {{TREE_NONE, 5}, {TREE_NONE, 1}, {0, 6}, {1, 2}, {1, 3}};
	const char *names[] = {"r2", "r1", "a", "b", "c"};
	struct tree_layout l;
	char *s;

	(void)state;
	tree_layout_build(&l, n, 5, NULL);
	s = render(&l, names);
	assert_string_equal(s, "r1\n|-b\n`-c\nr2\n`-a\n");
	free(s);
	tree_layout_free(&l);
}

static void deep_chain_of_fifty(void **state)
{
	struct tree_node n[50];
	struct tree_layout l;
	size_t i, j;

	(void)state;
	for (i = 0; i < 50; i++)
		n[i] = (struct tree_node){i ? i - 1 : TREE_NONE, (long long)i};
	tree_layout_build(&l, n, 50, NULL);
	assert_int_equal(l.n, 50);
	for (i = 0; i < 50; i++) {
		assert_int_equal(l.rows[i].node, i);
		assert_int_equal(l.rows[i].depth, i);
		for (j = 0; j + 1 < i; j++)
			assert_int_equal(l.rows[i].glyphs[j], TG_BLANK);
		if (i)
			assert_int_equal(l.rows[i].glyphs[i - 1], TG_ELBOW);
	}
	assert_int_equal(l.descendants[0], 49);
	tree_layout_free(&l);
}

static void wide_fan_of_a_hundred(void **state)
{
	struct tree_node n[101];
	struct tree_layout l;
	size_t i;

	(void)state;
	n[0] = (struct tree_node){TREE_NONE, 0};
	for (i = 1; i <= 100; i++) /* created in a shuffled order */
		n[i] = (struct tree_node){0, (long long)((i * 37) % 101)};
	tree_layout_build(&l, n, 101, NULL);
	assert_int_equal(l.n, 101);
	assert_int_equal(l.rows[0].children, 100);
	for (i = 1; i <= 100; i++) {
		assert_int_equal(l.rows[i].depth, 1);
		assert_int_equal(l.rows[i].glyphs[0], i < 100 ? TG_TEE : TG_ELBOW);
		if (i > 1)
			assert_true(n[l.rows[i].node].order > n[l.rows[i - 1].node].order);
	}
	tree_layout_free(&l);
}

static void collapsed_subtree_is_hidden(void **state)
{
	const struct tree_node n[] = {{TREE_NONE, 0}, {0, 1}, {1, 2}, {2, 3}, {0, 4}};
	const char *names[] = {"a", "b", "c", "d", "e"};
	bool collapsed[5] = {false, true, false, false, false};
	struct tree_layout l;
	char *s;

	(void)state;
	tree_layout_build(&l, n, 5, collapsed);
	s = render(&l, names);
	assert_string_equal(s, "a\n|-b [+]\n`-e\n");
	assert_int_equal(tree_layout_find(&l, 2), TREE_NONE);
	assert_int_equal(tree_layout_find(&l, 4), 2);
	assert_int_equal(l.descendants[1], 2);
	free(s);
	tree_layout_free(&l);
	/* Collapsing a leaf changes nothing. */
	collapsed[1] = false;
	collapsed[3] = true;
	tree_layout_build(&l, n, 5, collapsed);
	assert_int_equal(l.n, 5);
	assert_false(l.rows[3].collapsed);
	tree_layout_free(&l);
}

/* 2000 deep: every node's descendants counted, each on its own row, the
 * subtree of a node the run of deeper rows after it. */
static void chain_of_two_thousand(void **state)
{
	enum { N = 2000 };
	struct tree_node *n = xcalloc(N, sizeof(*n));
	bool *closed = xcalloc(N, sizeof(*closed));
	struct tree_layout l;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) /* listed from the leaf up */
		n[i] = (struct tree_node){i + 1 < N ? i + 1 : TREE_NONE, (long long)(N - i)};
	tree_layout_build(&l, n, N, NULL);
	assert_int_equal(l.n, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(l.descendants[i], i);
		assert_int_equal(tree_layout_find(&l, i), N - 1 - i);
		assert_int_equal(l.rows[N - 1 - i].depth, N - 1 - i);
	}
	tree_layout_free(&l);
	closed[1000] = true; /* row 999 */
	tree_layout_build(&l, n, N, closed);
	assert_int_equal(l.n, 1000);
	assert_true(l.rows[999].collapsed);
	assert_int_equal(tree_layout_find(&l, 999), TREE_NONE);
	assert_int_equal(tree_layout_find(&l, N), TREE_NONE);
	tree_layout_free(&l);
	free(closed);
	free(n);
}

static void bad_parents_become_roots(void **state)
{
	/* 0 and 1 point at each other; 2 points out of range; 3 at itself. */
	const struct tree_node n[] = {{1, 0}, {0, 1}, {99, 2}, {3, 3}};
	struct tree_layout l;
	size_t i, seen = 0;

	(void)state;
	tree_layout_build(&l, n, 4, NULL);
	assert_int_equal(l.n, 4);
	for (i = 0; i < 4; i++)
		seen |= (size_t)1 << l.rows[i].node;
	assert_int_equal(seen, 15);
	tree_layout_free(&l);
	tree_layout_build(&l, NULL, 0, NULL);
	assert_int_equal(l.n, 0);
	tree_layout_free(&l);
}

int test_tree_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(branches_and_siblings_in_order),
		cmocka_unit_test(several_roots),
		cmocka_unit_test(deep_chain_of_fifty),
		cmocka_unit_test(wide_fan_of_a_hundred),
		cmocka_unit_test(collapsed_subtree_is_hidden),
		cmocka_unit_test(bad_parents_become_roots),
		cmocka_unit_test(chain_of_two_thousand),
	};

	return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
