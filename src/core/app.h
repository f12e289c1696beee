/* The core state machine: app_handle(state, event) -> (state, commands).
 * No curses, no libvirt: the UI draws from struct app, the runner carries
 * out the commands on a worker. */
#ifndef VMM_APP_H
#define VMM_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/backend.h"
#include "core/event.h"
#include "core/keymap.h"

enum app_screen {
	SCREEN_VMLIST,
	SCREEN_HELP,
};

enum sort_col {
	SORT_NAME,
	SORT_STATE,
	SORT_SNAPSHOTS,
	SORT_CHAIN,
	SORT_VCPUS,
	SORT_MEMORY,
	SORT_COUNT,
};

/* The smallest terminal the screens are drawn in; below it the UI shows a
 * one-line notice. */
#define APP_MIN_COLS 40
#define APP_MIN_ROWS 10
/* Lines the VM list screen spends on title, header and status. */
#define APP_CHROME_ROWS 3

struct confirm {
	bool open;
	enum be_action act;
	char vm[256];
	char text[512];
};

struct app {
	struct be_vm_list vms;
	size_t *rows; /* indices into vms, filtered and sorted */
	size_t nrows;
	size_t sel; /* index into rows */
	size_t top; /* first visible row */
	enum sort_col sort;
	char filter[256];
	bool filtering; /* typing into the filter */

	enum app_screen screen;
	enum scope help_from;
	size_t help_top;

	struct confirm confirm;
	char status[512];
	bool status_error;

	char host[256];
	char uri[512];
	bool readonly;
	bool loading;      /* a list load is in flight */
	bool loaded;       /* at least one list has arrived */
	bool disconnected;

	int term_rows, term_cols;
	bool redraw;      /* something changed: draw again */
	bool full_redraw; /* clear the terminal and draw everything */
	bool quit;
};

void app_init(struct app *a, const char *uri, const char *host, bool readonly);
void app_free(struct app *a);

/* Handles ev and appends what must happen next to out. Takes what ev
 * owns (its list); the caller still frees ev. */
void app_handle(struct app *a, struct event *ev, struct cmds *out);

/* The VM on row i of the list, or NULL. */
const struct be_vm *app_row_vm(const struct app *a, size_t i);
const struct be_vm *app_selected(const struct app *a);

/* Rows the VM list shows at the current size. */
size_t app_list_height(const struct app *a);

/* The help screen's lines: one per binding of the screen help was opened
 * from, then the bindings that work everywhere. */
size_t app_help_count(const struct app *a);
/* Fills key (e.g. "j, Down") and text of help line i. */
void app_help_line(const struct app *a, size_t i, char *key, size_t keyn, const char **text);

const char *app_state_name(enum be_vm_state s);
const char *app_sort_name(enum sort_col c);

#endif
