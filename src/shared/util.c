/* Helpers every layer uses (core, runtime, backend, UI): allocation that
 * aborts on out-of-memory, strings, sizes, sets, times, a parallel loop. */
#include "shared/util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *check(void *p)
{
	if (!p) {
		fputs("vmmanager: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
	return check(strdup(s ? s : ""));
}

char *str_copy(char *dst, const char *src, size_t n)
{
	size_t len;

	if (!n)
		return dst;
	len = src ? strlen(src) : 0;
	if (len >= n) {
		len = n - 1;
		/* Do not cut a multibyte character in half. */
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
	return dst;
}

int str_contains_nocase(const char *hay, const char *needle)
{
	size_t i, j;

	if (!*needle)
		return 1;
	for (i = 0; hay[i]; i++) {
		for (j = 0; needle[j] && hay[i + j]; j++)
			if (tolower((unsigned char)hay[i + j]) != tolower((unsigned char)needle[j]))
				break;
		if (!needle[j])
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **str_set(const char *const *s, size_t n)
{
	const char **set = xcalloc(n ? n : 1, sizeof(*set));

	if (n)
		memcpy(set, s, n * sizeof(*set));
	qsort(set, n, sizeof(*set), cmp_str);
	return set;
}

int str_set_has(const char *const *set, size_t n, const char *s)
{
	return n && bsearch(&s, set, n, sizeof(*set), cmp_str) != NULL;
}

char *bytes_human(unsigned long long b, char *buf, size_t n)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = (double)b;
	int u = 0;

	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%llu B", b);
	else
		snprintf(buf, n, "%.1f %s", v, unit[u]);
	return buf;
}

long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct parallel {
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t n, next;
	bool go; /* every thread started */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *parallel_main(void *arg)
{
	struct parallel *p = arg;

	/* All begin together once all are there: the first to begin would
	 * otherwise slow the starting of the others, and over a slow link
	 * the calls still being started miss the round trip of the first. */
	pthread_mutex_lock(&p->lock);
	while (!p->go)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		p->fn(p->ctx, i);
	}
}

void parallel_for(size_t n, size_t threads, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct parallel p = {.fn = fn, .ctx = ctx, .n = n};
	pthread_t t[PARALLEL_MAX];
	size_t i, started = 0, nt = n < threads ? n : threads;

	if (nt > PARALLEL_MAX)
		nt = PARALLEL_MAX;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	/* This thread works too: one fewer to start. */
	for (i = 0; i + 1 < nt; i++)
		if (pthread_create(&t[started], NULL, parallel_main, &p) == 0)
			started++;
	pthread_mutex_lock(&p.lock);
	p.go = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	parallel_main(&p);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
}

char *time_text(long long t, const char *fmt, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0 || (long long)tt != t || !localtime_r(&tt, &tm) || tm.tm_year > 9999 - 1900 ||
	    !strftime(buf, n, fmt, &tm))
		snprintf(buf, n, "invalid");
	return buf;
}
