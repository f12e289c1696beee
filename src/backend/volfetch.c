/* Volume XMLs for walking a shut-off VM's chain. Each volume XML names
 * only the layer below, so a plain walk costs a lookup and a read per
 * layer, one after the other. An eager walk looks up the top layer's pool
 * beside its XML; when the chain goes deeper, that pool's volumes are
 * listed once (their keys save the lookups) and each round also reads,
 * all at once, the volumes whose names are most like the layer asked
 * for: chains are usually named alike (virsh names an overlay after its
 * base), so a 10-layer chain takes four round trips instead of twenty.
 * What is read ahead is only a cache: the walk still follows each
 * volume's own backing path, and a round that reads ahead in vain is the
 * last to. */
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "backend/volfetch.h"
#include "backend/xml.h"
#include "core/util.h"

/* Volumes read ahead in one round, beside the one asked for. */
#define AHEAD (PARALLEL_MAX - 1)
/* Names that share fewer leading characters are not read ahead. */
#define MIN_ALIKE 3

struct listed {
	virStorageVolPtr vol;
	const char *key;  /* the path, for file-based pools */
	const char *name;
	size_t alike;     /* ranking scratch */
	bool taken;       /* read already, or being read */
};

struct ahead {
	char *path; /* from the volume's own XML */
	char *xml;
};

struct vol_fetch {
	virConnectPtr conn;
	bool eager;
	virStoragePoolPtr pool; /* the top layer's, for a deep chain */
	char *top_key;
	bool listed;
	struct listed *l;
	size_t nl;
	struct ahead *a;
	size_t na;
	bool read_ahead; /* the last round read ahead; a miss stops it */
	bool no_ahead;   /* names proved unlike: read only what is asked */
};

/* One round's work: task 0 reads the volume asked for, the rest read
 * ahead. */
struct round {
	struct vol_fetch *f;
	const char *path;
	struct listed *exact;
	virStorageVolPtr exact_vol; /* looked up, when not listed */
	char *exact_xml;
	struct listed **ahead;
	char **ahead_xml;
	size_t nahead;
};

struct vol_fetch *vf_new(virConnectPtr conn, bool eager)
{
	struct vol_fetch *f = xcalloc(1, sizeof(*f));

	f->conn = conn;
	f->eager = eager;
	return f;
}

void vf_free(struct vol_fetch *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nl; i++)
		virStorageVolFree(f->l[i].vol);
	for (i = 0; i < f->na; i++) {
		free(f->a[i].path);
		free(f->a[i].xml);
	}
	if (f->pool)
		virStoragePoolFree(f->pool);
	free(f->top_key);
	free(f->l);
	free(f->a);
	free(f);
}

static char *vol_xml(virStorageVolPtr vol)
{
	char *xml = virStorageVolGetXMLDesc(vol, 0);

	if (!xml)
		virResetLastError();
	return xml;
}

static void read_exact(struct round *r)
{
	if (r->exact) {
		r->exact_xml = vol_xml(r->exact->vol);
		return;
	}
	r->exact_vol = virStorageVolLookupByPath(r->f->conn, r->path);
	if (!r->exact_vol) {
		virResetLastError(); /* in no pool: the chain stays partial */
		return;
	}
	r->exact_xml = vol_xml(r->exact_vol);
}

static void round_task(void *ctx, size_t i)
{
	struct round *r = ctx;

	if (i == 0)
		read_exact(r);
	else
		r->ahead_xml[i - 1] = vol_xml(r->ahead[i - 1]->vol);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static size_t common_prefix(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

static int by_alike(const void *pa, const void *pb)
{
	const struct listed *a = *(struct listed *const *)pa, *b = *(struct listed *const *)pb;

	if (a->alike != b->alike)
		return a->alike < b->alike ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* The listed volumes not read yet whose names are most like path's. */
static void pick_ahead(struct vol_fetch *f, struct round *r)
{
	const char *want = base_name(r->path);
	struct listed **c = xmalloc((f->nl ? f->nl : 1) * sizeof(*c));
	size_t i, n = 0;

	for (i = 0; i < f->nl; i++) {
		struct listed *l = &f->l[i];

		if (l->taken || l == r->exact)
			continue;
		l->alike = common_prefix(l->name, want);
		if (l->alike >= MIN_ALIKE)
			c[n++] = l;
	}
	qsort(c, n, sizeof(*c), by_alike);
	r->nahead = n < AHEAD ? n : AHEAD;
	r->ahead = c;
	r->ahead_xml = xcalloc(r->nahead ? r->nahead : 1, sizeof(char *));
	for (i = 0; i < r->nahead; i++)
		c[i]->taken = true;
}

static struct listed *find_listed(struct vol_fetch *f, const char *path)
{
	size_t i;

	for (i = 0; path && i < f->nl; i++)
		if (f->l[i].key && strcmp(f->l[i].key, path) == 0)
			return &f->l[i];
	return NULL;
}

/* The top layer's pool's volumes, once: their keys (paths, in file-based
 * pools) save the lookups, their names say what to read ahead. */
static void list_pool(struct vol_fetch *f)
{
	virStorageVolPtr *vols = NULL;
	int i, n;

	f->listed = true;
	n = virStoragePoolListAllVolumes(f->pool, &vols, 0);
	if (n < 0) {
		virResetLastError();
		return;
	}
	f->l = xcalloc(n ? (size_t)n : 1, sizeof(*f->l));
	for (i = 0; i < n; i++) {
		struct listed *l = &f->l[f->nl++];

		l->vol = vols[i];
		l->key = virStorageVolGetKey(l->vol);
		l->name = virStorageVolGetName(l->vol);
		if (!l->name)
			l->name = "";
		l->taken = l->key && f->top_key && strcmp(l->key, f->top_key) == 0;
	}
	free(vols);
}

/* Keeps what was read ahead, under the path its own XML gives. */
static void take_ahead(struct vol_fetch *f, struct round *r)
{
	size_t i;

	for (i = 0; i < r->nahead; i++) {
		char *path = r->ahead_xml[i] ? xml_vol_path(r->ahead_xml[i]) : NULL;

		if (!path) {
			free(r->ahead_xml[i]);
			continue;
		}
		f->a = xrealloc(f->a, (f->na + 1) * sizeof(*f->a));
		f->a[f->na].path = path;
		f->a[f->na++].xml = r->ahead_xml[i];
	}
	free(r->ahead_xml);
	free(r->ahead);
}

static char *take_cached(struct vol_fetch *f, const char *path)
{
	size_t i;

	/* Kept: another disk's chain may share the layer. */
	for (i = 0; i < f->na; i++)
		if (strcmp(f->a[i].path, path) == 0)
			return xstrdup(f->a[i].xml);
	return NULL;
}

static void top_task(void *ctx, size_t i)
{
	struct round *r = ctx;

	if (i == 0) {
		r->exact_xml = vol_xml(r->exact_vol);
	} else {
		r->f->pool = virStoragePoolLookupByVolume(r->exact_vol);
		if (!r->f->pool)
			virResetLastError();
	}
}

/* The first volume of an eager walk: its pool is looked up beside its
 * XML, in case the chain goes deeper. */
static char *read_top(struct vol_fetch *f, const char *path)
{
	struct round r = {.f = f, .path = path};
	const char *key;

	r.exact_vol = virStorageVolLookupByPath(f->conn, path);
	if (!r.exact_vol) {
		virResetLastError();
		return NULL;
	}
	parallel_for(2, 2, top_task, &r);
	key = virStorageVolGetKey(r.exact_vol);
	free(f->top_key); /* a second disk's, when the first's pool was not found */
	f->top_key = key ? xstrdup(key) : NULL;
	virStorageVolFree(r.exact_vol);
	return r.exact_xml;
}

char *vf_xml(struct vol_fetch *f, const char *path, int depth)
{
	struct round r = {.f = f, .path = path};
	char *xml = take_cached(f, path);

	if (xml)
		return xml;
	if (depth == 1)
		f->read_ahead = false; /* another disk: not a miss of the last */
	if (f->eager && depth == 1 && !f->pool && !f->listed)
		return read_top(f, path);
	if (f->pool && depth >= 2 && !f->listed)
		list_pool(f);
	r.exact = find_listed(f, path);
	/* Read ahead and missed, beyond what the cap on a round left. */
	if (f->read_ahead && !(r.exact && !r.exact->taken))
		f->no_ahead = true;
	if (r.exact)
		r.exact->taken = true;
	if (f->nl && !f->no_ahead)
		pick_ahead(f, &r);
	f->read_ahead = r.nahead > 0;
	parallel_for(1 + r.nahead, PARALLEL_MAX, round_task, &r);
	take_ahead(f, &r);
	if (r.exact_vol) {
		/* Spelled unlike its key ("//"), it was looked up: not read again. */
		struct listed *l = find_listed(f, virStorageVolGetKey(r.exact_vol));

		if (l)
			l->taken = true;
		virStorageVolFree(r.exact_vol);
	}
	return r.exact_xml;
}
