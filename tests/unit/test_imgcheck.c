/* qemu-img's JSON answers read (clean, leaks, corruptions, errors, cut
 * short) and the argument vectors that run it where the files are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/imgcheck.h"
#include "runtime/imgtool.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

static const char clean_json[] = "{\n    \"image-end-offset\": 262144,\n    \"total-clusters\": 160,\n"
				 "    \"check-errors\": 0,\n    \"filename\": \"t.qcow2\",\n    \"format\": \"qcow2\"\n}\n";

static void check_clean(void **state)
{
	struct imgcheck_result r;
	char buf[700];

	(void)state;
	imgcheck_parse(clean_json, 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_CLEAN);
	assert_int_equal(r.leaks, 0);
	assert_int_equal(r.corruptions, 0);
	assert_string_equal(imgcheck_summary(&r, buf, sizeof(buf)), "clean");
}

static void check_leaks(void **state)
{
	struct imgcheck_result r;
	char buf[700];

	(void)state;
	imgcheck_parse("{\"leaks\": 3, \"check-errors\": 0, \"filename\": \"a b.qcow2\", \"format\": \"qcow2\"}", 3,
		       "Leaked cluster 5 refcount=1 reference=0\n", &r);
	assert_int_equal(r.status, IMGCHECK_LEAKS);
	assert_int_equal(r.leaks, 3);
	assert_non_null(strstr(imgcheck_summary(&r, buf, sizeof(buf)), "3 leaked clusters"));
	/* Repaired: leaks-fixed counts them, the exit status says clean. */
	imgcheck_parse("{\"leaks-fixed\": 3, \"check-errors\": 0, \"format\": \"qcow2\"}", 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_CLEAN);
	assert_int_equal(r.leaks_fixed, 3);
}

static void check_corruptions(void **state)
{
	struct imgcheck_result r;
	char buf[700];

	(void)state;
	imgcheck_parse("{\"image-end-offset\": 262144, \"total-clusters\": 160, \"corruptions\": 5, \"check-errors\": 0,"
		       " \"allocated-clusters\": 1, \"leaks\": 1, \"filename\": \"c.qcow2\", \"format\": \"qcow2\"}",
		       2, "ERROR l2_offset=10200: Table is not cluster aligned; L1 entry corrupted\n", &r);
	assert_int_equal(r.status, IMGCHECK_CORRUPT);
	assert_int_equal(r.corruptions, 5);
	imgcheck_summary(&r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "CORRUPT, 5 corruptions"));
	assert_non_null(strstr(buf, "never repaired"));
	/* Corruptions win over the exit status (never "clean"). */
	imgcheck_parse("{\"corruptions\": 1, \"check-errors\": 0}", 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_CORRUPT);
}

static void check_errors(void **state)
{
	struct imgcheck_result r;

	(void)state;
	/* The file cannot be opened: no JSON, the message on stderr. */
	imgcheck_parse("", 1,
		       "qemu-img: Could not open '/img/x.qcow2': Could not open '/img/x.qcow2': Permission denied\n",
		       &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
	assert_non_null(strstr(r.msg, "Permission denied"));
	/* Internal errors during the check. */
	imgcheck_parse("{\"check-errors\": 2, \"format\": \"qcow2\"}", 1, "", &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
	assert_non_null(strstr(r.msg, "2 internal errors"));
	/* raw */
	imgcheck_parse("", 63, "qemu-img: This image format does not support checks\n", &r);
	assert_int_equal(r.status, IMGCHECK_UNSUPPORTED);
	/* A status the JSON does not explain is no "clean". */
	imgcheck_parse(clean_json, 2, "", &r);
	assert_int_equal(r.status, IMGCHECK_CORRUPT);
	imgcheck_parse(clean_json, 9, "", &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
	/* No check-errors key: not a check's answer. */
	imgcheck_parse("{\"format\": \"qcow2\"}", 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
}

static void check_truncated(void **state)
{
	struct imgcheck_result r;
	size_t cut;
	char buf[sizeof(clean_json)];

	(void)state;
	/* Cut anywhere before its closing brace, the answer is never clean. */
	for (cut = 0; cut + 2 < sizeof(clean_json) - 1; cut++) {
		memcpy(buf, clean_json, cut);
		buf[cut] = '\0';
		imgcheck_parse(buf, 0, "", &r);
		assert_int_equal(r.status, IMGCHECK_FAILED);
	}
	imgcheck_parse(NULL, 0, NULL, &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
	imgcheck_parse("{\"check-errors\": 0} trailing", 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
	imgcheck_parse("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_FAILED);
	imgcheck_parse("{\"a\": \"\\u00e9\\ud800\", \"check-errors\": 0}", 0, "", &r);
	assert_int_equal(r.status, IMGCHECK_CLEAN);
}

static void info_snapshots(void **state)
{
	static const char info[] =
		"{\"snapshots\": [{\"icount\": 0, \"vm-clock-nsec\": 250000000, \"name\": \"before 'x'\","
		" \"date-sec\": 1796685124, \"date-nsec\": 178894000, \"vm-clock-sec\": 12, \"id\": \"1\","
		" \"vm-state-size\": 67108864}, {\"name\": \"s2\", \"id\": \"2\", \"date-sec\": 1, \"vm-state-size\": 0}],"
		" \"virtual-size\": 10485760, \"filename\": \"t.qcow2\", \"format\": \"qcow2\","
		" \"format-specific\": {\"type\": \"qcow2\", \"data\": {\"corrupt\": false}}, \"dirty-flag\": false}";
	struct imgsnap_list l;
	char err[200];

	(void)state;
	assert_int_equal(imginfo_parse_snapshots(info, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.s[0].name, "before 'x'");
	assert_string_equal(l.s[0].id, "1");
	assert_int_equal(l.s[0].vm_state_size, 67108864);
	assert_int_equal(l.s[0].vm_clock_ms, 12250);
	assert_int_equal(l.s[0].date_sec, 1796685124);
	assert_string_equal(l.s[1].name, "s2");
	imgsnap_list_clear(&l);
	assert_int_equal(imginfo_parse_snapshots("{\"format\": \"raw\"}", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(imginfo_parse_snapshots("{\"snapshots\": [{\"name\": \"a\"", &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cut short"));
	assert_int_equal(l.n, 0);
}

/* qemu-img info --backing-chain: one object per file; the snapshots
 * libvirt does not know in that file are marked. */
static void info_chain_marks_unknown(void **state)
{
	static const char chain[] =
		"[{\"filename\": \"/img/top.qcow2\", \"snapshots\": [{\"name\": \"known\", \"id\": \"1\","
		" \"vm-state-size\": 1048576}, {\"name\": \"by hand\", \"id\": \"2\"}]},"
		" {\"filename\": \"/img/base.qcow2\", \"format\": \"qcow2\"}]";
	struct be_snap_file files[] = {{.disk = "vda", .path = "/img/top.qcow2"}};
	struct be_snapshot snaps[] = {{.name = "known", .files = files, .nfiles = 1},
				      {.name = "elsewhere", .files = files, .nfiles = 1}};
	struct be_snap_list l = {.s = snaps, .n = 2};
	struct imginfo_map map = {0};
	char buf[300];

	(void)state;
	assert_int_equal(imginfo_parse_chain(chain, &map), 0);
	assert_int_equal(map.n, 2);
	assert_int_equal(imginfo_find(&map, "/img/top.qcow2")->n, 2);
	assert_int_equal(imginfo_find(&map, "/img/base.qcow2")->n, 0);
	assert_null(imginfo_find(&map, "/img/other.qcow2"));
	assert_string_equal(imgsnap_line(imginfo_find(&map, "/img/top.qcow2"), &l, "/img/top.qcow2", buf, sizeof(buf)),
			    "known (1.0 MiB memory), by hand [unknown to libvirt]");
	/* The same name in another file is not the same snapshot. */
	assert_false(imgsnap_known(&l, "/img/base.qcow2", "known"));
	imginfo_map_clear(&map);
	assert_int_equal(imginfo_parse_chain("[{\"filename\": \"/img/top.qcow2\", \"snap", &map), -1);
	assert_non_null(strstr(map.why, "cut short"));
	assert_int_equal(map.n, 0);
	imginfo_map_clear(&map);
}

static void join(char **argv, char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; argv[i]; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s<%s>", i ? " " : "", argv[i]);
}

static void argv_where(void **state)
{
	const char *args[] = {"qemu-img", "check", "--output=json", "/img/it's $(rm -rf ~) x.qcow2", NULL};
	char **argv, buf[1000];

	(void)state;
	assert_int_equal(imgtool_argv("qemu:///system", args, &argv), IMGTOOL_LOCAL);
	join(argv, buf, sizeof(buf));
	assert_string_equal(buf, "<qemu-img> <check> <--output=json> </img/it's $(rm -rf ~) x.qcow2>");
	imgtool_argv_free(argv);
	assert_int_equal(imgtool_argv("qemu+unix:///session?socket=/run/x", args, &argv), IMGTOOL_LOCAL);
	imgtool_argv_free(argv);
	assert_int_equal(imgtool_argv(NULL, args, &argv), IMGTOOL_LOCAL);
	imgtool_argv_free(argv);

	assert_int_equal(imgtool_argv("qemu+ssh://ops%40lab@host1.example:2222/system?keyfile=/k/id%20x&no_verify=1",
				      args, &argv),
			 IMGTOOL_SSH);
	join(argv, buf, sizeof(buf));
	assert_string_equal(buf, "<ssh> <-o> <BatchMode=yes> <-p> <2222> <-i> </k/id x> <ops@lab@host1.example> <--> "
				 "<'qemu-img'> <'check'> <'--output=json'> <'/img/it'\\''s $(rm -rf ~) x.qcow2'>");
	imgtool_argv_free(argv);
	assert_int_equal(imgtool_argv("qemu+ssh://[fe80::1]:22/system", args, &argv), IMGTOOL_SSH);
	join(argv, buf, sizeof(buf));
	assert_non_null(strstr(buf, "<-p> <22> <fe80::1> <-->"));
	imgtool_argv_free(argv);
	assert_int_equal(imgtool_argv("qemu+ssh://-oProxyCommand=x/system", args, &argv), IMGTOOL_ELSEWHERE);
	assert_null(argv);

	assert_int_equal(imgtool_argv("qemu+tls://host/system", args, &argv), IMGTOOL_ELSEWHERE);
	assert_null(argv);
	assert_int_equal(imgtool_argv("qemu://host/system", args, &argv), IMGTOOL_ELSEWHERE);
	assert_int_equal(imgtool_argv("qemu+tcp://host/system", args, &argv), IMGTOOL_ELSEWHERE);
}

static void command_line(void **state)
{
	const char *args[] = {"qemu-img", "check", "/img/a b", "/img/it's", NULL};
	char *line = imgtool_command_line(args), *q;

	(void)state;
	assert_string_equal(line, "qemu-img check '/img/a b' '/img/it'\\''s'");
	free(line);
	q = imgtool_shell_quote("");
	assert_string_equal(q, "''");
	free(q);
}

/* A qemu-img that does not answer (a hung NFS file, an ssh to a dead
 * host) is given up at its deadline: killed, left to be reaped, and the
 * caller is back long before the child would have ended. */
static void run_is_given_up_at_its_deadline(void **state)
{
	char *hang[] = {"sleep", "60", NULL}, *quick[] = {"echo", "hi", NULL};
	char *out, *err;
	long long t0 = mono_ms();

	(void)state;
	assert_int_equal(imgtool_run_until(hang, 0, t0 + 100, &out, &err), -4);
	assert_true(mono_ms() - t0 < 30000);
	free(out);
	free(err);
	/* One that answers in time is read as ever. */
	assert_int_equal(imgtool_run_until(quick, 0, mono_ms() + 30000, &out, &err), 0);
	assert_string_equal(out, "hi\n");
	free(out);
	free(err);
}

int test_imgcheck_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_clean),       cmocka_unit_test(check_leaks),
		cmocka_unit_test(check_corruptions), cmocka_unit_test(check_errors),
		cmocka_unit_test(check_truncated),   cmocka_unit_test(info_snapshots),
		cmocka_unit_test(argv_where),        cmocka_unit_test(command_line),
		cmocka_unit_test(info_chain_marks_unknown),
		cmocka_unit_test(run_is_given_up_at_its_deadline),
	};

	return cmocka_run_group_tests_name("imgcheck", tests, NULL, NULL);
}
