/* A strict JSON reader for the tests (RFC 8259): what vmmanager writes
 * for scripts must parse here, with its strings decoded. */
#ifndef VMM_TEST_JSONV_H
#define VMM_TEST_JSONV_H

#include <stdbool.h>
#include <stddef.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	bool b;
	double num;
	char *str;     /* JV_STR: decoded to UTF-8 (NUL-terminated) */
	size_t len;    /* its bytes */
	struct jv *v;  /* JV_ARR, JV_OBJ: the values */
	char **keys;   /* JV_OBJ: their keys, decoded */
	size_t n;
};

/* Parses text whole: 0 and *out (free with jv_free), or -1 with what is
 * wrong and where in err. Strings must be valid UTF-8 with no raw control
 * character; \u escapes must pair their surrogates. */
int jv_parse(const char *text, struct jv *out, char *err, size_t errn);
void jv_free(struct jv *v);
/* The value of key in object o, or NULL. */
const struct jv *jv_get(const struct jv *o, const char *key);

#endif
