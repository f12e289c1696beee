/* Faults tell the truth, end to end. A hibernated VM whose disks changed
 * behind its back is not resumed. The private daemon is killed during a
 * shut-off VM's commit and started again. The commit must not claim the
 * chain is as it was; once the daemon is back, how it ended is read from
 * libvirt, the helper VM that libvirt no longer stops by itself is
 * stopped, and the outcome is checked with virsh and qemu-img. Runs last:
 * it restarts the daemon that the tiers after it use. */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/e2e/chain/e2e_chain.h"

static const char *e2e_dir;

/* Runs cmd as the daemon's user with its private environment. */
static char *as_user(int *st, const char *cmd)
{
	char runuser[200] = "";

	if (geteuid() == 0)
		snprintf(runuser, sizeof(runuser), "runuser -u '%s' --", img_user);
	return shell(st,
		     "%s env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME='%s/home' XDG_RUNTIME_DIR='%s/run' "
		     "XDG_CONFIG_HOME='%s/cfg' XDG_CACHE_HOME='%s/cache' %s",
		     runuser, e2e_dir, e2e_dir, e2e_dir, e2e_dir, cmd);
}

/* The daemon's libvirtd, killed (its QEMU processes live on). */
static void kill_libvirtd(void)
{
	long long end = now_ms() + 15000;
	int st;

	free(shell(&st, "for p in $(grep -lsFxz 'HOME=%s/home' /proc/[0-9]*/environ | cut -d/ -f3); do"
			" [ \"$(cat /proc/$p/comm 2>/dev/null)\" = libvirtd ] && kill -KILL $p; done; true",
		   e2e_dir));
	for (;;) {
		char *out = shell(&st, "for p in $(grep -lsFxz 'HOME=%s/home' /proc/[0-9]*/environ | cut -d/ -f3);"
				       " do cat /proc/$p/comm; done | grep -c '^libvirtd$'",
				  e2e_dir);
		bool gone = !strncmp(out, "0", 1);

		free(out);
		if (gone)
			return;
		if (now_ms() > end)
			fail_msg("libvirtd of %s does not die", e2e_dir);
		poll(NULL, 0, 100);
	}
}

/* The session daemon starts again when its user connects. */
static void restart_libvirtd(void)
{
	long long end = now_ms() + 30000;
	int st;

	free(as_user(&st, "virsh -q -c qemu:///session version"));
	for (;;) {
		free(shell(&st, "virsh -q -c '%s' version", uri));
		if (st == 0)
			return;
		if (now_ms() > end)
			fail_msg("the daemon did not start again in 30 s");
		poll(NULL, 0, 200);
	}
}

struct commit_run {
	struct be_conn *c;
	const char *base;
	int rc;
	struct be_error err;
};

static void *commit_thread(void *arg)
{
	struct commit_run *r = arg;

	/* 2 MiB/s: the 24 MiB to merge take long enough to kill the daemon. */
	r->rc = be_block_commit(r->c, "ft-vm", "vda", r->base, true, 2ULL * MIB, &r->err);
	return NULL;
}

static bool block_job_seen(const char *vm)
{
	int st;
	char *out = shell(&st, "virsh -q -c '%s' blockjob '%s' vda", uri, vm);
	bool yes = st == 0 && strstr(out, "Commit") != NULL;

	free(out);
	return yes;
}

static void daemon_killed_during_a_shut_off_commit(void **state)
{
	char base[PATH_LEN], top[PATH_LEN], st[64], src[PATH_LEN];
	struct commit_run run = {0};
	struct be_error err = {0};
	struct be_conn *c;
	pthread_t t;
	long long end;
	int rc;

	(void)state;
	qcow2(img(base, "ft-base"), "64M", NULL);
	qcow2(img(top, "ft-top"), NULL, base);
	must_quiet("qemu-io -f qcow2 -c 'write -P 0x5a 0 24M' '%s'", top);
	define_vm("ft-vm", top);
	pool_refresh();
	if (!(run.c = be_open(uri, false, &err)))
		fail_msg("cannot connect: %s", err.msg);
	run.base = base;
	assert_int_equal(pthread_create(&t, NULL, commit_thread, &run), 0);
	end = now_ms() + 30000;
	while (!block_job_seen("ft-vm") && now_ms() < end)
		poll(NULL, 0, 100);
	assert_true(block_job_seen("ft-vm"));

	kill_libvirtd();
	pthread_join(t, NULL);
	be_close(run.c);
	/* Not "as it was": nobody knows yet. */
	assert_int_equal(run.rc, -1);
	assert_int_equal(run.err.kind, BE_ERR_CONN);
	if (strstr(run.err.msg, "as it was"))
		fail_msg("the lost commit claims to know its outcome: %s", run.err.msg);
	print_message("lost: %s\n", run.err.msg);

	restart_libvirtd();
	domstate("ft-vm", st, sizeof(st));
	print_message("after the restart, ft-vm is %s\n", st);
	if (!(c = be_open(uri, false, &err)))
		fail_msg("cannot connect again: %s", err.msg);
	rc = be_commit_recover(c, "ft-vm", "vda", base, true, &err);
	be_close(c);
	print_message("recovered: rc %d %s\n", rc, rc ? err.msg : "");

	/* Shut off again, never left paused; the disk on a chain that holds
	 * the data, merged (rc 0) or as it was. */
	wait_state("ft-vm", "shut off");
	blk_source("ft-vm", true, src);
	if (rc == 0) {
		assert_string_equal(src, base);
		free(must("qemu-io -r -f qcow2 -c 'read -P 0x5a 0 24M' '%s'", base));
	} else {
		assert_string_equal(src, top);
		assert_non_null(strstr(err.msg, "as it was"));
		free(must("qemu-io -r -f qcow2 -c 'read -P 0x5a 0 24M' '%s'", top));
	}
	assert_intact(base, top, NULL);
	assert_false(block_job_seen("ft-vm"));
}

static char *dominfo(const char *vm, const char *field)
{
	return must("virsh -q -c '%s' dominfo '%s' | sed -n 's/^%s: *//p'", uri, vm, field);
}

/* A hibernated VM whose definition was pointed at another disk behind its
 * back: resuming its saved memory on that disk would corrupt the guest,
 * so start is refused, saying why, and the saved state stays. */
static void resume_on_other_disks_refused(void **state)
{
	char a[PATH_LEN], b[PATH_LEN];
	struct be_error err = {0};
	struct be_conn *c;
	char *ms;
	int rc;

	(void)state;
	qcow2(img(a, "ft-rs-a"), "16M", NULL);
	qcow2(img(b, "ft-rs-b"), "16M", NULL);
	define_vm("ft-rs", a);
	start_vm("ft-rs");
	must_quiet("virsh -q -c '%s' managedsave ft-rs", uri);
	wait_state("ft-rs", "shut off");
	/* Behind vmmanager's back: the definition now names another disk. */
	must_quiet("virsh -q -c '%s' dumpxml --inactive ft-rs | sed 's|%s|%s|' | virsh -q -c '%s' define /dev/stdin",
		   uri, a, b, uri);
	free(must("virsh -q -c '%s' domblklist --inactive ft-rs | grep -F '%s'", uri, b));
	if (!(c = be_open(uri, false, &err)))
		fail_msg("cannot connect: %s", err.msg);
	rc = be_vm_act(c, "ft-rs", BE_ACT_START, &err);
	be_close(c);
	assert_int_equal(rc, -1);
	if (!strstr(err.msg, "would corrupt the guest"))
		fail_msg("the refusal does not say why: %s", err.msg);
	wait_state("ft-rs", "shut off");
	ms = dominfo("ft-rs", "Managed save");
	assert_string_equal(ms, "yes\n");
	free(ms);
}

/* drop() cannot undefine a VM with a saved state: it goes first. */
static int drop_saved(void **state)
{
	int st;

	free(shell(&st, "virsh -q -c '%s' managedsave-remove ft-rs", uri));
	return drop_prefix(state);
}

int test_faults_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(resume_on_other_disks_refused, NULL, drop_saved, "ft-rs"),
		cmocka_unit_test_prestate_setup_teardown(daemon_killed_during_a_shut_off_commit, NULL, drop_prefix,
							 "ft-"),
	};

	e2e_dir = getenv("E2E_DIR");
	if (!e2e_dir) {
		fprintf(stderr, "E2E_DIR must be set (run tests/e2e/run.sh)\n");
		return 1;
	}
	return cmocka_run_group_tests_name("e2e-faults", tests, NULL, NULL);
}
