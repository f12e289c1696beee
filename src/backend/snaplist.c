/* A VM's snapshots read with their details: every XML fetched, many at
 * once, and parsed. The data-safety checks and the VM screen read these. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"
#include "backend/xml.h"
#include "shared/util.h"

struct fetch {
	virDomainSnapshotPtr *snaps;
	struct be_snapshot *out;
	int *ok;              /* 1 read, 0 deleted meanwhile, -1 failed */
	struct be_error *err; /* the first failure (errors are per thread) */
	int n;
	pthread_mutex_t lock; /* guards err */
};

/* Fetches and parses snapshot i's XML; run for many at once. */
static void fetch_one(void *ctx, size_t i)
{
	struct fetch *f = ctx;
	char *xml = virDomainSnapshotGetXMLDesc(f->snaps[i], 0);

	if (xml) {
		f->ok[i] = xml_parse_snapshot(xml, &f->out[i]) == 0 ? 1 : -1;
	} else {
		virErrorPtr e = virGetLastError();

		f->ok[i] = e && e->code == VIR_ERR_NO_DOMAIN_SNAPSHOT ? 0 : -1;
		pthread_mutex_lock(&f->lock);
		if (f->ok[i] < 0 && !f->err->msg[0])
			be_set_err(f->err, "cannot read a snapshot");
		pthread_mutex_unlock(&f->lock);
	}
	free(xml);
}

/* The list and the current snapshot, which do not depend on each other:
 * asked at once. */
struct heads {
	virDomainPtr dom;
	virDomainSnapshotPtr *snaps;
	virDomainSnapshotPtr cur;
	int n;
	struct be_error err;
};

static void heads_task(void *ctx, size_t i)
{
	struct heads *h = ctx;

	if (i == 0) {
		h->n = virDomainListAllSnapshots(h->dom, &h->snaps, 0);
		if (h->n < 0)
			be_set_err(&h->err, "cannot list snapshots");
	} else {
		/* No current snapshot is an error here, not a call more
		 * (virDomainHasCurrentSnapshot) before it. */
		h->cur = virDomainSnapshotCurrent(h->dom, 0);
		virResetLastError();
	}
}

int be_snapshots(struct be_conn *c, const char *vm, struct be_snap_list *out, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	struct heads h = {0};
	struct fetch f = {0};
	const char *curname = NULL;
	bool failed = false;
	int i, n;

	memset(out, 0, sizeof(*out));
	if (!dom)
		return -1;
	h.dom = dom;
	parallel_for(2, 2, heads_task, &h);
	if ((n = h.n) < 0) {
		*err = h.err;
		if (h.cur)
			virDomainSnapshotFree(h.cur);
		virDomainFree(dom);
		return -1;
	}
	f.snaps = h.snaps;
	if (h.cur)
		curname = virDomainSnapshotGetName(h.cur);
	f.n = n;
	f.err = err;
	err->msg[0] = '\0';
	f.out = xcalloc((size_t)n, sizeof(*f.out));
	f.ok = xcalloc((size_t)n, sizeof(*f.ok));
	pthread_mutex_init(&f.lock, NULL);
	/* Every XML at once, up to the connection's bound. */
	be_fanout(c, (size_t)f.n, fetch_one, &f);
	pthread_mutex_destroy(&f.lock);
	out->s = xcalloc((size_t)n, sizeof(*out->s));
	for (i = 0; i < n; i++) {
		/* A snapshot deleted meanwhile has no XML: leave it out. */
		if (f.ok[i] < 0)
			failed = true;
		if (f.ok[i] > 0) {
			f.out[i].current = curname && !strcmp(curname, f.out[i].name);
			out->s[out->n++] = f.out[i];
		} else {
			be_snapshot_clear(&f.out[i]);
		}
		virDomainSnapshotFree(f.snaps[i]);
	}
	if (h.cur)
		virDomainSnapshotFree(h.cur);
	free(f.snaps);
	free(f.out);
	free(f.ok);
	be_resolve_snapshots(c, out);
	virDomainFree(dom);
	if (failed) {
		/* A partial tree would look like snapshots gone: say it failed. */
		be_snap_list_clear(out);
		if (!err->msg[0])
			str_copy(err->msg, "a snapshot's XML could not be read", sizeof(err->msg));
		return -1;
	}
	return 0;
}
