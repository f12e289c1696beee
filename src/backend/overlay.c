/* New and discarded overlays: external qcow2 layers on top of a disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

/* True when a pool may not know a layer yet: the chain stops short, or
 * (with sizes) a layer has none. */
static bool stale(const struct be_disk *d, unsigned flags)
{
	size_t k;

	if (!be_chain_known(d))
		return true;
	for (k = 0; (flags & DISKS_SIZES) && k < d->nlayers; k++)
		if (!d->layers[k].in_pool)
			return true;
	return false;
}

static struct be_disk *find_disk(struct be_disk_list *l, const char *disk)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->d[i].target, disk) && l->d[i].nlayers)
			return &l->d[i];
	return NULL;
}

int be_disk_chain(struct be_conn *c, virDomainPtr dom, const char *disk, unsigned flags, struct be_disk_list *list,
		  struct be_disk **d, struct be_error *err)
{
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (be_dom_disks(c, dom, flags, list, err) < 0)
			return -1;
		*d = find_disk(list, disk);
		if (*d && (pass == 1 || !stale(*d, flags)))
			return 0;
		be_disk_list_clear(list);
		if (!*d)
			break;
		be_refresh_pools(c); /* files made behind the pools' back: refreshed, not blamed */
	}
	*d = NULL;
	return be_set_msg(err, BE_ERR_OTHER, "%s has no disk %s", virDomainGetName(dom), disk);
}

int be_disk_work_state(virDomainPtr dom, struct be_error *err)
{
	int state = 0, reason;

	if (virDomainGetState(dom, &state, &reason, 0) < 0) {
		be_set_err(err, "cannot read the VM's state");
		return -1;
	}
	if (state == VIR_DOMAIN_SHUTOFF && virDomainHasManagedSaveImage(dom, 0) == 1)
		return be_refuse(err, "%s is hibernated: its saved memory belongs to the current disks",
				 virDomainGetName(dom));
	virResetLastError();
	return state;
}

virDomainPtr be_lookup_shut_off(struct be_conn *c, const char *vm, const char *why, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int state;

	if (!dom)
		return NULL;
	if ((state = be_disk_work_state(dom, err)) >= 0 && state != VIR_DOMAIN_SHUTOFF)
		be_refuse(err, "%s %s", vm, why);
	if (state != VIR_DOMAIN_SHUTOFF) {
		virDomainFree(dom);
		return NULL;
	}
	return dom;
}

/* The format of a layer, asking its pool when the chain did not say: a
 * qcow2 base taken for raw would hand the guest qcow2 metadata. */
static char *layer_format(struct be_conn *c, const struct be_layer *l)
{
	virStorageVolPtr vol;
	char *xml, *fmt;

	if (l->format[0])
		return xstrdup(l->format);
	vol = be_vol_lookup(c, l->path);
	xml = vol ? virStorageVolGetXMLDesc(vol, 0) : NULL;
	fmt = xml_vol_format(xml);
	free(xml);
	if (vol)
		virStorageVolFree(vol);
	virResetLastError();
	return fmt;
}

/* The pool and volume names of the file at path, when a disk named by
 * volume should stay one: *pool and *volume set (caller frees), or not. */
static void volume_names(struct be_conn *c, const char *domxml, const char *disk, const char *path, char **pool,
			 char **volume)
{
	struct be_disk_list dl;
	virStorageVolPtr vol;
	virStoragePoolPtr p;
	bool was_volume = false;
	size_t i;

	*pool = *volume = NULL;
	if (xml_parse_disks(domxml, &dl) == 0)
		for (i = 0; i < dl.n; i++)
			was_volume |= !strcmp(dl.d[i].target, disk) && dl.d[i].type == BE_SRC_VOLUME;
	be_disk_list_clear(&dl);
	if (!was_volume || !(vol = be_vol_lookup(c, path))) {
		virResetLastError();
		return;
	}
	if ((p = virStoragePoolLookupByVolume(vol))) {
		const char *pn = virStoragePoolGetName(p), *vn = virStorageVolGetName(vol);

		if (pn && vn) {
			*pool = xstrdup(pn);
			*volume = xstrdup(vn);
		}
		virStoragePoolFree(p);
	}
	virStorageVolFree(vol);
	virResetLastError();
}

/* The definition with disk pointing at path (of format), defined; a
 * volume disk stays a volume disk where path is a pool's volume. */
static int repoint(struct be_conn *c, virDomainPtr dom, const char *disk, const char *path, const char *format,
		   struct be_error *err)
{
	char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE), *pool, *volume;
	char *edited;

	volume_names(c, xml, disk, path, &pool, &volume);
	edited = xml_repoint_disk_to(xml, disk, path, pool, volume, format);
	free(pool);
	free(volume);
	virDomainPtr def = NULL;

	if (!xml)
		be_set_err(err, "cannot read the VM's definition");
	else if (!xml_utf8(xml))
		be_refuse(err, "the definition of %s is not UTF-8 (its name, say): written back it could change; "
			       "rename it with virsh domrename first",
			  virDomainGetName(dom));
	else if (!edited)
		be_refuse(err, "the definition has no disk %s", disk);
	else if (!(def = virDomainDefineXML(virDomainGetConnect(dom), edited)))
		be_set_err(err, "cannot redefine the VM");
	free(xml);
	free(edited);
	if (!def)
		return -1;
	virDomainFree(def);
	return 0;
}

/* Refuses an overlay on disk of dl by what it is (a CD-ROM, read-only,
 * shareable, a network disk...), as the core does. */
static int refuse_disk(const struct be_disk_list *dl, const char *disk, struct be_error *err)
{
	size_t i;

	for (i = 0; i < dl->n; i++)
		if (!strcmp(dl->d[i].target, disk))
			return be_refuse_by_kind(&dl->d[i], BE_USE_CHAIN, err);
	return be_set_msg(err, BE_ERR_OTHER, "there is no disk %s", disk);
}

static int overlay_running(struct be_conn *c, virDomainPtr dom, const char *disk, const char *path,
			   struct be_error *err)
{
	struct be_disk_list dl;
	virDomainSnapshotPtr snap;
	char *xml;

	if (be_dom_disks(c, dom, 0, &dl, err) < 0)
		return -1;
	if (refuse_disk(&dl, disk, err) < 0) {
		be_disk_list_clear(&dl);
		return -1;
	}
	xml = xml_overlay_snapshot(&dl, disk, path);
	be_disk_list_clear(&dl);
	snap = virDomainSnapshotCreateXML(dom, xml,
					  VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA |
						  VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
	free(xml);
	if (!snap) {
		be_set_err(err, "cannot create the overlay");
		return -1;
	}
	virDomainSnapshotFree(snap);
	be_refresh_pool_of(c, path); /* QEMU made the file: tell its pool */
	return 0;
}

virStorageVolPtr be_overlay_volume(struct be_conn *c, const struct be_layer *l, const char *path,
				       struct be_error *err)
{
	virStoragePoolPtr pool;
	virStorageVolPtr vol;
	char *xml, *fmt;

	if (l->capacity < 0) {
		be_refuse(err, "%s is in no storage pool: libvirt cannot tell its size. Define a pool on its folder",
			  l->path);
		return NULL;
	}
	if (!(pool = be_pool_for_dir(c, path))) {
		be_refuse(err, "no storage pool holds the folder of %s: a shut-off VM's overlay is made in a pool",
			  path);
		return NULL;
	}
	if (!(fmt = layer_format(c, l))) {
		virStoragePoolFree(pool);
		be_refuse(err, "the format of %s is not known: libvirt would have to guess it", l->path);
		return NULL;
	}
	xml = xml_overlay_volume(strrchr(path, '/') + 1, (unsigned long long)l->capacity, l->path, fmt);
	free(fmt);
	vol = virStorageVolCreateXML(pool, xml, 0);
	if (!vol)
		be_set_err(err, "cannot create the overlay volume"); /* before the free resets it */
	free(xml);
	virStoragePoolFree(pool);
	return vol;
}

/* Points disk at a new overlay at path on layer l; on failure nothing is
 * left of it. */
static int overlay_on(struct be_conn *c, virDomainPtr dom, const char *disk, const struct be_layer *l,
		      const char *path, struct be_error *err)
{
	virStorageVolPtr vol = be_overlay_volume(c, l, path, err);
	int rc;

	if (!vol)
		return -1;
	rc = repoint(c, dom, disk, path, "qcow2", err);
	if (rc < 0 && virStorageVolDelete(vol, 0) < 0) /* leave nothing half-done */
		virResetLastError();
	virStorageVolFree(vol);
	return rc;
}

static int overlay_shutoff(struct be_conn *c, virDomainPtr dom, const char *disk, const char *path,
			   struct be_error *err)
{
	struct be_disk_list dl;
	struct be_disk *d;
	int rc;

	if (be_disk_chain(c, dom, disk, DISKS_SIZES, &dl, &d, err) < 0)
		return -1;
	rc = be_refuse_by_kind(d, BE_USE_CHAIN, err);
	if (rc == 0)
		rc = overlay_on(c, dom, disk, &d->layers[0], path, err);
	be_disk_list_clear(&dl);
	return rc;
}

/* Why path cannot be a new overlay's file, or 0. */
static int bad_new_file(struct be_conn *c, const char *path, struct be_error *err)
{
	virStorageVolPtr old;

	if (path[0] != '/' || path[strlen(path) - 1] == '/')
		return be_refuse(err, "an overlay needs an absolute file name, not '%s'", path);
	if ((old = virStorageVolLookupByPath(c->conn, path))) {
		virStorageVolFree(old);
		return be_refuse(err, "%s exists already", path);
	}
	virResetLastError();
	return 0;
}

int be_overlay_new(struct be_conn *c, const char *vm, const char *disk, const char *path, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int state, rc = -1;

	if (!dom)
		return -1;
	if (bad_new_file(c, path, err) < 0) {
		rc = -1;
	} else if ((state = be_disk_work_state(dom, err)) == VIR_DOMAIN_SHUTOFF) {
		rc = overlay_shutoff(c, dom, disk, path, err);
	} else if (state > 0) {
		rc = overlay_running(c, dom, disk, path, err);
	} else if (state == 0) {
		rc = be_refuse(err, "%s is in no known state: look at it again", vm);
	}
	virDomainFree(dom);
	return rc;
}

/* The files of the snapshots of dom whose state lives in the layers that
 * go lose their metadata first: a snapshot never outlives its file. */
static int forget_snapshots_in(struct be_conn *c, virDomainPtr dom, const char *const *gone, size_t n,
			       struct be_error *err)
{
	char **names = NULL;
	size_t count = 0, i;
	int rc;

	if (be_snapshots_in(c, dom, gone, n, &names, &count, err) < 0)
		return -1;
	rc = be_snapshots_forget(dom, names, count, err);
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return rc;
}

int be_overlay_discard(struct be_conn *c, const char *vm, const char *disk, const char *keep, const char *fresh,
		       struct be_error *err)
{
	virDomainPtr dom = be_lookup_shut_off(c, vm, "is running and writes to its active layer: shut it down first", err);
	struct be_disk_list dl = {0};
	struct be_disk *d = NULL;
	const char **gone = NULL;
	char *fmt = NULL;
	size_t k = 0, i;
	int rc = -1;

	if (!dom)
		return -1;
	if ((fresh && bad_new_file(c, fresh, err) < 0) || be_disk_chain(c, dom, disk, DISKS_SIZES, &dl, &d, err) < 0 ||
	    be_refuse_by_kind(d, BE_USE_CHAIN, err) < 0)
		goto out;
	while (k < d->nlayers && strcmp(d->layers[k].path, keep))
		k++;
	if (k == d->nlayers || k == 0) {
		be_refuse(err, k ? "%s is not in the chain of %s" : "%s is the active layer of %s: nothing is above it",
			  keep, disk);
		goto out;
	}
	gone = xcalloc(k, sizeof(*gone));
	for (i = 0; i < k; i++)
		gone[i] = d->layers[i].path;
	if (be_refuse_if_used(c, gone, k, vm, disk, "Not deleting", err) < 0)
		goto out;
	/* keep itself becomes the writable layer only when nothing else reads
	 * it; a fresh overlay on it leaves it read-only. */
	if (!fresh && be_refuse_if_read(c, keep, vm, disk, gone, k, "Not making it the active layer:", err) < 0)
		goto out;
	if (fresh) {
		rc = overlay_on(c, dom, disk, &d->layers[k], fresh, err);
	} else if (!(fmt = layer_format(c, &d->layers[k]))) {
		be_refuse(err, "the format of %s is not known: libvirt would have to guess it", keep);
	} else {
		rc = repoint(c, dom, disk, keep, fmt, err);
	}
	/* Repointed first: if a later step fails, only files are left over,
	 * used by nothing, and the images screen shows them. */
	if (rc == 0 && (rc = forget_snapshots_in(c, dom, gone, k, err)) < 0) {
		char why[400];

		str_copy(why, err->msg, sizeof(why));
		be_set_msg(err, err->kind, "%s now uses %s, but the old layers are kept, used by nothing: %s", disk,
			   fresh ? fresh : keep, why);
	} else if (rc == 0) {
		rc = be_delete_volumes(c, gone, k, err);
	}
out:
	free(fmt);
	free(gone);
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc;
}

int be_repoint_disk(struct be_conn *c, virDomainPtr dom, const char *disk, const char *path, const char *format,
		    struct be_error *err)
{
	return repoint(c, dom, disk, path, format, err);
}

int be_bad_new_file(struct be_conn *c, const char *path, struct be_error *err)
{
	return bad_new_file(c, path, err);
}
