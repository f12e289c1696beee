/* UTF-8 decoding, strict: what libvirt, the config file and the terminal
 * exchange is UTF-8, and bytes that are not must be seen as such. */
#ifndef VMM_UTF8_H
#define VMM_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the character at the start of s (n bytes available). Returns
 * its length (1 to 4) with the code point in *cp, or 0 when the bytes
 * there are not UTF-8 (a stray continuation byte, an overlong form, a
 * surrogate, beyond U+10FFFF, cut off, or n is 0); the caller then takes
 * one byte as bad and goes on. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The offset of the first byte of s[0..n) that is not UTF-8, or n. */
size_t utf8_check(const char *s, size_t n);

#endif
