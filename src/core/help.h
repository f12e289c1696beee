/* The help screen (help_screen, screen.h): its lines, and opening it over
 * a screen. */
#ifndef VMM_HELP_H
#define VMM_HELP_H

#include <stddef.h>

struct app;

/* The help screen's lines: the bindings of the screen help was opened
 * from, then those that work everywhere, then the answers to questions,
 * then the snapshot kinds. */
size_t help_count(const struct app *a);
/* Line i of the help screen: a key and its text, or (key "") a heading
 * naming the scope of the lines below it. */
void help_line(const struct app *a, size_t i, char *key, size_t keyn, const char **text);
/* The four kinds of snapshot (the s form's Kind field), one row each: its
 * short name and its cells in the order of help_kinds_heading: where it
 * keeps its data, what it captures, what reverting costs, whether libvirt
 * 9.0 reverts it by itself. --help and the help screen show these rows;
 * README.md and vmmanager.1 must say the same (tests/docs.sh). */
#define HELP_KINDS 4
#define HELP_KIND_CELLS 4
const char *help_kind_name(size_t i);
const char *help_kind(size_t i, size_t cell);
extern const char help_kinds_heading[];
/* Shows the keys of the screen shown now. */
void help_open(struct app *a);

#endif
