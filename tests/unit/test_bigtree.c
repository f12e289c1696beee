/* Snapshot trees of 2000: a linear chain 2000 deep and a bushy tree 2000
 * wide. The delete list must name every descendant (grandchildren too)
 * and count them exactly. No timings here: `make bench` measures keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "core/app.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

#define BIG 2000

static void bt_key(struct app *a, int k)
{
	struct event ev = {.type = EV_KEY, .key = k};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
	event_clear(&ev);
}

/* Delivers the snapshots of vm: names[i] under parents[i] (TREE_NONE for
 * none), created in index order, listed backwards as libvirt may. */
static void bt_deliver(struct app *a, const char *vm, char (*names)[16], const size_t *parents, size_t current)
{
	struct event ev = {.type = EV_SNAPSHOTS};
	struct cmds out = {0};
	size_t i;

	str_copy(ev.name, vm, sizeof(ev.name));
	ev.snaps.s = xcalloc(BIG, sizeof(*ev.snaps.s));
	ev.snaps.n = BIG;
	for (i = 0; i < BIG; i++) {
		struct be_snapshot *b = &ev.snaps.s[BIG - 1 - i];

		b->name = xstrdup(names[i]);
		b->parent = parents[i] == TREE_NONE ? NULL : xstrdup(names[parents[i]]);
		b->description = xstrdup("");
		b->ctime = (long long)i;
		str_copy(b->state, "shutoff", sizeof(b->state));
		b->current = i == current;
		b->disks = xstrdup("vda internal");
	}
	app_handle(a, &ev, &out);
	event_clear(&ev);
}

static int bt_setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm vm = unit_vm("big", BE_VM_SHUTOFF, BIG, 1);

	app_init(a, "test:///x", "host1", false);
	unit_load_vms(a, &vm, 1, NULL);
	bt_key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	*state = a;
	return 0;
}

static int bt_teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

static const char *bt_sel(const struct app *a)
{
	const struct be_snapshot *s = snapview_selected(a);

	return s ? s->name : "";
}

/* Opens the delete menu on the selection and picks key; the confirmation
 * must count n snapshots. */
static void bt_delete(struct app *a, int key, size_t n)
{
	char count[64];

	bt_key(a, 'd');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	bt_key(a, key);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	snprintf(count, sizeof(count), " %zu snapshot%s of big:\n", n, n == 1 ? "" : "s");
	assert_non_null(strstr(a->dlg.text, count));
	bt_key(a, VK_ESC);
	assert_int_equal(a->dlg.kind, DLG_NONE);
}

static void linear_chain_of_2000_deletes_every_descendant(void **state)
{
	struct app *a = *state;
	static char names[BIG][16];
	size_t parents[BIG], i;
	char line[64];

	for (i = 0; i < BIG; i++) {
		snprintf(names[i], sizeof(names[i]), "s%04zu", i);
		parents[i] = i ? i - 1 : TREE_NONE;
	}
	bt_deliver(a, "big", names, parents, 1000);
	assert_int_equal(a->sv.layout.n, BIG);
	assert_int_equal(a->sv.layout.rows[BIG - 1].depth, BIG - 1);
	assert_string_equal(bt_sel(a), "s1000");
	/* The current one's whole tail: itself and 999 below, in tree order. */
	bt_delete(a, 'c', 1000);
	bt_key(a, 'd');
	bt_key(a, 'c');
	for (i = 1000; i < 1012; i++) {
		snprintf(line, sizeof(line), "  s%04zu\n", i);
		assert_non_null(strstr(a->dlg.text, line));
	}
	assert_null(strstr(a->dlg.text, "  s0999\n"));
	assert_null(strstr(a->dlg.text, "  s1012\n"));
	assert_non_null(strstr(a->dlg.text, "  ... and 988 more\n"));
	bt_key(a, VK_ESC);
	bt_delete(a, 'o', 999);
	bt_delete(a, 't', 1);
	/* From the root: all of them, its grandchildren and below too. */
	bt_key(a, 'g');
	assert_string_equal(bt_sel(a), "s0000");
	assert_int_equal(a->sv.full.descendants[a->sv.layout.rows[0].node], BIG - 1);
	bt_delete(a, 'c', BIG);
	bt_delete(a, 'o', BIG - 1);
	/* The last one has no children. */
	bt_key(a, 'G');
	assert_string_equal(bt_sel(a), "s1999");
	bt_key(a, 'd');
	bt_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "no children"));
	/* Collapsing halfway hides the tail; the delete list still has it. */
	bt_key(a, 'g');
	for (i = 0; i < 1000; i++)
		bt_key(a, 'j');
	assert_string_equal(bt_sel(a), "s1000");
	bt_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 1001);
	bt_delete(a, 'c', 1000);
	bt_key(a, ' ');
	assert_int_equal(a->sv.layout.n, BIG);
	assert_string_equal(bt_sel(a), "s1000");
}

/* A root with 1000 children, the first 999 of them with a child each. */
static void bushy_tree_of_2000_deletes_grandchildren_too(void **state)
{
	struct app *a = *state;
	static char names[BIG][16];
	size_t parents[BIG], i;

	snprintf(names[0], sizeof(names[0]), "root");
	parents[0] = TREE_NONE;
	for (i = 1; i <= 1000; i++) {
		snprintf(names[i], sizeof(names[i]), "c%04zu", i - 1);
		parents[i] = 0;
	}
	for (i = 1001; i < BIG; i++) {
		snprintf(names[i], sizeof(names[i]), "g%04zu", i - 1001);
		parents[i] = i - 1000;
	}
	bt_deliver(a, "big", names, parents, 0);
	assert_int_equal(a->sv.layout.n, BIG);
	assert_int_equal(a->sv.layout.rows[0].children, 1000);
	assert_string_equal(bt_sel(a), "root");
	bt_delete(a, 'c', BIG);
	bt_delete(a, 'o', BIG - 1);
	/* Tree order: each child with its grandchild beside it. */
	bt_key(a, 'd');
	bt_key(a, 'o');
	assert_non_null(strstr(a->dlg.text, ":\n  c0000\n  g0000\n  c0001\n  g0001\n"));
	assert_non_null(strstr(a->dlg.text, "  ... and 1987 more\n"));
	bt_key(a, VK_ESC);
	/* A child: itself and its one grandchild; the last child has none. */
	bt_key(a, 'j');
	assert_string_equal(bt_sel(a), "c0000");
	bt_delete(a, 'c', 2);
	bt_delete(a, 'o', 1);
	bt_key(a, 'G');
	assert_string_equal(bt_sel(a), "c0999");
	bt_delete(a, 'c', 1);
	/* Collapsing the root hides everything but it. */
	bt_key(a, 'g');
	bt_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 1);
	bt_delete(a, 'c', BIG);
}

/* Snapshot i as libvirt lists it on the deep chain: t<i>, below t<i-1>,
 * its state in layer BIG-1-i of vda (the oldest in the base). */
static void bt_chain_snap(struct be_snapshot *b, size_t i)
{
	char name[16], path[64];

	snprintf(name, sizeof(name), "t%04zu", i);
	b->name = xstrdup(name);
	if (i) {
		snprintf(name, sizeof(name), "t%04zu", i - 1);
		b->parent = xstrdup(name);
	}
	b->description = xstrdup("");
	b->ctime = (long long)i;
	str_copy(b->state, "shutoff", sizeof(b->state));
	b->current = i == BIG - 1;
	b->disks = xstrdup("vda internal");
	b->files = xcalloc(1, sizeof(*b->files));
	b->nfiles = 1;
	b->files[0].disk = xstrdup("vda");
	snprintf(path, sizeof(path), "/img/layer-%04zu.qcow2", BIG - 1 - i);
	b->files[0].path = xstrdup(path);
}

/* vda: BIG layers, layer-0000 on top. */
static void bt_chain_disk(struct be_disk_list *dl)
{
	char path[64];
	size_t k;

	dl->d = xcalloc(1, sizeof(*dl->d));
	dl->n = 1;
	dl->d[0].target = xstrdup("vda");
	dl->d[0].end = BE_END_COMPLETE;
	for (k = 0; k < BIG; k++) {
		snprintf(path, sizeof(path), "/img/layer-%04zu.qcow2", k);
		xml_disk_push(&dl->d[0], path, "qcow2");
	}
}

/* A chain 2000 layers deep with a snapshot in each layer: the checks of
 * revert, discard and reset (who reads which layer, which snapshots go)
 * name the right ones. */
static void deep_chain_with_a_snapshot_in_every_layer(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_SNAPSHOTS}, im = {.type = EV_IMAGES};
	struct cmds out = {0};
	size_t i;

	str_copy(ev.name, "big", sizeof(ev.name));
	ev.snaps.s = xcalloc(BIG, sizeof(*ev.snaps.s));
	ev.snaps.n = BIG;
	for (i = 0; i < BIG; i++)
		bt_chain_snap(&ev.snaps.s[BIG - 1 - i], i);
	bt_chain_disk(&ev.disks);
	app_handle(a, &ev, &out);
	event_clear(&ev);
	im.chains.v = xcalloc(1, sizeof(*im.chains.v));
	im.chains.n = 1;
	im.chains.v[0].vm = xstrdup("big");
	bt_chain_disk(&im.chains.v[0].disks);
	im.chains.v[0].snaps.s = xcalloc(BIG, sizeof(*im.chains.v[0].snaps.s));
	im.chains.v[0].snaps.n = BIG;
	for (i = 0; i < BIG; i++)
		bt_chain_snap(&im.chains.v[0].snaps.s[i], i);
	bt_key(a, VK_TAB); /* the chain pane asks for the images */
	app_handle(a, &im, &out);
	event_clear(&im);
	assert_true(a->img_loaded);
	assert_int_equal(a->sv.pane, PANE_CHAIN);

	/* Reset to the base: every snapshot but the base's goes. */
	bt_key(a, 'G');
	bt_key(a, 'Z');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_non_null(strstr(a->dlg.text, "Snapshots 't1999', 't1998', 't1997', 't1996', 't1995' and 1994 more live"));
	assert_null(strstr(a->dlg.text, "'t0000'"));
	bt_key(a, VK_ESC);
	/* The top's snapshot reverts: nothing lives above its layer. */
	bt_key(a, VK_TAB);
	assert_string_equal(bt_sel(a), "t1999");
	bt_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	bt_key(a, VK_ESC);
	/* The base's snapshot does not: 1999 snapshots live above it. */
	bt_key(a, 'g');
	assert_string_equal(bt_sel(a), "t0000");
	bt_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "Not reverting into /img/layer-1999.qcow2: snapshot 't1999'"));
	/* With its children it goes whole. */
	bt_delete(a, 'c', BIG);
}

#define BT(f) cmocka_unit_test_setup_teardown(f, bt_setup, bt_teardown)

int test_bigtree_group(void)
{
	const struct CMUnitTest tests[] = {
		BT(linear_chain_of_2000_deletes_every_descendant),
		BT(bushy_tree_of_2000_deletes_grandchildren_too),
		BT(deep_chain_with_a_snapshot_in_every_layer),
	};

	return cmocka_run_group_tests_name("bigtree", tests, NULL, NULL);
}
