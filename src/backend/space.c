/* Space before writing (issue #13 item 4): an action that writes a lot
 * first compares what it needs with the free space of the storage pool
 * that will hold it, and refuses with both figures instead of failing
 * halfway with a full disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "shared/util.h"

int be_refuse_if_no_room(struct be_conn *c, const char *path, unsigned long long need, const char *doing,
			 const char *what, struct be_error *err)
{
	virStoragePoolPtr pool = be_pool_for_dir(c, path);
	virStoragePoolInfo info;
	char a[32], b[32];
	int rc = 0;

	/* No pool holds the folder: nothing tells its free space here;
	 * libvirt says what fails. */
	if (!pool)
		return 0;
	if (virStoragePoolRefresh(pool, 0) < 0)
		virResetLastError(); /* the figures as they were */
	if (virStoragePoolGetInfo(pool, &info) < 0) {
		be_set_err(err, "cannot read the storage pool's free space");
		rc = -1;
	} else if (info.available < need) {
		const char *name = virStoragePoolGetName(pool);

		rc = be_refuse(err, "%s: it needs about %s (%s) in storage pool %s, which has %s free", doing,
			       bytes_human(need, a, sizeof(a)), what, name ? name : "?",
			       bytes_human(info.available, b, sizeof(b)));
	}
	virStoragePoolFree(pool);
	return rc;
}

int be_refuse_if_no_room_for_memory(struct be_conn *c, virDomainPtr dom, const struct be_disk_list *dl,
				    struct be_error *err)
{
	virDomainInfo info;
	size_t i;

	if (virDomainGetInfo(dom, &info) < 0) {
		be_set_err(err, "cannot read the VM's memory size");
		return -1;
	}
	if (info.state != VIR_DOMAIN_RUNNING && info.state != VIR_DOMAIN_PAUSED)
		return 0; /* a shut-off VM's snapshot holds no memory */
	/* QEMU saves the memory into the first disk that can hold a snapshot. */
	for (i = 0; i < dl->n; i++)
		if (be_disk_allows(&dl->d[i], BE_USE_SNAPSHOT, NULL, 0) == 0 && dl->d[i].nlayers)
			return be_refuse_if_no_room(c, dl->d[i].layers[0].path, (unsigned long long)info.memory * 1024ULL,
						    "Not taking the snapshot", "the running VM's memory", err);
	return 0;
}
