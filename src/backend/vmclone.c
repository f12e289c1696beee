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
 * layer into a volume with no backing file), as the standalone copy (F)
 * makes it (be_flat_copy).
 *
 * CD-ROMs, read-only and shareable disks are referenced, not copied; the
 * NVRAM file is copied where the source has one; snapshots are not.
 *
 * What is made and written is decided without libvirt (cloneplan.c, the
 * plan); here its steps are done one by one, each recorded in a ledger,
 * and a failure undoes those done in clone_undo's order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/cloneplan.h"
#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

/* The ledger: what the steps of the plan made so far, to be undone on
 * failure. vols[i] is step i's volume (NULL for a definition). */
struct ledger {
	virStorageVolPtr *vols;
	size_t ndone;
	virDomainPtr clone; /* defined */
};

/* The clone's own copy of the NVRAM file at path, at dest (the plan's):
 * in the pool of its folder. */
static virStorageVolPtr copy_nvram(struct be_conn *c, const char *path, const char *dest, struct be_error *err)
{
	virStorageVolPtr from = be_vol_lookup(c, path), vol = NULL;
	virStoragePoolPtr pool = be_pool_for_dir(c, path);
	virStorageVolInfo info;
	char *xml;

	if (!from || !pool || virStorageVolGetInfo(from, &info) < 0) {
		be_refuse(err, "no storage pool holds the NVRAM file %s: define one on its folder, so that the clone "
			       "gets its own copy of the UEFI variables",
			  path);
		goto out;
	}
	xml = xml_copy_volume(strrchr(dest, '/') + 1, info.capacity, "raw");
	vol = virStorageVolCreateXMLFrom(pool, xml, from, 0);
	free(xml);
	if (!vol)
		be_set_err(err, "cannot copy the NVRAM file");
out:
	if (from)
		virStorageVolFree(from);
	if (pool)
		virStoragePoolFree(pool);
	virResetLastError();
	return vol;
}

/* The disks of dom with sizes, pools refreshed once when a layer is in
 * none (files made behind the pools' back). */
static int read_sized_disks(struct be_conn *c, virDomainPtr dom, struct be_disk_list *dl, struct be_error *err)
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

/* Does step i of p, recording what it made in l; dl: the source's disks
 * the plan was made of, vm: its name. */
static int do_step(struct be_conn *c, const struct clone_plan *p, size_t i, const struct be_disk_list *dl,
		   const char *vm, struct ledger *l, struct be_error *err)
{
	const struct cp_step *s = &p->steps[i];
	bool on_disk = s->kind == CP_STEP_CLONE_FILE || s->kind == CP_STEP_FRESH_OVERLAY;
	const struct cp_disk *cd = on_disk ? &p->d[s->disk] : NULL;
	const struct be_disk *d = on_disk ? &dl->d[s->disk] : NULL;
	virStorageVolPtr vol = NULL;
	virDomainPtr def;

	switch (s->kind) {
	case CP_STEP_CLONE_FILE:
		/* The shared-file rule on fresh data, just before the file is made. */
		if (cd->make == CP_OVERLAY && be_refuse_if_written(c, cd->from, vm, cd->target, "Not cloning on", err) < 0)
			return -1;
		vol = cd->make == CP_COPY ? be_flat_copy(c, &d->layers[cd->layer], cd->path, err)
					  : be_overlay_volume(c, &d->layers[cd->layer], cd->path, err);
		break;
	case CP_STEP_FRESH_OVERLAY: vol = be_overlay_volume(c, &d->layers[0], cd->fresh, err); break;
	case CP_STEP_NVRAM_COPY: vol = copy_nvram(c, p->nvram, p->nvram_copy, err); break;
	case CP_STEP_DEFINE_CLONE:
		if (!(l->clone = virDomainDefineXML(c->conn, p->clone_xml))) {
			be_set_err(err, "cannot define the clone");
			return -1;
		}
		break;
	case CP_STEP_DEFINE_SOURCE:
		if (!(def = virDomainDefineXML(c->conn, p->source_xml))) {
			be_set_err(err, "cannot put the source on its fresh overlay");
			return -1;
		}
		virDomainFree(def);
		break;
	}
	if ((on_disk || s->kind == CP_STEP_NVRAM_COPY) && !vol)
		return -1;
	l->vols[i] = vol;
	l->ndone = i + 1;
	return 0;
}

/* Undoes the steps done (clone_undo's order); srcxml: the source's
 * definition before the clone. */
static void rollback(struct be_conn *c, const struct clone_plan *p, struct ledger *l, const char *srcxml)
{
	struct cp_undo *u = xcalloc(l->ndone ? l->ndone : 1, sizeof(*u));
	size_t i, n = clone_undo(p, l->ndone, u);
	virDomainPtr def;

	for (i = 0; i < n; i++) {
		switch (u[i].kind) {
		case CP_UNDO_RESTORE_SOURCE:
			if ((def = virDomainDefineXML(c->conn, srcxml)))
				virDomainFree(def);
			break;
		case CP_UNDO_UNDEFINE_CLONE:
			if (l->clone && virDomainUndefineFlags(l->clone, VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) < 0 &&
			    virDomainUndefine(l->clone) < 0)
				virResetLastError();
			break;
		case CP_UNDO_DELETE_FILE:
			if (l->vols[u[i].step] && virStorageVolDelete(l->vols[u[i].step], 0) < 0)
				virResetLastError();
			break;
		}
	}
	virResetLastError();
	free(u);
}

/* Lets go of the ledger's handles. */
static void ledger_free(struct ledger *l, size_t nsteps)
{
	size_t i;

	for (i = 0; i < nsteps; i++)
		if (l->vols[i])
			virStorageVolFree(l->vols[i]);
	free(l->vols);
	if (l->clone)
		virDomainFree(l->clone);
	memset(l, 0, sizeof(*l));
}

/* Plans the clone and does the plan's steps; on failure undoes those done. */
static int make_clone(struct be_conn *c, virDomainPtr dom, const struct clone_req *r, const char *srcxml,
		      struct be_error *err)
{
	struct be_disk_list dl;
	struct clone_plan p;
	struct ledger l = {0};
	size_t i;
	int rc = 0;

	if (read_sized_disks(c, dom, &dl, err) < 0)
		return -1;
	if (clone_plan_make(&dl, srcxml, r, &p, err) < 0) {
		be_disk_list_clear(&dl);
		return -1;
	}
	l.vols = xcalloc(p.nsteps, sizeof(*l.vols));
	for (i = 0; i < p.nsteps && rc == 0; i++)
		rc = do_step(c, &p, i, &dl, r->vm, &l, err);
	if (rc < 0 && l.ndone) {
		char why[600];

		str_copy(why, err->msg, sizeof(why));
		rollback(c, &p, &l, srcxml);
		be_set_msg(err, err->kind, "%s; nothing of the clone was kept", why);
	}
	ledger_free(&l, p.nsteps);
	clone_plan_clear(&p);
	be_disk_list_clear(&dl);
	return rc;
}

int be_vm_clone(struct be_conn *c, const char *vm, const char *name, bool full, const char *disk, const char *layer,
		struct be_error *err)
{
	virDomainPtr dom = be_lookup_shut_off(c, vm, "is running: a clone is made of a shut-off VM (shut it down first)",
					      err), other;
	struct clone_req r = {vm, name, full, disk, layer, NULL};
	char *srcxml = NULL, stamp[32];
	time_t now = time(NULL);
	struct tm tm;
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
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
	r.stamp = stamp;
	rc = make_clone(c, dom, &r, srcxml, err);
out:
	free(srcxml);
	virDomainFree(dom);
	return rc;
}
