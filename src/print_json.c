/* `vmmanager --print VM --json`: the VM's snapshot tree, its disks' chains
 * and what each layer holds, as one JSON document (vmmanager.1 documents
 * it field by field; "version" changes only when a field changes
 * meaning or goes). */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/tree.h"
#include "shared/util.h"
#include "print.h"

static const char *src_type_name(enum be_src_type t)
{
	switch (t) {
	case BE_SRC_FILE: return "file";
	case BE_SRC_BLOCK: return "block";
	case BE_SRC_VOLUME: return "volume";
	case BE_SRC_NETWORK: return "network";
	case BE_SRC_DIR: return "dir";
	case BE_SRC_OTHER: break;
	}
	return "other";
}

static const char *chain_end(enum be_chain_end e)
{
	switch (e) {
	case BE_END_COMPLETE: return "complete";
	case BE_END_LOOP: return "loop";
	case BE_END_MISSING: return "missing";
	case BE_END_CUT: return "cut";
	case BE_END_UNKNOWN: break;
	}
	return "unknown";
}

/* The snapshots in the order of the tree (parents before children,
 * siblings by creation time), each with its children by name. */
static void snapshots(struct json *j, const struct be_snap_list *l)
{
	struct tree_node *nodes = print_snap_nodes(l);
	struct tree_layout t;
	size_t k, r;

	tree_layout_build(&t, nodes, l->n, NULL);
	json_key(j, "snapshots");
	json_open(j, '[');
	for (r = 0; r < t.n; r++) {
		const struct be_snapshot *s = &l->s[t.rows[r].node];

		json_open(j, '{');
		json_kstr(j, "name", s->name);
		json_kstr(j, "parent", s->parent);
		json_key(j, "children");
		json_open(j, '[');
		for (k = 0; k < t.n; k++)
			if (nodes[t.rows[k].node].parent == t.rows[r].node)
				json_str(j, l->s[t.rows[k].node].name);
		json_close(j, ']');
		json_kstr(j, "description", s->description);
		json_kint(j, "created", s->ctime);
		json_kstr(j, "state", s->state);
		json_kbool(j, "memory", s->memory);
		json_kbool(j, "external", s->external);
		json_kstr(j, "kind", be_snap_kind_name(be_snap_kind(s)));
		json_kstr(j, "memfile", s->memfile);
		json_kbool(j, "current", s->current);
		json_key(j, "files");
		json_open(j, '[');
		for (k = 0; k < s->nfiles; k++) {
			json_open(j, '{');
			json_kstr(j, "disk", s->files[k].disk);
			json_kstr(j, "path", s->files[k].path);
			json_kbool(j, "external", s->files[k].external);
			json_kstr(j, "overlay", s->files[k].overlay);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_close(j, '}');
	}
	json_close(j, ']');
	tree_layout_free(&t);
	free(nodes);
}

/* "mon1:6789,mon2" as a list. */
static void hosts(struct json *j, const char *list)
{
	const char *p = list, *comma;

	json_open(j, '[');
	while (p && *p) {
		char *one;

		comma = strchr(p, ',');
		one = comma ? strndup(p, (size_t)(comma - p)) : xstrdup(p);
		json_str(j, one);
		free(one);
		p = comma ? comma + 1 : NULL;
	}
	json_close(j, ']');
}

/* What a layer holds: the snapshots whose disk state lives in it. */
static void held(struct json *j, const struct be_snap_list *snaps, const char *disk, const char *path)
{
	size_t i, k;

	json_key(j, "snapshots");
	json_open(j, '[');
	for (i = 0; i < snaps->n; i++)
		for (k = 0; k < snaps->s[i].nfiles; k++) {
			const struct be_snap_file *f = &snaps->s[i].files[k];

			if (strcmp(f->path, path) || strcmp(f->disk, disk))
				continue;
			json_open(j, '{');
			json_kstr(j, "name", snaps->s[i].name);
			json_kbool(j, "external", f->external);
			json_close(j, '}');
		}
	json_close(j, ']');
}

static void layer(struct json *j, const struct be_layer *l, const struct be_snap_list *snaps, const char *disk)
{
	json_open(j, '{');
	json_kstr(j, "path", l->path);
	json_kstr(j, "type", src_type_name(l->type));
	json_kstr(j, "format", l->format[0] ? l->format : NULL);
	json_knum(j, "capacity", l->in_pool ? l->capacity : -1);
	json_knum(j, "allocation", l->in_pool ? l->allocation : -1);
	json_kbool(j, "in_pool", l->in_pool);
	json_kbool(j, "missing", l->missing);
	if (l->type == BE_SRC_VOLUME) {
		json_kstr(j, "pool", l->pool);
		json_kstr(j, "volume", l->volume);
		json_kstr(j, "pool_type", l->pool_type && l->pool_type[0] ? l->pool_type : NULL);
		json_kbool(j, "file", l->volume_file);
	} else if (l->type == BE_SRC_NETWORK) {
		json_kstr(j, "protocol", l->protocol);
		json_kstr(j, "name", l->name);
		json_key(j, "hosts");
		hosts(j, l->hosts);
	}
	held(j, snaps, disk, l->path);
	json_close(j, '}');
}

static void disks(struct json *j, const struct be_disk_list *l, const struct be_snap_list *snaps)
{
	size_t i, k;

	json_key(j, "disks");
	json_open(j, '[');
	for (i = 0; i < l->n; i++) {
		const struct be_disk *d = &l->d[i];

		json_open(j, '{');
		json_kstr(j, "target", d->target);
		json_kstr(j, "device", be_device_name(d->device));
		json_kstr(j, "type", src_type_name(d->type));
		json_kbool(j, "readonly", d->readonly);
		json_kbool(j, "shareable", d->shareable);
		json_kstr(j, "chain_end", d->nlayers ? chain_end(d->end) : "complete");
		if (d->nlayers && d->end == BE_END_LOOP) {
			json_kint(j, "loop_to", (long long)d->loop_to);
		}
		json_key(j, "layers");
		json_open(j, '[');
		for (k = 0; k < d->nlayers; k++)
			layer(j, &d->layers[k], snaps, d->target);
		json_close(j, ']');
		json_close(j, '}');
	}
	json_close(j, ']');
}

int print_vm_json(struct be_conn *c, const char *vm, FILE *out, FILE *err_out)
{
	struct be_snap_list snaps = {0};
	struct be_disk_list dl = {0};
	struct be_error err = {0};
	struct json j;

	if (be_vm_view(c, vm, &snaps, &dl, &err) < 0) {
		print_failure(err_out, vm, err.msg);
		return 1;
	}
	json_start(&j, out);
	json_open(&j, '{');
	json_kint(&j, "version", PRINT_JSON_VERSION);
	json_kstr(&j, "uri", be_uri(c));
	json_kstr(&j, "vm", vm);
	snapshots(&j, &snaps);
	disks(&j, &dl, &snaps);
	json_close(&j, '}');
	json_finish(&j);
	be_snap_list_clear(&snaps);
	be_disk_list_clear(&dl);
	return 0;
}
