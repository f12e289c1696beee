/* The VM screen's snapshot timeline, driven the way a person drives it:
 * keys in, snapshot lists and job results arriving as events, commands
 * out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* 2026-01-01 00:00:00 UTC */
#define SV_WALL 1767225600LL

static struct cmds sv_key(struct app *a, int k)
{
	struct event ev = {.type = EV_KEY, .key = k, .wall = SV_WALL};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
	event_clear(&ev);
	return out;
}

static void sv_type(struct app *a, const char *s)
{
	while (*s)
		sv_key(a, (unsigned char)*s++);
}



/* One snapshot as the backend would report it. */
struct sv_spec {
	const char *name;
	const char *parent;
	long long ctime;
	bool current;
};

/* The disks: one vda whose active layer has format (NULL: no disks). */
static void sv_deliver(struct app *a, const char *vm, const struct sv_spec *s, size_t n, const char *format)
{
	struct event ev = {.type = EV_SNAPSHOTS};
	struct cmds out = {0};
	size_t i;

	str_copy(ev.name, vm, sizeof(ev.name));
	ev.snaps.s = xcalloc(n ? n : 1, sizeof(*ev.snaps.s));
	ev.snaps.n = n;
	for (i = 0; i < n; i++) {
		struct be_snapshot *b = &ev.snaps.s[i];

		b->name = xstrdup(s[i].name);
		b->parent = s[i].parent ? xstrdup(s[i].parent) : NULL;
		b->description = xstrdup("");
		b->ctime = s[i].ctime;
		str_copy(b->state, "shutoff", sizeof(b->state));
		b->current = s[i].current;
		b->disks = xstrdup("vda internal");
	}
	if (format) {
		ev.disks.d = xcalloc(1, sizeof(*ev.disks.d));
		ev.disks.n = 1;
		ev.disks.d[0].target = xstrdup("vda");
		ev.disks.d[0].layers = xcalloc(1, sizeof(*ev.disks.d[0].layers));
		ev.disks.d[0].nlayers = 1;
		ev.disks.d[0].layers[0].path = xstrdup("/var/lib/libvirt/images/vda.img");
		ev.disks.d[0].layers[0].format = xstrdup(format);
		ev.disks.d[0].end = BE_END_COMPLETE;
	}
	app_handle(a, &ev, &out);
	event_clear(&ev);
}

/* a1 is the root; a2 and a3 are its children, a3 the current one. Listed
 * out of creation order, as libvirt may. */
static const struct sv_spec sv_tree[] = {
	{"a3", "a1", 300, true},
	{"a1", NULL, 100, false},
	{"a2", "a1", 200, false},
};

static struct cmds sv_op_done(struct app *a, int job, enum cmd_type op, const char *vm, const char *snap, int rc,
			      enum be_err_kind kind, const char *msg)
{
	struct event ev = {.type = EV_OP_DONE, .job = job, .op = (int)op, .rc = rc};
	struct cmds out = {0};

	str_copy(ev.name, vm, sizeof(ev.name));
	str_copy(ev.snap, snap, sizeof(ev.snap));
	ev.err.kind = kind;
	if (msg)
		str_copy(ev.err.msg, msg, sizeof(ev.err.msg));
	app_handle(a, &ev, &out);
	event_clear(&ev);
	return out;
}

static struct cmds sv_tick(struct app *a)
{
	struct event ev = {.type = EV_TICK};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
	event_clear(&ev);
	return out;
}

/* Moves the list selection onto the VM name. */
static void sv_select_vm(struct app *a, const char *name)
{
	size_t i;

	sv_key(a, 'g');
	for (i = 0; i < a->nrows && strcmp(vmlist_selected(a)->name, name); i++)
		sv_key(a, 'j');
	assert_string_equal(vmlist_selected(a)->name, name);
}

/* Opens the VM screen of vm and delivers the branching tree. */
static void sv_open(struct app *a, const char *vm, const char *format)
{
	sv_select_vm(a, vm);
	sv_key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	sv_deliver(a, vm, sv_tree, ARRAY_LEN(sv_tree), format);
}

static const char *sv_sel_name(const struct app *a)
{
	const struct be_snapshot *s = snapview_selected(a);

	return s ? s->name : "";
}

static const char *sv_row_name(const struct app *a, size_t row)
{
	return a->sv.snaps.s[a->sv.layout.rows[row].node].name;
}

/* Moves the tree selection onto the snapshot name. */
static void sv_select_snap(struct app *a, const char *name)
{
	size_t i;

	sv_key(a, 'g');
	for (i = 0; i < a->sv.layout.n && strcmp(sv_sel_name(a), name); i++)
		sv_key(a, 'j');
	assert_string_equal(sv_sel_name(a), name);
}

static int sv_setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm vms[] = {
		unit_vm("web", BE_VM_RUNNING, 0, 1),
		unit_vm("db", BE_VM_PAUSED, 0, 1),
		unit_vm("alpha", BE_VM_SHUTOFF, 0, 1),
		unit_vm("gamma", BE_VM_SAVED, 0, 1),
	};

	app_init(a, "test:///x", "host1", false);
	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL);
	*state = a;
	return 0;
}

static int sv_teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

/* 1 */
static void enter_opens_the_vm_and_shows_its_tree(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;

	sv_select_vm(a, "alpha");
	out = sv_key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	c = cmds_find(&out, CMD_LOAD_SNAPSHOTS);
	assert_non_null(c);
	assert_string_equal(c->name, "alpha");
	assert_true(a->sv.loading);

	/* An answer for another VM (an older open) changes nothing. */
	sv_deliver(a, "web", sv_tree, ARRAY_LEN(sv_tree), "qcow2");
	assert_int_equal(a->sv.layout.n, 0);
	assert_false(a->sv.loaded);
	assert_null(snapview_selected(a));

	sv_deliver(a, "alpha", sv_tree, ARRAY_LEN(sv_tree), "qcow2");
	assert_true(a->sv.loaded);
	assert_false(a->sv.loading);
	assert_int_equal(a->sv.layout.n, 3);
	/* Creation order, children under their parent. */
	assert_string_equal(sv_row_name(a, 0), "a1");
	assert_string_equal(sv_row_name(a, 1), "a2");
	assert_string_equal(sv_row_name(a, 2), "a3");
	assert_int_equal(a->sv.layout.rows[0].depth, 0);
	assert_int_equal(a->sv.layout.rows[0].children, 2);
	assert_int_equal(a->sv.layout.rows[1].depth, 1);
	assert_int_equal(a->sv.layout.rows[1].glyphs[0], TG_TEE);
	assert_int_equal(a->sv.layout.rows[2].depth, 1);
	assert_int_equal(a->sv.layout.rows[2].glyphs[0], TG_ELBOW);
	/* The current snapshot is selected. */
	assert_string_equal(sv_sel_name(a), "a3");
	assert_true(snapview_selected(a)->current);
}

/* 2 */
static void space_collapses_and_expands_and_survives_a_reload(void **state)
{
	struct app *a = *state;
	const struct sv_spec deeper[] = {
		{"a3", "a1", 300, true},
		{"a1", NULL, 100, false},
		{"a2", "a1", 200, false},
		{"a4", "a2", 400, false},
	};

	sv_select_vm(a, "alpha");
	sv_key(a, VK_ENTER);
	sv_deliver(a, "alpha", deeper, ARRAY_LEN(deeper), "qcow2");
	assert_int_equal(a->sv.layout.n, 4);

	/* Space on a leaf does nothing. */
	sv_select_snap(a, "a3");
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 4);
	assert_false(a->sv.layout.rows[a->sv.tree_pos.sel].collapsed);

	sv_select_snap(a, "a1");
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 1);
	assert_true(a->sv.layout.rows[0].collapsed);
	assert_string_equal(sv_sel_name(a), "a1");
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 4);
	assert_false(a->sv.layout.rows[0].collapsed);
	assert_string_equal(sv_sel_name(a), "a1");

	/* Collapse a2 only: a4 hides, the rest stays. */
	sv_select_snap(a, "a2");
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 3);
	assert_true(a->sv.layout.rows[a->sv.tree_pos.sel].collapsed);
	assert_string_equal(sv_row_name(a, 2), "a3");

	/* And a1 as well, then the tree is read again (after an operation). */
	sv_select_snap(a, "a1");
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 1);
	sv_deliver(a, "alpha", deeper, ARRAY_LEN(deeper), "qcow2");
	assert_int_equal(a->sv.layout.n, 1);
	assert_true(a->sv.layout.rows[0].collapsed);
	assert_string_equal(sv_sel_name(a), "a1");
	/* Expanding a1 shows a2 still collapsed. */
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 3);
	sv_select_snap(a, "a2");
	assert_true(a->sv.layout.rows[a->sv.tree_pos.sel].collapsed);
}

static void sv_expected_name(char *buf, size_t n)
{
	time_t t = (time_t)SV_WALL;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, n, "snap-%Y%m%d-%H%M%S", &tm);
}

/* 3 */
static void take_from_the_list_sends_the_name_as_typed(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;
	char want[64];

	sv_select_vm(a, "alpha");
	out = sv_key(a, 's');
	assert_int_equal(a->screen, SCREEN_VMLIST); /* the form opens over the list */
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_int_equal(a->dlg.cmd->type, CMD_SNAP_CREATE);
	assert_string_equal(a->dlg.cmd->name, "alpha");
	/* The tree loads behind the form, to check names against. */
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS));
	assert_string_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->name, "alpha");
	assert_null(cmds_find(&out, CMD_SNAP_CREATE));
	sv_expected_name(want, sizeof(want));
	assert_string_equal(a->dlg.field[0].value, want);
	assert_int_equal(strlen(a->dlg.field[0].value), strlen("snap-YYYYMMDD-HHMMSS"));

	/* A name with a check mark, quotes and angle brackets, and a
	 * description in the second field. */
	sv_key(a, 21); /* Ctrl-U */
	assert_string_equal(a->dlg.field[0].value, "");
	sv_type(a, "ok ");
	sv_key(a, 0x2713);
	sv_type(a, " \"q\" <b> & 'x'");
	sv_key(a, VK_TAB);
	sv_type(a, "before ");
	sv_key(a, 0xE9); /* é */
	sv_type(a, " <upgrade> \"1\"");
	out = sv_key(a, VK_ENTER);
	c = cmds_find(&out, CMD_SNAP_CREATE);
	assert_non_null(c);
	assert_string_equal(c->name, "alpha");
	assert_string_equal(c->snap, "ok \xe2\x9c\x93 \"q\" <b> & 'x'");
	assert_string_equal(c->u.snap_create.description, "before \xc3\xa9 <upgrade> \"1\"");
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 1);
	assert_int_equal(a->jobs[0].status, JOB_RUNNING);
	assert_int_equal(a->jobs[0].op, CMD_SNAP_CREATE);
	assert_string_equal(a->jobs[0].vm, "alpha");
	assert_int_equal(c->job, a->jobs[0].id);
	assert_false(a->status_error);
}

static void take_accepts_the_prefilled_name(void **state)
{
	struct app *a = *state;
	struct cmds out;
	char want[64];

	sv_open(a, "alpha", "qcow2");
	out = sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS)); /* already loaded */
	out = sv_key(a, VK_ENTER);
	sv_expected_name(want, sizeof(want));
	assert_non_null(cmds_find(&out, CMD_SNAP_CREATE));
	assert_string_equal(cmds_find(&out, CMD_SNAP_CREATE)->snap, want);
	assert_string_equal(cmds_find(&out, CMD_SNAP_CREATE)->u.snap_create.description, "");
	assert_int_equal(a->screen, SCREEN_VM);
}

/* Esc leaves the form without a snapshot. */
static void take_form_cancels_on_esc(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	out = sv_key(a, VK_ESC);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 0);
	assert_int_equal(a->screen, SCREEN_VM);
}

/* 4: refusals, each with its reason and no command. */
static void sv_assert_form_refuses(struct app *a, const char *reason)
{
	struct cmds out = sv_key(a, VK_ENTER);

	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_FORM); /* still open to correct */
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, reason));
	assert_int_equal(a->njobs, 0);
}

static void take_refuses_an_empty_name(void **state)
{
	struct app *a = *state;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	sv_key(a, 21);
	sv_assert_form_refuses(a, "name");
}

static void take_refuses_a_slash_in_the_name(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	sv_key(a, 21);
	sv_type(a, "before/after");
	sv_assert_form_refuses(a, "/");
	/* Correcting it in the open form works. */
	sv_key(a, 21);
	sv_type(a, "before-after");
	out = sv_key(a, VK_ENTER);
	assert_non_null(cmds_find(&out, CMD_SNAP_CREATE));
	assert_string_equal(cmds_find(&out, CMD_SNAP_CREATE)->snap, "before-after");
}

static void take_refuses_a_duplicate_name(void **state)
{
	struct app *a = *state;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	sv_key(a, 21);
	sv_type(a, "a2");
	sv_assert_form_refuses(a, "a2");
	assert_non_null(strstr(a->status, "already"));
}

/* A control character never reaches a snapshot name: typed, it is not
 * inserted; in the field all the same (pasted or filled in otherwise), the
 * form refuses the name, and nothing is sent. */
static void take_refuses_control_characters_in_the_name(void **state)
{
	static const char *const bad[] = {"before\tafter", "x\x1b[2Jy", "bell\a", "del\x7f", "two\nlines", "\x01"};
	struct app *a = *state;
	struct cmds out;
	size_t i;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	sv_key(a, 21);
	sv_type(a, "ok");
	sv_key(a, 7);	 /* Ctrl-G */
	sv_key(a, 0x9B); /* C1: CSI */
	assert_string_equal(a->dlg.field[0].value, "ok");
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		str_copy(a->dlg.field[0].value, bad[i], sizeof(a->dlg.field[0].value));
		sv_assert_form_refuses(a, "control characters");
	}
	/* Corrected in the open form, it is taken. */
	str_copy(a->dlg.field[0].value, "before after", sizeof(a->dlg.field[0].value));
	out = sv_key(a, VK_ENTER);
	assert_non_null(cmds_find(&out, CMD_SNAP_CREATE));
	assert_string_equal(cmds_find(&out, CMD_SNAP_CREATE)->snap, "before after");
}

static void take_refuses_on_a_read_only_connection(void **state)
{
	struct app *a = *state;
	struct cmds out;

	a->hosts[0].readonly = true;
	sv_select_vm(a, "alpha");
	out = sv_key(a, 's');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "Read-only"));
}

static void take_refuses_a_raw_disk(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "raw");
	out = sv_key(a, 's');
	assert_int_equal(out.n, 0);
	/* Only an external snapshot is offered, and the status says why. */
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.field[2].value, "external, disks only");
	assert_int_equal(a->dlg.field[2].nchoices, 1);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "qcow2"));
	assert_non_null(strstr(a->status, "vda"));
	sv_key(a, VK_ESC);
	/* From the list too, once the disks are known. */
	sv_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VMLIST);
	out = sv_key(a, 's');
	assert_int_equal(out.n, 0);
	assert_string_equal(a->dlg.field[2].value, "external, disks only");
	assert_non_null(strstr(a->status, "qcow2"));
	sv_key(a, VK_ESC);
	/* Hibernated on a raw disk: no kind at all, and nothing opens. */
	sv_select_vm(a, "gamma");
	sv_key(a, VK_ENTER);
	sv_deliver(a, "gamma", sv_tree, ARRAY_LEN(sv_tree), "raw");
	out = sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "qcow2"));
}

/* The form opens from the list before the disks are known; when they
 * arrive and one is raw, Enter must still refuse instead of letting
 * libvirt fail (DESIGN 2: an internal snapshot needs every disk in
 * qcow2). The name is checked again on Enter; the disks must be too. */
static void take_from_the_list_checks_disks_once_they_arrive(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_select_vm(a, "alpha");
	out = sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS));
	sv_deliver(a, "alpha", sv_tree, ARRAY_LEN(sv_tree), "raw");
	out = sv_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_SNAP_CREATE));
	assert_int_equal(a->njobs, 0);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "qcow2"));
}

static void take_refuses_a_busy_vm(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	sv_key(a, VK_ENTER);
	assert_int_equal(a->njobs, 1);
	out = sv_key(a, 's');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "busy"));
	/* Revert and delete wait too. */
	out = sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "busy"));
	out = sv_key(a, 'd');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(out.n, 0);
	/* Another VM is not busy. */
	sv_key(a, 'q');
	sv_select_vm(a, "web");
	sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
}

/* A form that waited while the VM became busy (a job started from
 * another screen) takes nothing: it says the VM is busy. */
static void take_form_refused_once_the_vm_is_busy(void **state)
{
	struct app *a = *state;
	struct cmds out;
	struct cmd other = {.type = CMD_ACT, .u.act.action = BE_ACT_HIBERNATE};

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	sv_key(a, 'x');
	str_copy(other.name, "alpha", sizeof(other.name));
	jobs_add(a, &other, "Hibernate alpha");
	out = sv_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_SNAP_CREATE));
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "busy"));
	assert_int_equal(a->njobs, 1);
}

/* The name field holds more than a command carries: a long name must be
 * refused, never sent cut short (libvirt would create a snapshot with a
 * name the user did not type). */
static void take_never_cuts_a_long_name(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;
	char typed[512];
	size_t i;

	sv_open(a, "alpha", "qcow2");
	sv_key(a, 's');
	sv_key(a, 21);
	for (i = 0; i < 300; i++)
		sv_key(a, 'n');
	str_copy(typed, a->dlg.field[0].value, sizeof(typed));
	assert_int_equal(strlen(typed), 300);
	out = sv_key(a, VK_ENTER);
	c = cmds_find(&out, CMD_SNAP_CREATE);
	assert_null(c); /* 300 bytes: more than a command's 255 */
	assert_true(a->status_error);
}

/* 5 */
static void take_form_says_what_the_snapshot_holds(void **state)
{
	struct app *a = *state;

	sv_select_vm(a, "web"); /* running */
	sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_non_null(strstr(a->dlg.text, "memory"));
	assert_non_null(strstr(a->dlg.title, "web"));
	sv_key(a, VK_ESC);

	sv_select_vm(a, "db"); /* paused: memory too */
	sv_key(a, 's');
	assert_non_null(strstr(a->dlg.text, "memory"));
	assert_non_null(strstr(a->dlg.text, "The VM is paused"));
	assert_null(strstr(a->dlg.text, "The VM runs"));
	sv_key(a, VK_ESC);

	sv_select_vm(a, "alpha"); /* shut off */
	sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_non_null(strstr(a->dlg.text, "disks"));
	assert_non_null(strstr(a->dlg.text, "shut off"));
	assert_null(strstr(a->dlg.text, "holds its memory"));
	sv_key(a, VK_ESC);
}

/* The Kind field offers what the VM's state allows, internal first (as
 * before there were kinds); Space goes through them, and the command
 * carries the one chosen. */
static void take_form_offers_the_kinds_the_state_allows(void **state)
{
	static const struct {
		const char *vm;
		int n;
		const char *last;
	} cases[] = {
		{"web", 3, "external, with memory"},  /* running */
		{"db", 2, "external, disks only"},    /* paused: no memory file */
		{"alpha", 2, "external, disks only"}, /* shut off */
		{"gamma", 1, "internal"},             /* hibernated: no overlay under saved memory */
	};
	struct app *a = *state;
	struct cmds out;
	size_t i;
	int k;

	/* Left arrow goes back, round to the last. */
	sv_open(a, "web", "qcow2");
	sv_key(a, 's');
	sv_key(a, VK_UP);
	sv_key(a, VK_LEFT);
	assert_string_equal(a->dlg.field[2].value, "external, with memory");
	sv_key(a, VK_RIGHT);
	assert_string_equal(a->dlg.field[2].value, "internal");
	sv_key(a, VK_ESC);
	sv_key(a, 'q');
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		sv_open(a, cases[i].vm, "qcow2");
		sv_key(a, 's');
		assert_int_equal(a->dlg.kind, DLG_FORM);
		assert_string_equal(a->dlg.field[2].label, "Kind");
		assert_string_equal(a->dlg.field[2].value, "internal");
		assert_int_equal(a->dlg.field[2].nchoices, cases[i].n);
		assert_string_equal(a->dlg.field[2].choice[cases[i].n - 1], cases[i].last);
		sv_key(a, VK_TAB);
		sv_key(a, VK_TAB);
		for (k = 1; k < cases[i].n; k++)
			sv_key(a, ' ');
		sv_type(a, "xyz"); /* typing never makes a kind of its own */
		assert_string_equal(a->dlg.field[2].value, cases[i].last);
		out = sv_key(a, VK_ENTER);
		assert_non_null(cmds_find(&out, CMD_SNAP_CREATE));
		assert_int_equal(cmds_find(&out, CMD_SNAP_CREATE)->u.snap_create.kind,
				 cases[i].n == 3   ? BE_KIND_EXT_SYS
				 : cases[i].n == 2 ? BE_KIND_EXT_DISK
						   : BE_KIND_INT_DISK);
		sv_key(a, 'q');
	}
}

/* A disk that takes no overlay (a network disk) leaves only internal. */
static void take_form_leaves_out_external_for_a_network_disk(void **state)
{
	struct app *a = *state;

	sv_open(a, "web", "qcow2");
	a->sv.disks.d[0].layers[0].type = BE_SRC_NETWORK;
	a->sv.disks.d[0].type = BE_SRC_NETWORK;
	sv_key(a, 's');
	/* Internal is refused too for a network disk: nothing opens. */
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "network disk"));
	a->sv.disks.d[0].layers[0].type = BE_SRC_BLOCK;
	a->sv.disks.d[0].type = BE_SRC_BLOCK;
	sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_int_equal(a->dlg.field[2].nchoices, 1);
	assert_non_null(strstr(a->dlg.text, "block device"));
}

/* 6 */
static void revert_asks_naming_the_snapshot_and_the_memory_lost(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;

	sv_open(a, "web", "qcow2");
	sv_select_snap(a, "a2");
	out = sv_key(a, 'r');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "'a2'"));
	assert_non_null(strstr(a->dlg.text, "web"));
	assert_non_null(strstr(a->dlg.text, "Lost"));
	assert_non_null(strstr(a->dlg.text, "memory"));
	/* a2 was taken shut off: the running VM will not run afterwards. */
	assert_non_null(strstr(a->dlg.text, "Afterwards web is shut off"));

	out = sv_key(a, 'n');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 0);
	assert_non_null(strstr(a->status, "Cancelled"));

	sv_key(a, 'r');
	out = sv_key(a, 'y');
	c = cmds_find(&out, CMD_SNAP_REVERT);
	assert_non_null(c);
	assert_string_equal(c->name, "web");
	assert_string_equal(c->snap, "a2");
	assert_false(c->u.snap_revert.force);
	assert_false(c->u.snap_revert.discard_save);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 1);
	assert_int_equal(a->jobs[0].status, JOB_RUNNING);
	assert_int_equal(a->jobs[0].op, CMD_SNAP_REVERT);
	assert_int_equal(c->job, a->jobs[0].id);
}

/* A revert leaves the VM in the snapshot's state: the question says so
 * where that differs from the VM's state now. */
static void revert_says_the_state_it_leaves(void **state)
{
	struct app *a = *state;

	sv_open(a, "alpha", "qcow2"); /* shut off */
	sv_select_snap(a, "a1");
	str_copy(a->sv.snaps.s[a->sv.layout.rows[a->sv.tree_pos.sel].node].state, "running", sizeof(a->sv.snaps.s[0].state));
	sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "Afterwards alpha runs"));
	sv_key(a, 'n');
	str_copy(a->sv.snaps.s[a->sv.layout.rows[a->sv.tree_pos.sel].node].state, "paused", sizeof(a->sv.snaps.s[0].state));
	sv_key(a, 'r');
	assert_non_null(strstr(a->dlg.text, "Afterwards alpha is paused"));
	sv_key(a, 'n');
}

/* The selected snapshot made external: each of its files frozen under an
 * overlay it made. */
static struct be_snapshot *make_external(struct app *a, const char *memfile)
{
	struct be_snapshot *s = &a->sv.snaps.s[a->sv.layout.rows[a->sv.tree_pos.sel].node];
	size_t i;

	assert_true(a->sv.disks.n > 0);
	if (!s->nfiles) { /* it froze the first disk's file */
		s->files = xcalloc(1, sizeof(*s->files));
		s->files[0].disk = xstrdup(a->sv.disks.d[0].target);
		s->files[0].path = xstrdup("/img/frozen.qcow2");
		s->files[0].type = BE_SRC_FILE;
		s->nfiles = 1;
	}
	s->external = true;
	for (i = 0; i < s->nfiles; i++)
		s->files[i].external = true;
	if (memfile) {
		s->memory = true;
		s->memfile = xstrdup(memfile);
		str_copy(s->state, "running", sizeof(s->state));
	}
	return s;
}

/* An external snapshot (libvirt 9.0 cannot revert one): the question says
 * what vmmanager does instead, fresh overlays on the frozen files and, for
 * a checkpoint, a restore of its memory file; where that is not safe, the
 * status says why before anything is asked or sent. */
static void revert_to_an_external_snapshot_says_how_or_why_not(void **state)
{
	struct app *a = *state;
	struct be_snapshot *s;
	struct cmds out;

	sv_open(a, "alpha", "qcow2"); /* shut off */
	sv_select_snap(a, "a1");
	s = make_external(a, NULL);
	sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "starts on a fresh overlay on"));
	assert_non_null(strstr(a->dlg.text, s->files[0].path));
	assert_int_equal(a->dlg.cmd->type, CMD_SNAP_REVERT);
	sv_key(a, 'n');

	s = make_external(a, "/img/a1.mem");
	sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "started running from /img/a1.mem"));
	sv_key(a, 'n');

	/* A network disk frozen: refused, nothing asked. */
	s->files[0].type = BE_SRC_NETWORK;
	out = sv_key(a, 'r');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "not a file"));

	/* A running VM: shut it down first. */
	sv_key(a, 'q');
	sv_open(a, "web", "qcow2");
	sv_select_snap(a, "a2");
	make_external(a, NULL);
	out = sv_key(a, 'r');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "shut it down first"));
	assert_int_equal(a->njobs, 0);

	/* A host whose libvirt (9.7 on) reverts external snapshots itself:
	 * its rules, not vmmanager's own. */
	a->hosts[a->sv.host].libver = 9007000;
	sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "libvirt 9.7 reverts this external snapshot itself."));
	assert_null(strstr(a->dlg.text, "fresh overlay"));
	sv_key(a, 'n');
}

/* Deleting an external snapshot merges the layer it made (right above the
 * file it froze) into that file: the question says so, and names the
 * memory file removed; refused where the chain is not so now, or for more
 * than the one snapshot. */
static void delete_of_an_external_snapshot_says_what_merges(void **state)
{
	struct app *a = *state;
	struct be_disk *d;
	struct be_snapshot *s;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_select_snap(a, "a1");
	s = make_external(a, NULL);
	sv_key(a, 'd');
	out = sv_key(a, 't');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "the layer it made is not right on it in disk vda's"));

	/* The chain as the snapshot left it: its overlay on the frozen file. */
	d = &a->sv.disks.d[0];
	d->layers = xrealloc(d->layers, 2 * sizeof(*d->layers));
	memset(&d->layers[1], 0, sizeof(d->layers[1]));
	d->layers[1].path = xstrdup("/img/frozen.qcow2");
	d->layers[1].format = xstrdup("qcow2");
	d->nlayers = 2;
	s->memfile = xstrdup("/img/a1.mem");
	sv_key(a, 'd');
	sv_key(a, 't');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "Disk vda: /var/lib/libvirt/images/vda.img, the layer it made, is merged "
					    "into /img/frozen.qcow2 and removed."));
	assert_non_null(strstr(a->dlg.text, "Its memory file /img/a1.mem is removed."));
	out = sv_key(a, 'y');
	assert_int_equal(cmds_find(&out, CMD_SNAP_DELETE)->u.snap_delete.mode, BE_DEL_ONE);
}

/* Deleting an external snapshot with its children at once is refused. */
static void delete_of_an_external_snapshot_goes_one_at_a_time(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_select_snap(a, "a1");
	make_external(a, NULL);
	sv_key(a, 'd');
	out = sv_key(a, 'c');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "one at a time"));
	/* Metadata only stays libvirt's, as for any snapshot. */
	sv_key(a, 'd');
	sv_key(a, 'm');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
}

static void revert_of_a_shut_off_vm_loses_only_disk_state(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_select_snap(a, "a1");
	sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "'a1'"));
	assert_non_null(strstr(a->dlg.text, "disk"));
	assert_null(strstr(a->dlg.text, "memory"));
	assert_null(strstr(a->dlg.text, "Afterwards")); /* shut off before and after */
	/* Any key but y cancels, even one bound to an action. */
	out = sv_key(a, 'd');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	sv_key(a, 'r');
	out = sv_key(a, 'y');
	assert_non_null(cmds_find(&out, CMD_SNAP_REVERT));
	assert_string_equal(cmds_find(&out, CMD_SNAP_REVERT)->snap, "a1");
	assert_false(cmds_find(&out, CMD_SNAP_REVERT)->u.snap_revert.discard_save);
}

static void revert_of_a_hibernated_vm_discards_the_saved_state(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;

	sv_open(a, "gamma", "qcow2");
	sv_select_snap(a, "a2");
	sv_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "hibernated"));
	assert_non_null(strstr(a->dlg.text, "'a2'"));
	assert_non_null(strstr(a->dlg.text, "Discard"));
	assert_true(a->dlg.cmd->u.snap_revert.discard_save);
	out = sv_key(a, 'y');
	c = cmds_find(&out, CMD_SNAP_REVERT);
	assert_non_null(c);
	assert_true(c->u.snap_revert.discard_save);
	assert_false(c->u.snap_revert.force);
	assert_string_equal(c->name, "gamma");
	assert_int_equal(a->njobs, 1);
}

/* 7 */
static void risky_revert_asks_again_to_force(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;
	const char *msg = "revert requires force: must respawn guest to start inactive snapshot";
	int job;

	sv_open(a, "web", "qcow2");
	sv_select_snap(a, "a2");
	sv_key(a, 'r');
	sv_key(a, 'y');
	job = a->jobs[0].id;
	out = sv_op_done(a, job, CMD_SNAP_REVERT, "web", "a2", -1, BE_ERR_REVERT_RISKY, msg);
	assert_null(cmds_find(&out, CMD_SNAP_REVERT)); /* nothing forced unasked */
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, msg));
	assert_string_equal(a->dlg.cmd->snap, "a2");
	assert_true(a->dlg.cmd->u.snap_revert.force);
	assert_int_equal(a->jobs[0].status, JOB_FAILED);
	assert_false(app_wants_tick(a));

	out = sv_key(a, 'y');
	c = cmds_find(&out, CMD_SNAP_REVERT);
	assert_non_null(c);
	assert_true(c->u.snap_revert.force);
	assert_string_equal(c->name, "web");
	assert_string_equal(c->snap, "a2");
	assert_int_equal(a->njobs, 2);
	assert_int_equal(a->jobs[1].status, JOB_RUNNING);
	assert_int_equal(c->job, a->jobs[1].id);
}

static void risky_revert_declined_runs_nothing(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "web", "qcow2");
	sv_key(a, 'r');
	sv_key(a, 'y');
	sv_op_done(a, a->jobs[0].id, CMD_SNAP_REVERT, "web", "a3", -1, BE_ERR_REVERT_RISKY, "risky");
	out = sv_key(a, VK_ESC);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 1);
}

/* The forced-revert question arrives whenever libvirt answers. If the
 * user is typing in a form meanwhile (a snapshot of another VM), the
 * question must not take over: the next letter typed, a 'y' here, would
 * confirm a forced revert the user never saw. */
static void risky_revert_answer_does_not_hijack_an_open_form(void **state)
{
	struct app *a = *state;
	struct cmds out;
	int job;

	sv_open(a, "web", "qcow2");
	sv_key(a, 'r');
	sv_key(a, 'y');
	job = a->jobs[0].id;
	sv_key(a, 'q');
	sv_select_vm(a, "alpha");
	sv_key(a, 's');
	sv_key(a, 21);
	sv_type(a, "m");
	assert_int_equal(a->dlg.kind, DLG_FORM);
	sv_op_done(a, job, CMD_SNAP_REVERT, "web", "a3", -1, BE_ERR_REVERT_RISKY, "revert requires force");
	out = sv_key(a, 'y'); /* the user goes on typing "my-snap" */
	assert_null(cmds_find(&out, CMD_SNAP_REVERT));
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.field[0].value, "my");
}

static void failed_operation_shows_libvirt_message(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const char *msg = "internal error: unable to execute QEMU command 'savevm': boom";

	sv_open(a, "web", "qcow2");
	sv_key(a, 'r');
	sv_key(a, 'y');
	out = sv_op_done(a, a->jobs[0].id, CMD_SNAP_REVERT, "web", "a3", -1, BE_ERR_OTHER, msg);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, msg));
	assert_int_equal(a->jobs[0].status, JOB_FAILED);
	assert_string_equal(a->jobs[0].error, msg);
	assert_false(app_wants_tick(a));
	/* What is true now is read again. */
	assert_non_null(cmds_find(&out, CMD_LOAD_VMS));
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS));
	/* The screen stays usable. */
	assert_int_equal(a->screen, SCREEN_VM);
	sv_key(a, 'g');
	assert_string_equal(sv_sel_name(a), "a1");
}

/* 8 */
static void sv_delete_menu(struct app *a, const char *snap)
{
	struct cmds out;

	sv_select_snap(a, snap);
	out = sv_key(a, 'd');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg.cmd->type, CMD_SNAP_DELETE);
	assert_string_equal(a->dlg.cmd->snap, snap);
}

static void delete_offers_four_ways(void **state)
{
	struct app *a = *state;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a1");
	assert_int_equal(a->dlg.nitems, 4);
	assert_int_equal(a->dlg.item[0].key, 't');
	assert_int_equal(a->dlg.item[1].key, 'c');
	assert_int_equal(a->dlg.item[2].key, 'o');
	assert_int_equal(a->dlg.item[3].key, 'm');
}

static void delete_with_children_lists_them_all(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a1");
	out = sv_key(a, 'c');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "  a1\n"));
	assert_non_null(strstr(a->dlg.text, "  a2\n"));
	assert_non_null(strstr(a->dlg.text, "  a3\n"));
	assert_non_null(strstr(a->dlg.text, "3 snapshots"));
	out = sv_key(a, 'y');
	c = cmds_find(&out, CMD_SNAP_DELETE);
	assert_non_null(c);
	assert_string_equal(c->name, "alpha");
	assert_string_equal(c->snap, "a1");
	assert_int_equal(c->u.snap_delete.mode, BE_DEL_WITH_CHILDREN);
	assert_int_equal(a->njobs, 1);
	assert_int_equal(a->jobs[0].op, CMD_SNAP_DELETE);
}

/* r has children c1 and c2; c1 has g1, which has gg1. libvirt deletes
 * the whole subtree, so the question names all of it. */
static const struct sv_spec sv_deep[] = {
	{"gg1", "g1", 500, true}, {"c2", "r", 300, false}, {"r", NULL, 100, false},
	{"g1", "c1", 400, false}, {"c1", "r", 200, false},
};

static void delete_with_children_lists_grandchildren(void **state)
{
	struct app *a = *state;
	struct cmds out;
	int mode;

	sv_select_vm(a, "alpha");
	sv_key(a, VK_ENTER);
	sv_deliver(a, "alpha", sv_deep, ARRAY_LEN(sv_deep), "qcow2");
	for (mode = 0; mode < 2; mode++) {
		sv_delete_menu(a, "c1");
		sv_key(a, mode ? 'o' : 'c');
		assert_int_equal(a->dlg.kind, DLG_CONFIRM);
		assert_true((strstr(a->dlg.text, "  c1\n") != NULL) == !mode);
		assert_non_null(strstr(a->dlg.text, "  g1\n"));
		assert_non_null(strstr(a->dlg.text, "  gg1\n"));
		assert_null(strstr(a->dlg.text, "  r\n"));
		assert_null(strstr(a->dlg.text, "  c2\n"));
		assert_non_null(strstr(a->dlg.text, mode ? "2 snapshots" : "3 snapshots"));
		out = sv_key(a, 'n');
		assert_int_equal(out.n, 0);
	}
	assert_int_equal(a->njobs, 0);
}

static void delete_children_only_keeps_the_parent(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a1");
	sv_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_null(strstr(a->dlg.text, "  a1\n"));
	assert_non_null(strstr(a->dlg.text, "  a2\n"));
	assert_non_null(strstr(a->dlg.text, "  a3\n"));
	out = sv_key(a, 'y');
	assert_non_null(cmds_find(&out, CMD_SNAP_DELETE));
	assert_string_equal(cmds_find(&out, CMD_SNAP_DELETE)->snap, "a1");
	assert_int_equal(cmds_find(&out, CMD_SNAP_DELETE)->u.snap_delete.mode, BE_DEL_CHILDREN_ONLY);
}

static void delete_this_one_only_lists_it_alone(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a1");
	sv_key(a, 't');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "  a1\n"));
	assert_null(strstr(a->dlg.text, "  a2\n"));
	assert_null(strstr(a->dlg.text, "  a3\n"));
	out = sv_key(a, 'y');
	assert_non_null(cmds_find(&out, CMD_SNAP_DELETE));
	assert_int_equal(cmds_find(&out, CMD_SNAP_DELETE)->u.snap_delete.mode, BE_DEL_ONE);
}

static void delete_metadata_only_forgets_it(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a2");
	sv_key(a, 'm');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "  a2\n"));
	assert_null(strstr(a->dlg.text, "  a1\n"));
	assert_non_null(strstr(a->dlg.text, "Forget"));
	/* n cancels */
	out = sv_key(a, 'n');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->njobs, 0);
	sv_delete_menu(a, "a2");
	sv_key(a, 'm');
	out = sv_key(a, 'y');
	assert_non_null(cmds_find(&out, CMD_SNAP_DELETE));
	assert_string_equal(cmds_find(&out, CMD_SNAP_DELETE)->snap, "a2");
	assert_int_equal(cmds_find(&out, CMD_SNAP_DELETE)->u.snap_delete.mode, BE_DEL_METADATA);
}

static void delete_children_of_a_leaf_refuses(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a2");
	out = sv_key(a, 'o');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "no children"));
	assert_int_equal(a->njobs, 0);
}

static void delete_menu_cancels_on_esc(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "alpha", "qcow2");
	sv_delete_menu(a, "a1");
	out = sv_key(a, VK_ESC);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "Cancelled"));
	assert_int_equal(a->njobs, 0);
	assert_int_equal(a->screen, SCREEN_VM); /* Esc closed the menu, not the screen */
}

/* 9 */
static void job_progress_is_polled_while_it_runs(void **state)
{
	struct app *a = *state;
	struct event info = {.type = EV_JOB_INFO};
	struct cmds out;
	const struct cmd *c;
	int job;

	sv_open(a, "web", "qcow2");
	assert_false(app_wants_tick(a));
	sv_key(a, 's');
	sv_key(a, VK_ENTER);
	assert_int_equal(a->njobs, 1);
	job = a->jobs[0].id;
	assert_true(app_wants_tick(a));

	out = sv_tick(a);
	assert_int_equal(cmds_count(&out, CMD_JOB_INFO), 1);
	c = cmds_find(&out, CMD_JOB_INFO);
	assert_string_equal(c->name, "web");
	assert_int_equal(c->job, job);
	assert_true(a->jobs[0].polling);
	/* Not a second request while the first is in flight. */
	out = sv_tick(a);
	assert_int_equal(cmds_count(&out, CMD_JOB_INFO), 0);

	info.job = job;
	info.info.active = true;
	info.info.elapsed_ms = 1500;
	info.info.done = 50;
	info.info.total = 200;
	out.n = 0;
	app_handle(a, &info, &out);
	event_clear(&info);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->jobs[0].done, 50);
	assert_int_equal(a->jobs[0].total, 200);
	assert_int_equal(a->jobs[0].elapsed_ms, 1500);
	assert_false(a->jobs[0].polling);
	out = sv_tick(a);
	assert_int_equal(cmds_count(&out, CMD_JOB_INFO), 1);
	/* A save skips zero pages: libvirt counts them only as no longer
	 * remaining, so the bar follows total - remaining. */
	info = (struct event){.type = EV_JOB_INFO, .job = job};
	info.info = (struct be_job_info){.active = true, .elapsed_ms = 2000, .done = 60, .total = 200,
					 .remaining = 30, .has_remaining = true};
	out.n = 0;
	app_handle(a, &info, &out);
	event_clear(&info);
	assert_int_equal(a->jobs[0].done, 170);
	assert_int_equal(a->jobs[0].total, 200);
	/* Nonsense (more remaining than the total) falls back to processed. */
	info.info.remaining = 500;
	assert_int_equal(jobs_progress(&info.info), 60);
	info.info.has_remaining = false;
	info.info.remaining = 0;
	assert_int_equal(jobs_progress(&info.info), 60);

	out = sv_op_done(a, job, CMD_SNAP_CREATE, "web", "snap-x", 0, BE_ERR_OTHER, NULL);
	assert_int_equal(a->jobs[0].status, JOB_DONE);
	assert_int_equal(a->jobs[0].done, a->jobs[0].total);
	assert_false(app_wants_tick(a));
	assert_false(a->status_error);
	assert_non_null(strstr(a->status, "done"));
	assert_non_null(cmds_find(&out, CMD_LOAD_VMS));
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS));
	assert_string_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->name, "web");
	assert_int_equal(a->screen, SCREEN_VM);
	out = sv_tick(a);
	assert_int_equal(cmds_count(&out, CMD_JOB_INFO), 0);
}

/* One rule for every key that does nothing where it is pressed: it says
 * where it works, from the key table, and does nothing else. */
static void keys_that_do_nothing_here_say_where_they_work(void **state)
{
	static const struct {
		bool vm_screen;
		int key;
		const char *says;
	} cases[] = {
		{false, 'W', "W does nothing here; it works in VM screen, snapshots (discard the hibernated state"},
		{false, 'r', "r does nothing here; it works in VM screen, snapshots (revert to the selected snapshot"},
		{true, 'c', "c does nothing here; it works in VM screen, disk chains (commit: "},
		{true, 'x', "x does nothing here; it works in VM screen, disk chains (discard the top overlay"},
		{true, 'o', "o does nothing here; it works in VM list (sort by the next column) and in VM screen, disk "
			    "chains (new overlay on the selected disk)"},
	};
	struct app *a = *state;
	struct cmds out;
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		if (cases[i].vm_screen && a->screen != SCREEN_VM)
			sv_open(a, "web", "qcow2");
		out = sv_key(a, cases[i].key);
		assert_int_equal(out.n, 0);
		assert_true(a->status_error);
		if (strncmp(a->status, cases[i].says, strlen(cases[i].says)))
			fail_msg("key %c: status \"%s\", want \"%s...\"", cases[i].key, a->status, cases[i].says);
	}
	assert_int_equal(a->screen, SCREEN_VM);
	assert_int_equal(a->sv.pane, PANE_SNAPSHOTS);
}

/* A key in the chain pane goes to the pane first, then to the VM screen,
 * then to every screen's requests; a key of the snapshot tree that none of
 * them uses says where it works. */
static void chain_pane_keys_fall_back_to_the_screen_then_everywhere(void **state)
{
	struct app *a = *state;
	struct cmds out;

	sv_open(a, "web", "qcow2");
	sv_key(a, 'g');
	assert_int_equal(a->sv.tree_pos.sel, 0);
	sv_key(a, VK_TAB);
	assert_int_equal(a->sv.pane, PANE_CHAIN);
	/* j is the pane's: the tree stays where it was. */
	sv_key(a, 'j');
	assert_int_equal(a->sv.tree_pos.sel, 0);
	assert_int_equal(a->sv.chain_pos.sel, 0); /* one layer */
	/* r is the tree's: nothing happens, and the status says where. */
	out = sv_key(a, 'r');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_string_equal(a->status, "That key works on the snapshot tree: Tab goes there");
	/* s is the VM screen's: it works in either pane. */
	sv_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	sv_key(a, VK_ESC);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	/* 2 works everywhere. */
	sv_key(a, '2');
	assert_int_equal(a->screen, SCREEN_JOBS);
	sv_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VMLIST);
	sv_key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	assert_int_equal(a->sv.pane, PANE_CHAIN);
	/* q is the screen's: back to the list. */
	sv_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VMLIST);
	assert_false(a->quit);
}

/* Enter shows the selected snapshot's description whole in the message
 * log, from its first row however long it is; q comes back. */
static void enter_shows_the_description_whole(void **state)
{
	struct app *a = *state;
	struct event rs = {.type = EV_RESIZE, .rows = 12, .cols = 60};
	struct cmds out = {0};
	const struct msglog_entry *e;
	char *desc = xmalloc(3001), *s;
	size_t i;

	for (i = 0; i < 3000; i++)
		desc[i] = i % 10 == 9 && i < 2999 ? ' ' : (char)('a' + i / 10 % 26);
	desc[3000] = '\0';
	app_handle(a, &rs, &out);
	sv_open(a, "web", "qcow2");
	sv_select_snap(a, "a2");
	s = a->sv.snaps.s[a->sv.layout.rows[a->sv.tree_pos.sel].node].description;
	free(s);
	a->sv.snaps.s[a->sv.layout.rows[a->sv.tree_pos.sel].node].description = desc;
	out = sv_key(a, VK_ENTER);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->screen, SCREEN_LOG);
	e = msglog_at(&a->log, msglog_count(&a->log) - 1);
	assert_non_null(strstr(e->text, "Snapshot 'a2' of web"));
	assert_non_null(strstr(e->text, desc)); /* whole */
	/* Taller than the screen: its first row shows, not its last. */
	assert_int_equal(a->log_pos.top, msglog_rows(&a->log, 60) - msglog_entry_rows(e, 60));
	sv_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VM);
	/* In the chain pane, Enter is the tree's key. */
	sv_key(a, VK_TAB);
	sv_key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	assert_non_null(strstr(a->status, "snapshot tree"));
}

static void jobs_screen_aborts_only_a_running_job(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;
	int job;

	sv_open(a, "web", "qcow2");
	sv_key(a, 's');
	sv_key(a, VK_ENTER);
	job = a->jobs[0].id;
	sv_key(a, '2');
	assert_int_equal(a->screen, SCREEN_JOBS);
	out = sv_key(a, 'a');
	c = cmds_find(&out, CMD_JOB_ABORT);
	assert_non_null(c);
	assert_string_equal(c->name, "web");
	assert_int_equal(c->job, job);
	assert_int_equal(a->jobs[0].status, JOB_RUNNING); /* until libvirt says */

	sv_op_done(a, job, CMD_SNAP_CREATE, "web", "snap-x", -1, BE_ERR_OTHER, "operation aborted: job aborted");
	assert_int_equal(a->jobs[0].status, JOB_FAILED);
	out = sv_key(a, 'a');
	assert_int_equal(out.n, 0);
	assert_true(a->status_error);
	assert_int_equal(a->screen, SCREEN_JOBS);
}

/* 10 */
static void deep_and_wide_trees_lay_out_and_scroll(void **state)
{
	struct app *a = *state;
	struct sv_spec deep[50], wide[101];
	char dn[50][16], wn[101][16];
	size_t i, h;

	for (i = 0; i < 50; i++) {
		snprintf(dn[i], sizeof(dn[i]), "d%02zu", i);
		deep[i].name = dn[i];
		deep[i].parent = i ? dn[i - 1] : NULL;
		deep[i].ctime = (long long)i;
		deep[i].current = i == 25;
	}
	sv_select_vm(a, "alpha");
	sv_key(a, VK_ENTER);
	sv_deliver(a, "alpha", deep, 50, "qcow2");
	h = state_list_height(a);
	assert_int_equal(a->sv.layout.n, 50);
	assert_int_equal(a->sv.layout.rows[49].depth, 49);
	assert_string_equal(sv_row_name(a, 49), "d49");
	assert_string_equal(sv_sel_name(a), "d25");
	assert_true(a->sv.tree_pos.sel >= a->sv.tree_pos.top && a->sv.tree_pos.sel < a->sv.tree_pos.top + h);
	sv_key(a, 'G');
	assert_int_equal(a->sv.tree_pos.sel, 49);
	assert_string_equal(sv_sel_name(a), "d49");
	assert_true(a->sv.tree_pos.sel >= a->sv.tree_pos.top && a->sv.tree_pos.sel < a->sv.tree_pos.top + h);
	sv_key(a, 'j');
	assert_int_equal(a->sv.tree_pos.sel, 49);
	sv_key(a, 'g');
	assert_int_equal(a->sv.tree_pos.sel, 0);
	assert_int_equal(a->sv.tree_pos.top, 0);
	sv_key(a, 'j');
	assert_string_equal(sv_sel_name(a), "d01");

	/* A root with 100 children, created in the reverse of listing order. */
	snprintf(wn[0], sizeof(wn[0]), "root");
	wide[0].name = wn[0];
	wide[0].parent = NULL;
	wide[0].ctime = 0;
	wide[0].current = false;
	for (i = 1; i <= 100; i++) {
		snprintf(wn[i], sizeof(wn[i]), "c%03zu", i - 1);
		wide[i].name = wn[i];
		wide[i].parent = "root";
		wide[i].ctime = 1000 - (long long)i;
		wide[i].current = i == 100;
	}
	sv_key(a, 'q');
	sv_select_vm(a, "web");
	sv_key(a, VK_ENTER);
	sv_deliver(a, "web", wide, 101, "qcow2");
	assert_int_equal(a->sv.layout.n, 101);
	assert_int_equal(a->sv.layout.rows[0].children, 100);
	assert_string_equal(sv_row_name(a, 1), "c099"); /* oldest first */
	assert_string_equal(sv_row_name(a, 100), "c000");
	assert_int_equal(a->sv.layout.rows[100].glyphs[0], TG_ELBOW);
	assert_string_equal(sv_sel_name(a), "c099"); /* the current one */
	sv_key(a, 'G');
	assert_int_equal(a->sv.tree_pos.sel, 100);
	assert_true(a->sv.tree_pos.sel >= a->sv.tree_pos.top && a->sv.tree_pos.sel < a->sv.tree_pos.top + h);
	sv_key(a, 'g');
	assert_int_equal(a->sv.tree_pos.sel, 0);
	sv_key(a, 'j');
	sv_key(a, 'j');
	assert_string_equal(sv_sel_name(a), "c098");
	/* Collapsing the root hides all hundred. */
	sv_key(a, 'g');
	sv_key(a, ' ');
	assert_int_equal(a->sv.layout.n, 1);
}

#define SV(f) cmocka_unit_test_setup_teardown(f, sv_setup, sv_teardown)

int test_snapview_group(void)
{
	const struct CMUnitTest tests[] = {
		SV(enter_opens_the_vm_and_shows_its_tree),
		SV(space_collapses_and_expands_and_survives_a_reload),
		SV(take_from_the_list_sends_the_name_as_typed),
		SV(take_accepts_the_prefilled_name),
		SV(take_form_cancels_on_esc),
		SV(take_refuses_an_empty_name),
		SV(take_refuses_a_slash_in_the_name),
		SV(take_refuses_a_duplicate_name),
		SV(take_refuses_control_characters_in_the_name),
		SV(take_refuses_on_a_read_only_connection),
		SV(take_refuses_a_raw_disk),
		SV(take_from_the_list_checks_disks_once_they_arrive),
		SV(take_refuses_a_busy_vm),
		SV(take_never_cuts_a_long_name),
		SV(take_form_refused_once_the_vm_is_busy),
		SV(take_form_says_what_the_snapshot_holds),
		SV(take_form_offers_the_kinds_the_state_allows),
		SV(take_form_leaves_out_external_for_a_network_disk),
		SV(revert_asks_naming_the_snapshot_and_the_memory_lost),
		SV(revert_to_an_external_snapshot_says_how_or_why_not),
		SV(delete_of_an_external_snapshot_says_what_merges),
		SV(delete_of_an_external_snapshot_goes_one_at_a_time),
		SV(revert_of_a_shut_off_vm_loses_only_disk_state),
		SV(revert_says_the_state_it_leaves),
		SV(revert_of_a_hibernated_vm_discards_the_saved_state),
		SV(risky_revert_asks_again_to_force),
		SV(risky_revert_declined_runs_nothing),
		SV(risky_revert_answer_does_not_hijack_an_open_form),
		SV(failed_operation_shows_libvirt_message),
		SV(delete_offers_four_ways),
		SV(delete_with_children_lists_them_all),
		SV(delete_with_children_lists_grandchildren),
		SV(delete_children_only_keeps_the_parent),
		SV(delete_this_one_only_lists_it_alone),
		SV(delete_metadata_only_forgets_it),
		SV(delete_children_of_a_leaf_refuses),
		SV(delete_menu_cancels_on_esc),
		SV(job_progress_is_polled_while_it_runs),
		SV(keys_that_do_nothing_here_say_where_they_work),
		SV(chain_pane_keys_fall_back_to_the_screen_then_everywhere),
		SV(enter_shows_the_description_whole),
		SV(jobs_screen_aborts_only_a_running_job),
		SV(deep_and_wide_trees_lay_out_and_scroll),
	};

	return cmocka_run_group_tests_name("snapview", tests, NULL, NULL);
}
