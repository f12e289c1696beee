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
#include <sys/wait.h>
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

/* virsh's output for args, squeezed (see squeeze). */
static char *virsh_lines(const char *args)
{
	char *t = virsh_all("%s", args), *out = squeeze(t);

	free(t);
	return out;
}

static size_t count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* Whether text has a line that is exactly line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
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
	char *names = virsh_all("list --all --name");
	size_t nvirsh = 0;
	const char *p;

	for (p = names; *p; p++)
		nvirsh += *p == '\n' && p > names && p[-1] != '\n';
	free(names);
	assert_int_equal(be_list_vms(c, &l, &err), 0);
	assert_int_equal(nvirsh, 5);
	assert_int_equal(l.n, nvirsh);
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

/* ---- Internal snapshots on real QEMU, checked with virsh and qemu-img ---- */

#define SNAP_VM "e2e-snap"
#define RAW_VM "e2e-raw"
#define SNAP_DESC "first <one> & \"quoted\""

/* Teardown: no VM left running, and no snapshot left over by a test
 * that failed half way to trip the next one. */
static int close_and_destroy(void **state)
{
	char *roots, *r, *save = NULL;

	if (*state)
		be_close(*state);
	*state = NULL;
	destroy_vm(SNAP_VM);
	destroy_vm(RAW_VM);
	roots = virsh_lines("snapshot-list " SNAP_VM " --roots --name");
	for (r = strtok_r(roots, "\n", &save); r; r = strtok_r(NULL, "\n", &save))
		free(virsh_all("snapshot-delete " SNAP_VM " '%s' --children", r));
	free(roots);
	return 0;
}

static void snap_image(char *out, size_t n)
{
	snprintf(out, n, "%s/" SNAP_VM ".qcow2", getenv("E2E_IMG"));
}

static void assert_current(const char *vm, const char *name)
{
	char buf[256], args[300];

	snprintf(args, sizeof(args), "snapshot-current --name %s", vm);
	assert_string_equal(virsh(args, buf, sizeof(buf)), name);
}

/* 1. A live snapshot with memory of a running VM; the description, full
 * of XML's special characters, arrives intact. */
static void step_live_snapshot_with_memory(struct be_conn *c)
{
	struct be_error err = {0};
	struct be_disk_list dl;
	char img[1024], v[256], *info, *xml, *blk, *tags;
	int st;

	snap_image(img, sizeof(img));
	start_vm(SNAP_VM);

	/* The disk the snapshot will live in, as virsh sees it. */
	assert_int_equal(be_vm_disks(c, SNAP_VM, &dl, &err), 0);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.d[0].target, "vda");
	assert_int_equal(dl.d[0].nlayers, 1);
	assert_string_equal(dl.d[0].layers[0].path, img);
	assert_string_equal(dl.d[0].layers[0].format, "qcow2");
	assert_true(dl.d[0].complete);
	blk = virsh_all("domblklist " SNAP_VM);
	assert_non_null(strstr(blk, img));
	assert_non_null(strstr(blk, "vda"));
	free(blk);
	be_disk_list_clear(&dl);

	if (be_snapshot_create(c, SNAP_VM, "s1", SNAP_DESC, &err) != 0)
		fail_msg("be_snapshot_create s1: %s", err.msg);
	info = virsh_all("snapshot-info " SNAP_VM " s1");
	assert_string_equal(field(info, "Name", v, sizeof(v)), "s1");
	assert_string_equal(field(info, "State", v, sizeof(v)), "running");
	assert_string_equal(field(info, "Location", v, sizeof(v)), "internal");
	assert_string_equal(field(info, "Current", v, sizeof(v)), "yes");
	assert_string_equal(field(info, "Parent", v, sizeof(v)), "-");
	free(info);

	/* The description, escaped once, in the XML libvirt keeps. libvirt
	 * writes " as &quot;; either form is correct XML. */
	xml = virsh_all("snapshot-dumpxml " SNAP_VM " s1");
	if (!strstr(xml, "<description>first &lt;one&gt; &amp; &quot;quoted&quot;</description>") &&
	    !strstr(xml, "<description>first &lt;one&gt; &amp; \"quoted\"</description>"))
		fail_msg("description not escaped as expected:\n%s", xml);
	/* The memory went into the image too. */
	assert_non_null(strstr(xml, "<memory snapshot='internal'/>"));
	free(xml);
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		char *d = run_out(&st, "virsh -q -c '%s' snapshot-dumpxml " SNAP_VM " s1 | "
				       "xmllint --xpath 'string(/domainsnapshot/description)' -", uri);

		assert_int_equal(st, 0);
		d[strcspn(d, "\n")] = '\0'; /* xmllint ends the string with a newline */
		assert_string_equal(d, SNAP_DESC);
		free(d);
	}
	/* Taking it paused the VM only for the while. */
	assert_string_equal(domstate(SNAP_VM), "running");
	tags = qemu_img_tags(img);
	assert_string_equal(tags, "s1\n");
	free(tags);
}

/* 2. s2 below s1; back to s1; s3 below s1 as well: a branch. */
static void step_branch(struct be_conn *c)
{
	struct be_error err = {0};
	struct snap_parent sp[8];
	char v[256], *info, *tree, *t, *names;
	size_t n;

	if (be_snapshot_create(c, SNAP_VM, "s2", "", &err) != 0)
		fail_msg("be_snapshot_create s2: %s", err.msg);
	assert_current(SNAP_VM, "s2");
	info = virsh_all("snapshot-info " SNAP_VM " s2");
	assert_string_equal(field(info, "Parent", v, sizeof(v)), "s1");
	assert_string_equal(field(info, "State", v, sizeof(v)), "running");
	free(info);

	if (be_snapshot_revert(c, SNAP_VM, "s1", false, false, &err) != 0)
		fail_msg("be_snapshot_revert s1: %s", err.msg);
	assert_current(SNAP_VM, "s1");
	/* libvirt 9.0 reverts by restarting QEMU with -loadvm; it returns
	 * once the VM runs again. */
	assert_string_equal(domstate(SNAP_VM), "running");

	if (be_snapshot_create(c, SNAP_VM, "s3", NULL, &err) != 0)
		fail_msg("be_snapshot_create s3: %s", err.msg);
	assert_current(SNAP_VM, "s3");

	t = virsh_all("snapshot-list " SNAP_VM " --tree");
	tree = squeeze(t);
	assert_string_equal(tree, "s1\n"
				  "  |\n"
				  "  +- s2\n"
				  "  +- s3\n");
	free(t);
	free(tree);

	n = virsh_parents(SNAP_VM, sp, 8);
	assert_int_equal(n, 3);
	assert_string_equal(parent_of(sp, n, "s1"), "");
	assert_string_equal(parent_of(sp, n, "s2"), "s1");
	assert_string_equal(parent_of(sp, n, "s3"), "s1");

	info = virsh_all("snapshot-info " SNAP_VM " s1");
	assert_string_equal(field(info, "Children", v, sizeof(v)), "2");
	assert_string_equal(field(info, "Descendants", v, sizeof(v)), "2");
	assert_string_equal(field(info, "Current", v, sizeof(v)), "no");
	free(info);
	t = virsh_all("snapshot-list " SNAP_VM " --name");
	names = squeeze(t);
	assert_string_equal(names, "s1\ns2\ns3\n");
	free(t);
	free(names);
}

/* 5. What be_snapshots reads agrees with virsh: names, parents, current. */
static void step_list_matches_virsh(struct be_conn *c)
{
	struct be_error err = {0};
	struct be_snap_list l;
	struct snap_parent sp[8];
	char cur[256], *t, *names;
	size_t n, i;
	int ncurrent = 0;

	assert_int_equal(be_snapshots(c, SNAP_VM, &l, &err), 0);
	n = virsh_parents(SNAP_VM, sp, 8);
	assert_int_equal(l.n, n);
	t = virsh_all("snapshot-list " SNAP_VM " --name");
	names = squeeze(t);
	free(t);
	assert_int_equal(count_lines(names), l.n);
	virsh("snapshot-current --name " SNAP_VM, cur, sizeof(cur));
	for (i = 0; i < l.n; i++) {
		const struct be_snapshot *s = &l.s[i];

		if (!has_line(names, s->name))
			fail_msg("be_snapshots has '%s', virsh snapshot-list --name has not:\n%s", s->name, names);
		assert_string_equal(s->parent ? s->parent : "", parent_of(sp, n, s->name));
		if (s->current) {
			ncurrent++;
			assert_string_equal(s->name, cur);
		}
		assert_string_equal(s->state, "running");
		assert_true(s->memory);
		assert_false(s->external);
		if (!strcmp(s->name, "s1"))
			assert_string_equal(s->description, SNAP_DESC);
	}
	assert_int_equal(ncurrent, 1);
	free(names);
	be_snap_list_clear(&l);
}

/* 3. Reverting to a snapshot with memory leaves the VM running. */
static void step_revert(struct be_conn *c)
{
	struct be_error err = {0};
	struct be_snap_list l;
	size_t i;

	if (be_snapshot_revert(c, SNAP_VM, "s2", false, false, &err) != 0)
		fail_msg("be_snapshot_revert s2: %s", err.msg);
	assert_current(SNAP_VM, "s2");
	assert_string_equal(domstate(SNAP_VM), "running");
	/* The current marker moved in the backend's reading as well. */
	assert_int_equal(be_snapshots(c, SNAP_VM, &l, &err), 0);
	assert_int_equal(l.n, 3);
	for (i = 0; i < l.n; i++)
		assert_int_equal(l.s[i].current, !strcmp(l.s[i].name, "s2"));
	be_snap_list_clear(&l);
}

/* 4. Deleting s1 with its children empties libvirt's list and the
 * qcow2 file's snapshot table. */
static void step_delete_with_children(struct be_conn *c)
{
	struct be_error err = {0};
	struct be_snap_list l;
	char img[1024], *tags, *names, *t;

	snap_image(img, sizeof(img));
	tags = qemu_img_tags(img);
	assert_string_equal(tags, "s1\ns2\ns3\n");
	free(tags);

	if (be_snapshot_delete(c, SNAP_VM, "s1", BE_DEL_WITH_CHILDREN, &err) != 0)
		fail_msg("be_snapshot_delete s1: %s", err.msg);
	t = virsh_all("snapshot-list " SNAP_VM " --name");
	names = squeeze(t);
	assert_string_equal(names, "");
	free(t);
	free(names);
	tags = qemu_img_tags(img);
	assert_string_equal(tags, "");
	free(tags);
	assert_string_equal(domstate(SNAP_VM), "running");
	assert_int_equal(be_snapshots(c, SNAP_VM, &l, &err), 0);
	assert_int_equal(l.n, 0);
	be_snap_list_clear(&l);
}

static void snapshot_timeline_of_running_vm(void **state)
{
	struct be_conn *c = *state;

	step_live_snapshot_with_memory(c);
	step_branch(c);
	step_list_matches_virsh(c);
	step_revert(c);
	step_delete_with_children(c);
}

/* 6a. A name with '/' is refused by libvirt itself, with its reason. */
static void snapshot_name_with_slash_refused_by_libvirt(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	char *names;

	assert_int_equal(be_snapshot_create(c, SNAP_VM, "a/b", "", &err), -1);
	fprintf(stderr, "# libvirt on 'a/b': code %d: %s\n", err.code, err.msg);
	assert_true(err.msg[0] != '\0');
	assert_int_not_equal(err.code, 0);
	assert_non_null(strstr(err.msg, "'/'"));
	names = virsh_lines("snapshot-list " SNAP_VM " --name");
	assert_string_equal(names, "");
	free(names);
}

/* 6b. A raw disk cannot hold an internal snapshot: libvirt's own message
 * comes through, shut off and running, and nothing is left half done. */
static void internal_snapshot_of_raw_disk_fails(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_disk_list dl;
	struct be_job_info ji;
	char *names, img[1024];

	snprintf(img, sizeof(img), "%s/" RAW_VM ".img", getenv("E2E_IMG"));
	assert_int_equal(be_vm_disks(c, RAW_VM, &dl, &err), 0);
	assert_int_equal(dl.n, 1);
	assert_string_equal(dl.d[0].layers[0].path, img);
	assert_string_equal(dl.d[0].layers[0].format, "raw");
	assert_true(dl.d[0].complete);
	be_disk_list_clear(&dl);

	assert_int_equal(be_snapshot_create(c, RAW_VM, "r1", "", &err), -1);
	fprintf(stderr, "# libvirt, raw disk, shut off: code %d: %s\n", err.code, err.msg);
	assert_non_null(strstr(err.msg, "unsupported for storage type raw"));
	assert_int_not_equal(err.code, 0);

	start_vm(RAW_VM);
	memset(&err, 0, sizeof(err));
	assert_int_equal(be_snapshot_create(c, RAW_VM, "r1", "", &err), -1);
	fprintf(stderr, "# libvirt, raw disk, running: code %d: %s\n", err.code, err.msg);
	assert_non_null(strstr(err.msg, "unsupported for storage type raw"));
	/* Nothing half done: no snapshot, the VM still runs, no job left. */
	names = virsh_lines("snapshot-list " RAW_VM " --name");
	assert_string_equal(names, "");
	free(names);
	assert_string_equal(domstate(RAW_VM), "running");
	assert_int_equal(be_job_info(c, RAW_VM, &ji, &err), 0);
	assert_false(ji.active);
}

/* 7. A running VM with no job reports none. */
static void job_info_of_idle_running_vm(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct be_job_info ji;
	char v[64], *info;

	start_vm(SNAP_VM);
	info = virsh_all("domjobinfo " SNAP_VM);
	assert_string_equal(field(info, "Job type", v, sizeof(v)), "None");
	free(info);
	memset(&ji, 0xff, sizeof(ji));
	if (be_job_info(c, SNAP_VM, &ji, &err) != 0)
		fail_msg("be_job_info: %s", err.msg);
	assert_false(ji.active);
	assert_int_equal(ji.done, 0);
	assert_int_equal(ji.total, 0);
}

int main(void)
{
	struct be_error err = {0};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_matches_virsh, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(lifecycle_on_real_qemu, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(chain_of_a_shut_off_vm_comes_from_storage, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(vm_started_by_virsh_shows_as_running, open_conn, close_conn),
		cmocka_unit_test_setup_teardown(snapshot_timeline_of_running_vm, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(snapshot_name_with_slash_refused_by_libvirt, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(internal_snapshot_of_raw_disk_fails, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(job_info_of_idle_running_vm, open_conn, close_and_destroy),
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
