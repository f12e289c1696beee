/* Helpers every layer uses: allocation wrappers that abort on
 * out-of-memory, small string, size and time helpers, a parallel loop. */
#ifndef VMM_UTIL_H
#define VMM_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Copies src into dst of size n, always NUL-terminated, truncated at a
 * UTF-8 character boundary. Returns dst. */
char *str_copy(char *dst, const char *src, size_t n);

/* True when needle occurs in hay, ignoring ASCII case. */
int str_contains_nocase(const char *hay, const char *needle);

/* "512 B", "12.5 MiB", "1.0 GiB" */
char *bytes_human(unsigned long long b, char *buf, size_t n);

/* A set of strings for lookups in loops: a sorted copy of the n pointers
 * of s (the strings stay the caller's; free the copy), and whether one is
 * in it. Keeps checks on deep chains and big trees from going quadratic. */
const char **str_set(const char *const *s, size_t n);
int str_set_has(const char *const *set, size_t n, const char *s);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Calls fn(ctx, i) for every i below n, on up to threads threads (at most
 * PARALLEL_MAX), and returns when all are done. One libvirt connection
 * carries many calls in flight: over a slow link, reads done this way
 * cost their round trips once, not once each. */
#define PARALLEL_MAX 256
void parallel_for(size_t n, size_t threads, void (*fn)(void *ctx, size_t i), void *ctx);

/* t, seconds since the epoch, as local time in strftime's fmt; "invalid"
 * when it is no date with a four-digit year (negative, past 9999, or
 * what localtime cannot convert), or does not fit in n. Returns buf. */
char *time_text(long long t, const char *fmt, char *buf, size_t n);

/* The monotonic clock in milliseconds. */
long long mono_ms(void);

#endif
