/* The plan of a revert to an external snapshot (src/backend/revertplan.c),
 * with no libvirt: the version gate (libvirt 9.7 reverts by itself, 9.0
 * does not), the fresh overlays on the frozen files, and every refusal,
 * made before anything is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

#define IMG "/var/lib/libvirt/images"
#define STAMP "20261208-011500"

/* lab now: vda on the overlay s1 made over base; vdb a data disk. */
static const char lab_xml[] = "<domain type='qemu'><name>lab</name><devices>"
			      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
			      "<source file='" IMG "/lab.s1'/><target dev='vda' bus='virtio'/></disk>"
			      "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
			      "<source pool='data' volume='lab-data.s1'/><target dev='vdb' bus='virtio'/></disk>"
			      "</devices></domain>";

/* A snapshot of lab: name, state, the memory element, the <disks> and the
 * file its own <domain> names for vda. */
static void snapshot(struct be_snapshot *s, const char *state, const char *memory, const char *vda_mode,
		     const char *vda_file)
{
	char xml[9000];

	snprintf(xml, sizeof(xml),
		 "<domainsnapshot><name>s1</name><state>%s</state>%s<disks>"
		 "<disk name='vda' snapshot='%s'/><disk name='vdb' snapshot='no'/></disks>"
		 "<domain type='qemu'><name>lab</name><devices>"
		 "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
		 "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
		 "</devices></domain></domainsnapshot>",
		 state, memory, vda_mode, vda_file);
	assert_int_equal(xml_parse_snapshot(xml, s), 0);
}

/* The plan, or fail with why. */
static int plan(const struct be_snapshot *s, enum be_vm_state st, unsigned long libver, const bool *gone,
		struct be_revert_plan *p, char *why, size_t n)
{
	struct be_disk_list dl;
	struct be_revert_req r = {"lab", st, libver, STAMP, gone};
	int rc;

	assert_int_equal(xml_parse_disks(lab_xml, &dl), 0);
	rc = be_revert_plan_make(s, &dl, &r, p, why, n);
	be_disk_list_clear(&dl);
	return rc;
}

/* libvirt 9.0 (9000000) does not revert external snapshots, 9.7 does. */
static void the_version_gate_is_9_7(void **state)
{
	struct be_snapshot s;
	struct be_revert_plan p;
	char why[400];

	(void)state;
	assert_false(be_libvirt_reverts_external(9000000));
	assert_false(be_libvirt_reverts_external(9006999));
	assert_true(be_libvirt_reverts_external(9007000));
	assert_true(be_libvirt_reverts_external(10000000));
	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external", IMG "/base.qcow2");
	/* 9.0: vmmanager's own revert. */
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.how, BE_REVERT_OVERLAYS);
	be_revert_plan_clear(&p);
	/* Not known: vmmanager's, the stricter. */
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 0, NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.how, BE_REVERT_OVERLAYS);
	be_revert_plan_clear(&p);
	/* 9.7: libvirt's, even for a running VM. */
	assert_int_equal(plan(&s, BE_VM_RUNNING, 9007000, NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.how, BE_REVERT_LIBVIRT);
	assert_int_equal(p.n, 0);
	be_revert_plan_clear(&p);
	be_snapshot_clear(&s);
	/* An internal snapshot is always libvirt's. */
	snapshot(&s, "shutoff", "<memory snapshot='no'/>", "internal", IMG "/lab.s1");
	assert_int_equal(plan(&s, BE_VM_RUNNING, 9000000, NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.how, BE_REVERT_LIBVIRT);
	be_snapshot_clear(&s);
}

/* Disk-only: a fresh overlay on the frozen file, beside it, named like
 * `o`'s; the disk the snapshot left out is not touched. */
static void a_disk_only_revert_puts_a_fresh_overlay_on_the_frozen_file(void **state)
{
	struct be_snapshot s;
	struct be_revert_plan p;
	char why[400];

	(void)state;
	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external", IMG "/base.qcow2");
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.how, BE_REVERT_OVERLAYS);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.d[0].disk, "vda");
	assert_string_equal(p.d[0].frozen, IMG "/base.qcow2");
	assert_string_equal(p.d[0].fresh, IMG "/lab-vda-" STAMP ".qcow2");
	assert_false(p.d[0].volume);
	assert_null(p.memfile);
	be_revert_plan_clear(&p);
	be_snapshot_clear(&s);

	/* The overlay it made, as its <disks> names it. */
	assert_int_equal(xml_parse_snapshot("<domainsnapshot><name>s1</name><state>disk-snapshot</state>"
					    "<disks><disk name='vda' snapshot='external' type='file'>"
					    "<source file='" IMG "/lab.s1'/></disk></disks><domain><devices>"
					    "<disk type='file' device='disk'><source file='" IMG "/base.qcow2'/>"
					    "<target dev='vda'/></disk></devices></domain></domainsnapshot>",
					    &s),
			 0);
	assert_int_equal(s.nfiles, 1);
	assert_string_equal(s.files[0].path, IMG "/base.qcow2");
	assert_string_equal(s.files[0].overlay, IMG "/lab.s1");
	be_snapshot_clear(&s);
}

/* A checkpoint: the same, and a restore from its memory file, paused when
 * it was taken paused. */
static void a_checkpoint_revert_restores_its_memory_file(void **state)
{
	struct be_snapshot s;
	struct be_revert_plan p;
	char why[400];

	(void)state;
	snapshot(&s, "running", "<memory snapshot='external' file='" IMG "/s1.mem'/>", "external", IMG "/base.qcow2");
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.how, BE_REVERT_RESTORE);
	assert_string_equal(p.memfile, IMG "/s1.mem");
	assert_false(p.paused);
	assert_int_equal(p.n, 1);
	be_revert_plan_clear(&p);
	be_snapshot_clear(&s);
	snapshot(&s, "paused", "<memory snapshot='external' file='" IMG "/s1.mem'/>", "external", IMG "/base.qcow2");
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), 0);
	assert_true(p.paused);
	be_revert_plan_clear(&p);
	be_snapshot_clear(&s);
}

/* Hostile names: XML specials, quotes, spaces, a name beginning with a
 * dash pass whole (libxml2 escapes them; no shell sees them); a control
 * character, a cut path, a relative one are refused. The VM's own name
 * in the fresh file is made tame. */
static void hostile_file_names(void **state)
{
	struct be_snapshot s;
	struct be_revert_plan p;
	struct be_disk_list dl;
	struct be_revert_req r = {"lab/../evil\n<x>", BE_VM_SHUTOFF, 9000000, STAMP, NULL};
	char why[400], longp[4200];

	(void)state;
	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external",
		 "/img/a &amp; b/-&apos;q&quot;&lt;x&gt; .qcow2");
	assert_int_equal(xml_parse_disks(lab_xml, &dl), 0);
	assert_int_equal(be_revert_plan_make(&s, &dl, &r, &p, why, sizeof(why)), 0);
	assert_string_equal(p.d[0].frozen, "/img/a & b/-'q\"<x> .qcow2");
	assert_string_equal(p.d[0].fresh, "/img/a & b/lab_.._evil__x_-vda-" STAMP ".qcow2");
	be_revert_plan_clear(&p);
	be_disk_list_clear(&dl);
	be_snapshot_clear(&s);

	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external", "/img/new&#10;line.qcow2");
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "control character"));
	be_snapshot_clear(&s);

	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external", "relative.qcow2");
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is not known"));
	be_snapshot_clear(&s);

	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[4090] = '/';
	longp[4095] = '\0';
	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external", longp);
	assert_int_equal(plan(&s, BE_VM_SHUTOFF, 9000000, NULL, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "too long a path"));
	be_snapshot_clear(&s);
}

/* One refusal: the plan is -1, empty, and why says want. */
static void refused(const struct be_snapshot *s, enum be_vm_state st, const bool *gone, const char *want)
{
	struct be_revert_plan p;
	char why[400];

	assert_int_equal(plan(s, st, 9000000, gone, &p, why, sizeof(why)), -1);
	assert_int_equal(p.n, 0);
	assert_null(p.d);
	if (!strstr(why, want))
		fail_msg("'%s' does not say '%s'", why, want);
}

/* Every case vmmanager cannot revert safely is refused with its reason. */
static void what_cannot_be_done_safely_is_refused(void **state)
{
	static const bool gone[] = {true};
	struct be_snapshot s;
	char xml[1024];

	(void)state;
	snapshot(&s, "disk-snapshot", "<memory snapshot='no'/>", "external", IMG "/base.qcow2");
	refused(&s, BE_VM_RUNNING, NULL, "holds no memory to go back to: shut it down first");
	refused(&s, BE_VM_PAUSED, NULL, "shut it down first");
	refused(&s, BE_VM_SAVED, NULL, "discard the saved state first");
	refused(&s, BE_VM_OTHER, NULL, "not known to be shut off");
	refused(&s, BE_VM_SHUTOFF, gone, IMG "/base.qcow2, which disk vda of 's1' froze, is gone");
	be_snapshot_clear(&s);

	snapshot(&s, "running", "<memory snapshot='external' file='" IMG "/s1.mem'/>", "external", IMG "/base.qcow2");
	refused(&s, BE_VM_RUNNING, NULL, "the revert starts it from the snapshot's memory");
	be_snapshot_clear(&s);

	/* Memory, but no file named. */
	snapshot(&s, "running", "<memory snapshot='external'/>", "external", IMG "/base.qcow2");
	refused(&s, BE_VM_SHUTOFF, NULL, "not in a file of its own");
	be_snapshot_clear(&s);

	/* A disk that froze a network disk. */
	snprintf(xml, sizeof(xml),
		 "<domainsnapshot><name>s1</name><state>disk-snapshot</state><memory snapshot='no'/><disks>"
		 "<disk name='vda' snapshot='external'/></disks><domain type='qemu'><name>lab</name><devices>"
		 "<disk type='network' device='disk'><source protocol='rbd' name='p/i'><host name='m'/></source>"
		 "<target dev='vda'/></disk></devices></domain></domainsnapshot>");
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	refused(&s, BE_VM_SHUTOFF, NULL, "froze a network disk, not a file");
	be_snapshot_clear(&s);

	/* Mixed: vda external, vdb internal. */
	snprintf(xml, sizeof(xml),
		 "<domainsnapshot><name>s1</name><state>disk-snapshot</state><memory snapshot='no'/><disks>"
		 "<disk name='vda' snapshot='internal'/><disk name='vdb' snapshot='external'/></disks>"
		 "<domain type='qemu'><name>lab</name><devices>"
		 "<disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda'/></disk>"
		 "<disk type='file' device='disk'><source file='/b.qcow2'/><target dev='vdb'/></disk>"
		 "</devices></domain></domainsnapshot>");
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	refused(&s, BE_VM_SHUTOFF, NULL, "mixes internal and external");
	be_snapshot_clear(&s);

	/* A disk the VM no longer has. */
	snprintf(xml, sizeof(xml),
		 "<domainsnapshot><name>s1</name><state>disk-snapshot</state><memory snapshot='no'/><disks>"
		 "<disk name='vdz' snapshot='external'/></disks><domain type='qemu'><name>lab</name><devices>"
		 "<disk type='file' device='disk'><source file='/z.qcow2'/><target dev='vdz'/></disk>"
		 "</devices></domain></domainsnapshot>");
	assert_int_equal(xml_parse_snapshot(xml, &s), 0);
	refused(&s, BE_VM_SHUTOFF, NULL, "lab has no disk vdz any more");
	be_snapshot_clear(&s);

	/* No embedded domain: which files it froze is not known. */
	assert_int_equal(xml_parse_snapshot("<domainsnapshot><name>s1</name><state>disk-snapshot</state>"
					    "<disks><disk name='vda' snapshot='external'/></disks></domainsnapshot>",
					    &s),
			 0);
	refused(&s, BE_VM_SHUTOFF, NULL, "names no files it froze");
	be_snapshot_clear(&s);
}

/* A checkpoint's memory is restored with the definition its XML embeds:
 * taken out whole, as a document of its own, text escaped. */
static void the_embedded_definition_is_taken_whole(void **state)
{
	char *dom;

	(void)state;
	dom = xml_snapshot_domain(
		"<domainsnapshot><name>s1</name><domain type='qemu'><name>a &amp; b</name>"
		"<devices><disk type='file'><source file='/i/x&lt;y.qcow2'/><target dev='vda'/></disk>"
		"</devices></domain></domainsnapshot>");
	assert_non_null(dom);
	assert_non_null(strstr(dom, "<domain type=\"qemu\">"));
	assert_non_null(strstr(dom, "<name>a &amp; b</name>"));
	assert_non_null(strstr(dom, "/i/x&lt;y.qcow2"));
	assert_null(strstr(dom, "domainsnapshot"));
	free(dom);
	assert_null(xml_snapshot_domain("<domainsnapshot><name>s1</name></domainsnapshot>"));
	assert_null(xml_snapshot_domain("not xml"));
}

int test_revertplan_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_version_gate_is_9_7),
		cmocka_unit_test(a_disk_only_revert_puts_a_fresh_overlay_on_the_frozen_file),
		cmocka_unit_test(a_checkpoint_revert_restores_its_memory_file),
		cmocka_unit_test(hostile_file_names),
		cmocka_unit_test(what_cannot_be_done_safely_is_refused),
		cmocka_unit_test(the_embedded_definition_is_taken_whole),
	};

	return cmocka_run_group_tests_name("revertplan", tests, NULL, NULL);
}
