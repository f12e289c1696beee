/* The real backend against libvirt's test driver, on the fixture file
 * fixture.xml (each connection gets a fresh copy of its state). */
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "core/app.h"
#include "runtime/mailbox.h"
#include "runtime/worker.h"
#include "shared/util.h"

#define UNICODE_NAME "spaced name ünïcödé ✓"

static char fixture_uri[PATH_MAX + 16];

int snapshot_tests(const char *uri); /* test_snapshots.c */
int hosts_tests(const char *fixture_path); /* test_hosts.c */
int print_tests(void); /* test_print.c */
int readers_tests(void); /* test_readers.c */
int disktypes_tests(void); /* test_disktypes.c */
int json_tests(void); /* test_json.c */
int clone_tests(void); /* test_clone.c */
int fanout_tests(void); /* test_fanout.c */

static int open_fixture(void **state)
{
	struct be_error err = {0};
	struct be_conn *c = be_open(fixture_uri, false, &err);

	if (!c)
		fprintf(stderr, "cannot open %s: %s\n", fixture_uri, err.msg);
	*state = c;
	return c ? 0 : -1;
}

static int close_fixture(void **state)
{
	be_close(*state);
	return 0;
}

static const struct be_vm *find(const struct be_vm_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->vms[i].name, name))
			return &l->vms[i];
	return NULL;
}

static enum be_vm_state state_of(struct be_conn *c, const char *name)
{
	struct be_vm_list l;
	struct be_error err;
	enum be_vm_state s;

	assert_int_equal(be_list_vms(c, &l, &err), 0);
	assert_non_null(find(&l, name));
	s = find(&l, name)->state;
	be_vm_list_clear(&l);
	return s;
}

static void list_has_every_state(void **state)
{
	struct be_conn *c = *state;
	struct be_vm_list l;
	struct be_error err;
	char longname[201];

	memset(longname, 'x', 200);
	memcpy(longname, "long", 4);
	longname[200] = '\0';
	assert_int_equal(be_list_vms(c, &l, &err), 0);
	assert_int_equal(l.n, 6);
	assert_int_equal(find(&l, "alpha")->state, BE_VM_RUNNING);
	assert_int_equal(find(&l, "beta")->state, BE_VM_PAUSED);
	assert_int_equal(find(&l, "gamma")->state, BE_VM_SHUTOFF);
	assert_int_equal(find(&l, "delta")->state, BE_VM_SAVED);
	assert_non_null(find(&l, UNICODE_NAME));
	assert_non_null(find(&l, longname));
	assert_string_equal(find(&l, "alpha")->uuid, "fa000000-0000-4000-8000-000000000001");
	/* The bulk call does not carry snapshot counts. */
	assert_int_equal(find(&l, "alpha")->nsnap, -1);
	be_vm_list_clear(&l);
}

static void details_count_snapshots_and_layers(void **state)
{
	static const struct {
		const char *name;
		int vcpus;
		long long mem;
		int nsnap, depth;
	} want[] = {
		{"alpha", 2, 1048576, 3, 3}, {"beta", 1, 524288, 0, 1}, {"gamma", 4, 2097152, 0, 2},
		{"delta", 1, 262144, 1, 1},  {UNICODE_NAME, 1, 131072, 0, 0},
	};
	struct be_conn *c = *state;
	struct be_error err;
	size_t i;

	for (i = 0; i < ARRAY_LEN(want); i++) {
		struct be_vm v = {.name = xstrdup(want[i].name), .state = BE_VM_OTHER};

		assert_int_equal(be_vm_details(c, &v, &err), 0);
		assert_int_equal(v.vcpus, want[i].vcpus);
		assert_int_equal(v.mem_kib, want[i].mem);
		assert_int_equal(v.nsnap, want[i].nsnap);
		assert_int_equal(v.chain_depth, want[i].depth);
		assert_true(strlen(v.uuid) == 36);
		be_vm_clear(&v);
	}
}

static void missing_vm_gives_libvirts_message(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_vm v = {.name = xstrdup("no-such-vm")};

	assert_int_equal(be_vm_details(c, &v, &err), -1);
	assert_non_null(strstr(err.msg, "not found"));
	assert_int_equal(be_vm_act(c, "no-such-vm", BE_ACT_START, &err), -1);
	assert_non_null(strstr(err.msg, "not found"));
	be_vm_clear(&v);
}

/* be_vm_check, each way a name can stop meaning the VM selected: the
 * selected UUID now has another name (renamed), the name has another
 * UUID (removed and defined again), or neither is there. */
static void vm_check_finds_renamed_and_replaced_vms(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_vm_list l = {0};
	const struct be_vm *gamma, *beta;

	assert_int_equal(be_list_vms(c, &l, &err), 0);
	assert_non_null(gamma = find(&l, "gamma"));
	assert_non_null(beta = find(&l, "beta"));
	assert_int_equal(be_vm_check(c, "gamma", gamma->uuid, &err), 0);
	assert_int_equal(be_vm_check(c, "beta", gamma->uuid, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "beta was renamed to gamma"));
	assert_int_equal(be_vm_check(c, "beta", "00000000-0000-0000-0000-00000000beef", &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "another defined under its name"));
	assert_int_equal(be_vm_check(c, "gone", "00000000-0000-0000-0000-00000000beef", &err), -1);
	assert_non_null(strstr(err.msg, "not on the host any more"));
	be_vm_list_clear(&l);
}

/* libvirt's messages come whole or say how much is left out: the lookup
 * of a 6000-byte snapshot name echoes it in a message longer than any
 * buffer. */
static void long_libvirt_message_says_what_is_left_out(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	char *name = xcalloc(1, 6001);
	const char *note;

	memset(name, 'n', 6000);
	assert_int_equal(be_snapshot_revert(c, "alpha", name, false, false, &err), -1);
	assert_true(strlen(err.msg) < sizeof(err.msg));
	assert_non_null(strstr(err.msg, "snapshot not found"));
	assert_non_null(note = strstr(err.msg, " [... "));
	assert_true(atoi(note + 6) > 1900);
	assert_string_equal(note + strcspn(note, "0123456789") + strspn(note + strcspn(note, "0123456789"), "0123456789"),
			    " more bytes]");
	free(name);
}

static void lifecycle_actions_change_state(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};

	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_START, &err), 0);
	assert_int_equal(state_of(c, "gamma"), BE_VM_RUNNING);
	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_SUSPEND, &err), 0);
	assert_int_equal(state_of(c, "gamma"), BE_VM_PAUSED);
	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_RESUME, &err), 0);
	assert_int_equal(state_of(c, "gamma"), BE_VM_RUNNING);
	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_SHUTDOWN, &err), 0);
	assert_int_equal(state_of(c, "gamma"), BE_VM_SHUTOFF);
	assert_int_equal(be_vm_act(c, "alpha", BE_ACT_DESTROY, &err), 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_SHUTOFF);
	/* Starting a hibernated VM resumes it and uses up the saved state. */
	assert_int_equal(be_vm_act(c, "delta", BE_ACT_START, &err), 0);
	assert_int_equal(state_of(c, "delta"), BE_VM_RUNNING);
}

static void refused_action_keeps_libvirts_reason(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};

	assert_int_equal(be_vm_act(c, "alpha", BE_ACT_START, &err), -1);
	assert_non_null(strstr(err.msg, "already running"));
	assert_true(err.code != 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
}

/* Hibernate: the list shows "saved", start resumes it, and the saved state
 * can be discarded instead. */
static void hibernate_resume_and_discard(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};

	assert_int_equal(be_vm_act(c, "alpha", BE_ACT_HIBERNATE, &err), 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_SAVED);
	assert_int_equal(be_vm_act(c, "alpha", BE_ACT_START, &err), 0);
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
	/* A paused VM hibernates too. */
	assert_int_equal(be_vm_act(c, "beta", BE_ACT_HIBERNATE, &err), 0);
	assert_int_equal(state_of(c, "beta"), BE_VM_SAVED);
	assert_int_equal(be_vm_act(c, "beta", BE_ACT_DISCARD_SAVE, &err), 0);
	assert_int_equal(state_of(c, "beta"), BE_VM_SHUTOFF);
	/* Start fresh: the saved state goes first, then a normal boot. */
	assert_int_equal(state_of(c, "delta"), BE_VM_SAVED);
	assert_int_equal(be_vm_act(c, "delta", BE_ACT_START_FRESH, &err), 0);
	assert_int_equal(state_of(c, "delta"), BE_VM_RUNNING);
}

static void hibernate_refusals_keep_libvirts_reason(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};

	/* Nothing to save on a shut-off VM, nothing to discard without one. */
	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_HIBERNATE, &err), -1);
	assert_true(strlen(err.msg) > 0);
	assert_int_equal(state_of(c, "gamma"), BE_VM_SHUTOFF);
	memset(&err, 0, sizeof(err));
	assert_int_equal(be_vm_act(c, "no-such-vm", BE_ACT_DISCARD_SAVE, &err), -1);
	assert_int_equal(err.kind, BE_ERR_NO_VM);
}

/* delta is hibernated: its saved memory belongs to its disks as they are,
 * so a new overlay, a discard and a commit are refused, saying so, and
 * the saved state stays. */
static void disk_changes_to_a_hibernated_vm_refused(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	int i;

	for (i = 0; i < 3; i++) {
		int rc = i == 0   ? be_overlay_new(c, "delta", "vda", "/fx/delta-ovl.qcow2", &err)
			 : i == 1 ? be_overlay_discard(c, "delta", "vda", "/fx/delta.qcow2", NULL, &err)
				  : be_block_commit(c, "delta", "vda", "/fx/base.qcow2", true, 0, &err);

		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, BE_ERR_REFUSED);
		assert_non_null(strstr(err.msg, "delta is hibernated"));
		memset(&err, 0, sizeof(err));
	}
	assert_int_equal(state_of(c, "delta"), BE_VM_SAVED);
}

/* alpha runs: QEMU writes its active layer, so discarding it is refused
 * in the backend itself (whatever the core let through), and the chain
 * and its files stay as they were. */
static void discard_of_a_running_vm_is_refused(void **state)
{
	static const char *const chain[] = {"/fx/alpha-top.qcow2", "/fx/alpha-mid.qcow2", "/fx/base.qcow2"};
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_disk_list dl;
	size_t i;

	assert_int_equal(be_overlay_discard(c, "alpha", "vda", "/fx/alpha-mid.qcow2", NULL, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "alpha is running"));
	assert_int_equal(state_of(c, "alpha"), BE_VM_RUNNING);
	assert_int_equal(be_vm_disks(c, "alpha", &dl, &err), 0);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.d[0].nlayers, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(dl.d[0].layers[i].path, chain[i]);
		assert_true(dl.d[0].layers[i].in_pool); /* no file deleted */
	}
	be_disk_list_clear(&dl);
}

/* base.qcow2 is the base of alpha's and gamma's chains: deleting it is
 * refused by the backend, naming both, and it stays in its pool. */
static void deleting_a_shared_base_is_refused(void **state)
{
	static const char *const base[] = {"/fx/base.qcow2"};
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_disk_list dl;

	assert_int_equal(be_volumes_delete(c, base, 1, &err), -1);
	assert_int_equal(err.kind, BE_ERR_REFUSED);
	assert_non_null(strstr(err.msg, "alpha"));
	assert_non_null(strstr(err.msg, "gamma"));
	assert_int_equal(be_vm_disks(c, "gamma", &dl, &err), 0);
	assert_int_equal(dl.d[0].nlayers, 2);
	assert_string_equal(dl.d[0].layers[1].path, base[0]);
	assert_true(dl.d[0].layers[1].in_pool);
	be_disk_list_clear(&dl);
}

static void read_only_connection_refuses_changes(void **state)
{
	struct be_error err = {0};
	struct be_conn *c = be_open(fixture_uri, true, &err);

	(void)state;
	assert_non_null(c);
	assert_true(be_readonly(c));
	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_START, &err), -1);
	assert_non_null(strstr(err.msg, "read only"));
	assert_int_equal(state_of(c, "gamma"), BE_VM_SHUTOFF);
	be_close(c);
}

static void unreachable_uri_fails_with_a_message(void **state)
{
	struct be_error err = {0};

	(void)state;
	assert_null(be_open("test:///no/such/file.xml", false, &err));
	assert_true(strlen(err.msg) > 0);
	assert_null(be_open("qemu+unix:///system?socket=/nonexistent/sock", false, &err));
	assert_non_null(strstr(err.msg, "/nonexistent/sock"));
}

struct seen {
	pthread_mutex_t lock;
	char names[16][256];
	int n;
};

static void record(void *ctx, const struct be_event *ev)
{
	struct seen *s = ctx;

	pthread_mutex_lock(&s->lock);
	if (s->n < 16 && ev->kind == BE_EV_LIFECYCLE)
		str_copy(s->names[s->n++], ev->name, sizeof(s->names[0]));
	pthread_mutex_unlock(&s->lock);
}

static bool saw(struct seen *s, const char *name)
{
	bool found = false;
	int i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n; i++)
		found |= !strcmp(s->names[i], name);
	pthread_mutex_unlock(&s->lock);
	return found;
}

/* Lifecycle events arrive on the event thread, without polling. */
static void lifecycle_events_arrive(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct seen s = {.lock = PTHREAD_MUTEX_INITIALIZER};
	int i;

	assert_int_equal(be_watch(c, record, &s, &err), 0);
	assert_int_equal(be_vm_act(c, "gamma", BE_ACT_START, &err), 0);
	for (i = 0; i < 1000 && !saw(&s, "gamma"); i++)
		poll(NULL, 0, 10);
	assert_true(saw(&s, "gamma"));
}

/* The whole core path on the real backend: worker, mailbox, state. */
static void worker_loads_list_then_details(void **state)
{
	struct be_conn *c = *state;
	struct mailbox *mb = mailbox_new();
	struct worker *w = worker_new(c, mb);
	struct cmd load = {.type = CMD_LOAD_VMS, .u.load_vms.details = true};
	struct app a;
	int got = 0, i;

	app_init(&a, be_uri(c), be_hostname(c), false);
	worker_submit(w, &load);
	for (i = 0; i < 1000 && got < 2; i++) {
		struct pollfd p = {.fd = mailbox_fd(mb), .events = POLLIN};
		struct event *ev;
		struct cmds out = {0};

		poll(&p, 1, 10);
		while ((ev = mailbox_take(mb))) {
			app_handle(&a, ev, &out);
			got++;
			event_free(ev);
		}
	}
	assert_int_equal(got, 2);
	assert_int_equal(a.nrows, 6);
	assert_string_equal(vmlist_row(&a, 0)->name, "alpha");
	assert_int_equal(vmlist_row(&a, 0)->nsnap, 3);
	assert_int_equal(vmlist_row(&a, 0)->chain_depth, 3);
	worker_free(w);
	mailbox_free(mb);
	app_free(&a);
}

/* The images screen's data through the worker: alpha and gamma share
 * /fx/base.qcow2; every VM disk appears as a leaf under its chain. */
static void images_show_the_shared_base(void **state)
{
	struct be_conn *c = *state;
	struct mailbox *mb = mailbox_new();
	struct worker *w = worker_new(c, mb);
	struct app a;
	struct cmds out = {0};
	struct event key = {.type = EV_KEY, .key = '3'};
	size_t i, users_of_base = 0;
	int got = 0;

	app_init(&a, be_uri(c), be_hostname(c), false);
	app_handle(&a, &key, &out);
	assert_int_equal(a.screen, SCREEN_IMAGES);
	assert_int_equal(out.n, 1);
	worker_submit(w, &out.c[0]);
	for (i = 0; i < 1000 && !got; i++) {
		struct pollfd p = {.fd = mailbox_fd(mb), .events = POLLIN};
		struct event *ev;
		struct cmds more = {0};

		poll(&p, 1, 10);
		while ((ev = mailbox_take(mb))) {
			got |= ev->type == EV_IMAGES;
			app_handle(&a, ev, &more);
			event_free(ev);
		}
	}
	assert_true(a.img_loaded);
	assert_int_equal(a.images.shared, 1);
	for (i = 0; i < a.images.n; i++)
		if (a.images.nodes[i].kind == IMG_FILE && !strcmp(a.images.nodes[i].path, "/fx/base.qcow2"))
			users_of_base = a.images.nodes[i].users;
	assert_int_equal(users_of_base, 2);
	/* First row: the shared base; Enter on a VM's disk opens that VM. */
	assert_string_equal(images_selected(&a)->path, "/fx/base.qcow2");
	for (i = 0; i < 3; i++) {
		struct event down = {.type = EV_KEY, .key = 'j'};

		app_handle(&a, &down, &out);
	}
	assert_int_equal(images_selected(&a)->kind, IMG_USE);
	assert_string_equal(images_selected(&a)->path, "alpha");
	memset(&out, 0, sizeof(out));
	key.key = VK_ENTER;
	app_handle(&a, &key, &out);
	assert_int_equal(a.screen, SCREEN_VM);
	assert_string_equal(a.sv.vm, "alpha");
	worker_free(w);
	mailbox_free(mb);
	app_free(&a);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/driver/fixture.xml";
	char real[PATH_MAX];
	struct be_error err = {0};
	int failed;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_has_every_state, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(details_count_snapshots_and_layers, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(missing_vm_gives_libvirts_message, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(vm_check_finds_renamed_and_replaced_vms, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(long_libvirt_message_says_what_is_left_out, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(lifecycle_actions_change_state, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(refused_action_keeps_libvirts_reason, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(hibernate_resume_and_discard, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(hibernate_refusals_keep_libvirts_reason, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(disk_changes_to_a_hibernated_vm_refused, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(discard_of_a_running_vm_is_refused, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(deleting_a_shared_base_is_refused, open_fixture, close_fixture),
		cmocka_unit_test(read_only_connection_refuses_changes),
		cmocka_unit_test(unreachable_uri_fails_with_a_message),
		cmocka_unit_test_setup_teardown(lifecycle_events_arrive, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(worker_loads_list_then_details, open_fixture, close_fixture),
		cmocka_unit_test_setup_teardown(images_show_the_shared_base, open_fixture, close_fixture),
	};

	if (!realpath(path, real)) {
		fprintf(stderr, "fixture %s not found\n", path);
		return 1;
	}
	snprintf(fixture_uri, sizeof(fixture_uri), "test://%s", real);
	if (be_init(&err) < 0) {
		fprintf(stderr, "be_init: %s\n", err.msg);
		return 1;
	}
	failed = cmocka_run_group_tests_name("driver", tests, NULL, NULL);
	failed += snapshot_tests(fixture_uri);
	failed += hosts_tests(real);
	failed += print_tests();
	failed += readers_tests();
	failed += disktypes_tests();
	failed += json_tests();
	failed += clone_tests();
	failed += fanout_tests();
	return failed;
}
