/* Every action a key can ask for. One X-macro list generates the enum, the
 * names used in the config file, the help text and the word of the hint
 * lines, so they cannot disagree. */
#ifndef VMM_REQUEST_H
#define VMM_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define REQ_LIST(R) \
	R(HELP, "help", "show the keys of this screen", "help") \
	R(BACK, "back", "go back; quit from the VM list", "back") \
	R(CANCEL, "cancel", "cancel the filter or dialog; leave a screen", "cancel") \
	R(MOVE_DOWN, "move-down", "move down", "down") \
	R(MOVE_UP, "move-up", "move up", "up") \
	R(MOVE_FIRST, "move-first", "go to the first line", "first") \
	R(MOVE_LAST, "move-last", "go to the last line", "last") \
	R(PAGE_DOWN, "page-down", "move one page down", "page down") \
	R(PAGE_UP, "page-up", "move one page up", "page up") \
	R(OPEN, "open", "open the selected VM", "open") \
	R(OPEN_USER, "open-user", "open the VM whose disk is selected", "open the VM") \
	R(SCREEN_VMS, "screen-vms", "VM list screen", "VMs") \
	R(SCREEN_JOBS, "screen-jobs", "jobs screen", "jobs") \
	R(SCREEN_IMAGES, "screen-images", "images screen: base images and the VMs using them", "images") \
	R(MESSAGES, "messages", "message log: every message since the start, whole", "log") \
	R(FILTER, "filter", "filter by name as you type", "filter") \
	R(REFRESH, "refresh", "re-read from libvirt and redraw", "refresh") \
	R(RECONNECT, "reconnect", "reconnect to the hosts that are down", "reconnect") \
	R(SORT, "sort", "sort by the next column", "sort") \
	R(START, "start", "start (resumes a hibernated VM)", "start") \
	R(SHUTDOWN, "shutdown", "shut down (ACPI)", "shut down") \
	R(FORCE_OFF, "force-off", "force off (asks first)", "force off") \
	R(PAUSE, "pause", "pause or resume", "pause") \
	R(HIBERNATE, "hibernate", "hibernate (managed save; S resumes)", "hibernate") \
	R(DISCARD_SAVE, "discard-saved-state", "discard the hibernated state (asks first)", "discard saved state") \
	R(SNAP_TAKE, "snapshot-take", "take a snapshot", "take") \
	R(SNAP_REVERT, "snapshot-revert", "revert to the selected snapshot (asks first)", "revert") \
	R(SNAP_DELETE, "snapshot-delete", "delete: this one, with children, children only, or metadata only", "delete") \
	R(TOGGLE, "toggle", "collapse or expand the subtree", "fold") \
	R(SNAP_INFO, "snapshot-info", "read the selected snapshot's description whole (message log)", "details") \
	R(NEXT_PANE, "next-pane", "next pane (VM screen: snapshots, disk chains)", "next pane") \
	R(OVERLAY_NEW, "overlay-new", "new overlay on the selected disk", "overlay") \
	R(COMMIT, "commit", "commit: into its backing file, or down to the selected base", "commit") \
	R(OVERLAY_DISCARD, "overlay-discard", "discard the top overlay (shut-off VM; asks first)", "discard") \
	R(RESET, "reset", "reset to the selected layer (shut-off VM; asks first)", "reset") \
	R(CLONE, "clone", "clone the shut-off VM: linked or full (asks the name)", "clone") \
	R(CLONE_LAYER, "clone-layer", "new VM on the selected layer (linked clone; asks the name)", "new VM") \
	R(VM_DELETE, "vm-delete", "delete the VM and the images only it uses (asks first)", "delete VM") \
	R(IMG_CHECK, "image-check", "check the selected layer and those below it (qemu-img check)", "check") \
	R(INSIDE_DELETE, "inside-delete", "delete a snapshot unknown to libvirt from the file (asks first)", "delete unknown") \
	R(CHAIN_COPY, "chain-copy", "standalone copy of the disk's whole chain, then the disk on it", "copy") \
	R(IMAGE_DELETE, "image-delete", "delete the selected unused image (asks first)", "delete unused") \
	R(JOB_ABORT, "job-abort", "abort the selected job", "abort") \
	R(JOB_PIVOT, "job-pivot", "pivot a ready block job (a commit or a copy)", "pivot") \
	R(CONFIRM, "confirm", "confirm the question; any other key cancels", "yes")

enum request {
	REQ_NONE,
#define REQ_ENUM(id, name, help, hint) REQ_##id,
	REQ_LIST(REQ_ENUM)
#undef REQ_ENUM
	REQ_COUNT
};

/* The config-file name, help text and hint word (the key's word on a
 * screen's bottom line) of a request; "" for REQ_NONE. */
const char *request_name(enum request r);
const char *request_help(enum request r);
const char *request_hint(enum request r);
/* REQ_NONE when name is unknown. */
enum request request_by_name(const char *name);

#endif
