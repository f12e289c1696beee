/* What the backend's files share. Never included outside src/backend. */
#ifndef VMM_BACKEND_INTERNAL_H
#define VMM_BACKEND_INTERNAL_H

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend/backend.h"

struct be_conn {
	virConnectPtr conn;
	char *uri;
	char *host;
	bool readonly;
	be_event_fn fn;
	void *ctx;
	int lifecycle_id;
	bool close_cb;
	int refs; /* be_open_ops may hand the same connection out twice */
};

/* Copies libvirt's last error (or fallback) into err. */
void be_set_err(struct be_error *err, const char *fallback);

/* Looks vm up by name; on failure sets err. Free with virDomainFree. */
virDomainPtr be_lookup(struct be_conn *c, const char *vm, struct be_error *err);

/* The disk chains of dom, completed through the storage API; with_sizes
 * also asks the pools for each layer's sizes (two calls a layer). */
int be_dom_disks(struct be_conn *c, virDomainPtr dom, bool with_sizes, struct be_disk_list *out,
		 struct be_error *err);

#endif
