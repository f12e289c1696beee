/* The core's shared state: struct app, which every module's state is a
 * part of, and the small helpers every module needs (the status line,
 * hosts and VMs looked up, the list height). It calls nothing above it. */
#ifndef VMM_STATE_H
#define VMM_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"
#include "core/cmd.h"
#include "core/listpos.h"
#include "core/msglog.h"
#include "core/screen.h"
/* The state of each module that struct app holds: their types only (each
 * module's .c says by its includes which modules it calls). */
#include "core/dialog.h"
#include "core/hosts.h"
#include "core/images.h"
#include "core/imgcheck.h"
#include "core/jobs.h"
#include "core/snapview.h"
#include "core/vmlist.h"

/* The smallest terminal the screens are drawn in; below it the UI shows a
 * one-line notice. */
#define APP_MIN_COLS 40
#define APP_MIN_ROWS 10
/* Lines every screen spends on title, header and status. */
#define APP_CHROME_ROWS 3

struct app {
	struct host *hosts;
	size_t nhosts;
	char local_host[64]; /* this machine's name */
	struct be_vm_list vms;
	size_t *rows; /* indices into vms, filtered and sorted */
	size_t nrows;
	struct listpos list_pos; /* of rows */
	enum sort_col sort;
	char filter[256];
	bool filtering; /* typing into the filter */

	enum app_screen screen;
	enum app_screen help_return;
	enum scope help_from;
	struct listpos help_pos; /* a pager: sel is its first line shown */

	struct snapview sv;

	struct images images; /* the images screen */
	struct listpos img_pos;
	bool img_loading, img_loaded;

	struct imgcheck_report checks; /* every integrity check's results (K) */
	struct imginfo_map imginfo;    /* what the VM screen's files hold */
	bool imginfo_reading;          /* asked (CMD_LOAD_IMGINFO), not yet known */

	struct job *jobs;
	size_t njobs;
	int next_job;
	struct listpos jobs_pos;

	struct dialog dlg;
	struct dialog dlg_next; /* a question that arrived while dlg was open */
	bool answering;         /* inside a dialog's key handler */
	long long dlg_guard_ms; /* keys before this time do not answer dlg */
	long long status_ms;    /* when status was set */
	char status[512];
	bool status_error;
	struct msglog log;         /* every status message, whole */
	struct listpos log_pos;    /* a pager: sel is its first row shown */
	bool log_end;              /* the log screen follows its end */
	enum app_screen log_return;

	int img_host;      /* the host the images screen shows */
	/* U pressed before img_host's images were read: the VM (its UUID)
	 * whose question opens once they are, unless a key came first. */
	char delete_waits[37];
	bool loading;      /* a list load is in flight */
	bool loaded;       /* at least one list has arrived */

	long long now_ms, wall;
	int term_rows, term_cols;
	bool redraw;      /* something changed: draw again */
	bool full_redraw; /* clear the terminal and draw everything */
	bool quit;
	/* Runs after each status message (app_init sets it): the log screen
	 * keeps up with the log, and the state calls nothing above it. */
	void (*on_status)(struct app *a);
};

/* Says msg on the status line and keeps it whole in the message log;
 * error marks it as one. */
void state_set_status(struct app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Rows the list area of a screen shows at the current size. */
size_t state_list_height(const struct app *a);
const struct be_vm *state_find_vm(const struct app *a, int host, const char *name);
/* The host of index h, or NULL. */
const struct host *state_host(const struct app *a, int h);
/* A host's display name ("" when out of range). */
const char *state_host_name(const struct app *a, int h);
const char *state_host_state_name(enum host_state s);
const char *state_vm_state_name(enum be_vm_state s);
/* Refuses a change on host h (read-only, down, not answering) with the
 * reason; true when changes may go there. */
bool state_host_writable(struct app *a, int h);
/* False, with the reason in the status line, for a name longer than they
 * carry: cut short, it could address another VM or snapshot. kind: "VM"
 * or "snapshot". */
bool state_name_fits(struct app *a, const char *kind, const char *name);
/* Why libvirt would refuse name for a new snapshot of vm (empty, too
 * long, '/', control characters, or one the VM shown has already), with
 * buf (of size n) for a message of its own; NULL when it is fine. */
const char *state_bad_snap_name(const struct app *a, int host, const char *vm, const char *name, char *buf, size_t n);
/* The UUID of VM vm of host as the user selected it: the VM screen's, or
 * the list's; "" when it is not known. */
const char *state_vm_uuid(const struct app *a, int host, const char *vm);
/* Re-reads the VM list of host (-1: of every host), with every VM's
 * details when all. */
void state_load_vms(struct app *a, int host, struct cmds *out, bool all);

#endif
