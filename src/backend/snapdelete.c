/* Deleting an external snapshot: libvirt 9.0 merges the overlay it made
 * into the file it froze (a block commit) and rebases its children, but
 * only while the VM runs (shut off it cannot find the chain), checks no
 * other VM's chain, and leaves the memory file. So vmmanager checks the
 * data-safety rules here, from fresh data, runs a shut-off VM paused for
 * the merge, and removes the memory file through the storage API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

/* Another snapshot of vm than s that froze path, or whose memory is in
 * path: its state would change under it. */
static int refuse_other_snapshot(struct be_conn *c, const char *vm, const struct be_snapshot *s, const char *path,
				 struct be_error *err)
{
	struct be_snap_list sl;
	size_t i, k;
	int rc = 0;

	if (be_snapshots(c, vm, &sl, err) < 0)
		return -1;
	for (i = 0; i < sl.n && rc == 0; i++) {
		if (!strcmp(sl.s[i].name, s->name))
			continue;
		if (sl.s[i].memfile && !strcmp(sl.s[i].memfile, path))
			rc = be_refuse(err, "Not removing %s: snapshot '%s' keeps its memory there too", path,
				       sl.s[i].name);
		for (k = 0; k < sl.s[i].nfiles && rc == 0; k++)
			if (sl.s[i].files[k].path && !strcmp(sl.s[i].files[k].path, path))
				rc = be_refuse(
					err,
					"Not merging into %s: snapshot '%s' froze it too, and would no longer match",
					path, sl.s[i].name);
	}
	be_snap_list_clear(&sl);
	return rc;
}

/* An image other than overlay built on frozen: the merge would change
 * what it shows. */
static int refuse_built_on(struct be_conn *c, const char *frozen, const char *overlay, struct be_error *err)
{
	struct be_vol_list vl;
	size_t i;
	int rc = 0;

	if (be_volumes(c, &vl, err) < 0)
		return -1;
	for (i = 0; i < vl.n && rc == 0; i++)
		if (vl.v[i].backing && !strcmp(vl.v[i].backing, frozen) && strcmp(vl.v[i].path, overlay))
			rc = be_refuse(err, "Not merging into %s: the image %s is built on it too", frozen,
				       vl.v[i].path);
	be_vol_list_clear(&vl);
	return rc;
}

/* The checks of one disk f of s: the overlay s made lies right on the
 * file it froze in the disk's chain now, and neither is anyone else's. */
static int check_disk(struct be_conn *c, virDomainPtr dom, const char *vm, const struct be_snapshot *s,
		      const struct be_snap_file *f, struct be_error *err)
{
	const char *overlay = f->overlay;
	const char *going[2];
	struct be_disk_list dl = {0};
	struct be_disk *d = NULL;
	size_t k;
	int rc = -1;

	if (!f->external) {
		be_refuse(err, "'%s' mixes internal and external disks: not deleted here (metadata only forgets it)",
			  s->name);
	} else if (!overlay || !f->path) {
		be_refuse(err, "which file '%s' made for disk %s is not known", s->name, f->disk);
	} else if (be_disk_chain(c, dom, f->disk, DISKS_SIZES, &dl, &d, err) == 0) {
		for (k = 0; k + 1 < d->nlayers && strcmp(d->layers[k].path, overlay); k++)
			;
		going[0] = overlay;
		going[1] = f->path;
		if (k + 1 >= d->nlayers || strcmp(d->layers[k + 1].path, f->path))
			be_refuse(err,
				  "'%s' made %s on %s, and that is not how disk %s's chain is now (a revert since?): "
				  "only its metadata can go",
				  s->name, overlay, f->path, f->disk);
		else if (be_refuse_by_kind(d, BE_USE_CHAIN, err) == 0 &&
			 be_refuse_if_merged(c, overlay, k ? d->layers[k - 1].path : NULL, vm, f->disk, "Not deleting",
					     err) == 0 &&
			 be_refuse_if_read(c, f->path, vm, f->disk, going, 2, "Not merging into", err) == 0 &&
			 refuse_other_snapshot(c, vm, s, f->path, err) == 0 &&
			 refuse_built_on(c, f->path, overlay, err) == 0)
			rc = 0;
	}
	be_disk_list_clear(&dl);
	return rc;
}

int be_delete_external(struct be_conn *c, virDomainPtr dom, const char *vm, virDomainSnapshotPtr snap,
		       struct be_error *err)
{
	char *snapxml = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
	struct be_snapshot s = {0};
	virStorageVolPtr mem = NULL;
	bool started = false;
	size_t i;
	int st, rc = -1;

	if (!snapxml || xml_parse_snapshot(snapxml, &s) < 0) {
		be_set_err(err, "cannot read the snapshot");
		goto out;
	}
	if ((st = be_disk_work_state(dom, err)) < 0)
		goto out;
	if (st != VIR_DOMAIN_SHUTOFF && st != VIR_DOMAIN_RUNNING && st != VIR_DOMAIN_PAUSED) {
		be_refuse(err, "%s is neither running nor shut off: look at it again", vm);
		goto out;
	}
	for (i = 0; i < s.nfiles; i++)
		if (check_disk(c, dom, vm, &s, &s.files[i], err) < 0)
			goto out;
	/* The memory file goes through the storage API: one no pool holds
	 * could not be removed, so nothing starts. */
	if (s.memfile) {
		if (refuse_other_snapshot(c, vm, &s, s.memfile, err) < 0)
			goto out;
		if (!(mem = be_vol_lookup(c, s.memfile))) {
			virResetLastError();
			be_refuse(
				err,
				"no storage pool holds %s, the memory of '%s': it could not be removed. Define a pool "
				"on its folder",
				s.memfile, s.name);
			goto out;
		}
	}
	/* Shut off, libvirt 9.0 finds no chain to merge in: the VM runs
	 * paused, with no guest code running, for the merge. */
	if (st == VIR_DOMAIN_SHUTOFF) {
		if (virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED) < 0) {
			be_set_err(err, "cannot start the VM paused for the merge");
			goto out;
		}
		started = true;
	}
	if (virDomainSnapshotDelete(snap, 0) < 0) {
		be_set_err(err, "cannot delete the snapshot");
		goto stop;
	}
	rc = 0;
	if (mem && virStorageVolDelete(mem, 0) < 0) {
		char why[600];

		be_set_err(err, "cannot remove the memory file");
		str_copy(why, err->msg, sizeof(why));
		rc = be_set_msg(err, BE_ERR_OTHER, "'%s' is deleted, but its memory file %s is kept: %s", s.name,
				s.memfile, why);
	}
stop:
	if (started && virDomainDestroy(dom) < 0)
		virResetLastError(); /* the failure said already, or the merge is done */
	for (i = 0; i < s.nfiles; i++)
		if (s.files[i].path)
			be_refresh_pool_of(c, s.files[i].path);
out:
	if (mem)
		virStorageVolFree(mem);
	be_snapshot_clear(&s);
	free(snapxml);
	return rc;
}
