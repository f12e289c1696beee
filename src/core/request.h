/* Every action a key can ask for. One X-macro list generates the enum, the
 * names used in the config file and the help text, so they cannot
 * disagree. */
#ifndef VMM_REQUEST_H
#define VMM_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define REQ_LIST(R) \
	R(HELP, "help", "show the keys of this screen") \
	R(BACK, "back", "go back; quit from the VM list") \
	R(CANCEL, "cancel", "cancel the filter or dialog; leave a screen") \
	R(MOVE_DOWN, "move-down", "move down") \
	R(MOVE_UP, "move-up", "move up") \
	R(MOVE_FIRST, "move-first", "go to the first line") \
	R(MOVE_LAST, "move-last", "go to the last line") \
	R(PAGE_DOWN, "page-down", "move one page down") \
	R(PAGE_UP, "page-up", "move one page up") \
	R(OPEN, "open", "open the selected VM") \
	R(OPEN_USER, "open-user", "open the VM whose disk is selected") \
	R(SCREEN_VMS, "screen-vms", "VM list screen") \
	R(SCREEN_JOBS, "screen-jobs", "jobs screen") \
	R(SCREEN_IMAGES, "screen-images", "images screen: base images and the VMs using them") \
	R(MESSAGES, "messages", "message log: every message since the start, whole") \
	R(FILTER, "filter", "filter by name as you type") \
	R(REFRESH, "refresh", "re-read from libvirt and redraw") \
	R(RECONNECT, "reconnect", "reconnect to the hosts that are down") \
	R(SORT, "sort", "sort by the next column") \
	R(START, "start", "start (resumes a hibernated VM)") \
	R(SHUTDOWN, "shutdown", "shut down (ACPI)") \
	R(FORCE_OFF, "force-off", "force off (asks first)") \
	R(PAUSE, "pause", "pause or resume") \
	R(HIBERNATE, "hibernate", "hibernate (managed save; S resumes)") \
	R(DISCARD_SAVE, "discard-saved-state", "discard the hibernated state (asks first)") \
	R(SNAP_TAKE, "snapshot-take", "take a snapshot") \
	R(SNAP_REVERT, "snapshot-revert", "revert to the selected snapshot (asks first)") \
	R(SNAP_DELETE, "snapshot-delete", "delete: this one, with children, children only, or metadata only") \
	R(TOGGLE, "toggle", "collapse or expand the subtree") \
	R(SNAP_INFO, "snapshot-info", "read the selected snapshot's description whole (message log)") \
	R(NEXT_PANE, "next-pane", "next pane (VM screen: snapshots, disk chains)") \
	R(OVERLAY_NEW, "overlay-new", "new overlay on the selected disk") \
	R(COMMIT, "commit", "commit: into its backing file, or down to the selected base") \
	R(OVERLAY_DISCARD, "overlay-discard", "discard the top overlay (shut-off VM; asks first)") \
	R(RESET, "reset", "reset to the selected layer (shut-off VM; asks first)") \
	R(IMAGE_DELETE, "image-delete", "delete the selected unused image (asks first)") \
	R(JOB_ABORT, "job-abort", "abort the selected job") \
	R(JOB_PIVOT, "job-pivot", "pivot a ready block job (a commit or a copy)") \
	R(CONFIRM, "confirm", "confirm the question; any other key cancels")

enum request {
	REQ_NONE,
#define REQ_ENUM(id, name, help) REQ_##id,
	REQ_LIST(REQ_ENUM)
#undef REQ_ENUM
	REQ_COUNT
};

/* The config-file name and help text of a request; "" for REQ_NONE. */
const char *request_name(enum request r);
const char *request_help(enum request r);
/* REQ_NONE when name is unknown. */
enum request request_by_name(const char *name);

#endif
