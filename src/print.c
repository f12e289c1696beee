/* `vmmanager --print VM` (print.h): the VM's snapshot tree and disk chains
 * as plain text; print_json.c writes them as JSON. */
#include "print.h"

#include <stdlib.h>
#include <string.h>

#include "core/imgcheck.h"
#include "core/layer.h"
#include "core/textesc.h"
#include "core/tree.h"
#include "runtime/imgtool.h"
#include "shared/util.h"

/* A field of data (a name, a description, a path, a URI): escaped so that
 * nothing in it can start a line of its own or reach a terminal raw, and
 * reversibly (vmmanager.1 says how). Our own words are written as they are. */
static void field(const char *s, FILE *out)
{
	textesc_fputs(s, TEXTESC_SCRIPT, out);
}

static void put_glyphs(FILE *out, const unsigned char *g, size_t depth, bool ascii)
{
	static const char *const utf8[] = {"   ", "\u2502  ", "\u251c\u2500 ", "\u2514\u2500 "};
	static const char *const plain[] = {"   ", "|  ", "|- ", "`- "};
	size_t i;

	for (i = 0; i < depth; i++)
		fputs((ascii ? plain : utf8)[g[i]], out);
}

void print_failure(FILE *err_out, const char *what, const char *msg)
{
	fputs("vmmanager: ", err_out);
	textesc_fputs(what, TEXTESC_SHOW, err_out);
	fputs(": ", err_out);
	textesc_fputs(msg, TEXTESC_SHOW, err_out);
	fputc('\n', err_out);
}

struct tree_node *print_snap_nodes(const struct be_snap_list *l)
{
	struct tree_node *nodes = xcalloc(l->n ? l->n : 1, sizeof(*nodes));
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		nodes[i].parent = TREE_NONE;
		nodes[i].order = l->s[i].ctime;
		for (j = 0; l->s[i].parent && j < l->n; j++)
			if (!strcmp(l->s[j].name, l->s[i].parent))
				nodes[i].parent = j;
	}
	return nodes;
}

static void print_snapshots(const struct be_snap_list *l, bool ascii, FILE *out)
{
	struct tree_node *nodes = print_snap_nodes(l);
	struct tree_layout t;
	size_t i;

	tree_layout_build(&t, nodes, l->n, NULL);
	fprintf(out, "Snapshots (%zu):\n", l->n);
	if (!l->n)
		fputs("  (none)\n", out);
	for (i = 0; i < t.n; i++) {
		const struct be_snapshot *s = &l->s[t.rows[i].node];
		char when[32];

		time_text(s->ctime, "%Y-%m-%d %H:%M", when, sizeof(when));
		put_glyphs(out, t.rows[i].glyphs, t.rows[i].depth, ascii);
		field(s->name, out);
		fprintf(out, "  [%s, ", when);
		field(s->state, out);
		fprintf(out, ", %s, %s, %s]%s", s->memory ? "memory" : "disk only", s->external ? "external" : "internal",
			be_snap_kind_name(be_snap_kind(s)), s->current ? " (current)" : "");
		if (s->description[0]) {
			fputs("  \"", out);
			field(s->description, out);
			fputc('"', out);
		}
		fputc('\n', out);
	}
	tree_layout_free(&t);
	free(nodes);
}

static void print_disks(const struct be_disk_list *l, const struct be_snap_list *snaps,
			const struct imginfo_map *inside, bool ascii, FILE *out)
{
	const struct imgsnap_list *in;
	unsigned char g[64];
	char buf[128];
	const char *note;
	size_t i, j;

	fprintf(out, "Disks (%zu):\n", l->n);
	for (i = 0; i < l->n; i++) {
		const struct be_disk *d = &l->d[i];
		char *target = textesc_dup(d->target, TEXTESC_SCRIPT), marks[64];

		/* A CD-ROM, a read-only or shareable disk says so first. */
		if (layer_disk_marks(d, marks, sizeof(marks))[0])
			snprintf(buf, sizeof(buf), "[%s] ", marks);
		else
			buf[0] = '\0';
		for (j = 0; j < d->nlayers; j++) {
			char *what = layer_label_dup(&d->layers[j]); /* paths print whole */

			if (j == 0) {
				fprintf(out, "%-5s %s", target, buf);
			} else {
				memset(g, TG_BLANK, sizeof(g));
				g[(j < sizeof(g) ? j : sizeof(g)) - 1] = TG_ELBOW;
				fputs("      ", out);
				put_glyphs(out, g, j < sizeof(g) ? j : sizeof(g), ascii);
			}
			field(what, out);
			fputc('\n', out);
			free(what);
			/* The snapshots stored inside the file, where qemu-img
			 * could read it. */
			if ((in = imginfo_find(inside, d->layers[j].path)) && in->n) {
				char *line = xmalloc(in->n * 400 + 1);

				fprintf(out, "      %*s  snapshots inside: ", (int)(j * 3), "");
				field(imgsnap_line(in, snaps, d->layers[j].path, line, in->n * 400 + 1), out);
				fputc('\n', out);
				free(line);
			}
		}
		if (!d->nlayers)
			fprintf(out, "%-5s %s%s\n", target, buf, layer_end_note(d, buf, sizeof(buf)));
		else if ((note = layer_end_note(d, buf, sizeof(buf))))
			fprintf(out, "      %s\n", note);
		free(target);
	}
}

int print_vm(struct be_conn *c, const char *vm, bool ascii, FILE *out, FILE *err_out)
{
	struct be_snap_list snaps = {0};
	struct be_disk_list disks = {0};
	struct imginfo_map inside = {0};
	struct be_error err = {0};

	if (be_vm_view(c, vm, &snaps, &disks, &err) < 0) {
		print_failure(err_out, vm, err.msg);
		return 1;
	}
	fputs("VM ", out);
	field(vm, out);
	fputs(" on ", out);
	field(be_uri(c), out);
	fputc('\n', out);
	print_snapshots(&snaps, ascii, out);
	imgtool_info(c, &disks, &inside);
	print_disks(&disks, &snaps, &inside, ascii, out);
	imginfo_map_clear(&inside);
	be_snap_list_clear(&snaps);
	be_disk_list_clear(&disks);
	return 0;
}
