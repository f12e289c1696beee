/* Who reads an image, from fresh data just before an action (fail closed):
 * every VM's disk chains, every snapshot's files with what lies below
 * them, and every volume's backing file. The core checks the same rules
 * against its model when the key is pressed; this is the second check.
 * Here too: deleting images that nothing reads (be_volumes_delete), which
 * is this check and then storage.c's delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

enum reader_kind { RD_DISK, RD_SNAP_INTERNAL, RD_SNAP_EXTERNAL };

/* One thing that reads files: a VM's disk, or a snapshot's disk state. */
struct reader {
	enum reader_kind kind;
	char *vm;
	char *disk;    /* the target */
	char *snap;    /* RD_SNAP_*: the snapshot's name */
	char **chain;  /* [0] read directly, then what it is backed by */
	size_t n;
	bool complete; /* false: something unknown may lie below */
	char why[300]; /* !complete: why nothing is known below */
};

struct readers {
	struct reader *r;
	size_t n;
	struct be_vol_list vols;
	bool failed;      /* the VMs could not be listed: anything may be read */
	bool vols_failed; /* the volumes could not be listed */
};

static struct reader *add_reader(struct readers *rs, enum reader_kind kind, const char *vm, const char *disk)
{
	struct reader *r;

	rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->vm = xstrdup(vm);
	r->disk = xstrdup(disk);
	return r;
}

static void push(struct reader *r, const char *path)
{
	r->chain = xrealloc(r->chain, (r->n + 1) * sizeof(*r->chain));
	r->chain[r->n++] = xstrdup(path);
}

static bool in_chain(const struct reader *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->chain[i], path))
			return true;
	return false;
}

static void readers_free(struct readers *rs)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		for (k = 0; k < rs->r[i].n; k++)
			free(rs->r[i].chain[k]);
		free(rs->r[i].chain);
		free(rs->r[i].vm);
		free(rs->r[i].disk);
		free(rs->r[i].snap);
	}
	free(rs->r);
	be_vol_list_clear(&rs->vols);
	memset(rs, 0, sizeof(*rs));
}

/* Why a chain stops at path with nothing known below it: the advice must
 * be true of the situation. */
static void why_unknown(struct be_conn *c, const char *path, char *buf, size_t n)
{
	virStoragePoolPtr pool;
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 0;

	if (path[0] != '/') { /* a network disk, a volume no pool shows */
		snprintf(buf, n, "%s is no file of this host: libvirt cannot tell what it is backed by", path);
		return;
	}
	if (!(pool = be_pool_for_dir(c, path))) {
		snprintf(buf, n, "no storage pool holds %.*s, so libvirt cannot read what %s is backed by: define one there",
			 dirlen, path, path);
		return;
	}
	virStoragePoolFree(pool);
	snprintf(buf, n, "%s is missing or unreadable, though its folder is a storage pool", path);
}

/* The chain below path as the volumes tell it (for a snapshot's file that
 * no VM's chain holds). */
static void walk_below(struct be_conn *c, struct reader *r)
{
	if (r->chain[r->n - 1][0] != '/') { /* never looked up as a path */
		why_unknown(c, r->chain[r->n - 1], r->why, sizeof(r->why));
		return;
	}
	for (;;) {
		virStorageVolPtr vol = be_vol_lookup(c, r->chain[r->n - 1]);
		char *xml = vol ? virStorageVolGetXMLDesc(vol, 0) : NULL, *path = NULL, *fmt = NULL;
		int got = xml ? xml_vol_backing(xml, &path, &fmt) : -1;

		if (vol)
			virStorageVolFree(vol);
		free(xml);
		free(fmt);
		virResetLastError();
		if (got <= 0) {
			r->complete = got == 0;
			if (got < 0)
				why_unknown(c, r->chain[r->n - 1], r->why, sizeof(r->why));
			return;
		}
		if (in_chain(r, path)) { /* a loop: nothing more to learn */
			free(path);
			r->complete = true;
			return;
		}
		if (r->n >= BE_MAX_CHAIN) { /* as deep as chain.c follows */
			free(path);
			snprintf(r->why, sizeof(r->why), "its chain is cut off at %d layers", BE_MAX_CHAIN);
			return;
		}
		push(r, path);
		free(path);
	}
}

/* A snapshot's file continues as the chain of a disk that holds it. */
static void snap_chain(struct be_conn *c, struct readers *rs, struct reader *r)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		const struct reader *d = &rs->r[i];

		if (d->kind != RD_DISK)
			continue;
		for (k = 0; k < d->n; k++)
			if (!strcmp(d->chain[k], r->chain[0])) {
				for (k++; k < d->n; k++)
					push(r, d->chain[k]);
				r->complete = d->complete;
				str_copy(r->why, d->why, sizeof(r->why));
				return;
			}
	}
	walk_below(c, r);
}

static void read_disks(struct be_conn *c, struct readers *rs, virDomainPtr dom, const char *name)
{
	struct be_disk_list dl;
	struct be_error err;
	size_t d, k;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bool partial = false;

		if (be_dom_disks(c, dom, 0, &dl, &err) < 0) {
			struct reader *r = add_reader(rs, RD_DISK, name, "");

			snprintf(r->why, sizeof(r->why), "its disks cannot be read: %.200s", err.msg);
			return;
		}
		for (d = 0; d < dl.n; d++)
			partial |= !be_chain_known(&dl.d[d]) && dl.d[d].nlayers;
		if (!partial || pass == 1)
			break;
		/* Stale pools are refreshed before a chain counts as unknown. */
		for (d = 0; d < dl.n; d++)
			if (!be_chain_known(&dl.d[d]) && dl.d[d].nlayers)
				be_refresh_pool_of(c, dl.d[d].layers[dl.d[d].nlayers - 1].path);
		be_disk_list_clear(&dl);
	}
	for (d = 0; d < dl.n; d++) {
		struct reader *r = add_reader(rs, RD_DISK, name, dl.d[d].target);

		for (k = 0; k < dl.d[d].nlayers; k++)
			push(r, dl.d[d].layers[k].path);
		r->complete = be_chain_known(&dl.d[d]) || !dl.d[d].nlayers;
		if (dl.d[d].end == BE_END_CUT)
			snprintf(r->why, sizeof(r->why), "its chain is cut off at %zu layers", r->n);
		else if (!r->complete)
			why_unknown(c, r->chain[r->n - 1], r->why, sizeof(r->why));
	}
	be_disk_list_clear(&dl);
}

static void read_snapshots(struct be_conn *c, struct readers *rs, const char *name)
{
	struct be_snap_list sl;
	struct be_error err;
	size_t i, k;

	if (be_snapshots(c, name, &sl, &err) < 0) {
		struct reader *r = add_reader(rs, RD_SNAP_INTERNAL, name, "");

		snprintf(r->why, sizeof(r->why), "its snapshots cannot be read: %.200s", err.msg);
		return;
	}
	for (i = 0; i < sl.n; i++)
		for (k = 0; k < sl.s[i].nfiles; k++) {
			const struct be_snap_file *f = &sl.s[i].files[k];
			struct reader *r = add_reader(rs, f->external ? RD_SNAP_EXTERNAL : RD_SNAP_INTERNAL, name, f->disk);

			r->snap = xstrdup(sl.s[i].name);
			push(r, f->path);
		}
	be_snap_list_clear(&sl);
}

/* Everything that reads files on c's host. */
static void readers_read(struct be_conn *c, struct readers *rs)
{
	virDomainPtr *doms = NULL;
	int nd = virConnectListAllDomains(c->conn, &doms, 0), i;
	size_t first_snap, k;
	struct be_error err;

	memset(rs, 0, sizeof(*rs));
	if (nd < 0) {
		rs->failed = true;
		virResetLastError();
		return;
	}
	for (i = 0; i < nd; i++) {
		const char *name = virDomainGetName(doms[i]);

		read_disks(c, rs, doms[i], name ? name : "?");
	}
	first_snap = rs->n;
	for (i = 0; i < nd; i++) {
		const char *name = virDomainGetName(doms[i]);

		if (name && virDomainSnapshotNum(doms[i], 0) != 0)
			read_snapshots(c, rs, name);
		virDomainFree(doms[i]);
	}
	free(doms);
	virResetLastError();
	for (k = first_snap; k < rs->n; k++)
		if (rs->r[k].n)
			snap_chain(c, rs, &rs->r[k]);
	if (be_volumes(c, &rs->vols, &err) < 0)
		rs->vols_failed = true;
}

/* The entry of paths equal to path, or NULL. */
static const char *listed(const char *const *paths, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(paths[i], path))
			return paths[i];
	return NULL;
}

/* "lab2 (disk vda)", "lab1's snapshot 's1'" */
static void describe(const struct reader *r, bool maybe, char *buf, size_t n)
{
	if (r->kind == RD_DISK)
		snprintf(buf, n, "%s (disk %s)%s%s", r->vm, r->disk[0] ? r->disk : "?", maybe ? " may: " : "",
			 maybe ? r->why : "");
	else
		snprintf(buf, n, "%s's snapshot '%s'%s%s", r->vm, r->snap ? r->snap : "?", maybe ? " may: " : "",
			 maybe ? r->why : "");
}

static void append(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);

	if (len && len + 2 < n) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 < n)
		str_copy(buf + len, s, n - len);
}

/* What a check is about. */
struct check {
	const char *vm, *disk; /* the disk acted on: its own chain is no reader */
	const char *const *paths; /* the files checked */
	size_t n;
	bool write; /* paths are written; otherwise deleted */
	bool chains_only; /* only disks read it (their QEMU may have it open) */
	/* Files the action removes from vm's chain: vm's snapshots in them
	 * are the action's own business (named and removed with them). */
	const char *const *going;
	size_t ngoing;
	/* The layer of vm's disk built on the deleted file, which the action
	 * rebases onto the file below (a snapshot delete's merge): no reader. */
	const char *rebased;
};

/* Whether r reads one of ck's files; *maybe when it might (unknown). */
static const char *reads(const struct reader *r, const struct check *ck, bool *maybe)
{
	bool own = ck->vm && !strcmp(r->vm, ck->vm);
	size_t i;

	*maybe = false;
	if (r->kind == RD_DISK && own && ck->disk && !strcmp(r->disk, ck->disk))
		return NULL;
	if (r->kind != RD_DISK && ck->chains_only)
		return NULL;
	if (r->kind != RD_DISK && own && r->n && listed(ck->going, ck->ngoing, r->chain[0]))
		return NULL;
	for (i = 0; i < ck->n; i++) {
		if (!in_chain(r, ck->paths[i]))
			continue;
		/* A write into the file an internal snapshot of the same VM
		 * lives in keeps that snapshot: qcow2 copies on write. */
		if (ck->write && own && r->kind == RD_SNAP_INTERNAL && !strcmp(r->chain[0], ck->paths[i]))
			continue;
		return ck->paths[i];
	}
	if (!r->complete && (r->n || r->why[0])) {
		*maybe = true;
		return ck->paths[0];
	}
	return NULL;
}

/* The readers of ck's files into out; how many. */
static int count_readers(struct be_conn *c, const struct check *ck, const char **hit, char *out, size_t outn)
{
	struct readers rs;
	size_t i;
	int count = 0;

	out[0] = '\0';
	*hit = ck->n ? ck->paths[0] : "";
	readers_read(c, &rs);
	if (rs.failed || (!ck->write && rs.vols_failed)) {
		str_copy(out, "(the host's VMs or volumes cannot be listed)", outn);
		readers_free(&rs);
		return 1;
	}
	for (i = 0; i < rs.n; i++) {
		bool maybe;
		const char *p = reads(&rs.r[i], ck, &maybe);
		char who[700];

		if (!p)
			continue;
		if (!maybe)
			*hit = p;
		describe(&rs.r[i], maybe, who, sizeof(who));
		append(out, outn, who);
		count++;
	}
	/* An image built on a deleted file loses its backing. */
	for (i = 0; !ck->write && i < rs.vols.n; i++) {
		const struct be_volume *v = &rs.vols.v[i];
		char who[700];

		if (!v->backing || !listed(ck->paths, ck->n, v->backing) || listed(ck->paths, ck->n, v->path) ||
		    (ck->rebased && !strcmp(v->path, ck->rebased)))
			continue;
		*hit = listed(ck->paths, ck->n, v->backing); /* rs's strings go with it */
		snprintf(who, sizeof(who), "the image %s (built on it)", v->path);
		append(out, outn, who);
		count++;
	}
	readers_free(&rs);
	return count;
}

int be_refuse_by_kind(const struct be_disk *d, enum be_disk_use use, struct be_error *err)
{
	char why[1200];

	if (be_disk_allows(d, use, why, sizeof(why)) >= 0)
		return 0;
	return be_refuse(err, "%s", why);
}

/* Refuses when anything ck counts reads one of its files. */
static int refuse_read(struct be_conn *c, const struct check *ck, const char *doing, struct be_error *err)
{
	char who[1500];
	const char *hit;
	int k = count_readers(c, ck, &hit, who, sizeof(who));

	if (k > 0)
		return be_refuse(err, "%s %s: read by %s", doing, hit, who);
	return 0;
}

int be_refuse_if_used(struct be_conn *c, const char *const *paths, size_t n, const char *vm, const char *disk,
		      const char *doing, struct be_error *err)
{
	struct check ck = {vm, disk, paths, n, false, false, paths, n, NULL};

	return refuse_read(c, &ck, doing, err);
}

int be_refuse_if_merged(struct be_conn *c, const char *path, const char *rebased, const char *vm, const char *disk,
			const char *doing, struct be_error *err)
{
	struct check ck = {vm, disk, &path, 1, false, false, &path, 1, rebased};

	return refuse_read(c, &ck, doing, err);
}

/* Refuses a write into ck's one file when anything ck counts reads it. */
static int refuse_write(struct be_conn *c, const struct check *ck, const char *doing, struct be_error *err)
{
	char who[1500];
	const char *hit;
	int k = count_readers(c, ck, &hit, who, sizeof(who));

	if (k > 0)
		return be_refuse(err, "%s %s: it would be written, and %s read%s it", doing, ck->paths[0], who,
				 k == 1 ? "s" : "");
	return 0;
}

int be_refuse_if_read(struct be_conn *c, const char *path, const char *vm, const char *disk,
		      const char *const *going, size_t ngoing, const char *doing, struct be_error *err)
{
	struct check ck = {vm, disk, &path, 1, true, false, going, ngoing, NULL};

	return refuse_write(c, &ck, doing, err);
}

int be_refuse_if_open(struct be_conn *c, const char *path, const char *vm, const char *disk, const char *doing,
		      struct be_error *err)
{
	struct check ck = {vm, disk, &path, 1, true, true, NULL, 0, NULL};

	return refuse_write(c, &ck, doing, err);
}

int be_refuse_if_written(struct be_conn *c, const char *path, const char *vm, const char *disk, const char *doing,
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
			rc = be_refuse(err, "%s %s: the disks of %s cannot be read (%.300s)", doing, path, name, e.msg);
		} else if (rc == 0) {
			for (k = 0; k < dl.n && rc == 0; k++)
				if (dl.d[k].nlayers && !strcmp(dl.d[k].layers[0].path, path) &&
				    (strcmp(name, vm) || strcmp(dl.d[k].target, disk)))
					rc = be_refuse(err, "%s %s: %s (disk %s) writes into it", doing, path, name,
						       dl.d[k].target);
			be_disk_list_clear(&dl);
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	return rc;
}

int be_volumes_delete(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err)
{
	if (be_refuse_if_used(c, paths, n, NULL, NULL, "Not deleting", err) < 0)
		return -1;
	return be_delete_volumes(c, paths, n, err);
}
