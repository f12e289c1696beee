/* Disks of type 'volume' (<source pool='p' volume='v'/>): the file behind
 * each is asked of its pool, so that a volume disk and the same file named
 * by its path are one image to every check, screen and chain walk. */
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

/* One volume looked up, kept for the others of the same call. */
struct resolved {
	char *pool, *volume;
	char *path;      /* the volume's path, NULL when not found */
	char *pool_type; /* "dir", "logical", ...; NULL when the pool is not found */
	bool missing;    /* the pool is active and has no such volume */
};

struct resolver {
	struct be_conn *c;
	struct resolved *r;
	size_t n;
};

static void look_up(struct be_conn *c, struct resolved *r)
{
	virStoragePoolPtr pool = virStoragePoolLookupByName(c->conn, r->pool);
	virStorageVolPtr vol = NULL;
	char *xml;

	if (!pool) {
		virResetLastError(); /* no such pool: nothing is known */
		return;
	}
	xml = virStoragePoolGetXMLDesc(pool, 0);
	r->pool_type = xml_root_attr(xml, "type");
	free(xml);
	if (!r->pool_type)
		r->pool_type = xstrdup("");
	if (virStoragePoolIsActive(pool) == 1) {
		vol = virStorageVolLookupByName(pool, r->volume);
		if (!vol && virStoragePoolRefresh(pool, 0) == 0) /* made behind its back */
			vol = virStorageVolLookupByName(pool, r->volume);
		r->missing = !vol;
	}
	if (vol) {
		r->path = virStorageVolGetPath(vol);
		virStorageVolFree(vol);
	}
	virStoragePoolFree(pool);
	virResetLastError();
}

static const struct resolved *resolve(struct resolver *rs, const char *pool, const char *volume)
{
	struct resolved *r;
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].pool, pool) && !strcmp(rs->r[i].volume, volume))
			return &rs->r[i];
	rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->pool = xstrdup(pool);
	r->volume = xstrdup(volume);
	look_up(rs->c, r);
	return r;
}

static void resolver_free(struct resolver *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->r[i].pool);
		free(rs->r[i].volume);
		free(rs->r[i].path);
		free(rs->r[i].pool_type);
	}
	free(rs->r);
}

/* The volume's file when it is a file of the host: a pool of rbd or
 * iscsi-direct volumes names them otherwise. */
static const char *local_file(const struct resolved *r)
{
	return r->path && r->path[0] == '/' ? r->path : NULL;
}

void be_resolve_disks(struct be_conn *c, struct be_disk_list *l)
{
	struct resolver rs = {.c = c};
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		struct be_disk *d = &l->d[i];

		for (k = 0; k < d->nlayers; k++) {
			struct be_layer *y = &d->layers[k];
			const struct resolved *r;

			if (y->type != BE_SRC_VOLUME || !y->pool || !y->volume)
				continue;
			r = resolve(&rs, y->pool, y->volume);
			free(y->pool_type);
			y->pool_type = r->pool_type ? xstrdup(r->pool_type) : NULL;
			if (local_file(r)) {
				free(y->path);
				y->path = xstrdup(r->path);
				y->volume_file = true;
			} else if (r->missing && k + 1 == d->nlayers) {
				y->missing = true;
				if (d->end == BE_END_UNKNOWN)
					d->end = BE_END_MISSING;
			}
		}
	}
	resolver_free(&rs);
}

void be_resolve_snapshots(struct be_conn *c, struct be_snap_list *l)
{
	struct resolver rs = {.c = c};
	size_t i, k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->s[i].nfiles; k++) {
			struct be_snap_file *f = &l->s[i].files[k];
			const struct resolved *r;

			if (f->type != BE_SRC_VOLUME || !f->pool || !f->volume)
				continue;
			r = resolve(&rs, f->pool, f->volume);
			if (local_file(r)) {
				free(f->path);
				f->path = xstrdup(r->path);
			}
		}
	resolver_free(&rs);
}
