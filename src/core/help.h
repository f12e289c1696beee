/* The help screen (help_screen, screen.h): its lines, and opening it over
 * a screen. */
#ifndef VMM_HELP_H
#define VMM_HELP_H

#include <stddef.h>

struct app;

/* The help screen's lines: the bindings of the screen help was opened
 * from, then those that work everywhere, then the answers to questions. */
size_t help_count(const struct app *a);
/* Line i of the help screen: a key and its text, or (key "") a heading
 * naming the scope of the lines below it. */
void help_line(const struct app *a, size_t i, char *key, size_t keyn, const char **text);
/* Shows the keys of the screen shown now. */
void help_open(struct app *a);

#endif
