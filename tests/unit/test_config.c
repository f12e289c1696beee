/* The config file: what it lists, and every way it can be wrong, each
 * reported with the file's name and the line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* Text parsed as a file called "cfg". */
static int parse(const char *text, struct config *c, char *err, size_t errn)
{
	return config_parse("cfg", text, strlen(text), c, err, errn);
}

static void config_reads_hosts_names_and_readonly(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse("host lab1 qemu+ssh://root@lab1/system\n"
				"host local qemu:///session readonly\n",
				&c, err, sizeof(err)),
			 0);
	assert_int_equal(c.nhosts, 2);
	assert_string_equal(c.hosts[0].name, "lab1");
	assert_string_equal(c.hosts[0].uri, "qemu+ssh://root@lab1/system");
	assert_false(c.hosts[0].readonly);
	assert_string_equal(c.hosts[1].name, "local");
	assert_string_equal(c.hosts[1].uri, "qemu:///session");
	assert_true(c.hosts[1].readonly);
	assert_string_equal(err, "");
	config_free(&c);
	assert_null(c.hosts);
	assert_int_equal(c.nhosts, 0);
}

static void config_skips_comments_and_blank_lines(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(parse("# my hosts\n"
				"\n"
				"   \t \n"
				"  # indented comment host x y\n"
				"\thost  a\ttest:///default   # the test driver\n"
				"host b qemu+tcp://b:16509/system readonly# no space before it\n"
				"host c qemu:///system",
				&c, err, sizeof(err)),
			 0);
	assert_int_equal(c.nhosts, 3);
	assert_string_equal(c.hosts[0].name, "a");
	assert_string_equal(c.hosts[0].uri, "test:///default");
	assert_false(c.hosts[0].readonly);
	assert_string_equal(c.hosts[1].uri, "qemu+tcp://b:16509/system");
	assert_true(c.hosts[1].readonly);
	/* The last line needs no newline. */
	assert_string_equal(c.hosts[2].uri, "qemu:///system");
	config_free(&c);

	assert_int_equal(parse("", &c, err, sizeof(err)), 0);
	assert_int_equal(c.nhosts, 0);
	config_free(&c);
	assert_int_equal(parse("# nothing but comments\n\n#\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.nhosts, 0);
	config_free(&c);
}

static void config_errors_name_the_line(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{"host a test:///default\n# fine\ncolour red\n", "cfg:3: unknown setting"},
		{"hosts a test:///default\n", "cfg:1: unknown setting"},
		{"\n\nhost onlyname\n", "cfg:3: host needs a URI"},
		{"host\n", "cfg:1: host needs a NAME and a URI"},
		{"host   # all comment\n", "cfg:1: host needs a NAME and a URI"},
		{"host a test:///x\nhost b test:///y\n\nhost a test:///z\n", "cfg:4: a host of that name is listed already"},
		{"host a test:///x rw\n", "cfg:1: unknown word after the URI"},
		{"host a test:///x readonly extra\n", "cfg:1: unknown word after the URI"},
		{"host a test:///x READONLY\n", "cfg:1: unknown word after the URI"},
	};
	struct config c;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		int rc;

		memset(&c, 0xA5, sizeof(c)); /* nothing of it may be used */
		err[0] = '\0';
		rc = parse(bad[i].text, &c, err, sizeof(err));
		if (rc != -1 || strncmp(err, bad[i].err, strlen(bad[i].err)))
			fprintf(stderr, "config %zu: got %d \"%s\", want \"%s...\"\n", i, rc, err, bad[i].err);
		assert_int_equal(rc, -1);
		assert_memory_equal(err, bad[i].err, strlen(bad[i].err));
		/* What was read before the bad line is let go. */
		assert_null(c.hosts);
		assert_int_equal(c.nhosts, 0);
		config_free(&c);
	}
}

static void config_limits_lengths(void **state)
{
	struct config c;
	char err[256], name[80], uri[600], text[2048];

	(void)state;
	memset(name, 'n', 63);
	name[63] = '\0';
	snprintf(text, sizeof(text), "host %s test:///default\n", name);
	assert_int_equal(parse(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.hosts[0].name, name);
	config_free(&c);
	strcat(name, "n"); /* 64 bytes: one too many */
	snprintf(text, sizeof(text), "# a comment first\nhost %s test:///default\n", name);
	assert_int_equal(parse(text, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "cfg:2: host name longer than 63 bytes");

	memcpy(uri, "test:///", 8);
	memset(uri + 8, 'u', 503);
	uri[511] = '\0';
	snprintf(text, sizeof(text), "host a %s readonly\n", uri);
	assert_int_equal(parse(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.hosts[0].uri, uri);
	assert_true(c.hosts[0].readonly);
	config_free(&c);
	strcat(uri, "u"); /* 512 bytes */
	snprintf(text, sizeof(text), "host a %s\n", uri);
	assert_int_equal(parse(text, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "cfg:1: URI longer than 511 bytes");

	/* A line of 1024 bytes, even one of blanks, is refused whole. */
	memset(text, ' ', 1024);
	memcpy(text + 1024, "\n", 2);
	assert_int_equal(parse(text, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "cfg:1: line longer than 1023 bytes");
	text[1023] = '\n'; /* 1023 blanks: a blank line */
	text[1024] = '\0';
	assert_int_equal(parse(text, &c, err, sizeof(err)), 0);
	config_free(&c);
}

/* The environment as it was, put back even when a test fails. */
static char *saved_xdg, *saved_home;

static int save_env(void **state)
{
	(void)state;
	saved_xdg = getenv("XDG_CONFIG_HOME") ? xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;
	saved_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	return 0;
}

static int restore_env(void **state)
{
	(void)state;
	if (saved_xdg)
		setenv("XDG_CONFIG_HOME", saved_xdg, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	if (saved_home)
		setenv("HOME", saved_home, 1);
	else
		unsetenv("HOME");
	free(saved_xdg);
	free(saved_home);
	saved_xdg = saved_home = NULL;
	return 0;
}

static void config_path_follows_xdg(void **state)
{
	char path[256];

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(config_path(path, sizeof(path)), 0);
	assert_string_equal(path, "/x/cfg/vmmanager/config");
	setenv("XDG_CONFIG_HOME", "", 1);
	assert_int_equal(config_path(path, sizeof(path)), 0);
	assert_string_equal(path, "/home/u/.config/vmmanager/config");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(config_path(path, sizeof(path)), -1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(config_path(path, 10), -1); /* does not fit */
}

/* Each of these is refused with the line, whatever came before. */
static void config_refuses_bytes_that_are_not_text(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *err;
	} bad[] = {
#define B(s, e) {s, sizeof(s) - 1, e}
		B("host a test:///x\nho\0st b test:///y\n", "cfg:2: NUL byte at column 3"),
		B("# fine\n\0", "cfg:2: NUL byte at column 1"),
		B("host a test:///x\n# caf\xe9\n", "cfg:2: not UTF-8 (byte 0xE9 at column 6)"),
		B("host \x80 test:///x\n", "cfg:1: not UTF-8 (byte 0x80 at column 6)"),
		B("host \xc0\xaf test:///x\n", "cfg:1: not UTF-8 (byte 0xC0 at column 6)"), /* overlong '/' */
		B("host \xed\xa0\x80 test:///x\n", "cfg:1: not UTF-8 (byte 0xED at column 6)"), /* a surrogate */
		B("host \xf4\x90\x80\x80 test:///x\n", "cfg:1: not UTF-8 (byte 0xF4 at column 6)"), /* > U+10FFFF */
		B("host \xf5\x80\x80\x80 test:///x\n", "cfg:1: not UTF-8 (byte 0xF5 at column 6)"),
		B("host a test:///x\xe2\x82\n", "cfg:1: not UTF-8 (byte 0xE2 at column 17)"), /* cut off */
		B("host a test:///x \xe2\x82", "cfg:1: not UTF-8 (byte 0xE2 at column 18)"), /* at the end */
		B("host a\x1b[2J test:///x\n", "cfg:1: control character 0x1B at column 7"),
		B("\n\nhost a test:///x\x7f\n", "cfg:3: control character 0x7F at column 17"),
		B("host a test:///x\vreadonly\n", "cfg:1: control character 0x0B at column 17"),
#undef B
	};
	struct config c;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		int rc;

		err[0] = '\0';
		rc = config_parse("cfg", bad[i].text, bad[i].len, &c, err, sizeof(err));
		if (rc != -1 || strcmp(err, bad[i].err))
			fprintf(stderr, "config %zu: got %d \"%s\", want \"%s\"\n", i, rc, err, bad[i].err);
		assert_int_equal(rc, -1);
		assert_string_equal(err, bad[i].err);
		assert_null(c.hosts);
		config_free(&c);
	}
	/* UTF-8 is welcome, tabs and CRLF line ends too. */
	assert_int_equal(parse("# caf\xc3\xa9 \xe2\x9c\x93\r\nhost \xc3\xbcn\xc3\xaf\ttest:///x\treadonly\r\n", &c, err,
			       sizeof(err)),
			 0);
	assert_int_equal(c.nhosts, 1);
	assert_string_equal(c.hosts[0].name, "\xc3\xbcn\xc3\xaf");
	assert_true(c.hosts[0].readonly);
	config_free(&c);
}

static void config_allows_32_hosts_and_no_more(void **state)
{
	struct config c;
	char err[256], line[64];
	size_t cap = 64 * 5000, len = 0, i;
	char *text = xmalloc(cap);

	(void)state;
	len += (size_t)snprintf(text, cap, "# many hosts\n");
	for (i = 0; i < 32; i++)
		len += (size_t)snprintf(text + len, cap - len, "host h%zu test:///default\n", i);
	assert_int_equal(parse(text, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nhosts, 32);
	assert_int_equal(c.nhosts, CONFIG_MAX_HOSTS);
	config_free(&c);
	/* Thousands of lines (they would be thousands of threads) stop at
	 * the 33rd host. */
	for (; i < 5000; i++) {
		snprintf(line, sizeof(line), "host h%zu test:///default\n", i);
		memcpy(text + len, line, strlen(line) + 1);
		len += strlen(line);
	}
	assert_int_equal(parse(text, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "cfg:34: more than 32 hosts (the most vmmanager manages at once)");
	assert_null(c.hosts);
	free(text);
}

/* A file in $TMPDIR holding len bytes of data; its path into path. */
static void write_file(char *path, size_t n, const char *data, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(path, n, "%s/vmm-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Comment lines up to at least n bytes. */
static size_t fill_comments(char *text, size_t n)
{
	size_t len = 0;

	while (len < n)
		len += (size_t)sprintf(text + len, "# %06zu padding padding padding padding padding padding\n", len);
	return len;
}

/* One comment line that brings text from len to exactly end bytes. */
static size_t pad_to(char *text, size_t len, size_t end)
{
	assert_true(end - len >= 2 && end - len <= 1024);
	text[len] = '#';
	memset(text + len + 1, '-', end - len - 2);
	text[end - 1] = '\n';
	return end;
}

static void config_file_is_read_whole(void **state)
{
	char path[512], err[1024];
	char *text = xmalloc(200 * 1024);
	struct config c;
	size_t len;

	(void)state;
	/* The first host's readonly lies past 64 KiB, the second host and
	 * the third one's URI too: none of it is lost. */
	len = pad_to(text, fill_comments(text, 65536 - 1000), 65536 - 20);
	len += (size_t)sprintf(text + len, "host first test:///default                 readonly\n");
	assert_true(len > 65536);
	len += (size_t)sprintf(text + len, "host second qemu+ssh://root@second/system readonly\n");
	len = fill_comments(text + len, 130 * 1024 - len) + len;
	len += (size_t)sprintf(text + len, "host third qemu+ssh://root@third/system\n");
	write_file(path, sizeof(path), text, len);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(c.nhosts, 3);
	assert_string_equal(c.hosts[0].name, "first");
	assert_true(c.hosts[0].readonly);
	assert_string_equal(c.hosts[1].uri, "qemu+ssh://root@second/system");
	assert_true(c.hosts[1].readonly);
	assert_string_equal(c.hosts[2].uri, "qemu+ssh://root@third/system");
	assert_false(c.hosts[2].readonly);
	config_free(&c);
	free(text);
}

static void config_file_errors_name_the_file_and_line(void **state)
{
	char path[512], want[1024], err[1024];
	char *text = xmalloc(CONFIG_MAX_BYTES + 256); /* fill_comments goes a line over */
	struct config c;
	size_t len;
	int line;

	(void)state;
	/* A NUL far past 64 KiB. */
	len = fill_comments(text, 100 * 1024);
	line = (int)(len / strlen("# 000000 padding padding padding padding padding padding\n"));
	memcpy(text + len, "host a test:///x\0\n", 18);
	write_file(path, sizeof(path), text, len + 18);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%d: NUL byte at column 17", path, line + 1);
	assert_string_equal(err, want);
	assert_null(c.hosts);
	unlink(path);

	/* A file of more than CONFIG_MAX_BYTES is refused, not cut. */
	len = fill_comments(text, CONFIG_MAX_BYTES + 1);
	write_file(path, sizeof(path), text, CONFIG_MAX_BYTES + 1);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: larger than 1 MiB; a config file is a few lines", path);
	assert_string_equal(err, want);
	unlink(path);
	free(text);

	/* No file: no hosts, no error. A directory cannot be read. */
	assert_int_equal(config_load(path, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nhosts, 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(EISDIR));
	assert_string_equal(err, want);
	rmdir(path);
}

int test_config_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_reads_hosts_names_and_readonly),
		cmocka_unit_test(config_skips_comments_and_blank_lines),
		cmocka_unit_test(config_errors_name_the_line),
		cmocka_unit_test(config_limits_lengths),
		cmocka_unit_test(config_refuses_bytes_that_are_not_text),
		cmocka_unit_test(config_allows_32_hosts_and_no_more),
		cmocka_unit_test(config_file_is_read_whole),
		cmocka_unit_test(config_file_errors_name_the_file_and_line),
		cmocka_unit_test_setup_teardown(config_path_follows_xdg, save_env, restore_env),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
