/* Backing chains: the live XML shows a running VM's chain; for a shut-off
 * VM the storage API (which works on remote hosts too) fills it in. */
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/volfetch.h"
#include "backend/xml.h"
#include "shared/util.h"

/* Layers looked up at once: one connection carries many calls in flight,
 * so a slow link costs its round trip once, not once a layer. */
#define LAYER_THREADS 16

/* One layer's volume XML, or NULL when no pool knows it. */
static char *layer_xml(virConnectPtr conn, const char *path)
{
	virStorageVolPtr vol = virStorageVolLookupByPath(conn, path);
	char *xml;

	if (!vol) {
		virResetLastError(); /* in no pool: shown with what is known */
		return NULL;
	}
	xml = virStorageVolGetXMLDesc(vol, 0);
	virStorageVolFree(vol);
	if (!xml)
		virResetLastError();
	return xml;
}

/* Sizes from a layer's volume XML; marks it known to a pool. */
static void take_sizes(struct be_layer *l, const char *xml)
{
	long long cap, alloc;

	if (xml && xml_vol_sizes(xml, &cap, &alloc) == 0 && cap >= 0) {
		l->capacity = cap;
		l->allocation = alloc;
		l->in_pool = true;
	}
}

/* The XML of d's last layer, which no pool listed: when its folder is a
 * pool, that pool is refreshed (files made behind its back) and asked
 * again; still absent, the file is missing. NULL when not found. */
static char *missing_or_stale(struct be_conn *c, struct be_disk *d)
{
	const char *path = d->layers[d->nlayers - 1].path;
	virStoragePoolPtr pool = be_pool_for_dir(c, path);
	char *xml;

	if (!pool)
		return NULL; /* in no pool: nothing is known, not even that */
	if (virStoragePoolRefresh(pool, 0) < 0)
		virResetLastError();
	virStoragePoolFree(pool);
	xml = layer_xml(c->conn, path);
	if (!xml) {
		d->end = BE_END_MISSING;
		d->layers[d->nlayers - 1].missing = true;
	}
	return xml;
}

/* Follows a chain below its last known layer, volume by volume: each
 * volume names the next. The volume XML gives the sizes too. probe: tell
 * a missing file from one in no pool (the one VM the operator looks at;
 * a scan of many VMs would list the pools once a VM). */
static void walk_volumes(struct be_conn *c, struct vol_fetch *f, struct be_disk *d, bool with_sizes, bool probe)
{
	vf_next_disk(f);
	while (d->end == BE_END_UNKNOWN && d->nlayers) {
		struct be_layer *last = &d->layers[d->nlayers - 1];
		char *xml, *path, *fmt;
		int r;

		/* A network disk, or a volume with no file behind it: no pool of
		 * this host has it by path, and it is never taken for one. */
		if (!be_layer_local(last))
			return;
		xml = vf_xml(f, last->path, d->nlayers);

		if (!xml && probe)
			xml = missing_or_stale(c, d);
		if (!xml)
			return; /* the chain stays partial, or the file is missing */
		if (with_sizes)
			take_sizes(last, xml);
		r = xml_vol_backing(xml, &path, &fmt);
		free(xml);
		if (r <= 0) {
			if (r == 0)
				d->end = BE_END_COMPLETE;
			return;
		}
		xml_disk_backing(d, path, fmt); /* or the end: a loop, too deep */
		free(path);
		free(fmt);
	}
}

struct sizes_job {
	virConnectPtr conn;
	struct be_layer **layers;
	size_t n;
};

static void size_one(void *ctx, size_t i)
{
	struct sizes_job *j = ctx;
	char *xml = layer_xml(j->conn, j->layers[i]->path);

	take_sizes(j->layers[i], xml);
	free(xml);
}

/* Sizes of every layer not read yet (the ones the domain XML named), all
 * at once. */
static void sizes(virConnectPtr conn, struct be_disk_list *l)
{
	struct sizes_job j = {.conn = conn};
	size_t i, k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->d[i].nlayers; k++)
			if (!l->d[i].layers[k].in_pool && be_layer_local(&l->d[i].layers[k])) {
				j.layers = xrealloc(j.layers, (j.n + 1) * sizeof(*j.layers));
				j.layers[j.n++] = &l->d[i].layers[k];
			}
	parallel_for(j.n, LAYER_THREADS, size_one, &j);
	free(j.layers);
}

int be_dom_disks(struct be_conn *c, virDomainPtr dom, unsigned flags, struct be_disk_list *out,
		 struct be_error *err)
{
	return be_dom_disks_cat(c, dom, flags, NULL, out, err);
}

int be_dom_disks_cat(struct be_conn *c, virDomainPtr dom, unsigned flags, struct vol_cat *cat,
		     struct be_disk_list *out, struct be_error *err)
{
	char *xml = virDomainGetXMLDesc(dom, 0);
	bool with_sizes = flags & DISKS_SIZES;
	struct vol_fetch *f;
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
	be_resolve_disks(c, out);
	f = vf_new(c->conn, flags & (DISKS_EAGER | DISKS_AHEAD));
	vf_use_catalog(f, cat);
	for (i = 0; i < out->n; i++)
		walk_volumes(c, f, &out->d[i], with_sizes, flags & DISKS_EAGER);
	vf_free(f);
	if (with_sizes)
		sizes(c->conn, out);
	return 0;
}

static int vm_disks(struct be_conn *c, const char *vm, unsigned flags, struct be_disk_list *out,
		    struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!dom)
		return -1;
	rc = be_dom_disks(c, dom, flags, out, err);
	virDomainFree(dom);
	return rc;
}

int be_vm_disks(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err)
{
	return vm_disks(c, vm, DISKS_SIZES | DISKS_EAGER, out, err);
}

int be_vm_disks_scan(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err)
{
	return vm_disks(c, vm, 0, out, err);
}
