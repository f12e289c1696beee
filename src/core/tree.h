/* Trees as data: nodes with a parent index, laid out into rows of glyph
 * codes by a pure function. The UI maps the codes to UTF-8, ACS or ASCII
 * line characters; the same code lays out snapshot trees, backing chains
 * and shared-base trees. */
#ifndef VMM_TREE_H
#define VMM_TREE_H

#include <stdbool.h>
#include <stddef.h>

#define TREE_NONE ((size_t)-1)

struct tree_node {
	size_t parent;   /* index of the parent, or TREE_NONE for a root */
	long long order; /* siblings are laid out by this, then by index */
};

enum tree_glyph {
	TG_BLANK, /* "  " no line here */
	TG_VERT,  /* "│ " an ancestor's later sibling continues below */
	TG_TEE,   /* "├─" this node, more siblings follow */
	TG_ELBOW, /* "└─" this node, the last of its siblings */
};

struct tree_row {
	size_t node;
	size_t depth;
	const unsigned char *glyphs; /* depth codes, enum tree_glyph */
	size_t children;
	bool collapsed; /* has children that are hidden */
};

struct tree_layout {
	struct tree_row *rows;
	size_t n;
	unsigned char *pool; /* the rows' glyphs */
	size_t *descendants; /* per node */
	size_t *row_of;      /* per node: its row, or TREE_NONE when hidden */
	size_t nodes;        /* how many nodes were laid out */
};

/* Lays out n nodes. collapsed (may be NULL) hides a node's subtree. A node
 * whose parent is out of range, or that sits on a cycle, is a root. The
 * caller frees out with tree_layout_free. */
void tree_layout_build(struct tree_layout *out, const struct tree_node *nodes, size_t n, const bool *collapsed);
void tree_layout_free(struct tree_layout *l);

/* The row showing node, or TREE_NONE when it is hidden. A node's subtree,
 * when shown, is the run of rows after it that are deeper than it. */
size_t tree_layout_find(const struct tree_layout *l, size_t node);

#endif
