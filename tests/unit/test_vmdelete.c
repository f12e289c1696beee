/* Deleting a VM (U in the VM list): which images go and which stay, read
 * from the images model; the question, the typed name, and the command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "core/app.h"
#include "core/keymap.h"
#include "core/vmdelete.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

#define GOLD "/srv/golden/golden.qcow2"
#define LAB1_TOP "/var/lib/libvirt/images/lab1.qcow2"
#define LAB1_OLD "/var/lib/libvirt/images/lab1-old.qcow2"
#define LAB2_TOP "/var/lib/libvirt/images/lab2.qcow2"
#define ISO "/srv/iso/debian.iso"
#define SOLO "/var/lib/libvirt/images/solo.img"

/* lab1 and lab2 shut off, web running; "solo" shut off on a raw disk. */
static int vd_setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm vms[] = {
		unit_vm("lab1", BE_VM_SHUTOFF, 1, 2),
		unit_vm("lab2", BE_VM_SHUTOFF, 0, 2),
		unit_vm("solo", BE_VM_SAVED, 0, 1),
		unit_vm("web", BE_VM_RUNNING, 0, 1),
	};

	app_init(a, "test:///x", "host1", false);
	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL);
	*state = a;
	return 0;
}

static int vd_teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

static struct cmds vd_key(struct app *a, int k)
{
	struct event ev = {.type = EV_KEY, .key = k};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
	event_clear(&ev);
	return out;
}

static void vd_type(struct app *a, const char *s)
{
	while (*s)
		vd_key(a, (unsigned char)*s++);
}

static struct be_disk *vd_disk(struct vm_disks *v, const char *target)
{
	struct be_disk *d;

	v->disks.d = xrealloc(v->disks.d, (v->disks.n + 1) * sizeof(*d));
	d = &v->disks.d[v->disks.n++];
	memset(d, 0, sizeof(*d));
	d->target = xstrdup(target);
	d->end = BE_END_COMPLETE;
	return d;
}

/* The kernel lab: lab1 and lab2 each on an overlay of the golden image;
 * lab1 also has a CD-ROM and a snapshot living in an older file that its
 * disk moved on from; solo has a raw disk of its own. */
static void vd_images(struct app *a)
{
	struct event ev = {.type = EV_IMAGES};
	struct be_disk *d;
	struct be_snapshot *s;

	ev.chains.v = xcalloc(3, sizeof(*ev.chains.v));
	ev.chains.n = 3;
	ev.chains.v[0].vm = xstrdup("lab1");
	d = vd_disk(&ev.chains.v[0], "vda");
	xml_disk_push(d, LAB1_TOP, "qcow2");
	xml_disk_push(d, GOLD, "qcow2");
	d = vd_disk(&ev.chains.v[0], "hdc");
	d->device = BE_DEV_CDROM;
	d->readonly = true;
	xml_disk_push(d, ISO, "raw");
	ev.chains.v[0].snaps.s = s = xcalloc(1, sizeof(*s));
	ev.chains.v[0].snaps.n = 1;
	s->name = xstrdup("before");
	s->description = xstrdup("");
	s->disks = xstrdup("vda internal");
	s->files = xcalloc(1, sizeof(*s->files));
	s->nfiles = 1;
	s->files[0].disk = xstrdup("vda");
	s->files[0].path = xstrdup(LAB1_OLD);
	ev.chains.v[1].vm = xstrdup("lab2");
	d = vd_disk(&ev.chains.v[1], "vda");
	xml_disk_push(d, LAB2_TOP, "qcow2");
	xml_disk_push(d, GOLD, "qcow2");
	ev.chains.v[2].vm = xstrdup("solo");
	d = vd_disk(&ev.chains.v[2], "vda");
	xml_disk_push(d, SOLO, "raw");
	app_handle(a, &ev, &(struct cmds){0});
	event_clear(&ev);
}

static void select_vm(struct app *a, const char *vm)
{
	a->list_pos.sel = 0;
	while (vmlist_selected(a) && strcmp(vmlist_selected(a)->name, vm))
		vd_key(a, 'j');
	assert_non_null(vmlist_selected(a));
	assert_string_equal(vmlist_selected(a)->name, vm);
}

static void the_plan_keeps_what_others_use(void **state)
{
	struct app *a = *state;
	struct vmdelete_plan p;

	vd_images(a);
	vmdelete_plan(&a->images, "lab1", &p);
	/* Its own overlay and the file only its snapshot holds go; the golden
	 * image lab2 reads and the CD-ROM's medium stay, with why. */
	assert_int_equal(p.ngoes, 2);
	assert_string_equal(p.goes[0], LAB1_TOP);
	assert_string_equal(p.goes[1], LAB1_OLD);
	assert_int_equal(p.nstays, 2);
	assert_string_equal(p.stays[0], ISO ": cdrom, referenced, never deleted with a VM");
	assert_string_equal(p.stays[1], GOLD ": used by lab2 (disk vda)");
	vmdelete_plan_free(&p);
	/* The last VM on the golden image takes it along. */
	vmdelete_plan(&a->images, "lab2", &p);
	assert_int_equal(p.ngoes, 1);
	assert_string_equal(p.goes[0], LAB2_TOP);
	assert_int_equal(p.nstays, 1);
	vmdelete_plan_free(&p);
}

static void a_running_vm_is_refused(void **state)
{
	struct app *a = *state;
	struct cmds out;

	vd_images(a);
	select_vm(a, "web");
	out = vd_key(a, 'U');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_string_equal(a->status, "web is running: force it off first (X), then U deletes it");
}

static void the_images_are_read_first(void **state)
{
	struct app *a = *state;
	struct cmds out;

	select_vm(a, "lab1");
	out = vd_key(a, 'U');
	assert_non_null(cmds_find(&out, CMD_LOAD_IMAGES));
	assert_null(cmds_find(&out, CMD_VM_DELETE));
	assert_int_equal(a->dlg.kind, DLG_NONE);
	/* The question opens by itself once the images are read. */
	vd_images(a);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.title, "Delete the VM lab1");
}

/* A key pressed while the images are read drops the question: it never
 * opens on a list the user has moved on in. */
static void a_key_meanwhile_drops_the_question(void **state)
{
	struct app *a = *state;

	select_vm(a, "lab1");
	vd_key(a, 'U');
	vd_key(a, 'j');
	vd_images(a);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	/* Read again later: still nothing asked. */
	vd_images(a);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	select_vm(a, "lab1");
	vd_key(a, 'U'); /* the images are there now: asked at once */
	assert_int_equal(a->dlg.kind, DLG_FORM);
}

static void deleting_images_asks_for_the_name(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;

	vd_images(a);
	select_vm(a, "lab1");
	vd_key(a, 'U');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.title, "Delete the VM lab1");
	/* It names what goes and what stays. */
	assert_non_null(strstr(a->dlg.text, "the definition of lab1"));
	assert_non_null(strstr(a->dlg.text, "the metadata of its snapshots (1)"));
	assert_non_null(strstr(a->dlg.text, "NVRAM"));
	assert_non_null(strstr(a->dlg.text, "the image " LAB1_TOP "\n"));
	assert_non_null(strstr(a->dlg.text, "the image " LAB1_OLD "\n"));
	assert_non_null(strstr(a->dlg.text, "Stays:\n  " ISO ": cdrom"));
	assert_non_null(strstr(a->dlg.text, GOLD ": used by lab2 (disk vda)"));
	/* y is no answer here, nor a wrong name. */
	out = vd_key(a, 'y');
	assert_int_equal(out.n, 0);
	out = vd_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_VM_DELETE));
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_true(a->status_error);
	vd_key(a, 21); /* Ctrl-U clears */
	vd_type(a, "lab");
	out = vd_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_VM_DELETE));
	vd_type(a, "1");
	out = vd_key(a, VK_ENTER);
	assert_non_null(c = cmds_find(&out, CMD_VM_DELETE));
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_string_equal(c->name, "lab1");
	assert_string_equal(c->uuid, "uuid-lab1");
	assert_string_equal(c->u.vm_delete.paths, LAB1_TOP "\n" LAB1_OLD "\n");
}

static void no_image_to_delete_is_a_plain_question(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;
	struct event done = {.type = EV_OP_DONE, .op = CMD_VM_DELETE, .rc = 0};

	vd_images(a);
	/* lab1 gone first: then lab2 is not the golden image's last user. */
	select_vm(a, "solo"); /* hibernated: its saved state goes too */
	vd_key(a, 'U');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_non_null(strstr(a->dlg.text, "its hibernated state (managed save)"));
	vd_key(a, VK_ESC);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	/* A VM whose images are all used by others: only its definition goes. */
	{
		struct be_vm vms[] = {unit_vm("lab1", BE_VM_SHUTOFF, 0, 2), unit_vm("lab3", BE_VM_SHUTOFF, 0, 2)};

		unit_load_vms(a, vms, 2, NULL);
	}
	select_vm(a, "lab3");
	vd_key(a, 'U');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "No image goes with it"));
	out = vd_key(a, 'y');
	assert_non_null(c = cmds_find(&out, CMD_VM_DELETE));
	assert_string_equal(c->u.vm_delete.paths, "");
	done.job = c->job;
	str_copy(done.name, "lab3", sizeof(done.name));
	out = (struct cmds){0};
	app_handle(a, &done, &out);
	/* The list and the images are read again. */
	assert_non_null(cmds_find(&out, CMD_LOAD_VMS));
	assert_non_null(cmds_find(&out, CMD_LOAD_IMAGES));
	assert_false(a->status_error);
}

int test_vmdelete_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_plan_keeps_what_others_use, vd_setup, vd_teardown),
		cmocka_unit_test_setup_teardown(a_running_vm_is_refused, vd_setup, vd_teardown),
		cmocka_unit_test_setup_teardown(the_images_are_read_first, vd_setup, vd_teardown),
		cmocka_unit_test_setup_teardown(a_key_meanwhile_drops_the_question, vd_setup, vd_teardown),
		cmocka_unit_test_setup_teardown(deleting_images_asks_for_the_name, vd_setup, vd_teardown),
		cmocka_unit_test_setup_teardown(no_image_to_delete_is_a_plain_question, vd_setup, vd_teardown),
	};

	return cmocka_run_group_tests_name("vmdelete", tests, NULL, NULL);
}
