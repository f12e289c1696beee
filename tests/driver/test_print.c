/* --print for scripts, against libvirt's test driver: a file written here
 * gives a VM a snapshot description that tries to forge a Disks section,
 * names with a backslash and a bidi override, creation times out of
 * range, and a disk path of 1500 bytes. What print_vm writes must keep every field on its own line,
 * escaped as vmmanager.1 says, and print the path whole. */
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
#include "core/textesc.h"
#include "core/utf8.h"
#include "print.h"
#include "shared/util.h"
#include "tests/driver/driver.h"

int print_tests(void);

#define LONG_PATH_BYTES 1500

/* The domain; %s is the disk's path, then the snapshots. */
static const char domain_xml[] =
	"<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
	"<domain type='test'><name>forger</name><uuid>fb000000-0000-4000-8000-000000000001</uuid>\n"
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"
	"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
	"<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices>\n"
	"<test:runstate>5</test:runstate>\n"
	"%s</domain>\n";

/* Chains that do not end in a base: "looper" runs on two files backed by
 * each other (its live XML says so); shut-off "gapper" is on a volume of
 * pool /fg whose backing file that pool does not have. */
static const char ends_xml[] =
	"<pool type='dir'><name>fg</name><uuid>fb000000-0000-4000-8000-0000000000f1</uuid>\n"
	"<target><path>/fg</path></target>\n"
	"<volume type='file'><name>top.qcow2</name><key>/fg/top.qcow2</key>\n"
	"<capacity unit='bytes'>1048576</capacity><allocation unit='bytes'>4096</allocation>\n"
	"<target><path>/fg/top.qcow2</path><format type='qcow2'/></target>\n"
	"<backingStore><path>/fg/gone.qcow2</path><format type='qcow2'/></backingStore></volume>\n"
	"</pool>\n"
	"<domain type='test'><name>gapper</name><uuid>fb000000-0000-4000-8000-000000000002</uuid>\n"
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"
	"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
	"<source file='/fg/top.qcow2'/><target dev='vda' bus='virtio'/></disk></devices>\n"
	"<test:runstate>5</test:runstate></domain>\n"
	"<domain type='test'><name>looper</name><uuid>fb000000-0000-4000-8000-000000000003</uuid>\n"
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>\n"
	"<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
	"<source file='/lp/top.qcow2'/>\n"
	"<backingStore type='file'><format type='qcow2'/><source file='/lp/a.qcow2'/>\n"
	"<backingStore type='file'><format type='qcow2'/><source file='/lp/b.qcow2'/>\n"
	"<backingStore type='file'><format type='qcow2'/><source file='/lp/a.qcow2'/>\n"
	"<backingStore/></backingStore></backingStore></backingStore>\n"
	"<target dev='vda' bus='virtio'/></disk></devices>\n"
	"<test:runstate>1</test:runstate></domain>\n"
	"</node>\n";

/* One snapshot: name, parent element, description, creation time. */
static const char snap_xml[] =
	"<test:domainsnapshot><name>%s</name>%s<description>%s</description><state>shutoff</state>\n"
	"<creationTime>%s</creationTime><memory snapshot='no'/><active>%d</active>\n"
	"<domain type='test'><name>forger</name><uuid>fb000000-0000-4000-8000-000000000001</uuid>\n"
	"<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>\n"
	"</test:domainsnapshot>\n";

/* A description as a script that reads --print would fall for it: a
 * line of its own that looks like a Disks section naming another file,
 * then a C1 CSI and a right-to-left override. */
#define FORGED_DESC "fine\nDisks (1):\nvda   /etc/shadow (raw, 1.0 GiB virtual, 1.0 GiB used)\n&#x9B;&#x202E;x"
#define FORGED_DESC_ESCAPED                                                                                      \
	"\"fine\\nDisks (1):\\nvda   /etc/shadow (raw, 1.0 GiB virtual, 1.0 GiB used)\\n\\u{009B}\\u{202E}x\""
#define ODD_NAME "back\\slash&#x202E;"
#define ODD_NAME_ESCAPED "back\\\\slash\\u{202E}"

#define S1_CHILD "<parent><name>s1</name></parent>"

static char fixture[512];
static char long_path[LONG_PATH_BYTES + 1];

static int write_fixture(void **state)
{
	char snaps[4096];
	FILE *f;
	int n;

	(void)state;
	memset(long_path, 'p', LONG_PATH_BYTES);
	memcpy(long_path, "/fx/", 4);
	memcpy(long_path + LONG_PATH_BYTES - 6, ".qcow2", 7);
	n = snprintf(snaps, sizeof(snaps), snap_xml, "s1", "", FORGED_DESC, "1767225600", 0);
	n += snprintf(snaps + n, sizeof(snaps) - (size_t)n, snap_xml, ODD_NAME, S1_CHILD, "", "1767229200", 1);
	/* Creation times no date can show: before the epoch, after 9999. */
	n += snprintf(snaps + n, sizeof(snaps) - (size_t)n, snap_xml, "neg", S1_CHILD, "", "-5", 0);
	snprintf(snaps + n, sizeof(snaps) - (size_t)n, snap_xml, "far", S1_CHILD, "", "300000000000", 0);
	if (!(f = driver_fixture_open(fixture, sizeof(fixture), "print")))
		return -1;
	fprintf(f, domain_xml, long_path, snaps);
	fputs(ends_xml, f);
	fclose(f);
	return 0;
}

static int remove_fixture(void **state)
{
	(void)state;
	unlink(fixture);
	return 0;
}

/* print_vm's output for VM vm of the fixture; the caller frees it. */
static char *print_of(const char *vm, int *rc, char **err_text)
{
	char uri[600], *out = NULL, *err = NULL;
	size_t outn = 0, errn = 0;
	struct be_error e = {0};
	struct be_conn *c;
	FILE *o, *eo;

	snprintf(uri, sizeof(uri), "test://%s", fixture);
	c = be_open(uri, true, &e);
	if (!c)
		fail_msg("cannot open %s: %s", uri, e.msg);
	o = open_memstream(&out, &outn);
	eo = open_memstream(&err, &errn);
	*rc = print_vm(c, vm, true, o, eo);
	fclose(o);
	fclose(eo);
	be_close(c);
	*err_text = err;
	return out;
}

/* Every byte of text is UTF-8 and no character is one that textesc keeps
 * from a terminal, the newlines that end lines aside. */
void assert_terminal_safe(const char *text)
{
	size_t i = 0, n = strlen(text);

	assert_int_equal(utf8_check(text, n), n);
	while (i < n) {
		uint32_t cp;

		i += utf8_decode(text + i, n - i, &cp);
		if (cp != '\n' && textesc_unsafe(cp))
			fail_msg("U+%04X at byte %zu of:\n%s", (unsigned)cp, i, text);
	}
}

static void a_description_cannot_forge_lines(void **state)
{
	char *err, *out, *line, *save = NULL;
	int rc, disks = 0, lines = 0;

	(void)state;
	out = print_of("forger", &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(err, "");
	assert_terminal_safe(out);
	assert_non_null(strstr(out, "\ns1  [20")); /* 2026-01-01 in UTC, a date in any zone */
	assert_non_null(strstr(out, FORGED_DESC_ESCAPED "\n"));
	assert_non_null(strstr(out, "\n|- " ODD_NAME_ESCAPED "  ["));
	assert_non_null(strstr(out, "\n|- neg  [invalid, shutoff, "));
	assert_non_null(strstr(out, "\n`- far  [invalid, shutoff, "));
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines++;
		disks += !strncmp(line, "Disks (", 7);
		if (!strncmp(line, "vda", 3)) /* the real disk, not the forged one */
			assert_non_null(strstr(line, long_path));
	}
	/* VM, Snapshots, s1 and its three children, Disks, vda and the note
	 * that the chain ends there (no storage pool knows the file): one
	 * Disks. */
	assert_int_equal(lines, 9);
	assert_int_equal(disks, 1);
	free(out);
	free(err);
}

static void a_long_path_prints_whole(void **state)
{
	char *err, *out, want[LONG_PATH_BYTES + 128];
	int rc;

	(void)state;
	out = print_of("forger", &rc, &err);
	assert_int_equal(rc, 0);
	snprintf(want, sizeof(want), "\nvda   %s (qcow2, ", long_path);
	if (!strstr(out, want))
		fail_msg("the path of %d bytes is not whole in:\n%s", LONG_PATH_BYTES, out);
	free(out);
	free(err);
}

/* A chain says how it ends: a loop is shown once and named; a backing
 * file its folder's pool lacks is missing, not "in no storage pool". */
static void chains_say_how_they_end(void **state)
{
	char *err, *out;
	int rc;

	(void)state;
	out = print_of("looper", &rc, &err);
	assert_int_equal(rc, 0);
	if (!strstr(out, "Disks (1):\nvda   /lp/top.qcow2 (qcow2, in no storage pool: sizes unknown)\n"
			 "      `- /lp/a.qcow2 (qcow2, in no storage pool: sizes unknown)\n"
			 "         `- /lp/b.qcow2 (qcow2, in no storage pool: sizes unknown)\n"
			 "      (a loop: backed by the layer above)\n"))
		fail_msg("no loop in:\n%s", out);
	free(out);
	free(err);
	out = print_of("gapper", &rc, &err);
	assert_int_equal(rc, 0);
	if (!strstr(out, "vda   /fg/top.qcow2 (qcow2, 1.0 MiB virtual, 4.0 KiB used)\n"
			 "      `- /fg/gone.qcow2 (qcow2, missing)\n"
			 "      (missing: no such file in its pool)\n"))
		fail_msg("no missing file in:\n%s", out);
	assert_null(strstr(out, "knows nothing"));
	free(out);
	free(err);
}

static void a_missing_vm_is_named_on_stderr_safely(void **state)
{
	char *err, *out;
	int rc;

	(void)state;
	out = print_of("no\xe2\x80\xaesuch\x1b[2J", &rc, &err);
	assert_int_equal(rc, 1);
	assert_string_equal(out, "");
	assert_memory_equal(err, "vmmanager: no<U+202E>such<U+001B>[2J: ", 38);
	assert_terminal_safe(err);
	free(out);
	free(err);
}

int print_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_description_cannot_forge_lines),
		cmocka_unit_test(a_long_path_prints_whole),
		cmocka_unit_test(chains_say_how_they_end),
		cmocka_unit_test(a_missing_vm_is_named_on_stderr_safely),
	};

	return cmocka_run_group_tests_name("print", tests, write_fixture, remove_fixture);
}
