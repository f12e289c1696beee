/* Internal snapshots: take, revert, delete, and which of a VM's snapshots
 * live in given files. The list with details is read in snaplist.c. */
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

int be_snapshots_in(struct be_conn *c, virDomainPtr dom, const char *const *paths, size_t n, char ***names,
		    size_t *count, struct be_error *err)
{
	struct be_snap_list sl;
	size_t i, k, p;

	*names = NULL;
	*count = 0;
	if (be_snapshots(c, virDomainGetName(dom), &sl, err) < 0)
		return -1;
	for (i = 0; i < sl.n; i++) {
		bool in = false;

		for (k = 0; k < sl.s[i].nfiles && !in; k++)
			for (p = 0; p < n && !in; p++)
				in = !strcmp(sl.s[i].files[k].path, paths[p]);
		if (in) {
			*names = xrealloc(*names, (*count + 1) * sizeof(**names));
			(*names)[(*count)++] = xstrdup(sl.s[i].name);
		}
	}
	be_snap_list_clear(&sl);
	return 0;
}

int be_snapshots_forget(virDomainPtr dom, char *const *names, size_t n, struct be_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		virDomainSnapshotPtr snap = virDomainSnapshotLookupByName(dom, names[i], 0);
		int rc = snap ? virDomainSnapshotDelete(snap, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) : 0;

		if (snap)
			virDomainSnapshotFree(snap);
		if (rc < 0) {
			be_set_err(err, "cannot remove the snapshot");
			return be_set_msg(err, err->kind, "cannot remove snapshot '%s' with its file: %.400s", names[i],
					  err->msg);
		}
		virResetLastError(); /* one gone meanwhile is gone */
	}
	return 0;
}

/* Refuses a snapshot that would be written into a file another chain or a
 * snapshot reads (each disk's active layer holds it), or into a disk that
 * cannot hold one (be_disk_allows); the disks it leaves out (read-only,
 * empty) into left_out, n of them, pointing into dl. */
static int check_active_layers(struct be_conn *c, virDomainPtr dom, const char *vm, struct be_disk_list *dl,
			       const char ***left_out, size_t *n, struct be_error *err)
{
	size_t i;
	int rc = 0, use;

	*n = 0;
	if (be_dom_disks(c, dom, 0, dl, err) < 0)
		return -1;
	*left_out = xcalloc(dl->n + 1, sizeof(**left_out));
	/* What each disk is first: that needs no other VM's data. */
	for (i = 0; i < dl->n && rc == 0; i++)
		if ((use = be_disk_allows(&dl->d[i], BE_USE_SNAPSHOT, NULL, 0)) > 0)
			(*left_out)[(*n)++] = dl->d[i].target;
		else if (use < 0)
			rc = be_refuse_by_kind(&dl->d[i], BE_USE_SNAPSHOT, err);
	for (i = 0; i < dl->n && rc == 0; i++)
		if (be_disk_allows(&dl->d[i], BE_USE_SNAPSHOT, NULL, 0) == 0)
			rc = be_refuse_if_read(c, dl->d[i].layers[0].path, vm, dl->d[i].target, NULL, 0,
					       "Not taking a snapshot into", err);
	return rc;
}

int be_snapshot_create(struct be_conn *c, const char *vm, const char *name, const char *description,
		       struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	virDomainSnapshotPtr snap = NULL;
	struct be_disk_list dl = {0};
	const char **left_out = NULL;
	size_t nleft = 0;
	char *xml;

	if (!dom)
		return -1;
	if (check_active_layers(c, dom, vm, &dl, &left_out, &nleft, err) == 0 &&
	    be_refuse_if_no_room_for_memory(c, dom, &dl, err) == 0) {
		xml = xml_snapshot_create_leaving(name, description, left_out, nleft);
		/* No snapshot-kind flags: libvirt's default is what the UI
		 * promised, the memory of a running VM and the disks of a
		 * shut-off one. */
		snap = virDomainSnapshotCreateXML(dom, xml, VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
		free(xml);
		if (!snap)
			be_set_err(err, "cannot take the snapshot");
		else
			virDomainSnapshotFree(snap);
	}
	free(left_out);
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return snap ? 0 : -1;
}

/* snap's details as its XML has them; free with be_snapshot_clear. */
static int read_snapshot(virDomainSnapshotPtr snap, struct be_snapshot *s, struct be_error *err)
{
	char *xml = virDomainSnapshotGetXMLDesc(snap, 0);
	int rc = xml ? xml_parse_snapshot(xml, s) : -1;

	free(xml);
	if (rc < 0)
		be_set_err(err, "cannot read the snapshot");
	return rc;
}

/* True when path is known to be gone: the storage pool that holds its
 * folder has no such file, even refreshed (a chain may still name it).
 * Where no pool holds it, nothing can tell: libvirt will say. */
bool be_file_gone(struct be_conn *c, virDomainPtr dom, const char *path)
{
	virStorageVolPtr vol;
	virStoragePoolPtr pool;

	(void)dom;
	if ((vol = be_vol_lookup(c, path))) {
		virStorageVolFree(vol);
		return false;
	}
	virResetLastError();
	if (!(pool = be_pool_for_dir(c, path)))
		return false;
	virStoragePoolFree(pool);
	return true;
}

/* A revert writes into the files the snapshot's state lives in and makes
 * them the active layers: each must still be there and read by nothing
 * else. */
static int check_revert(struct be_conn *c, virDomainPtr dom, const char *vm, virDomainSnapshotPtr snap,
			bool *external, struct be_error *err)
{
	struct be_snapshot s;
	size_t i;
	int rc = 0;

	if (read_snapshot(snap, &s, err) < 0)
		return -1;
	*external = s.external;
	for (i = 0; i < s.nfiles && rc == 0; i++) {
		const struct be_snap_file *f = &s.files[i];

		if (f->external)
			continue; /* libvirt says itself what it cannot revert */
		if (be_file_gone(c, dom, f->path)) {
			rc = be_refuse(err, "'%s' lived in %s, which is gone: its disk state is lost (d, metadata only, "
					    "removes the snapshot)",
				       s.name, f->path);
		} else {
			rc = be_refuse_if_read(c, f->path, vm, f->disk, NULL, 0, "Not reverting into", err);
		}
	}
	be_snapshot_clear(&s);
	return rc;
}

int be_snapshot_revert(struct be_conn *c, const char *vm, const char *name, bool force, bool discard_save,
		       struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	virDomainSnapshotPtr snap;
	bool external = false;
	int rc = -1;

	if (!dom)
		return -1;
	snap = virDomainSnapshotLookupByName(dom, name, 0);
	if (!snap) {
		be_set_err(err, "no such snapshot");
		goto out;
	}
	if (check_revert(c, dom, vm, snap, &external, err) < 0)
		goto out;
	/* libvirt 9.0 refuses an external snapshot only after the revert
	 * began to be asked; vmmanager does it itself until libvirt can. */
	if (external && !be_libvirt_reverts_external(be_lib_version(c))) {
		rc = be_revert_external(c, dom, vm, snap, err);
		goto out;
	}
	if (discard_save && virDomainHasManagedSaveImage(dom, 0) == 1 && virDomainManagedSaveRemove(dom, 0) < 0) {
		be_set_err(err, "cannot discard the saved state");
		goto out;
	}
	rc = virDomainRevertToSnapshot(snap, force ? VIR_DOMAIN_SNAPSHOT_REVERT_FORCE : 0);
	if (rc < 0)
		be_set_err(err, "cannot revert");
out:
	if (snap)
		virDomainSnapshotFree(snap);
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}

/* Refuses when one snapshot's internal file is read by another chain. */
static int check_one(struct be_conn *c, const char *vm, virDomainSnapshotPtr snap, struct be_error *err)
{
	struct be_snapshot s;
	size_t i;
	int rc = 0;

	if (read_snapshot(snap, &s, err) < 0)
		return -1;
	for (i = 0; i < s.nfiles && rc == 0; i++)
		if (!s.files[i].external)
			rc = be_refuse_if_open(c, s.files[i].path, vm, s.files[i].disk, "Not deleting a snapshot inside",
					       err);
	be_snapshot_clear(&s);
	return rc;
}

/* Deleting an internal snapshot writes into the file it lives in: refused
 * when another VM or disk reads that file (its QEMU may have it open, and
 * the file must be nobody else's to write). */
static int check_delete(struct be_conn *c, const char *vm, virDomainSnapshotPtr snap, enum be_snap_delete mode,
			struct be_error *err)
{
	virDomainSnapshotPtr *kids = NULL;
	int n = 0, i, rc = 0;

	if (mode != BE_DEL_CHILDREN_ONLY)
		rc = check_one(c, vm, snap, err);
	if (rc == 0 && mode != BE_DEL_ONE &&
	    (n = virDomainSnapshotListAllChildren(snap, &kids, VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)) < 0) {
		be_set_err(err, "cannot list the snapshot's children");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0)
			rc = check_one(c, vm, kids[i], err);
		virDomainSnapshotFree(kids[i]);
	}
	free(kids);
	return rc;
}

/* Whether snap keeps a disk or its memory outside its VM's images. */
static int is_external(virDomainSnapshotPtr snap, bool *external, struct be_error *err)
{
	struct be_snapshot s;

	if (read_snapshot(snap, &s, err) < 0)
		return -1;
	*external = s.external;
	be_snapshot_clear(&s);
	return 0;
}

int be_snapshot_delete(struct be_conn *c, const char *vm, const char *name, enum be_snap_delete mode,
		       struct be_error *err)
{
	static const unsigned flags[] = {
		[BE_DEL_ONE] = 0,
		[BE_DEL_WITH_CHILDREN] = VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
		[BE_DEL_CHILDREN_ONLY] = VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
		[BE_DEL_METADATA] = VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY,
	};
	virDomainPtr dom = be_lookup(c, vm, err);
	virDomainSnapshotPtr snap;
	bool external = false;
	int rc = -1;

	if (!dom)
		return -1;
	snap = virDomainSnapshotLookupByName(dom, name, 0);
	if (!snap)
		be_set_err(err, "no such snapshot");
	else if (mode != BE_DEL_METADATA && is_external(snap, &external, err) < 0)
		rc = -1;
	else if (external && mode == BE_DEL_ONE)
		rc = be_delete_external(c, dom, vm, snap, err);
	else if (external && mode != BE_DEL_METADATA)
		rc = be_refuse(err, "'%s' is external: delete it on its own, then its children, one at a time", name);
	else if (mode != BE_DEL_METADATA && check_delete(c, vm, snap, mode, err) < 0)
		rc = -1;
	else if ((rc = virDomainSnapshotDelete(snap, flags[mode])) < 0)
		be_set_err(err, "cannot delete the snapshot");
	if (snap)
		virDomainSnapshotFree(snap);
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}
