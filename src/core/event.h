/* What reaches the core (events) and what the core asks for (commands). */
#ifndef VMM_EVENT_H
#define VMM_EVENT_H

#include <stdbool.h>

#include "backend/backend.h"

/* The longest VM or snapshot name (with its NUL) that commands, events,
 * dialogs and jobs carry whole; a longer one is refused, never cut. */
#define APP_NAME_MAX 256

enum event_type {
	EV_KEY,          /* key */
	EV_RESIZE,       /* rows, cols */
	EV_TICK,         /* a timer tick while jobs run */
	EV_VMS_LOADED,   /* list (owned by the event), or rc -1 and err */
	EV_DETAILS,      /* list of VMs with details filled in */
	EV_VM_CHANGED,   /* name: a libvirt lifecycle event */
	EV_CONN_CLOSED,  /* the connection was lost */
	EV_SNAPSHOTS,    /* name, snaps and disks (owned), or rc -1 and err */
	EV_OP_DONE,      /* a long operation ended: job, op, name, snap, rc, err */
	EV_JOB_INFO,     /* job, info: progress of a long operation */
	EV_IMAGES,       /* chains: every VM's disks, or rc -1 and err */
	EV_BLOCK_EVENT,  /* name, disk, bj.type, bj_status: a block job ready or ended */
	EV_BLOCK_INFO,   /* job, rc (1 running, 0 none, -1 err), bj: progress */
	EV_BLOCK_JOBS,   /* bjobs: the block jobs found running, or rc -1 */
	EV_CONNECTED,    /* host: rc 0 and text the canonical URI, or rc -1 and err */
	EV_AUTH,         /* host: libvirt asks for the creds (prompts only) */
	EV_HOST_SLOW,    /* host: rc 1 when a call has waited seconds, 0 when answered */
};

/* The disks (with backing chains) and snapshots of one VM. */
struct vm_disks {
	char *vm;
	struct be_disk_list disks;
	struct be_snap_list snaps;
};

struct vm_disks_list {
	struct vm_disks *v;
	size_t n;
};

void vm_disks_list_clear(struct vm_disks_list *l);

struct event {
	enum event_type type;
	int host; /* index of the host it is about; set by whoever posts it */
	long long now_ms; /* monotonic clock, set by whoever delivers it */
	long long wall;   /* seconds since the epoch, likewise */
	int key;
	int rows, cols;
	struct be_vm_list list;
	struct be_snap_list snaps;
	struct be_disk_list disks;
	struct be_job_info info;
	struct vm_disks_list chains;
	struct be_vol_list vols; /* EV_IMAGES: every volume of the host's pools */
	struct be_block_job bj;
	struct be_block_job_list bjobs;
	enum be_bj_status bj_status;
	char disk[64];
	char text[512];
	struct be_cred creds[BE_CREDS_MAX];
	int ncreds;
	char name[APP_NAME_MAX]; /* the VM */
	char snap[APP_NAME_MAX];
	enum be_action act;
	int op;  /* enum cmd_type of the operation */
	bool pivot; /* CMD_BLOCK_ABORT: it was a pivot */
	int job; /* job id, 0 for none */
	int rc;
	struct be_error err;
};

/* Allocates a zeroed event of type; free with event_free. */
struct event *event_new(enum event_type type);
/* Frees what the event owns and the event. */
void event_free(struct event *ev);
/* Frees what the event owns, for events on the stack. */
void event_clear(struct event *ev);

/* What the core asks for: one a row of cmds.def.h, which says what each
 * does and how the workers carry it out. */
enum cmd_type {
#define CMD(name, lane, check, answer, merge, run) CMD_##name,
#include "core/cmds.def.h"
#undef CMD
};

struct cmd {
	enum cmd_type type;
	int host; /* index of the host whose workers carry it out; -1 every host */
	char name[APP_NAME_MAX];
	char uuid[37]; /* of the VM name as it was selected: an action on a VM
			* renamed or replaced since is refused, never redirected */
	char snap[APP_NAME_MAX];
	char disk[64];
	char path[4096]; /* PATH_MAX: longer paths are refused before a cmd */
	char text[4096];
	enum be_action act;
	int mode;
	bool force, discard_save;
	int all;
	int job;
};

/* Who carries a command out (cmds.def.h): the reads worker, the operations
 * worker (the commands that may run long, each a job: quick reads must not
 * wait behind them), or no worker. */
enum cmd_lane {
	LANE_READS,
	LANE_OPS,
	LANE_NONE,
};

enum cmd_lane cmd_lane(enum cmd_type t);

/* Room for one answer of CMD_AUTH_ANSWER in cmd.text. */
#define AUTH_SLOT 1024

#define CMDS_MAX 8

struct cmds {
	struct cmd c[CMDS_MAX];
	int n;
};

#endif
