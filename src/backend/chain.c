/* Backing chains: the live XML shows a running VM's chain; for a shut-off
 * VM the storage API (which works on remote hosts too) fills it in. */
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "core/util.h"

/* Longest backing chain followed through the storage API. */
#define MAX_CHAIN 64

/* Follows a chain below its last known layer, volume by volume. */
static void walk_volumes(virConnectPtr conn, struct be_disk *d)
{
	while (!d->complete && d->nlayers && d->nlayers < MAX_CHAIN) {
		virStorageVolPtr vol = virStorageVolLookupByPath(conn, d->layers[d->nlayers - 1].path);
		char *xml, *path, *fmt;
		int r;

		if (!vol) {
			virResetLastError(); /* not in any pool: the chain stays partial */
			return;
		}
		xml = virStorageVolGetXMLDesc(vol, 0);
		virStorageVolFree(vol);
		r = xml_vol_backing(xml, &path, &fmt);
		free(xml);
		if (r <= 0) {
			d->complete = r == 0;
			return;
		}
		xml_disk_push(d, path, fmt);
		free(path);
		free(fmt);
	}
}

/* Virtual size and allocation of each layer a storage pool knows. */
static void sizes(virConnectPtr conn, struct be_disk *d)
{
	size_t i;

	for (i = 0; i < d->nlayers; i++) {
		virStorageVolPtr vol = virStorageVolLookupByPath(conn, d->layers[i].path);
		virStorageVolInfo info;

		if (!vol) {
			virResetLastError(); /* not in a pool: shown with what is known */
			continue;
		}
		if (virStorageVolGetInfo(vol, &info) == 0) {
			d->layers[i].capacity = (long long)info.capacity;
			d->layers[i].allocation = (long long)info.allocation;
			d->layers[i].in_pool = true;
		} else {
			virResetLastError();
		}
		virStorageVolFree(vol);
	}
}

int be_dom_disks(struct be_conn *c, virDomainPtr dom, bool with_sizes, struct be_disk_list *out,
		 struct be_error *err)
{
	char *xml = virDomainGetXMLDesc(dom, 0);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!xml) {
		be_set_err(err, "cannot read the VM's XML");
		return -1;
	}
	if (xml_parse_disks(xml, out) < 0) {
		free(xml);
		str_copy(err->msg, "cannot parse the VM's XML", sizeof(err->msg));
		return -1;
	}
	free(xml);
	for (i = 0; i < out->n; i++) {
		walk_volumes(c->conn, &out->d[i]);
		if (with_sizes)
			sizes(c->conn, &out->d[i]);
	}
	return 0;
}

int be_vm_disks(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!dom)
		return -1;
	rc = be_dom_disks(c, dom, true, out, err);
	virDomainFree(dom);
	return rc;
}
