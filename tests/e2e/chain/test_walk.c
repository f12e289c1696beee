/* Backing chains of shut-off VMs read through the storage API, end to end
 * on the private daemon: be_vm_disks (the eager walk, which lists the top
 * layer's pool and reads ahead the volumes named like the layer asked
 * for), be_vm_disks_scan and be_vm_details (layer by layer). Each test
 * builds its chain with qemu-img in $E2E_IMG (the "images" pool) and in
 * folders beside it, next to volumes named so that reading ahead picks
 * them up, and checks the walks against what it built, against qemu-img
 * info --backing-chain and against virsh vol-info. What a test makes is
 * named after its prefix (walk-a, walk-b, ...; the unalike layers of
 * walk-c by their exact names) and removed in its teardown, also when it
 * fails; the VMs stay shut off. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"
#include "tests/e2e/chain/e2e_chain.h"

/* Every chain's base is this big, so every layer's capacity is too. The
 * decoys are smaller: a layer read from a decoy's XML shows. */
#define CAP (64 * MIB)
#define DECOY_SIZE "32M"
/* Deeper than any chain built here: one more than chain.c follows. */
#define LAYERS_MAX (BE_MAX_CHAIN + 1)

/* A chain as built: path[0] is the top, path[n - 1] the base. */
struct chain {
	char path[LAYERS_MAX][PATH_LEN];
	size_t n;
};

/* The folder that holds $E2E_IMG; the side pools and the folder no pool
 * covers are made in it. */
static char outer[PATH_LEN];

/* A test's layers with names whose common prefix is 2 characters, below
 * what read-ahead takes as alike; removed by exact path. */
static const char *const unlike[] = {"w-q1", "w-zz", "w-m7", "w-k3", "w-a9", "w-x0"};

/* ---- building --------------------------------------------------------- */

/* out = dir/name.qcow2 */
static char *at(char out[PATH_LEN], const char *dir, const char *name)
{
	if (snprintf(out, PATH_LEN, "%s/%s.qcow2", dir, name) >= PATH_LEN)
		fail_msg("path too long: %s/%s.qcow2", dir, name);
	return out;
}

/* Appends dir/name.qcow2 below c's layers so far. */
static void below(struct chain *c, const char *dir, const char *fmt, ...)
{
	char name[PATH_LEN];
	va_list ap;

	assert_true(c->n < LAYERS_MAX);
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	at(c->path[c->n++], dir, name);
}

/* c: layers $E2E_IMG/prefix-NN.qcow2, NN from n - 1 (the top) down to 00. */
static void alike(struct chain *c, const char *prefix, size_t n)
{
	size_t i;

	c->n = 0;
	for (i = n; i-- > 0;)
		below(c, img_dir, "%s-%02zu", prefix, i);
}

/* Makes the top fresh layers of c, from below up: the lowest of them over
 * c's next layer, which must exist, or a 64 MiB base when they are all. */
static void build_top(const struct chain *c, size_t fresh)
{
	size_t i;

	assert_true(fresh <= c->n);
	for (i = fresh; i-- > 0;)
		if (i == c->n - 1)
			qcow2(c->path[i], "64M", NULL);
		else
			qcow2(c->path[i], NULL, c->path[i + 1]);
}

static void build(const struct chain *c)
{
	build_top(c, c->n);
}

/* A 32 MiB qcow2 image without backing file at dir/name.qcow2. */
static void decoy(const char *dir, const char *fmt, ...)
{
	char name[PATH_LEN], path[PATH_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	qcow2(at(path, dir, name), DECOY_SIZE, NULL);
}

/* A folder beside $E2E_IMG, $E2E_USER's: out = its path. */
static char *folder(char out[PATH_LEN], const char *name)
{
	if (snprintf(out, PATH_LEN, "%s/%s", outer, name) >= PATH_LEN)
		fail_msg("path too long: %s/%s", outer, name);
	must_quiet("mkdir -m 755 -- '%s'", out);
	own(out);
	return out;
}

/* A second dir pool named name over a folder of that name beside
 * $E2E_IMG: out = the folder. */
static char *side_pool(char out[PATH_LEN], const char *name)
{
	folder(out, name);
	must_quiet("virsh -q -c '%s' pool-define-as '%s' dir --target '%s'", uri, name, out);
	must_quiet("virsh -q -c '%s' pool-start '%s'", uri, name);
	return out;
}

static void side_refresh(const char *name)
{
	must_quiet("virsh -q -c '%s' pool-refresh '%s'", uri, name);
}

/* ---- checking --------------------------------------------------------- */

/* Whether a pool knows a volume at path, and its capacity and allocation
 * (else -1), from virsh vol-info. */
static bool vol_info(const char *path, long long *cap, long long *alloc)
{
	int st;
	char *out = shell(&st, "virsh -q -c '%s' vol-info --bytes '%s'", uri, path), *line, *save = NULL;

	*cap = *alloc = -1;
	for (line = strtok_r(out, "\n", &save); st == 0 && line; line = strtok_r(NULL, "\n", &save)) {
		sscanf(line, "Capacity: %lld", cap);
		sscanf(line, "Allocation: %lld", alloc);
	}
	free(out);
	return st == 0;
}

/* The layers of c joined by newlines: one string to compare, which shows
 * the whole chain when it differs. */
static void join_chain(const struct chain *c, char *out, size_t n)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < c->n; i++) {
		strncat(out, c->path[i], n - strlen(out) - 1);
		strncat(out, "\n", n - strlen(out) - 1);
	}
}

static void join_disk(const struct be_disk *d, char *out, size_t n)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < d->nlayers; i++) {
		strncat(out, d->layers[i].path, n - strlen(out) - 1);
		strncat(out, "\n", n - strlen(out) - 1);
	}
}

/* path with every symbolic link, "." and ".." and "//" resolved. */
static void real(const char *path, char out[PATH_MAX])
{
	if (!realpath(path, out))
		fail_msg("realpath %s failed", path);
}

/* qemu-img, on its own, sees c: the same files in the same order, all
 * qcow2, every backing link with its format. */
static void assert_qemu_sees(const struct chain *c)
{
	char *out = must("qemu-img info --backing-chain -U '%s'", c->path[0]), *line, *save = NULL;
	static char want[LAYERS_MAX * PATH_MAX], got[LAYERS_MAX * PATH_MAX];
	char r[PATH_MAX];
	size_t i, formats = 0, links = 0;

	want[0] = got[0] = '\0';
	for (i = 0; i < c->n; i++) {
		real(c->path[i], r);
		strcat(strcat(want, r), "\n");
	}
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "image: ", 7)) {
			real(line + 7, r);
			strcat(strcat(got, r), "\n");
		} else if (!strncmp(line, "file format: ", 13)) {
			assert_string_equal(line + 13, "qcow2");
		} else if (!strncmp(line, "backing file: ", 14)) {
			links++;
		} else if (!strncmp(line, "backing file format: ", 21)) {
			formats++;
			assert_string_equal(line + 21, "qcow2");
		}
	}
	free(out);
	assert_string_equal(got, want);
	assert_int_equal(links, c->n - 1);
	assert_int_equal(formats, links);
}

/* The two walks of a VM's disks: reading ahead with sizes, and layer by
 * layer without. */
static const struct {
	const char *name;
	int (*fn)(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err);
	bool sizes;
} walks[] = {{"be_vm_disks", be_vm_disks, true}, {"be_vm_disks_scan", be_vm_disks_scan, false}};

/* The disk target of l, as walk w read it, is c, top first, and nothing
 * else; complete as given. The top pooled layers are in a pool (the rest
 * in none) and, for a walk with sizes, each layer's in_pool, capacity and
 * allocation are virsh vol-info's; a walk without leaves them unknown. */
static void assert_disk_is(size_t w, const struct be_disk_list *l, const char *target, const struct chain *c,
			   bool complete, size_t pooled)
{
	static char want[LAYERS_MAX * PATH_LEN], got[LAYERS_MAX * PATH_LEN];
	const struct be_disk *d = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->d[i].target, target))
			d = &l->d[i];
	if (!d)
		fail_msg("%s: no disk %s", walks[w].name, target);
	/* Named, so that a difference shows which walk read what. */
	snprintf(want, sizeof(want), "%s %s:\n", walks[w].name, target);
	snprintf(got, sizeof(got), "%s %s:\n", walks[w].name, target);
	join_chain(c, want + strlen(want), sizeof(want) - strlen(want));
	join_disk(d, got + strlen(got), sizeof(got) - strlen(got));
	assert_string_equal(got, want);
	assert_int_equal(d->nlayers, c->n);
	if (be_chain_known(d) != complete)
		fail_msg("%s %s: end %d, want complete %d", walks[w].name, target, (int)d->end, complete);
	for (i = 0; i < d->nlayers; i++) {
		const struct be_layer *y = &d->layers[i];
		bool pool = i < pooled, known;
		long long cap, alloc;

		known = vol_info(y->path, &cap, &alloc);
		if (!walks[w].sizes && known == pool && !y->in_pool && y->capacity == -1 && y->allocation == -1 &&
		    !strcmp(y->format, "qcow2"))
			continue;
		if (!walks[w].sizes || strcmp(y->format, "qcow2") || y->in_pool != pool || known != pool ||
		    y->capacity != (pool ? (long long)CAP : -1) || y->capacity != cap || y->allocation != alloc ||
		    (pool && y->allocation < 0))
			fail_msg("%s %s layer %zu, %s: format '%s' in_pool %d capacity %lld allocation %lld; "
				 "built in a pool: %d; virsh vol-info: in_pool %d capacity %lld allocation %lld",
				 walks[w].name, target, i, y->path, y->format, y->in_pool, y->capacity, y->allocation,
				 pool, known, cap, alloc);
	}
}

/* The chain depth of vm as the VM list reads it (layer by layer). */
static void assert_depth(const char *vm, int depth)
{
	struct be_vm v = {.chain_depth = -1};
	struct be_error err = {0};

	v.name = xstrdup(vm);
	if (be_vm_details(conn, &v, &err) < 0)
		fail_msg("be_vm_details %s: %s", vm, err.msg);
	assert_int_equal(v.chain_depth, depth);
	be_vm_clear(&v);
}

static void assert_shut_off(const char *vm)
{
	char st[64];

	domstate(vm, st, sizeof(st));
	assert_string_equal(st, "shut off");
}

/* vm's disks as walk w reads them. */
static void disks(size_t w, const char *vm, struct be_disk_list *l)
{
	struct be_error err = {0};

	if (walks[w].fn(conn, vm, l, &err) < 0)
		fail_msg("%s %s: %s", walks[w].name, vm, err.msg);
}

/* vm on the single chain c: both walks read c exactly, the VM list counts
 * its layers, qemu-img sees the same chain. */
static void assert_one_disk(const char *vm, const struct chain *c, bool complete, size_t pooled)
{
	struct be_disk_list l;
	size_t w;

	for (w = 0; w < ARRAY_LEN(walks); w++) {
		disks(w, vm, &l);
		assert_int_equal(l.n, 1);
		assert_disk_is(w, &l, "vda", c, complete, pooled);
		be_disk_list_clear(&l);
	}
	assert_qemu_sees(c);
	assert_depth(vm, (int)c->n);
	assert_shut_off(vm);
}

/* ---- fixtures --------------------------------------------------------- */

/* Removes what the test of prefix made: its VMs and images, its side
 * pool, its folders beside $E2E_IMG. Never fails. */
static void clean(const char *prefix)
{
	int st;

	free(shell(&st, "virsh -q -c '%s' pool-destroy '%s-side'", uri, prefix));
	free(shell(&st, "virsh -q -c '%s' pool-undefine '%s-side'", uri, prefix));
	free(shell(&st, "rm -rf -- '%s/%s-side' '%s/%s-nopool'", outer, prefix, outer, prefix));
	drop(prefix);
}

static int clean_prefix(void **state)
{
	clean(*state);
	return 0;
}

static void clean_unlike(void)
{
	char path[PATH_LEN];
	size_t i;
	int st;

	for (i = 0; i < ARRAY_LEN(unlike); i++)
		free(shell(&st, "rm -f -- '%s'", img(path, unlike[i])));
}

static int clean_unlike_prefix(void **state)
{
	clean_unlike();
	clean(*state);
	return 0;
}

static int group_setup(void **state)
{
	const char *slash = strrchr(img_dir, '/');
	int st;

	snprintf(outer, sizeof(outer), "%.*s", slash && slash != img_dir ? (int)(slash - img_dir) : 1, img_dir);
	/* Leftovers of a run killed midway. */
	free(shell(&st, "for p in $(virsh -q -c '%s' pool-list --all --name | grep '^walk-'); do"
			" virsh -q -c '%s' pool-destroy $p; virsh -q -c '%s' pool-undefine $p; done",
		   uri, uri, uri));
	free(shell(&st, "rm -rf -- '%s'/walk-*-side '%s'/walk-*-nopool", outer, outer));
	clean_unlike();
	drop("walk-");
	return group_open(state);
}

/* ---- a, g: twelve layers named alike, among forty more ---------------- */

/* prefix-00 <- ... <- prefix-11 under VM prefix, in a pool that also holds
 * prefix-x-00..38 (lone images) and prefix-05b (a branch off prefix-04):
 * all named as alike as the layers, so reading ahead takes them too. */
static void build_alike(const char *prefix, struct chain *c)
{
	char branch[PATH_LEN], name[PATH_LEN];
	int i;

	alike(c, prefix, 12);
	build(c);
	for (i = 0; i < 39; i++)
		decoy(img_dir, "%s-x-%02d", prefix, i);
	snprintf(name, sizeof(name), "%s-05b", prefix);
	qcow2(img(branch, name), NULL, c->path[12 - 1 - 4]);
	define_vm(prefix, c->path[0]);
	pool_refresh();
}

static void twelve_alike_layers_among_forty_more(void **state)
{
	struct chain c;
	struct be_disk_list l;
	size_t i;

	(void)state;
	build_alike("walk-a", &c);

	disks(0, "walk-a", &l);

	assert_int_equal(l.n, 1);
	assert_disk_is(0, &l, "vda", &c, true, c.n);
	for (i = 0; i < l.d[0].nlayers; i++)
		assert_null(strstr(l.d[0].layers[i].path, "walk-a-05b")); /* the branch is not the chain */
	be_disk_list_clear(&l);
	disks(1, "walk-a", &l);
	assert_disk_is(1, &l, "vda", &c, true, c.n);
	be_disk_list_clear(&l);
	assert_qemu_sees(&c);
	assert_shut_off("walk-a");
}

/* The VM list's walk, layer by layer, counts the same twelve. */
static void twelve_alike_layers_counted(void **state)
{
	struct chain c;

	(void)state;
	build_alike("walk-g", &c);

	assert_depth("walk-g", 12);

	assert_shut_off("walk-g");
}

/* ---- b: forty layers, more than one round reads ahead ----------------- */

static void forty_alike_layers(void **state)
{
	struct chain c;

	(void)state;
	alike(&c, "walk-b", 40);
	build(&c);
	define_vm("walk-b", c.path[0]);
	pool_refresh();

	assert_one_disk("walk-b", &c, true, c.n);
}

/* ---- c: names that share nothing ------------------------------------- */

static void six_layers_named_unalike(void **state)
{
	struct chain c = {.n = 0};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(unlike); i++)
		below(&c, img_dir, "%s", unlike[i]);
	build(&c);
	define_vm("walk-c", c.path[0]);
	pool_refresh();

	assert_one_disk("walk-c", &c, true, c.n);
}

/* ---- d, z: two pools -------------------------------------------------- */

/* walk-d-07..04 in "images" over walk-d-03..00 in walk-d-side; "images"
 * also holds lone images named walk-d-03..00, which reading ahead from
 * walk-d-05 picks up. */
static void chain_across_two_pools(void **state)
{
	char side[PATH_LEN];
	struct chain c = {.n = 0};
	int i;

	(void)state;
	side_pool(side, "walk-d-side");
	for (i = 7; i >= 4; i--)
		below(&c, img_dir, "walk-d-%02d", i);
	for (i = 3; i >= 0; i--) {
		below(&c, side, "walk-d-%02d", i);
		decoy(img_dir, "walk-d-%02d", i);
	}
	build(&c);
	define_vm("walk-d", c.path[0]);
	pool_refresh();
	side_refresh("walk-d-side");

	assert_one_disk("walk-d", &c, true, c.n);
}

/* Back and forth: walk-z-06..05 in walk-z-side (the pool listed), over
 * walk-z-04..02 in "images", over walk-z-01..00 in walk-z-side again; the
 * side pool also holds lone images named walk-z-04..02. */
static void chain_back_and_forth_between_pools(void **state)
{
	char side[PATH_LEN];
	struct chain c = {.n = 0};
	int i;

	(void)state;
	side_pool(side, "walk-z-side");
	for (i = 6; i >= 0; i--)
		below(&c, i >= 5 || i <= 1 ? side : img_dir, "walk-z-%02d", i);
	for (i = 4; i >= 2; i--)
		decoy(side, "walk-z-%02d", i);
	build(&c);
	define_vm("walk-z", c.path[0]);
	pool_refresh();
	side_refresh("walk-z-side");

	assert_one_disk("walk-z", &c, true, c.n);
}

/* ---- e: a base no pool knows ----------------------------------------- */

/* walk-e-05..01 in "images" over walk-e-00 in a folder no pool covers;
 * "images" holds a lone image named walk-e-00 too. */
static void base_outside_every_pool(void **state)
{
	char nopool[PATH_LEN];
	struct chain c = {.n = 0};
	int i;

	(void)state;
	folder(nopool, "walk-e-nopool");
	for (i = 5; i >= 1; i--)
		below(&c, img_dir, "walk-e-%02d", i);
	below(&c, nopool, "walk-e-00");
	decoy(img_dir, "walk-e-00");
	build(&c);
	define_vm("walk-e", c.path[0]);
	pool_refresh();
	assert_false(in_pool(c.path[c.n - 1]));

	/* The base is named by the layer above, but nothing is known below. */
	assert_one_disk("walk-e", &c, false, c.n - 1);
}

/* ---- f, h: two disks -------------------------------------------------- */

/* vda on walk-f-a-08..00, vdb on walk-f-b-11..00: named alike enough that
 * reading ahead for vda reads vdb's chain too. */
static void two_disks_with_deep_chains(void **state)
{
	struct chain a, b;
	struct be_disk_list l;
	const char *tops[2];
	size_t w;

	(void)state;
	alike(&a, "walk-f-a", 9);
	alike(&b, "walk-f-b", 12);
	build(&a);
	build(&b);
	tops[0] = a.path[0];
	tops[1] = b.path[0];
	define_vm_disks("walk-f", tops, 2);
	pool_refresh();

	for (w = 0; w < ARRAY_LEN(walks); w++) {
		disks(w, "walk-f", &l);

		assert_int_equal(l.n, 2);
		assert_disk_is(w, &l, "vda", &a, true, a.n);
		assert_disk_is(w, &l, "vdb", &b, true, b.n);
		be_disk_list_clear(&l);
	}
	assert_qemu_sees(&a);
	assert_qemu_sees(&b);
	assert_depth("walk-f", 12);
	assert_shut_off("walk-f");
}

/* vda on walk-h-a2 <- walk-h-a1 and vdb on walk-h-b3 <- walk-h-b2 <-
 * walk-h-b1, both over walk-h-m2 <- walk-h-m1 <- walk-h-m0: what vda's
 * walk read of the shared layers, vdb's walk needs again. */
static void two_disks_sharing_their_lower_layers(void **state)
{
	struct chain a = {.n = 0}, b = {.n = 0};
	struct be_disk_list l;
	const char *tops[2];
	size_t w;
	int i;

	(void)state;
	below(&a, img_dir, "walk-h-a2");
	below(&a, img_dir, "walk-h-a1");
	for (i = 3; i >= 1; i--)
		below(&b, img_dir, "walk-h-b%d", i);
	for (i = 2; i >= 0; i--) {
		below(&a, img_dir, "walk-h-m%d", i);
		below(&b, img_dir, "walk-h-m%d", i);
	}
	build(&a);
	build_top(&b, 3);
	tops[0] = a.path[0];
	tops[1] = b.path[0];
	define_vm_disks("walk-h", tops, 2);
	pool_refresh();

	for (w = 0; w < ARRAY_LEN(walks); w++) {
		disks(w, "walk-h", &l);

		assert_int_equal(l.n, 2);
		assert_disk_is(w, &l, "vda", &a, true, a.n);
		assert_disk_is(w, &l, "vdb", &b, true, b.n);
		be_disk_list_clear(&l);
	}
	assert_qemu_sees(&a);
	assert_qemu_sees(&b);
	assert_depth("walk-h", 6);
	assert_shut_off("walk-h");
}

/* ---- o: backing paths spelled otherwise than the pool's keys ---------- */

/* walk-o-04 -> "walk-o-03.qcow2" (relative) -> $E2E_IMG/walk-o-02.qcow2 ->
 * "$E2E_IMG//walk-o-01.qcow2" -> "walk-o-00.qcow2" (relative). libvirt
 * makes a relative name absolute beside the layer naming it, and keeps the
 * double slash: that layer is not found under its key, only by lookup. */
static void backing_paths_spelled_otherwise(void **state)
{
	char o[5][PATH_LEN], name[32], slash2[PATH_LEN];
	struct chain c = {.n = 0};
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "walk-o-%02d", i);
		img(o[i], name);
	}
	qcow2(o[0], "64M", NULL);
	must_quiet("cd '%s' && qemu-img create -q -f qcow2 -b walk-o-00.qcow2 -F qcow2 '%s'", img_dir, o[1]);
	own(o[1]);
	snprintf(slash2, sizeof(slash2), "%s//walk-o-01.qcow2", img_dir);
	qcow2(o[2], NULL, slash2);
	qcow2(o[3], NULL, o[2]);
	must_quiet("cd '%s' && qemu-img create -q -f qcow2 -b walk-o-03.qcow2 -F qcow2 '%s'", img_dir, o[4]);
	own(o[4]);
	str_copy(c.path[c.n++], o[4], PATH_LEN);
	str_copy(c.path[c.n++], o[3], PATH_LEN);
	str_copy(c.path[c.n++], o[2], PATH_LEN);
	str_copy(c.path[c.n++], slash2, PATH_LEN);
	str_copy(c.path[c.n++], o[0], PATH_LEN);
	define_vm("walk-o", o[4]);
	pool_refresh();

	assert_one_disk("walk-o", &c, true, c.n);
}

/* ---- l, m, n, p, q: loops, a missing file, deep chains ---------------- */

/* qemu-img, on its own, finds the loop that starts at top. */
static void assert_qemu_finds_a_loop(const char *top)
{
	int st;
	char *out = shell(&st, "qemu-img info --backing-chain -U '%s'", top);

	if (st == 0 || !strstr(out, "infinite loop"))
		fail_msg("qemu-img info --backing-chain %s: status %d, %s", top, st, out);
	free(out);
}

/* Both walks read c and end as given (loop: back to layer loop_to); the
 * VM list counts c's layers. */
static void assert_walks_end(const char *vm, const struct chain *c, enum be_chain_end eager_end,
			     enum be_chain_end scan_end, size_t loop_to)
{
	static char want[LAYERS_MAX * PATH_LEN], got[LAYERS_MAX * PATH_LEN];
	struct be_disk_list l;
	size_t w;

	for (w = 0; w < ARRAY_LEN(walks); w++) {
		enum be_chain_end end = w == 0 ? eager_end : scan_end;

		disks(w, vm, &l);
		assert_int_equal(l.n, 1);
		join_chain(c, want, sizeof(want));
		join_disk(&l.d[0], got, sizeof(got));
		assert_string_equal(got, want);
		if (l.d[0].end != end)
			fail_msg("%s %s: end %d, want %d", walks[w].name, vm, (int)l.d[0].end, (int)end);
		if (end == BE_END_LOOP)
			assert_int_equal(l.d[0].loop_to, loop_to);
		assert_int_equal(l.d[0].layers[l.d[0].nlayers - 1].missing, end == BE_END_MISSING);
		be_disk_list_clear(&l);
	}
	assert_depth(vm, (int)c->n);
	assert_shut_off(vm);
}

/* walk-l-02 <- walk-l-01 <- walk-l-00, then walk-l-00 rebased (unsafe,
 * header only) onto walk-l-02: a loop of three. */
static void two_files_backed_by_each_other(void **state)
{
	struct chain c;

	(void)state;
	alike(&c, "walk-l", 3);
	build(&c);
	must_quiet("qemu-img rebase -u -f qcow2 -b '%s' -F qcow2 '%s'", c.path[0], c.path[2]);
	define_vm("walk-l", c.path[0]);
	pool_refresh();

	assert_qemu_finds_a_loop(c.path[0]);
	assert_walks_end("walk-l", &c, BE_END_LOOP, BE_END_LOOP, 0);
}

/* walk-m-01 over walk-m-00, which is rebased onto itself. */
static void a_file_backed_by_itself(void **state)
{
	struct chain c;

	(void)state;
	alike(&c, "walk-m", 2);
	build(&c);
	must_quiet("qemu-img rebase -u -f qcow2 -b '%s' -F qcow2 '%s'", c.path[1], c.path[1]);
	define_vm("walk-m", c.path[0]);
	pool_refresh();

	assert_qemu_finds_a_loop(c.path[0]);
	assert_walks_end("walk-m", &c, BE_END_LOOP, BE_END_LOOP, 1);
}

/* walk-n-02 <- walk-n-01 <- walk-n-00, then walk-n-00 deleted behind the
 * pool's back: the eager walk refreshes the pool and calls it missing;
 * the scan does not look (it would list the pools once a VM). */
static void a_backing_file_deleted(void **state)
{
	struct chain c;
	int st;
	char *out;

	(void)state;
	alike(&c, "walk-n", 3);
	build(&c);
	define_vm("walk-n", c.path[0]);
	pool_refresh();
	must_quiet("rm -f -- '%s'", c.path[2]);

	out = shell(&st, "qemu-img info --backing-chain -U '%s'", c.path[0]);
	if (st == 0 || !strstr(out, "No such file"))
		fail_msg("qemu-img info --backing-chain: status %d, %s", st, out);
	free(out);
	assert_walks_end("walk-n", &c, BE_END_MISSING, BE_END_UNKNOWN, 0);
	assert_false(in_pool(c.path[2]));
}

/* Seventy layers: deeper than the old limit of 64, read whole. */
static void seventy_layers(void **state)
{
	static struct chain c;

	(void)state;
	alike(&c, "walk-p", 70);
	build(&c);
	define_vm("walk-p", c.path[0]);
	pool_refresh();

	assert_one_disk("walk-p", &c, true, c.n);
}

/* One layer more than libvirt runs a VM on: both walks stop at
 * BE_MAX_CHAIN layers and say that the chain is cut off. */
static void deeper_than_libvirt_runs(void **state)
{
	static struct chain c, top;

	(void)state;
	alike(&c, "walk-q", BE_MAX_CHAIN + 1);
	build(&c);
	define_vm("walk-q", c.path[0]);
	pool_refresh();
	assert_qemu_sees(&c);

	top = c;
	top.n = BE_MAX_CHAIN;
	assert_walks_end("walk-q", &top, BE_END_CUT, BE_END_CUT, 0);
}

int test_walk_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(twelve_alike_layers_among_forty_more, NULL, clean_prefix,
							 "walk-a"),
		cmocka_unit_test_prestate_setup_teardown(forty_alike_layers, NULL, clean_prefix, "walk-b"),
		cmocka_unit_test_prestate_setup_teardown(six_layers_named_unalike, NULL, clean_unlike_prefix, "walk-c"),
		cmocka_unit_test_prestate_setup_teardown(chain_across_two_pools, NULL, clean_prefix, "walk-d"),
		cmocka_unit_test_prestate_setup_teardown(chain_back_and_forth_between_pools, NULL, clean_prefix,
							 "walk-z"),
		cmocka_unit_test_prestate_setup_teardown(base_outside_every_pool, NULL, clean_prefix, "walk-e"),
		cmocka_unit_test_prestate_setup_teardown(two_disks_with_deep_chains, NULL, clean_prefix, "walk-f"),
		cmocka_unit_test_prestate_setup_teardown(twelve_alike_layers_counted, NULL, clean_prefix, "walk-g"),
		cmocka_unit_test_prestate_setup_teardown(two_disks_sharing_their_lower_layers, NULL, clean_prefix,
							 "walk-h"),
		cmocka_unit_test_prestate_setup_teardown(backing_paths_spelled_otherwise, NULL, clean_prefix,
							 "walk-o"),
		cmocka_unit_test_prestate_setup_teardown(two_files_backed_by_each_other, NULL, clean_prefix, "walk-l"),
		cmocka_unit_test_prestate_setup_teardown(a_file_backed_by_itself, NULL, clean_prefix, "walk-m"),
		cmocka_unit_test_prestate_setup_teardown(a_backing_file_deleted, NULL, clean_prefix, "walk-n"),
		cmocka_unit_test_prestate_setup_teardown(seventy_layers, NULL, clean_prefix, "walk-p"),
		cmocka_unit_test_prestate_setup_teardown(deeper_than_libvirt_runs, NULL, clean_prefix, "walk-q"),
	};

	return cmocka_run_group_tests_name("e2e-walk", tests, group_setup, group_close);
}
