/* The core state machine: app_handle(state, event) -> (state, commands).
 * No curses, no libvirt: the UI draws from struct app, the runner carries
 * out the commands on workers. */
#ifndef VMM_APP_H
#define VMM_APP_H

#include "core/state.h"

/* With uri set, the app starts with that one host, connected, named
 * host; with NULL, with none (hosts_add). */
void app_init(struct app *a, const char *uri, const char *host, bool readonly);
/* This machine's name, for hosts on local URIs; before hosts_add. */
void hosts_set_local(struct app *a, const char *name);
/* Adds a host, not yet connected; returns its index. name may be NULL. */
int hosts_add(struct app *a, const char *name, const char *uri, bool readonly);
void app_free(struct app *a);

/* Handles ev and appends what must happen next to out. Takes what ev
 * owns (its lists); the caller still frees ev. */
void app_handle(struct app *a, struct event *ev, struct cmds *out);

/* True while a job runs: the runner then sends EV_TICK a few times a
 * second. */
bool app_wants_tick(const struct app *a);
/* True while a job runs or waits for its pivot. */
bool jobs_any_active(const struct app *a);

/* The selected snapshot of the VM screen, or NULL. */
const struct be_snapshot *snapview_selected(const struct app *a);

/* Internal to the core: the parts of the state machine in other files. */
void images_open(struct app *a, int host, struct cmds *out);
/* Reads host's images behind the screen (for the chain pane's checks). */
void images_load(struct app *a, int host, struct cmds *out);
void images_loaded(struct app *a, struct event *ev);
const struct image_node *images_selected(const struct app *a);
void lifecycle_request(struct app *a, int host, const char *vm, enum request req, struct cmds *out);
void lifecycle_done(struct app *a, struct event *ev, struct cmds *out);
/* Refuses a change of vm with the reason (read-only, gone, busy, a name
 * too long), or returns the VM. */
const struct be_vm *jobs_changeable(struct app *a, int host, const char *vm);
/* Reads vm's tree and chains into the VM screen's model; _open shows it. */
void snapview_load(struct app *a, int host, const char *vm, struct cmds *out);
void snapview_open(struct app *a, int host, const char *vm, struct cmds *out);
/* vm changed (an event, a finished job): its details, and its tree and
 * chains when the VM screen's model holds it, are read again. */
void snapview_vm_changed(struct app *a, int host, const char *vm, struct cmds *out);
void snapview_loaded(struct app *a, struct event *ev);
void snapview_take(struct app *a, int host, const char *vm, struct cmds *out);
void snapview_op_done(struct app *a, struct event *ev, struct cmds *out);
void snapview_free(struct snapview *sv);
/* Starts a long operation as a job and queues cmd for it. */
/* Starts cmd as a job, unless its VM cannot be changed now (the status
 * says why): NULL then. */
struct job *jobs_start(struct app *a, struct cmds *out, const struct cmd *cmd, const char *what);
/* A question's done handler: starts the command it asked about as a job
 * (jobs_start), titled by the question. */
void jobs_start_asked(struct app *a, int key, struct cmds *out);
/* Records a job for cmd without running anything. */
struct job *jobs_add(struct app *a, const struct cmd *cmd, const char *what);
void jobs_done(struct app *a, struct event *ev);
void jobs_info(struct app *a, struct event *ev);
/* Bytes done of a VM job: total less what remains where libvirt says,
 * since a save's zero pages are never "processed". */
unsigned long long jobs_progress(const struct be_job_info *info);
void jobs_tick(struct app *a, struct cmds *out);
void jobs_scroll(struct app *a);
/* Jobs above and below the rows the jobs screen shows. */
void jobs_hidden(const struct app *a, size_t *above, size_t *below);
void snapview_scroll(struct app *a);
/* The message log screen (logview.c): L opens it, and closes it again. */
void logview_open(struct app *a);
/* Opens it on the newest message's first row (one taller than the
 * screen shows its start). */
void logview_open_newest(struct app *a);
/* Keeps its rows in range after a resize or a new message. */
void logview_scroll(struct app *a);
void images_scroll(struct app *a);
/* Hosts: connections, credentials, loss and reconnection (hosts.c). */
void hosts_connected(struct app *a, struct event *ev, struct cmds *out);
void hosts_closed(struct app *a, struct event *ev);
void hosts_auth(struct app *a, struct event *ev);
/* Names a host with no name of its own, once, when it is added (so names
 * follow the order hosts were given, whichever answers first): its URI's
 * server ("lab1" of qemu+ssh://root@lab1/system), a test driver file's
 * name, or hostname (this machine's) and the URI's path ("vm:session"); a
 * name another host has already gets a number. */
void hosts_name(struct app *a, struct host *o, const char *uri, const char *hostname);
/* Shows the first waiting login question if no dialog is open; true when
 * one was shown. */
bool hosts_show_login(struct app *a);
void hosts_slow(struct app *a, struct event *ev);
/* Reconnects the hosts that are down: all now, or those whose time came. */
void hosts_reconnect(struct app *a, struct cmds *out, bool now);
const struct job *jobs_running_on(const struct app *a, int host, const char *vm);
struct job *jobs_find(struct app *a, int id);
/* Running, or ready and waiting for its pivot. */
bool jobs_is_active(const struct job *j);
/* The chain pane and the block jobs (chainview.c, blockjobs.c). */
size_t chainview_rows(const struct snapview *sv);
/* The snapshots of vm whose state lives in one of paths, as the VM screen
 * knows them: how many, and up to five names into buf. */
size_t chainview_snapshots_in(const struct app *a, int host, const char *vm, const char *const *paths, size_t n,
			  char *buf, size_t bn);
/* Refuses (status: doing path: who reads it) when the images model knows
 * another chain or a snapshot that reads path, by the rules of
 * images_users; false when none does or the model is not loaded. */
bool chainview_read_elsewhere(struct app *a, int host, const char *vm, const char *disk, const char *path,
			  const char *const *going, size_t ngoing, const char *doing);
/* A new file's default name beside d's active layer,
 * "/dir/VM-DISK-YYYYMMDD-HHMMSS.qcow2"; false ("" in buf) when none can be
 * offered (a block device, a path too long). */
bool chainview_default_path(const struct app *a, const struct be_disk *d, char *buf, size_t n);
/* The disk and layer on row r; false when there is none. */
bool chainview_at(const struct snapview *sv, size_t r, size_t *disk, size_t *layer);
/* The chain pane's lines: one a row (a layer), and below the last layer
 * of a disk whose chain libvirt does not know to its end a note saying
 * so, as --print has it. A note is no row: it is never selected. */
enum chain_line {
	CHAIN_LINE_NONE,
	CHAIN_LINE_LAYER,
	CHAIN_LINE_NOTE,
};
size_t chainview_lines(const struct snapview *sv);
/* What line i shows, with its disk and layer (the note's: the last). */
enum chain_line chainview_line_at(const struct snapview *sv, size_t i, size_t *disk, size_t *layer);
/* The line that shows row r. */
size_t chainview_line_of(const struct snapview *sv, size_t r);
/* The VM screen's chain pane (its snapshot tree's is in snapview.c). */
extern const struct pane chainview_pane;
void chainview_scroll(struct app *a);
void blockjobs_op_done(struct app *a, struct event *ev, struct cmds *out);
/* Host is back: how each of its commits whose outcome was unknown ended
 * is read from libvirt (CMD_COMMIT_RECOVER). */
void blockjobs_recover(struct app *a, int host, struct cmds *out);
void blockjobs_event(struct app *a, struct event *ev, struct cmds *out);
void blockjobs_info(struct app *a, struct event *ev, struct cmds *out);
void blockjobs_found(struct app *a, struct event *ev);
void blockjobs_pivot(struct app *a, struct job *j, struct cmds *out);
/* Offers to delete the files a finished commit or revert left unused
 * (j->merged). */
void jobs_offer_delete(struct app *a, const struct job *j);

#endif
