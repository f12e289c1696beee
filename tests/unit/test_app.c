/* The core state machine: keys and events in, state and commands out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/help.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

static struct cmds key(struct app *a, int k)
{
	struct event ev = {.type = EV_KEY, .key = k};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
	return out;
}

static void keys(struct app *a, const char *s)
{
	while (*s)
		key(a, (unsigned char)*s++);
}

static const char *sel_name(const struct app *a)
{
	const struct be_vm *v = vmlist_selected(a);

	return v ? v->name : "";
}

static int setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm vms[] = {
		unit_vm("web", BE_VM_RUNNING, 2, 2), unit_vm("db", BE_VM_PAUSED, 0, 1),
		unit_vm("alpha", BE_VM_SHUTOFF, 5, 3), unit_vm("gamma", BE_VM_SAVED, 1, 1),
	};

	app_init(a, "test:///x", "host1", false);
	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

static void list_is_sorted_by_name(void **state)
{
	struct app *a = *state;

	assert_int_equal(a->nrows, 4);
	assert_string_equal(vmlist_row(a, 0)->name, "alpha");
	assert_string_equal(vmlist_row(a, 3)->name, "web");
	assert_string_equal(sel_name(a), "alpha");
	assert_true(a->loaded);
}

static void moves_clamp_at_the_ends(void **state)
{
	struct app *a = *state;

	key(a, 'k');
	assert_string_equal(sel_name(a), "alpha");
	key(a, 'j');
	assert_string_equal(sel_name(a), "db");
	key(a, 'G');
	assert_string_equal(sel_name(a), "web");
	key(a, 'j');
	assert_string_equal(sel_name(a), "web");
	key(a, 'g');
	assert_string_equal(sel_name(a), "alpha");
	key(a, VK_DOWN);
	assert_string_equal(sel_name(a), "db");
}

static void filter_narrows_as_you_type(void **state)
{
	struct app *a = *state;

	key(a, '/');
	assert_true(a->filtering);
	keys(a, "a");
	assert_int_equal(a->nrows, 2); /* alpha, gamma */
	keys(a, "m");
	assert_int_equal(a->nrows, 1);
	assert_string_equal(sel_name(a), "gamma");
	key(a, VK_BACKSPACE);
	assert_int_equal(a->nrows, 2);
	key(a, VK_ENTER);
	assert_false(a->filtering);
	assert_string_equal(a->filter, "a");
	key(a, VK_ESC); /* Esc outside typing clears the filter */
	assert_int_equal(a->nrows, 4);
	assert_string_equal(a->filter, "");
}

static void filter_takes_unicode(void **state)
{
	struct app *a = *state;
	struct be_vm vms[] = {unit_vm("caf\xc3\xa9 \xe2\x9c\x93", BE_VM_RUNNING, 0, 1), unit_vm("cafe", BE_VM_RUNNING, 0, 1)};

	unit_load_vms(a, vms, 2, NULL);
	key(a, '/');
	key(a, 'c');
	key(a, 0xE9); /* é */
	assert_int_equal(a->nrows, 0);
	key(a, VK_BACKSPACE);
	keys(a, "af");
	key(a, 0xE9);
	assert_int_equal(a->nrows, 1);
	assert_string_equal(sel_name(a), "caf\xc3\xa9 \xe2\x9c\x93");
	key(a, VK_BACKSPACE);
	assert_string_equal(a->filter, "caf");
	key(a, VK_ESC);
	assert_false(a->filtering);
	assert_int_equal(a->nrows, 2);
}

static void selection_follows_the_vm_across_reloads(void **state)
{
	struct app *a = *state;
	struct be_vm vms[] = {unit_vm("aaa-new", BE_VM_RUNNING, -1, -1), unit_vm("db", BE_VM_RUNNING, -1, -1),
			      unit_vm("alpha", BE_VM_SHUTOFF, -1, -1)};

	key(a, 'j');
	assert_string_equal(sel_name(a), "db");
	unit_load_vms(a, vms, 3, NULL);
	assert_string_equal(sel_name(a), "db");
	/* Details the bulk list lacks are kept from before. */
	assert_int_equal(vmlist_selected(a)->nsnap, 0);
	assert_int_equal(vmlist_row(a, 1)->nsnap, 5); /* alpha */
	assert_int_equal(vmlist_row(a, 1)->chain_depth, 3);
	assert_int_equal(vmlist_row(a, 0)->nsnap, -1); /* new: unknown yet */
}

static void details_fill_in_behind_the_list(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_DETAILS};
	struct cmds out = {0};
	struct be_vm d = unit_vm("web", BE_VM_RUNNING, 9, 4);

	d.vcpus = 8;
	ev.list.vms = &d;
	ev.list.n = 1;
	app_handle(a, &ev, &out);
	assert_int_equal(vmlist_row(a, 3)->nsnap, 9);
	assert_int_equal(vmlist_row(a, 3)->chain_depth, 4);
	assert_int_equal(vmlist_row(a, 3)->vcpus, 8);
	assert_int_equal(out.n, 0);
}

/* Sorted by a detail, new details move the rows and the selection stays
 * on its VM; sorted by name, they leave the rows where they are. */
static void details_move_rows_only_under_a_detail_sort(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_DETAILS};
	struct cmds out = {0};
	struct be_vm d = unit_vm("gamma", BE_VM_SAVED, 1, 9);

	ev.list.vms = &d;
	ev.list.n = 1;
	app_handle(a, &ev, &out);
	assert_string_equal(vmlist_row(a, 0)->name, "alpha"); /* by name */
	assert_string_equal(vmlist_row(a, 2)->name, "gamma");
	assert_int_equal(vmlist_row(a, 2)->chain_depth, 9);

	key(a, 'o');
	key(a, 'o');
	key(a, 'o');
	assert_int_equal(a->sort, SORT_CHAIN);
	assert_string_equal(vmlist_row(a, 0)->name, "gamma"); /* 9 layers */
	key(a, 'G');
	assert_string_equal(sel_name(a), "db"); /* 1 layer, last */
	d.chain_depth = 12;
	d.name = (char *)"db";
	str_copy(d.uuid, "uuid-db", sizeof(d.uuid));
	app_handle(a, &ev, &out);
	assert_string_equal(vmlist_row(a, 0)->name, "db");
	assert_string_equal(sel_name(a), "db");
	assert_int_equal(a->list_pos.sel, 0);
	assert_int_equal(out.n, 0);
}

static void sort_cycles_columns(void **state)
{
	struct app *a = *state;

	key(a, 'o'); /* state: running, paused, shut off, saved */
	assert_int_equal(a->sort, SORT_STATE);
	assert_string_equal(vmlist_row(a, 0)->name, "web");
	assert_string_equal(vmlist_row(a, 3)->name, "gamma");
	key(a, 'o'); /* snapshots, most first */
	assert_string_equal(vmlist_row(a, 0)->name, "alpha");
	assert_string_equal(vmlist_row(a, 3)->name, "db");
	assert_non_null(strstr(a->status, "snapshots"));
}


static void lifecycle_checks_state_first(void **state)
{
	struct app *a = *state;
	struct cmds out;

	key(a, 'G'); /* web, running */
	out = key(a, 'S');
	assert_int_equal(out.n, 0);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "already running"));
	out = key(a, 'p');
	assert_non_null(cmds_find(&out, CMD_ACT));
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_SUSPEND);
	assert_string_equal(cmds_find(&out, CMD_ACT)->name, "web");
	key(a, 'g'); /* alpha, shut off */
	out = key(a, 'D');
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a->status, "only a running VM"));
	out = key(a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_START);
	key(a, 'j'); /* db, paused */
	out = key(a, 'p');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_RESUME);
}

static void force_off_asks_first(void **state)
{
	static const int others[] = {'q', VK_ENTER, ' ', 'Y', VK_TAB, VK_ESC};
	struct app *a = *state;
	struct cmds out;
	size_t i;

	key(a, 'G');
	out = key(a, 'X');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "web"));
	out = key(a, 'n');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "Cancelled"));
	/* Any key but y cancels, even one bound to an action or pressed by
	 * habit (Enter, Space, Y). */
	for (i = 0; i < ARRAY_LEN(others); i++) {
		key(a, 'X');
		assert_int_equal(a->dlg.kind, DLG_CONFIRM);
		out = key(a, others[i]);
		assert_int_equal(out.n, 0);
		assert_int_equal(a->dlg.kind, DLG_NONE);
		assert_int_equal(a->njobs, 0);
	}
	assert_false(a->quit);
	key(a, 'X');
	out = key(a, 'y');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_DESTROY);
	/* While that runs, the VM is busy: no second question. */
	out = key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "busy"));
}

static void read_only_refuses_changes(void **state)
{
	struct app *a = *state;
	struct cmds out;

	a->hosts[0].readonly = true;
	out = key(a, 'S');
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a->status, "Read-only"));
	out = key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(out.n, 0);
}

static void failed_action_shows_libvirt_message(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_OP_DONE, .op = CMD_ACT, .rc = -1, .act = BE_ACT_START};
	struct cmds out = {0};

	str_copy(ev.name, "alpha", sizeof(ev.name));
	str_copy(ev.err.msg, "internal error: boom", sizeof(ev.err.msg));
	app_handle(a, &ev, &out);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "internal error: boom"));
	assert_non_null(strstr(a->status, "alpha"));
	assert_non_null(cmds_find(&out, CMD_LOAD_VMS)); /* re-read what is true */
}

static void events_reload_one_vm(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_VM_CHANGED};
	struct cmds out = {0};

	str_copy(ev.name, "web", sizeof(ev.name));
	app_handle(a, &ev, &out);
	assert_non_null(cmds_find(&out, CMD_LOAD_VMS));
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->u.load_vms.details, 0);
	assert_string_equal(cmds_find(&out, CMD_LOAD_DETAILS)->name, "web");
}

static void ctrl_l_reloads_everything(void **state)
{
	struct app *a = *state;
	struct cmds out;

	a->full_redraw = false;
	out = key(a, VK_CTRL_L);
	assert_true(a->full_redraw);
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->u.load_vms.details, 1);
	assert_true(cmds_find(&out, CMD_LOAD_VMS)->u.load_vms.refresh_pools); /* the pools refreshed too */
}

static void help_opens_and_returns(void **state)
{
	struct app *a = *state;
	struct cmds out;
	char k[64];
	const char *text;
	size_t i, n;
	bool saw_filter = false, saw_quit = false, saw_confirm = false;

	key(a, '?');
	assert_int_equal(a->screen, SCREEN_HELP);
	n = help_count(a);
	assert_true(n > 10);
	for (i = 0; i < n; i++) {
		help_line(a, i, k, sizeof(k), &text);
		saw_filter |= !strcmp(k, "/") && strstr(text, "filter");
		saw_quit |= !strcmp(k, "q");
		saw_confirm |= !strcmp(k, "y") && strstr(text, "confirm");
		if (!strcmp(text, "move down"))
			assert_string_equal(k, "j, Down");
	}
	assert_true(saw_filter);
	assert_true(saw_quit);
	assert_true(saw_confirm);
	out = key(a, 'q'); /* q leaves help, does not quit */
	assert_int_equal(out.n, 0);
	assert_int_equal(a->screen, SCREEN_VMLIST);
	out = key(a, 'q');
	assert_non_null(cmds_find(&out, CMD_QUIT));
	assert_true(a->quit);
}

static void selection_stays_visible_when_scrolling_and_resizing(void **state)
{
	struct app *a = *state;
	struct be_vm vms[100];
	char names[100][16];
	struct event rs = {.type = EV_RESIZE, .rows = 10, .cols = 40};
	struct cmds out = {0};
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "vm%03d", i);
		vms[i] = unit_vm(names[i], BE_VM_RUNNING, 0, 1);
	}
	unit_load_vms(a, vms, 100, NULL);
	for (i = 0; i < 50; i++)
		key(a, 'j');
	assert_string_equal(sel_name(a), "vm050");
	assert_true(a->list_pos.sel >= a->list_pos.top && a->list_pos.sel < a->list_pos.top + state_list_height(a));
	app_handle(a, &rs, &out);
	assert_int_equal(state_list_height(a), 7);
	assert_true(a->list_pos.sel >= a->list_pos.top && a->list_pos.sel < a->list_pos.top + state_list_height(a));
	key(a, VK_PAGE_DOWN);
	assert_string_equal(sel_name(a), "vm057");
	key(a, 'G');
	assert_int_equal(a->list_pos.top, 93);
}

static void lost_connection_is_shown(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_CONN_CLOSED};
	struct cmds out = {0};

	str_copy(ev.err.msg, "keepalive timed out", sizeof(ev.err.msg));
	app_handle(a, &ev, &out);
	assert_int_equal(a->hosts[0].state, HOST_DOWN);
	assert_non_null(strstr(a->status, "keepalive timed out"));
}

static void hibernate_only_a_running_vm(void **state)
{
	struct app *a = *state;
	struct cmds out;

	out = key(a, 'H'); /* alpha, shut off */
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a->status, "only a running or paused VM"));
	key(a, 'G'); /* web, running */
	out = key(a, 'H');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_HIBERNATE);
	assert_int_equal(a->njobs, 1);
	assert_true(app_wants_tick(a)); /* its progress is polled */
}

/* A saved state that cannot be resumed: say why and offer a fresh start,
 * which loses the saved memory only after a second yes. */
static void failed_resume_offers_to_discard(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_OP_DONE, .op = CMD_ACT, .act = BE_ACT_START, .rc = -1};
	struct cmds out = {0};

	key(a, 'j');
	key(a, 'j'); /* gamma, saved */
	out = key(a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_START);
	ev.job = cmds_find(&out, CMD_ACT)->job;
	str_copy(ev.name, "gamma", sizeof(ev.name));
	str_copy(ev.err.msg, "cannot restore: image is incompatible", sizeof(ev.err.msg));
	memset(&out, 0, sizeof(out));
	app_handle(a, &ev, &out);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "image is incompatible"));
	assert_non_null(strstr(a->dlg.text, "memory is lost"));
	assert_int_equal(a->jobs[0].status, JOB_FAILED);
	out = key(a, 'y');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_START_FRESH);
	assert_string_equal(cmds_find(&out, CMD_ACT)->name, "gamma");
}

static void discard_saved_state_asks_first(void **state)
{
	struct app *a = *state;
	struct cmds out = {0};

	snapview_open(a, 0, "web", &out); /* the VM screen of a running VM */
	out = key(a, 'W');
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a->status, "no hibernated state"));
	memset(&out, 0, sizeof(out));
	snapview_open(a, 0, "gamma", &out);
	out = key(a, 'W');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	assert_non_null(strstr(a->dlg.text, "saved memory"));
	out = key(a, 'y');
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_DISCARD_SAVE);
}

/* A question that waited behind another one does not take the keys typed
 * for that one: a double y answers only the first question. */
static void a_waiting_question_ignores_a_repeated_key(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_OP_DONE, .op = CMD_SNAP_REVERT, .rc = -1, .now_ms = 1000};
	struct event k = {.type = EV_KEY, .key = 'y', .now_ms = 1000};
	struct cmds out = {0};

	key(a, 'G'); /* web, running */
	key(a, 'X'); /* force off? */
	str_copy(ev.name, "alpha", sizeof(ev.name));
	str_copy(ev.snap, "s1", sizeof(ev.snap));
	ev.err.kind = BE_ERR_REVERT_RISKY;
	str_copy(ev.err.msg, "revert requires force", sizeof(ev.err.msg));
	app_handle(a, &ev, &out);
	assert_non_null(strstr(a->dlg.text, "Force off web")); /* still the open one */
	memset(&out, 0, sizeof(out));
	app_handle(a, &k, &out); /* y: force off web */
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_DESTROY);
	assert_non_null(strstr(a->dlg.text, "risky")); /* the waiting one shows */
	memset(&out, 0, sizeof(out));
	app_handle(a, &k, &out); /* the repeated y, at once: ignored */
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	k.now_ms = 1600;
	app_handle(a, &k, &out); /* a deliberate y later */
	assert_true(cmds_find(&out, CMD_SNAP_REVERT)->u.snap_revert.force);
}

/* The jobs screen keeps a row for the selected job's error: the
 * selection must stay within the rows above it; a new job is followed into
 * view and the rows out of view are counted. */
static void jobs_screen_keeps_the_selection_visible(void **state)
{
	struct app *a = *state;
	struct event rs = {.type = EV_RESIZE, .rows = 10, .cols = 40};
	struct cmds out = {0};
	size_t above, below;
	int i;

	app_handle(a, &rs, &out);
	for (i = 0; i < 10; i++) {
		struct cmd c = {.type = CMD_ACT, .u.act.action = BE_ACT_START};

		snprintf(c.name, sizeof(c.name), "vm%d", i);
		jobs_add(a, &c, c.name); /* listed: VMs of no host need no start */
	}
	key(a, '2');
	key(a, 'G');
	assert_int_equal(a->jobs_pos.sel, 9);
	/* 7 list rows, one of them for the error line: 6 jobs show. */
	assert_int_equal(a->jobs_pos.top, 4);
	key(a, 'g');
	assert_int_equal(a->jobs_pos.top, 0);
	jobs_hidden(a, &above, &below);
	assert_int_equal(above, 0);
	assert_int_equal(below, 4); /* "↓ 4 more" */
	/* A new job leaves alone a selection the operator moved away from
	 * the end: a key may be about to act on it. */
	jobs_add(a, &(struct cmd){.type = CMD_ACT, .name = "vm10"}, "vm10");
	assert_int_equal(a->jobs_pos.sel, 0);
	assert_int_equal(a->jobs_pos.top, 0);
	/* On the last job, the list follows the new one into view. */
	key(a, 'G');
	assert_int_equal(a->jobs_pos.sel, 10);
	jobs_add(a, &(struct cmd){.type = CMD_ACT, .name = "vm11"}, "vm11");
	assert_int_equal(a->jobs_pos.sel, 11);
	assert_int_equal(a->jobs_pos.top, 6);
	jobs_hidden(a, &above, &below);
	assert_int_equal(above, 6); /* "↑ 6 more" */
	assert_int_equal(below, 0);
	/* Elsewhere, the jobs screen shows the newest job when it opens. */
	key(a, '2');
	key(a, 'g');
	key(a, '1');
	jobs_add(a, &(struct cmd){.type = CMD_ACT, .name = "vm12"}, "vm12");
	assert_int_equal(a->jobs_pos.sel, 12);
	assert_int_equal(a->jobs_pos.top, 7);
}

/* Two VMs whose names share their first 300 bytes: cut at 255 bytes they
 * would be one name, and an action on one could hit the other. Each is
 * refused, saying why, and nothing is sent; a VM with a short name still
 * works. */
static void names_too_long_to_carry_whole_are_refused(void **state)
{
	struct app *a = *state;
	char x[320], y[320];
	struct be_vm vms[3];
	struct cmds out;
	const int acts[] = {'X', 'S', 'D', 'p', 'H', 's', VK_ENTER};
	size_t i, k;

	(void)state;
	memset(x, 'a', 300);
	memcpy(x + 300, "-x", 3);
	memcpy(y, x, 300);
	memcpy(y + 300, "-y", 3);
	vms[0] = unit_vm(x, BE_VM_RUNNING, 0, 1);
	vms[1] = unit_vm(y, BE_VM_SHUTOFF, 0, 1);
	vms[2] = unit_vm("short", BE_VM_RUNNING, 0, 1);
	unit_load_vms(a, vms, 3, NULL);
	for (i = 0; i < 2; i++) {
		key(a, 'g');
		while (strcmp(vmlist_selected(a)->name, i ? y : x))
			key(a, 'j');
		for (k = 0; k < ARRAY_LEN(acts); k++) {
			out = key(a, acts[k]);
			if (out.n)
				fail_msg("key %d on VM %zu sent command %d", acts[k], i, out.c[0].type);
			if (a->dlg.kind != DLG_NONE || a->screen != SCREEN_VMLIST || !strstr(a->status, "302 bytes long"))
				fail_msg("key %d on VM %zu: dialog %d, screen %d, status '%.80s'", acts[k], i, a->dlg.kind,
					 a->screen, a->status);
			assert_true(a->status_error);
		}
	}
	assert_int_equal(a->njobs, 0);
	key(a, 'G');
	assert_string_equal(vmlist_selected(a)->name, "short");
	key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
}

/* An action reaches the VM that was selected, by UUID: a question asked
 * about "web" and answered after "web" was removed and another VM defined
 * under its name is refused, saying so, and sends nothing; so is a form.
 * Answered while web is still itself, the command carries web's UUID for
 * the backend to check once more. */
static void actions_reach_the_selected_vm_by_uuid(void **state)
{
	struct app *a = *state;
	struct be_vm vms[] = {unit_vm("web", BE_VM_RUNNING, 2, 2), unit_vm("db", BE_VM_PAUSED, 0, 1)};
	struct cmds out;

	key(a, 'G');
	assert_string_equal(sel_name(a), "web");
	key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = key(a, 'y');
	assert_int_equal(out.n, 1);
	assert_int_equal(out.c[0].type, CMD_ACT);
	assert_string_equal(out.c[0].uuid, "uuid-web");

	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL); /* the job ends with the reload */
	a->njobs = 0;
	key(a, 'g');
	while (strcmp(sel_name(a), "web"))
		key(a, 'j');
	key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	snprintf(vms[0].uuid, sizeof(vms[0].uuid), "uuid-another-web");
	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL);
	out = key(a, 'y');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->njobs, 0);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "not the VM that was selected"));

	/* A form's command carries the UUID captured when it opened too. */
	key(a, 'g');
	while (strcmp(sel_name(a), "web"))
		key(a, 'j');
	key(a, 's');
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_string_equal(a->dlg.cmd->uuid, "uuid-another-web");
	snprintf(vms[0].uuid, sizeof(vms[0].uuid), "uuid-third-web");
	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL);
	out = key(a, VK_ENTER);
	assert_null(cmds_find(&out, CMD_SNAP_CREATE));
	assert_int_equal(a->njobs, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_non_null(strstr(a->status, "not the VM that was selected"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_app_group(void)
{
	const struct CMUnitTest tests[] = {
		T(list_is_sorted_by_name),
		T(moves_clamp_at_the_ends),
		T(filter_narrows_as_you_type),
		T(filter_takes_unicode),
		T(selection_follows_the_vm_across_reloads),
		T(details_fill_in_behind_the_list),
		T(details_move_rows_only_under_a_detail_sort),
		T(sort_cycles_columns),
		T(lifecycle_checks_state_first),
		T(force_off_asks_first),
		T(names_too_long_to_carry_whole_are_refused),
		T(actions_reach_the_selected_vm_by_uuid),
		T(read_only_refuses_changes),
		T(failed_action_shows_libvirt_message),
		T(events_reload_one_vm),
		T(ctrl_l_reloads_everything),
		T(help_opens_and_returns),
		T(selection_stays_visible_when_scrolling_and_resizing),
		T(lost_connection_is_shown),
		T(hibernate_only_a_running_vm),
		T(failed_resume_offers_to_discard),
		T(discard_saved_state_asks_first),
		T(a_waiting_question_ignores_a_repeated_key),
		T(jobs_screen_keeps_the_selection_visible),
	};

	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
