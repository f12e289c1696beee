/* Small helpers of shared/util.c whose edge cases are shown to the user. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shared/util.h"
#include "tests/unit/unit.h"

static char *saved_tz;

static int utc(void **state)
{
	(void)state;
	saved_tz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int restore_tz(void **state)
{
	(void)state;
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);
	saved_tz = NULL;
	return 0;
}

#define FMT "%Y-%m-%d %H:%M:%S"

/* A creation time libvirt reports may be anything a 64-bit number holds:
 * what is no date with a four-digit year shows as "invalid", never as a
 * garbage year. */
static void times_out_of_range_are_invalid(void **state)
{
	static const struct {
		long long t;
		const char *want;
	} cases[] = {
		{0, "1970-01-01 00:00:00"},
		{1767225600, "2026-01-01 00:00:00"},
		{253402300799LL, "9999-12-31 23:59:59"}, /* the last second of 9999 */
		{253402300800LL, "invalid"},             /* 10000-01-01 */
		{300000000000LL, "invalid"},
		{67768036191676799LL, "invalid"}, /* the last second localtime can convert */
		{LLONG_MAX, "invalid"},           /* localtime cannot */
		{-1, "invalid"},
		{-62135596800LL, "invalid"}, /* year 1, but before the epoch */
		{LLONG_MIN, "invalid"},
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(time_text(cases[i].t, FMT, buf, sizeof(buf)), buf);
		if (strcmp(buf, cases[i].want))
			fprintf(stderr, "time %lld: got \"%s\", want \"%s\"\n", cases[i].t, buf, cases[i].want);
		assert_string_equal(buf, cases[i].want);
	}
	/* Local time decides: 9999-12-31 23:59:59 UTC is already 10000 east
	 * of Greenwich. */
	setenv("TZ", "UTC-14", 1); /* POSIX for UTC+14, no zone file needed */
	tzset();
	assert_string_equal(time_text(253402300799LL, FMT, buf, sizeof(buf)), "invalid");
	assert_string_equal(time_text(253402300799LL - 14 * 3600, FMT, buf, sizeof(buf)), "9999-12-31 23:59:59");
	/* A date that does not fit the buffer is not cut either. */
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(time_text(0, FMT, buf, 12), "invalid");
}

int test_util_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(times_out_of_range_are_invalid, utc, restore_tz),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
