/* The images screen: its model (images.h), built from every VM's chains
 * and snapshots and the host's volumes, who reads a file, and its keys. */
#include "core/images.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/dialog.h"
#include "core/jobs.h"
#include "core/layer.h"
#include "core/listpos.h"
#include "core/screen.h"
#include "core/state.h"
#include "core/tree.h"
#include "shared/util.h"

static size_t add_node(struct images *im, enum image_kind kind, const char *path, const char *format, size_t parent)
{
	size_t i = im->n++;

	im->nodes = xrealloc(im->nodes, im->n * sizeof(*im->nodes));
	im->tree = xrealloc(im->tree, im->n * sizeof(*im->tree));
	im->nodes[i] = (struct image_node){kind, xstrdup(path), xstrdup(format), NULL, false, 0, -1, NULL};
	im->tree[i] = (struct tree_node){parent, 0};
	return i;
}

/* Image nodes by path while the model is built: open addressing, so that
 * thousands of VMs' chains build in linear time on the UI thread. */
struct path_index {
	size_t *slot; /* node + 1, 0 empty */
	size_t mask;
};

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* True when the way up from node i passes node to. */
static bool reaches(const struct images *im, size_t i, size_t to)
{
	size_t guard = 0;

	for (; i != TREE_NONE && guard++ <= im->n; i = im->tree[i].parent)
		if (i == to)
			return true;
	return false;
}

/* The node of image path, made (below parent) when new. */
static size_t image(struct images *im, struct path_index *ix, const char *path, const char *format,
		    size_t parent)
{
	size_t h = hash(path) & ix->mask, i;

	for (; ix->slot[h]; h = (h + 1) & ix->mask) {
		i = ix->slot[h] - 1;
		if (!strcmp(im->nodes[i].path, path)) {
			/* A chain cut short (a layer in no pool) made it a root;
			 * a chain that knows its backing file puts it in place,
			 * unless that file hangs below it (a loop). */
			if (im->tree[i].parent == TREE_NONE && parent != TREE_NONE && !reaches(im, parent, i))
				im->tree[i].parent = parent;
			return i;
		}
	}
	i = add_node(im, IMG_FILE, path, format, parent);
	ix->slot[h] = i + 1;
	return i;
}

static const struct images *sort_images; /* qsort has no context */

static int cmp_nodes(const void *pa, const void *pb)
{
	const struct image_node *x = &sort_images->nodes[*(const size_t *)pa];
	const struct image_node *y = &sort_images->nodes[*(const size_t *)pb];
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1; /* the unused group last */
	if (x->users != y->users)
		return x->users > y->users ? -1 : 1;
	c = strcmp(x->path, y->path);
	if (!c)
		c = strcmp(x->format, y->format);
	return c ? c : strcmp(x->snap ? x->snap : "", y->snap ? y->snap : "");
}

/* The node of path when the index has it, else TREE_NONE. */
static size_t indexed(const struct images *im, const struct path_index *ix, const char *path)
{
	size_t h = hash(path) & ix->mask;

	for (; ix->slot[h]; h = (h + 1) & ix->mask)
		if (!strcmp(im->nodes[ix->slot[h] - 1].path, path))
			return ix->slot[h] - 1;
	return TREE_NONE;
}

static void add_chains(struct images *out, struct path_index *ix, const struct vm_disks_list *chains)
{
	size_t v, d, k;

	for (v = 0; v < chains->n; v++) {
		const struct be_disk_list *dl = &chains->v[v].disks;

		for (d = 0; d < dl->n; d++) {
			const struct be_disk *disk = &dl->d[d];
			size_t parent = TREE_NONE;

			char kind[700], marks[64];

			/* From the base up, so each layer hangs below its backing file;
			 * each says what it is when more than a file. */
			for (k = disk->nlayers; k-- > 0;) {
				const struct be_layer *l = &disk->layers[k];
				size_t node = image(out, ix, l->path,
						    l->type == BE_SRC_FILE ? l->format : layer_kind(l, kind, sizeof(kind)),
						    parent);

				out->nodes[node].users++;
				parent = node;
			}
			if (parent == TREE_NONE)
				continue;
			k = add_node(out, IMG_USE, chains->v[v].vm, disk->target, parent);
			/* A CD-ROM's, a read-only or shareable disk's use says so. */
			if (layer_disk_marks(disk, marks, sizeof(marks))[0])
				out->nodes[k].marks = xstrdup(marks);
		}
	}
}

/* Each snapshot hangs below the file its disk state lives in; a file no
 * chain uses any more gets its place from its volume's backing file. */
static const struct be_vol_list *sort_vols; /* qsort has no context */

static int cmp_vols(const void *a, const void *b)
{
	return strcmp(sort_vols->v[*(const size_t *)a].path, sort_vols->v[*(const size_t *)b].path);
}

/* The volumes sorted by path, so that thousands of them (a deep chain in
 * a pool) are looked up by binary search. Free it. */
static size_t *vols_by_path(const struct be_vol_list *vols)
{
	size_t *by = xcalloc(vols->n ? vols->n : 1, sizeof(*by)), i;

	for (i = 0; i < vols->n; i++)
		by[i] = i;
	sort_vols = vols;
	qsort(by, vols->n, sizeof(*by), cmp_vols);
	sort_vols = NULL;
	return by;
}

/* The volume of path, or TREE_NONE. */
static size_t vol_of(const struct be_vol_list *vols, const size_t *by, const char *path)
{
	size_t lo = 0, hi = vols->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(vols->v[by[mid]].path, path);

		if (!c)
			return by[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return TREE_NONE;
}

static void add_snapshots(struct images *out, struct path_index *ix, const struct vm_disks_list *chains,
			  const struct be_vol_list *vols, const size_t *by_path)
{
	size_t v, i, k;

	for (v = 0; v < chains->n; v++) {
		const struct be_snap_list *sl = &chains->v[v].snaps;

		for (i = 0; i < sl->n; i++)
			for (k = 0; k < sl->s[i].nfiles; k++) {
				const struct be_snap_file *f = &sl->s[i].files[k];
				size_t file = image(out, ix, f->path, "", TREE_NONE), leaf;

				leaf = add_node(out, IMG_SNAP, chains->v[v].vm, f->disk, file);
				out->nodes[leaf].snap = xstrdup(sl->s[i].name);
				out->nodes[leaf].external = f->external;
			}
	}
	/* Below a snapshot's file, its backing files, as far as volumes tell. */
	for (k = 0; k < out->n; k++) {
		size_t at = k, guard = 0;

		while (out->nodes[at].kind == IMG_FILE && out->tree[at].parent == TREE_NONE && guard++ < vols->n) {
			size_t b;

			if ((i = vol_of(vols, by_path, out->nodes[at].path)) == TREE_NONE || !vols->v[i].backing)
				break;
			b = image(out, ix, vols->v[i].backing, "", TREE_NONE);
			if (b == at || reaches(out, b, at))
				break; /* a loop */
			out->tree[at].parent = b;
			at = b;
		}
	}
}

/* Every volume that no chain, no snapshot and no other volume uses, in a
 * group of its own. */
static void add_unused(struct images *out, struct path_index *ix, const struct be_vol_list *vols)
{
	const char **backings = xcalloc(vols->n ? vols->n : 1, sizeof(*backings)), **backs;
	size_t i, nb = 0, node, group = TREE_NONE;

	for (i = 0; i < vols->n; i++)
		if (vols->v[i].backing)
			backings[nb++] = vols->v[i].backing;
	backs = str_set(backings, nb);
	free(backings);
	for (i = 0; i < vols->n; i++) {
		const struct be_volume *v = &vols->v[i];

		if (indexed(out, ix, v->path) != TREE_NONE || str_set_has(backs, nb, v->path))
			continue;
		if (group == TREE_NONE)
			group = add_node(out, IMG_UNUSED, "", "", TREE_NONE);
		node = add_node(out, IMG_FILE, v->path, "", group);
		out->nodes[node].allocation = v->allocation;
		out->unused++;
	}
	free(backs);
}

static int cmp_paths(const void *pa, const void *pb)
{
	return strcmp(sort_images->nodes[*(const size_t *)pa].path, sort_images->nodes[*(const size_t *)pb].path);
}

/* The files by path, so that a check of every layer of a deep chain is
 * not a scan of every node for each. */
static void index_paths(struct images *im)
{
	size_t i;

	im->by_path = xcalloc(im->n ? im->n : 1, sizeof(*im->by_path));
	for (i = 0; i < im->n; i++)
		if (im->nodes[i].kind == IMG_FILE)
			im->by_path[im->nfiles++] = i;
	sort_images = im;
	qsort(im->by_path, im->nfiles, sizeof(*im->by_path), cmp_paths);
	sort_images = NULL;
}

void images_build(struct images *out, const struct vm_disks_list *chains, const struct be_vol_list *vols)
{
	struct path_index ix;
	size_t v, d, i, s, *rank, *by_path, entries = vols->n, size = 16;

	memset(out, 0, sizeof(*out));
	for (v = 0; v < chains->n; v++) {
		for (d = 0; d < chains->v[v].disks.n; d++)
			entries += chains->v[v].disks.d[d].nlayers;
		for (s = 0; s < chains->v[v].snaps.n; s++)
			entries += chains->v[v].snaps.s[s].nfiles;
	}
	while (size < 2 * entries)
		size *= 2;
	ix.slot = xcalloc(size, sizeof(*ix.slot));
	ix.mask = size - 1;
	add_chains(out, &ix, chains);
	by_path = vols_by_path(vols);
	add_snapshots(out, &ix, chains, vols, by_path);
	free(by_path);
	add_unused(out, &ix, vols);
	free(ix.slot);
	/* Shared images first, then by path; VMs by name. */
	rank = xcalloc(out->n ? out->n : 1, sizeof(*rank));
	for (i = 0; i < out->n; i++)
		rank[i] = i;
	sort_images = out;
	qsort(rank, out->n, sizeof(*rank), cmp_nodes);
	sort_images = NULL;
	for (i = 0; i < out->n; i++)
		out->tree[rank[i]].order = (long long)i;
	free(rank);
	for (i = 0; i < out->n; i++)
		if (out->tree[i].parent == TREE_NONE && out->nodes[i].users > 1)
			out->shared++;
	tree_layout_build(&out->layout, out->tree, out->n, NULL);
	index_paths(out);
}

void images_free(struct images *im)
{
	size_t i;

	for (i = 0; i < im->n; i++) {
		free(im->nodes[i].path);
		free(im->nodes[i].format);
		free(im->nodes[i].snap);
		free(im->nodes[i].marks);
	}
	free(im->nodes);
	free(im->tree);
	free(im->by_path);
	tree_layout_free(&im->layout);
	memset(im, 0, sizeof(*im));
}

void images_open(struct app *a, int host, struct cmds *out)
{
	a->screen = SCREEN_IMAGES;
	images_load(a, host, out);
}

void images_load(struct app *a, int host, struct cmds *out)
{
	struct cmd *c = cmd_push(out, CMD_LOAD_IMAGES);

	if (host != a->img_host) { /* another host's images: none known yet */
		images_free(&a->images);
		a->img_loaded = false;
		a->img_pos = (struct listpos){0, 0};
	}
	a->img_host = host;
	a->img_loading = true;
	a->redraw = true;
	if (c)
		c->host = host;
}

void images_loaded(struct app *a, struct event *ev)
{
	if (ev->host != a->img_host)
		return; /* overtaken by another host's */
	a->img_loading = false;
	a->redraw = true;
	if (ev->rc < 0) {
		state_set_status(a, true, "Cannot read the disk chains: %s", ev->err.msg);
		return;
	}
	images_free(&a->images);
	images_build(&a->images, &ev->chains, &ev->vols);
	a->img_loaded = true;
	images_scroll(a);
}

void images_scroll(struct app *a)
{
	listpos_scroll(&a->img_pos, a->images.layout.n, state_list_height(a));
}

const struct image_node *images_selected(const struct app *a)
{
	if (a->img_pos.sel >= a->images.layout.n)
		return NULL;
	return &a->images.nodes[a->images.layout.rows[a->img_pos.sel].node];
}

/* Deletes an image of the unused group, after a question that names it;
 * the backend checks again that nothing uses it. */
static void ask_delete_image(struct app *a, const struct image_node *sel)
{
	struct cmd c = {.type = CMD_VOL_DELETE, .host = a->img_host};
	size_t node = sel ? (size_t)(sel - a->images.nodes) : TREE_NONE, up;
	char what[1200], size[32];

	up = node == TREE_NONE ? TREE_NONE : a->images.tree[node].parent;
	if (!sel || sel->kind != IMG_FILE || up == TREE_NONE || a->images.nodes[up].kind != IMG_UNUSED) {
		state_set_status(a, true, "Only an image of the unused group can be deleted here: d on one of them");
		return;
	}
	if (!state_host_writable(a, a->img_host))
		return;
	snprintf(c.u.vol_delete.paths, sizeof(c.u.vol_delete.paths), "%s\n", sel->path);
	snprintf(what, sizeof(what), "Delete the unused image %s", sel->path);
	dialog_confirm(a, &c, jobs_start_asked, what,
		    "Delete %s (%s used)?\nNo VM, disk, snapshot or other image uses it; vmmanager checks that "
		    "again just before deleting.\nLost: its data, for good.",
		    sel->path,
		    sel->allocation >= 0 ? bytes_human((unsigned long long)sel->allocation, size, sizeof(size)) : "size unknown");
}

static enum request images_request(struct app *a, enum request req, struct cmds *out)
{
	size_t n = a->images.layout.n, h = state_list_height(a);
	const struct image_node *sel = images_selected(a);

	switch (req) {
	case REQ_OPEN_USER:
		if (sel && (sel->kind == IMG_USE || sel->kind == IMG_SNAP))
			screen_open_vm(a, SCREEN_VM, a->img_host, sel->path, out);
		else
			state_set_status(a, false, "Enter on a VM's disk or snapshot opens that VM");
		return REQ_NONE;
	case REQ_IMAGE_DELETE:
		ask_delete_image(a, sel);
		return REQ_NONE;
	case REQ_BACK:
	case REQ_CANCEL: a->screen = SCREEN_VMLIST; break;
	default:
		if (!listpos_move(&a->img_pos, req, n, h))
			return req;
	}
	images_scroll(a);
	a->redraw = true;
	return REQ_NONE;
}

/* Ctrl-L: the images of the host shown, afresh. */
static void images_reload(struct app *a, struct cmds *out)
{
	images_open(a, a->img_host, out);
}

static const struct hint images_hints[] = {
	{REQ_HELP, NULL, NULL},         {REQ_BACK, NULL, NULL},       {REQ_OPEN_USER, NULL, NULL},
	{REQ_IMAGE_DELETE, NULL, NULL}, {REQ_SCREEN_VMS, NULL, NULL}, {REQ_SCREEN_JOBS, NULL, NULL},
	{REQ_NONE, NULL, NULL},
};

const struct screen images_screen = {
	.scope = SCOPE_IMAGES,
	.request = images_request,
	.scroll = images_scroll,
	.hints = images_hints,
	.reload = images_reload,
};

size_t images_find(const struct images *im, const char *path)
{
	size_t lo = 0, hi = im->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(im->nodes[im->by_path[mid]].path, path);

		if (!c)
			return im->by_path[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return TREE_NONE;
}

/* Whether leaf i, below the file node, reads it by the rules of
 * images_users. */
static bool leaf_reads(const struct images *im, size_t i, size_t file, const struct images_skip *skip)
{
	const struct image_node *n = &im->nodes[i];
	bool own = !strcmp(n->path, skip->vm);

	if (n->kind == IMG_USE && own && !strcmp(n->format, skip->disk))
		return false;
	if (n->kind == IMG_SNAP && own) {
		size_t holder = im->tree[i].parent;

		if (holder != TREE_NONE && skip->going[holder])
			return false;
		if (holder == file && !n->external)
			return false;
	}
	return true;
}

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

void images_skip_init(struct images_skip *s, const struct images *im, const char *vm, const char *disk,
		      const char *const *going, size_t ngoing)
{
	size_t i, node;

	s->vm = vm;
	s->disk = disk;
	s->going = xcalloc(im->n ? im->n : 1, sizeof(*s->going));
	for (i = 0; i < ngoing; i++)
		if ((node = images_find(im, going[i])) != TREE_NONE)
			s->going[node] = true;
}

void images_skip_free(struct images_skip *s)
{
	free(s->going);
	memset(s, 0, sizeof(*s));
}

size_t images_readers(const struct images *im, const char *path, const struct images_skip *skip, char *buf, size_t n)
{
	size_t file = images_find(im, path), row, end, i, count = 0, len = 0, *hits;
	char who[600];

	buf[0] = '\0';
	row = file == TREE_NONE ? TREE_NONE : tree_layout_find(&im->layout, file);
	if (row == TREE_NONE)
		return 0;
	/* A leaf uses every image on its way up to the root: the leaves that
	 * use file are those of its subtree, the deeper rows right after it. */
	for (end = row + 1; end < im->layout.n && im->layout.rows[end].depth > im->layout.rows[row].depth; end++)
		;
	hits = xcalloc(end - row, sizeof(*hits));
	for (row++; row < end; row++) {
		i = im->layout.rows[row].node;
		if ((im->nodes[i].kind == IMG_USE || im->nodes[i].kind == IMG_SNAP) && leaf_reads(im, i, file, skip))
			hits[count++] = i;
	}
	/* Named in the order the host listed them. */
	qsort(hits, count, sizeof(*hits), cmp_index);
	for (i = 0; i < count; i++) {
		const struct image_node *l = &im->nodes[hits[i]];

		if (l->kind == IMG_USE)
			snprintf(who, sizeof(who), "%s (disk %s)", l->path, l->format);
		else
			snprintf(who, sizeof(who), "%s's snapshot '%s'", l->path, l->snap);
		if (len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "; " : "", who);
	}
	free(hits);
	return count;
}

size_t images_users(const struct images *im, const char *path, const char *skip_vm, const char *skip_disk,
		    const char *const *going, size_t ngoing, char *buf, size_t n)
{
	struct images_skip skip;
	size_t count;

	images_skip_init(&skip, im, skip_vm, skip_disk, going, ngoing);
	count = images_readers(im, path, &skip, buf, n);
	images_skip_free(&skip);
	return count;
}
