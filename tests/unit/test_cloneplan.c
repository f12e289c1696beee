/* The plan of a clone (src/backend/cloneplan.c), with no libvirt: which
 * files are made and where, which definitions are written, and how the
 * steps done are undone when the next one fails. The source's disks come
 * from its own definition, as the backend parses it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cloneplan.h"
#include "backend/xml.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

#define IMG "/var/lib/libvirt/images"
#define TOP IMG "/lab.qcow2"
#define GOLD "/srv/golden/gold.qcow2"
#define DATA "/data/lab-data.qcow2"
#define ISO "/srv/iso/debian.iso"
#define TOOLS "/srv/tools/tools.img"
#define NVRAM "/var/lib/libvirt/qemu/nvram/lab_VARS.fd"
#define STAMP "20261207-234500"

/* lab, shut off: vda its own top on the golden image, vdb a data disk in
 * another folder, a CD-ROM, a read-only disk, an interface, UEFI. */
static const char lab_xml[] =
	"<domain type='kvm'><name>lab</name><uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>"
	"<memory unit='KiB'>65536</memory>"
	"<os><type arch='x86_64'>hvm</type>"
	"<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
	"<nvram>" NVRAM "</nvram></os><devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='" TOP "'/>"
	"<backingStore type='file'><format type='qcow2'/><source file='" GOLD "'/><backingStore/></backingStore>"
	"<target dev='vda' bus='virtio'/></disk>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='" DATA "'/><target dev='vdb' bus='virtio'/></disk>"
	"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
	"<source file='" ISO "'/><target dev='sda' bus='sata'/><readonly/></disk>"
	"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
	"<source file='" TOOLS "'/><target dev='vdc' bus='virtio'/><readonly/></disk>"
	"<interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/>"
	"<model type='virtio'/></interface>"
	"</devices></domain>";

struct cp_fixture {
	struct be_disk_list dl;
	struct clone_plan p;
};

static int cp_setup(void **state)
{
	struct cp_fixture *f = xcalloc(1, sizeof(*f));

	assert_int_equal(xml_parse_disks(lab_xml, &f->dl), 0);
	assert_int_equal(f->dl.n, 4);
	assert_int_equal(f->dl.d[0].nlayers, 2);
	*state = f;
	return 0;
}

static int cp_teardown(void **state)
{
	struct cp_fixture *f = *state;

	clone_plan_clear(&f->p);
	be_disk_list_clear(&f->dl);
	free(f);
	return 0;
}

/* The plan of lab's clone named name (kind full; from disk's layer). */
static void plan(struct cp_fixture *f, const char *name, bool full, const char *disk, const char *layer)
{
	struct clone_req r = {"lab", name, full, disk, layer, STAMP};
	struct be_error err = {0};

	if (clone_plan_make(&f->dl, lab_xml, &r, &f->p, &err) < 0)
		fail_msg("no plan: %s", err.msg);
}

static void assert_step(const struct clone_plan *p, size_t i, enum cp_step_kind kind, const char *path)
{
	assert_true(i < p->nsteps);
	assert_int_equal(p->steps[i].kind, kind);
	if (path)
		assert_string_equal(p->steps[i].path, path);
	else
		assert_null(p->steps[i].path);
}

static void assert_referenced(const struct cp_disk *d, const char *target)
{
	assert_string_equal(d->target, target);
	assert_int_equal(d->make, CP_REFERENCED);
	assert_null(d->path);
	assert_null(d->fresh);
	assert_null(d->from);
}

/* Linked: each disk an overlay on the source's active layer, named after
 * the clone in that layer's folder; the source a fresh overlay of its own
 * on each; the CD-ROM and the read-only disk referenced. */
static void a_linked_clone_overlays_each_disk_and_moves_the_source(void **state)
{
	struct cp_fixture *f = *state;
	const struct clone_plan *p = &f->p;

	plan(f, "lab2", false, NULL, NULL);
	assert_int_equal(p->n, 4);
	assert_string_equal(p->d[0].target, "vda");
	assert_int_equal(p->d[0].make, CP_OVERLAY);
	assert_int_equal(p->d[0].layer, 0);
	assert_string_equal(p->d[0].from, TOP);
	assert_string_equal(p->d[0].path, IMG "/lab2-vda.qcow2");
	assert_string_equal(p->d[0].fresh, IMG "/lab-vda-" STAMP ".qcow2");
	assert_string_equal(p->d[1].target, "vdb");
	assert_int_equal(p->d[1].make, CP_OVERLAY);
	assert_string_equal(p->d[1].from, DATA);
	assert_string_equal(p->d[1].path, "/data/lab2-vdb.qcow2");
	assert_string_equal(p->d[1].fresh, "/data/lab-vdb-" STAMP ".qcow2");
	assert_referenced(&p->d[2], "sda");
	assert_referenced(&p->d[3], "vdc");
	assert_string_equal(p->nvram, NVRAM);
	assert_string_equal(p->nvram_copy, "/var/lib/libvirt/qemu/nvram/lab2_VARS.fd");

	assert_int_equal(p->nsteps, 7);
	assert_step(p, 0, CP_STEP_CLONE_FILE, IMG "/lab2-vda.qcow2");
	assert_step(p, 1, CP_STEP_FRESH_OVERLAY, IMG "/lab-vda-" STAMP ".qcow2");
	assert_step(p, 2, CP_STEP_CLONE_FILE, "/data/lab2-vdb.qcow2");
	assert_step(p, 3, CP_STEP_FRESH_OVERLAY, "/data/lab-vdb-" STAMP ".qcow2");
	assert_step(p, 4, CP_STEP_NVRAM_COPY, "/var/lib/libvirt/qemu/nvram/lab2_VARS.fd");
	assert_step(p, 5, CP_STEP_DEFINE_CLONE, NULL);
	assert_step(p, 6, CP_STEP_DEFINE_SOURCE, NULL);
	assert_int_equal(p->steps[0].disk, 0);
	assert_int_equal(p->steps[3].disk, 1);
}

/* The source's new definition: each disk on its fresh overlay, the rest
 * of it as it was. */
static void the_source_is_written_onto_its_fresh_overlays(void **state)
{
	struct cp_fixture *f = *state;
	struct be_disk_list dl;

	plan(f, "lab2", false, NULL, NULL);
	assert_non_null(f->p.source_xml);
	assert_int_equal(xml_parse_disks(f->p.source_xml, &dl), 0);
	assert_int_equal(dl.n, 4);
	assert_string_equal(dl.d[0].layers[0].path, IMG "/lab-vda-" STAMP ".qcow2");
	assert_string_equal(dl.d[1].layers[0].path, "/data/lab-vdb-" STAMP ".qcow2");
	assert_string_equal(dl.d[2].layers[0].path, ISO);
	assert_string_equal(dl.d[3].layers[0].path, TOOLS);
	be_disk_list_clear(&dl);
	assert_non_null(strstr(f->p.source_xml, "<name>lab</name>"));
	assert_non_null(strstr(f->p.source_xml, "1b4e28ba-2fa1-11d2-883f-0016d3cca427"));
	assert_non_null(strstr(f->p.source_xml, "52:54:00:12:34:56"));
	assert_non_null(strstr(f->p.source_xml, "<nvram>" NVRAM "</nvram>"));
}

/* Full: each disk a standalone copy of the source's whole chain (from its
 * active layer); the source keeps its files, its definition untouched. */
static void a_full_clone_copies_each_chain_and_leaves_the_source(void **state)
{
	struct cp_fixture *f = *state;
	const struct clone_plan *p = &f->p;

	plan(f, "lab3", true, NULL, NULL);
	assert_int_equal(p->d[0].make, CP_COPY);
	assert_string_equal(p->d[0].from, TOP);
	assert_string_equal(p->d[0].path, IMG "/lab3-vda.qcow2");
	assert_null(p->d[0].fresh);
	assert_int_equal(p->d[1].make, CP_COPY);
	assert_string_equal(p->d[1].path, "/data/lab3-vdb.qcow2");
	assert_null(p->d[1].fresh);
	assert_referenced(&p->d[2], "sda");
	assert_referenced(&p->d[3], "vdc");
	assert_null(p->source_xml);
	assert_int_equal(p->nsteps, 4);
	assert_step(p, 0, CP_STEP_CLONE_FILE, IMG "/lab3-vda.qcow2");
	assert_step(p, 1, CP_STEP_CLONE_FILE, "/data/lab3-vdb.qcow2");
	assert_step(p, 2, CP_STEP_NVRAM_COPY, "/var/lib/libvirt/qemu/nvram/lab3_VARS.fd");
	assert_step(p, 3, CP_STEP_DEFINE_CLONE, NULL);
}

/* From a layer (the chain pane): the chosen disk an overlay on that layer,
 * named in the folder of the source's active layer; the source does not
 * write that layer, so it keeps its file there. Its other disks are
 * cloned as a linked clone's are. */
static void a_clone_from_a_layer_builds_on_it(void **state)
{
	struct cp_fixture *f = *state;
	const struct clone_plan *p = &f->p;

	plan(f, "student1", false, "vda", GOLD);
	assert_int_equal(p->d[0].make, CP_OVERLAY);
	assert_int_equal(p->d[0].layer, 1);
	assert_string_equal(p->d[0].from, GOLD);
	assert_string_equal(p->d[0].path, IMG "/student1-vda.qcow2");
	assert_null(p->d[0].fresh);
	assert_int_equal(p->d[1].make, CP_OVERLAY);
	assert_string_equal(p->d[1].from, DATA);
	assert_string_equal(p->d[1].fresh, "/data/lab-vdb-" STAMP ".qcow2");
	assert_referenced(&p->d[2], "sda");
	assert_int_equal(p->nsteps, 6);
	assert_step(p, 0, CP_STEP_CLONE_FILE, IMG "/student1-vda.qcow2");
	assert_step(p, 1, CP_STEP_CLONE_FILE, "/data/student1-vdb.qcow2");
	assert_step(p, 2, CP_STEP_FRESH_OVERLAY, "/data/lab-vdb-" STAMP ".qcow2");
	assert_step(p, 5, CP_STEP_DEFINE_SOURCE, NULL);
}

/* The clone's definition: its name, no UUID, no MAC (libvirt makes new
 * ones), its disks on their new files with no old chain, its own NVRAM;
 * the CD-ROM, the read-only disk and the interface kept. */
static void the_clone_gets_a_definition_of_its_own(void **state)
{
	struct cp_fixture *f = *state;
	struct be_disk_list dl;
	const char *x;

	plan(f, "lab2", false, NULL, NULL);
	x = f->p.clone_xml;
	assert_non_null(x);
	assert_non_null(strstr(x, "<name>lab2</name>"));
	assert_null(strstr(x, "<name>lab</name>"));
	assert_null(strstr(x, "<uuid"));
	assert_null(strstr(x, "1b4e28ba"));
	assert_null(strstr(x, "<mac"));
	assert_null(strstr(x, "52:54:00:12:34:56"));
	assert_non_null(strstr(x, "<interface type=\"network\">"));
	assert_non_null(strstr(x, "<nvram>/var/lib/libvirt/qemu/nvram/lab2_VARS.fd</nvram>"));
	assert_null(strstr(x, NVRAM));
	assert_int_equal(xml_parse_disks(x, &dl), 0);
	assert_int_equal(dl.n, 4);
	assert_string_equal(dl.d[0].layers[0].path, IMG "/lab2-vda.qcow2");
	assert_int_equal(dl.d[0].nlayers, 1); /* the old <backingStore> dropped */
	assert_string_equal(dl.d[0].layers[0].format, "qcow2");
	assert_string_equal(dl.d[1].layers[0].path, "/data/lab2-vdb.qcow2");
	assert_string_equal(dl.d[2].layers[0].path, ISO);
	assert_int_equal(dl.d[2].device, BE_DEV_CDROM);
	assert_string_equal(dl.d[3].layers[0].path, TOOLS);
	assert_true(dl.d[3].readonly);
	be_disk_list_clear(&dl);
	assert_null(strstr(x, TOP));
	assert_null(strstr(x, DATA));
}

/* A volume disk (its active layer a file of pool "images") stays a volume
 * disk in both definitions: the clone's file and the source's fresh
 * overlay are named as volumes of that pool, by their files' names. */
static void a_volume_disk_stays_a_volume(void **state)
{
	struct cp_fixture *f = *state;
	struct be_disk *d = &f->dl.d[0];
	struct be_disk_list dl;

	d->type = d->layers[0].type = BE_SRC_VOLUME;
	d->layers[0].pool = xstrdup("images");
	d->layers[0].volume = xstrdup("lab.qcow2");
	d->layers[0].volume_file = true;
	plan(f, "lab2", false, NULL, NULL);
	assert_string_equal(f->p.d[0].pool, "images");
	assert_null(f->p.d[1].pool); /* a file disk stays a file disk */
	assert_non_null(strstr(f->p.clone_xml, "<source pool=\"images\" volume=\"lab2-vda.qcow2\"/>"));
	assert_non_null(strstr(f->p.source_xml, "<source pool=\"images\" volume=\"lab-vda-" STAMP ".qcow2\"/>"));
	assert_int_equal(xml_parse_disks(f->p.clone_xml, &dl), 0);
	assert_int_equal(dl.d[0].type, BE_SRC_VOLUME);
	assert_int_equal(dl.d[1].type, BE_SRC_FILE);
	assert_string_equal(dl.d[1].layers[0].path, "/data/lab2-vdb.qcow2");
	be_disk_list_clear(&dl);
}

/* Files and ports the source uses at run time are the clone's own: its
 * serial log and socket paths carry its name, a fixed VNC port becomes
 * any free one; a pty and an automatic port stay as they are. */
static void the_clone_runs_on_files_of_its_own(void **state)
{
	static const char xml[] =
		"<domain type='kvm'><name>lab</name><devices>"
		"<serial type='file'><source path='/var/log/vm/lab-serial.log'/><target port='0'/></serial>"
		"<console type='pty'><log file='/var/log/vm/console.log'/><target type='serial'/></console>"
		"<serial type='file'><source path='/var/log/vm/labserial.log'/><target port='1'/></serial>"
		"<channel type='unix'><source mode='bind' path='/run/vm/lab.agent'/>"
		"<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
		"<graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'/>"
		"<graphics type='spice' port='-1' autoport='yes'/>"
		"</devices></domain>";
	char *x;

	(void)state;
	x = xml_clone_domain(xml, "lab2", NULL);
	assert_non_null(x);
	assert_non_null(strstr(x, "path=\"/var/log/vm/lab2-serial.log\""));
	assert_non_null(strstr(x, "file=\"/var/log/vm/lab2-console.log\""));
	assert_non_null(strstr(x, "path=\"/var/log/vm/lab2-labserial.log\"")); /* not a word */
	assert_non_null(strstr(x, "path=\"/run/vm/lab2.agent\""));
	assert_null(strstr(x, "5901"));
	assert_non_null(strstr(x, "<graphics type=\"vnc\" autoport=\"yes\" listen=\"127.0.0.1\"/>"));
	assert_non_null(strstr(x, "<graphics type=\"spice\" port=\"-1\" autoport=\"yes\"/>"));
	assert_non_null(strstr(x, "<console type=\"pty\">"));
	free(x);
}

/* A name that is markup stays text in the definition and the files. */
static void a_clone_name_is_text(void **state)
{
	struct cp_fixture *f = *state;

	plan(f, "a&b<c>", false, NULL, NULL);
	assert_non_null(strstr(f->p.clone_xml, "<name>a&amp;b&lt;c&gt;</name>"));
	assert_string_equal(f->p.d[0].path, IMG "/a&b<c>-vda.qcow2");
}

static void refused(struct cp_fixture *f, const char *name, bool full, const char *disk, const char *layer,
		    const char *why)
{
	struct clone_req r = {"lab", name, full, disk, layer, STAMP};
	struct be_error err = {0};

	assert_int_equal(clone_plan_make(&f->dl, lab_xml, &r, &f->p, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	if (!strstr(err.msg, why))
		fail_msg("refused with '%s', not '%s'", err.msg, why);
	assert_null(f->p.d);
	assert_int_equal(f->p.nsteps, 0);
}

/* Refused before anything is made: a layer not in the chain, a disk the
 * VM lacks, a full clone from a layer, a CD-ROM chosen, a network disk. */
static void plans_refused_make_nothing(void **state)
{
	struct cp_fixture *f = *state;
	struct be_disk *d = &f->dl.d[1];

	refused(f, "x", false, "vda", "/cl/nowhere.qcow2", "/cl/nowhere.qcow2 is not in the chain of vda of lab");
	refused(f, "x", false, "vdz", "/x", "lab has no disk vdz");
	refused(f, "x", true, "vda", GOLD, "a clone from a layer is a linked clone");
	refused(f, "x", false, "sda", ISO, "sda is a CD-ROM");
	d->type = d->layers[0].type = BE_SRC_NETWORK;
	refused(f, "x", false, NULL, NULL, "vdb is a network disk");
}

/* A clone's file whose name is taken (here the source's own data disk is
 * named like the clone's): the plan names it all the same, as the code
 * always did, and making it fails (the storage pool has a volume of that
 * name); the undo of that failure never deletes the file that was there. */
static void a_taken_name_is_never_undone(void **state)
{
	struct cp_fixture *f = *state;
	struct cp_undo u[8];
	size_t i, n;

	free(f->dl.d[1].layers[0].path);
	f->dl.d[1].layers[0].path = xstrdup("/data/lab2-vdb.qcow2");
	plan(f, "lab2", false, NULL, NULL);
	assert_string_equal(f->p.d[1].path, "/data/lab2-vdb.qcow2");
	assert_step(&f->p, 2, CP_STEP_CLONE_FILE, "/data/lab2-vdb.qcow2");
	n = clone_undo(&f->p, 2, u);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		assert_string_not_equal(u[i].path, "/data/lab2-vdb.qcow2");
}

/* Whether u (n long) deletes path, and where. */
static long undo_at(const struct cp_undo *u, size_t n, enum cp_undo_kind kind, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (u[i].kind == kind && (!path || (u[i].path && !strcmp(u[i].path, path))))
			return (long)i;
	return -1;
}

/* A failure at each step of a linked clone: what the steps before it made
 * is all undone, nothing else; the last made first, so the clone is
 * undefined before its files go, and the source (once moved) is back on
 * its old definition before its fresh overlays go. */
static void a_failure_at_each_step_is_undone(void **state)
{
	struct cp_fixture *f = *state;
	const struct clone_plan *p = &f->p;
	struct cp_undo u[8];
	size_t fail, i, n;

	plan(f, "lab2", false, NULL, NULL);
	for (fail = 0; fail <= p->nsteps; fail++) {
		n = clone_undo(p, fail, u);
		assert_int_equal(n, fail);
		for (i = 0; i < n; i++) {
			const struct cp_step *s = &p->steps[u[i].step];

			assert_int_equal(u[i].step, fail - 1 - i); /* the last done first */
			switch (s->kind) {
			case CP_STEP_DEFINE_SOURCE: assert_int_equal(u[i].kind, CP_UNDO_RESTORE_SOURCE); break;
			case CP_STEP_DEFINE_CLONE: assert_int_equal(u[i].kind, CP_UNDO_UNDEFINE_CLONE); break;
			default:
				assert_int_equal(u[i].kind, CP_UNDO_DELETE_FILE);
				assert_string_equal(u[i].path, s->path);
			}
		}
	}
	/* Each file made by the steps before the one failing is deleted. */
	n = clone_undo(p, 3, u);
	assert_true(undo_at(u, n, CP_UNDO_DELETE_FILE, IMG "/lab2-vda.qcow2") >= 0);
	assert_true(undo_at(u, n, CP_UNDO_DELETE_FILE, IMG "/lab-vda-" STAMP ".qcow2") >= 0);
	assert_true(undo_at(u, n, CP_UNDO_DELETE_FILE, "/data/lab2-vdb.qcow2") >= 0);
	assert_int_equal(undo_at(u, n, CP_UNDO_UNDEFINE_CLONE, NULL), -1);
	assert_int_equal(undo_at(u, n, CP_UNDO_RESTORE_SOURCE, NULL), -1);
	/* The source's definition failing (the last step): the clone goes
	 * first, then every file, the NVRAM copy among them. */
	n = clone_undo(p, 6, u);
	assert_int_equal(undo_at(u, n, CP_UNDO_UNDEFINE_CLONE, NULL), 0);
	assert_true(undo_at(u, n, CP_UNDO_DELETE_FILE, "/var/lib/libvirt/qemu/nvram/lab2_VARS.fd") > 0);
	assert_int_equal(undo_at(u, n, CP_UNDO_RESTORE_SOURCE, NULL), -1);
	/* Everything done and then undone: the source restored first, before
	 * its fresh overlays are deleted. */
	n = clone_undo(p, p->nsteps, u);
	assert_int_equal(n, 7);
	assert_int_equal(undo_at(u, n, CP_UNDO_RESTORE_SOURCE, NULL), 0);
	assert_int_equal(undo_at(u, n, CP_UNDO_UNDEFINE_CLONE, NULL), 1);
	assert_true(undo_at(u, n, CP_UNDO_DELETE_FILE, IMG "/lab-vda-" STAMP ".qcow2") > 0);
	assert_true(undo_at(u, n, CP_UNDO_DELETE_FILE, "/data/lab-vdb-" STAMP ".qcow2") > 0);
	/* Nothing done: nothing to undo. */
	assert_int_equal(clone_undo(p, 0, u), 0);
}

int test_cloneplan_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_linked_clone_overlays_each_disk_and_moves_the_source, cp_setup,
						cp_teardown),
		cmocka_unit_test_setup_teardown(the_source_is_written_onto_its_fresh_overlays, cp_setup, cp_teardown),
		cmocka_unit_test_setup_teardown(a_full_clone_copies_each_chain_and_leaves_the_source, cp_setup,
						cp_teardown),
		cmocka_unit_test_setup_teardown(a_clone_from_a_layer_builds_on_it, cp_setup, cp_teardown),
		cmocka_unit_test_setup_teardown(the_clone_gets_a_definition_of_its_own, cp_setup, cp_teardown),
		cmocka_unit_test_setup_teardown(a_volume_disk_stays_a_volume, cp_setup, cp_teardown),
		cmocka_unit_test(the_clone_runs_on_files_of_its_own),
		cmocka_unit_test_setup_teardown(a_clone_name_is_text, cp_setup, cp_teardown),
		cmocka_unit_test_setup_teardown(plans_refused_make_nothing, cp_setup, cp_teardown),
		cmocka_unit_test_setup_teardown(a_taken_name_is_never_undone, cp_setup, cp_teardown),
		cmocka_unit_test_setup_teardown(a_failure_at_each_step_is_undone, cp_setup, cp_teardown),
	};

	return cmocka_run_group_tests_name("cloneplan", tests, NULL, NULL);
}
