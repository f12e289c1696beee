/* Volumes through the storage API, so that images on a remote host are
 * found, made and deleted there, and who uses an image. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "core/util.h"

/* Pools learn of files made behind their back (by QEMU, say) only when
 * refreshed. */
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

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, n - len, "%s%s", len ? ", " : "", s);
}

int be_image_users(struct be_conn *c, const char *path, const char *skip, char *users, size_t n)
{
	virDomainPtr *doms = NULL;
	int nd = virConnectListAllDomains(c->conn, &doms, 0), i, count = 0;

	users[0] = '\0';
	for (i = 0; i < nd; i++) {
		const char *name = virDomainGetName(doms[i]);
		struct be_disk_list dl;
		struct be_error err;
		size_t d, l;
		bool uses = false;

		if (name && (!skip || strcmp(name, skip)) && be_dom_disks(c, doms[i], false, &dl, &err) == 0) {
			for (d = 0; d < dl.n && !uses; d++)
				for (l = 0; l < dl.d[d].nlayers && !uses; l++)
					uses = !strcmp(dl.d[d].layers[l].path, path);
			be_disk_list_clear(&dl);
		}
		if (uses) {
			append(users, n, name);
			count++;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	virResetLastError();
	return count;
}

int be_refuse(struct be_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->code = 0;
	err->kind = BE_ERR_REFUSED;
	return -1;
}

int be_refuse_if_used(struct be_conn *c, const char *path, const char *vm, const char *doing, struct be_error *err)
{
	char users[400];
	int n = be_image_users(c, path, vm, users, sizeof(users));

	if (n > 0)
		return be_refuse(err, "%s %s: %s %s it", doing, path, users, n == 1 ? "uses" : "use");
	return 0;
}

int be_volumes_delete(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (be_refuse_if_used(c, paths[i], "", "Not deleting", err) < 0)
			return -1;
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
