/* Cloning a shut-off VM, as one unit: every volume it makes is recorded,
 * and any failure removes them, undefines the clone and leaves the
 * source's definition as it was.
 *
 * Linked: each disk of the clone is a new qcow2 overlay on the source
 * disk's active layer (or, from the chain pane, on the layer chosen), and
 * when that is the source's active layer the source gets a fresh overlay
 * of its own at the same time: the shared file is written by neither VM.
 * Full: each disk is a standalone copy of the source disk's whole chain,
 * flattened by the storage API (virStorageVolCreateXMLFrom of the active
 * layer into a volume with no backing file). This is the smallest copy
 * the clone needs; issue #13's standalone copy (F) may take its place.
 *
 * CD-ROMs, read-only and shareable disks are referenced, not copied; the
 * NVRAM file is copied where the source has one; snapshots are not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

/* What a clone made so far, to be undone on failure. */
struct made {
	virStorageVolPtr *vols;
	size_t nvols;
	virDomainPtr clone; /* defined */
	char **targets;     /* the clone's disks on new files: target, path */
	char **paths;
	size_t ndisks;
	char **src_targets; /* the source's disks on fresh overlays */
	char **src_paths;
	size_t nsrc;
};

static void keep_vol(struct made *m, virStorageVolPtr v)
{
	m->vols = xrealloc(m->vols, (m->nvols + 1) * sizeof(*m->vols));
	m->vols[m->nvols++] = v;
}

static void pair(char ***a, char ***b, size_t *n, const char *x, const char *y)
{
	*a = xrealloc(*a, (*n + 1) * sizeof(**a));
	*b = xrealloc(*b, (*n + 1) * sizeof(**b));
	(*a)[*n] = xstrdup(x);
	(*b)[*n] = xstrdup(y);
	++*n;
}

static void free_pairs(char **a, char **b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i]);
		free(b[i]);
	}
	free(a);
	free(b);
}

/* Undoes what was made (rollback true) or just lets go of it. */
static void made_end(struct made *m, bool rollback)
{
	size_t i;

	if (m->clone) {
		if (rollback && virDomainUndefineFlags(m->clone, VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) < 0 &&
		    virDomainUndefine(m->clone) < 0)
			virResetLastError();
		virDomainFree(m->clone);
	}
	for (i = m->nvols; i-- > 0;) {
		if (rollback && virStorageVolDelete(m->vols[i], 0) < 0)
			virResetLastError();
		virStorageVolFree(m->vols[i]);
	}
	free(m->vols);
	free_pairs(m->targets, m->paths, m->ndisks);
	free_pairs(m->src_targets, m->src_paths, m->nsrc);
	memset(m, 0, sizeof(*m));
}

/* path = the folder of beside + "/" + name; false when too long. */
static bool beside(char *path, size_t n, const char *near, const char *name)
{
	const char *slash = strrchr(near, '/');
	int len = slash ? (int)(slash - near) : 0;

	return snprintf(path, n, "%.*s/%s", len, near, name) < (int)n;
}

/* A standalone copy of l's whole chain at path, in the pool of its folder. */
static virStorageVolPtr copy_chain(struct be_conn *c, const struct be_layer *l, const char *path,
				   struct be_error *err)
{
	virStorageVolPtr from = be_vol_lookup(c, l->path), vol = NULL;
	virStoragePoolPtr pool = be_pool_for_dir(c, path);
	char *xml;

	if (!from || l->capacity < 0)
		be_refuse(err, "%s is in no storage pool: libvirt cannot copy it. Define a pool on its folder", l->path);
	else if (!pool)
		be_refuse(err, "no storage pool holds the folder of %s: the clone's files are made in a pool", path);
	if (from && pool && l->capacity >= 0) {
		xml = xml_copy_volume(strrchr(path, '/') + 1, (unsigned long long)l->capacity, "qcow2");
		if (!(vol = virStorageVolCreateXMLFrom(pool, xml, from, 0)))
			be_set_err(err, "cannot copy the disk");
		free(xml);
	}
	if (from)
		virStorageVolFree(from);
	if (pool)
		virStoragePoolFree(pool);
	return vol;
}

/* The clone's own copy of the NVRAM file at path, as *copy (caller frees):
 * in the pool of its folder, named after the clone. */
static int copy_nvram(struct be_conn *c, const char *path, const char *name, struct made *m, char **copy,
		      struct be_error *err)
{
	virStorageVolPtr from = be_vol_lookup(c, path), vol = NULL;
	virStoragePoolPtr pool = be_pool_for_dir(c, path);
	virStorageVolInfo info;
	char file[1200], dest[4096], *xml;

	*copy = NULL;
	if (!from || !pool || virStorageVolGetInfo(from, &info) < 0) {
		be_refuse(err, "no storage pool holds the NVRAM file %s: define one on its folder, so that the clone "
			       "gets its own copy of the UEFI variables",
			  path);
		goto out;
	}
	snprintf(file, sizeof(file), "%s_VARS.fd", name);
	if (!beside(dest, sizeof(dest), path, file)) {
		be_refuse(err, "the clone's NVRAM file would have too long a path");
		goto out;
	}
	xml = xml_copy_volume(file, info.capacity, "raw");
	vol = virStorageVolCreateXMLFrom(pool, xml, from, 0);
	free(xml);
	if (!vol) {
		be_set_err(err, "cannot copy the NVRAM file");
		goto out;
	}
	keep_vol(m, vol);
	*copy = xstrdup(dest);
out:
	if (from)
		virStorageVolFree(from);
	if (pool)
		virStoragePoolFree(pool);
	virResetLastError();
	return *copy ? 0 : -1;
}

/* Refuses a clone built on path when a disk other than disk of vm writes
 * into it (has it as its active layer): the shared-file rule, checked on
 * fresh data just before the files are made. A VM whose disks cannot be
 * read may write it (fail closed). */
static int refuse_if_written(struct be_conn *c, const char *path, const char *vm, const char *disk,
			     struct be_error *err)
{
	virDomainPtr *doms = NULL;
	int nd = virConnectListAllDomains(c->conn, &doms, 0), i, rc = 0;
	size_t k;

	if (nd < 0) {
		be_set_err(err, "cannot list the VMs");
		return -1;
	}
	for (i = 0; i < nd; i++) {
		const char *name = virDomainGetName(doms[i]);
		struct be_disk_list dl;
		struct be_error e;

		if (rc == 0 && be_dom_disks(c, doms[i], 0, &dl, &e) < 0) {
			rc = be_refuse(err, "Not cloning on %s: the disks of %s cannot be read (%.300s)", path, name, e.msg);
		} else if (rc == 0) {
			for (k = 0; k < dl.n && rc == 0; k++)
				if (dl.d[k].nlayers && !strcmp(dl.d[k].layers[0].path, path) &&
				    (strcmp(name, vm) || strcmp(dl.d[k].target, disk)))
					rc = be_refuse(err, "Not cloning on %s: %s (disk %s) writes into it", path, name,
						       dl.d[k].target);
			be_disk_list_clear(&dl);
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	return rc;
}

/* The new files of disk d: the clone's (and the source's fresh overlay
 * when the clone builds on its active layer). k: the layer built on. */
static int clone_disk(struct be_conn *c, const char *vm, const char *name, const struct be_disk *d, size_t k,
		      bool full, const char *stamp, struct made *m, struct be_error *err)
{
	char file[1200], path[4096], fresh[4096];
	virStorageVolPtr vol;

	if (be_refuse_by_kind(d, BE_USE_CHAIN, err) < 0 ||
	    (!full && refuse_if_written(c, d->layers[k].path, vm, d->target, err) < 0))
		return -1;
	snprintf(file, sizeof(file), "%s-%s.qcow2", name, d->target);
	if (!beside(path, sizeof(path), d->layers[0].path, file))
		return be_refuse(err, "the clone's file for %s would have too long a path", d->target);
	vol = full ? copy_chain(c, &d->layers[0], path, err) : be_overlay_volume(c, &d->layers[k], path, err);
	if (!vol)
		return -1;
	keep_vol(m, vol);
	pair(&m->targets, &m->paths, &m->ndisks, d->target, path);
	if (full || k > 0)
		return 0; /* the source's own files are not shared */
	snprintf(file, sizeof(file), "%s-%s-%s.qcow2", vm, d->target, stamp);
	if (!beside(fresh, sizeof(fresh), d->layers[0].path, file))
		return be_refuse(err, "the fresh overlay of %s would have too long a path", d->target);
	if (!(vol = be_overlay_volume(c, &d->layers[0], fresh, err)))
		return -1;
	keep_vol(m, vol);
	pair(&m->src_targets, &m->src_paths, &m->nsrc, d->target, fresh);
	return 0;
}

/* xml with each target of ts on its file of ps (qcow2); frees xml. */
static char *repoint_all(char *xml, char *const *ts, char *const *ps, size_t n)
{
	size_t i;

	for (i = 0; xml && i < n; i++) {
		char *next = xml_repoint_disk(xml, ts[i], ps[i], "qcow2");

		free(xml);
		xml = next;
	}
	return xml;
}

/* The disks of dom with sizes, pools refreshed once when a layer is in
 * none (files made behind the pools' back). */
static int read_disks(struct be_conn *c, virDomainPtr dom, struct be_disk_list *dl, struct be_error *err)
{
	size_t i, k;
	bool stale = false;

	if (be_dom_disks(c, dom, DISKS_SIZES, dl, err) < 0)
		return -1;
	for (i = 0; i < dl->n; i++)
		for (k = 0; k < dl->d[i].nlayers; k++)
			stale |= !dl->d[i].layers[k].in_pool;
	if (!stale)
		return 0;
	be_disk_list_clear(dl);
	be_refresh_pools(c);
	return be_dom_disks(c, dom, DISKS_SIZES, dl, err);
}

/* Whether disk d is referenced by the clone, not copied. */
static bool referenced(const struct be_disk *d)
{
	return !d->nlayers || d->device == BE_DEV_CDROM || d->readonly || d->shareable;
}

/* Makes the clone's files and definition into m; the source's fresh
 * overlays are made but not yet used. */
static int make_clone(struct be_conn *c, virDomainPtr dom, const char *vm, const char *name, bool full,
		      const char *disk, const char *layer, const char *srcxml, struct made *m, struct be_error *err)
{
	struct be_disk_list dl;
	char stamp[32], *nvram = NULL, *nvcopy = NULL, *xml = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t i, k;
	int rc = -1;
	bool found = !disk;

	if (read_disks(c, dom, &dl, err) < 0)
		return -1;
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
	for (i = 0; i < dl.n; i++) {
		const struct be_disk *d = &dl.d[i];

		k = 0;
		if (disk && !strcmp(d->target, disk)) {
			while (k < d->nlayers && strcmp(d->layers[k].path, layer))
				k++;
			if (k == d->nlayers) {
				be_refuse(err, "%s is not in the chain of %s of %s (it changed?)", layer, disk, vm);
				goto out;
			}
			found = true;
		}
		if (referenced(d) && !(disk && !strcmp(d->target, disk)))
			continue;
		if (clone_disk(c, vm, name, d, k, full, stamp, m, err) < 0)
			goto out;
	}
	if (!found) {
		be_refuse(err, "%s has no disk %s", vm, disk);
		goto out;
	}
	if ((nvram = xml_nvram_path(srcxml)) && copy_nvram(c, nvram, name, m, &nvcopy, err) < 0)
		goto out;
	xml = repoint_all(xml_clone_domain(srcxml, name, nvcopy), m->targets, m->paths, m->ndisks);
	if (!xml)
		be_set_msg(err, BE_ERR_OTHER, "cannot rewrite the definition of %s for the clone", vm);
	else if (!(m->clone = virDomainDefineXML(c->conn, xml)))
		be_set_err(err, "cannot define the clone");
	else
		rc = 0;
out:
	free(xml);
	free(nvram);
	free(nvcopy);
	be_disk_list_clear(&dl);
	return rc;
}

int be_vm_clone(struct be_conn *c, const char *vm, const char *name, bool full, const char *disk, const char *layer,
		struct be_error *err)
{
	virDomainPtr dom = be_lookup_shut_off(c, vm, "is running: a clone is made of a shut-off VM (shut it down first)",
					      err), other;
	struct made m = {0};
	char *srcxml = NULL, *edited = NULL;
	virDomainPtr def;
	int rc = -1;

	if (!dom)
		return -1;
	if (full && disk) {
		be_refuse(err, "a clone from a layer is a linked clone");
		goto out;
	}
	if (!name[0] || strchr(name, '/')) {
		be_refuse(err, "'%s' cannot name a VM", name);
		goto out;
	}
	if ((other = virDomainLookupByName(c->conn, name))) {
		virDomainFree(other);
		be_refuse(err, "a VM named %s exists already", name);
		goto out;
	}
	virResetLastError();
	srcxml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
	if (!srcxml) {
		be_set_err(err, "cannot read the VM's definition");
		goto out;
	}
	if (!xml_utf8(srcxml)) {
		be_refuse(err, "the definition of %s is not UTF-8: a clone of it could differ", vm);
		goto out;
	}
	if (make_clone(c, dom, vm, name, full, disk, layer, srcxml, &m, err) < 0)
		goto out;
	/* Last, the source onto its fresh overlays: one definition, at once. */
	if (m.nsrc) {
		edited = repoint_all(xstrdup(srcxml), m.src_targets, m.src_paths, m.nsrc);
		if (!edited) {
			be_set_msg(err, BE_ERR_OTHER, "cannot rewrite the definition of %s", vm);
			goto out;
		}
		if (!(def = virDomainDefineXML(c->conn, edited))) {
			be_set_err(err, "cannot put the source on its fresh overlay");
			goto out;
		}
		virDomainFree(def);
	}
	rc = 0;
out:
	if (rc < 0 && m.nvols) {
		char why[600];

		str_copy(why, err->msg, sizeof(why));
		made_end(&m, true);
		be_set_msg(err, err->kind, "%s; nothing of the clone was kept", why);
	} else {
		made_end(&m, rc < 0);
	}
	free(srcxml);
	free(edited);
	virDomainFree(dom);
	return rc;
}
