/* The VM screen's chain pane and the block jobs it starts, driven the way
 * an operator drives them: keys in, disk chains, job results and libvirt's
 * block-job events arriving as events, commands out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/xml.h"
#include "core/app.h"
#include "core/checkview.h"
#include "core/clone.h"
#include "core/chainview.h"
#include "core/help.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* 2026-01-01 00:00:00 UTC */
#define CH_WALL 1767225600LL
#define CH_T0 1000000LL
#define CH_IMG "/var/lib/libvirt/images/"
#define MIB (1024ULL * 1024ULL)

/* The layers every VM of these stories has: vda a chain of three, the top
 * two in the images folder and the base in another; vdb a raw disk. */
struct ch_chain {
	char top[256], mid[256], base[256], data[256];
};

static struct ch_chain ch_chain_of(const char *vm)
{
	struct ch_chain c;

	snprintf(c.top, sizeof(c.top), CH_IMG "%s-vda-top.qcow2", vm);
	snprintf(c.mid, sizeof(c.mid), CH_IMG "%s-vda-mid.qcow2", vm);
	snprintf(c.base, sizeof(c.base), "/srv/golden/debian12.qcow2");
	snprintf(c.data, sizeof(c.data), "/srv/data/%s-data.img", vm);
	return c;
}

static const struct {
	const char *name;
	enum be_vm_state state;
} ch_vms[] = {
	{"web", BE_VM_RUNNING},
	{"db", BE_VM_PAUSED},
	{"alpha", BE_VM_SHUTOFF},
	{"gamma", BE_VM_SAVED}, /* hibernated */
	{"my vm/\xc3\xa9", BE_VM_SHUTOFF},
};

static int ch_setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm vms[ARRAY_LEN(ch_vms)];
	struct cmds out = {0};
	size_t i;

	for (i = 0; i < ARRAY_LEN(ch_vms); i++)
		vms[i] = unit_vm(ch_vms[i].name, ch_vms[i].state, 2, 3);
	app_init(a, "test:///x", "host1", false);
	unit_load_vms(a, vms, ARRAY_LEN(vms), &out);
	*state = a;
	return 0;
}

static int ch_teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

static struct cmds ch_handle(struct app *a, struct event *ev)
{
	struct cmds out = {0};

	app_handle(a, ev, &out);
	event_clear(ev);
	return out;
}

/* A key at time now (0: the clock stays where it is). */
static struct cmds ch_key_at(struct app *a, int k, long long now)
{
	struct event ev = {.type = EV_KEY, .key = k, .wall = CH_WALL, .now_ms = now};

	return ch_handle(a, &ev);
}

static struct cmds ch_key(struct app *a, int k)
{
	return ch_key_at(a, k, 0);
}

static void ch_type(struct app *a, const char *s)
{
	while (*s)
		ch_key(a, (unsigned char)*s++);
}



/* One disk as the backend reports it. */
struct ch_disk {
	const char *target;
	size_t n;
	const char *path[8];
	const char *format[8];
	long long alloc[8];
};

/* Delivers the VM's snapshots (s1, and s2 below it, current) and disks;
 * s1 lives in vda's second layer, s2 in its top one. */
static struct cmds ch_deliver(struct app *a, const char *vm, const struct ch_disk *disks, size_t nd)
{
	struct event ev = {.type = EV_SNAPSHOTS};
	size_t i, j;

	str_copy(ev.name, vm, sizeof(ev.name));
	ev.snaps.s = xcalloc(2, sizeof(*ev.snaps.s));
	ev.snaps.n = 2;
	for (i = 0; i < 2; i++) {
		struct be_snapshot *s = &ev.snaps.s[i];

		s->name = xstrdup(i ? "s2" : "s1");
		s->parent = i ? xstrdup("s1") : NULL;
		s->description = xstrdup("");
		s->ctime = 100 + (long long)i;
		str_copy(s->state, "shutoff", sizeof(s->state));
		s->current = i == 1;
		s->disks = xstrdup("vda internal");
		if (nd && disks[0].n > 1) {
			s->files = xcalloc(1, sizeof(*s->files));
			s->nfiles = 1;
			s->files[0].disk = xstrdup("vda");
			s->files[0].path = xstrdup(disks[0].path[i ? 0 : 1]);
		}
	}
	ev.disks.d = xcalloc(nd, sizeof(*ev.disks.d));
	ev.disks.n = nd;
	for (i = 0; i < nd; i++) {
		struct be_disk *d = &ev.disks.d[i];

		d->target = xstrdup(disks[i].target);
		d->layers = xcalloc(disks[i].n, sizeof(*d->layers));
		d->nlayers = disks[i].n;
		d->end = BE_END_COMPLETE;
		for (j = 0; j < disks[i].n; j++) {
			d->layers[j].path = xstrdup(disks[i].path[j]);
			d->layers[j].format = xstrdup(disks[i].format[j]);
			d->layers[j].capacity = 10LL << 30;
			d->layers[j].allocation = disks[i].alloc[j];
			d->layers[j].in_pool = true;
		}
	}
	return ch_handle(a, &ev);
}

/* vda: top (3 MiB used), mid (size unknown), base; vdb: one raw layer. */
static void ch_deliver_standard(struct app *a, const char *vm)
{
	struct ch_chain c = ch_chain_of(vm);
	struct ch_disk d[2] = {
		{"vda", 3, {c.top, c.mid, c.base}, {"qcow2", "qcow2", "qcow2"}, {3 * (long long)MIB, -1, 2LL << 30}},
		{"vdb", 1, {c.data}, {"raw"}, {5LL << 30}},
	};

	ch_deliver(a, vm, d, 2);
}

static void ch_select_vm(struct app *a, const char *name)
{
	size_t i;

	ch_key(a, '1');
	ch_key(a, 'g');
	for (i = 0; i < a->nrows && strcmp(vmlist_selected(a)->name, name); i++)
		ch_key(a, 'j');
	assert_string_equal(vmlist_selected(a)->name, name);
}

/* Opens vm's screen, delivers its chains and goes to the chain pane. */
static void ch_open(struct app *a, const char *vm)
{
	ch_select_vm(a, vm);
	ch_key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	assert_string_equal(a->sv.vm, vm);
	ch_deliver_standard(a, vm);
	if (a->sv.pane != PANE_CHAIN)
		ch_key(a, VK_TAB);
	assert_int_equal(a->sv.pane, PANE_CHAIN);
}

/* Moves the chain selection onto layer of disk (0 vda, 1 vdb). */
static void ch_select_layer(struct app *a, size_t disk, size_t layer)
{
	size_t i, di = 99, li = 99;

	ch_key(a, 'g');
	for (i = 0; i < chainview_rows(&a->sv); i++) {
		assert_true(chainview_at(&a->sv, a->sv.chain_pos.sel, &di, &li));
		if (di == disk && li == layer)
			break;
		ch_key(a, 'j');
	}
	assert_int_equal(di, disk);
	assert_int_equal(li, layer);
}

static struct cmds ch_op_done(struct app *a, int job, enum cmd_type op, const char *vm, const char *disk, int rc,
			      enum be_err_kind kind, const char *msg)
{
	struct event ev = {.type = EV_OP_DONE, .job = job, .op = (int)op, .rc = rc};

	str_copy(ev.name, vm, sizeof(ev.name));
	str_copy(ev.disk, disk, sizeof(ev.disk));
	ev.err.kind = kind;
	if (msg)
		str_copy(ev.err.msg, msg, sizeof(ev.err.msg));
	return ch_handle(a, &ev);
}

/* The worker's answer to a CMD_BLOCK_ABORT. */
static struct cmds ch_abort_done(struct app *a, int job, const char *vm, const char *disk, bool pivot, int rc,
				 const char *msg)
{
	struct event ev = {.type = EV_OP_DONE, .job = job, .op = CMD_BLOCK_ABORT, .rc = rc, .pivot = pivot};

	str_copy(ev.name, vm, sizeof(ev.name));
	str_copy(ev.disk, disk, sizeof(ev.disk));
	if (msg)
		str_copy(ev.err.msg, msg, sizeof(ev.err.msg));
	return ch_handle(a, &ev);
}

static struct cmds ch_block_event(struct app *a, const char *vm, const char *disk, enum be_bj_type t,
				  enum be_bj_status st)
{
	struct event ev = {.type = EV_BLOCK_EVENT, .bj_status = st};

	str_copy(ev.name, vm, sizeof(ev.name));
	str_copy(ev.disk, disk, sizeof(ev.disk));
	ev.bj.type = t;
	return ch_handle(a, &ev);
}

static struct cmds ch_block_info(struct app *a, const struct job *j, int rc, unsigned long long cur,
				 unsigned long long end, long long now)
{
	struct event ev = {.type = EV_BLOCK_INFO, .job = j->id, .rc = rc, .now_ms = now};

	str_copy(ev.name, j->vm, sizeof(ev.name));
	str_copy(ev.disk, j->disk, sizeof(ev.disk));
	if (rc == 1) {
		str_copy(ev.bj.vm, j->vm, sizeof(ev.bj.vm));
		str_copy(ev.bj.disk, j->disk, sizeof(ev.bj.disk));
		ev.bj.type = BE_BJ_ACTIVE_COMMIT;
		ev.bj.cur = cur;
		ev.bj.end = end;
	}
	return ch_handle(a, &ev);
}

struct ch_found {
	const char *vm, *disk;
	enum be_bj_type type;
	unsigned long long cur, end;
	bool ready;
};

static struct cmds ch_found(struct app *a, const struct ch_found *f, size_t n, int rc)
{
	struct event ev = {.type = EV_BLOCK_JOBS, .rc = rc};
	size_t i;

	ev.bjobs.j = xcalloc(n, sizeof(*ev.bjobs.j));
	ev.bjobs.n = n;
	for (i = 0; i < n; i++) {
		str_copy(ev.bjobs.j[i].vm, f[i].vm, sizeof(ev.bjobs.j[i].vm));
		str_copy(ev.bjobs.j[i].disk, f[i].disk, sizeof(ev.bjobs.j[i].disk));
		ev.bjobs.j[i].type = f[i].type;
		ev.bjobs.j[i].cur = f[i].cur;
		ev.bjobs.j[i].end = f[i].end;
		ev.bjobs.j[i].ready = f[i].ready;
	}
	return ch_handle(a, &ev);
}

static struct job *ch_job_on(struct app *a, const char *vm, const char *disk)
{
	size_t i;

	for (i = a->njobs; i-- > 0;)
		if (!strcmp(a->jobs[i].vm, vm) && !strcmp(a->jobs[i].disk, disk))
			return &a->jobs[i];
	return NULL;
}

/* The jobs screen with the job id selected. */
static void ch_select_job(struct app *a, int id)
{
	size_t i;

	ch_key(a, '2');
	assert_int_equal(a->screen, SCREEN_JOBS);
	ch_key(a, 'g');
	for (i = 0; i < a->njobs && a->jobs[a->jobs_pos.sel].id != id; i++)
		ch_key(a, 'j');
	assert_int_equal(a->jobs[a->jobs_pos.sel].id, id);
}

/* Asserts that key was refused on the current screen, with reason in
 * the status line, asking nothing and running nothing. */
static void ch_assert_refused(struct app *a, int key, const char *reason)
{
	size_t jobs = a->njobs;
	struct cmds out = ch_key(a, key);

	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	if (!strstr(a->status, reason))
		fail_msg("key %c: '%.300s', not '%s'", key, a->status, reason);
	assert_int_equal(a->njobs, jobs);
}

/* Commits vm's top layer into mid (c on layer 1, y): returns the job. */
static struct job *ch_commit_top(struct app *a, const char *vm)
{
	struct cmds out;
	const struct cmd *c;

	ch_open(a, vm);
	ch_select_layer(a, 0, 1);
	ch_key(a, 'c');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = ch_key(a, 'y');
	c = cmds_find(&out, CMD_BLOCK_COMMIT);
	assert_non_null(c);
	assert_non_null(jobs_find(a, c->job));
	return jobs_find(a, c->job);
}

static void ch_expected_default(char *buf, size_t n, const char *dir, const char *vm, const char *disk)
{
	time_t t = (time_t)CH_WALL;
	struct tm tm;
	char stamp[32];

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, n, "%s%s-%s-%s.qcow2", dir, vm, disk, stamp);
}

/* 1: Tab, moves */
static void tab_switches_to_the_chains_and_moves_there(void **state)
{
	struct app *a = *state;
	struct cmds out;
	size_t di, li;

	ch_select_vm(a, "web");
	ch_key(a, VK_ENTER);
	ch_deliver_standard(a, "web");
	assert_int_equal(a->sv.pane, PANE_SNAPSHOTS);
	assert_int_equal(a->sv.tree_pos.sel, 1); /* s2, the current snapshot */
	assert_int_equal(chainview_rows(&a->sv), 4);

	out = ch_key(a, VK_TAB);
	/* Every VM's chains load behind the pane, to tell shared images. */
	assert_int_equal(out.n, 1);
	assert_int_equal(out.c[0].type, CMD_LOAD_IMAGES);
	assert_int_equal(a->sv.pane, PANE_CHAIN);
	assert_int_equal(a->sv.chain_pos.sel, 0);
	assert_true(chainview_at(&a->sv, 0, &di, &li));
	assert_int_equal(di, 0);
	assert_int_equal(li, 0);

	ch_key(a, 'j');
	ch_key(a, VK_DOWN);
	assert_int_equal(a->sv.chain_pos.sel, 2);
	assert_true(chainview_at(&a->sv, 2, &di, &li));
	assert_int_equal(di, 0);
	assert_int_equal(li, 2);
	ch_key(a, 'j');
	assert_true(chainview_at(&a->sv, a->sv.chain_pos.sel, &di, &li));
	assert_int_equal(di, 1); /* vdb follows vda's base */
	assert_int_equal(li, 0);
	ch_key(a, 'j');
	assert_int_equal(a->sv.chain_pos.sel, 3); /* the last row stays */
	assert_false(chainview_at(&a->sv, 4, &di, &li));
	ch_key(a, 'k');
	assert_int_equal(a->sv.chain_pos.sel, 2);
	ch_key(a, 'g');
	assert_int_equal(a->sv.chain_pos.sel, 0);
	ch_key(a, 'G');
	assert_int_equal(a->sv.chain_pos.sel, 3);
	ch_key(a, VK_PAGE_UP);
	assert_int_equal(a->sv.chain_pos.sel, 0);
	ch_key(a, VK_PAGE_DOWN);
	assert_int_equal(a->sv.chain_pos.sel, 3);
	/* The tree's selection did not move with it. */
	assert_int_equal(a->sv.tree_pos.sel, 1);

	/* Keys of the tree say where they work. */
	out = ch_key(a, 'r');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "Tab"));
	ch_assert_refused(a, ' ', "snapshot tree");
	ch_assert_refused(a, 'd', "snapshot tree");

	/* Back in the tree, moves move the tree, not the chain. */
	ch_key(a, VK_TAB);
	assert_int_equal(a->sv.pane, PANE_SNAPSHOTS);
	ch_key(a, 'g');
	assert_int_equal(a->sv.tree_pos.sel, 0);
	assert_int_equal(a->sv.chain_pos.sel, 3);

	/* A chain read again with fewer rows keeps the selection on one. */
	{
		struct ch_disk one = {"vda", 1, {"/img/only.qcow2"}, {"qcow2"}, {-1}};

		ch_deliver(a, "web", &one, 1);
	}
	assert_int_equal(chainview_rows(&a->sv), 1);
	assert_int_equal(a->sv.chain_pos.sel, 0);
	ch_key(a, VK_TAB);
	assert_int_equal(a->sv.pane, PANE_CHAIN);

	/* Another VM opens on its snapshot tree. */
	ch_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VMLIST);
	ch_select_vm(a, "alpha");
	ch_key(a, VK_ENTER);
	assert_int_equal(a->sv.pane, PANE_SNAPSHOTS);
}

/* 2: new overlay */
static void overlay_form_proposes_a_file_next_to_the_top_layer(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct cmds out;
	const struct cmd *cmd;
	const struct job *j;
	char want[512];

	ch_open(a, "web");
	ch_select_layer(a, 0, 2); /* the base, in another folder */
	out = ch_key(a, 'o');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_int_equal(a->dlg.cmd->type, CMD_OVERLAY_NEW);
	assert_int_equal(a->dlg.nfields, 3);
	assert_string_equal(a->dlg.field[1].value, "no"); /* no snapshot metadata, as always */
	assert_string_equal(a->dlg.cmd->name, "web");
	assert_string_equal(a->dlg.cmd->disk, "vda");
	assert_non_null(strstr(a->dlg.title, "vda"));
	assert_non_null(strstr(a->dlg.title, "web"));
	assert_non_null(strstr(a->dlg.text, c.top)); /* what it goes on */
	assert_non_null(strstr(a->dlg.text, "runs"));
	ch_expected_default(want, sizeof(want), CH_IMG, "web", "vda");
	assert_string_equal(a->dlg.field[0].value, want);

	out = ch_key(a, VK_ENTER);
	cmd = cmds_find(&out, CMD_OVERLAY_NEW);
	assert_non_null(cmd);
	assert_int_equal(out.n, 1);
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->disk, "vda");
	assert_string_equal(cmd->u.overlay_new.path, want);
	assert_false(cmd->u.overlay_new.record);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 1);
	j = &a->jobs[0];
	assert_int_equal(cmd->job, j->id);
	assert_int_equal(j->op, CMD_OVERLAY_NEW);
	assert_int_equal(j->status, JOB_RUNNING);
	assert_false(j->block); /* no block job: it ends with its operation */
	assert_string_equal(j->disk, "vda");
	assert_false(a->status_error);

	out = ch_op_done(a, j->id, CMD_OVERLAY_NEW, "web", "vda", 0, BE_ERR_OTHER, NULL);
	assert_int_equal(a->jobs[0].status, JOB_DONE);
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS)); /* the new chain */
	assert_string_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->name, "web");
	assert_int_equal(a->screen, SCREEN_VM);
	assert_int_equal(a->sv.pane, PANE_CHAIN);
}

/* o may record the overlay as an external disk-only snapshot, named in
 * the form and checked as the snapshot form checks names. */
static void overlay_recorded_as_a_snapshot(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *cmd;

	ch_open(a, "web");
	ch_select_layer(a, 0, 0);
	ch_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	ch_key(a, VK_TAB);
	ch_key(a, ' ');
	assert_string_equal(a->dlg.field[1].value, "yes");
	ch_key(a, VK_TAB);
	ch_key(a, 21); /* Ctrl-U: no name */
	out = ch_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_OVERLAY_NEW));
	assert_int_equal(a->dlg.kind, DLG_FORM); /* still open to correct */
	assert_non_null(strstr(a->status, "needs a name"));
	ch_type(a, "a/b");
	out = ch_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_OVERLAY_NEW));
	ch_key(a, 21);
	ch_type(a, "before \"upgrade\" <&>");
	out = ch_key(a, VK_ENTER);
	cmd = cmds_find(&out, CMD_OVERLAY_NEW);
	assert_non_null(cmd);
	assert_true(cmd->u.overlay_new.record);
	assert_string_equal(cmd->snap, "before \"upgrade\" <&>");
	assert_non_null(strstr(a->jobs[0].what, "snapshot 'before"));
}

static void overlay_on_a_shut_off_vm_and_a_typed_path(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *cmd;
	char want[512];
	const char *typed = "/srv/data/n\xc3\xa9w & <1> 'q' \"z\".qcow2";

	ch_open(a, "alpha");
	ch_select_layer(a, 1, 0); /* vdb */
	ch_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.cmd->disk, "vdb");
	assert_non_null(strstr(a->dlg.text, "storage pool"));
	ch_expected_default(want, sizeof(want), "/srv/data/", "alpha", "vdb");
	assert_string_equal(a->dlg.field[0].value, want);

	ch_key(a, 21); /* Ctrl-U */
	ch_type(a, "/srv/data/n");
	ch_key(a, 0xE9);
	ch_type(a, "w & <1> 'q' \"z\".qcow2");
	out = ch_key(a, VK_ENTER);
	cmd = cmds_find(&out, CMD_OVERLAY_NEW);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "alpha");
	assert_string_equal(cmd->disk, "vdb");
	assert_string_equal(cmd->u.overlay_new.path, typed);
}

/* A VM name that is no file name becomes one. */
static void overlay_default_name_from_an_odd_vm_name(void **state)
{
	struct app *a = *state;
	const char *vm = "my vm/\xc3\xa9";
	struct cmds out;
	char want[512];

	ch_open(a, vm);
	ch_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	/* The top layer is CH_IMG "my vm/\xc3\xa9-vda-top.qcow2": its folder. */
	ch_expected_default(want, sizeof(want), CH_IMG "my vm/", "my_vm___", "vda");
	assert_string_equal(a->dlg.field[0].value, want);
	out = ch_key(a, VK_ENTER);
	assert_non_null(cmds_find(&out, CMD_OVERLAY_NEW));
	assert_string_equal(cmds_find(&out, CMD_OVERLAY_NEW)->name, vm);
	assert_string_equal(cmds_find(&out, CMD_OVERLAY_NEW)->u.overlay_new.path, want);
}

static void ch_assert_form_refuses(struct app *a, const char *path, const char *reason)
{
	struct cmds out;

	ch_key(a, 21);
	ch_type(a, path);
	out = ch_key(a, VK_ENTER);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_FORM); /* still open to correct */
	assert_string_equal(a->dlg.field[0].value, path);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, reason));
	assert_int_equal(a->njobs, 0);
}

static void overlay_form_refuses_bad_paths_and_stays_open(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct cmds out;

	ch_open(a, "web");
	ch_key(a, 'o');
	ch_assert_form_refuses(a, "images/new.qcow2", "absolute");
	ch_assert_form_refuses(a, "/srv/data/", "folder");
	ch_assert_form_refuses(a, c.top, "already a layer");
	ch_assert_form_refuses(a, c.mid, "already a layer");
	ch_assert_form_refuses(a, c.base, "already a layer");
	ch_assert_form_refuses(a, c.data, "already a layer"); /* another disk's */

	ch_key(a, 21);
	ch_type(a, CH_IMG "web-vda-new.qcow2");
	out = ch_key(a, VK_ENTER);
	assert_non_null(cmds_find(&out, CMD_OVERLAY_NEW));
	assert_string_equal(cmds_find(&out, CMD_OVERLAY_NEW)->u.overlay_new.path, CH_IMG "web-vda-new.qcow2");
	assert_int_equal(a->dlg.kind, DLG_NONE);

	/* Esc leaves a form without an overlay. */
	ch_op_done(a, a->jobs[0].id, CMD_OVERLAY_NEW, "web", "vda", 0, BE_ERR_OTHER, NULL);
	ch_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	out = ch_key(a, VK_ESC);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 1);
	assert_int_equal(a->screen, SCREEN_VM);
}

/* 3: discard the top overlay */
static void discard_is_refused_while_the_vm_runs(void **state)
{
	struct app *a = *state;

	ch_open(a, "web");
	ch_assert_refused(a, 'x', "running");
	assert_non_null(strstr(a->status, "shut it down"));
	ch_select_layer(a, 0, 2);
	ch_assert_refused(a, 'x', "running");
	ch_assert_refused(a, 'Z', "running");

	ch_open(a, "db"); /* paused: QEMU still holds the active layer */
	ch_assert_refused(a, 'x', "shut it down");
	ch_select_layer(a, 0, 1);
	ch_assert_refused(a, 'Z', "shut it down");
}

static void discard_on_a_shut_off_vm_asks_naming_the_file(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *cmd;
	char line[512];

	ch_open(a, "alpha");
	out = ch_key(a, 'x');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg.cmd->type, CMD_OVERLAY_DISCARD);
	assert_non_null(strstr(a->dlg.title, "top overlay"));
	assert_non_null(strstr(a->dlg.text, "1 overlay "));
	snprintf(line, sizeof(line), "  %s (3.0 MiB used)\n", c.top);
	assert_non_null(strstr(a->dlg.text, line));
	assert_null(strstr(a->dlg.text, "  " CH_IMG "alpha-vda-mid")); /* kept */
	snprintf(line, sizeof(line), "on %s, which stays read-only", c.mid);
	assert_non_null(strstr(a->dlg.text, line));
	assert_non_null(strstr(a->dlg.text, "Lost"));
	/* s2 lives in the top layer and goes with it; s1 stays. */
	assert_non_null(strstr(a->dlg.text, "Snapshot 's2' lives in these files and goes with them."));
	assert_null(strstr(a->dlg.text, "'s1'"));
	/* Who else reads the kept layer is not known yet: no direct write. */
	assert_int_equal(a->dlg.nitems, 1);
	assert_int_equal(a->dlg.cmd->type, CMD_OVERLAY_DISCARD);

	out = ch_key(a, 'n');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 0);

	/* x is about the top overlay, whichever layer of the disk is selected. */
	ch_select_layer(a, 0, 2);
	ch_key(a, 'x');
	assert_int_equal(ch_key(a, 'w').n, 0); /* not offered: cancels */
	assert_int_equal(a->dlg.kind, DLG_NONE);
	ch_key(a, 'x');
	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_OVERLAY_DISCARD);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "alpha");
	assert_string_equal(cmd->disk, "vda");
	assert_string_equal(cmd->u.overlay_discard.keep, c.mid); /* what the disk keeps */
	ch_expected_default(line, sizeof(line), CH_IMG, "alpha", "vda");
	assert_string_equal(cmd->u.overlay_discard.fresh, line); /* the fresh overlay on it */
	assert_int_equal(a->njobs, 1);
	assert_int_equal(a->jobs[0].op, CMD_OVERLAY_DISCARD);
	assert_int_equal(cmd->job, a->jobs[0].id);

	/* A disk with no backing file has no overlay to discard. */
	ch_op_done(a, a->jobs[0].id, CMD_OVERLAY_DISCARD, "alpha", "vda", 0, BE_ERR_OTHER, NULL);
	ch_select_layer(a, 1, 0);
	ch_assert_refused(a, 'x', "no backing file");
	assert_non_null(strstr(a->status, "vdb"));
}

/* 4: reset to a layer */
static void reset_to_layer_two_lists_both_overlays(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *cmd;
	char line[512];

	ch_open(a, "alpha");
	ch_select_layer(a, 0, 2);
	out = ch_key(a, 'Z');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_non_null(strstr(a->dlg.title, c.base));
	assert_non_null(strstr(a->dlg.text, "Snapshots 's1', 's2' live in these files"));
	assert_non_null(strstr(a->dlg.text, "2 overlays"));
	snprintf(line, sizeof(line), "  %s (3.0 MiB used)\n", c.top);
	assert_non_null(strstr(a->dlg.text, line));
	snprintf(line, sizeof(line), "  %s\n", c.mid);
	assert_non_null(strstr(a->dlg.text, line));
	snprintf(line, sizeof(line), "  %s", c.base);
	assert_null(strstr(a->dlg.text, line)); /* the base stays */
	snprintf(line, sizeof(line), "on %s, which stays read-only", c.base);
	assert_non_null(strstr(a->dlg.text, line));

	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_OVERLAY_DISCARD);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "alpha");
	assert_string_equal(cmd->disk, "vda");
	assert_string_equal(cmd->u.overlay_discard.keep, c.base);
	assert_int_equal(a->njobs, 1);
}

static void reset_to_layer_one_and_refusals(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;

	ch_open(a, "alpha");
	ch_select_layer(a, 0, 0);
	ch_assert_refused(a, 'Z', "Select the layer");
	ch_select_layer(a, 1, 0);
	ch_assert_refused(a, 'Z', "Select the layer");

	ch_select_layer(a, 0, 1);
	ch_key(a, 'Z');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_non_null(strstr(a->dlg.text, "1 overlay "));
	out = ch_key(a, 'y');
	assert_non_null(cmds_find(&out, CMD_OVERLAY_DISCARD));
	assert_string_equal(cmds_find(&out, CMD_OVERLAY_DISCARD)->u.overlay_discard.keep, c.mid);
}

/* Paths are carried whole or not at all. A 3000-byte path is committed
 * into whole; a chain with a path longer than any file can have (PATH_MAX)
 * is only shown; a fresh overlay whose name beside a long top layer would
 * not fit is never made under a cut name. */
static void long_paths_are_carried_whole_or_refused(void **state)
{
	struct app *a = *state;
	char *top = xcalloc(1, 5000), *mid = xcalloc(1, 5000);
	struct ch_disk d[1] = {{"vda", 2, {top, mid}, {"qcow2", "qcow2"}, {MIB, MIB}}};
	struct cmds out;
	size_t sizes[][2] = {{3000, 3000}, {4090, 100}, {4200, 100}};
	size_t i;

	ch_open(a, "alpha");
	for (i = 0; i < ARRAY_LEN(sizes); i++) {
		memset(top, 'd', sizes[i][0]);
		top[0] = '/';
		memcpy(top + sizes[i][0] - 6, "/t.img", 7);
		memset(mid, 'm', sizes[i][1]);
		mid[0] = '/';
		memcpy(mid + sizes[i][1] - 6, "/m.img", 7);
		ch_deliver(a, "alpha", d, 1);
		ch_select_layer(a, 0, 1);
		if (i == 0) {
			ch_key(a, 'c');
			assert_int_equal(a->dlg.kind, DLG_CONFIRM);
			out = ch_key(a, 'y');
			assert_non_null(cmds_find(&out, CMD_BLOCK_COMMIT));
			assert_string_equal(cmds_find(&out, CMD_BLOCK_COMMIT)->u.block_commit.base, mid);
			a->njobs = 0;
		} else if (i == 1) {
			/* The top fits; a name beside it does not. */
			ch_assert_refused(a, 'Z', "longer than a file can have");
			ch_key(a, 'o');
			assert_int_equal(a->dlg.kind, DLG_FORM);
			assert_string_equal(a->dlg.field[0].value, "");
			assert_non_null(strstr(a->status, "No file name offered"));
			ch_key(a, VK_ESC);
		} else {
			ch_assert_refused(a, 'c', "path of 4200 bytes");
			ch_assert_refused(a, 'Z', "path of 4200 bytes");
			ch_assert_refused(a, 'o', "path of 4200 bytes");
		}
	}
	free(top);
	free(mid);
}

/* 5: commit */
static void commit_of_a_disk_without_backing_file_is_refused(void **state)
{
	struct app *a = *state;

	ch_open(a, "web");
	ch_select_layer(a, 1, 0);
	ch_assert_refused(a, 'c', "Nothing to commit");
	assert_non_null(strstr(a->status, "vdb"));
}

static void commit_from_the_top_asks_directly(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct cmds out;
	const struct cmd *cmd;
	const struct job *j;
	char line[512];
	size_t layer;

	for (layer = 0; layer < 2; layer++) {
		ch_open(a, "web");
		ch_select_layer(a, 0, layer);
		out = ch_key(a, 'c');
		assert_int_equal(out.n, 0);
		assert_int_equal(a->dlg.kind, DLG_CONFIRM); /* no menu: one way only */
		assert_int_equal(a->dlg.cmd->type, CMD_BLOCK_COMMIT);
		assert_string_equal(a->dlg.cmd->u.block_commit.base, c.mid);
		assert_non_null(strstr(a->dlg.title, c.mid));
		snprintf(line, sizeof(line), "  %s (3.0 MiB used)\n", c.top);
		assert_non_null(strstr(a->dlg.text, line));
		snprintf(line, sizeof(line), "  %s\n", c.mid);
		assert_null(strstr(a->dlg.text, line));
		assert_non_null(strstr(a->dlg.text, "active commit"));
		if (layer == 0) {
			ch_key(a, 'n');
			assert_int_equal(a->njobs, 0);
		}
	}
	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_BLOCK_COMMIT);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->disk, "vda");
	assert_string_equal(cmd->u.block_commit.base, c.mid);
	snprintf(line, sizeof(line), "%s\n", c.top);
	assert_string_equal(cmd->u.block_commit.merged, line);
	assert_int_equal(a->njobs, 1);
	j = &a->jobs[0];
	assert_int_equal(cmd->job, j->id);
	assert_int_equal(j->op, CMD_BLOCK_COMMIT);
	assert_true(j->block);
	assert_false(j->offline);
	assert_false(j->found);
	assert_false(j->started); /* not until the call returns */
	assert_int_equal(j->bj_type, BE_BJ_ACTIVE_COMMIT);
	assert_string_equal(j->disk, "vda");
	assert_string_equal(j->merged, line);
	assert_int_equal(j->status, JOB_RUNNING);
	assert_true(app_wants_tick(a));
}

static void ch_commit_menu(struct app *a, const char *vm)
{
	struct ch_chain c = ch_chain_of(vm);
	struct cmds out;

	ch_open(a, vm);
	ch_select_layer(a, 0, 2);
	out = ch_key(a, 'c');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg.cmd->type, CMD_BLOCK_COMMIT);
	assert_string_equal(a->dlg.cmd->name, vm);
	assert_string_equal(a->dlg.cmd->disk, "vda");
	assert_int_equal(a->dlg.nitems, 2);
	assert_int_equal(a->dlg.item[0].key, 'b');
	assert_int_equal(a->dlg.item[1].key, 's');
	assert_non_null(strstr(a->dlg.item[0].label, c.mid));
}

static void commit_menu_b_merges_into_the_backing_file(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct cmds out;
	const struct cmd *cmd;
	char line[512];

	ch_commit_menu(a, "web");
	out = ch_key(a, 'b');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_BLOCK_COMMIT);
	assert_string_equal(a->dlg.cmd->u.block_commit.base, c.mid);
	snprintf(line, sizeof(line), "  %s (3.0 MiB used)\n", c.top);
	assert_non_null(strstr(a->dlg.text, line));
	snprintf(line, sizeof(line), "  %s\n", c.mid);
	assert_null(strstr(a->dlg.text, line));

	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_BLOCK_COMMIT);
	assert_non_null(cmd);
	assert_string_equal(cmd->disk, "vda");
	assert_string_equal(cmd->u.block_commit.base, c.mid);
	snprintf(line, sizeof(line), "%s\n", c.top);
	assert_string_equal(cmd->u.block_commit.merged, line);
}

/* The images model as its load reads it: two VMs' vda, each chain from
 * its top down, ended by NULL (up to four layers). */
static void ch_deliver_chains(struct app *a, const char *const vms[2], const char *const chains[2][5])
{
	struct event ev = {.type = EV_IMAGES};
	size_t i, j;

	ev.chains.v = xcalloc(2, sizeof(*ev.chains.v));
	ev.chains.n = 2;
	for (i = 0; i < 2; i++) {
		struct be_disk *d;

		ev.chains.v[i].vm = xstrdup(vms[i]);
		ev.chains.v[i].disks.d = d = xcalloc(1, sizeof(*d));
		ev.chains.v[i].disks.n = 1;
		d->target = xstrdup("vda");
		d->end = BE_END_COMPLETE;
		for (j = 0; chains[i][j]; j++)
			xml_disk_push(d, chains[i][j], "qcow2");
	}
	ch_handle(a, &ev);
	event_clear(&ev);
}

/* The chains of web and alpha: both on the shared golden base. */
static void ch_deliver_images(struct app *a)
{
	struct ch_chain w = ch_chain_of("web"), c = ch_chain_of("alpha");
	const char *const vms[2] = {"web", "alpha"};
	const char *const chains[2][5] = {{w.top, w.mid, w.base, NULL}, {c.top, c.mid, c.base, NULL}};

	ch_deliver_chains(a, vms, chains);
}

static void commit_into_a_base_another_vm_reads_is_refused_at_once(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct cmds out;
	char want[600];

	ch_deliver_images(a);
	ch_commit_menu(a, "web");
	out = ch_key(a, 's');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE); /* refused, not asked */
	assert_true(a->status_error);
	snprintf(want, sizeof(want), "Not committing into %s: alpha (disk vda) reads it", c.base);
	assert_string_equal(a->status, want);
	/* Into web's own middle layer, which nobody else reads: asked. */
	ch_commit_menu(a, "web");
	out = ch_key(a, 'b');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_string_equal(a->dlg.cmd->u.block_commit.base, c.mid);
}

/* The images model as its load reads it: alpha's own chain, and "my
 * vm/\xc3\xa9" built on alpha's top layer when on_top, else db built on
 * alpha's middle layer (a clone of alpha as it was then). */
static void ch_deliver_clone_of_alpha(struct app *a, bool on_top)
{
	struct ch_chain c = ch_chain_of("alpha");
	const char *clone = on_top ? "my vm/\xc3\xa9" : "db";
	const char *const chains[2][5] = {
		{c.top, c.mid, c.base, NULL},
		{on_top ? "/srv/clone/top.qcow2" : "/srv/db/top.qcow2", on_top ? c.top : c.mid, on_top ? c.mid : c.base,
		 on_top ? c.base : NULL},
	};
	const char *const vms[2] = {"alpha", clone};

	ch_deliver_chains(a, vms, chains);
}

/* A discard or reset deletes the layers above the one kept: one that
 * another VM's chain reads is refused at once, naming that VM, and
 * nothing is sent; layers nobody else reads can go. */
static void discard_and_reset_refuse_a_layer_another_vm_uses(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	char want[600];

	/* db is built on alpha's middle layer: resetting alpha to its base
	 * would delete it. */
	ch_deliver_clone_of_alpha(a, false);
	ch_open(a, "alpha");
	ch_select_layer(a, 0, 2);
	ch_assert_refused(a, 'Z', "Not deleting");
	snprintf(want, sizeof(want), "Not deleting %s: db (disk vda) reads it", c.mid);
	assert_string_equal(a->status, want);
	/* Discarding only the top layer, which db does not read, is asked. */
	out = ch_key(a, 'x');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_string_equal(a->dlg.cmd->u.overlay_discard.keep, c.mid);
	ch_key(a, 'n');

	/* A clone on alpha's top layer: even the top overlay stays. */
	ch_deliver_clone_of_alpha(a, true);
	ch_assert_refused(a, 'x', "Not deleting");
	snprintf(want, sizeof(want), "Not deleting %s: my vm/\xc3\xa9 (disk vda) reads it", c.top);
	assert_string_equal(a->status, want);
	ch_select_layer(a, 0, 1);
	ch_assert_refused(a, 'Z', want);
	assert_int_equal(a->njobs, 0);
}

/* c on the top layers commits into the backing file at once, with no
 * menu: when another VM's chain reads that file, it is refused there too. */
static void commit_into_a_backing_file_another_vm_reads_is_refused(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	char want[600];
	size_t layer;

	ch_deliver_clone_of_alpha(a, false);
	ch_open(a, "alpha");
	snprintf(want, sizeof(want), "Not committing into %s: db (disk vda) reads it", c.mid);
	for (layer = 0; layer < 2; layer++) {
		ch_select_layer(a, 0, layer);
		ch_assert_refused(a, 'c', "Not committing into");
		assert_string_equal(a->status, want);
	}
	assert_int_equal(a->njobs, 0);
}

static void commit_menu_s_merges_down_to_the_selected_base(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *cmd;
	const struct job *j;
	char line[512], merged[1024];

	ch_commit_menu(a, "alpha");
	out = ch_key(a, 's');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_string_equal(a->dlg.cmd->u.block_commit.base, c.base);
	assert_non_null(strstr(a->dlg.title, c.base));
	snprintf(line, sizeof(line), "  %s (3.0 MiB used)\n", c.top);
	assert_non_null(strstr(a->dlg.text, line));
	snprintf(line, sizeof(line), "  %s\n", c.mid);
	assert_non_null(strstr(a->dlg.text, line));
	assert_non_null(strstr(a->dlg.text, "shut off")); /* started paused for it */

	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_BLOCK_COMMIT);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "alpha");
	assert_string_equal(cmd->disk, "vda");
	assert_string_equal(cmd->u.block_commit.base, c.base);
	snprintf(merged, sizeof(merged), "%s\n%s\n", c.top, c.mid);
	assert_string_equal(cmd->u.block_commit.merged, merged);
	j = jobs_find(a, cmd->job);
	assert_non_null(j);
	assert_true(j->block);
	assert_true(j->offline);
	assert_string_equal(j->merged, merged);
}

static void commit_menu_cancels_on_any_other_key(void **state)
{
	struct app *a = *state;
	struct cmds out;

	ch_commit_menu(a, "web");
	out = ch_key(a, VK_ESC);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "Cancelled"));
	assert_int_equal(a->screen, SCREEN_VM); /* Esc closed the menu only */
	ch_key(a, 'c');
	out = ch_key(a, 'x');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 0);
}

/* 6: the VM's state */
static void hibernated_vm_keeps_its_disks(void **state)
{
	struct app *a = *state;

	ch_open(a, "gamma");
	ch_assert_refused(a, 'o', "hibernated");
	ch_assert_refused(a, 'x', "hibernated");
	ch_assert_refused(a, 'c', "hibernated");
	ch_select_layer(a, 0, 2);
	ch_assert_refused(a, 'c', "hibernated");
	ch_assert_refused(a, 'Z', "hibernated");
}

static void read_only_connection_changes_nothing(void **state)
{
	struct app *a = *state;
	const struct ch_found f[] = {{"web", "vda", BE_BJ_ACTIVE_COMMIT, 10, 10, true}};

	a->hosts[0].readonly = true;
	ch_open(a, "web");
	ch_assert_refused(a, 'o', "Read-only");
	ch_assert_refused(a, 'c', "Read-only");
	ch_open(a, "alpha");
	ch_assert_refused(a, 'x', "Read-only");
	ch_select_layer(a, 0, 2);
	ch_assert_refused(a, 'c', "Read-only");
	ch_assert_refused(a, 'Z', "Read-only");

	/* A job found running can be watched, not touched. */
	ch_found(a, f, 1, 0);
	assert_int_equal(a->njobs, 1);
	ch_select_job(a, a->jobs[0].id);
	ch_assert_refused(a, 'P', "Read-only");
	ch_assert_refused(a, 'a', "Read-only");
	assert_int_equal(a->jobs[0].status, JOB_READY);
}

static void a_busy_vm_gets_no_second_block_job(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	const struct ch_found f[] = {{"db", "vda", BE_BJ_COMMIT, 1, 9, false}};

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	assert_int_equal(jobs_find(a, id)->status, JOB_RUNNING);
	ch_assert_refused(a, 'c', "busy");
	ch_select_layer(a, 0, 2);
	ch_assert_refused(a, 'c', "busy");
	ch_assert_refused(a, 'o', "busy");
	ch_select_layer(a, 1, 0);
	ch_assert_refused(a, 'o', "busy"); /* another disk of the same VM too */
	assert_int_equal(a->njobs, 1);

	/* A job found running makes its VM busy too. */
	ch_found(a, f, 1, 0);
	assert_int_equal(a->njobs, 2);
	ch_open(a, "db");
	ch_select_layer(a, 0, 1);
	ch_assert_refused(a, 'c', "busy");

	/* Once the commit is over the VM is free again. */
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_FAILED);
	ch_open(a, "web");
	ch_select_layer(a, 0, 1);
	ch_key(a, 'c');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
}

/* 7: the events of a running VM's commit */
static void ready_commit_pivots_and_offers_to_delete_the_merged_file(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	struct cmds out;
	const struct cmd *cmd;
	char line[512];

	out = ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_RUNNING); /* libvirt runs it now */
	assert_true(j->started);
	assert_false(a->status_error);
	assert_non_null(strstr(a->status, "under way"));
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS));

	/* Polled while it runs. */
	{
		struct event tick = {.type = EV_TICK, .now_ms = CH_T0};

		out = ch_handle(a, &tick);
	}
	cmd = cmds_find(&out, CMD_BLOCK_INFO);
	assert_non_null(cmd);
	assert_int_equal(cmds_count(&out, CMD_JOB_INFO), 0);
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->disk, "vda");
	assert_int_equal(cmd->job, id);
	ch_block_info(a, j, 1, 50, 100, CH_T0 + 100);
	assert_int_equal(j->done, 50);
	assert_int_equal(j->total, 100);

	out = ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_READY);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_READY);
	assert_int_equal(j->done, j->total);
	assert_true(jobs_any_active(a)); /* not over: quitting still asks */
	cmd = cmds_find(&out, CMD_BLOCK_ABORT);
	assert_non_null(cmd); /* vmmanager started it: it pivots at once */
	assert_true(cmd->u.block_abort.pivot);
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->disk, "vda");
	assert_int_equal(cmd->job, id);
	assert_true(j->pivoting);
	assert_int_equal(a->njobs, 1); /* its own event, no stranger */

	/* Told again, it does not pivot twice. */
	out = ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_READY);
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 0);

	out = ch_abort_done(a, id, "web", "vda", true, 0, NULL);
	assert_int_equal(out.n, 0);
	assert_int_equal(jobs_find(a, id)->status, JOB_READY); /* until the event */
	assert_non_null(strstr(a->status, "Pivot"));

	out = ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_DONE);
	assert_int_equal(j->error[0], '\0');
	assert_false(app_wants_tick(a));
	assert_non_null(cmds_find(&out, CMD_LOAD_DETAILS));
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS)); /* the chain changed */
	assert_int_equal(cmds_count(&out, CMD_VOL_DELETE), 0); /* not unasked */
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	snprintf(line, sizeof(line), "%s\n", c.top);
	assert_string_equal(a->dlg.cmd->u.vol_delete.paths, line);
	assert_string_equal(a->dlg.cmd->name, "web");
	assert_non_null(strstr(a->dlg.text, c.top));
	assert_null(strstr(a->dlg.text, c.mid)); /* the chain still uses it */

	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_VOL_DELETE);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->u.vol_delete.paths, line);
	assert_int_equal(a->njobs, 2);
	assert_int_equal(a->jobs[1].op, CMD_VOL_DELETE);
	assert_int_equal(cmd->job, a->jobs[1].id);
}

static void delete_offer_declined_deletes_nothing(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "web");
	struct cmds out;

	ch_op_done(a, j->id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = ch_key(a, 'n');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 1);
}

static void canceled_and_failed_commits(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	struct cmds out;
	const struct cmd *cmd;

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	ch_select_job(a, id);
	out = ch_key(a, 'a');
	cmd = cmds_find(&out, CMD_BLOCK_ABORT);
	assert_non_null(cmd);
	assert_int_equal(cmds_count(&out, CMD_JOB_ABORT), 0);
	assert_false(cmd->u.block_abort.pivot); /* cancel, not pivot */
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->disk, "vda");
	assert_int_equal(cmd->job, id);
	assert_int_equal(jobs_find(a, id)->status, JOB_RUNNING);

	/* An abort libvirt refused leaves the job running. */
	ch_abort_done(a, id, "web", "vda", false, -1, "block job not ready");
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "Cannot abort"));
	assert_non_null(strstr(a->status, "block job not ready"));
	assert_int_equal(jobs_find(a, id)->status, JOB_RUNNING);

	ch_abort_done(a, id, "web", "vda", false, 0, NULL);
	assert_false(a->status_error);
	assert_non_null(strstr(a->status, "Abort"));
	assert_int_equal(jobs_find(a, id)->status, JOB_RUNNING);
	out = ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_CANCELED);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_ABORTED);
	assert_non_null(strstr(j->error, "aborted"));
	assert_int_equal(a->dlg.kind, DLG_NONE); /* nothing was merged */
	assert_false(a->status_error);
	assert_non_null(cmds_find(&out, CMD_LOAD_DETAILS));
	assert_false(app_wants_tick(a));
	/* Over: a and P have nothing to act on. */
	ch_assert_refused(a, 'a', "No running job");
	ch_assert_refused(a, 'P', "No running job");

	j = ch_commit_top(a, "web");
	id = j->id;
	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_FAILED);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_FAILED);
	assert_true(j->error[0] != '\0');
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "failed"));
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->njobs, 2);
}

static void refused_or_failed_start_ends_the_job(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	const char *why = "Not committing into /srv/golden/debian12.qcow2: the chain of vm2 uses it";

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", -1, BE_ERR_REFUSED, why);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_REFUSED);
	assert_string_equal(j->error, why);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "refused"));
	assert_non_null(strstr(a->status, why));
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_false(app_wants_tick(a));

	j = ch_commit_top(a, "web"); /* free again */
	id = j->id;
	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", -1, BE_ERR_OTHER, "cannot start the commit: boom");
	assert_int_equal(jobs_find(a, id)->status, JOB_FAILED);
	assert_non_null(strstr(a->status, "boom"));
}

/* 8: pivot and abort on the jobs screen */
static void pivot_only_a_ready_active_commit(void **state)
{
	struct app *a = *state;
	const struct ch_found f[] = {
		{"web", "vda", BE_BJ_ACTIVE_COMMIT, 10, 100, false},
		{"db", "vdb", BE_BJ_COMMIT, 5, 50, false},
	};
	struct cmds out;
	const struct cmd *cmd;
	int web, db;

	ch_found(a, f, 2, 0);
	assert_int_equal(a->njobs, 2);
	web = ch_job_on(a, "web", "vda")->id;
	db = ch_job_on(a, "db", "vdb")->id;
	ch_select_job(a, web);
	ch_assert_refused(a, 'P', "Not ready");
	assert_false(jobs_find(a, web)->pivoting);

	/* Ready: a job vmmanager did not start waits for the operator. */
	out = ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_READY);
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 0);
	assert_int_equal(jobs_find(a, web)->status, JOB_READY);
	assert_int_equal(a->njobs, 2);
	assert_non_null(strstr(a->status, "P "));

	ch_select_job(a, web);
	out = ch_key(a, 'P');
	cmd = cmds_find(&out, CMD_BLOCK_ABORT);
	assert_non_null(cmd);
	assert_true(cmd->u.block_abort.pivot);
	assert_string_equal(cmd->name, "web");
	assert_string_equal(cmd->disk, "vda");
	assert_int_equal(cmd->job, web);
	assert_false(a->status_error);

	/* A commit below the active layer ends by itself. */
	ch_select_job(a, db);
	ch_assert_refused(a, 'P', "Only an active commit");

	/* Neither does a snapshot job pivot. */
	ch_select_vm(a, "alpha");
	ch_key(a, 's');
	ch_key(a, VK_ENTER);
	assert_int_equal(a->jobs[a->njobs - 1].op, CMD_SNAP_CREATE);
	ch_select_job(a, a->jobs[a->njobs - 1].id);
	ch_assert_refused(a, 'P', "Only an active commit");
	out = ch_key(a, 'a');
	assert_non_null(cmds_find(&out, CMD_JOB_ABORT)); /* not a block job */
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 0);
}

static void failed_pivot_can_be_tried_again(void **state)
{
	struct app *a = *state;
	const struct ch_found f[] = {{"web", "vda", BE_BJ_ACTIVE_COMMIT, 100, 100, true}};
	struct cmds out;
	int id;

	ch_found(a, f, 1, 0);
	id = a->jobs[0].id;
	assert_int_equal(a->jobs[0].status, JOB_READY);
	ch_select_job(a, id);
	out = ch_key(a, 'P');
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 1);
	assert_true(a->jobs[0].pivoting);
	out = ch_key(a, 'P'); /* one pivot at a time */
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 0);

	ch_abort_done(a, id, "web", "vda", true, -1, "block copy still active: disk not ready for pivot yet");
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "Cannot pivot"));
	assert_non_null(strstr(a->status, "not ready for pivot"));
	assert_false(a->jobs[0].pivoting);
	assert_int_equal(a->jobs[0].status, JOB_READY);
	out = ch_key(a, 'P');
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 1);
	assert_true(cmds_find(&out, CMD_BLOCK_ABORT)->u.block_abort.pivot);
}

/* 9: jobs found running */
static void discovery_adopts_jobs_once(void **state)
{
	struct app *a = *state;
	struct app fresh;
	struct be_vm vms[] = {unit_vm("web", BE_VM_RUNNING, 2, 3), unit_vm("db", BE_VM_PAUSED, 2, 3)};
	const struct ch_found f[] = {
		{"web", "vda", BE_BJ_ACTIVE_COMMIT, 4 * MIB, 4 * MIB, true},
		{"db", "vdb", BE_BJ_COMMIT, MIB, 8 * MIB, false},
	};
	struct cmds out = {0};
	const struct job *w, *d;
	struct job *mine;
	size_t i;

	/* Looked for after the first list, not after every list. */
	app_init(&fresh, "test:///x", "host1", false);
	unit_load_vms(&fresh, vms, 2, &out);
	assert_int_equal(cmds_count(&out, CMD_FIND_BLOCK_JOBS), 1);
	out.n = 0;
	unit_load_vms(&fresh, vms, 2, &out);
	assert_int_equal(cmds_count(&out, CMD_FIND_BLOCK_JOBS), 0);
	out = ch_key(&fresh, VK_CTRL_L);
	assert_int_equal(cmds_count(&out, CMD_FIND_BLOCK_JOBS), 1);
	assert_int_equal(cmds_count(&out, CMD_LOAD_VMS), 1);
	app_free(&fresh);

	out = ch_found(a, f, 2, 0);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->njobs, 2);
	w = ch_job_on(a, "web", "vda");
	d = ch_job_on(a, "db", "vdb");
	assert_non_null(w);
	assert_non_null(d);
	assert_true(w->block && w->found && w->started);
	assert_true(d->block && d->found && d->started);
	assert_int_equal(w->status, JOB_READY);
	assert_int_equal(d->status, JOB_RUNNING);
	assert_int_equal(w->bj_type, BE_BJ_ACTIVE_COMMIT);
	assert_int_equal(d->bj_type, BE_BJ_COMMIT);
	assert_int_equal(d->done, MIB);
	assert_int_equal(d->total, 8 * MIB);
	assert_non_null(strstr(w->what, "found running"));
	assert_non_null(strstr(d->what, "vdb"));
	assert_non_null(strstr(d->what, "db"));
	assert_non_null(strstr(a->status, "2 block jobs"));
	assert_true(app_wants_tick(a));

	/* Found again (Ctrl-L): the same jobs, not new ones. */
	ch_found(a, f, 2, 0);
	assert_int_equal(a->njobs, 2);

	/* Nor a job vmmanager started itself. */
	ch_open(a, "alpha");
	ch_select_layer(a, 0, 1);
	ch_key(a, 'c');
	ch_key(a, 'y');
	mine = ch_job_on(a, "alpha", "vda");
	assert_non_null(mine);
	assert_false(mine->found);
	{
		const struct ch_found g[] = {{"alpha", "vda", BE_BJ_ACTIVE_COMMIT, 1, 2, false}};

		ch_found(a, g, 1, 0);
	}
	assert_int_equal(a->njobs, 3);
	assert_false(ch_job_on(a, "alpha", "vda")->found);

	/* A failed search changes nothing. */
	ch_found(a, NULL, 0, -1);
	assert_int_equal(a->njobs, 3);

	/* They are polled like the others: by disk. */
	{
		struct event tick = {.type = EV_TICK, .now_ms = CH_T0};

		out = ch_handle(a, &tick);
	}
	assert_int_equal(cmds_count(&out, CMD_BLOCK_INFO), 3);
	for (i = 0; i < (size_t)out.n; i++)
		assert_true(out.c[i].disk[0] != '\0');
	/* A ready one that only waits for its pivot, now and then. */
	for (i = 0; i < a->njobs; i++)
		ch_block_info(a, &a->jobs[i], 1, 1, 2, CH_T0 + 10);
	{
		struct event tick = {.type = EV_TICK, .now_ms = CH_T0 + 1000};

		out = ch_handle(a, &tick);
	}
	assert_int_equal(cmds_count(&out, CMD_BLOCK_INFO), 2);
	for (i = 0; i < (size_t)out.n; i++)
		assert_string_not_equal(out.c[i].name, "web");
	{
		struct event tick = {.type = EV_TICK, .now_ms = CH_T0 + 6000};

		out = ch_handle(a, &tick);
	}
	assert_int_equal(cmds_count(&out, CMD_BLOCK_INFO), 1);
	assert_string_equal(cmds_find(&out, CMD_BLOCK_INFO)->name, "web");
}

/* Deleting an external snapshot: libvirt commits its overlay with block
 * jobs of its own. They belong to our delete, which reports the outcome:
 * not adopted as "started outside vmmanager" while it runs nor a moment
 * after, from an event or a search; later, a job found is adopted. */
static void block_jobs_of_our_snapshot_delete_are_not_adopted(void **state)
{
	struct app *a = *state;
	struct cmd del = {.type = CMD_SNAP_DELETE};
	struct event done = {.type = EV_OP_DONE, .op = CMD_SNAP_DELETE};
	struct cmds out = {0};
	const struct ch_found f = {"web", "vda", BE_BJ_ACTIVE_COMMIT, 5, 10, false};
	size_t i;

	str_copy(del.name, "web", sizeof(del.name));
	str_copy(del.snap, "ext1", sizeof(del.snap));
	a->now_ms = CH_T0;
	done.job = jobs_add(a, &del, "Delete 'ext1' of web")->id;
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_READY);
	ch_found(a, &f, 1, 0);
	assert_int_equal(a->njobs, 1);
	str_copy(done.name, "web", sizeof(done.name));
	done.now_ms = CH_T0 + 100;
	app_handle(a, &done, &out);
	event_clear(&done);
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED); /* late */
	assert_int_equal(a->njobs, 1);
	for (i = 0; i < a->njobs; i++)
		assert_null(strstr(a->jobs[i].what, "outside vmmanager"));
	assert_null(strstr(a->status, "outside vmmanager"));
	/* Long after, a job on that VM is someone else's. */
	a->now_ms = CH_T0 + 60000;
	ch_found(a, &f, 1, 0);
	assert_int_equal(a->njobs, 2);
	assert_non_null(strstr(a->jobs[1].what, "found running"));
}

static void event_for_an_unknown_job_adopts_it(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct job *j;

	out = ch_block_event(a, "web", "vdb", BE_BJ_COMMIT, BE_BJS_COMPLETED);
	assert_int_equal(a->njobs, 1);
	j = &a->jobs[0];
	assert_string_equal(j->vm, "web");
	assert_string_equal(j->disk, "vdb");
	assert_true(j->block);
	assert_true(j->found);
	assert_non_null(strstr(j->what, "started outside vmmanager"));
	assert_int_equal(j->status, JOB_DONE);
	assert_int_equal(a->dlg.kind, DLG_NONE); /* no idea what it merged */
	assert_non_null(cmds_find(&out, CMD_LOAD_DETAILS));

	out = ch_block_event(a, "db", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_READY);
	assert_int_equal(a->njobs, 2);
	j = ch_job_on(a, "db", "vda");
	assert_non_null(j);
	assert_int_equal(j->status, JOB_READY);
	assert_int_equal(j->bj_type, BE_BJ_ACTIVE_COMMIT);
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 0); /* the operator decides */
	assert_false(j->pivoting);

	/* Its end is its own, not a third job. */
	ch_block_event(a, "db", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_CANCELED);
	assert_int_equal(a->njobs, 2);
	assert_int_equal(ch_job_on(a, "db", "vda")->status, JOB_ABORTED);
}

/* 10: progress */
static void block_info_updates_progress_and_rate(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	unsigned long long r1;

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	j->polling = true;
	ch_block_info(a, j, 1, 0, 10 * MIB, CH_T0);
	assert_false(j->polling);
	assert_int_equal(j->done, 0);
	assert_int_equal(j->total, 10 * MIB);
	assert_int_equal(j->rate, 0); /* one sample: no rate yet */

	ch_block_info(a, j, 1, MIB, 10 * MIB, CH_T0 + 1000);
	assert_int_equal(j->done, MIB);
	assert_int_equal(j->rate, MIB); /* 1 MiB in one second */
	r1 = j->rate;

	ch_block_info(a, j, 1, 4 * MIB, 10 * MIB, CH_T0 + 2000);
	assert_int_equal(j->done, 4 * MIB);
	/* 3 MiB/s now: the smoothed rate moves towards it, not all the way. */
	assert_true(j->rate > r1);
	assert_true(j->rate < 3 * MIB);

	/* A failed read changes nothing. */
	ch_block_info(a, j, -1, 0, 0, CH_T0 + 3000);
	assert_int_equal(j->done, 4 * MIB);
	assert_int_equal(j->total, 10 * MIB);
	assert_int_equal(j->status, JOB_RUNNING);

	/* Nor does a late answer once the job is over. */
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_CANCELED);
	ch_block_info(a, jobs_find(a, id), 1, 5 * MIB, 10 * MIB, CH_T0 + 4000);
	assert_int_equal(jobs_find(a, id)->done, 4 * MIB);
	assert_int_equal(jobs_find(a, id)->status, JOB_ABORTED);
}

static void a_vanished_job_ends_after_eight_empty_polls(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "web");
	int id = j->id, i;

	/* Before the call returns, libvirt may not have the job yet. */
	for (i = 0; i < 12; i++)
		ch_block_info(a, j, 0, 0, 0, CH_T0 + i);
	assert_int_equal(j->status, JOB_RUNNING);

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	j = jobs_find(a, id);
	for (i = 0; i < 7; i++)
		ch_block_info(a, j, 0, 0, 0, CH_T0 + 100 + i);
	assert_int_equal(j->status, JOB_RUNNING);
	ch_block_info(a, j, 1, 2, 4, CH_T0 + 200); /* still there after all */
	assert_int_equal(j->done, 2);
	for (i = 0; i < 7; i++)
		ch_block_info(a, j, 0, 0, 0, CH_T0 + 300 + i);
	assert_int_equal(j->status, JOB_RUNNING);
	assert_true(app_wants_tick(a));
	ch_block_info(a, j, 0, 0, 0, CH_T0 + 400);
	assert_int_equal(j->status, JOB_DONE);
	assert_true(j->error[0] != '\0'); /* says that nobody said how */
	assert_false(app_wants_tick(a));
}

/* 11: a shut-off VM's commit is one operation */
static void shut_off_commit_ends_with_its_operation(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct job *j = ch_commit_top(a, "alpha");
	int id = j->id, i;
	struct cmds out;
	const struct cmd *cmd;
	char line[512];

	assert_true(j->offline);
	/* Its block job's events and empty polls belong to the operation. */
	for (i = 0; i < 12; i++)
		ch_block_info(a, j, 0, 0, 0, CH_T0 + i);
	assert_int_equal(j->status, JOB_RUNNING);
	out = ch_block_event(a, "alpha", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_READY);
	assert_int_equal(cmds_count(&out, CMD_BLOCK_ABORT), 0); /* the backend pivots */
	out = ch_block_event(a, "alpha", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED);
	assert_int_equal(a->njobs, 1);
	assert_int_equal(jobs_find(a, id)->status, JOB_RUNNING);
	assert_int_equal(a->dlg.kind, DLG_NONE);

	out = ch_op_done(a, id, CMD_BLOCK_COMMIT, "alpha", "vda", 1, BE_ERR_OTHER, NULL);
	j = jobs_find(a, id);
	assert_int_equal(j->status, JOB_DONE);
	assert_false(app_wants_tick(a));
	assert_non_null(cmds_find(&out, CMD_LOAD_DETAILS));
	assert_non_null(cmds_find(&out, CMD_LOAD_SNAPSHOTS));
	assert_string_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->name, "alpha");
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	assert_non_null(strstr(a->dlg.text, c.top));

	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_VOL_DELETE);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "alpha");
	snprintf(line, sizeof(line), "%s\n", c.top);
	assert_string_equal(cmd->u.vol_delete.paths, line);
}

static void shut_off_commit_that_failed(void **state)
{
	struct app *a = *state;
	struct job *j = ch_commit_top(a, "alpha");
	int id = j->id;

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "alpha", "vda", -1, BE_ERR_OTHER,
		   "the commit failed before it was ready; the chain is unchanged");
	assert_int_equal(jobs_find(a, id)->status, JOB_FAILED);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "unchanged"));
	assert_int_equal(a->dlg.kind, DLG_NONE);
}

/* The connection lost during a shut-off VM's commit: its outcome is
 * unknown, never "as it was", until the host is back; then how it ended
 * is read from libvirt, and said. */
static void shut_off_commit_outcome_is_read_once_the_host_is_back(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct job *j = ch_commit_top(a, "alpha");
	struct event back = {.type = EV_CONNECTED, .host = 0};
	const struct cmd *cmd;
	struct cmds out;
	int id = j->id, round;

	for (round = 0; round < 2; round++) {
		ch_op_done(a, id, CMD_BLOCK_COMMIT, "alpha", "vda", -1, BE_ERR_CONN,
			   "the connection was lost during the commit: how it ended is not known");
		assert_int_equal(jobs_find(a, id)->status, JOB_UNKNOWN);
		assert_null(strstr(a->status, "as it was"));

		out = ch_handle(a, &back);
		cmd = cmds_find(&out, CMD_COMMIT_RECOVER);
		assert_non_null(cmd);
		assert_string_equal(cmd->name, "alpha");
		assert_string_equal(cmd->disk, "vda");
		assert_string_equal(cmd->u.commit_recover.base, c.mid);
		assert_true(cmd->u.commit_recover.offline); /* shut off: its helper VM stops */
		assert_int_equal(cmd->job, id);
		assert_int_equal(jobs_find(a, id)->status, JOB_RUNNING);
		if (round == 0) {
			ch_op_done(a, id, CMD_COMMIT_RECOVER, "alpha", "vda", -1, BE_ERR_OTHER,
				   "the commit ended without its pivot: vda is as it was");
			assert_int_equal(jobs_find(a, id)->status, JOB_FAILED);
			assert_non_null(strstr(a->status, "without its pivot"));
			jobs_find(a, id)->status = JOB_RUNNING; /* as if asked again */
		}
	}
	ch_op_done(a, id, CMD_COMMIT_RECOVER, "alpha", "vda", 0, BE_ERR_OTHER, NULL);
	assert_int_equal(jobs_find(a, id)->status, JOB_DONE);
	assert_non_null(strstr(a->status, "done while the host was away"));
	assert_int_equal(a->dlg.kind, DLG_CONFIRM); /* the merged file: delete it? */
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	/* A host back with nothing unknown asks nothing. */
	ch_key(a, 'n');
	out = ch_handle(a, &back);
	assert_int_equal(cmds_count(&out, CMD_COMMIT_RECOVER), 0);
}

/* 12: questions that arrive while another is open */
static void delete_offer_waits_behind_an_open_form(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("web");
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	struct cmds out;
	long long t = CH_T0 + 5000;

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	ch_open(a, "alpha");
	ch_key(a, 'o');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	ch_key(a, 21);
	ch_type(a, "/img/n");

	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED);
	assert_int_equal(jobs_find(a, id)->status, JOB_DONE);
	assert_int_equal(a->dlg.kind, DLG_FORM); /* the form stays in front */
	assert_int_equal(a->dlg_next.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg_next.cmd->type, CMD_VOL_DELETE);
	out = ch_key(a, 'y'); /* typed into the form, not an answer */
	assert_int_equal(cmds_count(&out, CMD_VOL_DELETE), 0);
	assert_string_equal(a->dlg.field[0].value, "/img/ny");

	out = ch_key_at(a, VK_ESC, t);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	assert_non_null(strstr(a->dlg.text, c.top));
	/* A key typed on the heels of the last one does not answer it. */
	out = ch_key_at(a, 'y', t);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = ch_key_at(a, 'y', t + 499);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = ch_key_at(a, 'y', t + 500);
	assert_non_null(cmds_find(&out, CMD_VOL_DELETE));
	assert_string_equal(cmds_find(&out, CMD_VOL_DELETE)->name, "web");
	assert_int_equal(a->dlg.kind, DLG_NONE);
}

/* The commit menu's follow-up question takes the menu's place: a question
 * that waited behind the menu still comes after it, and is not lost. */
static void commit_menu_keeps_a_waiting_question(void **state)
{
	struct app *a = *state;
	struct ch_chain w = ch_chain_of("web"), c = ch_chain_of("alpha");
	struct job *j = ch_commit_top(a, "web");
	int id = j->id;
	struct cmds out;
	char line[512];
	long long t = CH_T0 + 9000;

	ch_op_done(a, id, CMD_BLOCK_COMMIT, "web", "vda", 0, BE_ERR_OTHER, NULL);
	ch_commit_menu(a, "alpha");
	ch_block_event(a, "web", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg_next.kind, DLG_CONFIRM);

	out = ch_key_at(a, 'b', t);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_BLOCK_COMMIT);
	assert_string_equal(a->dlg.cmd->name, "alpha");
	assert_string_equal(a->dlg.cmd->u.block_commit.base, c.mid);
	/* Answered at once: it is the question the menu led to. */
	out = ch_key_at(a, 'n', t);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->njobs, 1);
	/* Then the one that waited. */
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	assert_string_equal(a->dlg.cmd->name, "web");
	snprintf(line, sizeof(line), "%s\n", w.top);
	assert_string_equal(a->dlg.cmd->u.vol_delete.paths, line);
	out = ch_key_at(a, 'y', t + 500);
	assert_non_null(cmds_find(&out, CMD_VOL_DELETE));

	/* Again with s, and y at once: it commits, then the other question. */
	j = ch_commit_top(a, "db");
	id = j->id;
	ch_op_done(a, id, CMD_BLOCK_COMMIT, "db", "vda", 0, BE_ERR_OTHER, NULL);
	ch_commit_menu(a, "alpha");
	ch_block_event(a, "db", "vda", BE_BJ_ACTIVE_COMMIT, BE_BJS_COMPLETED);
	assert_int_equal(a->dlg_next.kind, DLG_CONFIRM);
	t += 10000;
	ch_key_at(a, 's', t);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_string_equal(a->dlg.cmd->u.block_commit.base, c.base);
	out = ch_key_at(a, 'y', t);
	assert_non_null(cmds_find(&out, CMD_BLOCK_COMMIT));
	assert_string_equal(cmds_find(&out, CMD_BLOCK_COMMIT)->name, "alpha");
	assert_string_equal(cmds_find(&out, CMD_BLOCK_COMMIT)->u.block_commit.base, c.base);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	assert_string_equal(a->dlg.cmd->name, "db");
}

/* The chain is read again while the menu is open (a change made with
 * virsh): the answer is refused rather than commit another disk, or into
 * an active layer, than the menu was about. */
static void commit_menu_after_the_chain_changed(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	const struct ch_disk now[2] = {
		{"vda", 2, {c.top, c.base}, {"qcow2", "qcow2"}, {-1, -1}},
		{"vdb", 2, {"/srv/data/alpha-data-ovl.qcow2", c.data}, {"qcow2", "raw"}, {-1, -1}},
	};
	char key;

	for (key = 'b'; key; key = key == 'b' ? 's' : 0) {
		ch_commit_menu(a, "alpha");
		ch_deliver(a, "alpha", now, 2);
		assert_int_equal(a->dlg.kind, DLG_MENU);
		ch_key(a, key);
		/* Refused, naming why: nothing is asked or started. */
		assert_int_equal(a->dlg.kind, DLG_NONE);
		assert_true(a->status_error);
		assert_non_null(strstr(a->status, "changed"));
		ch_key(a, 'n');
		assert_int_equal(a->njobs, 0);
		ch_deliver_standard(a, "alpha");
	}
}

/* Paths are long and chains deep: the list of overlays a commit merges
 * (and later offers to delete) never holds a path cut short. */
static void merged_list_never_holds_a_cut_path(void **state)
{
	struct app *a = *state;
	static char paths[8][1000];
	struct ch_disk d = {"vda", 8, {0}, {0}, {0}};
	struct cmds out;
	const struct cmd *cmd;
	char text[sizeof(cmd->u.block_commit.merged)], *line, *save = NULL;
	size_t i, lines = 0;

	for (i = 0; i < 8; i++) {
		memset(paths[i], 'a' + (int)i, sizeof(paths[i]) - 1);
		paths[i][0] = '/';
		paths[i][sizeof(paths[i]) - 1] = '\0';
		d.path[i] = paths[i];
		d.format[i] = "qcow2";
		d.alloc[i] = -1;
	}
	ch_select_vm(a, "alpha");
	ch_key(a, VK_ENTER);
	ch_deliver(a, "alpha", &d, 1);
	ch_key(a, VK_TAB);
	ch_key(a, 'G'); /* the base: seven layers above it */
	ch_key(a, 'c');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	ch_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_BLOCK_COMMIT);
	assert_non_null(cmd);
	assert_string_equal(cmd->u.block_commit.base, paths[7]);
	str_copy(text, cmd->u.block_commit.merged, sizeof(text));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		for (i = 0; i < 7 && strcmp(line, paths[i]); i++)
			;
		assert_true(i < 7); /* a whole layer path, and not the base */
		lines++;
	}
	assert_true(lines > 0);
	assert_string_equal(jobs_find(a, cmd->job)->merged, cmd->u.block_commit.merged);
}

/* 13: help */
static bool ch_help_has(const struct app *a, const char *keys, enum request r, size_t *at)
{
	size_t i, n = help_count(a);
	char k[64];
	const char *text;

	for (i = 0; i < n; i++) {
		help_line(a, i, k, sizeof(k), &text);
		if (!strcmp(text, request_help(r)) && !strcmp(k, keys)) {
			if (at)
				*at = i;
			return true;
		}
	}
	return false;
}

static void help_of_the_vm_screen_lists_both_panes(void **state)
{
	struct app *a = *state;
	size_t tree_at, chain_at_line, i;
	char k[64];
	const char *text;

	ch_select_vm(a, "web");
	ch_key(a, VK_ENTER);
	ch_key(a, '?');
	assert_int_equal(a->screen, SCREEN_HELP);
	assert_true(ch_help_has(a, "o", REQ_OVERLAY_NEW, NULL));
	assert_true(ch_help_has(a, "c", REQ_COMMIT, NULL));
	assert_true(ch_help_has(a, "x", REQ_OVERLAY_DISCARD, NULL));
	assert_true(ch_help_has(a, "Z", REQ_RESET, NULL));
	assert_true(ch_help_has(a, "Tab", REQ_NEXT_PANE, NULL));
	assert_true(ch_help_has(a, "r", REQ_SNAP_REVERT, &tree_at));
	assert_true(ch_help_has(a, "d", REQ_SNAP_DELETE, NULL));
	assert_true(ch_help_has(a, "Space", REQ_TOGGLE, NULL));
	assert_true(ch_help_has(a, "y", REQ_CONFIRM, NULL));
	assert_false(ch_help_has(a, "P", REQ_JOB_PIVOT, NULL)); /* jobs screen only */
	/* Past the end: nothing. */
	help_line(a, help_count(a), k, sizeof(k), &text);
	assert_string_equal(k, "");
	assert_string_equal(text, "");

	/* From the chain pane, its own keys come first. */
	ch_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VM);
	ch_key(a, VK_TAB);
	ch_key(a, '?');
	assert_int_equal(a->screen, SCREEN_HELP);
	assert_true(ch_help_has(a, "o", REQ_OVERLAY_NEW, &chain_at_line));
	assert_true(ch_help_has(a, "r", REQ_SNAP_REVERT, &tree_at));
	assert_true(chain_at_line < tree_at);
	/* The tree's keys, refused in this pane, stand under their heading. */
	for (i = tree_at; i-- > chain_at_line;) {
		help_line(a, i, k, sizeof(k), &text);
		if (!k[0])
			break;
	}
	assert_true(i > chain_at_line);
	assert_string_equal(text, "VM screen, snapshots");
	ch_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_VM);
	assert_int_equal(a->sv.pane, PANE_CHAIN);

	/* The jobs screen has a and P. */
	ch_key(a, '2');
	ch_key(a, '?');
	assert_true(ch_help_has(a, "a", REQ_JOB_ABORT, NULL));
	assert_true(ch_help_has(a, "P", REQ_JOB_PIVOT, NULL));
	assert_false(ch_help_has(a, "o", REQ_OVERLAY_NEW, NULL));
}

/* Invariant 1 at the key: a layer nothing else reads may become the
 * writable one, if the operator says so. */
static void reset_onto_a_layer_nothing_else_reads_offers_writing_it(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *cmd;

	ch_deliver_images(a);
	ch_open(a, "alpha");
	ch_select_layer(a, 0, 1);
	ch_key(a, 'Z');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg.nitems, 2);
	assert_int_equal(a->dlg.item[1].key, 'w');
	out = ch_key(a, 'w');
	cmd = cmds_find(&out, CMD_OVERLAY_DISCARD);
	assert_non_null(cmd);
	assert_string_equal(cmd->u.overlay_discard.keep, c.mid);
	assert_string_equal(cmd->u.overlay_discard.fresh, ""); /* no fresh overlay: mid is written */
}

/* The kernel lab's reset: the golden image that web reads stays read-only
 * below a fresh overlay; writing it is not even offered. */
static void reset_onto_the_shared_golden_offers_only_a_fresh_overlay(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *cmd;

	ch_deliver_images(a);
	ch_open(a, "alpha");
	ch_select_layer(a, 0, 2);
	ch_key(a, 'Z');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg.nitems, 1);
	assert_non_null(strstr(a->dlg.text, "not offered"));
	assert_int_equal(ch_key(a, 'w').n, 0); /* cancels */
	assert_int_equal(a->njobs, 0);
	ch_key(a, 'Z');
	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_OVERLAY_DISCARD);
	assert_non_null(cmd);
	assert_string_equal(cmd->u.overlay_discard.keep, c.base);
	assert_non_null(strstr(cmd->u.overlay_discard.fresh, CH_IMG "alpha-vda-")); /* beside the old top */
	assert_null(strstr(cmd->u.overlay_discard.fresh, "golden"));
}

/* F on alpha's vda: the copy's file is named after the VM and disk beside
 * the top; of the old layers only those nothing else uses are offered for
 * deletion afterwards, never the golden base web reads too. */
static void standalone_copy_offers_only_layers_nothing_else_uses(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *cmd;
	char want[600];

	ch_deliver_images(a);
	ch_open(a, "alpha");
	ch_select_layer(a, 0, 0);
	ch_key(a, 'F');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_non_null(strstr(a->dlg.text, "s1")); /* its metadata goes */
	assert_non_null(strstr(a->dlg.field[0].value, CH_IMG "alpha-vda-"));
	assert_non_null(strstr(a->dlg.field[0].value, "-flat.qcow2"));
	out = ch_key(a, VK_ENTER);
	cmd = cmds_find(&out, CMD_CHAIN_COPY);
	assert_non_null(cmd);
	assert_true(cmd->u.chain_copy.offline);
	snprintf(want, sizeof(want), "%s\n%s\n", c.top, c.mid);
	assert_string_equal(cmd->u.chain_copy.unused, want);
	assert_true(jobs_find(a, cmd->job)->block);
}

/* A check's answer as the worker posts it: each layer's status. */
static struct cmds ch_checked(struct app *a, const char *vm, int job, const char *const *paths,
			      const enum imgcheck_status *st, size_t n)
{
	struct event ev = {.type = EV_OP_DONE, .op = CMD_IMG_CHECK, .job = job};
	size_t i;

	str_copy(ev.name, vm, sizeof(ev.name));
	str_copy(ev.disk, "vda", sizeof(ev.disk));
	ev.check = xcalloc(1, sizeof(*ev.check));
	for (i = 0; i < n; i++) {
		struct imgcheck_result r = {.status = st[i], .leaks = st[i] == IMGCHECK_LEAKS ? 4 : 0};

		imgcheck_report_add(ev.check, paths[i], &r);
	}
	return ch_handle(a, &ev);
}

/* K checks from the selected layer down; leaks are offered for repair
 * only in a shut-off VM's layer that nothing else reads: alpha's top, not
 * the golden base web reads; never for a running VM's layers. */
static void leak_repair_offered_only_where_nothing_else_reads(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha"), w = ch_chain_of("web");
	const char *paths[3] = {c.top, c.mid, c.base}, *wpaths[2] = {w.mid, w.base};
	const enum imgcheck_status leaks_base[3] = {IMGCHECK_CLEAN, IMGCHECK_CLEAN, IMGCHECK_LEAKS};
	const enum imgcheck_status leaks_top[3] = {IMGCHECK_LEAKS, IMGCHECK_CLEAN, IMGCHECK_CLEAN};
	const enum imgcheck_status leaks_mid[2] = {IMGCHECK_LEAKS, IMGCHECK_CLEAN};
	struct cmds out;
	const struct cmd *cmd;
	int job;

	ch_deliver_images(a);
	ch_open(a, "alpha");
	ch_select_layer(a, 0, 0);
	out = ch_key(a, 'K');
	cmd = cmds_find(&out, CMD_IMG_CHECK);
	assert_non_null(cmd);
	assert_string_equal(cmd->u.img_check.from, c.top);
	job = cmd->job;
	ch_checked(a, "alpha", job, paths, leaks_base, 3);
	assert_int_equal(jobs_find(a, job)->status, JOB_DONE);
	assert_int_equal(a->dlg.kind, DLG_NONE); /* golden: web reads it */
	assert_non_null(strstr(a->status, "Not offering to repair /srv/golden/debian12.qcow2: web"));
	assert_int_equal(checkview_result(a, c.base)->status, IMGCHECK_LEAKS);

	out = ch_key(a, 'K');
	job = cmds_find(&out, CMD_IMG_CHECK)->job;
	ch_checked(a, "alpha", job, paths, leaks_top, 3);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_IMG_REPAIR);
	assert_non_null(cmd);
	assert_string_equal(cmd->u.img_repair.path, c.top);

	/* web runs: its active layer is skipped (the worker says so), and no
	 * repair is offered. */
	ch_key(a, 'q');
	ch_open(a, "web");
	ch_select_layer(a, 0, 0);
	out = ch_key(a, 'K');
	cmd = cmds_find(&out, CMD_IMG_CHECK);
	assert_non_null(cmd);
	assert_non_null(strstr(jobs_find(a, cmd->job)->what, "active layer skipped"));
	ch_checked(a, "web", cmd->job, wpaths, leaks_mid, 2);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	/* A running VM's only layer: nothing to check. */
	ch_select_layer(a, 1, 0);
	out = ch_key(a, 'K');
	assert_null(cmds_find(&out, CMD_IMG_CHECK));
	assert_non_null(strstr(a->status, "Not checking"));
}

/* E deletes a snapshot libvirt does not know from the selected layer's
 * file: refused at once in the golden base web reads; asked, then done,
 * in alpha's own top. Snapshots libvirt knows (s2 in the top) are never
 * offered. */
static void unknown_snapshot_delete_refused_in_a_shared_file(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	char json[1200];
	struct cmds out;
	const struct cmd *cmd;

	ch_deliver_images(a);
	ch_open(a, "alpha");
	snprintf(json, sizeof(json),
		 "[{\"filename\": \"%s\", \"snapshots\": [{\"name\": \"s2\", \"vm-state-size\": 1048576},"
		 " {\"name\": \"by hand\"}]},"
		 " {\"filename\": \"%s\", \"snapshots\": []},"
		 " {\"filename\": \"%s\", \"snapshots\": [{\"name\": \"golden old\"}]}]",
		 c.top, c.mid, c.base);
	assert_int_equal(imginfo_parse_chain(json, &a->imginfo), 0);
	/* The snapshot details' saved memory, read from s2's file. */
	assert_int_equal(checkview_saved_memory(a, &a->sv.snaps.s[1]), 1048576);
	assert_int_equal(checkview_saved_memory(a, &a->sv.snaps.s[0]), -1);

	ch_select_layer(a, 0, 2);
	ch_assert_refused(a, 'E', "Not deleting a snapshot from /srv/golden/debian12.qcow2: web");
	ch_select_layer(a, 0, 1);
	ch_assert_refused(a, 'E', "holds no snapshot unknown to libvirt");
	ch_select_layer(a, 0, 0);
	ch_key(a, 'E');
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_int_equal(a->dlg.nitems, 1); /* s2 is libvirt's */
	ch_key(a, '1');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "by hand"));
	out = ch_key(a, 'y');
	cmd = cmds_find(&out, CMD_IMG_SNAP_DELETE);
	assert_non_null(cmd);
	assert_string_equal(cmd->snap, "by hand");
	assert_string_equal(cmd->u.img_snap_delete.path, c.top);
}

/* A revert writes into the snapshot's file: refused when web reads it. */
static void revert_into_a_file_another_vm_reads_is_refused(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	char want[600];

	ch_deliver_images(a);
	ch_open(a, "alpha");
	free(a->sv.snaps.s[0].files[0].path); /* s1 taken when alpha ran on golden */
	a->sv.snaps.s[0].files[0].path = xstrdup(c.base);
	a->sv.snaps.s[1].nfiles = 0; /* s2 for now holds nothing built on golden */
	ch_key(a, VK_TAB);
	ch_key(a, 'g');
	assert_string_equal(snapview_selected(a)->name, "s1");
	out = ch_key(a, 'r');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	snprintf(want, sizeof(want), "Not reverting into %s: web (disk vda) reads it", c.base);
	assert_string_equal(a->status, want);
	a->sv.snaps.s[1].nfiles = 1;
	/* s2 lives in alpha's own top layer: asked, naming nothing left unused. */
	ch_key(a, 'j');
	ch_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_null(strstr(a->dlg.text, "leave the chain"));
}

/* Deleting an external snapshot merges the layer it made into the file it
 * froze: refused when that file is golden, which web reads; asked when it
 * is alpha's own mid layer. */
static void delete_of_an_external_snapshot_into_a_shared_file_is_refused(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct be_snapshot *s;
	struct cmds out;
	char want[600];

	ch_deliver_images(a);
	ch_open(a, "alpha");
	s = &a->sv.snaps.s[0];
	s->external = true;
	s->files[0].external = true;
	free(s->files[0].path); /* s1 froze golden under mid */
	s->files[0].path = xstrdup(c.base);
	ch_key(a, VK_TAB);
	ch_key(a, 'g');
	assert_string_equal(snapview_selected(a)->name, "s1");
	ch_key(a, 'd');
	out = ch_key(a, 't');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	snprintf(want, sizeof(want), "Not merging into %s: web (disk vda) reads it", c.base);
	assert_string_equal(a->status, want);

	free(s->files[0].path); /* s1 froze mid under top */
	s->files[0].path = xstrdup(c.mid);
	ch_key(a, 'd');
	ch_key(a, 't');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	snprintf(want, sizeof(want), "Disk vda: %s, the layer it made, is merged into %s and removed.", c.top, c.mid);
	assert_non_null(strstr(a->dlg.text, want));
	ch_key(a, 'n');

	/* The layer s1 made is another than the one on mid now (a revert
	 * since put a fresh overlay there): only its metadata can go. */
	s->files[0].overlay = xstrdup("/var/lib/libvirt/images/alpha-old.qcow2");
	ch_key(a, 'd');
	out = ch_key(a, 't');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "a revert since?"));
}

/* A revert to a snapshot below the active layer leaves the layers above
 * unused: the question names them, and deleting them is offered after. */
static void revert_below_an_overlay_names_the_layer_left_unused(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;
	char line[600];

	ch_deliver_images(a);
	ch_open(a, "alpha");
	ch_key(a, VK_TAB);
	ch_key(a, 'g');
	assert_string_equal(snapview_selected(a)->name, "s1"); /* in mid */
	/* s2 lives in the top layer, built on mid: it would no longer match. */
	ch_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	snprintf(line, sizeof(line), "Not reverting into %s: snapshot 's2' lives in %s", c.mid, c.top);
	assert_non_null(strstr(a->status, line));
	/* Once s2 is gone from the top layer, the revert is asked. */
	a->sv.snaps.s[1].nfiles = 0; /* kept allocated: freed with the list */
	ch_key(a, 'r');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	snprintf(line, sizeof(line), "nothing else uses them");
	assert_non_null(strstr(a->dlg.text, line));
	snprintf(line, sizeof(line), "  %s\n", c.top);
	assert_non_null(strstr(a->dlg.text, line));
	out = ch_key(a, 'y');
	assert_non_null(cmds_find(&out, CMD_SNAP_REVERT));
	snprintf(line, sizeof(line), "%s\n", c.top);
	assert_string_equal(cmds_find(&out, CMD_SNAP_REVERT)->u.snap_revert.unused, line);
	a->sv.snaps.s[1].nfiles = 1;
	ch_op_done(a, a->jobs[0].id, CMD_SNAP_REVERT, "alpha", "", 0, BE_ERR_OTHER, NULL);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_int_equal(a->dlg.cmd->type, CMD_VOL_DELETE);
	assert_string_equal(a->dlg.cmd->u.vol_delete.paths, line);
}

/* An internal snapshot is written into each active layer: refused when
 * web reads alpha's (alpha was pointed at the golden image itself); an
 * external one, which freezes it under a new overlay, is still offered. */
static void snapshot_into_a_shared_active_layer_is_refused(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct cmds out;

	ch_deliver_images(a);
	ch_open(a, "alpha");
	free(a->sv.disks.d[0].layers[0].path);
	a->sv.disks.d[0].layers[0].path = xstrdup(c.base);
	out = ch_key(a, 's');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.field[2].value, "external, disks only");
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "Not taking a snapshot into /srv/golden/debian12.qcow2: web (disk vda)"));
}

/* A chain libvirt does not know to its end gets a note below its last
 * layer, as --print has it; the note is a line, never a selected row. */
static void incomplete_chain_has_a_note_that_is_never_selected(void **state)
{
	struct app *a = *state;
	size_t di = 99, li = 99;

	ch_open(a, "alpha");
	assert_int_equal(chainview_rows(&a->sv), 4);
	assert_int_equal(chainview_lines(&a->sv), 4); /* complete: no note */
	a->sv.disks.d[0].end = BE_END_UNKNOWN;      /* vda: below base, unknown */
	assert_int_equal(chainview_rows(&a->sv), 4);
	assert_int_equal(chainview_lines(&a->sv), 5);
	assert_int_equal(chainview_line_at(&a->sv, 2, &di, &li), CHAIN_LINE_LAYER);
	assert_int_equal(chainview_line_at(&a->sv, 3, &di, &li), CHAIN_LINE_NOTE);
	assert_int_equal(di, 0);
	assert_int_equal(li, 2); /* the note belongs to the last layer */
	assert_int_equal(chainview_line_at(&a->sv, 4, &di, &li), CHAIN_LINE_LAYER);
	assert_int_equal(di, 1);
	assert_int_equal(chainview_line_at(&a->sv, 5, &di, &li), CHAIN_LINE_NONE);
	assert_int_equal(chainview_line_of(&a->sv, 2), 2);
	assert_int_equal(chainview_line_of(&a->sv, 3), 4); /* vdb, after the note */
	/* j from vda's last layer goes to vdb, G stops on it. */
	ch_select_layer(a, 0, 2);
	ch_key(a, 'j');
	assert_true(chainview_at(&a->sv, a->sv.chain_pos.sel, &di, &li));
	assert_int_equal(di, 1);
	ch_key(a, 'G');
	assert_int_equal(a->sv.chain_pos.sel, 3);
}

/* A CD-ROM, a read-only or shareable disk, a network disk: o, c, x and Z
 * are refused at the key, saying what the disk is; an internal snapshot
 * leaves out the CD-ROM and the read-only disk and is refused for a
 * shareable or network one. */
static void disks_that_are_no_writable_image_are_never_worked_on(void **state)
{
	static const int keys[] = {'o', 'c', 'x', 'Z'};
	struct app *a = *state;
	struct be_disk *vdb;
	struct cmds out;
	size_t i;

	ch_open(a, "alpha");
	vdb = &a->sv.disks.d[1];
	ch_select_layer(a, 1, 0);
	/* qcow2, so that nothing but what the disk is can refuse. */
	free(vdb->layers[0].format);
	vdb->layers[0].format = xstrdup("qcow2");
	vdb->shareable = true;
	for (i = 0; i < ARRAY_LEN(keys); i++)
		ch_assert_refused(a, keys[i], "vdb is shareable");
	/* No internal snapshot, saying why; an external one leaves it out. */
	out = ch_key(a, 's');
	assert_non_null(strstr(a->status, "vdb is shareable"));
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.field[2].value, "external, disks only");
	assert_int_equal(a->dlg.field[2].nchoices, 1);
	ch_key(a, VK_ESC);
	vdb->shareable = false;
	vdb->readonly = true;
	for (i = 0; i < ARRAY_LEN(keys); i++)
		ch_assert_refused(a, keys[i], "vdb is read-only");
	vdb->device = BE_DEV_CDROM;
	for (i = 0; i < ARRAY_LEN(keys); i++)
		ch_assert_refused(a, keys[i], "vdb is a CD-ROM");
	/* Raw, but left out of the snapshot: the form opens. */
	out = ch_key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	ch_key(a, VK_ESC);
	vdb->device = BE_DEV_DISK;
	vdb->readonly = false;
	vdb->layers[0].type = BE_SRC_NETWORK;
	for (i = 0; i < ARRAY_LEN(keys); i++)
		ch_assert_refused(a, keys[i], "vdb is a network disk");
	ch_assert_refused(a, 's', "vdb is a network disk");
	vdb->layers[0].type = BE_SRC_FILE;
	(void)out;
}

/* A CD-ROM with no medium is a line of the chain pane, never a row. */
static void an_empty_drive_is_a_line_never_a_row(void **state)
{
	struct app *a = *state;
	struct be_disk_list *l = &a->sv.disks;
	size_t rows, lines, di = 9, li = 9;

	ch_open(a, "alpha");
	rows = chainview_rows(&a->sv);
	lines = chainview_lines(&a->sv);
	l->d = xrealloc(l->d, (l->n + 1) * sizeof(*l->d));
	memset(&l->d[l->n], 0, sizeof(*l->d));
	l->d[l->n].target = xstrdup("sda");
	l->d[l->n].device = BE_DEV_CDROM;
	l->d[l->n].readonly = true;
	l->n++;
	assert_int_equal(chainview_rows(&a->sv), rows);
	assert_int_equal(chainview_lines(&a->sv), lines + 1);
	assert_int_equal(chainview_line_at(&a->sv, lines, &di, &li), CHAIN_LINE_NOTE);
	assert_int_equal(di, 2);
	assert_int_equal(li, 0);
}

/* ---- clones (C) ------------------------------------------------------- */

/* The clone c asked for is made. */
static void ch_clone_done(struct app *a, const struct cmd *c)
{
	struct event ev = {.type = EV_OP_DONE, .op = CMD_VM_CLONE, .job = c->job, .rc = 0};
	struct cmds out;

	str_copy(ev.name, c->name, sizeof(ev.name));
	out = ch_handle(a, &ev);
	assert_non_null(cmds_find(&out, CMD_LOAD_VMS));
	assert_false(a->status_error);
}

static void a_clone_is_of_a_shut_off_vm(void **state)
{
	struct app *a = *state;
	struct cmds out;

	ch_select_vm(a, "web");
	out = ch_key(a, 'C');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_string_equal(a->status, "web is running: a clone is made of a shut-off VM (shut it down first)");
	ch_select_vm(a, "gamma");
	ch_key(a, 'C');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "gamma is hibernated: its saved memory belongs to it alone"));
}

/* The form offers a name no VM has, refuses one that cannot be (the form
 * stays open), then asks the kind; the command names both. */
static void a_clone_asks_a_unique_name_then_the_kind(void **state)
{
	struct app *a = *state;
	struct cmds out;
	const struct cmd *c;
	char name[APP_NAME_MAX];

	ch_select_vm(a, "alpha");
	ch_key(a, 'C');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.title, "Clone alpha");
	assert_string_equal(a->dlg.field[0].value, "alpha-clone");
	ch_key(a, 21); /* Ctrl-U */
	ch_type(a, "web");
	out = ch_key(a, VK_ENTER);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->status, "A VM of that name exists already on this host");
	ch_key(a, 21);
	ch_type(a, "a/b");
	ch_key(a, VK_ENTER);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->status, "VM names cannot contain '/'");
	ch_key(a, 21);
	out = ch_key(a, VK_ENTER);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->status, "The clone needs a name");
	ch_type(a, "alpha-2");
	ch_key(a, VK_ENTER);
	assert_int_equal(a->dlg.kind, DLG_MENU);
	assert_non_null(strstr(a->dlg.text, "alpha moves onto a fresh overlay"));
	out = ch_key(a, 'l');
	assert_non_null(c = cmds_find(&out, CMD_VM_CLONE));
	assert_string_equal(c->name, "alpha");
	assert_string_equal(c->uuid, "uuid-alpha");
	assert_string_equal(c->u.vm_clone.clone, "alpha-2");
	assert_false(c->u.vm_clone.full);
	assert_string_equal(c->u.vm_clone.layer, "");
	ch_clone_done(a, c);
	/* Full, and a name taken by a clone already: the next one is offered. */
	{
		struct be_vm vms[] = {unit_vm("alpha", BE_VM_SHUTOFF, 0, 1), unit_vm("alpha-clone", BE_VM_SHUTOFF, 0, 1)};

		unit_load_vms(a, vms, 2, NULL);
	}
	clone_default_name(a, 0, "alpha", name, sizeof(name));
	assert_string_equal(name, "alpha-clone2");
	ch_select_vm(a, "alpha");
	ch_key(a, 'C');
	assert_string_equal(a->dlg.field[0].value, "alpha-clone2");
	ch_key(a, VK_ENTER);
	out = ch_key(a, 'f');
	assert_non_null(c = cmds_find(&out, CMD_VM_CLONE));
	assert_true(c->u.vm_clone.full);
	assert_string_equal(c->u.vm_clone.clone, "alpha-clone2");
}

/* C on the VM screen clones the VM; in the chain pane, a new VM on the
 * selected layer. */
static void a_new_vm_on_the_selected_layer(void **state)
{
	struct app *a = *state;
	struct ch_chain ch = ch_chain_of("alpha");
	struct cmds out;
	const struct cmd *c;

	ch_open(a, "alpha");
	ch_select_layer(a, 0, 2);
	ch_key(a, 'C');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.title, "New VM on vda of alpha");
	ch_key(a, VK_ENTER);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, ch.base));
	out = ch_key(a, 'y');
	assert_non_null(c = cmds_find(&out, CMD_VM_CLONE));
	assert_string_equal(c->disk, "vda");
	assert_string_equal(c->u.vm_clone.layer, ch.base);
	assert_string_equal(c->u.vm_clone.clone, "alpha-clone");
	assert_false(c->u.vm_clone.full);
	ch_clone_done(a, c);
	/* From the snapshot pane, C is a clone of the whole VM. */
	ch_key(a, VK_TAB);
	assert_int_equal(a->sv.pane, PANE_SNAPSHOTS);
	ch_key(a, 'C');
	assert_string_equal(a->dlg.title, "Clone alpha");
	ch_key(a, VK_ESC);
}

/* A layer another disk writes into (its active layer) is no base for a
 * new VM: refused at once, naming that disk. */
static void no_new_vm_on_a_layer_another_disk_writes(void **state)
{
	struct app *a = *state;
	struct ch_chain ch = ch_chain_of("alpha");
	const char *const vms[2] = {"alpha", "web"};
	const char *const chains[2][5] = {{ch.top, ch.mid, ch.base, NULL}, {ch.mid, ch.base, NULL}};
	struct cmds out;

	ch_open(a, "alpha");
	ch_deliver_chains(a, vms, chains);
	ch_select_layer(a, 0, 1);
	out = ch_key(a, 'C');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "web (disk vda) writes into it"));
	/* The base below it is read by both, written by neither: fine. */
	ch_select_layer(a, 0, 2);
	ch_key(a, 'C');
	assert_int_equal(a->dlg.kind, DLG_FORM);
}

/* The tree comes first: its answer asks, behind it, what the disks'
 * files hold (qemu-img info, slow through ssh), and the layer details
 * say it is being read until that answer comes. */
static void image_info_is_asked_once_the_tree_is_shown(void **state)
{
	struct app *a = *state;
	struct ch_chain c = ch_chain_of("alpha");
	struct event info = {.type = EV_IMGINFO};
	char json[1000], buf[300], want[600];
	const struct cmd *cmd;
	struct cmds out;

	ch_select_vm(a, "alpha");
	out = ch_key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_LOAD_IMGINFO)); /* not before the tree */
	out = ch_deliver(a, "alpha", (struct ch_disk[]){{"vda", 3, {c.top, c.mid, c.base}, {"qcow2", "qcow2", "qcow2"},
						       {1, 1, 1}},
						      {"vdb", 1, {c.data}, {"raw"}, {1}}},
			 2);
	assert_true(a->sv.loaded); /* the tree is there already */
	cmd = cmds_find(&out, CMD_LOAD_IMGINFO);
	assert_non_null(cmd);
	assert_string_equal(cmd->name, "alpha");
	snprintf(want, sizeof(want), "%s\n%s\n", c.top, c.data); /* each disk's active layer */
	assert_string_equal(cmd->u.load_imginfo.paths, want);
	assert_string_equal(checkview_inside(a, c.mid, buf, sizeof(buf)), "reading (qemu-img info)");

	snprintf(json, sizeof(json),
		 "[{\"filename\": \"%s\", \"snapshots\": [{\"name\": \"by hand\"}]},"
		 " {\"filename\": \"%s\"}, {\"filename\": \"%s\"}]",
		 c.top, c.mid, c.base);
	str_copy(info.name, "alpha", sizeof(info.name));
	info.imginfo = xcalloc(1, sizeof(*info.imginfo));
	assert_int_equal(imginfo_parse_chain(json, info.imginfo), 0);
	ch_handle(a, &info);
	imginfo_map_free(info.imginfo);
	assert_string_equal(checkview_inside(a, c.mid, buf, sizeof(buf)), "no snapshots");
	assert_non_null(strstr(checkview_inside(a, c.top, buf, sizeof(buf)), "1: by hand"));
}

#define CH(f) cmocka_unit_test_setup_teardown(f, ch_setup, ch_teardown)

int test_chain_group(void)
{
	const struct CMUnitTest tests[] = {
		CH(tab_switches_to_the_chains_and_moves_there),
		CH(image_info_is_asked_once_the_tree_is_shown),
		CH(a_clone_is_of_a_shut_off_vm),
		CH(a_clone_asks_a_unique_name_then_the_kind),
		CH(a_new_vm_on_the_selected_layer),
		CH(no_new_vm_on_a_layer_another_disk_writes),
		CH(overlay_form_proposes_a_file_next_to_the_top_layer),
		CH(overlay_recorded_as_a_snapshot),
		CH(overlay_on_a_shut_off_vm_and_a_typed_path),
		CH(overlay_default_name_from_an_odd_vm_name),
		CH(overlay_form_refuses_bad_paths_and_stays_open),
		CH(discard_is_refused_while_the_vm_runs),
		CH(discard_on_a_shut_off_vm_asks_naming_the_file),
		CH(reset_to_layer_two_lists_both_overlays),
		CH(reset_to_layer_one_and_refusals),
		CH(reset_onto_a_layer_nothing_else_reads_offers_writing_it),
		CH(reset_onto_the_shared_golden_offers_only_a_fresh_overlay),
		CH(revert_into_a_file_another_vm_reads_is_refused),
		CH(delete_of_an_external_snapshot_into_a_shared_file_is_refused),
		CH(revert_below_an_overlay_names_the_layer_left_unused),
		CH(snapshot_into_a_shared_active_layer_is_refused),
		CH(commit_of_a_disk_without_backing_file_is_refused),
		CH(commit_from_the_top_asks_directly),
		CH(commit_menu_b_merges_into_the_backing_file),
		CH(commit_into_a_base_another_vm_reads_is_refused_at_once),
		CH(discard_and_reset_refuse_a_layer_another_vm_uses),
		CH(commit_into_a_backing_file_another_vm_reads_is_refused),
		CH(commit_menu_s_merges_down_to_the_selected_base),
		CH(commit_menu_cancels_on_any_other_key),
		CH(hibernated_vm_keeps_its_disks),
		CH(read_only_connection_changes_nothing),
		CH(a_busy_vm_gets_no_second_block_job),
		CH(ready_commit_pivots_and_offers_to_delete_the_merged_file),
		CH(delete_offer_declined_deletes_nothing),
		CH(canceled_and_failed_commits),
		CH(refused_or_failed_start_ends_the_job),
		CH(pivot_only_a_ready_active_commit),
		CH(failed_pivot_can_be_tried_again),
		CH(discovery_adopts_jobs_once),
		CH(event_for_an_unknown_job_adopts_it),
		CH(block_jobs_of_our_snapshot_delete_are_not_adopted),
		CH(block_info_updates_progress_and_rate),
		CH(a_vanished_job_ends_after_eight_empty_polls),
		CH(shut_off_commit_ends_with_its_operation),
		CH(shut_off_commit_that_failed),
		CH(shut_off_commit_outcome_is_read_once_the_host_is_back),
		CH(delete_offer_waits_behind_an_open_form),
		CH(commit_menu_keeps_a_waiting_question),
		CH(commit_menu_after_the_chain_changed),
		CH(merged_list_never_holds_a_cut_path),
		CH(long_paths_are_carried_whole_or_refused),
		CH(help_of_the_vm_screen_lists_both_panes),
		CH(incomplete_chain_has_a_note_that_is_never_selected),
		CH(disks_that_are_no_writable_image_are_never_worked_on),
		CH(an_empty_drive_is_a_line_never_a_row),
		CH(standalone_copy_offers_only_layers_nothing_else_uses),
		CH(leak_repair_offered_only_where_nothing_else_reads),
		CH(unknown_snapshot_delete_refused_in_a_shared_file),
	};

	return cmocka_run_group_tests_name("chain", tests, NULL, NULL);
}
