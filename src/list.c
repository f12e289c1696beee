/* `vmmanager --list` (list.h): every host's VMs, read at once, printed as
 * aligned text or JSON. */
#include "list.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "backend/backend.h"
#include "core/app.h"
#include "core/json.h"
#include "core/textesc.h"
#include "core/utf8.h"
#include "shared/util.h"
#include "print.h"

struct host_read {
	const struct list_host *h;
	struct be_vm_list vms;
	struct be_error err;
	char uri[1024]; /* libvirt's canonical one once connected */
	int rc;
};

/* A VM gone meanwhile keeps its unknowns (-1). */
static void detail_done(void *ctx, size_t i, bool ok)
{
	(void)ctx;
	(void)i;
	(void)ok;
}

/* The screen's order (the worker's): case folded first, then bytes. */
static int by_name(const void *a, const void *b)
{
	const char *x = ((const struct be_vm *)a)->name, *y = ((const struct be_vm *)b)->name;
	int c = strcasecmp(x, y);

	return c ? c : strcmp(x, y);
}

static void read_host(void *ctx, size_t i)
{
	struct host_read *r = &((struct host_read *)ctx)[i];
	struct be_conn *c = be_open(r->h->uri[0] ? r->h->uri : NULL, r->h->readonly, &r->err);

	r->rc = -1;
	if (!c)
		return;
	str_copy(r->uri, be_uri(c), sizeof(r->uri));
	if (be_list_vms(c, &r->vms, &r->err) == 0) {
		be_vms_details(c, r->vms.vms, r->vms.n, detail_done, NULL);
		qsort(r->vms.vms, r->vms.n, sizeof(*r->vms.vms), by_name);
		r->rc = 0;
	}
	be_close(c);
}

/* A name for scripts: the machine's word, not the screen's. */
static const char *state_word(enum be_vm_state s)
{
	switch (s) {
	case BE_VM_RUNNING: return "running";
	case BE_VM_PAUSED: return "paused";
	case BE_VM_SHUTOFF: return "shutoff";
	case BE_VM_SAVED: return "saved";
	case BE_VM_CRASHED: return "crashed";
	case BE_VM_PMSUSPENDED: return "pmsuspended";
	case BE_VM_OTHER: break;
	}
	return "other";
}

static void write_json(const struct host_read *r, size_t n, FILE *out)
{
	struct json j;
	size_t h, i;

	json_start(&j, out);
	json_open(&j, '{');
	json_kint(&j, "version", PRINT_JSON_VERSION);
	json_key(&j, "hosts");
	json_open(&j, '[');
	for (h = 0; h < n; h++) {
		json_open(&j, '{');
		json_kstr(&j, "host", r[h].h->name);
		json_kstr(&j, "uri", r[h].uri[0] ? r[h].uri : r[h].h->uri);
		json_kstr(&j, "error", r[h].rc < 0 ? r[h].err.msg : NULL);
		json_key(&j, "vms");
		json_open(&j, '[');
		for (i = 0; i < r[h].vms.n; i++) {
			const struct be_vm *v = &r[h].vms.vms[i];

			json_open(&j, '{');
			json_kstr(&j, "name", v->name);
			json_kstr(&j, "uuid", v->uuid[0] ? v->uuid : NULL);
			json_kstr(&j, "state", state_word(v->state));
			json_knum(&j, "snapshots", v->nsnap);
			json_knum(&j, "chain_depth", v->chain_depth);
			json_knum(&j, "vcpus", v->vcpus);
			json_knum(&j, "memory_kib", v->mem_kib);
			json_close(&j, '}');
		}
		json_close(&j, ']');
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_close(&j, '}');
	json_finish(&j);
}

enum { C_HOST, C_NAME, C_STATE, C_SNAPS, C_CHAIN, C_VCPU, C_MEM, NCOLS };

/* Columns a field takes on a terminal of the locale: two for a wide
 * (CJK) character; one for any other or where the locale cannot say
 * (escaped text is printable). */
static size_t width(const char *s)
{
	size_t i = 0, n = strlen(s), w = 0, k;
	uint32_t cp;
	int cw;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		i += k ? k : 1;
		cw = k ? wcwidth((wchar_t)cp) : -1;
		w += cw >= 0 ? (size_t)cw : 1;
	}
	return w;
}

static void cell(char **row, int col, long long v)
{
	char buf[32];

	if (v < 0)
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%lld", v);
	row[col] = xstrdup(buf);
}

static void write_text(const struct host_read *r, size_t n, FILE *out)
{
	static const char *const head[NCOLS] = {"HOST", "NAME", "STATE", "SNAPS", "CHAIN", "VCPU", "MEMORY"};
	static const bool right[NCOLS] = {false, false, false, true, true, true, true};
	size_t rows = 1, h, i, k = 0, w[NCOLS] = {0};
	char ***t, mem[32];
	int c;

	for (h = 0; h < n; h++)
		rows += r[h].vms.n;
	t = xcalloc(rows, sizeof(*t));
	t[k] = xcalloc(NCOLS, sizeof(**t));
	for (c = 0; c < NCOLS; c++)
		t[k][c] = xstrdup(head[c]);
	for (h = 0; h < n; h++)
		for (i = 0; i < r[h].vms.n; i++) {
			const struct be_vm *v = &r[h].vms.vms[i];
			char **row = t[++k] = xcalloc(NCOLS, sizeof(**t));

			/* Names are data: escaped, one line each (as --print). */
			row[C_HOST] = textesc_dup(r[h].h->name, TEXTESC_SCRIPT);
			row[C_NAME] = textesc_dup(v->name, TEXTESC_SCRIPT);
			row[C_STATE] = xstrdup(state_vm_state_name(v->state)); /* as the VM list */
			cell(row, C_SNAPS, v->nsnap);
			cell(row, C_CHAIN, v->chain_depth);
			cell(row, C_VCPU, v->vcpus);
			row[C_MEM] = xstrdup(v->mem_kib < 0 ? "-"
							   : bytes_human((unsigned long long)v->mem_kib * 1024, mem, sizeof(mem)));
		}
	for (k = 0; k < rows; k++)
		for (c = 0; c < NCOLS; c++)
			if (width(t[k][c]) > w[c])
				w[c] = width(t[k][c]);
	for (k = 0; k < rows; k++) {
		for (c = 0; c < NCOLS; c++) {
			size_t pad = w[c] - width(t[k][c]), p;

			if (right[c])
				for (p = 0; p < pad; p++)
					fputc(' ', out);
			fputs(t[k][c], out);
			if (c + 1 < NCOLS)
				for (p = 0; p < (right[c] ? 0 : pad) + 2; p++)
					fputc(' ', out);
			free(t[k][c]);
		}
		fputc('\n', out);
		free(t[k]);
	}
	free(t);
}

int list_vms(const struct list_host *hosts, size_t n, bool json, FILE *out, FILE *err_out)
{
	struct host_read *r = xcalloc(n ? n : 1, sizeof(*r));
	size_t h;
	int rc = 0;

	for (h = 0; h < n; h++)
		r[h].h = &hosts[h];
	/* At once: one slow host costs its own time, not the others'. */
	parallel_for(n, n ? n : 1, read_host, r);
	for (h = 0; h < n; h++)
		if (r[h].rc < 0) {
			print_failure(err_out, hosts[h].name, r[h].err.msg);
			rc = 1;
		}
	if (json)
		write_json(r, n, out);
	else
		write_text(r, n, out);
	for (h = 0; h < n; h++)
		be_vm_list_clear(&r[h].vms);
	free(r);
	return rc;
}
