/* Tree layout (tree.h): nodes with a parent index laid out into rows of
 * glyph codes. */
#include "core/tree.h"

#include <stdlib.h>
#include <string.h>

#include "shared/util.h"

static const struct tree_node *sort_nodes; /* qsort has no context */

static int cmp_children(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct tree_node *nx = &sort_nodes[x], *ny = &sort_nodes[y];

	if (nx->order != ny->order)
		return nx->order < ny->order ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The effective parent: TREE_NONE for roots, for bad indexes and for
 * nodes on a cycle (found by walking up at most n steps). */
static size_t *effective_parents(const struct tree_node *nodes, size_t n)
{
	size_t *par = xcalloc(n, sizeof(*par));
	unsigned char *state = xcalloc(n, 1); /* 0 new, 1 on path, 2 done */
	size_t *path = xcalloc(n, sizeof(*path));
	size_t i;

	for (i = 0; i < n; i++)
		par[i] = nodes[i].parent < n && nodes[i].parent != i ? nodes[i].parent : TREE_NONE;
	for (i = 0; i < n; i++) {
		size_t len = 0, v = i;

		while (v != TREE_NONE && state[v] == 0) {
			state[v] = 1;
			path[len++] = v;
			v = par[v];
		}
		if (v != TREE_NONE && state[v] == 1)
			par[v] = TREE_NONE; /* break the cycle at the node met again */
		while (len)
			state[path[--len]] = 2;
	}
	free(state);
	free(path);
	return par;
}

void tree_layout_build(struct tree_layout *out, const struct tree_node *nodes, size_t n, const bool *collapsed)
{
	size_t *par = effective_parents(nodes, n);
	size_t *kids = xcalloc(n, sizeof(*kids)); /* children, grouped per parent */
	size_t *first = xcalloc(n + 1, sizeof(*first)), *count = xcalloc(n + 1, sizeof(*count));
	size_t *stack = xcalloc(n, sizeof(*stack)), *depth = xcalloc(n, sizeof(*depth));
	unsigned char *last = xcalloc(n, 1);
	unsigned char *line = xcalloc(n + 1, 1); /* glyphs of the current path */
	size_t *off = xcalloc(n, sizeof(*off));  /* each row's glyphs in pool */
	size_t *order = xcalloc(n, sizeof(*order)); /* parents before children */
	size_t i, sp = 0, pool_len = 0, cap = 64, no = 0;

	memset(out, 0, sizeof(*out));
	out->rows = xcalloc(n, sizeof(*out->rows));
	out->descendants = xcalloc(n, sizeof(*out->descendants));
	out->row_of = xmalloc((n ? n : 1) * sizeof(*out->row_of));
	out->nodes = n;
	for (i = 0; i < n; i++)
		out->row_of[i] = TREE_NONE;
	out->pool = xmalloc(cap);
	/* Group children by parent (roots under slot n), in order. */
	for (i = 0; i < n; i++)
		count[par[i] == TREE_NONE ? n : par[i]]++;
	for (i = 1; i <= n; i++)
		first[i] = first[i - 1] + count[i - 1];
	memset(count, 0, (n + 1) * sizeof(*count));
	for (i = 0; i < n; i++) {
		size_t p = par[i] == TREE_NONE ? n : par[i];

		kids[first[p] + count[p]++] = i;
	}
	sort_nodes = nodes;
	for (i = 0; i <= n; i++)
		if (count[i] > 1)
			qsort(kids + first[i], count[i], sizeof(*kids), cmp_children);
	sort_nodes = NULL;
	/* Descendant counts in linear time, summed from the children up, so
	 * that a 2000-deep chain costs what a flat list does. */
	for (i = 0; i < count[n]; i++)
		stack[sp++] = kids[first[n] + i];
	while (sp) {
		size_t v = stack[--sp];

		order[no++] = v;
		for (i = 0; i < count[v]; i++)
			stack[sp++] = kids[first[v] + i];
	}
	while (no) {
		size_t v = order[--no];

		if (par[v] != TREE_NONE)
			out->descendants[par[v]] += out->descendants[v] + 1;
	}
	/* Depth-first, pushing children in reverse so they pop in order. */
	for (i = count[n]; i-- > 0;) {
		stack[sp++] = kids[first[n] + i];
		last[kids[first[n] + i]] = i == count[n] - 1;
	}
	while (sp) {
		size_t v = stack[--sp], d = par[v] == TREE_NONE ? 0 : depth[par[v]] + 1;
		struct tree_row *r = &out->rows[out->n++];

		depth[v] = d;
		/* Roots stand alone: their glyph column is not drawn. */
		if (d > 0)
			line[d] = last[v] ? TG_ELBOW : TG_TEE;
		if (pool_len + d + 1 > cap) {
			while (pool_len + d + 1 > cap)
				cap *= 2;
			out->pool = xrealloc(out->pool, cap);
		}
		memcpy(out->pool + pool_len, line + 1, d);
		r->node = v;
		r->depth = d;
		out->row_of[v] = out->n - 1;
		off[out->n - 1] = pool_len;
		pool_len += d;
		r->children = count[v];
		r->collapsed = collapsed && collapsed[v] && count[v] > 0;
		/* Below this node its own column continues only if siblings follow. */
		if (d > 0)
			line[d] = last[v] ? TG_BLANK : TG_VERT;
		if (r->collapsed)
			continue;
		for (i = count[v]; i-- > 0;) {
			stack[sp++] = kids[first[v] + i];
			last[kids[first[v] + i]] = i == count[v] - 1;
		}
	}
	for (i = 0; i < out->n; i++)
		out->rows[i].glyphs = out->pool + off[i];
	free(par);
	free(kids);
	free(first);
	free(count);
	free(stack);
	free(depth);
	free(last);
	free(line);
	free(off);
	free(order);
}

void tree_layout_free(struct tree_layout *l)
{
	if (!l)
		return;
	free(l->rows);
	free(l->pool);
	free(l->descendants);
	free(l->row_of);
	memset(l, 0, sizeof(*l));
}

size_t tree_layout_find(const struct tree_layout *l, size_t node)
{
	return node < l->nodes ? l->row_of[node] : TREE_NONE;
}
