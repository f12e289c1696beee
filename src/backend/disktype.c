/* What a disk is (device, read-only, shareable, where its data comes from)
 * and what may be done on it. Plain data, no libvirt: the core asks when a
 * key is pressed and the backend again just before the call, with the
 * same words. */
#include <stdio.h>

#include "backend/backend.h"

const char *be_src_name(enum be_src_type t)
{
	switch (t) {
	case BE_SRC_FILE: return NULL;
	case BE_SRC_BLOCK: return "block device";
	case BE_SRC_VOLUME: return "volume";
	case BE_SRC_NETWORK: return "network disk";
	case BE_SRC_DIR: return "host folder";
	case BE_SRC_OTHER: break;
	}
	return "device of its own kind";
}

bool be_layer_local(const struct be_layer *l)
{
	return l->type == BE_SRC_FILE || l->type == BE_SRC_BLOCK || (l->type == BE_SRC_VOLUME && l->volume_file);
}

const char *be_device_name(enum be_device dev)
{
	switch (dev) {
	case BE_DEV_DISK: return "disk";
	case BE_DEV_CDROM: return "cdrom";
	case BE_DEV_FLOPPY: return "floppy";
	case BE_DEV_LUN: return "lun";
	}
	return "disk";
}

/* Why d has no image of this host to work on, or NULL: its top layer is
 * a network disk, a folder, or a volume no pool could show. */
static const char *not_local(const struct be_disk *d, char *why, size_t n, const char *doing)
{
	const struct be_layer *l = &d->layers[0];

	switch (l->type) {
	case BE_SRC_NETWORK:
		snprintf(why, n, "%s is a network disk (%s): %s works on files and block devices of the host, "
				 "through its storage pools",
			 d->target, l->path, doing);
		return why;
	case BE_SRC_DIR:
		snprintf(why, n, "%s is a host folder shown as a FAT disk (%s): it has no image file for %s", d->target,
			 l->path, doing);
		return why;
	case BE_SRC_OTHER:
		snprintf(why, n, "%s is a %s disk: it has no image file for %s", d->target, be_src_name(l->type), doing);
		return why;
	case BE_SRC_VOLUME:
		if (l->volume_file)
			return NULL;
		snprintf(why, n, "%s is volume %s of pool %s, which libvirt cannot find: %s needs the file behind it",
			 d->target, l->volume ? l->volume : "?", l->pool ? l->pool : "?", doing);
		return why;
	case BE_SRC_FILE:
	case BE_SRC_BLOCK: break;
	}
	return NULL;
}

static int chain_use(const struct be_disk *d, char *why, size_t n)
{
	const char *doing = "an overlay, a commit or a reset";

	if (d->device == BE_DEV_CDROM)
		snprintf(why, n, "%s is a CD-ROM: its medium is only read, never %s", d->target,
			 "given an overlay, committed or reset");
	else if (d->device == BE_DEV_FLOPPY)
		snprintf(why, n, "%s is a floppy drive: overlays, commits and resets are for disks", d->target);
	else if (d->device == BE_DEV_LUN)
		snprintf(why, n, "%s is a LUN: the guest sends SCSI commands to the device itself, which has no chain",
			 d->target);
	else if (!d->nlayers)
		snprintf(why, n, "%s has no source: there is no image to work on", d->target);
	else if (d->readonly)
		snprintf(why, n, "%s is read-only: %s would write into its chain or make it writable", d->target, doing);
	else if (d->shareable)
		snprintf(why, n, "%s is shareable: other VMs write to it at the same time, and %s would split it "
				 "from them or write under them",
			 d->target, doing);
	else if (!not_local(d, why, n, doing))
		return 0;
	return -1;
}

static int snapshot_use(const struct be_disk *d, char *why, size_t n)
{
	/* Nothing of the VM's own is written there: left out, as QEMU and
	 * libvirt leave out read-only and empty drives. */
	if (!d->nlayers || d->readonly || d->device == BE_DEV_CDROM)
		return 1;
	if (d->device == BE_DEV_FLOPPY)
		snprintf(why, n, "%s is a writable floppy: an internal snapshot cannot hold it (make it read-only, or "
				 "eject it with virsh change-media)",
			 d->target);
	else if (d->device == BE_DEV_LUN)
		snprintf(why, n, "%s is a writable LUN: an internal snapshot cannot hold a device the guest drives itself",
			 d->target);
	else if (d->shareable)
		snprintf(why, n, "%s is shareable: an internal snapshot would be written into a disk other VMs write to, "
				 "and reverting it would undo their writes",
			 d->target);
	else if (!not_local(d, why, n, "an internal snapshot"))
		return 0;
	return -1;
}

static int external_use(const struct be_disk *d, char *why, size_t n)
{
	/* Left out (snapshot='no'): an overlay would make a disk the VM only
	 * reads, or shares with other VMs, a private writable file. */
	if (!d->nlayers || d->readonly || d->shareable || d->device == BE_DEV_CDROM)
		return 1;
	if (d->device == BE_DEV_FLOPPY)
		snprintf(why, n, "%s is a writable floppy: an external snapshot is for disks (make it read-only, or eject "
				 "it with virsh change-media)",
			 d->target);
	else if (d->device == BE_DEV_LUN)
		snprintf(why, n, "%s is a writable LUN: the guest drives the device itself, which takes no overlay",
			 d->target);
	else if (d->layers[0].type == BE_SRC_BLOCK)
		snprintf(why, n, "%s is a block device (%s): an external snapshot puts its overlay beside the file, and a "
				 "device node has no folder for it (o makes one where you say)",
			 d->target, d->layers[0].path);
	else if (!not_local(d, why, n, "an external snapshot"))
		return 0;
	return -1;
}

int be_disk_allows(const struct be_disk *d, enum be_disk_use use, char *why, size_t n)
{
	if (n)
		why[0] = '\0';
	switch (use) {
	case BE_USE_SNAPSHOT: return snapshot_use(d, why, n);
	case BE_USE_EXTERNAL: return external_use(d, why, n);
	case BE_USE_CHAIN: break;
	}
	return chain_use(d, why, n);
}
