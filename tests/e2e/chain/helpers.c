/* Helpers the chain e2e tests share: shell commands, images and VMs on the
 * private daemon (see e2e_chain.h). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shared/util.h"
#include "tests/e2e/chain/e2e_chain.h"

const char *uri, *img_dir, *img_user;
struct be_conn *conn;

/* ---- shell ------------------------------------------------------------ */

static char *vshell(int *status, const char *fmt, va_list ap)
{
	char cmd[4096], buf[4096];
	char *out = xstrdup("");
	size_t len = 0, n;
	FILE *p;
	int rc;

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = xrealloc(out, len + n + 1);
		memcpy(out + len, buf, n);
		len += n;
		out[len] = '\0';
	}
	rc = pclose(p);
	*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	return out;
}

char *shell(int *status, const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	out = vshell(status, fmt, ap);
	va_end(ap);
	return out;
}

char *must(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int st;

	va_start(ap, fmt);
	out = vshell(&st, fmt, ap);
	va_end(ap);
	if (st != 0)
		fail_msg("command failed (status %d): %s\n%s", st, fmt, out);
	return out;
}

void must_quiet(const char *fmt, ...)
{
	va_list ap;
	char *out;
	int st;

	va_start(ap, fmt);
	out = vshell(&st, fmt, ap);
	va_end(ap);
	if (st != 0)
		fail_msg("command failed (status %d): %s\n%s", st, fmt, out);
	free(out);
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- images ----------------------------------------------------------- */

char *img(char out[PATH_LEN], const char *name)
{
	snprintf(out, PATH_LEN, "%s/%s.qcow2", img_dir, name);
	return out;
}

void own(const char *path)
{
	if (geteuid() == 0)
		must_quiet("chown '%s:' '%s'", img_user, path);
}

void qcow2(const char *path, const char *size, const char *backing)
{
	if (backing)
		must_quiet("qemu-img create -q -f qcow2 -b '%s' -F qcow2 '%s'", backing, path);
	else
		must_quiet("qemu-img create -q -f qcow2 '%s' %s", path, size);
	own(path);
}

void pool_refresh(void)
{
	must_quiet("virsh -q -c '%s' pool-refresh images", uri);
}

bool in_pool(const char *path)
{
	int st;
	char *out = shell(&st, "virsh -q -c '%s' vol-info '%s'", uri, path);

	free(out);
	return st == 0;
}

/* ---- VMs -------------------------------------------------------------- */

void define_vm(const char *vm, const char *top)
{
	define_vm_disks(vm, &top, 1);
}

void define_vm_disks(const char *vm, const char *const *tops, size_t n)
{
	char cmd[1024];
	size_t i;
	FILE *p;

	assert_true(n >= 1 && n <= 26);
	snprintf(cmd, sizeof(cmd), "virsh -q -c '%s' define /dev/stdin >/dev/null", uri);
	p = popen(cmd, "w");
	assert_non_null(p);
	fprintf(p,
		"<domain type='qemu'>\n"
		"  <name>%s</name>\n"
		"  <memory unit='MiB'>64</memory>\n"
		"  <vcpu>1</vcpu>\n"
		"  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
		"  <devices>\n",
		vm);
	for (i = 0; i < n; i++)
		fprintf(p,
			"    <disk type='file' device='disk'>\n"
			"      <driver name='qemu' type='qcow2'/>\n"
			"      <source file='%s'/>\n"
			"      <target dev='vd%c' bus='virtio'/>\n"
			"    </disk>\n",
			tops[i], (char)('a' + i));
	fprintf(p,
		"  </devices>\n"
		"</domain>\n");
	assert_int_equal(pclose(p), 0);
}

void domstate(const char *vm, char *out, size_t n)
{
	int st;
	char *text = shell(&st, "virsh -q -c '%s' domstate '%s'", uri, vm);

	text[strcspn(text, "\n")] = '\0';
	str_copy(out, st == 0 ? text : "", n);
	free(text);
}

void drop(const char *prefix)
{
	int st;
	char *names = shell(&st, "virsh -q -c '%s' list --all --name", uri), *line, *save = NULL;

	for (line = strtok_r(names, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		free(shell(&st, "virsh -q -c '%s' destroy '%s'", uri, line));
		/* With what would keep it defined: snapshots, a saved state. */
		free(shell(&st, "virsh -q -c '%s' undefine --snapshots-metadata --managed-save '%s'", uri, line));
	}
	free(names);
	free(shell(&st, "rm -f -- '%s'/%s*", img_dir, prefix));
	free(shell(&st, "virsh -q -c '%s' pool-refresh images", uri));
}

int e2e_run_group(const char *name, const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
		  CMFixtureFunction teardown)
{
	const char *part = getenv("E2E_CHAIN_PART");
	struct CMUnitTest *some;
	unsigned k, of;
	size_t i, m = 0;
	int rc;

	if (!part)
		return _cmocka_run_group_tests(name, tests, n, setup, teardown);
	if (sscanf(part, "%u/%u", &k, &of) != 2 || k < 1 || k > of) {
		fprintf(stderr, "E2E_CHAIN_PART=%s: not K/N with 1 <= K <= N\n", part);
		return 1;
	}
	some = xcalloc(n ? n : 1, sizeof(*some));
	for (i = 0; i < n; i++)
		if (i % of == k - 1)
			some[m++] = tests[i];
	rc = _cmocka_run_group_tests(name, some, m, setup, teardown);
	free(some);
	return rc;
}

/* ---- a small pool ----------------------------------------------------- */

int small_pool_make(const char *pool, char *dir, size_t n)
{
	const char *slash = strrchr(img_dir, '/');
	int st;
	char *out;

	snprintf(dir, n, "%.*s/%s", slash ? (int)(slash - img_dir) : 0, img_dir, pool);
	out = shell(&st, "mkdir -p '%s' && mount -t tmpfs -o size=8M tmpfs '%s' && chown '%s:' '%s' && "
			 "virsh -q -c '%s' pool-define-as '%s' dir --target '%s' && "
			 "virsh -q -c '%s' pool-start '%s'",
		    dir, dir, img_user, dir, uri, pool, dir, uri, pool);
	if (st != 0) {
		fprintf(stderr, "cannot make the small pool: %s\n", out);
		free(out);
		small_pool_drop(pool, dir);
		return -1;
	}
	free(out);
	return 0;
}

void small_pool_drop(const char *pool, const char *dir)
{
	int st;

	free(shell(&st, "virsh -q -c '%s' pool-destroy '%s'", uri, pool));
	free(shell(&st, "virsh -q -c '%s' pool-undefine '%s'", uri, pool));
	if (dir[0]) {
		free(shell(&st, "rm -f '%s'/*; umount '%s'", dir, dir));
		free(shell(&st, "rmdir '%s'", dir));
	}
}

int group_open(void **state)
{
	struct be_error err = {0};

	(void)state;
	if (!(conn = be_open(uri, false, &err))) {
		fprintf(stderr, "cannot connect to %s: %s\n", uri, err.msg);
		return -1;
	}
	return 0;
}

int group_close(void **state)
{
	(void)state;
	be_close(conn);
	conn = NULL;
	return 0;
}

int drop_prefix(void **state)
{
	drop(*state);
	return 0;
}

/* ---- checks the groups share ----------------------------------------- */

/* qemu-img check finds no error in any of the images (NULL-terminated). */
void assert_intact(const char *path, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, path);
	for (p = path; p; p = va_arg(ap, const char *)) {
		int st;
		char *out = shell(&st, "qemu-img check -U '%s'", p);

		if (st != 0) {
			va_end(ap);
			fail_msg("qemu-img check -U %s: status %d\n%s", p, st, out);
		}
		free(out);
	}
	va_end(ap);
}

void wait_state(const char *vm, const char *want)
{
	long long end = now_ms() + 30000;
	char st[128];

	for (;;) {
		domstate(vm, st, sizeof(st));
		if (!strcmp(st, want) || now_ms() > end)
			break;
		poll(NULL, 0, 50);
	}
	assert_string_equal(st, want);
}

void start_vm(const char *vm)
{
	must_quiet("virsh -q -c '%s' start '%s'", uri, vm);
	wait_state(vm, "running");
}

/* The source of vm's disk vda: domblklist (live, or --inactive). */
char *blk_source(const char *vm, bool inactive, char out[PATH_LEN])
{
	char *text = must("virsh -q -c '%s' domblklist %s '%s'", uri, inactive ? "--inactive" : "", vm);
	char *line, *save = NULL;

	out[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char target[64], src[PATH_LEN];

		if (sscanf(line, "%63s %511s", target, src) == 2 && !strcmp(target, "vda"))
			str_copy(out, src, PATH_LEN);
	}
	free(text);
	return out;
}

bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}
