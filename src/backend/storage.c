/* Volumes through the storage API, so that images on a remote host are
 * found, made and deleted there, and who uses an image. */
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

	if (len && len + 2 < n) {
		memcpy(buf + len, ", ", 3);
		len += 2;
	}
	if (len + 1 < n)
		str_copy(buf + len, s, n - len);
}

/* The first of paths that disk d's chain holds, or NULL. */
static const char *holds(const struct be_disk *d, const char *const *paths, size_t n)
{
	size_t l, i;

	for (l = 0; l < d->nlayers; l++)
		for (i = 0; i < n; i++)
			if (!strcmp(d->layers[l].path, paths[i]))
				return paths[i];
	return NULL;
}

/* Checks every VM's chains (but disk skip_disk of skip_vm) against paths.
 * Fails closed: a VM whose disks cannot be read, or whose chain stops at a
 * layer no pool knows, might use them and is named as such. */
static int users(struct be_conn *c, const char *const *paths, size_t n, const char *skip_vm,
		 const char *skip_disk, const char **hit, char *out, size_t outn)
{
	virDomainPtr *doms = NULL;
	int nd = virConnectListAllDomains(c->conn, &doms, 0), i, count = 0;

	out[0] = '\0';
	*hit = n ? paths[0] : "";
	if (nd < 0) {
		str_copy(out, "(the VMs cannot be listed)", outn);
		return 1;
	}
	for (i = 0; i < nd; i++) {
		const char *name = virDomainGetName(doms[i]), *p = NULL;
		bool self = name && skip_vm && !strcmp(name, skip_vm), unknown = false;
		struct be_disk_list dl;
		struct be_error err;
		char who[400];
		size_t d;

		if (!name || be_dom_disks(c, doms[i], 0, &dl, &err) < 0) {
			unknown = true;
		} else {
			for (d = 0; d < dl.n && !p; d++) {
				if (self && skip_disk && !strcmp(dl.d[d].target, skip_disk))
					continue;
				p = holds(&dl.d[d], paths, n);
				if (!p && !dl.d[d].complete)
					unknown = true;
			}
			be_disk_list_clear(&dl);
		}
		if (p || unknown) {
			if (p)
				*hit = p;
			snprintf(who, sizeof(who), "%s%s%s", name ? name : "a VM", self ? " (another disk)" : "",
				 p ? "" : " (its chain is not fully known: define a storage pool on its images' folder)");
			append(out, outn, who);
			count++;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	virResetLastError();
	return count;
}

int be_refuse_if_used(struct be_conn *c, const char *const *paths, size_t n, const char *vm, const char *disk,
		      const char *doing, struct be_error *err)
{
	char who[400];
	const char *hit;
	int k = users(c, paths, n, vm, disk, &hit, who, sizeof(who));

	if (k > 0)
		return be_refuse(err, "%s %s: %s %s it", doing, hit, who, k == 1 ? "uses or may use" : "use or may use");
	return 0;
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

int be_volumes_delete(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err)
{
	if (be_refuse_if_used(c, paths, n, NULL, NULL, "Not deleting", err) < 0)
		return -1;
	return be_delete_volumes(c, paths, n, err);
}
