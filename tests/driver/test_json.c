/* Output for scripts, read back: --print --json and --list --json must
 * parse as strict JSON whatever bytes libvirt hands out, with every
 * string decoding to what libvirt said (a byte that is not UTF-8 to the
 * character of the same number), and --list's text keeps one VM a line.
 * The hostile VM is made with libvirt itself on test:///default, whose
 * connections in one process share their state: a rename takes any
 * bytes, as virsh domrename does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "core/json.h"
#include "list.h"
#include "print.h"
#include "tests/driver/driver.h"
#include "tests/driver/jsonv.h"

int json_tests(void);

/* Quotes, a backslash, a newline, a tab, DEL, bytes that are not UTF-8.
 * (Other C0 controls libvirt takes in a rename, but then cannot write
 * the VM's XML itself.) */
#define HOSTILE_NAME "q\"b\\s\nnl\tc\x7f[2J\xff\xfe end"
/* The same as JSON gives it back: each bad byte as U+00FF, U+00FE. */
#define HOSTILE_READ "q\"b\\s\nnl\tc\x7f[2J\xc3\xbf\xc3\xbe end"
#define SNAP_NAME "s\"1\\"
/* A description XML can carry: newline, tab, quotes, a backslash, a C1
 * control, a right-to-left override, an emoji. */
#define DESC "line1\nline2\t\"quoted\" back\\slash \xc2\x9b csi \xe2\x80\xae rlo \xf0\x9f\x98\x80 smile"
#define DISK_PATH "/j/\"odd\\path.qcow2"

static virConnectPtr lv;

static int make_vm(void **state)
{
	static const char dom[] =
		"<domain type='test'><name>json-plain</name><uuid>fd000000-0000-4000-8000-0000000000aa</uuid>"
		"<memory unit='KiB'>65536</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices>"
		"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
		"<source file='/j/&quot;odd\\path.qcow2'/><target dev='vda'/></disk></devices></domain>";
	static const char snap[] =
		"<domainsnapshot><name>s&quot;1\\</name><description>line1&#10;line2&#9;&quot;quoted&quot; "
		"back\\slash &#x9B; csi &#x202E; rlo &#x1F600; smile</description></domainsnapshot>";
	virDomainPtr d;
	virDomainSnapshotPtr s;

	(void)state;
	if (!(lv = virConnectOpen("test:///default")) || !(d = virDomainDefineXML(lv, dom))) {
		fprintf(stderr, "json: cannot define the VM: %s\n", virGetLastErrorMessage());
		return -1;
	}
	/* The snapshot first: libvirt's own XML cannot hold the name's
	 * control characters, and a rename leaves its snapshots be. */
	if (!(s = virDomainSnapshotCreateXML(d, snap, 0)) || virDomainRename(d, HOSTILE_NAME, 0) < 0) {
		fprintf(stderr, "json: cannot rename or snapshot the VM: %s\n", virGetLastErrorMessage());
		virDomainFree(d);
		return -1;
	}
	virDomainSnapshotFree(s);
	virDomainFree(d);
	return 0;
}

static int drop_vm(void **state)
{
	virDomainPtr d = lv ? virDomainLookupByName(lv, HOSTILE_NAME) : NULL;

	(void)state;
	if (d) {
		virDomainUndefineFlags(d, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
		virDomainFree(d);
	}
	if (lv)
		virConnectClose(lv);
	lv = NULL;
	return 0;
}

static void parse(const char *text, struct jv *v)
{
	char err[200];

	if (jv_parse(text, v, err, sizeof(err)) < 0)
		fail_msg("not JSON: %s\n%s", err, text);
}

static const char *str_at(const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);

	if (!v || v->type != JV_STR)
		fail_msg("no string \"%s\"", key);
	return v->str;
}

/* Every kind of string written by json_string reads back. */
static void json_strings_read_back(void **state)
{
	static const struct {
		const char *in, *out, *raw;
	} cases[] = {
		{"plain", "plain", "\"plain\""},
		{"q\"b\\s\nnl\t\r\b\f", "q\"b\\s\nnl\t\r\b\f", "\"q\\\"b\\\\s\\nnl\\t\\r\\b\\f\""},
		{"\x01\x1b\x7f", "\x01\x1b\x7f", "\"\\u0001\\u001b\\u007f\""},
		{"\xc2\x9b\xe2\x80\xae\xe2\x80\xa8", "\xc2\x9b\xe2\x80\xae\xe2\x80\xa8", "\"\\u009b\\u202e\\u2028\""},
		{"tag\xf3\xa0\x80\x81", "tag\xf3\xa0\x80\x81", "\"tag\\udb40\\udc01\""}, /* U+E0001, a pair */
		{"caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""},
		{"bad\xff\xfe\xc3", "bad\xc3\xbf\xc3\xbe\xc3\x83", "\"bad\\u00ff\\u00fe\\u00c3\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&text, &n);
		struct jv v;

		json_string(f, cases[i].in);
		fclose(f);
		assert_string_equal(text, cases[i].raw);
		assert_terminal_safe(text);
		parse(text, &v);
		assert_int_equal(v.type, JV_STR);
		assert_string_equal(v.str, cases[i].out);
		jv_free(&v);
		free(text);
	}
}

/* The checker refuses what is not JSON, so that its yes means something. */
static void the_checker_refuses_what_is_not_json(void **state)
{
	static const char *const bad[] = {
		"\"a\x01\"", "\"\\ud800\"", "\"\\udc00x\"", "[1,]", "{\"a\":1}x", "\"\xff\"", "01", "{'a':1}", "[1 2]",
		"\"\\x41\"",
	};
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jv v;

		if (jv_parse(bad[i], &v, err, sizeof(err)) == 0)
			fail_msg("taken for JSON: %s", bad[i]);
	}
}

/* --print VM --json of the hostile VM, read back field by field. */
static void print_json_reads_back_whatever_libvirt_says(void **state)
{
	struct be_error e = {0};
	struct be_conn *c = be_open("test:///default", true, &e);
	char *text = NULL, *err = NULL;
	size_t n = 0, en = 0;
	FILE *f, *ef;
	struct jv v;
	const struct jv *snaps, *disks, *layers, *held;

	(void)state;
	assert_non_null(c);
	f = open_memstream(&text, &n);
	ef = open_memstream(&err, &en);
	assert_int_equal(print_vm_json(c, HOSTILE_NAME, f, ef), 0);
	fclose(f);
	fclose(ef);
	be_close(c);
	assert_string_equal(err, "");
	assert_terminal_safe(text);
	parse(text, &v);
	assert_int_equal(jv_get(&v, "version")->num, 1);
	assert_string_equal(str_at(&v, "vm"), HOSTILE_READ);
	assert_string_equal(str_at(&v, "uri"), "test:///default");
	snaps = jv_get(&v, "snapshots");
	assert_int_equal(snaps->n, 1);
	assert_string_equal(str_at(&snaps->v[0], "name"), SNAP_NAME);
	assert_string_equal(str_at(&snaps->v[0], "description"), DESC);
	assert_int_equal(jv_get(&snaps->v[0], "parent")->type, JV_NULL);
	assert_true(jv_get(&snaps->v[0], "current")->b);
	disks = jv_get(&v, "disks");
	assert_int_equal(disks->n, 1);
	assert_string_equal(str_at(&disks->v[0], "target"), "vda");
	assert_string_equal(str_at(&disks->v[0], "device"), "disk");
	layers = jv_get(&disks->v[0], "layers");
	assert_int_equal(layers->n, 1);
	assert_string_equal(str_at(&layers->v[0], "path"), DISK_PATH);
	assert_string_equal(str_at(&layers->v[0], "type"), "file");
	assert_string_equal(str_at(&layers->v[0], "format"), "qcow2");
	assert_int_equal(jv_get(&layers->v[0], "capacity")->type, JV_NULL); /* in no pool */
	/* What the layer holds: the snapshot taken into it. */
	held = jv_get(&layers->v[0], "snapshots");
	assert_int_equal(held->n, 1);
	assert_string_equal(str_at(&held->v[0], "name"), SNAP_NAME);
	jv_free(&v);
	free(text);
	free(err);
}

/* --list --json and --list's text of the same host. */
static void list_reads_back_whatever_libvirt_says(void **state)
{
	const struct list_host h = {"default", "test:///default", true};
	char *text = NULL, *err = NULL, *line, *save = NULL;
	size_t n = 0, en = 0, i;
	FILE *f = open_memstream(&text, &n), *ef = open_memstream(&err, &en);
	const struct jv *hosts, *vms, *vm = NULL;
	struct jv v;
	int found = 0;

	(void)state;
	assert_int_equal(list_vms(&h, 1, true, f, ef), 0);
	fclose(f);
	assert_terminal_safe(text);
	parse(text, &v);
	assert_int_equal(jv_get(&v, "version")->num, 1);
	hosts = jv_get(&v, "hosts");
	assert_int_equal(hosts->n, 1);
	assert_string_equal(str_at(&hosts->v[0], "host"), "default");
	assert_int_equal(jv_get(&hosts->v[0], "error")->type, JV_NULL);
	vms = jv_get(&hosts->v[0], "vms");
	for (i = 0; i < vms->n; i++)
		if (!strcmp(str_at(&vms->v[i], "name"), HOSTILE_READ))
			vm = &vms->v[i];
	assert_non_null(vm);
	assert_string_equal(str_at(vm, "state"), "shutoff");
	assert_int_equal(jv_get(vm, "snapshots")->num, 1);
	assert_int_equal(jv_get(vm, "chain_depth")->num, 1);
	assert_int_equal(jv_get(vm, "vcpus")->num, 2);
	assert_int_equal(jv_get(vm, "memory_kib")->num, 65536);
	jv_free(&v);
	free(text);

	/* The text: one line a VM, the name escaped as --print escapes. */
	text = NULL;
	n = 0;
	f = open_memstream(&text, &n);
	assert_int_equal(list_vms(&h, 1, false, f, ef), 0);
	fclose(f);
	fclose(ef);
	assert_terminal_safe(text);
	assert_int_equal(strncmp(text, "HOST ", 5), 0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "q\"b\\\\s\\nnl\\tc\\x7F[2J\\xFF\\xFE end")) {
			found++;
			assert_non_null(strstr(line, "shut off"));
		}
	assert_int_equal(found, 1);
	assert_string_equal(err, "");
	free(text);
	free(err);
}

/* A host that cannot be reached is said on stderr and in the JSON, with
 * status 1; the others are listed all the same. */
static void an_unreachable_host_is_an_error_of_its_own(void **state)
{
	const struct list_host h[2] = {{"gone", "test:///nonexistent/vmm.xml", true},
				       {"default", "test:///default", true}};
	char *text = NULL, *err = NULL;
	size_t n = 0, en = 0;
	FILE *f = open_memstream(&text, &n), *ef = open_memstream(&err, &en);
	const struct jv *hosts;
	struct jv v;

	(void)state;
	assert_int_equal(list_vms(h, 2, true, f, ef), 1);
	fclose(f);
	fclose(ef);
	parse(text, &v);
	hosts = jv_get(&v, "hosts");
	assert_int_equal(hosts->n, 2);
	assert_int_equal(jv_get(&hosts->v[0], "error")->type, JV_STR);
	assert_int_equal(jv_get(&hosts->v[0], "vms")->n, 0);
	assert_true(jv_get(&hosts->v[1], "vms")->n >= 2);
	assert_int_equal(strncmp(err, "vmmanager: gone: ", 17), 0);
	jv_free(&v);
	free(text);
	free(err);
}

int json_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_strings_read_back),
		cmocka_unit_test(the_checker_refuses_what_is_not_json),
		cmocka_unit_test(print_json_reads_back_whatever_libvirt_says),
		cmocka_unit_test(list_reads_back_whatever_libvirt_says),
		cmocka_unit_test(an_unreachable_host_is_an_error_of_its_own),
	};

	return cmocka_run_group_tests_name("json", tests, make_vm, drop_vm);
}
