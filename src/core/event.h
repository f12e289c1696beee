/* What reaches the core (events) and what the core asks for (commands). */
#ifndef VMM_EVENT_H
#define VMM_EVENT_H

#include <stdbool.h>

#include "backend/types.h"

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

enum cmd_type {
	CMD_LOAD_VMS,       /* re-read the list; details of all when all is set;
			     * the storage pools refreshed first when force is */
	CMD_LOAD_DETAILS,   /* details of the VM name */
	CMD_LOAD_SNAPSHOTS, /* snapshots and disks of the VM name */
	CMD_JOB_INFO,       /* progress of the job on the VM name */
	CMD_JOB_ABORT,      /* abort the job on the VM name */
	CMD_LOAD_IMAGES,    /* the disk chains of every VM */
	CMD_BLOCK_INFO,     /* progress of the block job on disk of name */
	CMD_BLOCK_ABORT,    /* cancel it, or pivot when force is set */
	CMD_FIND_BLOCK_JOBS, /* every block job running on the host */
	CMD_CONNECT,        /* (re)open the host's connections */
	CMD_AUTH_ANSWER,    /* credentials for host: the i-th answer at text +
			     * i * AUTH_SLOT; force: cancelled. Never logged. */
	/* Long operations, run one at a time, each a job: */
	CMD_ACT,            /* lifecycle act on the VM name (hibernate too) */
	CMD_SNAP_CREATE,    /* snapshot snap of name, description text */
	CMD_SNAP_REVERT,    /* revert name to snap; force, discard_save */
	CMD_SNAP_DELETE,    /* delete snap of name in mode */
	CMD_OVERLAY_NEW,    /* new overlay file path on disk of name */
	CMD_OVERLAY_DISCARD, /* drop disk's layers above path; a fresh overlay
			      * at text on it, or ("") path becomes active */
	CMD_BLOCK_COMMIT,   /* merge disk's layers above path into it */
	CMD_VOL_DELETE,     /* delete the volumes in text, one path a line */
	CMD_COMMIT_RECOVER, /* how the commit of disk of name into path ended
			     * while the host was away; mode 1: shut off */
	CMD_QUIT,
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

/* True for the commands that may run long and go to the operations lane;
 * the others are quick reads that must not wait behind them. */
bool cmd_is_long(enum cmd_type t);

/* Room for one answer of CMD_AUTH_ANSWER in cmd.text. */
#define AUTH_SLOT 1024

#define CMDS_MAX 8

struct cmds {
	struct cmd c[CMDS_MAX];
	int n;
};

#endif
