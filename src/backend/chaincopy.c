/* A standalone copy of a disk's chain (issue #13 item 3): one new qcow2
 * file holding the whole chain's data with no backing file, the disk then
 * on it. Shut-off VM: the storage API copies the chain
 * (virStorageVolCreateXMLFrom, which flattens it) and the definition is
 * repointed; running VM: a full block copy (not shallow), pivoted by the
 * caller once libvirt reports it ready. The old layers stay, used by this
 * disk no more; the snapshots living in them lose their metadata first
 * (a snapshot never outlives its file's place in the chain). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

virStorageVolPtr be_flat_copy(struct be_conn *c, const struct be_layer *l, const char *path, struct be_error *err)
{
	virStoragePoolPtr pool = be_pool_for_dir(c, path);
	virStorageVolPtr from = be_vol_lookup(c, l->path), vol = NULL;
	char *xml;

	if (!from || l->capacity < 0)
		be_refuse(err, "%s is in no storage pool: the storage API cannot copy it. Define a pool on its folder",
			  l->path);
	else if (!pool)
		be_refuse(err, "no storage pool holds the folder of %s: define one on it (a dir pool) first", path);
	if (from && pool && l->capacity >= 0) {
		xml = xml_copy_volume(strrchr(path, '/') + 1, (unsigned long long)l->capacity, "qcow2");
		if (!(vol = virStorageVolCreateXMLFrom(pool, xml, from, 0)))
			be_set_err(err, "cannot make the copy");
		free(xml);
	}
	if (from)
		virStorageVolFree(from);
	if (pool)
		virStoragePoolFree(pool);
	return vol;
}

/* The shut-off case: copy, repoint; on failure delete what was made. */
static int copy_offline(struct be_conn *c, virDomainPtr dom, const char *disk, const struct be_disk *d,
			const char *path, struct be_error *err)
{
	virStorageVolPtr vol = be_flat_copy(c, &d->layers[0], path, err);
	int rc;

	if (!vol)
		return -1;
	rc = be_repoint_disk(c, dom, disk, path, "qcow2", err);
	if (rc < 0 && virStorageVolDelete(vol, 0) < 0) /* leave nothing half-done */
		virResetLastError();
	virStorageVolFree(vol);
	return rc;
}

int be_chain_copy(struct be_conn *c, const char *vm, const char *disk, const char *path, bool shut_off,
		  struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_disk_list dl = {0};
	struct be_disk *d = NULL;
	const char **layers = NULL;
	char **names = NULL, *dest = NULL;
	unsigned long long need = 0;
	size_t i, nnames = 0;
	int state, rc = -1;

	if (!dom)
		return -1;
	if ((state = be_state_as_seen(dom, vm, shut_off, err)) < 0)
		goto out;
	if (be_bad_new_file(c, path, err) < 0 || be_disk_chain(c, dom, disk, DISKS_SIZES, &dl, &d, err) < 0 ||
	    be_refuse_by_kind(d, BE_USE_CHAIN, err) < 0)
		goto out;
	if (!be_chain_known(d)) {
		be_refuse(err, "the chain of %s is not known to its end: a copy could miss data", disk);
		goto out;
	}
	/* The copy holds at most what the chain's layers hold. */
	layers = xcalloc(d->nlayers + 1, sizeof(*layers));
	for (i = 0; i < d->nlayers; i++) {
		layers[i] = d->layers[i].path;
		need += d->layers[i].allocation > 0 ? (unsigned long long)d->layers[i].allocation : 0;
	}
	if (be_refuse_if_no_room(c, path, need, "Not copying", "the chain's allocation", err) < 0)
		goto out;
	if (state != VIR_DOMAIN_SHUTOFF) {
		virDomainBlockJobInfo info;
		int busy = virDomainGetBlockJobInfo(dom, disk, &info, 0);

		if (busy != 0) {
			if (busy > 0)
				be_refuse(err, "%s already has a block job: wait for it, or abort it on the jobs screen",
					  disk);
			else
				be_set_err(err, "cannot read the disk's block job");
			goto out;
		}
	}
	/* The old layers leave the disk's chain: their snapshots go first. */
	if (be_snapshots_in(c, dom, layers, d->nlayers, &names, &nnames, err) < 0 ||
	    be_snapshots_forget(dom, names, nnames, err) < 0)
		goto out;
	if (state == VIR_DOMAIN_SHUTOFF) {
		rc = copy_offline(c, dom, disk, d, path, err) < 0 ? -1 : 1;
		goto out;
	}
	dest = xml_copy_dest(path);
	/* Full (not shallow): the whole chain, no backing file. A persistent
	 * VM's copy can only be a transient job; the pivot repoints the
	 * definition (be_block_job_abort). */
	rc = virDomainBlockCopy(dom, disk, dest, NULL, 0, VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB);
	if (rc < 0)
		be_set_err(err, "cannot start the copy");
	else
		rc = 0;
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(dest);
	free(layers);
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc;
}
