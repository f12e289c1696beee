/* vmmanager's own revert to an external snapshot, for libvirt before 9.7
 * ("revert to external snapshot not supported yet"): the plan comes from
 * be_revert_plan_make (revertplan.c), made again here from fresh data;
 * its steps are done one by one and, when one fails, those done are
 * undone: the fresh overlays deleted, the old definition back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

unsigned long be_lib_version(struct be_conn *c)
{
	unsigned long v = 0;

	if (!c->libver && virConnectGetLibVersion(c->conn, &v) == 0)
		c->libver = v;
	virResetLastError();
	return c->libver;
}

static enum be_vm_state state_of(int st)
{
	switch (st) {
	case VIR_DOMAIN_SHUTOFF: return BE_VM_SHUTOFF;
	case VIR_DOMAIN_RUNNING: return BE_VM_RUNNING;
	case VIR_DOMAIN_PAUSED: return BE_VM_PAUSED;
	default: return BE_VM_OTHER;
	}
}

/* What the steps made, for the undo. */
struct ledger {
	virStorageVolPtr *vols; /* the fresh overlays made so far */
	size_t nvols;
	char *olddef; /* the definition before, once the new one is written */
};

static void undo(virDomainPtr dom, struct ledger *l)
{
	size_t i;

	/* The definition first, so that no definition names a deleted file. */
	if (l->olddef) {
		virDomainPtr d = virDomainDefineXML(virDomainGetConnect(dom), l->olddef);

		if (d)
			virDomainFree(d);
	}
	for (i = l->nvols; i-- > 0;)
		virStorageVolDelete(l->vols[i], 0);
	virResetLastError();
}

static void ledger_clear(struct ledger *l)
{
	size_t i;

	for (i = 0; i < l->nvols; i++)
		virStorageVolFree(l->vols[i]);
	free(l->vols);
	free(l->olddef);
}

/* A fresh qcow2 overlay at rd->fresh on rd->frozen, in the pool of its
 * folder; recorded in l. */
static int make_overlay(struct be_conn *c, const struct be_revert_disk *rd, struct ledger *l, struct be_error *err)
{
	virStorageVolPtr frozen, vol;
	virStorageVolInfo info;
	struct be_layer layer = {0};
	char *xml;

	if (be_bad_new_file(c, rd->fresh, err) < 0)
		return -1;
	if (!(frozen = be_vol_lookup(c, rd->frozen)))
		return be_refuse(err,
				 "%s is in no storage pool: libvirt cannot tell its size. Define a pool on its folder",
				 rd->frozen);
	xml = virStorageVolGetXMLDesc(frozen, 0);
	layer.path = rd->frozen;
	layer.format = xml_vol_format(xml);
	layer.capacity = virStorageVolGetInfo(frozen, &info) == 0 ? (long long)info.capacity : -1;
	free(xml);
	virStorageVolFree(frozen);
	virResetLastError();
	if (!layer.format)
		layer.format = xstrdup("");
	vol = be_overlay_volume(c, &layer, rd->fresh, err);
	free(layer.format);
	if (!vol)
		return -1;
	l->vols = xrealloc(l->vols, (l->nvols + 1) * sizeof(*l->vols));
	l->vols[l->nvols++] = vol;
	return 0;
}

/* xml with each disk of p on its fresh overlay (a volume disk as the
 * overlay's volume when vols names one); NULL when a disk is not there. */
static char *repointed(const char *xml, const struct be_revert_plan *p, const struct ledger *l)
{
	char *cur = xstrdup(xml), *next;
	size_t i;

	for (i = 0; i < p->n && cur; i++) {
		virStoragePoolPtr pool = p->d[i].volume ? virStoragePoolLookupByVolume(l->vols[i]) : NULL;
		const char *pn = pool ? virStoragePoolGetName(pool) : NULL;

		next = xml_repoint_disk_to(cur, p->d[i].disk, p->d[i].fresh, pn,
					   pn ? virStorageVolGetName(l->vols[i]) : NULL, "qcow2");
		if (pool)
			virStoragePoolFree(pool);
		free(cur);
		cur = next;
	}
	virResetLastError();
	return cur;
}

/* The plan for snapshot s of dom, from fresh data. */
static int make_plan(struct be_conn *c, virDomainPtr dom, const char *vm, const struct be_snapshot *s,
		     struct be_revert_plan *p, struct be_error *err)
{
	struct be_disk_list dl;
	struct be_revert_req r = {vm, BE_VM_OTHER, be_lib_version(c), NULL, NULL};
	bool *gone;
	char stamp[32], why[1200];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int st, rc;

	if ((st = be_disk_work_state(dom, err)) < 0)
		return -1;
	r.state = state_of(st);
	if (be_dom_disks(c, dom, 0, &dl, err) < 0)
		return -1;
	gone = xcalloc(s->nfiles + 1, sizeof(*gone));
	for (i = 0; i < s->nfiles; i++)
		gone[i] = s->files[i].path && be_file_gone(c, dom, s->files[i].path);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	r.stamp = stamp;
	r.gone = gone;
	rc = be_revert_plan_make(s, &dl, &r, p, why, sizeof(why));
	free(gone);
	be_disk_list_clear(&dl);
	return rc < 0 ? be_refuse(err, "%s", why) : 0;
}

/* Defines dom on the fresh overlays; the old definition into l. */
static int define_on_overlays(virDomainPtr dom, const struct be_revert_plan *p, struct ledger *l, struct be_error *err)
{
	char *old = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE), *xml = NULL;
	virDomainPtr def = NULL;

	if (!old)
		be_set_err(err, "cannot read the VM's definition");
	else if (!xml_utf8(old))
		be_refuse(err,
			  "the definition of %s is not UTF-8: written back it could change; rename it with virsh "
			  "domrename first",
			  virDomainGetName(dom));
	else if (!(xml = repointed(old, p, l)))
		be_refuse(err, "the definition has no disk %s", p->n ? p->d[0].disk : "");
	else if (!(def = virDomainDefineXML(virDomainGetConnect(dom), xml)))
		be_set_err(err, "cannot redefine the VM");
	free(xml);
	if (!def) {
		free(old);
		return -1;
	}
	virDomainFree(def);
	l->olddef = old;
	return 0;
}

/* Starts dom from the checkpoint's memory file, with the snapshot's own
 * definition on the fresh overlays: the memory was saved with it. */
static int restore(virDomainPtr dom, const char *snapxml, const struct be_revert_plan *p, const struct ledger *l,
		   struct be_error *err)
{
	char *dom_xml = xml_snapshot_domain(snapxml), *xml = dom_xml ? repointed(dom_xml, p, l) : NULL;
	int rc;

	free(dom_xml);
	if (!xml)
		return be_refuse(err, "the snapshot's own definition cannot be read: not restoring its memory");
	rc = virDomainRestoreFlags(virDomainGetConnect(dom), p->memfile, xml,
				   p->paused ? VIR_DOMAIN_SAVE_PAUSED : VIR_DOMAIN_SAVE_RUNNING);
	free(xml);
	if (rc < 0)
		be_set_err(err, "cannot restore the snapshot's memory");
	return rc;
}

int be_revert_external(struct be_conn *c, virDomainPtr dom, const char *vm, virDomainSnapshotPtr snap,
		       struct be_error *err)
{
	char *snapxml = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
	struct be_snapshot s = {0};
	struct be_revert_plan p = {0};
	struct ledger l = {0};
	virDomainSnapshotPtr cur;
	size_t i;
	int rc = -1;

	if (!snapxml || xml_parse_snapshot(snapxml, &s) < 0) {
		be_set_err(err, "cannot read the snapshot");
		goto out;
	}
	if (make_plan(c, dom, vm, &s, &p, err) < 0)
		goto out;
	/* An overlay on a file another disk writes would read it changing. */
	for (i = 0; i < p.n; i++)
		if (be_refuse_if_written(c, p.d[i].frozen, vm, p.d[i].disk, "Not reverting onto", err) < 0)
			goto out;
	for (i = 0; i < p.n; i++)
		if (make_overlay(c, &p.d[i], &l, err) < 0)
			goto fail;
	if (define_on_overlays(dom, &p, &l, err) < 0 ||
	    (p.how == BE_REVERT_RESTORE && restore(dom, snapxml, &p, &l, err) < 0))
		goto fail;
	/* The revert is done; the marker follows. Redefining the snapshot as
	 * it is, with CURRENT, is how libvirt 9.0 moves it (tried). */
	if (!(cur = virDomainSnapshotCreateXML(
		      dom, snapxml, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT))) {
		char why[600];

		be_set_err(err, "cannot mark the snapshot current");
		str_copy(why, err->msg, sizeof(why));
		be_set_msg(err, err->kind, "%s is back at '%s', but it is not marked current: %s", vm, s.name, why);
		goto out;
	}
	virDomainSnapshotFree(cur);
	rc = 0;
	goto out;
fail:
	undo(dom, &l);
out:
	ledger_clear(&l);
	be_revert_plan_clear(&p);
	be_snapshot_clear(&s);
	free(snapxml);
	return rc;
}
