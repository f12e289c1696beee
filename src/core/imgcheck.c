/* qemu-img's JSON answers read, and the argument vectors that run it on
 * the host holding the files. See imgcheck.h. */
#include "core/imgcheck.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"

/* A JSON value, as much as qemu-img's answers need: objects, arrays,
 * strings, numbers (integers), true, false, null. */
enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	char *key; /* in an object */
	char *str;
	long long num;
	struct jv *kids;
	size_t nkids;
};

struct jp {
	const char *p;
	int depth;
	bool bad;
};

#define JV_DEPTH 32

static void jv_free(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->nkids; i++)
		jv_free(&v->kids[i]);
	free(v->kids);
	free(v->key);
	free(v->str);
}

static void skip_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A string at j->p ('"'), allocated; NULL when bad. \u escapes become
 * UTF-8 (a lone surrogate: '?'). */
static char *parse_string(struct jp *j)
{
	size_t cap = 32, len = 0;
	char *s;

	if (*j->p != '"')
		return NULL;
	j->p++;
	s = xmalloc(cap);
	for (;;) {
		unsigned c = (unsigned char)*j->p;
		unsigned cp = 0;
		char enc[4];
		size_t k, ne = 1;

		if (!c || c < 0x20)
			goto bad;
		j->p++;
		if (c == '"')
			break;
		enc[0] = (char)c;
		if (c == '\\') {
			c = (unsigned char)*j->p++;
			switch (c) {
			case '"': case '\\': case '/': enc[0] = (char)c; break;
			case 'b': enc[0] = '\b'; break;
			case 'f': enc[0] = '\f'; break;
			case 'n': enc[0] = '\n'; break;
			case 'r': enc[0] = '\r'; break;
			case 't': enc[0] = '\t'; break;
			case 'u':
				for (k = 0; k < 4; k++) {
					int h = hexval(j->p[k]);

					if (h < 0)
						goto bad;
					cp = cp * 16 + (unsigned)h;
				}
				j->p += 4;
				if (cp >= 0xd800 && cp <= 0xdfff)
					cp = '?';
				if (cp < 0x80) {
					enc[0] = (char)cp;
				} else if (cp < 0x800) {
					enc[0] = (char)(0xc0 | (cp >> 6));
					enc[1] = (char)(0x80 | (cp & 0x3f));
					ne = 2;
				} else {
					enc[0] = (char)(0xe0 | (cp >> 12));
					enc[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
					enc[2] = (char)(0x80 | (cp & 0x3f));
					ne = 3;
				}
				break;
			default: goto bad;
			}
		}
		if (len + ne + 1 > cap) {
			cap *= 2;
			s = xrealloc(s, cap);
		}
		memcpy(s + len, enc, ne);
		len += ne;
	}
	s[len] = '\0';
	return s;
bad:
	free(s);
	return NULL;
}

static bool parse_value(struct jp *j, struct jv *v);

static bool parse_members(struct jp *j, struct jv *v, bool object)
{
	char close = object ? '}' : ']';

	j->p++;
	skip_ws(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		struct jv kid = {0};

		skip_ws(j);
		if (object) {
			if (!(kid.key = parse_string(j)))
				return false;
			skip_ws(j);
			if (*j->p++ != ':') {
				free(kid.key);
				return false;
			}
		}
		if (!parse_value(j, &kid)) {
			jv_free(&kid);
			return false;
		}
		v->kids = xrealloc(v->kids, (v->nkids + 1) * sizeof(*v->kids));
		v->kids[v->nkids++] = kid;
		skip_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			return true;
		}
		return false;
	}
}

static bool parse_value(struct jp *j, struct jv *v)
{
	bool ok;

	skip_ws(j);
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > JV_DEPTH)
			return false;
		v->type = *j->p == '{' ? JV_OBJ : JV_ARR;
		ok = parse_members(j, v, v->type == JV_OBJ);
		j->depth--;
		return ok;
	case '"':
		v->type = JV_STR;
		return (v->str = parse_string(j)) != NULL;
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = {"true", "false", "null"};
		size_t i;

		for (i = 0; i < 3; i++)
			if (!strncmp(j->p, words[i], strlen(words[i]))) {
				j->p += strlen(words[i]);
				v->type = i == 2 ? JV_NULL : JV_BOOL;
				v->num = i == 0;
				return true;
			}
		return false;
	}
	default: {
		char *end;
		double d;

		if (*j->p != '-' && !isdigit((unsigned char)*j->p))
			return false;
		v->type = JV_NUM;
		v->num = strtoll(j->p, &end, 10);
		if (*end == '.' || *end == 'e' || *end == 'E') { /* not qemu-img's, but JSON */
			d = strtod(j->p, &end);
			v->num = (long long)d;
		}
		if (end == j->p)
			return false;
		j->p = end;
		return true;
	}
	}
}

/* The whole text as one value, nothing but blanks after it. */
static bool parse_doc(const char *text, struct jv *v)
{
	struct jp j = {.p = text};

	memset(v, 0, sizeof(*v));
	if (!text || !parse_value(&j, v)) {
		jv_free(v);
		memset(v, 0, sizeof(*v));
		return false;
	}
	skip_ws(&j);
	if (*j.p) {
		jv_free(v);
		memset(v, 0, sizeof(*v));
		return false;
	}
	return true;
}

static const struct jv *jv_get(const struct jv *o, const char *key)
{
	size_t i;

	if (o->type != JV_OBJ)
		return NULL;
	for (i = 0; i < o->nkids; i++)
		if (!strcmp(o->kids[i].key, key))
			return &o->kids[i];
	return NULL;
}

static long long jv_num(const struct jv *o, const char *key, long long none)
{
	const struct jv *v = jv_get(o, key);

	return v && v->type == JV_NUM ? v->num : none;
}

/* The first line of qemu-img's standard error that says something. */
static void first_error(const char *err, char *buf, size_t n)
{
	const char *e;
	size_t len;

	buf[0] = '\0';
	if (!err)
		return;
	while (*err == '\n' || *err == ' ')
		err++;
	e = strchr(err, '\n');
	len = e ? (size_t)(e - err) : strlen(err);
	if (len >= n)
		len = n - 1;
	memcpy(buf, err, len);
	buf[len] = '\0';
}

void imgcheck_parse(const char *out, int exit_status, const char *err, struct imgcheck_result *r)
{
	struct jv doc;
	char line[400];

	memset(r, 0, sizeof(*r));
	r->leaks = r->corruptions = r->check_errors = -1;
	first_error(err, line, sizeof(line));
	/* 63: "This image format does not support checks" (raw, ...). */
	if (exit_status == 63) {
		r->status = IMGCHECK_UNSUPPORTED;
		snprintf(r->msg, sizeof(r->msg), "its format has no integrity check (raw images have no metadata to check)");
		return;
	}
	if (!parse_doc(out, &doc) || doc.type != JV_OBJ) {
		r->status = IMGCHECK_FAILED;
		if (out && out[strspn(out, " \t\r\n")])
			snprintf(r->msg, sizeof(r->msg), "qemu-img's answer could not be read (cut short or not JSON)%s%s",
				 line[0] ? ": " : "", line);
		else
			snprintf(r->msg, sizeof(r->msg), "%s", line[0] ? line : "qemu-img gave no answer");
		if (doc.type != JV_NULL)
			jv_free(&doc);
		return;
	}
	r->leaks = jv_num(&doc, "leaks", 0);
	r->corruptions = jv_num(&doc, "corruptions", 0);
	r->check_errors = jv_num(&doc, "check-errors", -1);
	r->leaks_fixed = jv_num(&doc, "leaks-fixed", 0);
	r->corruptions_fixed = jv_num(&doc, "corruptions-fixed", 0);
	jv_free(&doc);
	if (r->check_errors < 0 || r->check_errors > 0 || exit_status == 1 || r->leaks < 0 || r->corruptions < 0) {
		r->status = IMGCHECK_FAILED;
		snprintf(r->msg, sizeof(r->msg), "the check could not finish (%lld internal errors)%s%s",
			 r->check_errors > 0 ? r->check_errors : 0, line[0] ? ": " : "", line);
	} else if (r->corruptions > 0 || exit_status == 2) {
		r->status = IMGCHECK_CORRUPT;
		snprintf(r->msg, sizeof(r->msg),
			 "never repaired automatically: copy the data out first (qemu-img convert), keep the file, "
			 "then try qemu-img check -r all on a copy");
	} else if (r->leaks > 0 || exit_status == 3) {
		r->status = IMGCHECK_LEAKS;
		snprintf(r->msg, sizeof(r->msg), "wasted space, no harm to the data; qemu-img check -r leaks frees it");
	} else if (exit_status != 0) {
		r->status = IMGCHECK_FAILED; /* a status the JSON does not explain */
		snprintf(r->msg, sizeof(r->msg), "qemu-img ended with status %d%s%s", exit_status, line[0] ? ": " : "",
			 line);
	} else {
		r->status = IMGCHECK_CLEAN;
	}
}

const char *imgcheck_summary(const struct imgcheck_result *r, char *buf, size_t n)
{
	switch (r->status) {
	case IMGCHECK_CLEAN:
		snprintf(buf, n, "clean");
		break;
	case IMGCHECK_LEAKS:
		snprintf(buf, n, "%lld leaked cluster%s: %s", r->leaks, r->leaks == 1 ? "" : "s", r->msg);
		break;
	case IMGCHECK_CORRUPT:
		snprintf(buf, n, "CORRUPT, %lld corruption%s%s%s: %s", r->corruptions, r->corruptions == 1 ? "" : "s",
			 r->leaks > 0 ? " and leaks" : "", "", r->msg);
		break;
	case IMGCHECK_FAILED:
		snprintf(buf, n, "not checked: %s", r->msg);
		break;
	case IMGCHECK_UNSUPPORTED:
		snprintf(buf, n, "no check: %s", r->msg);
		break;
	case IMGCHECK_SKIPPED:
		snprintf(buf, n, "skipped: %s", r->msg);
		break;
	}
	return buf;
}

/* The "snapshots" of one qemu-img info object. */
static void snapshots_of(const struct jv *doc, struct imgsnap_list *l)
{
	const struct jv *snaps = jv_get(doc, "snapshots");
	size_t i;

	memset(l, 0, sizeof(*l));
	if (!snaps || snaps->type != JV_ARR || !snaps->nkids)
		return;
	l->s = xcalloc(snaps->nkids, sizeof(*l->s));
	for (i = 0; i < snaps->nkids; i++) {
		const struct jv *o = &snaps->kids[i], *name = jv_get(o, "name"), *id = jv_get(o, "id");
		struct imgsnap *s = &l->s[l->n];

		if (o->type != JV_OBJ || !name || name->type != JV_STR)
			continue;
		str_copy(s->name, name->str, sizeof(s->name));
		str_copy(s->id, id && id->type == JV_STR ? id->str : "", sizeof(s->id));
		s->date_sec = jv_num(o, "date-sec", -1);
		s->vm_state_size = jv_num(o, "vm-state-size", 0);
		s->vm_clock_ms = jv_num(o, "vm-clock-sec", 0) * 1000 + jv_num(o, "vm-clock-nsec", 0) / 1000000;
		l->n++;
	}
}

int imginfo_parse_snapshots(const char *out, struct imgsnap_list *l, char *err, size_t en)
{
	struct jv doc;

	memset(l, 0, sizeof(*l));
	if (!parse_doc(out, &doc) || doc.type != JV_OBJ) {
		snprintf(err, en, "qemu-img's answer could not be read (cut short or not JSON)");
		if (doc.type != JV_NULL)
			jv_free(&doc);
		return -1;
	}
	snapshots_of(&doc, l);
	jv_free(&doc);
	return 0;
}

int imginfo_parse_chain(const char *out, struct imginfo_map *map)
{
	struct jv doc;
	size_t i, n;

	if (!parse_doc(out, &doc) || (doc.type != JV_OBJ && doc.type != JV_ARR)) {
		snprintf(map->why, sizeof(map->why), "qemu-img's answer could not be read (cut short or not JSON)");
		if (doc.type != JV_NULL)
			jv_free(&doc);
		return -1;
	}
	n = doc.type == JV_ARR ? doc.nkids : 1;
	for (i = 0; i < n; i++) {
		const struct jv *o = doc.type == JV_ARR ? &doc.kids[i] : &doc, *fn = jv_get(o, "filename");

		if (!fn || fn->type != JV_STR)
			continue;
		map->f = xrealloc(map->f, (map->n + 1) * sizeof(*map->f));
		map->f[map->n].path = xstrdup(fn->str);
		snapshots_of(o, &map->f[map->n].snaps);
		map->n++;
	}
	jv_free(&doc);
	return 0;
}

const struct imgsnap_list *imginfo_find(const struct imginfo_map *map, const char *path)
{
	size_t i;

	for (i = 0; map && i < map->n; i++)
		if (!strcmp(map->f[i].path, path))
			return &map->f[i].snaps;
	return NULL;
}

void imginfo_map_clear(struct imginfo_map *map)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		free(map->f[i].path);
		imgsnap_list_clear(&map->f[i].snaps);
	}
	free(map->f);
	memset(map, 0, sizeof(*map));
}

bool imgsnap_known(const struct be_snap_list *snaps, const char *path, const char *name)
{
	size_t i, k;

	for (i = 0; i < snaps->n; i++) {
		const struct be_snapshot *s = &snaps->s[i];

		if (strcmp(s->name, name))
			continue;
		if (!s->nfiles)
			return true; /* its files not known: the name is enough */
		for (k = 0; k < s->nfiles; k++)
			if (s->files[k].path && !strcmp(s->files[k].path, path))
				return true;
	}
	return false;
}

const char *imgsnap_line(const struct imgsnap_list *l, const struct be_snap_list *snaps, const char *path, char *buf,
			 size_t n)
{
	size_t i, len = 0;
	char mem[32];

	buf[0] = '\0';
	for (i = 0; i < l->n && len < n; i++) {
		const struct imgsnap *s = &l->s[i];

		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", s->name);
		if (len < n && s->vm_state_size > 0)
			len += (size_t)snprintf(buf + len, n - len, " (%s memory)",
						bytes_human((unsigned long long)s->vm_state_size, mem, sizeof(mem)));
		if (len < n && !imgsnap_known(snaps, path, s->name))
			len += (size_t)snprintf(buf + len, n - len, " [unknown to libvirt]");
	}
	return buf;
}

void imginfo_map_free(struct imginfo_map *map)
{
	if (!map)
		return;
	imginfo_map_clear(map);
	free(map);
}

void imgsnap_list_clear(struct imgsnap_list *l)
{
	free(l->s);
	l->s = NULL;
	l->n = 0;
}

char *imgtool_shell_quote(const char *s)
{
	size_t n = 3, i, k = 0;
	char *q;

	for (i = 0; s[i]; i++)
		n += s[i] == '\'' ? 4 : 1;
	q = xmalloc(n);
	q[k++] = '\'';
	for (i = 0; s[i]; i++) {
		if (s[i] == '\'') {
			memcpy(q + k, "'\\''", 4);
			k += 4;
		} else {
			q[k++] = s[i];
		}
	}
	q[k++] = '\'';
	q[k] = '\0';
	return q;
}

/* Needs no quotes in a shell. */
static bool plain_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_./=:,+@%", *s))
			return false;
	return true;
}

char *imgtool_command_line(const char *const *args)
{
	size_t i, len = 0;
	char *line = xstrdup("");

	for (i = 0; args[i]; i++) {
		char *w = plain_word(args[i]) ? xstrdup(args[i]) : imgtool_shell_quote(args[i]);
		size_t wl = strlen(w);

		line = xrealloc(line, len + wl + 2);
		if (len)
			line[len++] = ' ';
		memcpy(line + len, w, wl + 1);
		len += wl;
		free(w);
	}
	return line;
}

/* %XX decoded, in place. */
static void uri_decode(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*w++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void argv_push(char ***argv, size_t *n, const char *s)
{
	*argv = xrealloc(*argv, (*n + 2) * sizeof(**argv));
	(*argv)[(*n)++] = s ? xstrdup(s) : NULL;
	(*argv)[*n] = NULL;
}

enum imgtool_where imgtool_argv(const char *uri, const char *const *args, char ***argv)
{
	const char *sep = uri ? strstr(uri, "://") : NULL, *auth, *end;
	char scheme[64], host[512] = "", user[256] = "", port[16] = "", keyfile[1024] = "", dest[800];
	size_t i, n = 0;
	char *at, *colon, *q;

	*argv = NULL;
	if (!sep || (size_t)(sep - uri) >= sizeof(scheme)) {
		/* No URI (libvirt's default, here) */
		for (i = 0; args[i]; i++)
			argv_push(argv, &n, args[i]);
		return IMGTOOL_LOCAL;
	}
	memcpy(scheme, uri, (size_t)(sep - uri));
	scheme[sep - uri] = '\0';
	auth = sep + 3;
	end = auth + strcspn(auth, "/?");
	if ((size_t)(end - auth) < sizeof(host)) {
		memcpy(host, auth, (size_t)(end - auth));
		host[end - auth] = '\0';
	}
	if (!strchr(scheme, '+') || !strcmp(strchr(scheme, '+'), "+unix")) {
		if (host[0])
			return IMGTOOL_ELSEWHERE; /* "qemu://host/system" means TLS to host */
		for (i = 0; args[i]; i++)
			argv_push(argv, &n, args[i]);
		return IMGTOOL_LOCAL;
	}
	if (strcmp(strchr(scheme, '+'), "+ssh") || (size_t)(end - auth) >= sizeof(host))
		return IMGTOOL_ELSEWHERE;
	if ((at = strrchr(host, '@'))) {
		*at = '\0';
		str_copy(user, host, sizeof(user));
		memmove(host, at + 1, strlen(at + 1) + 1);
	}
	/* host:port, [v6]:port */
	colon = strrchr(host, ':');
	if (colon && (host[0] != '[' || (colon > strchr(host, ']')))) {
		str_copy(port, colon + 1, sizeof(port));
		*colon = '\0';
	}
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	uri_decode(user);
	if (!host[0])
		str_copy(host, "localhost", sizeof(host));
	if ((q = strchr(uri, '?'))) {
		char query[2048], *save = NULL, *p;

		str_copy(query, q + 1, sizeof(query));
		for (p = strtok_r(query, "&", &save); p; p = strtok_r(NULL, "&", &save))
			if (!strncmp(p, "keyfile=", 8)) {
				str_copy(keyfile, p + 8, sizeof(keyfile));
				uri_decode(keyfile);
			}
	}
	argv_push(argv, &n, "ssh");
	argv_push(argv, &n, "-o");
	argv_push(argv, &n, "BatchMode=yes");
	if (port[0]) {
		argv_push(argv, &n, "-p");
		argv_push(argv, &n, port);
	}
	if (keyfile[0]) {
		argv_push(argv, &n, "-i");
		argv_push(argv, &n, keyfile);
	}
	/* [user@]host; one that starts with '-' would be an option to ssh. */
	snprintf(dest, sizeof(dest), "%s%s%s", user, user[0] ? "@" : "", host);
	if (dest[0] == '-') {
		imgtool_argv_free(*argv);
		*argv = NULL;
		return IMGTOOL_ELSEWHERE;
	}
	argv_push(argv, &n, dest);
	argv_push(argv, &n, "--");
	/* ssh joins its arguments into one line for the remote shell: each
	 * one quoted whole, whatever it holds. */
	for (i = 0; args[i]; i++) {
		char *w = imgtool_shell_quote(args[i]);

		argv_push(argv, &n, w);
		free(w);
	}
	return IMGTOOL_SSH;
}

void imgtool_argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void imgcheck_report_add(struct imgcheck_report *rep, const char *path, const struct imgcheck_result *r)
{
	rep->l = xrealloc(rep->l, (rep->n + 1) * sizeof(*rep->l));
	rep->l[rep->n].path = xstrdup(path);
	rep->l[rep->n].r = *r;
	rep->n++;
}

const struct imgcheck_result *imgcheck_report_find(const struct imgcheck_report *rep, const char *path)
{
	size_t i;

	for (i = rep->n; i-- > 0;)
		if (!strcmp(rep->l[i].path, path))
			return &rep->l[i].r;
	return NULL;
}

void imgcheck_report_clear(struct imgcheck_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		free(rep->l[i].path);
	free(rep->l);
	rep->l = NULL;
	rep->n = 0;
}

void imgcheck_report_free(struct imgcheck_report *rep)
{
	if (!rep)
		return;
	imgcheck_report_clear(rep);
	free(rep);
}
