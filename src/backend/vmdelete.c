/* Deleting a VM: its definition with its snapshot metadata, managed save
 * and NVRAM, then the images the core named as only its own, each checked
 * again just before it goes (readers.c), once the definition that read
 * them is gone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "shared/util.h"

/* True when path is a layer of one of dom's disk chains that may be
 * deleted with it (not a CD-ROM's medium, a read-only or a shareable
 * disk: those are referenced, and stay), or the file a snapshot of it
 * holds its state in. */
static bool own_file(const struct be_disk_list *dl, const struct be_snap_list *sl, const char *path)
{
	size_t i, k;

	for (i = 0; i < dl->n; i++) {
		const struct be_disk *d = &dl->d[i];

		if (d->device == BE_DEV_CDROM || d->readonly || d->shareable)
			continue;
		for (k = 0; k < d->nlayers; k++)
			if (!strcmp(d->layers[k].path, path))
				return true;
	}
	for (i = 0; i < sl->n; i++)
		for (k = 0; k < sl->s[i].nfiles; k++)
			if (!strcmp(sl->s[i].files[k].path, path))
				return true;
	return false;
}

/* Refuses, before anything changes, a path that is none of vm's own
 * files: the command may be older than the VM's disks. */
static int check_own(struct be_conn *c, virDomainPtr dom, const char *vm, const char *const *paths, size_t n,
		     struct be_error *err)
{
	struct be_disk_list dl;
	struct be_snap_list sl;
	size_t i;
	int rc = 0;

	if (!n)
		return 0;
	if (be_dom_disks(c, dom, 0, &dl, err) < 0)
		return -1;
	if (be_snapshots(c, vm, &sl, err) < 0) {
		be_disk_list_clear(&dl);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		if (!own_file(&dl, &sl, paths[i]))
			rc = be_refuse(err, "%s is not a disk image of %s (its disks changed?): nothing was deleted",
				       paths[i], vm);
	be_disk_list_clear(&dl);
	be_snap_list_clear(&sl);
	return rc;
}

int be_vm_delete(struct be_conn *c, const char *vm, const char *const *paths, size_t n, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	unsigned flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
			 VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM;
	char kept[3000] = "";
	size_t i, len = 0;
	int state = 0, reason, rc = -1;

	if (!dom)
		return -1;
	if (virDomainGetState(dom, &state, &reason, 0) < 0) {
		be_set_err(err, "cannot read the VM's state");
		goto out;
	}
	if (state != VIR_DOMAIN_SHUTOFF) {
		be_refuse(err, "%s is not shut off: force it off first", vm);
		goto out;
	}
	if (check_own(c, dom, vm, paths, n, err) < 0)
		goto out;
	/* A driver that keeps no NVRAM nor checkpoints (the test driver)
	 * knows no such flags; one that does knows them, and refuses by itself
	 * to leave either behind. */
	if (virDomainUndefineFlags(dom, flags) < 0 &&
	    (virGetLastErrorCode() != VIR_ERR_INVALID_ARG ||
	     virDomainUndefineFlags(dom, flags & ~(unsigned)(VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA)) < 0)) {
		be_set_err(err, "cannot delete the VM's definition");
		goto out;
	}
	/* The definition is gone: what it read no longer counts. Each image
	 * is checked again on its own, the active layers first, so that a
	 * base goes only after what was built on it. */
	rc = 0;
	for (i = 0; i < n; i++) {
		struct be_error e;

		if (be_refuse_if_used(c, &paths[i], 1, NULL, NULL, "Kept", &e) < 0 ||
		    be_delete_volumes(c, &paths[i], 1, &e) < 0) {
			if (len < sizeof(kept))
				len += (size_t)snprintf(kept + len, sizeof(kept) - len, "%s%s", len ? "; " : "", e.msg);
			rc = -1;
		}
	}
	if (rc < 0)
		be_set_msg(err, BE_ERR_OTHER, "%s is deleted, but not all of its images: %s", vm, kept);
out:
	virDomainFree(dom);
	return rc;
}
