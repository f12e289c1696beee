/* External snapshots with their metadata: every disk's state frozen in its
 * current file under a new overlay beside it, and the memory of a running
 * VM in a file of its own (be_snapshot_create_external); a new overlay of
 * the chain pane recorded as a disk-only snapshot (be_overlay_recorded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/ovlname.h"
#include "shared/util.h"

/* About what a new overlay takes at first (a qcow2 header and tables);
 * the guest's writes come later, as to any overlay. */
#define OVERLAY_START (1024ULL * 1024ULL)

/* The plan: each disk's target and new overlay (NULL: left out), the
 * names owned by paths. */
struct plan {
	struct xml_snapext_disk *disks;
	char **paths;
	size_t n, covered;
	char *memfile;
};

static void plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->paths[i]);
	free(p->paths);
	free(p->disks);
	free(p->memfile);
	memset(p, 0, sizeof(*p));
}

/* Checks that a new file may be made at path: named, new, and with room
 * in its pool for need bytes. */
static int check_new_file(struct be_conn *c, const char *path, bool named, const char *beside,
			  unsigned long long need, const char *what, struct be_error *err)
{
	if (!named)
		return be_refuse(err, "a new file beside %s would have a longer path than a file can have", beside);
	if (be_bad_new_file(c, path, err) < 0)
		return -1;
	return be_refuse_if_no_room(c, path, need, "Not taking the snapshot", what, err);
}

/* The overlay of each disk of dl that only covers (NULL: every disk that
 * can take one), each checked; the others left out, as be_disk_allows
 * says, or refused when one can take no overlay. */
static int plan_disks(struct be_conn *c, const char *vm, const struct be_disk_list *dl, const char *only,
		      const char *path, time_t now, struct plan *p, struct be_error *err)
{
	size_t i;
	char why[1200], name[4096];

	p->n = dl->n;
	p->disks = xcalloc(dl->n ? dl->n : 1, sizeof(*p->disks));
	p->paths = xcalloc(dl->n ? dl->n : 1, sizeof(*p->paths));
	for (i = 0; i < dl->n; i++) {
		const struct be_disk *d = &dl->d[i];
		int use = be_disk_allows(d, BE_USE_EXTERNAL, why, sizeof(why));
		bool named;

		p->disks[i].target = d->target;
		if (only && strcmp(only, d->target))
			continue; /* snapshot='no': another disk's overlay */
		if (use < 0)
			return be_refuse(err, "%s", why);
		if (use > 0) {
			if (only)
				return be_refuse_by_kind(d, BE_USE_CHAIN, err);
			continue; /* read-only, shareable, a CD-ROM, empty */
		}
		named = path ? (str_copy(name, path, sizeof(name)), strlen(path) < sizeof(name))
			     : ovlname_make(d->layers[0].path, vm, d->target, "qcow2", now, name, sizeof(name));
		if (check_new_file(c, name, named, d->layers[0].path, OVERLAY_START, "a new overlay", err) < 0)
			return -1;
		p->paths[i] = xstrdup(name);
		p->disks[i].overlay = p->paths[i];
		p->covered++;
	}
	if (!p->covered)
		return be_refuse(err, "%s has no disk that can take an overlay: an external snapshot would hold nothing",
				 vm);
	return 0;
}

/* The memory file beside the first overlay, checked for the VM's memory. */
static int plan_memory(struct be_conn *c, virDomainPtr dom, const char *vm, time_t now, struct plan *p,
		       struct be_error *err)
{
	virDomainInfo info;
	char name[4096];
	const char *beside = NULL;
	size_t i;
	bool named;

	for (i = 0; i < p->n && !beside; i++)
		beside = p->disks[i].overlay;
	if (virDomainGetInfo(dom, &info) < 0) {
		be_set_err(err, "cannot read the VM's memory size");
		return -1;
	}
	named = ovlname_make(beside, vm, "mem", "save", now, name, sizeof(name));
	if (check_new_file(c, name, named, beside, (unsigned long long)info.memory * 1024ULL, "the running VM's memory",
			   err) < 0)
		return -1;
	p->memfile = xstrdup(name);
	return 0;
}

/* True when libvirt's error says no guest agent answered: the snapshot
 * can then be taken without quiesce. */
static bool no_agent(const struct be_error *err)
{
	return err->code == VIR_ERR_AGENT_UNRESPONSIVE || err->code == VIR_ERR_AGENT_UNSYNCED ||
	       err->code == VIR_ERR_ARGUMENT_UNSUPPORTED;
}

/* Takes the snapshot of xml; a running VM's disk-only one quiesced where
 * a guest agent answers, else without, saying so in note. */
static int take(struct be_conn *c, virDomainPtr dom, const char *xml, bool memory, int state, const struct plan *p,
		char *note, size_t nn, struct be_error *err)
{
	unsigned flags = VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC | (memory ? 0 : VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
	virDomainSnapshotPtr snap = NULL;
	size_t i;

	if (!memory && state == VIR_DOMAIN_RUNNING) {
		snap = virDomainSnapshotCreateXML(dom, xml, flags | VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE);
		if (!snap) {
			be_set_err(err, "cannot take the snapshot");
			if (!no_agent(err))
				return -1;
			snprintf(note, nn, "not quiesced: no guest agent answered (%.300s)", err->msg);
		}
	} else if (!memory && state == VIR_DOMAIN_PAUSED) {
		snprintf(note, nn, "not quiesced: the VM is paused, its guest agent cannot answer");
	}
	if (!snap && !(snap = virDomainSnapshotCreateXML(dom, xml, flags))) {
		be_set_err(err, "cannot take the snapshot");
		return -1;
	}
	virDomainSnapshotFree(snap);
	/* QEMU or libvirt made the files: tell their pools. */
	for (i = 0; i < p->n; i++)
		if (p->disks[i].overlay)
			be_refresh_pool_of(c, p->disks[i].overlay);
	if (p->memfile)
		be_refresh_pool_of(c, p->memfile);
	return 0;
}

/* The shared steps: the VM's state allows it, the plan, the XML, taken. */
static int create(struct be_conn *c, const char *vm, const char *name, const char *description, bool memory,
		  const char *only, const char *path, char *note, size_t nn, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct be_disk_list dl = {0};
	struct plan p = {0};
	time_t now = time(NULL);
	char *xml = NULL;
	int state, rc = -1;

	if (nn)
		note[0] = '\0';
	if (!dom)
		return -1;
	/* A hibernated VM's saved memory belongs to its disks as they are. */
	if ((state = be_disk_work_state(dom, err)) < 0)
		goto out;
	if (memory && state != VIR_DOMAIN_RUNNING) {
		be_refuse(err, "%s is not running: an external snapshot with memory needs a running VM", vm);
		goto out;
	}
	if (state != VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_PAUSED && state != VIR_DOMAIN_SHUTOFF) {
		be_refuse(err, "%s is neither running, paused nor shut off: look at it again", vm);
		goto out;
	}
	if (be_dom_disks(c, dom, 0, &dl, err) < 0 || plan_disks(c, vm, &dl, only, path, now, &p, err) < 0 ||
	    (memory && plan_memory(c, dom, vm, now, &p, err) < 0))
		goto out;
	if (!(xml = xml_snapshot_external(name, description, p.disks, p.n, p.memfile))) {
		be_refuse(err, "the snapshot's name, description or a file name is not UTF-8");
		goto out;
	}
	rc = take(c, dom, xml, memory, state, &p, note, nn, err);
out:
	free(xml);
	plan_free(&p);
	be_disk_list_clear(&dl);
	virDomainFree(dom);
	return rc;
}

int be_snapshot_create_external(struct be_conn *c, const char *vm, const char *name, const char *description,
				bool memory, char *note, size_t nn, struct be_error *err)
{
	return create(c, vm, name, description, memory, NULL, NULL, note, nn, err);
}

int be_overlay_recorded(struct be_conn *c, const char *vm, const char *disk, const char *path, const char *name,
			char *note, size_t nn, struct be_error *err)
{
	if (path[0] != '/' || path[strlen(path) - 1] == '/')
		return be_refuse(err, "an overlay needs an absolute file name, not '%s'", path);
	return create(c, vm, name, "overlay made by vmmanager", false, disk, path, note, nn, err);
}
