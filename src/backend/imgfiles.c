/* The backend's half of the image tools (issue #13): which files of a
 * disk's chain qemu-img may look at now, read fresh from libvirt, and the
 * data-safety check before qemu-img writes into one (a repair). libvirt
 * has no API for a check: the runtime runs qemu-img itself
 * (src/runtime/imgtool.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "shared/util.h"

int be_image_layers(struct be_conn *c, const char *vm, const char *disk, const char *from, char ***paths, size_t *n,
		    bool *active_in_use, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_disk_list dl = {0};
	struct be_disk *d = NULL;
	size_t k = 0, i;
	int st = 0, reason = 0, rc = -1;

	*paths = NULL;
	*n = 0;
	*active_in_use = true; /* fail closed: not known is in use */
	if (!dom)
		return -1;
	if (virDomainGetState(dom, &st, &reason, 0) < 0) {
		be_set_err(err, "cannot read the VM's state");
		goto out;
	}
	/* QEMU writes the active layer of a running or paused VM. */
	*active_in_use = st != VIR_DOMAIN_SHUTOFF && st != VIR_DOMAIN_CRASHED;
	if (be_disk_chain(c, dom, disk, 0, &dl, &d, err) < 0)
		goto out;
	while (k < d->nlayers && strcmp(d->layers[k].path, from))
		k++;
	if (k == d->nlayers) {
		be_refuse(err, "%s is not in the chain of %s any more", from, disk);
		goto out;
	}
	/* Only files: a block device, a network disk is no file qemu-img is
	 * given here. */
	*paths = xcalloc(d->nlayers - k + 1, sizeof(**paths));
	for (i = k; i < d->nlayers; i++)
		(*paths)[(*n)++] = xstrdup(d->layers[i].path);
	if (k > 0)
		*active_in_use = false; /* the active layer is not among them */
	rc = 0;
out:
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc;
}

int be_image_may_repair(struct be_conn *c, const char *vm, const char *disk, const char *path, struct be_error *err)
{
	return be_image_may_write(c, vm, disk, path, "Not repairing", err);
}

int be_image_snapshot_unknown(struct be_conn *c, const char *vm, const char *name, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	virDomainSnapshotPtr snap;

	if (!dom)
		return -1;
	snap = virDomainSnapshotLookupByName(dom, name, 0);
	virResetLastError();
	virDomainFree(dom);
	if (!snap)
		return 0;
	virDomainSnapshotFree(snap);
	/* libvirt's own: deleted through libvirt, its metadata with it. */
	return be_refuse(err, "Not deleting '%s' from the file: libvirt knows it; delete it in the snapshot pane (d)",
			 name);
}

int be_image_may_write(struct be_conn *c, const char *vm, const char *disk, const char *path, const char *doing,
		       struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_disk_list dl = {0};
	struct be_disk *d = NULL;
	size_t k = 0;
	int state, rc = -1;

	if (!dom)
		return -1;
	if ((state = be_disk_work_state(dom, err)) < 0)
		goto out;
	/* QEMU has the files of a running VM open: a repair under it would
	 * corrupt what it writes. */
	if (state != VIR_DOMAIN_SHUTOFF) {
		be_refuse(err, "%s %s: %s is running and has its chain open; shut it down first", doing, path, vm);
		goto out;
	}
	if (be_disk_chain(c, dom, disk, 0, &dl, &d, err) < 0)
		goto out;
	while (k < d->nlayers && strcmp(d->layers[k].path, path))
		k++;
	if (k == d->nlayers) {
		be_refuse(err, "%s %s: it is not in the chain of %s any more", doing, path, disk);
		goto out;
	}
	/* A repair writes the file: nobody else may read it (another VM may
	 * run on it; a snapshot keeps its state there). */
	rc = be_refuse_if_read(c, path, vm, disk, NULL, 0, doing, err);
out:
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc;
}
