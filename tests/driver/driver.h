/* What the driver test files share. */
#ifndef VMM_TEST_DRIVER_H
#define VMM_TEST_DRIVER_H

/* Fails unless text is UTF-8 with no character that textesc keeps from a
 * terminal, the newlines that end lines aside (test_print.c). */
void assert_terminal_safe(const char *text);

#endif
