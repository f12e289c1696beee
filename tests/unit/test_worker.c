/* The worker and mailbox keep the UI thread free while libvirt blocks. */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/app.h"
#include "runtime/mailbox.h"
#include "runtime/worker.h"
#include "shared/util.h"
#include "tests/unit/fake_backend.h"
#include "tests/unit/unit.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Waits for the next event with a generous deadline. */
static struct event *next_event(struct mailbox *mb, int deadline_ms)
{
	double end = now_ms() + deadline_ms;
	struct event *ev;

	while (!(ev = mailbox_take(mb))) {
		struct pollfd p = {.fd = mailbox_fd(mb), .events = POLLIN};
		int left = (int)(end - now_ms());

		if (left <= 0)
			return NULL;
		poll(&p, 1, left);
	}
	return ev;
}

static void fill_host(void)
{
	struct be_vm vms[3] = {0};
	const char *names[3] = {"one", "two", "three"};
	int i;

	for (i = 0; i < 3; i++) {
		vms[i].name = (char *)names[i];
		strcpy(vms[i].uuid, names[i]);
		vms[i].state = BE_VM_RUNNING;
		vms[i].vcpus = 2;
		vms[i].mem_kib = 2048;
		vms[i].nsnap = i;
		vms[i].chain_depth = i + 1;
	}
	fake_set_vms(vms, 3);
}

static void dispatch(struct app *a, struct worker *w, struct event *ev)
{
	struct cmds out = {0};
	int i;

	app_handle(a, ev, &out);
	for (i = 0; i < out.n; i++)
		worker_submit(w, &out.c[i]);
}

/* A list load blocks in the backend for 3 s; meanwhile keys are handled
 * at once and change the state, and the load's outcome arrives later. */
static void keys_work_while_the_backend_blocks(void **state)
{
	struct mailbox *mb = mailbox_new();
	struct be_conn *conn = be_open(NULL, false, NULL);
	struct worker *w = worker_new(conn, mb);
	struct cmd load = {.type = CMD_LOAD_VMS, .u.load_vms.details = true};
	struct app a;
	struct event *ev;
	double t0, slowest = 0;
	int i;
	const int keys[] = {'/', 'o', 'n', VK_ENTER, '?', 'j', 'q', VK_CTRL_L};

	(void)state;
	fake_reset();
	fill_host();
	fake_set_delay_ms(3000);
	app_init(&a, "fake:///", "fakehost", false);
	worker_submit(w, &load);
	/* Wait until the worker really is inside the slow call. */
	t0 = now_ms();
	while (!fake_in_call() && now_ms() - t0 < 5000)
		poll(NULL, 0, 5);
	assert_true(fake_in_call());
	for (i = 0; i < (int)ARRAY_LEN(keys); i++) {
		struct event k = {.type = EV_KEY, .key = keys[i]};
		double t = now_ms();

		dispatch(&a, w, &k);
		if (now_ms() - t > slowest)
			slowest = now_ms() - t;
	}
	/* Every key changed the state while the call was still running. */
	assert_true(fake_in_call());
	assert_string_equal(a.filter, "on");
	assert_false(a.filtering);
	assert_int_equal(a.screen, SCREEN_VMLIST); /* ? opened help, q closed it */
	assert_true(slowest < 500.0);
	assert_true(a.loading);

	/* The host answers now; what it is asked next it answers at once. */
	fake_set_delay_ms(0);
	fake_release();
	ev = next_event(mb, 20000);
	assert_non_null(ev);
	assert_int_equal(ev->type, EV_VMS_LOADED);
	dispatch(&a, w, ev);
	event_free(ev);
	assert_int_equal(a.vms.n, 3);
	assert_int_equal(a.nrows, 1); /* the filter "on" matches only "one" */
	assert_int_equal(vmlist_row(&a, 0)->nsnap, -1);

	ev = next_event(mb, 20000);
	assert_non_null(ev);
	assert_int_equal(ev->type, EV_DETAILS);
	dispatch(&a, w, ev);
	event_free(ev);
	assert_int_equal(vmlist_row(&a, 0)->nsnap, 0); /* one */
	assert_int_equal(vmlist_row(&a, 0)->chain_depth, 1);

	worker_free(w);
	be_close(conn);
	mailbox_free(mb);
	app_free(&a);
	fake_reset();
}

/* Loads queued behind a slow one are merged: a burst of events must not
 * turn into a burst of libvirt calls. */
static void queued_list_loads_merge(void **state)
{
	struct mailbox *mb = mailbox_new();
	struct be_conn *conn = be_open(NULL, false, NULL);
	struct worker *w = worker_new(conn, mb);
	struct cmd load = {.type = CMD_LOAD_VMS};
	struct event *ev;
	int i, loaded = 0;
	double t0;

	(void)state;
	fake_reset();
	fill_host();
	fake_set_delay_ms(3000);
	worker_submit(w, &load);
	t0 = now_ms();
	while (!fake_in_call() && now_ms() - t0 < 5000)
		poll(NULL, 0, 5);
	for (i = 0; i < 19; i++)
		worker_submit(w, &load);
	/* All 19 are queued while the first call blocks; now it answers. */
	assert_true(fake_in_call());
	fake_set_delay_ms(0);
	fake_release();
	while (worker_busy(w) && now_ms() - t0 < 20000)
		poll(NULL, 0, 10);
	assert_false(worker_busy(w));
	assert_int_equal(fake_list_calls(), 2); /* the first, and one for the rest */
	while ((ev = mailbox_take(mb))) {
		loaded += ev->type == EV_VMS_LOADED;
		event_free(ev);
	}
	assert_int_equal(loaded, 2);
	worker_free(w);
	be_close(conn);
	mailbox_free(mb);
	fake_reset();
}

static void failed_action_reports_the_message(void **state)
{
	struct mailbox *mb = mailbox_new();
	struct be_conn *conn = be_open(NULL, false, NULL);
	struct worker *w = worker_new(conn, mb);
	struct cmd act = {.type = CMD_ACT, .u.act.action = BE_ACT_START};
	struct event *ev;

	(void)state;
	fake_reset();
	fake_fail_act("Requested operation is not valid: domain is already running");
	str_copy(act.name, "one", sizeof(act.name));
	worker_submit(w, &act);
	ev = next_event(mb, 20000);
	assert_non_null(ev);
	assert_int_equal(ev->type, EV_OP_DONE);
	assert_int_equal(ev->op, CMD_ACT);
	assert_int_equal(ev->rc, -1);
	assert_string_equal(ev->name, "one");
	assert_non_null(strstr(ev->err.msg, "already running"));
	event_free(ev);
	worker_free(w);
	be_close(conn);
	mailbox_free(mb);
	fake_reset();
}

/* An action carries the UUID of the VM as selected: when the host's VM of
 * that name has another UUID by now, nothing is done to it. */
static void action_on_a_replaced_vm_is_refused(void **state)
{
	struct mailbox *mb = mailbox_new();
	struct be_conn *conn = be_open(NULL, false, NULL);
	struct worker *w = worker_new(conn, mb);
	struct cmd act = {.type = CMD_ACT, .u.act.action = BE_ACT_START};
	struct be_vm now = {.name = "one", .uuid = "uuid-of-the-new-one"};
	struct event *ev;

	(void)state;
	fake_reset();
	fake_set_vms(&now, 1);
	str_copy(act.name, "one", sizeof(act.name));
	str_copy(act.uuid, "uuid-selected", sizeof(act.uuid));
	worker_submit(w, &act);
	ev = next_event(mb, 20000);
	assert_non_null(ev);
	assert_int_equal(ev->type, EV_OP_DONE);
	assert_int_equal(ev->rc, -1);
	assert_int_equal(ev->err.kind, BE_ERR_REFUSED);
	assert_int_equal(fake_act_calls(), 0);
	event_free(ev);

	str_copy(act.uuid, "uuid-of-the-new-one", sizeof(act.uuid));
	worker_submit(w, &act);
	ev = next_event(mb, 20000);
	assert_non_null(ev);
	assert_int_equal(ev->rc, 0);
	assert_int_equal(fake_act_calls(), 1);
	event_free(ev);
	worker_free(w);
	be_close(conn);
	mailbox_free(mb);
	fake_reset();
}

/* An event about a VM whose name was too long for the event is never
 * taken for the VM named by its first 255 bytes: the list is read again,
 * nothing is done to a VM of that name. */
static void event_with_a_cut_name_names_no_vm(void **state)
{
	struct be_event bev = {.kind = BE_EV_BLOCK_JOB, .name_cut = true, .disk = "vda"};
	struct event *ev;

	(void)state;
	memset(bev.name, 'a', sizeof(bev.name) - 1);
	ev = mailbox_event_of(&bev);
	assert_int_equal(ev->type, EV_VM_CHANGED);
	assert_string_equal(ev->name, "");
	event_free(ev);
	bev.kind = BE_EV_LIFECYCLE;
	ev = mailbox_event_of(&bev);
	assert_int_equal(ev->type, EV_VM_CHANGED);
	assert_string_equal(ev->name, "");
	event_free(ev);
	bev.name_cut = false;
	bev.kind = BE_EV_BLOCK_JOB;
	ev = mailbox_event_of(&bev);
	assert_int_equal(ev->type, EV_BLOCK_EVENT);
	assert_int_equal(strlen(ev->name), sizeof(bev.name) - 1);
	event_free(ev);
}

struct poster {
	struct mailbox *mb;
	int base;
};

static void *post_many(void *arg)
{
	struct poster *p = arg;
	int i;

	for (i = 0; i < 1000; i++) {
		struct event *ev = event_new(EV_TICK);

		ev->key = p->base + i;
		mailbox_post(p->mb, ev);
	}
	return NULL;
}

/* Events from several threads all arrive, each thread's in order. */
static void mailbox_keeps_every_event(void **state)
{
	struct mailbox *mb = mailbox_new();
	struct poster p[4];
	pthread_t t[4];
	int last[4] = {-1, -1, -1, -1}, got = 0, i;
	struct event *ev;

	(void)state;
	for (i = 0; i < 4; i++) {
		p[i] = (struct poster){mb, i * 10000};
		pthread_create(&t[i], NULL, post_many, &p[i]);
	}
	while (got < 4000 && (ev = next_event(mb, 20000))) {
		int who = ev->key / 10000, seq = ev->key % 10000;

		assert_true(seq > last[who]);
		last[who] = seq;
		got++;
		event_free(ev);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(got, 4000);
	assert_null(mailbox_take(mb));
	mailbox_free(mb);
}

/* Details come in display order: the first screenful (32 VMs or a few
 * more, by name, whatever order libvirt lists them in) in an event of its
 * own, the rest behind it; every VM's details arrive, none twice. */
static void details_come_first_screenful_first(void **state)
{
	enum { N = 100 };
	struct mailbox *mb = mailbox_new();
	struct be_conn *conn = be_open(NULL, false, NULL);
	struct worker *w = worker_new(conn, mb);
	struct cmd load = {.type = CMD_LOAD_VMS, .u.load_vms.details = true};
	struct be_vm vms[N] = {0};
	char names[N][16];
	int seen[N] = {0};
	struct event *ev;
	size_t i, got = 0, events = 0;

	(void)state;
	fake_reset();
	for (i = 0; i < N; i++) {
		/* Listed backwards: vm-099 first. */
		snprintf(names[i], sizeof(names[i]), "vm-%03zu", N - 1 - i);
		vms[i].name = names[i];
		str_copy(vms[i].uuid, names[i], sizeof(vms[i].uuid));
		vms[i].state = BE_VM_SHUTOFF;
		vms[i].nsnap = 1;
		vms[i].chain_depth = 2;
	}
	fake_set_vms(vms, N);
	/* A slow link: 32 at a time, the 100 take four rounds of 50 ms. */
	fake_set_delay_ms(50);
	worker_submit(w, &load);
	ev = next_event(mb, 20000);
	assert_non_null(ev);
	assert_int_equal(ev->type, EV_VMS_LOADED);
	event_free(ev);
	while (got < N && (ev = next_event(mb, 20000))) {
		assert_int_equal(ev->type, EV_DETAILS);
		if (events++ == 0) {
			/* At least a screenful, not all: the head of the list. */
			assert_true(ev->list.n >= 32 && ev->list.n < N);
			for (i = 0; i < ev->list.n; i++)
				assert_true(atoi(ev->list.vms[i].name + 3) < (int)ev->list.n);
		}
		for (i = 0; i < ev->list.n; i++) {
			int k = atoi(ev->list.vms[i].name + 3);

			assert_int_equal(seen[k]++, 0);
			assert_int_equal(ev->list.vms[i].chain_depth, 2);
		}
		got += ev->list.n;
		event_free(ev);
	}
	assert_int_equal(got, N);
	assert_true(events >= 2);
	assert_int_equal(fake_detail_calls(), N);

	worker_free(w);
	be_close(conn);
	mailbox_free(mb);
	fake_reset();
}

int test_worker_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_work_while_the_backend_blocks),
		cmocka_unit_test(queued_list_loads_merge),
		cmocka_unit_test(failed_action_reports_the_message),
		cmocka_unit_test(action_on_a_replaced_vm_is_refused),
		cmocka_unit_test(event_with_a_cut_name_names_no_vm),
		cmocka_unit_test(mailbox_keeps_every_event),
		cmocka_unit_test(details_come_first_screenful_first),
	};

	return cmocka_run_group_tests_name("worker", tests, NULL, NULL);
}
