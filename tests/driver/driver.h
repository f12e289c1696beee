/* What the driver test files share. */
#ifndef VMM_TEST_DRIVER_H
#define VMM_TEST_DRIVER_H

#include <stdio.h>

/* Fails unless text is UTF-8 with no character that textesc keeps from a
 * terminal, the newlines that end lines aside (test_print.c). */
void assert_terminal_safe(const char *text);

/* A new fixture file $TMPDIR/vmm-TAG-XXXXXX, its name into path (n
 * bytes), open for writing; NULL when it cannot be made (fixture.c). */
FILE *driver_fixture_open(char *path, size_t n, const char *tag);

#endif
