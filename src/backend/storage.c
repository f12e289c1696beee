/* Volumes through the storage API, so that images on a remote host are
 * found, listed, made and deleted there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

/* Pools learn of files made behind their back (by QEMU, say) only when
 * refreshed. */
static void refresh_pools(virConnectPtr conn);

void be_refresh_pools(struct be_conn *c)
{
	refresh_pools(c->conn);
}

static void refresh_pools(virConnectPtr conn)
{
	virStoragePoolPtr *pools = NULL;
	int n = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE), i;

	for (i = 0; i < n; i++) {
		if (virStoragePoolRefresh(pools[i], 0) < 0)
			virResetLastError();
		virStoragePoolFree(pools[i]);
	}
	free(pools);
	virResetLastError();
}

virStorageVolPtr be_vol_lookup(struct be_conn *c, const char *path)
{
	virStorageVolPtr vol = virStorageVolLookupByPath(c->conn, path);

	if (!vol) {
		refresh_pools(c->conn);
		vol = virStorageVolLookupByPath(c->conn, path);
	}
	return vol;
}

void be_refresh_pool_of(struct be_conn *c, const char *path)
{
	virStoragePoolPtr pool = be_pool_for_dir(c, path);

	if (pool) {
		if (virStoragePoolRefresh(pool, 0) < 0)
			virResetLastError();
		virStoragePoolFree(pool);
	}
}

virStoragePoolPtr be_pool_for_dir(struct be_conn *c, const char *path)
{
	virStoragePoolPtr *pools = NULL, found = NULL;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) : 0;
	int n = virConnectListAllStoragePools(c->conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE), i;

	for (i = 0; i < n; i++) {
		char *xml = found ? NULL : virStoragePoolGetXMLDesc(pools[i], 0);
		char *dir = xml_pool_target(xml);

		if (dir && strlen(dir) == dirlen && !strncmp(dir, path, dirlen))
			found = pools[i];
		else
			virStoragePoolFree(pools[i]);
		free(dir);
		free(xml);
	}
	free(pools);
	virResetLastError();
	return found;
}

int be_delete_volumes(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		virStorageVolPtr vol = be_vol_lookup(c, paths[i]);
		int rc = vol ? virStorageVolDelete(vol, 0) : -1;
		char why[400];

		if (rc < 0) /* before the free resets libvirt's error */
			be_set_err(err, "not in any storage pool");
		if (vol)
			virStorageVolFree(vol);
		if (rc < 0) {
			str_copy(why, err->msg, sizeof(why));
			snprintf(err->msg, sizeof(err->msg), "cannot delete %s: %s", paths[i], why);
			return -1;
		}
	}
	return 0;
}

/* Volumes read at once: one connection carries many calls in flight. */
#define VOL_THREADS 16

struct vol_read {
	virStorageVolPtr *vols;
	struct be_volume *out;
};

static void read_vol(void *ctx, size_t i)
{
	struct vol_read *r = ctx;
	char *xml = virStorageVolGetXMLDesc(r->vols[i], 0), *fmt = NULL;
	struct be_volume *v = &r->out[i];

	v->capacity = v->allocation = -1;
	if (!xml) {
		virResetLastError();
		return;
	}
	v->path = xml_vol_path(xml);
	xml_vol_sizes(xml, &v->capacity, &v->allocation);
	if (xml_vol_backing(xml, &v->backing, &fmt) <= 0)
		v->backing = NULL;
	free(fmt);
	free(xml);
}

/* Appends the volumes of pool to out. */
static int pool_volumes(virStoragePoolPtr pool, struct be_vol_list *out)
{
	struct vol_read r = {0};
	const char *name = virStoragePoolGetName(pool);
	int n = virStoragePoolListAllVolumes(pool, &r.vols, 0), i;

	if (n < 0)
		return -1;
	r.out = xcalloc((size_t)n + 1, sizeof(*r.out));
	parallel_for((size_t)n, VOL_THREADS, read_vol, &r);
	out->v = xrealloc(out->v, (out->n + (size_t)n + 1) * sizeof(*out->v));
	for (i = 0; i < n; i++) {
		virStorageVolFree(r.vols[i]);
		if (!r.out[i].path) { /* deleted meanwhile */
			free(r.out[i].backing);
			continue;
		}
		r.out[i].pool = xstrdup(name ? name : "?");
		out->v[out->n++] = r.out[i];
	}
	free(r.vols);
	free(r.out);
	return 0;
}

int be_volumes(struct be_conn *c, struct be_vol_list *out, struct be_error *err)
{
	virStoragePoolPtr *pools = NULL;
	int n, i, rc = 0;

	memset(out, 0, sizeof(*out));
	n = virConnectListAllStoragePools(c->conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
	if (n < 0) {
		be_set_err(err, "cannot list the storage pools");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (virStoragePoolRefresh(pools[i], 0) < 0)
			virResetLastError();
		if (rc == 0 && pool_volumes(pools[i], out) < 0) {
			be_set_err(err, "cannot list a pool's volumes");
			rc = -1;
		}
		virStoragePoolFree(pools[i]);
	}
	free(pools);
	if (rc < 0)
		be_vol_list_clear(out);
	return rc;
}
