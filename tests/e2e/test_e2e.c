/* The real backend against a private libvirt session daemon running real
 * QEMU (set up by run.sh, reached through $E2E_URI). Outcomes are checked
 * with virsh, not with the backend's own reading. */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "core/app.h"
#include "runtime/mailbox.h"
#include "runtime/worker.h"
#include "shared/util.h"

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
	assert_int_equal(nvirsh, 8);
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

/* Each layer's virtual size, from the storage pool, is what qemu-img says,
 * and its allocation what virsh vol-info says. */
static void chain_sizes_match_qemu_img(struct be_conn *c)
{
	struct be_error err = {0};
	struct be_disk_list l;
	size_t i;

	assert_int_equal(be_vm_disks(c, "e2e-gamma", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.d[0].nlayers, 2);
	for (i = 0; i < l.d[0].nlayers; i++) {
		int st;
		char *out = run_out(&st, "qemu-img info -U --output=json '%s' | grep '\"virtual-size\"'",
				    l.d[0].layers[i].path);
		long long size = -1;
		const char *colon = strchr(out, ':');

		assert_int_equal(st, 0);
		assert_non_null(colon);
		size = strtoll(colon + 1, NULL, 10);
		assert_true(l.d[0].layers[i].in_pool);
		assert_int_equal(l.d[0].layers[i].capacity, size);
		free(out);
		out = run_out(&st, "virsh -q -c '%s' vol-info --bytes '%s' | sed -n 's/^Allocation: *//p'", uri,
			      l.d[0].layers[i].path);
		assert_int_equal(st, 0);
		assert_true(l.d[0].layers[i].allocation > 0);
		assert_int_equal(l.d[0].layers[i].allocation, strtoll(out, NULL, 10));
		free(out);
	}
	be_disk_list_clear(&l);
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
	chain_sizes_match_qemu_img(c);
}

/* A VM started by someone else (virsh) reaches the app through a libvirt
 * event, and the list then shows it running: no polling involved. */
static void vm_started_by_virsh_shows_as_running(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct mailbox *mb = mailbox_new();
	struct worker *w = worker_new(c, mb);
	struct cmd load = {.type = CMD_LOAD_VMS, .u.load_vms.details = true};
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
			if (!strcmp(vmlist_row(&a, (size_t)j)->name, "e2e-beta"))
				beta = vmlist_row(&a, (size_t)j);
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
	assert_int_equal(dl.d[0].end, BE_END_COMPLETE);
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

/* The other three delete modes, on a shut-off VM (qemu-img does the work):
 * "this one" re-parents its child, "children only" keeps the parent, and
 * "metadata only" makes libvirt forget a snapshot the image still holds. */
static void delete_modes_on_real_qemu(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	struct snap_parent sp[8];
	char img[1024], *tags, *t, *names;
	size_t n;

	destroy_vm(SNAP_VM);
	snap_image(img, sizeof(img));
	assert_int_equal(be_snapshot_create(c, SNAP_VM, "m1", "", &err), 0);
	assert_int_equal(be_snapshot_create(c, SNAP_VM, "m2", "", &err), 0);
	assert_int_equal(be_snapshot_create(c, SNAP_VM, "m3", "", &err), 0);

	assert_int_equal(be_snapshot_delete(c, SNAP_VM, "m2", BE_DEL_ONE, &err), 0);
	n = virsh_parents(SNAP_VM, sp, 8);
	assert_int_equal(n, 2);
	assert_string_equal(parent_of(sp, n, "m3"), "m1");
	tags = qemu_img_tags(img);
	assert_string_equal(tags, "m1\nm3\n");
	free(tags);

	assert_int_equal(be_snapshot_delete(c, SNAP_VM, "m1", BE_DEL_CHILDREN_ONLY, &err), 0);
	t = virsh_all("snapshot-list " SNAP_VM " --name");
	names = squeeze(t);
	assert_string_equal(names, "m1\n");
	free(t);
	free(names);
	tags = qemu_img_tags(img);
	assert_string_equal(tags, "m1\n");
	free(tags);

	assert_int_equal(be_snapshot_delete(c, SNAP_VM, "m1", BE_DEL_METADATA, &err), 0);
	t = virsh_all("snapshot-list " SNAP_VM " --name");
	names = squeeze(t);
	assert_string_equal(names, "");
	free(t);
	free(names);
	tags = qemu_img_tags(img);
	assert_string_equal(tags, "m1\n"); /* the data stays in the image */
	free(tags);
	free(run_out(NULL, "qemu-img snapshot -d m1 '%s'", img));
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
	assert_int_equal(dl.d[0].end, BE_END_COMPLETE);
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


/* ---- Managed save (hibernate) on real QEMU, checked with virsh ---- */

/* 512 MiB that its guest fills with non-zero words (see run.sh): its save
 * writes ~500 MiB and lasts long enough to watch and to abort. */
#define HIB_VM "e2e-hib"
/* A tiny VM for discard, force off and start fresh. */
#define SAVE_VM "e2e-save"
/* A tiny VM on a two-layer chain, to hold an active block commit. */
#define BUSY_VM "e2e-busy"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The value of key in virsh dominfo vm ("Managed save", "Max memory"). */
static const char *dominfo(const char *vm, const char *key)
{
	static char v[256];
	char *info = virsh_all("dominfo %s", vm);

	field(info, key, v, sizeof(v));
	free(info);
	return v;
}

/* vm's state as virsh list --all --managed-save shows it ("saved"). */
static const char *listed_state(const char *vm)
{
	static char st[64];
	char *text = virsh_all("list --all --managed-save"), *line, *save = NULL;

	st[0] = '\0';
	/* " Id   Name   State": id, name, then the state (maybe two words). */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[64], name[256];
		int off = 0;

		if (sscanf(line, "%63s %255s %n", id, name, &off) == 2 && off && !strcmp(name, vm)) {
			size_t m;

			str_copy(st, line + off, sizeof(st));
			m = strlen(st);
			while (m && (st[m - 1] == ' ' || st[m - 1] == '\t' || st[m - 1] == '\r'))
				st[--m] = '\0';
			break;
		}
	}
	free(text);
	return st;
}

/* vm's state as be_list_vms reads it. */
static enum be_vm_state be_state(struct be_conn *c, const char *vm)
{
	struct be_vm_list l;
	struct be_error err = {0};
	enum be_vm_state st;

	if (be_list_vms(c, &l, &err) != 0)
		fail_msg("be_list_vms: %s", err.msg);
	if (!find(&l, vm))
		fail_msg("be_list_vms has no %s", vm);
	st = find(&l, vm)->state;
	be_vm_list_clear(&l);
	return st;
}

/* How many times libvirt started QEMU for vm, and how many of those
 * restored a saved state (-incoming), from the domain log in the
 * session's cache folder (libvirt writes one argument a line). */
static void qemu_starts(const char *vm, int *starts, int *restores)
{
	char path[1024], line[8192];
	FILE *f;

	*restores = *starts = 0;
	snprintf(path, sizeof(path), "%s/cache/libvirt/qemu/log/%s.log", getenv("E2E_DIR"), vm);
	f = fopen(path, "r");
	if (!f)
		fail_msg("no domain log %s", path);
	while (fgets(line, sizeof(line), f)) {
		*starts += strstr(line, ": starting up libvirt version") != NULL;
		*restores += !strncmp(line, "-incoming ", 10);
	}
	fclose(f);
}

/* Waits until HIB_VM's guest has filled its RAM since its last fresh
 * boot: it writes one 'F' per boot to e2e-hib.serial, which QEMU opens
 * in append mode; a restored guest is filled already. */
static void wait_hib_filled(void)
{
	char path[1024];
	int starts, restores, fills = 0, i, ch;
	FILE *f;

	snprintf(path, sizeof(path), "%s/" HIB_VM ".serial", getenv("E2E_IMG"));
	qemu_starts(HIB_VM, &starts, &restores);
	for (i = 0; i < 600; i++) {
		fills = 0;
		if ((f = fopen(path, "r"))) {
			while ((ch = fgetc(f)) != EOF)
				fills += ch == 'F';
			fclose(f);
		}
		if (fills >= starts - restores)
			return;
		poll(NULL, 0, 50);
	}
	fail_msg("the guest of " HIB_VM " did not fill its RAM in 30 s (%d fills, %d fresh boots)", fills,
		 starts - restores);
}

static void assert_saved(struct be_conn *c, const char *vm)
{
	assert_string_equal(dominfo(vm, "Managed save"), "yes");
	assert_string_equal(domstate(vm), "shut off");
	assert_string_equal(listed_state(vm), "saved");
	assert_int_equal(be_state(c, vm), BE_VM_SAVED);
}

/* No managed save, and vm in state (virsh's word and the backend's). */
static void assert_not_saved(struct be_conn *c, const char *vm, const char *state, enum be_vm_state be)
{
	assert_string_equal(dominfo(vm, "Managed save"), "no");
	assert_string_equal(domstate(vm), state);
	assert_string_equal(listed_state(vm), state);
	assert_int_equal(be_state(c, vm), be);
}

/* be_vm_act on its own thread, as the program's ops worker runs it. */
struct act_thread {
	pthread_t t;
	struct be_conn *c;
	const char *vm;
	enum be_action act;
	int rc;
	struct be_error err;
	long long started_ms, ended_ms;
	pthread_mutex_t lock;
	bool done;
};

static void *act_main(void *arg)
{
	struct act_thread *a = arg;
	struct be_error err = {0};
	int rc = be_vm_act(a->c, a->vm, a->act, &err);

	pthread_mutex_lock(&a->lock);
	a->rc = rc;
	a->err = err;
	a->ended_ms = now_ms();
	a->done = true;
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

static void act_start(struct act_thread *a, struct be_conn *c, const char *vm, enum be_action act)
{
	memset(a, 0, sizeof(*a));
	a->c = c;
	a->vm = vm;
	a->act = act;
	pthread_mutex_init(&a->lock, NULL);
	a->started_ms = now_ms();
	assert_int_equal(pthread_create(&a->t, NULL, act_main, a), 0);
}

static bool act_done(struct act_thread *a)
{
	bool d;

	pthread_mutex_lock(&a->lock);
	d = a->done;
	pthread_mutex_unlock(&a->lock);
	return d;
}

static void act_join(struct act_thread *a)
{
	pthread_join(a->t, NULL);
	pthread_mutex_destroy(&a->lock);
}

/* vm running with no saved state, whatever the test before left. */
static void make_running(const char *vm)
{
	const char *st;

	if (!strcmp(dominfo(vm, "Managed save"), "yes"))
		free(virsh_all("managedsave-remove %s", vm));
	st = domstate(vm);
	if (!strcmp(st, "paused"))
		free(virsh_all("resume %s", vm));
	else if (strcmp(st, "running"))
		free(virsh_all("start %s", vm));
	wait_state(vm, "running");
}

static int open_hib_running(void **state)
{
	if (open_conn(state) != 0)
		return -1;
	make_running(HIB_VM);
	wait_hib_filled();
	return 0;
}

/* HIB_VM hibernated (as the test before leaves it, or made so here). */
static int open_hib_saved(void **state)
{
	if (open_conn(state) != 0)
		return -1;
	if (!strcmp(dominfo(HIB_VM, "Managed save"), "yes") && !strcmp(domstate(HIB_VM), "shut off"))
		return 0;
	make_running(HIB_VM);
	wait_hib_filled();
	free(virsh_all("managedsave " HIB_VM));
	wait_state(HIB_VM, "shut off");
	return 0;
}

static int open_save_running(void **state)
{
	if (open_conn(state) != 0)
		return -1;
	make_running(SAVE_VM);
	return 0;
}

static int open_busy_running(void **state)
{
	if (open_conn(state) != 0)
		return -1;
	make_running(BUSY_VM);
	return 0;
}

/* Group teardown: nothing of these tests left running, saved or busy
 * (the three VMs in parallel: a destroy takes 1-2 s). */
static int hib_group_done(void **state)
{
	char *out;

	(void)state;
	out = run_out(NULL,
		      "for vm in " HIB_VM " " SAVE_VM " " BUSY_VM "; do "
		      "{ virsh -q -c '%s' blockjob $vm vda --abort; virsh -q -c '%s' destroy $vm; "
		      "virsh -q -c '%s' managedsave-remove $vm; } >/dev/null 2>&1 & done; wait",
		      uri, uri, uri);
	free(out);
	return 0;
}

#define MAX_SAMPLES 4096

struct sample {
	long long at_ms, elapsed_ms;
	unsigned long long done, total;
};

/* Samples of be_job_info taken every 20 ms while a hibernate runs on
 * another thread. */
struct progress {
	struct sample s[MAX_SAMPLES];
	size_t n, polls, inactive, errors, rising;
	long long longest_ms, longest_at_ms; /* slowest be_job_info, and when */
	char last_err[512];
};

static void watch_hibernate(struct be_conn *poller, struct act_thread *a, struct progress *p)
{
	struct be_error err = {0};
	struct be_job_info ji;
	long long t, took;

	memset(p, 0, sizeof(*p));
	while (!act_done(a) && now_ms() - a->started_ms < 60000) {
		p->polls++;
		t = now_ms();
		if (be_job_info(poller, HIB_VM, &ji, &err) != 0) {
			long long t0 = now_ms();

			/* Once the save is over the VM is off: libvirt refuses. A
			 * poll answered as the save ends may say so a moment before
			 * the saving thread returns: give it that moment. */
			while (!act_done(a) && now_ms() - t0 < 5000)
				poll(NULL, 0, 10);
			if (!act_done(a)) {
				p->errors++;
				str_copy(p->last_err, err.msg, sizeof(p->last_err));
			}
		} else if (ji.active && ji.total > 0) {
			if (p->n < MAX_SAMPLES) {
				p->s[p->n].at_ms = now_ms() - a->started_ms;
				p->s[p->n].elapsed_ms = ji.elapsed_ms;
				p->s[p->n].done = ji.done;
				p->s[p->n].total = ji.total;
				p->n++;
			}
		} else if (!ji.active) {
			p->inactive++;
		}
		took = now_ms() - t;
		if (took > p->longest_ms) {
			p->longest_ms = took;
			p->longest_at_ms = t - a->started_ms;
		}
		poll(NULL, 0, 20);
	}
}

/* Prints the samples and checks them: done and elapsed never go back,
 * the total is the guest's RAM (plus firmware and ROMs). */
static void check_samples(struct progress *p, unsigned long long ram)
{
	size_t i;

	p->rising = 0;
	for (i = 0; i < p->n; i++) {
		const struct sample *s = &p->s[i];

		if (i < 3 || i + 3 > p->n || i % 10 == 0)
			fprintf(stderr, "#   +%5lld ms: elapsed %5lld ms, %10llu of %llu bytes\n", s->at_ms,
				s->elapsed_ms, s->done, s->total);
		if (i && s->done > s[-1].done)
			p->rising++;
		if (i && (s->done < s[-1].done || s->elapsed_ms < s[-1].elapsed_ms))
			fail_msg("progress went back at sample %zu: %llu after %llu bytes, %lld after %lld ms", i,
				 s->done, s[-1].done, s->elapsed_ms, s[-1].elapsed_ms);
		if (s->total < ram || s->total > ram + (16ULL << 20))
			fail_msg("total %llu bytes at sample %zu, RAM is %llu", s->total, i, ram);
	}
}

/* 1. Hibernate a running VM on one thread while another polls its job
 * every 20 ms, on a connection of its own (see
 * hibernate_progress_on_the_programs_connections for why): the
 * progress rises, then virsh sees the saved state. */
static void hibernate_shows_progress(void **state)
{
	struct be_conn *c = *state, *poller;
	static struct progress p;
	struct be_error err = {0};
	struct act_thread a;
	unsigned long long ram = strtoull(dominfo(HIB_VM, "Max memory"), NULL, 10) * 1024;

	assert_true(ram >= 256ULL << 20);
	poller = be_open(uri, false, &err);
	if (!poller)
		fail_msg("second connection: %s", err.msg);
	act_start(&a, c, HIB_VM, BE_ACT_HIBERNATE);
	watch_hibernate(poller, &a, &p);
	act_join(&a);
	be_close(poller);
	if (a.rc != 0)
		fail_msg("hibernate failed: %s", a.err.msg);
	fprintf(stderr,
		"# hibernate of %llu MiB took %lld ms; %zu polls (slowest %lld ms, at +%lld ms): "
		"%zu with progress, %zu inactive, %zu failed%s%s\n",
		ram >> 20, a.ended_ms - a.started_ms, p.polls, p.longest_ms, p.longest_at_ms, p.n, p.inactive,
		p.errors, p.errors ? ": " : "", p.last_err);
	check_samples(&p, ram);
	fprintf(stderr, "# done rose %zu times over %zu samples\n", p.rising, p.n);
	if (p.errors)
		fail_msg("be_job_info failed %zu times while the save ran: %s", p.errors, p.last_err);
	if (p.n == 0)
		fail_msg("no progress seen in %zu polls during a %lld ms save", p.polls, a.ended_ms - a.started_ms);
	/* Several readings, each further on: a progress bar that moves. */
	assert_true(p.rising >= 2);
	assert_true(p.s[p.n - 1].elapsed_ms > p.s[0].elapsed_ms);

	assert_saved(c, HIB_VM);
}

/* 2. Start resumes the hibernated VM: QEMU comes up with -incoming, and
 * the saved state is gone. */
static void start_resumes_hibernated_vm(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	int s0, r0, s1, r1;
	long long t;

	assert_saved(c, HIB_VM);
	qemu_starts(HIB_VM, &s0, &r0);
	t = now_ms();
	if (be_vm_act(c, HIB_VM, BE_ACT_START, &err) != 0)
		fail_msg("start: %s", err.msg);
	fprintf(stderr, "# resume took %lld ms\n", now_ms() - t);
	assert_not_saved(c, HIB_VM, "running", BE_VM_RUNNING);
	qemu_starts(HIB_VM, &s1, &r1);
	assert_int_equal(s1, s0 + 1);
	assert_int_equal(r1, r0 + 1);
}

/* 3. Aborting a hibernate: the call fails with libvirt's message, and
 * the VM runs on with no saved state. */
static void abort_hibernate(void **state)
{
	struct be_conn *c = *state, *other;
	struct be_error err = {0}, abort_err = {0};
	struct be_job_info ji = {0};
	struct act_thread a;
	long long seen_ms = -1, abort_ms = -1;
	int abort_rc = -2;

	/* Watch and abort on a connection of its own (see
	 * hibernate_progress_on_the_programs_connections). */
	other = be_open(uri, false, &err);
	if (!other)
		fail_msg("second connection: %s", err.msg);
	act_start(&a, c, HIB_VM, BE_ACT_HIBERNATE);
	/* Abort once the save is moving: active, with bytes written. */
	while (!act_done(&a) && now_ms() - a.started_ms < 60000) {
		if (be_job_info(other, HIB_VM, &ji, &err) == 0 && ji.active && ji.done > 0) {
			seen_ms = now_ms() - a.started_ms;
			abort_rc = be_job_abort(other, HIB_VM, &abort_err);
			abort_ms = now_ms() - a.started_ms;
			break;
		}
		poll(NULL, 0, 5);
	}
	act_join(&a);
	be_close(other);
	fprintf(stderr,
		"# abort: job seen at +%lld ms (%llu of %llu bytes), be_job_abort %d at +%lld ms%s%s; "
		"hibernate returned %d at +%lld ms: %s\n",
		seen_ms, ji.done, ji.total, abort_rc, abort_ms, abort_rc ? ": " : "", abort_rc ? abort_err.msg : "",
		a.rc, a.ended_ms - a.started_ms, a.rc ? a.err.msg : "saved");
	/* The save's progress must have been seen: else the poll is broken. */
	if (seen_ms < 0)
		fail_msg("be_job_info never saw the save move");
	if (a.rc == 0) {
		/* The save won the race against the abort sent. */
		fprintf(stderr, "# the save ended before the abort could stop it: skipped\n");
		skip();
	}
	assert_int_equal(abort_rc, 0);
	assert_int_equal(a.rc, -1);
	assert_non_null(strstr(a.err.msg, "operation aborted"));
	assert_int_not_equal(a.err.code, 0);
	assert_not_saved(c, HIB_VM, "running", BE_VM_RUNNING);
	assert_int_equal(be_job_info(c, HIB_VM, &ji, &err), 0);
	assert_false(ji.active);
}

/* A thread that polls be_job_info on its own connection every 20 ms
 * until told to stop. */
struct watcher {
	pthread_t t;
	struct be_conn *c;
	long long t0;
	pthread_mutex_t lock;
	bool stop;
	struct progress p;
};

static void *watcher_main(void *arg)
{
	struct watcher *w = arg;
	struct be_error err = {0};
	struct be_job_info ji;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		if (w->stop) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		pthread_mutex_unlock(&w->lock);
		w->p.polls++;
		if (be_job_info(w->c, HIB_VM, &ji, &err) == 0 && ji.active && ji.total > 0 && w->p.n < MAX_SAMPLES) {
			struct sample *s = &w->p.s[w->p.n++];

			s->at_ms = now_ms() - w->t0;
			s->elapsed_ms = ji.elapsed_ms;
			s->done = ji.done;
			s->total = ji.total;
		}
		poll(NULL, 0, 20);
	}
	return NULL;
}

static unsigned long long max_done(const struct progress *p)
{
	return p->n ? p->s[p->n - 1].done : 0;
}

/* 3b. The program (src/main.c) runs long operations on one worker and
 * quick reads, job progress and abort among them, on another, each on the
 * connection main.c gives it (be_open_ops). While the hibernate runs, the
 * reads lane must follow the progress as far as a watcher on a connection
 * of its own does. Seen on libvirt 9.0 (client debug log, rpc.netclient):
 * while the thread of virDomainManagedSave holds a connection's I/O, a
 * call queued by another thread on that connection is now and then never
 * written to the socket until the save returns; with both workers on one
 * connection this test failed every time. */
static void hibernate_progress_on_the_programs_connections(void **state)
{
	struct be_conn *c = *state;
	struct mailbox *mb = mailbox_new();
	struct be_conn *ops_conn = be_open_ops(c, NULL);
	struct worker *ops = worker_new(ops_conn, mb), *reads = worker_new(c, mb);
	struct cmd act = {.type = CMD_ACT, .job = 1, .u.act.action = BE_ACT_HIBERNATE};
	struct cmd info = {.type = CMD_JOB_INFO, .job = 1};
	static struct progress p;
	static struct watcher w;
	static long long win[MAX_SAMPLES][2]; /* each lane read: sent, answered */
	size_t nwin = 0, i, j, most = 0, worst = 0;
	struct be_error err = {0};
	long long t0, sent_ms = 0, next_ms = 0, done_ms = -1, t;
	bool polling = false, done = false;
	int rc = -2;
	char msg[512] = "";
	unsigned long long ram = strtoull(dominfo(HIB_VM, "Max memory"), NULL, 10) * 1024;

	assert_non_null(ops);
	assert_non_null(reads);
	memset(&p, 0, sizeof(p));
	memset(&w, 0, sizeof(w));
	w.c = be_open(uri, false, &err);
	if (!w.c)
		fail_msg("second connection: %s", err.msg);
	pthread_mutex_init(&w.lock, NULL);
	str_copy(act.name, HIB_VM, sizeof(act.name));
	str_copy(info.name, HIB_VM, sizeof(info.name));
	/* The lanes as src/main.c picks them. */
	assert_int_equal(cmd_lane(act.type), LANE_OPS);
	assert_int_equal(cmd_lane(info.type), LANE_READS);
	assert_int_equal(cmd_lane(CMD_JOB_ABORT), LANE_READS);
	t0 = w.t0 = now_ms();
	worker_submit(ops, &act);
	assert_int_equal(pthread_create(&w.t, NULL, watcher_main, &w), 0);
	while (!done && now_ms() - t0 < 60000) {
		struct pollfd pfd = {.fd = mailbox_fd(mb), .events = POLLIN};
		struct event *ev;

		if (!polling && now_ms() >= next_ms && nwin < MAX_SAMPLES) {
			worker_submit(reads, &info);
			polling = true;
			sent_ms = now_ms();
			p.polls++;
		}
		poll(&pfd, 1, 5);
		while ((ev = mailbox_take(mb))) {
			t = now_ms();
			if (ev->type == EV_JOB_INFO) {
				polling = false;
				next_ms = t + 20;
				win[nwin][0] = sent_ms - t0;
				win[nwin][1] = t - t0;
				nwin++;
				if (t - sent_ms > p.longest_ms) {
					p.longest_ms = t - sent_ms;
					p.longest_at_ms = sent_ms - t0;
				}
				if (ev->rc == 0 && ev->info.active && ev->info.total > 0 && p.n < MAX_SAMPLES) {
					p.s[p.n].at_ms = t - t0;
					p.s[p.n].elapsed_ms = ev->info.elapsed_ms;
					p.s[p.n].done = ev->info.done;
					p.s[p.n].total = ev->info.total;
					p.n++;
				}
			} else if (ev->type == EV_OP_DONE && ev->job == 1) {
				done = true;
				done_ms = t - t0;
				rc = ev->rc;
				str_copy(msg, ev->err.msg, sizeof(msg));
			}
			event_free(ev);
		}
	}
	/* A read still unanswered when the save ended waited all along. */
	if (polling) {
		win[nwin][0] = sent_ms - t0;
		win[nwin][1] = done_ms;
		nwin++;
		if (done_ms - (sent_ms - t0) > p.longest_ms) {
			p.longest_ms = done_ms - (sent_ms - t0);
			p.longest_at_ms = sent_ms - t0;
		}
	}
	pthread_mutex_lock(&w.lock);
	w.stop = true;
	pthread_mutex_unlock(&w.lock);
	pthread_join(w.t, NULL);
	pthread_mutex_destroy(&w.lock);
	be_close(w.c);
	worker_free(reads);
	worker_free(ops);
	be_close(ops_conn);
	mailbox_free(mb);

	fprintf(stderr,
		"# as the program: hibernate done at +%lld ms (rc %d%s%s); reads lane: %zu "
		"progress reads, %zu with progress, up to %llu bytes, slowest waited %lld ms (sent at +%lld ms)\n",
		done_ms, rc, rc ? ": " : "", msg, p.polls, p.n, max_done(&p), p.longest_ms, p.longest_at_ms);
	check_samples(&p, ram);
	fprintf(stderr, "# watcher on its own connection: %zu polls, %zu with progress, up to %llu bytes\n",
		w.p.polls, w.p.n, max_done(&w.p));
	check_samples(&w.p, ram);
	if (rc != 0)
		fail_msg("hibernate failed: %s", msg);
	assert_saved(c, HIB_VM);
	/* The watcher must have seen the save move, or there is nothing to
	 * compare with. */
	assert_true(w.p.rising >= 2);
	/* A read may wait while libvirt or QEMU hold the job (QEMU's last
	 * pass, the end of the save), but then the watcher waits as well:
	 * at most one reading of it falls inside such a wait. Three or more
	 * mean the daemon was answering while the program's read waited. */
	for (i = 0; i < nwin; i++) {
		size_t k = 0;

		for (j = 0; j < w.p.n; j++)
			k += w.p.s[j].at_ms > win[i][0] && w.p.s[j].at_ms < win[i][1];
		if (k > most) {
			most = k;
			worst = i;
		}
	}
	if (most >= 3)
		fail_msg("a progress read the program's reads lane sent at +%lld ms was answered at +%lld ms "
			 "(the save ended at +%lld ms); meanwhile a watcher on a connection of its own got %zu "
			 "progress readings, up to %llu of %llu bytes, while the lane got %zu in all (up to %llu). "
			 "With both workers on one libvirt connection, job progress (and an abort, which takes "
			 "the same lane) waits behind the hibernate",
			 win[worst][0], win[worst][1], done_ms, most, max_done(&w.p), w.p.s[w.p.n - 1].total, p.n,
			 max_done(&p));
}

/* 4. Discarding the saved state leaves the VM off with no saved state;
 * the next start boots fresh (QEMU without -incoming). */
static void discard_saved_state_then_boot_fresh(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	int s0, r0, s1, r1;

	if (be_vm_act(c, SAVE_VM, BE_ACT_HIBERNATE, &err) != 0)
		fail_msg("hibernate: %s", err.msg);
	assert_saved(c, SAVE_VM);
	if (be_vm_act(c, SAVE_VM, BE_ACT_DISCARD_SAVE, &err) != 0)
		fail_msg("discard the saved state: %s", err.msg);
	assert_not_saved(c, SAVE_VM, "shut off", BE_VM_SHUTOFF);
	qemu_starts(SAVE_VM, &s0, &r0);
	if (be_vm_act(c, SAVE_VM, BE_ACT_START, &err) != 0)
		fail_msg("start: %s", err.msg);
	assert_not_saved(c, SAVE_VM, "running", BE_VM_RUNNING);
	qemu_starts(SAVE_VM, &s1, &r1);
	assert_int_equal(s1, s0 + 1);
	assert_int_equal(r1, r0);
}

/* 5. Force off. */
static void destroy_forces_off(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};

	assert_string_equal(domstate(SAVE_VM), "running");
	if (be_vm_act(c, SAVE_VM, BE_ACT_DESTROY, &err) != 0)
		fail_msg("destroy: %s", err.msg);
	assert_not_saved(c, SAVE_VM, "shut off", BE_VM_SHUTOFF);
}

/* 6. Start fresh on a hibernated VM: the saved state goes and QEMU boots
 * without -incoming. */
static void start_fresh_drops_saved_state(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	int s0, r0, s1, r1;

	if (be_vm_act(c, SAVE_VM, BE_ACT_HIBERNATE, &err) != 0)
		fail_msg("hibernate: %s", err.msg);
	assert_saved(c, SAVE_VM);
	qemu_starts(SAVE_VM, &s0, &r0);
	if (be_vm_act(c, SAVE_VM, BE_ACT_START_FRESH, &err) != 0)
		fail_msg("start fresh: %s", err.msg);
	assert_not_saved(c, SAVE_VM, "running", BE_VM_RUNNING);
	qemu_starts(SAVE_VM, &s1, &r1);
	assert_int_equal(s1, s0 + 1);
	assert_int_equal(r1, r0);
}

/* 7. A hibernate while an active commit holds the disk is refused before
 * libvirt is asked, with our message naming the disk; the job and the VM
 * are left as they were. */
static void hibernate_refused_during_block_job(void **state)
{
	struct be_conn *c = *state;
	struct be_error err = {0};
	char *out, *job = NULL;
	int i, st;

	out = run_out(&st, "virsh -q -c '%s' blockcommit " BUSY_VM " vda --active", uri);
	if (st != 0)
		fail_msg("virsh blockcommit --active: %s", out);
	free(out);
	for (i = 0; i < 600; i++) {
		free(job);
		job = virsh_all("blockjob " BUSY_VM " vda");
		if (strstr(job, "Active Block Commit"))
			break;
		poll(NULL, 0, 50);
	}
	if (!strstr(job, "Active Block Commit"))
		fail_msg("no active commit on " BUSY_VM ": %s", job);
	free(job);

	assert_int_equal(be_vm_act(c, BUSY_VM, BE_ACT_HIBERNATE, &err), -1);
	fprintf(stderr, "# hibernate during an active commit: %s\n", err.msg);
	assert_non_null(strstr(err.msg, "vda"));
	assert_non_null(strstr(err.msg, "active commit"));
	assert_int_equal(err.code, 0); /* ours, not libvirt's */
	assert_not_saved(c, BUSY_VM, "running", BE_VM_RUNNING);
	job = virsh_all("blockjob " BUSY_VM " vda");
	assert_non_null(strstr(job, "Active Block Commit"));
	free(job);

	out = run_out(&st, "virsh -q -c '%s' blockjob " BUSY_VM " vda --abort", uri);
	if (st != 0)
		fail_msg("virsh blockjob --abort: %s", out);
	free(out);
	for (i = 0; i < 600; i++) {
		job = virsh_all("blockjob " BUSY_VM " vda");
		if (!strstr(job, "Block Commit"))
			break;
		free(job);
		job = NULL;
		poll(NULL, 0, 50);
	}
	if (!job)
		fail_msg("the active commit on " BUSY_VM " did not go away");
	free(job);
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
		cmocka_unit_test_setup_teardown(delete_modes_on_real_qemu, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(snapshot_name_with_slash_refused_by_libvirt, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(internal_snapshot_of_raw_disk_fails, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(job_info_of_idle_running_vm, open_conn, close_and_destroy),
		cmocka_unit_test_setup_teardown(hibernate_shows_progress, open_hib_running, close_conn),
		cmocka_unit_test_setup_teardown(start_resumes_hibernated_vm, open_hib_saved, close_conn),
		cmocka_unit_test_setup_teardown(abort_hibernate, open_hib_running, close_conn),
		cmocka_unit_test_setup_teardown(hibernate_progress_on_the_programs_connections, open_hib_running,
						close_conn),
		cmocka_unit_test_setup_teardown(discard_saved_state_then_boot_fresh, open_save_running, close_conn),
		cmocka_unit_test_setup_teardown(destroy_forces_off, open_save_running, close_conn),
		cmocka_unit_test_setup_teardown(start_fresh_drops_saved_state, open_save_running, close_conn),
		cmocka_unit_test_setup_teardown(hibernate_refused_during_block_job, open_busy_running, close_conn),
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
	return cmocka_run_group_tests_name("e2e", tests, NULL, hib_group_done);
}
