/* Whole messages: word wrapping by display columns, the bounded message
 * log, and the screen that shows it (L), as an operator meets them. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/msglog.h"
#include "core/wrap.h"
#include "shared/util.h"
#include "tests/unit/unit.h"

/* 2026-01-01 00:00:00 UTC */
#define LOG_WALL 1767225600LL

/* Line i of text wrapped to width, or "(none)" past the last. */
static const char *line_of(const char *text, int width, size_t i)
{
	static char buf[512];
	struct wrap_line l[32];
	size_t n = wrap_text(text, width, l, ARRAY_LEN(l));

	if (i >= n || i >= ARRAY_LEN(l))
		return "(none)";
	snprintf(buf, sizeof(buf), "%.*s", (int)l[i].len, text + l[i].start);
	return buf;
}

static void wrap_breaks_at_the_last_space_that_fits(void **state)
{
	const char *t = "Not committing into /img/golden.qcow2: lab2 uses it";

	(void)state;
	assert_int_equal(wrap_text(t, 20, NULL, 0), 3);
	assert_string_equal(line_of(t, 20, 0), "Not committing into");
	assert_string_equal(line_of(t, 20, 1), "/img/golden.qcow2:");
	assert_string_equal(line_of(t, 20, 2), "lab2 uses it");
	assert_string_equal(line_of(t, 20, 3), "(none)");
	/* A line that fits exactly stays whole; the spaces at a break go. */
	assert_int_equal(wrap_text("abc def", 7, NULL, 0), 1);
	assert_string_equal(line_of("abc    def", 5, 0), "abc");
	assert_string_equal(line_of("abc    def", 5, 1), "def");
}

static void wrap_keeps_newlines_and_indents(void **state)
{
	const char *t = "Delete 2 overlays:\n  /img/a.qcow2\n  /img/b.qcow2\n\nLost: everything.";

	(void)state;
	assert_int_equal(wrap_text(t, 40, NULL, 0), 5);
	assert_string_equal(line_of(t, 40, 1), "  /img/a.qcow2");
	assert_string_equal(line_of(t, 40, 3), "");
	assert_string_equal(line_of(t, 40, 4), "Lost: everything.");
	/* No empty line after a break just before a newline, nor at the end. */
	assert_int_equal(wrap_text("abcd \nef\n", 4, NULL, 0), 2);
	assert_int_equal(wrap_text("", 10, NULL, 0), 0);
	assert_int_equal(wrap_text("x", 0, NULL, 0), 1); /* no width: one column */
}

static void wrap_cuts_a_word_longer_than_the_line(void **state)
{
	const char *t = "see /var/lib/libvirt/images/x.qcow2 now";

	(void)state;
	assert_string_equal(line_of(t, 10, 0), "see");
	assert_string_equal(line_of(t, 10, 1), "/var/lib/l");
	assert_string_equal(line_of(t, 10, 2), "ibvirt/ima");
	assert_string_equal(line_of(t, 10, 3), "ges/x.qcow");
	assert_string_equal(line_of(t, 10, 4), "2 now");
	/* An indent does not count as a place to break. */
	assert_string_equal(line_of("    abcdefgh", 6, 0), "    ab");
}

static void wrap_counts_columns_of_whole_characters(void **state)
{
	char *old = xstrdup(setlocale(LC_CTYPE, NULL));
	const char *t = "\xc3\xbcn\xc3\xaf""c\xc3\xb6""d\xc3\xa9 w\xc3\xb6rds"; /* ünïcödé wörds */
	const char *wide = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"; /* 日本語: 6 columns */

	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		free(old);
		skip();
	}
	assert_int_equal(wrap_width(t, strlen(t)), 13);
	assert_string_equal(line_of(t, 7, 0), "\xc3\xbcn\xc3\xaf""c\xc3\xb6""d\xc3\xa9");
	assert_string_equal(line_of(t, 7, 1), "w\xc3\xb6rds");
	assert_int_equal(wrap_width(wide, strlen(wide)), 6);
	assert_int_equal(wrap_text(wide, 5, NULL, 0), 2); /* 4 and 2 columns */
	assert_string_equal(line_of(wide, 5, 0), "\xe6\x97\xa5\xe6\x9c\xac");
	/* Too wide for the line at all: one character a line, never half. */
	assert_int_equal(wrap_text(wide, 1, NULL, 0), 3);
	assert_string_equal(line_of(wide, 1, 2), "\xe8\xaa\x9e");
	/* Bytes that are not UTF-8 take a column each, as '?' on screen. */
	assert_int_equal(wrap_width("a\xff\xfe", 3), 3);
	setlocale(LC_CTYPE, old);
	free(old);
}

static void log_keeps_the_last_500_oldest_first(void **state)
{
	struct msglog l = {0};
	char buf[64];
	int i;

	(void)state;
	assert_null(msglog_at(&l, 0));
	msglog_add(&l, LOG_WALL, false, ""); /* nothing to keep */
	assert_int_equal(msglog_count(&l), 0);
	for (i = 0; i < 600; i++) {
		snprintf(buf, sizeof(buf), "message %d", i);
		msglog_add(&l, LOG_WALL + i, i % 2, buf);
	}
	assert_int_equal(msglog_count(&l), MSGLOG_MAX);
	assert_string_equal(msglog_at(&l, 0)->text, "message 100");
	assert_int_equal(msglog_at(&l, 0)->wall, LOG_WALL + 100);
	assert_false(msglog_at(&l, 0)->error);
	assert_string_equal(msglog_at(&l, MSGLOG_MAX - 1)->text, "message 599");
	assert_true(msglog_at(&l, MSGLOG_MAX - 1)->error);
	assert_null(msglog_at(&l, MSGLOG_MAX));
	msglog_free(&l);
	assert_int_equal(msglog_count(&l), 0);
}

static void log_counts_a_repeated_message_once(void **state)
{
	struct msglog l = {0};
	char buf[64];

	(void)state;
	msglog_add(&l, LOG_WALL, true, "No disk selected");
	msglog_add(&l, LOG_WALL + 5, true, "No disk selected");
	assert_int_equal(msglog_count(&l), 1);
	assert_int_equal(msglog_at(&l, 0)->wall, LOG_WALL + 5);
	assert_string_equal(msglog_text(msglog_at(&l, 0), buf, sizeof(buf)), "No disk selected (2 times)");
	/* The same words as news, not an error: another message. */
	msglog_add(&l, LOG_WALL + 6, false, "No disk selected");
	assert_int_equal(msglog_count(&l), 2);
	assert_string_equal(msglog_text(msglog_at(&l, 1), buf, sizeof(buf)), "No disk selected");
	msglog_free(&l);
}

static struct cmds log_key(struct app *a, int k)
{
	struct event ev = {.type = EV_KEY, .key = k, .wall = LOG_WALL};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
	return out;
}

static void log_resize(struct app *a, int rows, int cols)
{
	struct event ev = {.type = EV_RESIZE, .rows = rows, .cols = cols};
	struct cmds out = {0};

	app_handle(a, &ev, &out);
}

static int log_setup(void **state)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct be_vm vms[] = {unit_vm("web", BE_VM_RUNNING, 2, 2), unit_vm("db", BE_VM_SHUTOFF, 0, 1)};

	app_init(a, "test:///x", "host1", true);
	unit_load_vms(a, vms, ARRAY_LEN(vms), NULL);
	*state = a;
	return 0;
}

static int log_teardown(void **state)
{
	app_free(*state);
	free(*state);
	return 0;
}

static void every_status_message_is_logged_whole(void **state)
{
	struct app *a = *state;
	const struct msglog_entry *e;
	char big[1500];

	/* A refusal, from a key. */
	log_key(a, 'S');
	assert_true(a->status_error);
	e = msglog_at(&a->log, msglog_count(&a->log) - 1);
	assert_non_null(e);
	assert_true(e->error);
	assert_int_equal(e->wall, LOG_WALL);
	assert_string_equal(e->text, a->status);
	/* Longer than the status line's buffer: the log has it all. */
	memset(big, 'w', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[700] = ' ';
	state_set_status(a, false, "%s", big);
	e = msglog_at(&a->log, msglog_count(&a->log) - 1);
	assert_false(e->error);
	assert_int_equal(strlen(e->text), sizeof(big) - 1);
	assert_true(strlen(a->status) < sizeof(a->status));
	/* A tool's lines stay lines in the log, one line on the status line. */
	state_set_status(a, true, "qemu-img: Could not open\n'/img/x.qcow2'\n");
	e = msglog_at(&a->log, msglog_count(&a->log) - 1);
	assert_string_equal(e->text, "qemu-img: Could not open\n'/img/x.qcow2'");
	assert_string_equal(a->status, "qemu-img: Could not open '/img/x.qcow2'");
}

/* The last first row of the log screen: its rows less the list's height. */
static size_t log_last_top(const struct app *a)
{
	size_t rows = msglog_rows(&a->log, a->term_cols), h = state_list_height(a);

	return rows > h ? rows - h : 0;
}

static void l_opens_the_log_at_its_end_and_it_scrolls(void **state)
{
	struct app *a = *state;
	char buf[200];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(buf, sizeof(buf), "Refused %d: a reason long enough to take two rows of an 80-column "
			 "terminal once wrapped", i);
		state_set_status(a, true, "%s", buf);
	}
	assert_int_equal(msglog_rows(&a->log, 80), 80);
	log_key(a, '2');
	log_key(a, 'L');
	assert_int_equal(a->screen, SCREEN_LOG);
	assert_int_equal(a->log_pos.top, log_last_top(a));
	log_key(a, 'k');
	assert_int_equal(a->log_pos.top, log_last_top(a) - 1);
	/* Not at the end: a new message does not move what one reads. */
	state_set_status(a, false, "news");
	assert_int_equal(a->log_pos.top, log_last_top(a) - 2);
	log_key(a, 'g');
	assert_int_equal(a->log_pos.top, 0);
	log_key(a, VK_PAGE_DOWN);
	assert_int_equal(a->log_pos.top, state_list_height(a));
	log_key(a, 'G');
	assert_int_equal(a->log_pos.top, log_last_top(a));
	/* At the end it follows new messages and a narrower terminal. */
	state_set_status(a, false, "more news");
	assert_int_equal(a->log_pos.top, log_last_top(a));
	log_resize(a, 24, 40);
	assert_true(msglog_rows(&a->log, 40) > msglog_rows(&a->log, 80));
	assert_int_equal(a->log_pos.top, log_last_top(a));
	/* ? shows the keys; q back to the log, q back to where L was pressed. */
	log_key(a, '?');
	assert_int_equal(a->screen, SCREEN_HELP);
	assert_int_equal(a->help_from, SCOPE_LOG);
	log_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_LOG);
	log_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_JOBS);
	/* L again closes it too. */
	log_key(a, 'L');
	assert_int_equal(a->screen, SCREEN_LOG);
	log_key(a, 'L');
	assert_int_equal(a->screen, SCREEN_JOBS);
}

static void l_is_the_log_on_every_screen(void **state)
{
	char key[16];
	int s;

	(void)state;
	for (s = 0; s < SCOPE_COUNT; s++) {
		const enum scope scopes[] = {(enum scope)s, SCOPE_ALL};

		assert_int_equal(keymap_lookup((enum scope)s, 'L'), REQ_MESSAGES);
		assert_string_equal(keymap_request_key(scopes, 2, REQ_MESSAGES, key, sizeof(key)), "L");
	}
	assert_string_equal(request_name(REQ_MESSAGES), "messages");
	assert_string_equal(keymap_request_key((const enum scope[]){SCOPE_VMLIST, SCOPE_ALL}, 2, REQ_NONE, key, sizeof(key)), "");
}

#define LOG(f) cmocka_unit_test_setup_teardown(f, log_setup, log_teardown)

int test_log_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrap_breaks_at_the_last_space_that_fits),
		cmocka_unit_test(wrap_keeps_newlines_and_indents),
		cmocka_unit_test(wrap_cuts_a_word_longer_than_the_line),
		cmocka_unit_test(wrap_counts_columns_of_whole_characters),
		cmocka_unit_test(log_keeps_the_last_500_oldest_first),
		cmocka_unit_test(log_counts_a_repeated_message_once),
		LOG(every_status_message_is_logged_whole),
		LOG(l_opens_the_log_at_its_end_and_it_scrolls),
		cmocka_unit_test(l_is_the_log_on_every_screen),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
