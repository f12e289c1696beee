/* Allocation wrappers that abort on out-of-memory, and small string
 * helpers. */
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

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The monotonic clock in milliseconds. */
long long mono_ms(void);

#endif
