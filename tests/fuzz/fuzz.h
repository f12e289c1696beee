/* Fuzz targets: each fuzz_NAME.c defines LLVMFuzzerTestOneInput, so that
 * the same file links with libFuzzer (make fuzz, when clang is there) or
 * with driver.c, the stand-alone replayer and mutator that make check
 * uses. A target checks what must hold and calls fuzz_fail when it does
 * not; the sanitizers catch the rest. */
#ifndef VMM_FUZZ_H
#define VMM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports what went wrong and aborts: both drivers keep the input. */
void fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2), noreturn))
#endif
	;

/* The input as a NUL-terminated copy (the caller frees it). */
char *fuzz_str(const uint8_t *data, size_t size);

/* Splits the input at NUL bytes into up to n fields, each a string of
 * its own ("" where the input has fewer). Free with fuzz_fields_free. */
void fuzz_fields(const uint8_t *data, size_t size, char **out, size_t n);
void fuzz_fields_free(char **f, size_t n);

/* True when s can stand in an XML 1.0 document as it is: UTF-8 of
 * characters XML allows (no C0 control but tab, newline and CR, no
 * U+FFFE or U+FFFF). Only such text must come back intact. */
int fuzz_xml_text(const char *s);

#endif
