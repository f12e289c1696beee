/* Several hosts: the core's view of each connection (up, not answering,
 * lost, asking for credentials), the VM list grouped by host and commands
 * that go to the right one. The config file is test_config.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* ---- the core's hosts ---- */

#define LAB1 "qemu+ssh://root@lab1/system"
#define FIXTURE "test:///x/fixture.xml"

static struct cmds handle(struct app *a, struct event *ev)
{
	struct cmds out = {0};

	app_handle(a, ev, &out);
	return out;
}

static struct cmds key(struct app *a, int k)
{
	/* Typed after the eye saw the screen: past a new question's guard. */
	struct event ev = {.type = EV_KEY, .key = k, .now_ms = a->now_ms + DLG_GUARD_MS + 1};

	return handle(a, &ev);
}

static void type(struct app *a, const char *s)
{
	while (*s)
		key(a, (unsigned char)*s++);
}

static struct cmds connected(struct app *a, int host, const char *canon, const char *hostname)
{
	struct event ev = {.type = EV_CONNECTED, .host = host, .rc = 0};

	str_copy(ev.text, canon, sizeof(ev.text));
	str_copy(ev.name, hostname, sizeof(ev.name));
	return handle(a, &ev);
}

static struct cmds refused(struct app *a, int host, enum be_err_kind kind, const char *msg)
{
	struct event ev = {.type = EV_CONNECTED, .host = host, .rc = -1};

	ev.err.kind = kind;
	str_copy(ev.err.msg, msg, sizeof(ev.err.msg));
	return handle(a, &ev);
}

/* Delivers host's list of VMs as its worker would (with backend host 0). */
static struct cmds load(struct app *a, int host, const struct be_vm *vms, size_t n)
{
	struct event ev = {.type = EV_VMS_LOADED, .host = host};
	struct cmds out;
	size_t i;

	ev.list.vms = xcalloc(n ? n : 1, sizeof(struct be_vm));
	for (i = 0; i < n; i++)
		be_vm_copy(&ev.list.vms[i], &vms[i]);
	ev.list.n = n;
	out = handle(a, &ev);
	be_vm_list_clear(&ev.list);
	return out;
}



/* Moves the selection to host's VM name with the keys; fails the test
 * when the list has no such row. */
static void select_vm(struct app *a, int host, const char *name)
{
	size_t i;

	key(a, 'g');
	for (i = 0; i < a->nrows; i++) {
		const struct be_vm *v = vmlist_selected(a);

		if (v && v->host == host && !strcmp(v->name, name))
			return;
		key(a, 'j');
	}
	fail_msg("no row for %s on host %d", name, host);
}

static bool all_zero(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Two hosts, both up: lab1 with web (running) and db (shut off), the
 * fixture with web (shut off) and alpha (running). */
static int setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm h0[] = {unit_vm("web", BE_VM_RUNNING, 0, 1), unit_vm("db", BE_VM_SHUTOFF, 0, 1)};
	struct be_vm h1[] = {unit_vm("web", BE_VM_SHUTOFF, 0, 1), unit_vm("alpha", BE_VM_RUNNING, 0, 1)};

	app_init(a, NULL, NULL, false);
	hosts_add(a, NULL, LAB1, false);
	hosts_add(a, NULL, FIXTURE, false);
	connected(a, 0, LAB1, "lab1.example.org");
	connected(a, 1, FIXTURE, "box");
	load(a, 0, h0, ARRAY_LEN(h0));
	load(a, 1, h1, ARRAY_LEN(h1));
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

static void added_hosts_wait_to_connect(void **state)
{
	struct app a;
	struct cmds out;

	(void)state;
	app_init(&a, NULL, NULL, false);
	assert_int_equal(a.nhosts, 0);
	assert_int_equal(hosts_add(&a, NULL, LAB1, false), 0);
	assert_int_equal(hosts_add(&a, "prod", "qemu:///system", true), 1);
	assert_int_equal(state_host(&a, 0)->state, HOST_CONNECTING);
	assert_int_equal(state_host(&a, 1)->state, HOST_CONNECTING);
	assert_true(state_host(&a, 1)->readonly);
	assert_string_equal(state_host_name(&a, 1), "prod");
	assert_null(state_host(&a, 2));
	assert_string_equal(state_host_name(&a, 2), "");
	/* Nothing is reconnected while they are on their way. */
	out = key(&a, 'R');
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a.status, "No host is down"));

	out = connected(&a, 1, "qemu:///system", "box");
	assert_int_equal(state_host(&a, 1)->state, HOST_UP);
	assert_int_equal(state_host(&a, 0)->state, HOST_CONNECTING);
	assert_int_equal(cmds_count(&out, CMD_LOAD_VMS), 1);
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->host, 1);
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->u.load_vms.details, 1);
	assert_string_equal(state_host_name(&a, 1), "prod"); /* the config's name stays */
	app_free(&a);
}

/* A host link that read the list and its details while it connected
 * (and the list again once the events were on) says so: the core does
 * not read them all a second time. */
static void connected_host_already_listed_is_not_read_again(void **state)
{
	struct app a;
	struct event ev = {.type = EV_CONNECTED, .host = 0, .rc = 0, .listed = true};
	struct be_vm vms[] = {unit_vm("web", BE_VM_RUNNING, 0, 1)};
	struct cmds out;

	(void)state;
	app_init(&a, NULL, NULL, false);
	hosts_add(&a, NULL, LAB1, false);
	out = load(&a, 0, vms, 1); /* the list came before */
	assert_int_equal(cmds_count(&out, CMD_FIND_BLOCK_JOBS), 1);
	out = handle(&a, &ev);
	assert_int_equal(a.hosts[0].state, HOST_UP);
	assert_null(cmds_find(&out, CMD_LOAD_VMS));
	assert_false(a.loading);
	assert_int_equal(a.nrows, 1);
	app_free(&a);
}

static void connected_host_is_up_and_loads_its_vms(void **state)
{
	struct app a;
	struct be_vm vms[] = {unit_vm("web", BE_VM_RUNNING, 0, 1)};
	struct cmds out;

	(void)state;
	app_init(&a, NULL, NULL, false);
	hosts_add(&a, NULL, "qemu+ssh://root@lab1/system?no_tty=1", false);
	/* libvirt's canonical URI replaces the one given. */
	out = connected(&a, 0, LAB1, "lab1.example.org");
	assert_int_equal(a.hosts[0].state, HOST_UP);
	assert_string_equal(a.hosts[0].uri, LAB1);
	assert_string_equal(a.hosts[0].name, "lab1");
	assert_int_equal(out.n, 1);
	assert_int_equal(out.c[0].type, CMD_LOAD_VMS);
	assert_int_equal(out.c[0].host, 0);
	assert_false(out.c[0].u.load_vms.refresh_pools); /* a host's pools are scanned on Ctrl-L, not on every connect */
	assert_true(a.loading);
	/* Its first list looks for block jobs left running, once. */
	out = load(&a, 0, vms, 1);
	assert_false(a.loading);
	assert_int_equal(cmds_count(&out, CMD_FIND_BLOCK_JOBS), 1);
	assert_int_equal(cmds_find(&out, CMD_FIND_BLOCK_JOBS)->host, 0);
	out = load(&a, 0, vms, 1);
	assert_null(cmds_find(&out, CMD_FIND_BLOCK_JOBS));
	assert_int_equal(a.nrows, 1);
	assert_int_equal(vmlist_row(&a, 0)->host, 0);
	app_free(&a);
}

static void hosts_are_named_from_their_uri(void **state)
{
	static const struct {
		const char *config_name, *uri, *hostname, *want;
	} hosts[] = {
		{NULL, LAB1, "lab1.example.org", "lab1"},
		{NULL, FIXTURE, "box", "fixture"},
		{NULL, "test:///y/fixture.xml", "box", "fixture#2"},
		{NULL, "qemu+tcp://lab1:16509/system", "lab1", "lab1#2"},
		{NULL, "test:///z/fixture", "box", "fixture#3"},
		{"lab2", "qemu+ssh://lab1/system", "lab1", "lab2"},
		{NULL, "qemu+tls://lab2.example.org/system?pkipath=/p", "x", "lab2.example.org"},
		{NULL, "qemu+ssh://admin@lab2/system", "lab2", "lab2#2"},
		{NULL, "qemu:///session", "vm", "vm:session"},
		{NULL, "test:///default", "box", "default"},
		{NULL, "qemu+ssh://root@[fe80::1]:22/system", "x", "fe80::1"},
	};
	struct app a;
	size_t i;

	(void)state;
	app_init(&a, NULL, NULL, false);
	hosts_set_local(&a, "vm"); /* named when added, in order */
	for (i = 0; i < ARRAY_LEN(hosts); i++)
		hosts_add(&a, hosts[i].config_name, hosts[i].uri, false);
	for (i = 0; i < ARRAY_LEN(hosts); i++) {
		connected(&a, (int)i, hosts[i].uri, hosts[i].hostname);
		if (strcmp(state_host_name(&a, (int)i), hosts[i].want))
			fprintf(stderr, "host %zu (%s): named \"%s\", want \"%s\"\n", i, hosts[i].uri,
				state_host_name(&a, (int)i), hosts[i].want);
		assert_string_equal(state_host_name(&a, (int)i), hosts[i].want);
	}
	/* A reconnection keeps each name. */
	for (i = 0; i < ARRAY_LEN(hosts); i++) {
		connected(&a, (int)i, hosts[i].uri, hosts[i].hostname);
		assert_string_equal(state_host_name(&a, (int)i), hosts[i].want);
	}
	app_free(&a);
}

static void vms_of_two_hosts_are_two_rows_grouped_by_host(void **state)
{
	struct app *a = *state;
	static const struct {
		int host;
		const char *name;
	} want[] = {{0, "db"}, {0, "web"}, {1, "alpha"}, {1, "web"}};
	size_t i;

	assert_int_equal(a->vms.n, 4);
	assert_int_equal(a->nrows, 4);
	for (i = 0; i < ARRAY_LEN(want); i++) {
		assert_int_equal(vmlist_row(a, i)->host, want[i].host);
		assert_string_equal(vmlist_row(a, i)->name, want[i].name);
	}
	assert_int_equal(state_find_vm(a, 0, "web")->state, BE_VM_RUNNING);
	assert_int_equal(state_find_vm(a, 1, "web")->state, BE_VM_SHUTOFF);
	assert_null(state_find_vm(a, 0, "alpha"));
	/* Sorted by state, each host's VMs still stay together. */
	key(a, 'o');
	assert_int_equal(a->sort, SORT_STATE);
	assert_int_equal(vmlist_row(a, 0)->host, 0);
	assert_string_equal(vmlist_row(a, 0)->name, "web"); /* running first */
	assert_int_equal(vmlist_row(a, 1)->host, 0);
	assert_int_equal(vmlist_row(a, 2)->host, 1);
	assert_string_equal(vmlist_row(a, 2)->name, "alpha");
	assert_int_equal(vmlist_row(a, 3)->host, 1);
	/* The filter shows both webs. */
	key(a, '/');
	type(a, "web");
	key(a, VK_ENTER);
	assert_int_equal(a->nrows, 2);
	assert_int_equal(vmlist_row(a, 0)->host, 0);
	assert_int_equal(vmlist_row(a, 1)->host, 1);
}

static void a_list_of_one_host_keeps_the_other(void **state)
{
	struct app *a = *state;
	struct be_vm fresh[] = {unit_vm("web", BE_VM_RUNNING, 0, 1), unit_vm("new", BE_VM_SHUTOFF, 0, 1)};

	select_vm(a, 1, "web");
	/* Host 1's web started, alpha went, new came; host 0 is untouched. */
	load(a, 1, fresh, ARRAY_LEN(fresh));
	assert_int_equal(a->vms.n, 4);
	assert_null(state_find_vm(a, 1, "alpha"));
	assert_non_null(state_find_vm(a, 1, "new"));
	assert_int_equal(state_find_vm(a, 1, "web")->state, BE_VM_RUNNING);
	assert_int_equal(state_find_vm(a, 0, "db")->state, BE_VM_SHUTOFF);
	assert_non_null(state_find_vm(a, 0, "web"));
	/* The selection stays on host 1's web, not host 0's of that uuid. */
	assert_int_equal(vmlist_selected(a)->host, 1);
	assert_string_equal(vmlist_selected(a)->name, "web");
	/* A failed list of host 1 says which host, and keeps what was known. */
	{
		struct event ev = {.type = EV_VMS_LOADED, .host = 1, .rc = -1};

		str_copy(ev.err.msg, "internal error: boom", sizeof(ev.err.msg));
		handle(a, &ev);
	}
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "fixture"));
	assert_non_null(strstr(a->status, "boom"));
	assert_int_equal(a->vms.n, 4);
}

static void a_vm_event_reloads_its_host_only(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_VM_CHANGED, .host = 1};
	struct cmds out;

	str_copy(ev.name, "web", sizeof(ev.name));
	out = handle(a, &ev);
	assert_int_equal(cmds_count(&out, CMD_LOAD_VMS), 1);
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->host, 1);
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->u.load_vms.details, 0);
	assert_int_equal(cmds_count(&out, CMD_LOAD_DETAILS), 1);
	assert_int_equal(cmds_find(&out, CMD_LOAD_DETAILS)->host, 1);
	assert_string_equal(cmds_find(&out, CMD_LOAD_DETAILS)->name, "web");
	ev.host = 0;
	out = handle(a, &ev);
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->host, 0);
	assert_int_equal(cmds_find(&out, CMD_LOAD_DETAILS)->host, 0);
}

static void commands_carry_the_vms_host(void **state)
{
	struct app *a = *state;
	struct cmds out;

	select_vm(a, 1, "web"); /* shut off on host 1 */
	out = key(a, 'S');
	assert_int_equal(cmds_count(&out, CMD_ACT), 1);
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 1);
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_START);
	assert_string_equal(cmds_find(&out, CMD_ACT)->name, "web");
	assert_int_equal(a->njobs, 1);
	assert_int_equal(a->jobs[0].host, 1);
	assert_int_equal(cmds_find(&out, CMD_ACT)->job, a->jobs[0].id);
	/* Host 0's web is another VM: running, and not busy. */
	select_vm(a, 0, "web");
	out = key(a, 'S');
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a->status, "already running"));
	key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = key(a, 'y');
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 0);
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_DESTROY);
	assert_int_equal(a->jobs[1].host, 0);
	/* Opening host 1's alpha reads its snapshots from host 1. */
	select_vm(a, 1, "alpha");
	out = key(a, VK_ENTER);
	assert_int_equal(a->screen, SCREEN_VM);
	assert_int_equal(a->sv.host, 1);
	assert_int_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->host, 1);
	assert_string_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->name, "alpha");
}

static void read_only_host_refuses_changes(void **state)
{
	struct app a;
	struct be_vm h0[] = {unit_vm("db", BE_VM_SHUTOFF, 0, 1)};
	struct be_vm h1[] = {unit_vm("ro-vm", BE_VM_SHUTOFF, 0, 1), unit_vm("ro-up", BE_VM_RUNNING, 0, 1)};
	struct cmds out;

	(void)state;
	app_init(&a, NULL, NULL, false);
	hosts_add(&a, NULL, LAB1, false);
	hosts_add(&a, "watch", FIXTURE, true);
	connected(&a, 0, LAB1, "lab1");
	connected(&a, 1, FIXTURE, "box");
	load(&a, 0, h0, 1);
	load(&a, 1, h1, 2);
	select_vm(&a, 1, "ro-vm");
	out = key(&a, 'S');
	assert_int_equal(out.n, 0);
	assert_int_equal(a.njobs, 0);
	assert_true(a.status_error);
	assert_non_null(strstr(a.status, "Read-only"));
	assert_non_null(strstr(a.status, "watch"));
	select_vm(&a, 1, "ro-up");
	a.status[0] = '\0';
	out = key(&a, 'X');
	assert_int_equal(out.n, 0);
	assert_int_equal(a.dlg.kind, DLG_NONE);
	assert_non_null(strstr(a.status, "Read-only"));
	out = key(&a, 's'); /* a snapshot neither */
	assert_int_equal(a.dlg.kind, DLG_NONE);
	assert_int_equal(out.n, 0);
	/* Reading is fine: its VM screen opens. */
	out = key(&a, VK_ENTER);
	assert_int_equal(cmds_find(&out, CMD_LOAD_SNAPSHOTS)->host, 1);
	key(&a, 'q');
	/* The other host takes changes. */
	select_vm(&a, 0, "db");
	out = key(&a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 0);
	app_free(&a);
}

static void lost_host_marks_its_jobs_unknown(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_CONN_CLOSED, .host = 1, .now_ms = 10000};
	struct event done = {.type = EV_OP_DONE, .op = CMD_ACT, .host = 1, .rc = 0, .act = BE_ACT_START};
	struct cmds out;

	select_vm(a, 1, "web");
	out = key(a, 'S');
	done.job = cmds_find(&out, CMD_ACT)->job;
	str_copy(done.name, "web", sizeof(done.name));
	handle(a, &done); /* that one ended well before the loss */
	assert_int_equal(a->jobs[0].status, JOB_DONE);
	select_vm(a, 1, "alpha");
	key(a, 'p'); /* pause host 1's alpha: running when the link goes */
	select_vm(a, 0, "db");
	key(a, 'S'); /* start host 0's db */
	assert_int_equal(a->njobs, 3);
	assert_int_equal(a->jobs[1].host, 1);
	assert_int_equal(a->jobs[2].host, 0);

	str_copy(ev.err.msg, "End of file while reading data: Input/output error", sizeof(ev.err.msg));
	handle(a, &ev);
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	assert_int_equal(a->hosts[0].state, HOST_UP);
	assert_non_null(strstr(a->hosts[1].error, "End of file"));
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "fixture"));
	assert_non_null(strstr(a->status, "End of file"));
	/* Not failed: libvirt may carry it on. */
	assert_int_equal(a->jobs[1].status, JOB_UNKNOWN);
	assert_int_equal(a->jobs[1].ended_ms, 10000);
	assert_true(strlen(a->jobs[1].error) > 0);
	assert_int_equal(a->jobs[2].status, JOB_RUNNING); /* the other host's */
	assert_int_equal(a->jobs[0].status, JOB_DONE);	  /* ended before */
	assert_true(app_wants_tick(a)); /* to reconnect by itself */
	/* The cut-off call's late answer does not make it a failure. */
	memset(&done, 0, sizeof(done));
	done.type = EV_OP_DONE;
	done.op = CMD_ACT;
	done.host = 1;
	done.rc = -1;
	done.act = BE_ACT_SUSPEND;
	done.job = a->jobs[1].id;
	done.err.kind = BE_ERR_CONN;
	str_copy(done.name, "alpha", sizeof(done.name));
	str_copy(done.err.msg, "internal error: client socket is closed", sizeof(done.err.msg));
	handle(a, &done);
	assert_int_equal(a->jobs[1].status, JOB_UNKNOWN);
}

static void a_lost_host_refuses_changes_and_the_other_works(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_CONN_CLOSED, .host = 1};
	struct cmds out;

	handle(a, &ev);
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	assert_string_equal(a->hosts[1].error, "connection closed"); /* libvirt said nothing */
	/* Its VMs stay listed as last seen. */
	assert_int_equal(a->nrows, 4);
	select_vm(a, 1, "web");
	out = key(a, 'S');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->njobs, 0);
	assert_true(a->status_error);
	assert_non_null(strstr(a->status, "R reconnects"));
	assert_non_null(strstr(a->status, "fixture"));
	select_vm(a, 1, "alpha");
	out = key(a, 'X');
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(out.n, 0);
	/* Host 0 goes on as before. */
	select_vm(a, 0, "db");
	out = key(a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 0);
	assert_int_equal(cmds_find(&out, CMD_ACT)->u.act.action, BE_ACT_START);
	/* Back up: changes go to host 1 again. */
	out = connected(a, 1, FIXTURE, "box");
	assert_int_equal(a->hosts[1].state, HOST_UP);
	assert_string_equal(a->hosts[1].error, "");
	assert_int_equal(cmds_find(&out, CMD_LOAD_VMS)->host, 1);
	select_vm(a, 1, "web");
	out = key(a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 1);
}

static void r_reconnects_down_hosts_only(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_CONN_CLOSED, .host = 1};
	struct cmds out;

	hosts_add(a, NULL, "qemu+ssh://lab3/system", false); /* connecting */
	handle(a, &ev);
	out = key(a, 'R');
	assert_int_equal(out.n, 1);
	assert_int_equal(out.c[0].type, CMD_CONNECT);
	assert_int_equal(out.c[0].host, 1);
	assert_int_equal(a->hosts[1].state, HOST_CONNECTING);
	assert_int_equal(a->hosts[0].state, HOST_UP);
	assert_non_null(strstr(a->status, "Reconnecting to 1 host"));
	assert_false(a->status_error);
	/* Once on its way, R does not ask twice. */
	out = key(a, 'R');
	assert_int_equal(out.n, 0);
	assert_true(a->status_error);
	/* Two down: both. */
	ev.host = 0;
	handle(a, &ev);
	ev.host = 1;
	handle(a, &ev);
	out = key(a, 'R');
	assert_int_equal(cmds_count(&out, CMD_CONNECT), 2);
	assert_int_equal(out.c[0].host, 0);
	assert_int_equal(out.c[1].host, 1);
	assert_non_null(strstr(a->status, "2 hosts"));
}

static void a_down_host_is_retried_by_the_tick(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_CONN_CLOSED, .host = 1, .now_ms = 10000};
	struct event tick = {.type = EV_TICK, .now_ms = 10000 + HOST_RETRY_MS - 1};
	struct cmds out;

	handle(a, &ev);
	assert_true(app_wants_tick(a));
	out = handle(a, &tick);
	assert_null(cmds_find(&out, CMD_CONNECT));
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	tick.now_ms = 10000 + HOST_RETRY_MS;
	out = handle(a, &tick);
	assert_int_equal(cmds_count(&out, CMD_CONNECT), 1);
	assert_int_equal(cmds_find(&out, CMD_CONNECT)->host, 1);
	assert_int_equal(a->hosts[1].state, HOST_CONNECTING);
	assert_false(app_wants_tick(a));
	/* Not again while that attempt runs. */
	tick.now_ms += 3 * HOST_RETRY_MS;
	out = handle(a, &tick);
	assert_null(cmds_find(&out, CMD_CONNECT));
	/* The attempt fails: the next one comes HOST_RETRY_MS later. */
	ev.type = EV_CONNECTED;
	ev.rc = -1;
	ev.now_ms = tick.now_ms;
	ev.err.kind = BE_ERR_CONN;
	str_copy(ev.err.msg, "Cannot recv data: Connection reset by peer", sizeof(ev.err.msg));
	out = handle(a, &ev);
	assert_int_equal(out.n, 0);
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	assert_non_null(strstr(a->status, "Connection reset by peer"));
	assert_null(strstr(a->status, "asks again"));
	tick.now_ms = ev.now_ms + HOST_RETRY_MS - 1;
	out = handle(a, &tick);
	assert_null(cmds_find(&out, CMD_CONNECT));
	tick.now_ms++;
	out = handle(a, &tick);
	assert_int_equal(cmds_find(&out, CMD_CONNECT)->host, 1);
}

static void a_host_not_answering_is_shown_and_comes_back(void **state)
{
	struct app *a = *state;
	struct event slow = {.type = EV_HOST_SLOW, .host = 1, .rc = 1};
	struct cmds out;

	handle(a, &slow);
	assert_int_equal(a->hosts[1].state, HOST_SLOW);
	assert_int_equal(a->hosts[0].state, HOST_UP);
	assert_non_null(strstr(a->status, "fixture is not answering"));
	assert_string_equal(state_host_state_name(a->hosts[1].state), "not answering");
	/* Changes wait for it; R would not help, so it is not offered. */
	select_vm(a, 1, "web");
	out = key(a, 'S');
	assert_int_equal(out.n, 0);
	assert_non_null(strstr(a->status, "not answering"));
	assert_null(strstr(a->status, "R reconnects"));
	out = key(a, 'R');
	assert_null(cmds_find(&out, CMD_CONNECT));
	/* The other host is usable meanwhile. */
	select_vm(a, 0, "db");
	out = key(a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 0);
	/* It answers again. */
	slow.rc = 0;
	handle(a, &slow);
	assert_int_equal(a->hosts[1].state, HOST_UP);
	assert_false(a->status_error);
	assert_non_null(strstr(a->status, "answers again"));
	select_vm(a, 1, "web");
	out = key(a, 'S');
	assert_int_equal(cmds_find(&out, CMD_ACT)->host, 1);
	/* A host that is down is not made "slow" by a late report. */
	slow.rc = 1;
	slow.host = 0;
	{
		struct event closed = {.type = EV_CONN_CLOSED, .host = 0};

		handle(a, &closed);
	}
	handle(a, &slow);
	assert_int_equal(a->hosts[0].state, HOST_DOWN);
	slow.rc = 0;
	handle(a, &slow);
	assert_int_equal(a->hosts[0].state, HOST_DOWN);
}

static void credentials_are_asked_in_a_form(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_AUTH, .host = 1, .ncreds = 2};
	int i;

	ev.creds[0].type = BE_CRED_USER;
	str_copy(ev.creds[0].prompt, "Enter username for box", sizeof(ev.creds[0].prompt));
	str_copy(ev.creds[0].answer, "root", sizeof(ev.creds[0].answer)); /* libvirt's default */
	ev.creds[1].type = BE_CRED_PASSWORD;
	str_copy(ev.creds[1].prompt, "Enter root's password for box", sizeof(ev.creds[1].prompt));
	handle(a, &ev);
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_int_equal(a->dlg.cmd->type, CMD_AUTH_ANSWER);
	assert_int_equal(a->dlg.cmd->host, 1);
	assert_int_equal(a->dlg.nfields, 2);
	assert_non_null(strstr(a->dlg.title, "fixture"));
	assert_non_null(strstr(a->dlg.text, FIXTURE));
	assert_string_equal(a->dlg.field[0].label, "User");
	assert_false(a->dlg.field[0].secret);
	assert_string_equal(a->dlg.field[0].value, "root");
	assert_string_equal(a->dlg.field[1].label, "Password");
	assert_true(a->dlg.field[1].secret);
	assert_string_equal(a->dlg.field[1].value, "");
	assert_int_equal(a->dlg.active, 1); /* the user is known: the password takes the keys */

	/* One question alone shows libvirt's prompt; other kinds of answers. */
	key(a, VK_ESC);
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_AUTH;
	ev.host = 0;
	ev.ncreds = 1;
	ev.creds[0].type = BE_CRED_NOECHO;
	str_copy(ev.creds[0].prompt, "Passphrase for key '/root/.ssh/id_ed25519'", sizeof(ev.creds[0].prompt));
	handle(a, &ev);
	assert_int_equal(a->dlg.cmd->host, 0);
	assert_string_equal(a->dlg.text, "Passphrase for key '/root/.ssh/id_ed25519'");
	assert_true(a->dlg.field[0].secret);
	assert_string_equal(a->dlg.field[0].label, "Answer");
	assert_int_equal(a->dlg.active, 0);
	key(a, VK_ESC);
	ev.creds[0].type = BE_CRED_ECHO;
	handle(a, &ev);
	assert_false(a->dlg.field[0].secret);
	key(a, VK_ESC);
	/* More questions than the form holds: the first DLG_FIELDS. */
	ev.ncreds = BE_CREDS_MAX;
	for (i = 0; i < BE_CREDS_MAX; i++)
		ev.creds[i].type = BE_CRED_PASSWORD;
	handle(a, &ev);
	assert_int_equal(a->dlg.nfields, BE_CREDS_MAX < DLG_FIELDS ? BE_CREDS_MAX : DLG_FIELDS);
}

static void the_login_form_answers_and_forgets(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_AUTH, .host = 1, .ncreds = 2};
	struct cmds out;
	const struct cmd *c;
	int i;

	ev.creds[0].type = BE_CRED_USER;
	ev.creds[1].type = BE_CRED_PASSWORD;
	handle(a, &ev);
	assert_int_equal(a->dlg.active, 0);
	type(a, "fred");
	key(a, VK_TAB);
	type(a, "s3cr3t!");
	assert_string_equal(a->dlg.field[0].value, "fred");
	assert_string_equal(a->dlg.field[1].value, "s3cr3t!");
	out = key(a, VK_ENTER);
	assert_int_equal(out.n, 1);
	c = cmds_find(&out, CMD_AUTH_ANSWER);
	assert_non_null(c);
	assert_int_equal(c->host, 1);
	assert_false(c->u.auth_answer.cancelled);
	assert_string_equal(c->u.auth_answer.answer[0], "fred");
	assert_string_equal(c->u.auth_answer.answer[1], "s3cr3t!");
	assert_string_equal(c->u.auth_answer.answer[2], "");
	/* The form is gone and nothing of what was typed stays in the core. */
	assert_int_equal(a->dlg.kind, DLG_NONE);
	for (i = 0; i < DLG_FIELDS; i++)
		assert_true(all_zero(a->dlg.field[i].value, sizeof(a->dlg.field[i].value)));
	assert_null(strstr(a->status, "s3cr3t"));
	assert_non_null(strstr(a->status, "Logging in"));
	/* The keys that follow are the list's again. */
	out = key(a, 'j');
	assert_int_equal(out.n, 0);
	assert_int_equal(a->dlg.kind, DLG_NONE);
}

static void escape_cancels_the_login(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_AUTH, .host = 1, .ncreds = 1};
	struct cmds out;
	const struct cmd *c;

	ev.creds[0].type = BE_CRED_PASSWORD;
	handle(a, &ev);
	type(a, "half-typed");
	out = key(a, VK_ESC);
	c = cmds_find(&out, CMD_AUTH_ANSWER);
	assert_non_null(c);
	assert_int_equal(c->host, 1);
	assert_true(c->u.auth_answer.cancelled);
	assert_string_equal(c->u.auth_answer.answer[0], ""); /* nothing is handed on */
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_true(all_zero(a->dlg.field[0].value, sizeof(a->dlg.field[0].value)));
	assert_non_null(strstr(a->status, "Login cancelled"));
}

/* A login question that arrives while another dialog is open waits for it
 * to close, and the keys typed for that one do not answer it. */
static void a_login_question_waits_behind_an_open_dialog(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_AUTH, .host = 1, .ncreds = 1, .now_ms = 1000};
	struct event k = {.type = EV_KEY, .key = 'n', .now_ms = 1000};
	struct cmds out;

	ev.creds[0].type = BE_CRED_PASSWORD;
	select_vm(a, 0, "web");
	key(a, 'X'); /* force off? */
	handle(a, &ev);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	out = handle(a, &k); /* no */
	assert_null(cmds_find(&out, CMD_ACT));
	assert_int_equal(a->dlg.kind, DLG_FORM);
	assert_int_equal(a->dlg.cmd->type, CMD_AUTH_ANSWER);
	k.key = 'x'; /* typed at once: not into the password */
	handle(a, &k);
	assert_string_equal(a->dlg.field[0].value, "");
	k.now_ms = 2000;
	handle(a, &k);
	assert_string_equal(a->dlg.field[0].value, "x");
	k.key = VK_ENTER;
	out = handle(a, &k);
	assert_int_equal(cmds_find(&out, CMD_AUTH_ANSWER)->host, 1);
	assert_string_equal(cmds_find(&out, CMD_AUTH_ANSWER)->u.auth_answer.answer[0], "x");
}

static void two_login_questions_both_wait_their_turn(void **state)
{
	struct app *a = *state;
	struct event q0 = {.type = EV_AUTH, .host = 0, .ncreds = 1, .now_ms = 1000};
	struct event q1 = {.type = EV_AUTH, .host = 1, .ncreds = 1, .now_ms = 1000};
	struct event k = {.type = EV_KEY, .key = 'n', .now_ms = 1000};
	struct cmds out;

	q0.creds[0].type = BE_CRED_USER;
	q1.creds[0].type = BE_CRED_PASSWORD;
	select_vm(a, 0, "web");
	key(a, 'X'); /* a question is open: both logins must wait */
	handle(a, &q0);
	handle(a, &q1);
	assert_int_equal(a->dlg.kind, DLG_CONFIRM);
	handle(a, &k); /* no */
	assert_int_equal(a->dlg.cmd->type, CMD_AUTH_ANSWER);
	assert_int_equal(a->dlg.cmd->host, 0);
	k.now_ms = 3000;
	k.key = VK_ESC;
	out = handle(a, &k);
	assert_int_equal(cmds_find(&out, CMD_AUTH_ANSWER)->host, 0);
	/* The second host's question was kept, not lost. */
	assert_int_equal(a->dlg.cmd->type, CMD_AUTH_ANSWER);
	assert_int_equal(a->dlg.cmd->host, 1);
	assert_true(a->dlg.field[0].secret);
}

static void a_wrong_password_asks_again_up_to_three_times(void **state)
{
	struct app *a = *state;
	struct event tick = {.type = EV_TICK, .now_ms = 1000000};
	struct cmds out;
	int i;

	for (i = 1; i < 3; i++) {
		out = refused(a, 1, BE_ERR_AUTH, "authentication failed: wrong password");
		assert_int_equal(out.n, 1);
		assert_int_equal(out.c[0].type, CMD_CONNECT);
		assert_int_equal(out.c[0].host, 1);
		assert_int_equal(a->hosts[1].state, HOST_CONNECTING);
		assert_true(a->status_error);
		assert_non_null(strstr(a->status, "authentication failed: wrong password"));
		assert_non_null(strstr(a->status, "try again"));
		assert_int_equal(a->hosts[0].state, HOST_UP);
	}
	/* The third refusal in a row: it stops asking by itself. */
	out = refused(a, 1, BE_ERR_AUTH, "authentication failed: wrong password");
	assert_int_equal(out.n, 0);
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	assert_non_null(strstr(a->status, "Cannot connect to fixture"));
	assert_non_null(strstr(a->status, "R asks again"));
	assert_non_null(strstr(a->hosts[1].error, "wrong password"));
	out = handle(a, &tick);
	assert_null(cmds_find(&out, CMD_CONNECT));
	/* R asks again, with three more tries. */
	out = key(a, 'R');
	assert_int_equal(cmds_find(&out, CMD_CONNECT)->host, 1);
	out = refused(a, 1, BE_ERR_AUTH, "authentication failed");
	assert_int_equal(cmds_find(&out, CMD_CONNECT)->host, 1);
	/* A success starts the count afresh. */
	connected(a, 1, FIXTURE, "box");
	for (i = 1; i < 3; i++) {
		out = refused(a, 1, BE_ERR_AUTH, "no");
		assert_non_null(cmds_find(&out, CMD_CONNECT));
	}
	out = refused(a, 1, BE_ERR_AUTH, "no");
	assert_null(cmds_find(&out, CMD_CONNECT));
}

static void a_cancelled_login_is_not_retried_by_itself(void **state)
{
	struct app *a = *state;
	struct event tick = {.type = EV_TICK, .now_ms = 1000000};
	struct cmds out;

	out = refused(a, 1, BE_ERR_AUTH_CANCELLED, "authentication cancelled");
	assert_int_equal(out.n, 0);
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	assert_non_null(strstr(a->status, "authentication cancelled"));
	assert_non_null(strstr(a->status, "R asks again"));
	out = handle(a, &tick);
	assert_null(cmds_find(&out, CMD_CONNECT));
	tick.now_ms *= 1000;
	out = handle(a, &tick);
	assert_null(cmds_find(&out, CMD_CONNECT));
	assert_int_equal(a->hosts[1].state, HOST_DOWN);
	out = key(a, 'R');
	assert_int_equal(cmds_count(&out, CMD_CONNECT), 1);
	assert_int_equal(cmds_find(&out, CMD_CONNECT)->host, 1);
}

static void events_of_unknown_hosts_are_ignored(void **state)
{
	struct app *a = *state;
	struct event ev = {.type = EV_CONNECTED, .host = 7};
	struct cmds out;

	out = handle(a, &ev);
	assert_int_equal(out.n, 0);
	ev.type = EV_CONN_CLOSED;
	handle(a, &ev);
	ev.type = EV_HOST_SLOW;
	ev.rc = 1;
	handle(a, &ev);
	ev.type = EV_AUTH;
	ev.ncreds = 1;
	handle(a, &ev);
	assert_int_equal(a->dlg.kind, DLG_NONE);
	assert_int_equal(a->hosts[0].state, HOST_UP);
	assert_int_equal(a->hosts[1].state, HOST_UP);
	ev.host = -1;
	handle(a, &ev);
	assert_int_equal(a->dlg.kind, DLG_NONE);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int test_hosts_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(added_hosts_wait_to_connect),
		cmocka_unit_test(connected_host_is_up_and_loads_its_vms),
		cmocka_unit_test(connected_host_already_listed_is_not_read_again),
		cmocka_unit_test(hosts_are_named_from_their_uri),
		T(vms_of_two_hosts_are_two_rows_grouped_by_host),
		T(a_list_of_one_host_keeps_the_other),
		T(a_vm_event_reloads_its_host_only),
		T(commands_carry_the_vms_host),
		cmocka_unit_test(read_only_host_refuses_changes),
		T(lost_host_marks_its_jobs_unknown),
		T(a_lost_host_refuses_changes_and_the_other_works),
		T(r_reconnects_down_hosts_only),
		T(a_down_host_is_retried_by_the_tick),
		T(a_host_not_answering_is_shown_and_comes_back),
		T(credentials_are_asked_in_a_form),
		T(the_login_form_answers_and_forgets),
		T(escape_cancels_the_login),
		T(a_login_question_waits_behind_an_open_dialog),
		T(two_login_questions_both_wait_their_turn),
		T(a_wrong_password_asks_again_up_to_three_times),
		T(a_cancelled_login_is_not_retried_by_itself),
		T(events_of_unknown_hosts_are_ignored),
	};

	return cmocka_run_group_tests_name("hosts", tests, NULL, NULL);
}
