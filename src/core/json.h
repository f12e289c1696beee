/* JSON for scripts (--print --json, --list --json): a small writer that
 * indents, and strings that are valid JSON whatever bytes they hold. */
#ifndef VMM_JSON_H
#define VMM_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* How deep values nest at most. */
#define JSON_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_DEPTH]; /* no value yet at this depth */
	bool after_key;         /* a key was written: its value follows */
};

/* s as a JSON string, quotes included. '"' and '\' are escaped, control
 * characters (U+0000 to U+001F) as \n, \r, \t, \b, \f or \u00XX, and, so
 * that the text is safe on a terminal too, DEL, C1 controls, format
 * characters (Unicode category Cf) and U+2028/U+2029 as \uXXXX (a
 * surrogate pair above U+FFFF). A byte that is not part of valid UTF-8 is
 * written as \u00XX, the code point with the byte's value (as Latin-1
 * would read it). Everything else is written as it is. NULL is null. */
void json_string(FILE *f, const char *s);

void json_start(struct json *j, FILE *f);
/* Opens an object ('{') or an array ('['), as a value. */
void json_open(struct json *j, char what);
void json_close(struct json *j, char what);
/* A key of the open object; its value is the next call. */
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL: null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A key and its value at once; json_knum writes null for v < 0 (a
 * number not known). */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kbool(struct json *j, const char *key, bool v);
void json_kint(struct json *j, const char *key, long long v);
void json_knum(struct json *j, const char *key, long long v);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif
