/* Volume XMLs for walking a shut-off VM's chain. Each volume XML names
 * only the layer below, so a plain walk costs a lookup and a read per
 * layer, one after the other. For the one VM the operator waits for
 * (eager), the top layer's pool is looked up beside its XML; once the
 * chain goes deeper, that pool is listed (the keys save the lookups) and
 * each round also reads, all at once, the volumes whose names are most
 * like the layer asked for: chains are usually named alike (virsh names
 * an overlay after its base), so a 10-layer chain takes four round trips
 * instead of twenty. What is read ahead is only a cache: the walk still
 * follows each volume's own backing path, and a miss stops the reading
 * ahead. Scans of many VMs read layer by layer: reading ahead for each
 * would multiply the daemon's work. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "backend/volfetch.h"
#include "backend/xml.h"
#include "shared/util.h"

/* Volumes read ahead in one round, beside the one asked for. */
#define AHEAD 31
/* Names that share fewer leading characters are not read ahead. */
#define MIN_ALIKE 3

struct listed {
	virStorageVolPtr vol;
	const char *key;  /* the path, for file-based pools */
	const char *name;
	size_t alike;     /* how alike its name was in the last ranking */
	bool taken;       /* read already, or being read */
};

struct ahead {
	char *path; /* from the volume's own XML */
	char *xml;
};

struct vol_fetch {
	virConnectPtr conn;
	bool eager;
	virStoragePoolPtr pool; /* the top layer's */
	bool pool_tried, listed;
	char **read;            /* keys of the volumes read as asked */
	size_t nread;
	struct listed *l;
	size_t nl;
	struct ahead *a;
	size_t na;
	struct vol_cat *cat;    /* the load's listing, or NULL */
	bool read_ahead; /* the last round read ahead; a miss stops it */
	bool no_ahead;   /* names proved unlike: read only what is asked */
};

/* One round's work: task 0 reads the volume asked for (and may look up
 * its pool), the rest read ahead. */
struct round {
	struct vol_fetch *f;
	const char *path;
	struct listed *exact;
	virStorageVolPtr exact_vol; /* looked up, when not listed */
	virStorageVolPtr vol;       /* the one read, either way */
	char *exact_xml;
	bool want_pool;
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
	for (i = 0; i < f->nread; i++)
		free(f->read[i]);
	free(f->read);
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

static void exact_task(void *ctx, size_t i)
{
	struct round *r = ctx;

	if (i == 0) {
		r->exact_xml = vol_xml(r->vol);
	} else {
		r->f->pool = virStoragePoolLookupByVolume(r->vol);
		if (!r->f->pool)
			virResetLastError();
	}
}

static virStorageVolPtr find(struct vol_cat *cat, const char *path, virStoragePoolPtr *pool);

static void read_exact(struct round *r)
{
	virStoragePoolPtr pool = NULL;

	if (r->exact) {
		r->vol = r->exact->vol;
	} else if (r->f->cat && (r->vol = find(r->f->cat, r->path, &pool))) {
		/* Listed for the whole load, with its pool: no lookup of
		 * either. */
		if (r->want_pool) {
			if (!r->f->pool && virStoragePoolRef(pool) == 0)
				r->f->pool = pool;
			r->f->pool_tried = true;
			r->want_pool = false;
		}
	} else {
		r->vol = r->exact_vol = virStorageVolLookupByPath(r->f->conn, r->path);
		if (!r->vol) {
			virResetLastError(); /* in no pool: the chain stays partial */
			return;
		}
	}
	/* Only this thread writes it, before the round is joined. */
	r->f->pool_tried |= r->want_pool;
	parallel_for(r->want_pool ? 2 : 1, 2, exact_task, r);
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

static bool was_read(const struct vol_fetch *f, const char *key)
{
	size_t i;

	for (i = 0; key && i < f->nread; i++)
		if (!strcmp(f->read[i], key))
			return true;
	return false;
}

/* The pool's volumes, once: their keys (paths, in file-based pools) save
 * the lookups, their names say what to read ahead. */
static int cat_pool_vols(struct vol_cat *cat, virStoragePoolPtr pool, virStorageVolPtr **out);

static void list_pool(struct vol_fetch *f)
{
	virStorageVolPtr *vols = NULL;
	int i, n;

	f->listed = true;
	/* The load's listing has it already, when the pool came from it. */
	if (!f->cat || (n = cat_pool_vols(f->cat, f->pool, &vols)) < 0)
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
		l->taken = was_read(f, l->key);
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

/* Notes the volume read as asked: not to be read again. */
static void note_read(struct vol_fetch *f, struct round *r)
{
	const char *key;
	struct listed *l;

	if (!r->vol || !(key = virStorageVolGetKey(r->vol)))
		return;
	/* Spelled unlike its key ("//"), it was looked up: mark it listed. */
	if ((l = find_listed(f, key)))
		l->taken = true;
	f->read = xrealloc(f->read, (f->nread + 1) * sizeof(*f->read));
	f->read[f->nread++] = xstrdup(key);
}

void vf_use_catalog(struct vol_fetch *f, struct vol_cat *cat)
{
	f->cat = cat;
}

void vf_next_disk(struct vol_fetch *f)
{
	f->read_ahead = false; /* a miss of this disk is not the last one's */
}

char *vf_xml(struct vol_fetch *f, const char *path, size_t depth)
{
	struct round r = {.f = f, .path = path};
	char *xml = take_cached(f, path);

	if (xml)
		return xml;
	if (f->pool && !f->listed && depth >= 2)
		list_pool(f);
	r.exact = find_listed(f, path);
	/* Read ahead and missed: it stops, unless the layer was named alike
	 * and only the cap on a round left it out. */
	if (f->read_ahead && !(r.exact && !r.exact->taken && r.exact->alike >= MIN_ALIKE))
		f->no_ahead = true;
	if (r.exact)
		r.exact->taken = true;
	if (f->nl && !f->no_ahead)
		pick_ahead(f, &r);
	f->read_ahead = r.nahead > 0;
	r.want_pool = f->eager && !f->pool_tried && depth == 1;
	parallel_for(1 + r.nahead, 1 + AHEAD, round_task, &r);
	take_ahead(f, &r);
	note_read(f, &r);
	if (r.exact_vol)
		virStorageVolFree(r.exact_vol);
	return r.exact_xml;
}

/* Pools listed at once: they are few, and these calls come on top of a
 * fan-out's BE_FANOUT_MAX, within BE_CALLS_MAX (backend.h). */
#define POOL_THREADS 8

struct pool_vols {
	virStorageVolPtr *vols;
	int n;
};

struct vol_cat {
	virConnectPtr conn;
	pthread_t t;
	bool started;
	pthread_mutex_t lock; /* guards ready */
	pthread_cond_t cond;
	bool ready;
	virStoragePoolPtr *pools;
	struct pool_vols *pv;
	int npools;
	virStorageVolPtr *vols; /* by key; keys owned by the handles */
	const char **keys;
	int *pool;              /* each one's, an index of pools */
	size_t n;
};

static void list_vols(void *ctx, size_t i)
{
	struct vol_cat *cat = ctx;

	cat->pv[i].n = virStoragePoolListAllVolumes(cat->pools[i], &cat->pv[i].vols, 0);
	if (cat->pv[i].n < 0) {
		virResetLastError(); /* its volumes are looked up by path */
		cat->pv[i].n = 0;
		cat->pv[i].vols = NULL;
	}
}

struct keyed {
	const char *key;
	virStorageVolPtr vol;
	int pool;
};

static int by_key(const void *pa, const void *pb)
{
	return strcmp(((const struct keyed *)pa)->key, ((const struct keyed *)pb)->key);
}

/* Two pools may hold one file (a folder and a folder inside it): such a
 * key is dropped, and its volume looked up by path as without the list. */
static void index_vols(struct vol_cat *cat)
{
	struct keyed *k;
	size_t total = 0, n = 0, i;
	int p, j;

	for (p = 0; p < cat->npools; p++)
		total += (size_t)cat->pv[p].n;
	k = xcalloc(total ? total : 1, sizeof(*k));
	for (p = 0; p < cat->npools; p++)
		for (j = 0; j < cat->pv[p].n; j++) {
			const char *key = virStorageVolGetKey(cat->pv[p].vols[j]);

			if (key) {
				k[n].key = key;
				k[n].pool = p;
				k[n++].vol = cat->pv[p].vols[j];
			}
		}
	qsort(k, n, sizeof(*k), by_key);
	cat->vols = xcalloc(n ? n : 1, sizeof(*cat->vols));
	cat->keys = xcalloc(n ? n : 1, sizeof(*cat->keys));
	cat->pool = xcalloc(n ? n : 1, sizeof(*cat->pool));
	for (i = 0; i < n; i++) {
		bool dup = (i > 0 && !strcmp(k[i].key, k[i - 1].key)) ||
			   (i + 1 < n && !strcmp(k[i].key, k[i + 1].key));

		if (dup)
			continue;
		cat->keys[cat->n] = k[i].key;
		cat->pool[cat->n] = k[i].pool;
		cat->vols[cat->n++] = k[i].vol;
	}
	free(k);
}

static void *build(void *arg)
{
	struct vol_cat *cat = arg;

	cat->npools = virConnectListAllStoragePools(cat->conn, &cat->pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
	if (cat->npools < 0) {
		virResetLastError(); /* every layer is looked up by path */
		cat->npools = 0;
		cat->pools = NULL;
	}
	cat->pv = xcalloc(cat->npools ? (size_t)cat->npools : 1, sizeof(*cat->pv));
	parallel_for((size_t)cat->npools, POOL_THREADS, list_vols, cat);
	index_vols(cat);
	pthread_mutex_lock(&cat->lock);
	cat->ready = true;
	pthread_cond_broadcast(&cat->cond);
	pthread_mutex_unlock(&cat->lock);
	return NULL;
}

struct vol_cat *vc_new(virConnectPtr conn)
{
	struct vol_cat *cat = xcalloc(1, sizeof(*cat));

	cat->conn = conn;
	pthread_mutex_init(&cat->lock, NULL);
	pthread_cond_init(&cat->cond, NULL);
	cat->started = pthread_create(&cat->t, NULL, build, cat) == 0;
	if (!cat->started)
		build(cat); /* no thread to spare: listed before the load */
	return cat;
}

static void wait_ready(struct vol_cat *cat)
{
	pthread_mutex_lock(&cat->lock);
	while (!cat->ready)
		pthread_cond_wait(&cat->cond, &cat->lock);
	pthread_mutex_unlock(&cat->lock);
}

static virStorageVolPtr find(struct vol_cat *cat, const char *path, virStoragePoolPtr *pool)
{
	size_t lo = 0, hi;

	wait_ready(cat);
	hi = cat->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(cat->keys[mid], path);

		if (!d) {
			if (pool)
				*pool = cat->pools[cat->pool[mid]];
			return cat->vols[mid];
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

virStorageVolPtr vc_find(struct vol_cat *cat, const char *path)
{
	return find(cat, path, NULL);
}

/* The volumes of pool as cat listed them, each with a reference of its
 * own; -1 when cat did not list pool. */
static int cat_pool_vols(struct vol_cat *cat, virStoragePoolPtr pool, virStorageVolPtr **out)
{
	int p, j;

	wait_ready(cat);
	for (p = 0; p < cat->npools; p++)
		if (cat->pools[p] == pool)
			break;
	if (p == cat->npools)
		return -1;
	*out = xcalloc(cat->pv[p].n ? (size_t)cat->pv[p].n : 1, sizeof(**out));
	for (j = 0; j < cat->pv[p].n; j++) {
		(*out)[j] = cat->pv[p].vols[j];
		virStorageVolRef((*out)[j]);
	}
	return cat->pv[p].n;
}

size_t vc_count(struct vol_cat *cat)
{
	wait_ready(cat);
	return cat->n;
}

void vc_free(struct vol_cat *cat)
{
	int p, j;

	if (!cat)
		return;
	if (cat->started)
		pthread_join(cat->t, NULL);
	for (p = 0; p < cat->npools; p++) {
		for (j = 0; j < cat->pv[p].n; j++)
			virStorageVolFree(cat->pv[p].vols[j]);
		free(cat->pv[p].vols);
		virStoragePoolFree(cat->pools[p]);
	}
	free(cat->pools);
	free(cat->pv);
	free(cat->vols);
	free(cat->keys);
	free(cat->pool);
	pthread_cond_destroy(&cat->cond);
	pthread_mutex_destroy(&cat->lock);
	free(cat);
}
