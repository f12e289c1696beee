/* Many reads at once on one connection (be_fanout): a fleet's details
 * and a big tree's snapshot XMLs come back whole, each VM's once, and
 * never more calls in flight than the connection's bound. On
 * test:///default, which one process shares between its connections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend/backend.h"
#include "backend/volfetch.h"
#include "shared/util.h"

#define FLEET 12
#define TREE 300 /* more snapshots than calls may be in flight */

static virConnectPtr lv;

static int make_vms(void **state)
{
	char xml[1000];
	virDomainPtr d;
	int i;

	(void)state;
	if (!(lv = virConnectOpen("test:///default")))
		return -1;
	for (i = 0; i <= FLEET; i++) {
		snprintf(xml, sizeof(xml),
			 "<domain type='test'><name>%s%02d</name><memory unit='KiB'>65536</memory><vcpu>2</vcpu>"
			 "<os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'>"
			 "<driver name='qemu' type='qcow2'/><source file='/fan/%02d.qcow2'/><target dev='vda'/>"
			 "</disk></devices></domain>",
			 i < FLEET ? "fan-" : "fan-tree", i < FLEET ? i : 0, i);
		if (!(d = virDomainDefineXML(lv, xml))) {
			fprintf(stderr, "fanout: cannot define a VM: %s\n", virGetLastErrorMessage());
			return -1;
		}
		/* A line of TREE snapshots: each made is the current one, the
		 * parent of the next. */
		for (int k = 0; i == FLEET && k < TREE; k++) {
			virDomainSnapshotPtr s;

			snprintf(xml, sizeof(xml),
				 "<domainsnapshot><name>t%03d</name><description>number %d</description>"
				 "</domainsnapshot>",
				 k, k);
			if (!(s = virDomainSnapshotCreateXML(d, xml, 0))) {
				fprintf(stderr, "fanout: cannot snapshot: %s\n", virGetLastErrorMessage());
				virDomainFree(d);
				return -1;
			}
			virDomainSnapshotFree(s);
		}
		virDomainFree(d);
	}
	return 0;
}

static int drop_vms(void **state)
{
	char name[32];
	int i;

	(void)state;
	for (i = 0; lv && i <= FLEET; i++) {
		virDomainPtr d;

		snprintf(name, sizeof(name), i < FLEET ? "fan-%02d" : "fan-tree00", i);
		if ((d = virDomainLookupByName(lv, name))) {
			virDomainUndefineFlags(d, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
			virDomainFree(d);
		}
	}
	if (lv)
		virConnectClose(lv);
	lv = NULL;
	return 0;
}

struct seen {
	int calls[FLEET + 2];
	bool ok[FLEET + 2];
};

static void done(void *ctx, size_t i, bool ok)
{
	struct seen *s = ctx;

	/* Each VM's answer is its own slot: no lock needed. */
	s->calls[i]++;
	s->ok[i] = ok;
}

/* vms: the fleet with a VM that is not there in the middle; n decides
 * whether handles come from one listing (many) or a lookup each (few).
 * depth: each fan VM's chain depth (NULL: 1 each). */
static void fleet_depths(size_t n, const int *depth)
{
	struct be_error err = {0};
	struct be_conn *c = be_open("test:///default", false, &err);
	struct be_vm vms[FLEET + 2] = {0};
	struct seen seen = {0};
	char name[32];
	size_t i, gone = n / 2;

	assert_non_null(c);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), i == gone ? "fan-gone" : "fan-%02zu", i - (i > gone));
		vms[i].name = xstrdup(name);
		vms[i].vcpus = vms[i].nsnap = vms[i].chain_depth = -1;
	}
	be_vms_details(c, vms, n, done, &seen);
	for (i = 0; i < n; i++) {
		assert_int_equal(seen.calls[i], 1);
		assert_int_equal(seen.ok[i], i != gone);
		if (i == gone)
			continue;
		assert_int_equal(vms[i].vcpus, 2);
		assert_int_equal(vms[i].mem_kib, 65536);
		assert_int_equal(vms[i].nsnap, 0);
		assert_int_equal(vms[i].chain_depth, depth ? depth[i - (i > gone)] : 1);
		assert_int_equal(strlen(vms[i].uuid), 36);
	}
	assert_true(be_calls_peak(c) >= 1 && be_calls_peak(c) <= BE_FANOUT_MAX);
	for (i = 0; i < n; i++)
		be_vm_clear(&vms[i]);
	be_close(c);
}

static void count_done(void *ctx, size_t i, bool ok)
{
	int *calls = ctx;

	assert_true(ok);
	calls[i]++; /* each VM's slot its own */
}

static void fleet(size_t n)
{
	fleet_depths(n, NULL);
}

static void fleet_details_from_one_listing(void **state)
{
	(void)state;
	fleet(FLEET + 1);
}

static void few_vms_details_by_lookup(void **state)
{
	(void)state;
	fleet(3);
}

/* More VMs than the head (32): the rest starts as the head ends, and
 * every VM is answered once (the fleet named again and again). */
static void fleet_beyond_the_head(void **state)
{
	struct be_error err = {0};
	struct be_conn *c = be_open("test:///default", false, &err);
	struct be_vm vms[4 * FLEET];
	int calls[4 * FLEET] = {0};
	size_t i, n = 4 * FLEET;
	char name[32];

	(void)state;
	assert_non_null(c);
	memset(vms, 0, sizeof(vms));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "fan-%02zu", i % FLEET);
		vms[i].name = xstrdup(name);
		vms[i].vcpus = vms[i].nsnap = vms[i].chain_depth = -1;
	}
	be_vms_details(c, vms, n, count_done, calls);
	for (i = 0; i < n; i++) {
		assert_int_equal(calls[i], 1);
		assert_int_equal(vms[i].nsnap, 0);
		assert_int_equal(vms[i].chain_depth, 1);
		be_vm_clear(&vms[i]);
	}
	assert_true(be_calls_peak(c) <= BE_FANOUT_MAX);
	be_close(c);
}

static virStorageVolPtr make_vol(virStoragePoolPtr pool, const char *name, const char *backing)
{
	char xml[600];

	snprintf(xml, sizeof(xml),
		 "<volume><name>%s</name><capacity>1048576</capacity><target><format type='qcow2'/></target>"
		 "%s%s%s</volume>",
		 name, backing ? "<backingStore><path>" : "", backing ? backing : "",
		 backing ? "</path><format type='qcow2'/></backingStore>" : "");
	return virStorageVolCreateXML(pool, xml, 0);
}

/* The fleet's chains walked through one listing of every pool's volumes
 * (many VMs) and through a lookup by path a layer (few) come out alike:
 * layers named unlike each other, one shared by two chains, and files in
 * no pool (the other VMs: one layer, nothing known below). */
static void fleet_chains_from_the_pools_list(void **state)
{
	static const char *const names[][2] = {
		{"00.qcow2", "/fan/7f3a9c.qcow2"}, {"7f3a9c.qcow2", "/fan/c1b2e4.qcow2"},
		{"c1b2e4.qcow2", NULL},            {"01.qcow2", "/fan/c1b2e4.qcow2"},
		{"02.qcow2", NULL},
	};
	int depth[FLEET] = {3, 2, 1};
	virStoragePoolPtr pool;
	size_t i;

	(void)state;
	for (i = 3; i < FLEET; i++)
		depth[i] = 1;
	pool = virStoragePoolCreateXML(
		lv, "<pool type='dir'><name>fan</name><target><path>/fan</path></target></pool>", 0);
	assert_non_null(pool);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		virStorageVolPtr v = make_vol(pool, names[i][0], names[i][1]);

		assert_non_null(v);
		virStorageVolFree(v);
	}
	/* The listing itself: by key, exactly; anything else is not in it. */
	{
		struct vol_cat *cat = vc_new(lv);
		virStorageVolPtr v = vc_find(cat, "/fan/7f3a9c.qcow2");

		assert_true(vc_count(cat) >= 5);
		assert_non_null(v);
		assert_string_equal(virStorageVolGetName(v), "7f3a9c.qcow2");
		assert_null(vc_find(cat, "/fan//7f3a9c.qcow2"));
		assert_null(vc_find(cat, "/fan/03.qcow2"));
		assert_null(vc_find(cat, ""));
		vc_free(cat);
	}
	fleet_depths(FLEET + 1, depth);
	fleet_depths(3, depth);
	virStoragePoolDestroy(pool);
	virStoragePoolFree(pool);
}

/* More XMLs than may be in flight: all read, in a line, the last made
 * current, and the bound held. */
static void big_tree_whole_within_the_bound(void **state)
{
	struct be_error err = {0};
	struct be_conn *c = be_open("test:///default", false, &err);
	struct be_snap_list l = {0};
	char want[32];
	size_t i, current = 0;

	(void)state;
	assert_non_null(c);
	assert_int_equal(be_snapshots(c, "fan-tree00", &l, &err), 0);
	assert_int_equal(l.n, TREE);
	for (i = 0; i < l.n; i++) {
		int k = atoi(l.s[i].name + 1);

		snprintf(want, sizeof(want), "number %d", k);
		assert_string_equal(l.s[i].description, want);
		if (k > 0) {
			snprintf(want, sizeof(want), "t%03d", k - 1);
			assert_non_null(l.s[i].parent);
			assert_string_equal(l.s[i].parent, want);
		}
		if (l.s[i].current) {
			current++;
			assert_string_equal(l.s[i].name, "t299");
		}
	}
	assert_int_equal(current, 1);
	assert_true(be_calls_peak(c) >= 1 && be_calls_peak(c) <= BE_FANOUT_MAX);
	be_snap_list_clear(&l);
	be_close(c);
}

int fanout_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fleet_details_from_one_listing),
		cmocka_unit_test(few_vms_details_by_lookup),
		cmocka_unit_test(fleet_chains_from_the_pools_list),
		cmocka_unit_test(fleet_beyond_the_head),
		cmocka_unit_test(big_tree_whole_within_the_bound),
	};

	return cmocka_run_group_tests_name("fanout", tests, make_vms, drop_vms);
}
