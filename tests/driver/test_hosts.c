/* Several hosts on libvirt's test driver: two host links at once on two
 * copies of fixture.xml (test-driver connections share no state), and
 * the credential questions of a copy whose <node> holds an <auth> user. */
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "core/app.h"
#include "runtime/hostlink.h"
#include "runtime/mailbox.h"
#include "shared/util.h"

int hosts_tests(const char *fixture_path);

#define DEADLINE_MS 20000
#define AUTH_XML "<auth><user password=\"123456\">fred</user></auth>"

static char dir[64];
static char path0[PATH_MAX], path1[PATH_MAX], path_auth[PATH_MAX];
static char uri0[PATH_MAX + 16], uri1[PATH_MAX + 16], uri_auth[PATH_MAX + 16];

/* Events taken from the mailbox that a test did not wait for yet. */
#define KEPT_MAX 256
struct inbox {
	struct mailbox *mb;
	struct event *kept[KEPT_MAX];
	size_t n;
};

static struct inbox *inbox_new(void)
{
	struct inbox *in = xcalloc(1, sizeof(*in));

	in->mb = mailbox_new();
	assert_non_null(in->mb);
	return in;
}

static void inbox_free(struct inbox *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		event_free(in->kept[i]);
	mailbox_free(in->mb);
	free(in);
}

static bool matches(const struct event *ev, int host, unsigned types)
{
	return ev->host == host && (types & (1u << ev->type));
}

/* The first event of host whose type is in types (a mask of 1 << type),
 * kept or new; the caller owns it. NULL after the deadline. */
static struct event *wait_event(struct inbox *in, int host, unsigned types)
{
	long long end = mono_ms() + DEADLINE_MS;
	struct event *ev;
	size_t i;

	for (;;) {
		for (i = 0; i < in->n; i++)
			if (matches(in->kept[i], host, types)) {
				ev = in->kept[i];
				memmove(&in->kept[i], &in->kept[i + 1], (in->n - i - 1) * sizeof(ev));
				in->n--;
				return ev;
			}
		while ((ev = mailbox_take(in->mb))) {
			if (matches(ev, host, types))
				return ev;
			assert_true(in->n < KEPT_MAX);
			in->kept[in->n++] = ev;
		}
		{
			struct pollfd p = {.fd = mailbox_fd(in->mb), .events = POLLIN};
			char drain[64];
			long long left = end - mono_ms();

			if (left <= 0)
				return NULL;
			if (poll(&p, 1, (int)left) > 0)
				while (read(p.fd, drain, sizeof(drain)) > 0)
					;
		}
	}
}

#define BIT(t) (1u << (t))

/* How many kept events of type and host there are (name: of that VM). */
static int kept_count(const struct inbox *in, enum event_type type, int host, const char *name)
{
	size_t i;
	int n = 0;

	for (i = 0; i < in->n; i++)
		n += in->kept[i]->type == type && in->kept[i]->host == host &&
		     (!name || !strcmp(in->kept[i]->name, name));
	return n;
}

static void submit(struct hostlink *h, enum cmd_type type, int host)
{
	struct cmd c = {.type = type, .host = host};

	hostlink_submit(h, &c);
}

static void answer(struct hostlink *h, int host, const char *text, bool cancel)
{
	struct cmd c = {.type = CMD_AUTH_ANSWER, .host = host, .u.auth_answer.cancelled = cancel};

	if (text)
		str_copy(c.u.auth_answer.answer[0], text, AUTH_SLOT);
	hostlink_submit(h, &c);
}

/* Frees h once its workers are idle, so that nothing is left behind. */
static void link_free(struct hostlink *h)
{
	long long end = mono_ms() + DEADLINE_MS;

	while (hostlink_busy(h) && mono_ms() < end)
		poll(NULL, 0, 5);
	assert_false(hostlink_busy(h));
	hostlink_free(h);
}

static const struct be_vm *find_vm(const struct be_vm_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->vms[i].name, name))
			return &l->vms[i];
	return NULL;
}

/* Lists host's VMs through its link; returns alpha's state. */
static enum be_vm_state alpha_on(struct inbox *in, struct hostlink *h, int host)
{
	struct event *ev;
	enum be_vm_state s;

	submit(h, CMD_LOAD_VMS, host);
	ev = wait_event(in, host, BIT(EV_VMS_LOADED));
	assert_non_null(ev);
	assert_int_equal(ev->rc, 0);
	assert_int_equal(ev->list.n, 6);
	assert_non_null(find_vm(&ev->list, "alpha"));
	s = find_vm(&ev->list, "alpha")->state;
	event_free(ev);
	return s;
}

static void expect_connected(struct inbox *in, int host, const char *uri)
{
	struct event *ev = wait_event(in, host, BIT(EV_CONNECTED) | BIT(EV_AUTH));

	assert_non_null(ev);
	if (ev->type != EV_CONNECTED || ev->rc != 0)
		fprintf(stderr, "host %d: event %d rc %d: %s\n", host, ev->type, ev->rc, ev->err.msg);
	assert_int_equal(ev->type, EV_CONNECTED);
	assert_int_equal(ev->rc, 0);
	assert_string_equal(ev->text, uri);
	/* The list comes first on connecting, before EV_CONNECTED, and
	 * again once the events are on (with its details in between): both
	 * are here already, and the core is told not to read it again. */
	assert_true(ev->listed);
	event_free(ev);
	for (int i = 0; i < 2; i++) {
		ev = wait_event(in, host, BIT(EV_VMS_LOADED));
		assert_non_null(ev);
		assert_int_equal(ev->rc, 0);
		assert_int_equal(ev->list.n, 6);
		event_free(ev);
	}
}

/* Waits for host's next credential question; fails when it connects or
 * fails instead. */
static struct event *expect_question(struct inbox *in, int host, enum be_cred_type type)
{
	struct event *ev = wait_event(in, host, BIT(EV_CONNECTED) | BIT(EV_AUTH));

	assert_non_null(ev);
	if (ev->type != EV_AUTH)
		fprintf(stderr, "host %d: event %d rc %d (%s) instead of a question\n", host, ev->type, ev->rc,
			ev->err.msg);
	assert_int_equal(ev->type, EV_AUTH);
	assert_int_equal(ev->ncreds, 1); /* libvirt asks one at a time */
	assert_int_equal(ev->creds[0].type, type);
	assert_true(strlen(ev->creds[0].prompt) > 0);
	return ev;
}

static struct event *expect_refused(struct inbox *in, int host)
{
	struct event *ev = wait_event(in, host, BIT(EV_CONNECTED) | BIT(EV_AUTH));

	assert_non_null(ev);
	assert_int_equal(ev->type, EV_CONNECTED);
	assert_int_equal(ev->rc, -1);
	assert_true(strlen(ev->err.msg) > 0);
	return ev;
}

/* Two hosts at once through one mailbox: each connects, lists, and an
 * action on one changes that one only. */
static void two_hosts_side_by_side(void **state)
{
	struct inbox *in = inbox_new();
	struct hostlink *h0 = hostlink_new(0, uri0, false, in->mb);
	struct hostlink *h1 = hostlink_new(1, uri1, false, in->mb);
	struct cmd act = {.type = CMD_ACT, .host = 0, .job = 7, .u.act.action = BE_ACT_DESTROY};
	struct event *ev;

	(void)state;
	assert_non_null(h0);
	assert_non_null(h1);
	submit(h0, CMD_CONNECT, 0);
	submit(h1, CMD_CONNECT, 1);
	/* Whichever answers first, each says its own canonical URI. */
	expect_connected(in, 1, uri1);
	expect_connected(in, 0, uri0);
	assert_int_equal(alpha_on(in, h0, 0), BE_VM_RUNNING);
	assert_int_equal(alpha_on(in, h1, 1), BE_VM_RUNNING);

	str_copy(act.name, "alpha", sizeof(act.name));
	hostlink_submit(h0, &act);
	ev = wait_event(in, 0, BIT(EV_OP_DONE));
	assert_non_null(ev);
	assert_int_equal(ev->op, CMD_ACT);
	assert_int_equal(ev->job, 7);
	assert_string_equal(ev->name, "alpha");
	if (ev->rc)
		fprintf(stderr, "destroy: %s\n", ev->err.msg);
	assert_int_equal(ev->rc, 0);
	event_free(ev);
	assert_int_equal(alpha_on(in, h0, 0), BE_VM_SHUTOFF);
	assert_int_equal(alpha_on(in, h1, 1), BE_VM_RUNNING);
	/* libvirt's lifecycle event comes tagged with host 0, and host 1's
	 * connection has nothing to say. */
	ev = wait_event(in, 0, BIT(EV_VM_CHANGED));
	assert_non_null(ev);
	assert_string_equal(ev->name, "alpha");
	event_free(ev);
	/* And the other way round: gamma started on host 1 is host 1's. */
	act.host = 1;
	act.u.act.action = BE_ACT_START;
	act.job = 8;
	str_copy(act.name, "gamma", sizeof(act.name));
	hostlink_submit(h1, &act);
	ev = wait_event(in, 1, BIT(EV_OP_DONE));
	assert_non_null(ev);
	assert_int_equal(ev->job, 8);
	assert_int_equal(ev->rc, 0);
	event_free(ev);
	ev = wait_event(in, 1, BIT(EV_VM_CHANGED));
	assert_non_null(ev);
	assert_string_equal(ev->name, "gamma");
	event_free(ev);
	assert_int_equal(kept_count(in, EV_VM_CHANGED, 0, "gamma"), 0);
	/* Host 1's events come in order: had it told of alpha, that would
	 * have come before gamma. */
	assert_int_equal(kept_count(in, EV_VM_CHANGED, 1, "alpha"), 0);
	link_free(h0);
	link_free(h1);
	inbox_free(in);
}

/* The test driver asks the user name, then the password; the right ones
 * connect, and a reconnection asks nothing again. */
static void login_asks_user_then_password(void **state)
{
	struct inbox *in = inbox_new();
	struct hostlink *h = hostlink_new(0, uri_auth, false, in->mb);
	struct event *ev;

	(void)state;
	submit(h, CMD_CONNECT, 0);
	ev = expect_question(in, 0, BE_CRED_USER);
	fprintf(stderr, "# user prompt: \"%s\", default \"%s\"\n", ev->creds[0].prompt, ev->creds[0].answer);
	event_free(ev);
	answer(h, 0, "fred", false);
	ev = expect_question(in, 0, BE_CRED_PASSWORD);
	fprintf(stderr, "# password prompt: \"%s\"\n", ev->creds[0].prompt);
	assert_non_null(strstr(ev->creds[0].prompt, "fred")); /* it names the user */
	event_free(ev);
	answer(h, 0, "123456", false);
	expect_connected(in, 0, uri_auth);
	assert_int_equal(alpha_on(in, h, 0), BE_VM_RUNNING);

	/* Reconnecting: remembered, not asked. */
	submit(h, CMD_CONNECT, 0);
	expect_connected(in, 0, uri_auth);
	assert_int_equal(alpha_on(in, h, 0), BE_VM_RUNNING);
	link_free(h);
	inbox_free(in);
}

/* Connects host 0 of h, answering the user and password questions. */
static void log_in(struct inbox *in, struct hostlink *h, const char *user, const char *password)
{
	submit(h, CMD_CONNECT, 0);
	event_free(expect_question(in, 0, BE_CRED_USER));
	answer(h, 0, user, false);
	event_free(expect_question(in, 0, BE_CRED_PASSWORD));
	answer(h, 0, password, false);
}

/* A wrong password: libvirt's refusal, and the next attempt asks again
 * from the start. */
static void wrong_password_is_refused_and_asked_again(void **state)
{
	struct inbox *in = inbox_new();
	struct hostlink *h = hostlink_new(0, uri_auth, false, in->mb);
	struct event *ev;

	(void)state;
	log_in(in, h, "fred", "654321");
	ev = expect_refused(in, 0);
	fprintf(stderr, "# wrong password: code %d kind %d: \"%s\"\n", ev->err.code, ev->err.kind, ev->err.msg);
	assert_int_equal(ev->err.kind, BE_ERR_AUTH);
	assert_int_equal(ev->err.code, 45); /* VIR_ERR_AUTH_FAILED */
	assert_non_null(strstr(ev->err.msg, "authentication failed"));
	event_free(ev);
	/* Nothing is used for commands meanwhile. */
	submit(h, CMD_LOAD_VMS, 0);
	ev = wait_event(in, 0, BIT(EV_VMS_LOADED));
	assert_non_null(ev);
	assert_int_equal(ev->rc, -1);
	assert_int_equal(ev->err.kind, BE_ERR_CONN);
	event_free(ev);

	/* The refused answers are forgotten: both are asked again. */
	log_in(in, h, "fred", "123456");
	expect_connected(in, 0, uri_auth);
	/* An unknown user is asked for a password too, then refused. */
	link_free(h);
	h = hostlink_new(0, uri_auth, false, in->mb);
	log_in(in, h, "mallory", "123456");
	ev = expect_refused(in, 0);
	assert_int_equal(ev->err.kind, BE_ERR_AUTH);
	event_free(ev);
	link_free(h);
	inbox_free(in);
}

/* Cancelling either question fails the connection as cancelled, and
 * nothing is remembered of it. */
static void cancelled_login_fails(void **state)
{
	struct inbox *in = inbox_new();
	struct hostlink *h = hostlink_new(0, uri_auth, false, in->mb);
	struct event *ev;

	(void)state;
	submit(h, CMD_CONNECT, 0);
	event_free(expect_question(in, 0, BE_CRED_USER));
	answer(h, 0, "ignored", true);
	ev = expect_refused(in, 0);
	fprintf(stderr, "# cancelled user: code %d kind %d: \"%s\"\n", ev->err.code, ev->err.kind, ev->err.msg);
	assert_int_equal(ev->err.kind, BE_ERR_AUTH_CANCELLED);
	event_free(ev);

	submit(h, CMD_CONNECT, 0);
	event_free(expect_question(in, 0, BE_CRED_USER));
	answer(h, 0, "fred", false);
	event_free(expect_question(in, 0, BE_CRED_PASSWORD));
	answer(h, 0, NULL, true);
	ev = expect_refused(in, 0);
	fprintf(stderr, "# cancelled password: code %d kind %d: \"%s\"\n", ev->err.code, ev->err.kind,
		ev->err.msg);
	assert_int_equal(ev->err.kind, BE_ERR_AUTH_CANCELLED);
	event_free(ev);

	/* Asked again (nothing of the cancelled login kept), it connects. */
	log_in(in, h, "fred", "123456");
	expect_connected(in, 0, uri_auth);
	link_free(h);
	inbox_free(in);
}

/* A link that never connected, or could not: commands are answered "not
 * connected", tagged with its host. */
static void a_link_without_connection_says_so(void **state)
{
	struct inbox *in = inbox_new();
	struct hostlink *h = hostlink_new(3, uri0, false, in->mb);
	struct hostlink *bad = hostlink_new(2, "test:///no/such/fixture.xml", false, in->mb);
	struct cmd act = {.type = CMD_ACT, .host = 3, .job = 9, .u.act.action = BE_ACT_START};
	struct event *ev;

	(void)state;
	submit(h, CMD_LOAD_VMS, 3);
	ev = wait_event(in, 3, BIT(EV_VMS_LOADED));
	assert_non_null(ev);
	assert_int_equal(ev->rc, -1);
	assert_int_equal(ev->err.kind, BE_ERR_CONN);
	assert_int_equal(ev->list.n, 0);
	event_free(ev);
	str_copy(act.name, "gamma", sizeof(act.name));
	hostlink_submit(h, &act);
	ev = wait_event(in, 3, BIT(EV_OP_DONE));
	assert_non_null(ev);
	assert_int_equal(ev->rc, -1);
	assert_int_equal(ev->err.kind, BE_ERR_CONN);
	assert_int_equal(ev->job, 9);
	assert_string_equal(ev->name, "gamma");
	event_free(ev);

	submit(bad, CMD_CONNECT, 2);
	ev = expect_refused(in, 2);
	assert_true(ev->err.kind != BE_ERR_AUTH && ev->err.kind != BE_ERR_AUTH_CANCELLED);
	event_free(ev);
	submit(bad, CMD_LOAD_VMS, 2);
	ev = wait_event(in, 2, BIT(EV_VMS_LOADED));
	assert_non_null(ev);
	assert_int_equal(ev->rc, -1);
	assert_int_equal(ev->err.kind, BE_ERR_CONN);
	event_free(ev);
	link_free(h);
	link_free(bad);
	inbox_free(in);
}

/* A read-only link (-r) opens its connection read-only: a change that
 * reaches it all the same is refused by libvirt, and nothing changes. */
static void a_read_only_link_changes_nothing(void **state)
{
	struct inbox *in = inbox_new();
	struct hostlink *h = hostlink_new(0, uri0, true, in->mb);
	struct cmd act = {.type = CMD_ACT, .host = 0, .job = 5, .u.act.action = BE_ACT_DESTROY};
	struct event *ev;

	(void)state;
	submit(h, CMD_CONNECT, 0);
	expect_connected(in, 0, uri0);
	str_copy(act.name, "alpha", sizeof(act.name));
	hostlink_submit(h, &act);
	ev = wait_event(in, 0, BIT(EV_OP_DONE));
	assert_non_null(ev);
	assert_int_equal(ev->job, 5);
	assert_int_equal(ev->rc, -1);
	assert_non_null(strstr(ev->err.msg, "read only"));
	event_free(ev);
	assert_int_equal(alpha_on(in, h, 0), BE_VM_RUNNING);
	link_free(h);
	inbox_free(in);
}

/* The core over two real links: the commands it returns go to the link
 * of their host; the login form is answered with keys. */
struct rig {
	struct app a;
	struct inbox *in;
	struct hostlink *links[2];
	int questions;
};

static void dispatch(struct rig *r, const struct cmds *out)
{
	int i;
	size_t h;

	for (i = 0; i < out->n; i++) {
		if (out->c[i].type == CMD_QUIT)
			continue;
		for (h = 0; h < 2; h++)
			if (out->c[i].host < 0 || out->c[i].host == (int)h)
				hostlink_submit(r->links[h], &out->c[i]);
	}
}

static void press(struct rig *r, int key)
{
	/* Typed after the eye saw the question: past its guard. */
	struct event ev = {.type = EV_KEY, .key = key, .now_ms = r->a.now_ms + DLG_GUARD_MS + 1};
	struct cmds out = {0};

	app_handle(&r->a, &ev, &out);
	dispatch(r, &out);
}

static void type_line(struct rig *r, const char *s)
{
	while (*s)
		press(r, (unsigned char)*s++);
	press(r, VK_ENTER);
}

/* Handles events until done(r) or the deadline; answers each login
 * question with the user name and then with password (NULL: Esc). */
static bool pump(struct rig *r, bool (*done)(struct rig *), const char *password)
{
	long long end = mono_ms() + DEADLINE_MS;
	struct event *ev;

	while (!done(r)) {
		struct pollfd p = {.fd = mailbox_fd(r->in->mb), .events = POLLIN};
		char drain[64];
		long long left = end - mono_ms();

		if (left <= 0)
			return false;
		if (poll(&p, 1, (int)left) > 0)
			while (read(p.fd, drain, sizeof(drain)) > 0)
				;
		while ((ev = mailbox_take(r->in->mb))) {
			struct cmds out = {0};

			app_handle(&r->a, ev, &out);
			event_free(ev);
			dispatch(r, &out);
			if (r->a.dlg.kind == DLG_FORM && r->a.dlg.cmd->type == CMD_AUTH_ANSWER) {
				r->questions++;
				if (!r->a.dlg.field[0].secret)
					type_line(r, "fred");
				else if (password)
					type_line(r, password);
				else
					press(r, VK_ESC);
			}
		}
	}
	return true;
}

static bool both_up_and_listed(struct rig *r)
{
	return r->a.hosts[0].state == HOST_UP && r->a.hosts[1].state == HOST_UP && r->a.vms.n == 12 &&
	       !r->a.loading;
}

static bool second_down(struct rig *r)
{
	return r->a.hosts[1].state == HOST_DOWN;
}

static void rig_start(struct rig *r)
{
	struct cmd connect = {.type = CMD_CONNECT};

	memset(r, 0, sizeof(*r));
	r->in = inbox_new();
	app_init(&r->a, NULL, NULL, false);
	hosts_add(&r->a, NULL, uri0, false);
	hosts_add(&r->a, "locked", uri_auth, false);
	r->links[0] = hostlink_new(0, uri0, false, r->in->mb);
	r->links[1] = hostlink_new(1, uri_auth, false, r->in->mb);
	connect.host = 0;
	hostlink_submit(r->links[0], &connect);
	connect.host = 1;
	hostlink_submit(r->links[1], &connect);
}

static void rig_stop(struct rig *r)
{
	link_free(r->links[0]);
	link_free(r->links[1]);
	inbox_free(r->in);
	app_free(&r->a);
}

static void the_core_lists_two_hosts_and_logs_in(void **state)
{
	struct rig r;
	size_t i;

	(void)state;
	rig_start(&r);
	assert_true(pump(&r, both_up_and_listed, "123456"));
	assert_int_equal(r.questions, 2); /* user, then password */
	assert_string_equal(state_host_name(&r.a, 0), "copy0");
	assert_string_equal(state_host_name(&r.a, 1), "locked");
	assert_int_equal(r.a.nrows, 12);
	for (i = 0; i < r.a.nrows; i++)
		assert_int_equal(vmlist_row(&r.a, i)->host, i < 6 ? 0 : 1);
	assert_string_equal(vmlist_row(&r.a, 0)->name, "alpha");
	assert_string_equal(vmlist_row(&r.a, 6)->name, "alpha");
	rig_stop(&r);
}

/* Esc on the login form: the host is down and is not asked again by
 * itself. */
static void the_core_takes_no_for_an_answer(void **state)
{
	struct rig r;
	struct event tick = {.type = EV_TICK};
	struct cmds out = {0};
	int i;

	(void)state;
	rig_start(&r);
	assert_true(pump(&r, second_down, NULL));
	assert_int_equal(r.questions, 2); /* the user name, then Esc on the password */
	assert_non_null(strstr(r.a.status, "R asks again"));
	/* Later ticks do not bring the question back. */
	tick.now_ms = mono_ms() + 10 * HOST_RETRY_MS;
	app_handle(&r.a, &tick, &out);
	for (i = 0; i < out.n; i++)
		assert_int_not_equal(out.c[i].type, CMD_CONNECT);
	assert_int_equal(r.a.hosts[1].state, HOST_DOWN);
	rig_stop(&r);
}

/* Wrong passwords through the form: asked again by itself, and the third
 * refusal in a row stops. */
static void the_core_asks_again_after_a_wrong_password(void **state)
{
	struct rig r;

	(void)state;
	rig_start(&r);
	assert_true(pump(&r, second_down, "nope"));
	assert_int_equal(r.questions, 6); /* user and password, three times */
	assert_non_null(strstr(r.a.hosts[1].error, "authentication failed"));
	rig_stop(&r);
}

/* Copies the fixture to path, with extra right inside <node ...>. */
static int write_copy(const char *text, const char *path, const char *extra)
{
	const char *node = strstr(text, "<node"), *gt = node ? strchr(node, '>') : NULL;
	FILE *f = fopen(path, "w");
	int rc;

	if (!f || !gt) {
		if (f)
			fclose(f);
		return -1;
	}
	fwrite(text, 1, (size_t)(gt + 1 - text), f);
	fputs(extra, f);
	fputs(gt + 1, f);
	rc = fclose(f);
	return rc;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap)
			buf = xrealloc(buf, cap = (n + 4096 + 1) * 2);
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

int hosts_tests(const char *fixture_path)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_hosts_side_by_side),
		cmocka_unit_test(login_asks_user_then_password),
		cmocka_unit_test(wrong_password_is_refused_and_asked_again),
		cmocka_unit_test(cancelled_login_fails),
		cmocka_unit_test(a_link_without_connection_says_so),
		cmocka_unit_test(a_read_only_link_changes_nothing),
		cmocka_unit_test(the_core_lists_two_hosts_and_logs_in),
		cmocka_unit_test(the_core_takes_no_for_an_answer),
		cmocka_unit_test(the_core_asks_again_after_a_wrong_password),
	};
	char *text = read_file(fixture_path);
	int failed;

	str_copy(dir, "/tmp/vmm-hosts-XXXXXX", sizeof(dir));
	if (!text || !mkdtemp(dir)) {
		fprintf(stderr, "cannot read %s or make a temporary folder\n", fixture_path);
		free(text);
		return 1;
	}
	snprintf(path0, sizeof(path0), "%s/copy0.xml", dir);
	snprintf(path1, sizeof(path1), "%s/copy1.xml", dir);
	snprintf(path_auth, sizeof(path_auth), "%s/locked.xml", dir);
	snprintf(uri0, sizeof(uri0), "test://%s", path0);
	snprintf(uri1, sizeof(uri1), "test://%s", path1);
	snprintf(uri_auth, sizeof(uri_auth), "test://%s", path_auth);
	if (write_copy(text, path0, "") < 0 || write_copy(text, path1, "") < 0 ||
	    write_copy(text, path_auth, AUTH_XML) < 0) {
		fprintf(stderr, "cannot write the fixture's copies in %s\n", dir);
		failed = 1;
	} else {
		failed = cmocka_run_group_tests_name("driver hosts", tests, NULL, NULL);
	}
	unlink(path0);
	unlink(path1);
	unlink(path_auth);
	rmdir(dir);
	free(text);
	return failed;
}
