/* The real backend against a private libvirt session daemon running real
 * QEMU (set up by run.sh, reached through $E2E_URI). Outcomes are checked
 * with virsh, not with the backend's own reading. */
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
#include "core/mailbox.h"
#include "core/util.h"
#include "core/worker.h"

static const char *uri;

/* Runs virsh on the private daemon; returns its first output line. */
static char *virsh(const char *args, char *out, size_t n)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "virsh -q -c '%s' %s 2>&1", uri, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	if (!fgets(out, (int)n, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
	return out;
}

static const char *domstate(const char *vm)
{
	static char buf[256];
	char args[300];

	snprintf(args, sizeof(args), "domstate %s", vm);
	return virsh(args, buf, sizeof(buf));
}

/* Polls virsh until vm is in state, with a generous deadline. */
static void wait_state(const char *vm, const char *state)
{
	int i;

	for (i = 0; i < 600 && strcmp(domstate(vm), state); i++)
		poll(NULL, 0, 50);
	assert_string_equal(domstate(vm), state);
}

/* Runs the shell command made from fmt; returns all its output (stdout
 * and stderr) as a malloc'd string and its exit status in *status. */
static char *run_out(int *status, const char *fmt, ...)
{
	char cmd[2048], buf[4096];
	char *out = xstrdup("");
	size_t len = 0, n;
	va_list ap;
	FILE *p;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
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
	if (status)
		*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	return out;
}

/* Runs virsh on the private daemon with the arguments made from fmt;
 * returns all its output (malloc'd). */
static char *virsh_all(const char *fmt, ...)
{
	char args[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return run_out(NULL, "virsh -q -c '%s' %s", uri, args);
}

/* The value of "Key:   value" in the output of virsh snapshot-info etc.,
 * copied to out ("" when there is no such line). */
static const char *field(const char *text, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *l;

	out[0] = '\0';
	for (l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (!strncmp(l, key, klen) && l[klen] == ':') {
			const char *v = l + klen + 1;
			size_t m;

			v += strspn(v, " \t");
			m = strcspn(v, "\n");
			while (m && (v[m - 1] == ' ' || v[m - 1] == '\t'))
				m--;
			if (m >= n)
				m = n - 1;
			memcpy(out, v, m);
			out[m] = '\0';
			break;
		}
	}
	return out;
}

/* text with trailing blanks removed from every line and blank lines
 * dropped (virsh pads its tables and ends its tree with a blank line). */
static char *squeeze(const char *text)
{
	char *out = xcalloc(strlen(text) + 2, 1), *o = out;
	const char *l = text;

	while (*l) {
		size_t m = strcspn(l, "\n"), k = m;

		while (k && (l[k - 1] == ' ' || l[k - 1] == '\t' || l[k - 1] == '\r'))
			k--;
		if (k) {
			memcpy(o, l, k);
			o += k;
			*o++ = '\n';
		}
		l += m + (l[m] == '\n');
	}
	*o = '\0';
	return out;
}

/* Snapshot name -> parent name ("" for a root), from virsh
 * snapshot-list --parent: NAME DATE TIME ZONE STATE [PARENT]. */
struct snap_parent {
	char name[64], parent[64];
};

static size_t virsh_parents(const char *vm, struct snap_parent *sp, size_t max)
{
	char *text = virsh_all("snapshot-list %s --parent", vm);
	char *line, *save = NULL;
	size_t n = 0;

	for (line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		char f[6][64];
		int k = sscanf(line, "%63s %63s %63s %63s %63s %63s", f[0], f[1], f[2], f[3], f[4], f[5]);

		if (k < 5) {
			fail_msg("unexpected snapshot-list --parent line: '%s'", line);
		}
		str_copy(sp[n].name, f[0], sizeof(sp[n].name));
		str_copy(sp[n].parent, k == 6 ? f[5] : "", sizeof(sp[n].parent));
		n++;
	}
	free(text);
	return n;
}

static const char *parent_of(const struct snap_parent *sp, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(sp[i].name, name))
			return sp[i].parent;
	fail_msg("virsh snapshot-list --parent has no '%s'", name);
	return NULL;
}

/* The internal snapshot tags qemu-img finds in image (-U: the VM may be
 * running), one per line, each followed by '\n'. */
static char *qemu_img_tags(const char *image)
{
	int st;
	char *text = run_out(&st, "qemu-img snapshot -l -U '%s'", image);
	char *tags = xcalloc(strlen(text) + 1, 1), *line, *save = NULL;

	if (st != 0)
		fail_msg("qemu-img snapshot -l failed: %s", text);
	/* "Snapshot list:", a header "ID TAG ...", then "ID TAG SIZE ...". */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[64], tag[256];

		if (sscanf(line, "%63s %255s", id, tag) == 2 && strspn(id, "0123456789") == strlen(id)) {
			strcat(tags, tag);
			strcat(tags, "\n");
		}
	}
	free(text);
	return tags;
}

/* Destroys vm if it runs (or is paused), and waits until it is off. */
static void destroy_vm(const char *vm)
{
	char buf[256], args[300];

	if (!strcmp(domstate(vm), "shut off"))
		return;
	snprintf(args, sizeof(args), "destroy %s", vm);
	virsh(args, buf, sizeof(buf));
	wait_state(vm, "shut off");
}

static void start_vm(const char *vm)
{
	char buf[256], args[300];

	snprintf(args, sizeof(args), "start %s", vm);
	virsh(args, buf, sizeof(buf));
	wait_state(vm, "running");
}

static int open_conn(void **state)
{
	struct be_error err = {0};

	*state = be_open(uri, false, &err);
	if (!*state)
		fprintf(stderr, "cannot open %s: %s\n", uri, err.msg);
	return *state ? 0 : -1;
}

static int close_conn(void **state)
{
	be_close(*state);
	return 0;
}

static struct be_vm *find(struct be_vm_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->vms[i].name, name))
			return &l->vms[i];
	return NULL;
}

static void list_matches_virsh(void **state)
{
	struct be_conn *c = *state;
	struct be_vm_list l;
	struct be_error err;
	char buf[256];

	assert_int_equal(be_list_vms(c, &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_non_null(find(&l, "e2e-alpha"));
	assert_int_equal(find(&l, "e2e-alpha")->state, BE_VM_SHUTOFF);
	assert_string_equal(domstate("e2e-alpha"), "shut off");
	/* vCPUs and memory come with the bulk stats on QEMU. */
	assert_int_equal(find(&l, "e2e-alpha")->vcpus, 1);
	assert_int_equal(find(&l, "e2e-alpha")->mem_kib, 65536);
	assert_string_equal(virsh("domuuid e2e-alpha", buf, sizeof(buf)), find(&l, "e2e-alpha")->uuid);
	be_vm_list_clear(&l);
}

static void lifecycle_on_real_qemu(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};

	assert_int_equal(be_vm_act(c, "e2e-alpha", BE_ACT_START, &err), 0);
	wait_state("e2e-alpha", "running");
	assert_int_equal(be_vm_act(c, "e2e-alpha", BE_ACT_SUSPEND, &err), 0);
	wait_state("e2e-alpha", "paused");
	assert_int_equal(be_vm_act(c, "e2e-alpha", BE_ACT_RESUME, &err), 0);
	wait_state("e2e-alpha", "running");
	/* A second start is refused with libvirt's own reason. */
	assert_int_equal(be_vm_act(c, "e2e-alpha", BE_ACT_START, &err), -1);
	assert_non_null(strstr(err.msg, "already running"));
	assert_int_equal(be_vm_act(c, "e2e-alpha", BE_ACT_DESTROY, &err), 0);
	wait_state("e2e-alpha", "shut off");
}

/* A shut-off VM's live XML has no backing chain: the storage API (a dir
 * pool over the image folder) supplies it. qemu-img agrees. */
static void chain_of_a_shut_off_vm_comes_from_storage(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_vm v = {.name = xstrdup("e2e-gamma")};
	char cmd[1024], line[512];
	int layers = 0;
	FILE *p;

	assert_int_equal(be_vm_details(c, &v, &err), 0);
	assert_int_equal(v.chain_depth, 2);
	assert_int_equal(v.nsnap, 0);
	snprintf(cmd, sizeof(cmd), "qemu-img info -U --backing-chain '%s/gamma-top.qcow2'", getenv("E2E_IMG"));
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		layers += !strncmp(line, "image:", 6);
	pclose(p);
	assert_int_equal(layers, v.chain_depth);
	be_vm_clear(&v);
}

/* A VM started by someone else (virsh) reaches the app through a libvirt
 * event, and the list then shows it running: no polling involved. */
static void vm_started_by_virsh_shows_as_running(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct mailbox *mb = mailbox_new();
	struct worker *w = worker_new(c, mb);
	struct cmd load = {.type = CMD_LOAD_VMS, .all = 1};
	struct app a;
	char buf[256];
	const struct be_vm *beta = NULL;
	int i, j;

	app_init(&a, uri, "e2e", false);
	assert_int_equal(be_watch(c, mailbox_backend_sink, mb, &err), 0);
	worker_submit(w, &load);
	virsh("start e2e-beta", buf, sizeof(buf));
	for (i = 0; i < 600; i++) {
		struct pollfd p = {.fd = mailbox_fd(mb), .events = POLLIN};
		struct event *ev;

		poll(&p, 1, 50);
		while ((ev = mailbox_take(mb))) {
			struct cmds out = {0};

			app_handle(&a, ev, &out);
			for (j = 0; j < out.n; j++)
				worker_submit(w, &out.c[j]);
			event_free(ev);
		}
		for (j = 0; j < (int)a.nrows; j++)
			if (!strcmp(app_row_vm(&a, (size_t)j)->name, "e2e-beta"))
				beta = app_row_vm(&a, (size_t)j);
		if (beta && beta->state == BE_VM_RUNNING)
			break;
	}
	assert_non_null(beta);
	assert_int_equal(beta->state, BE_VM_RUNNING);
	assert_string_equal(domstate("e2e-beta"), "running");
	virsh("destroy e2e-beta", buf, sizeof(buf));
	worker_free(w);
	be_close(c);
	*state = NULL;
	mailbox_free(mb);
	app_free(&a);
}

int main(void)
{
	struct be_error err = {0};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_matches_virsh, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(lifecycle_on_real_qemu, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(chain_of_a_shut_off_vm_comes_from_storage, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(vm_started_by_virsh_shows_as_running, open_conn, close_conn),
	};

	uri = getenv("E2E_URI");
	if (!uri || !getenv("E2E_IMG")) {
		fprintf(stderr, "E2E_URI and E2E_IMG must be set (run tests/e2e/run.sh)\n");
		return 1;
	}
	if (be_init(&err) < 0) {
		fprintf(stderr, "be_init: %s\n", err.msg);
		return 1;
	}
	return cmocka_run_group_tests_name("e2e", tests, NULL, NULL);
}
