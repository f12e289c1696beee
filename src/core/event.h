/* What reaches the core (events) and what the core asks for (commands). */
#ifndef VMM_EVENT_H
#define VMM_EVENT_H

#include <stdbool.h>

#include "backend/types.h"
#include "core/imgcheck.h"

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
	struct imgcheck_report *check; /* CMD_IMG_CHECK, _REPAIR: per layer (owned) */
	struct imginfo_map *imginfo;   /* EV_SNAPSHOTS: what each file holds (owned) */
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

/* PATH_MAX: a command carries a path whole; a longer one is refused
 * before there is a command. */
#define CMD_PATH_MAX 4096
/* Room for one answer of CMD_AUTH_ANSWER. */
#define AUTH_SLOT 1024

struct cmd {
	enum cmd_type type;
	int host; /* index of the host whose workers carry it out; -1 every host */
	/* What it acts on, for the commands that name it: */
	char name[APP_NAME_MAX];
	char uuid[37]; /* of the VM name as it was selected: an action on a VM
			* renamed or replaced since is refused, never redirected */
	char snap[APP_NAME_MAX];
	char disk[64];
	int job;
	/* How: each command's own fields, in the member named after it. */
	union {
		struct {
			bool details;       /* every VM's details follow the list */
			bool refresh_pools; /* the storage pools first (Ctrl-L) */
		} load_vms;
		struct {
			char answer[BE_CREDS_MAX][AUTH_SLOT]; /* as the questions came */
			bool cancelled;
		} auth_answer;
		struct {
			enum be_action action; /* hibernate too */
		} act;
		struct {
			char description[4096];
		} snap_create;
		struct {
			bool force;        /* what libvirt called risky, asked again */
			bool discard_save; /* the hibernated state goes first */
			char unused[4096]; /* files it leaves that nothing else uses,
					    * one a line: offered for deletion after */
		} snap_revert;
		struct {
			enum be_snap_delete mode;
		} snap_delete;
		struct {
			char path[CMD_PATH_MAX]; /* the new overlay file */
		} overlay_new;
		struct {
			char keep[CMD_PATH_MAX];  /* the layer kept: those above go */
			char fresh[CMD_PATH_MAX]; /* a new overlay on it; "": keep
						   * itself becomes the active layer */
		} overlay_discard;
		struct {
			char base[CMD_PATH_MAX]; /* the layers above merge into it */
			bool offline;            /* the VM is shut off: vmmanager runs
						  * it paused for the commit */
			char merged[4096];       /* the layers above, one a line:
						  * offered for deletion after */
		} block_commit;
		struct {
			bool pivot; /* a ready commit pivots, rather than cancel */
		} block_abort;
		struct {
			char paths[4096]; /* one a line */
		} vol_delete;
		struct {
			char clone[APP_NAME_MAX]; /* the new VM's name */
			bool full;                /* copies, not overlays */
			char layer[CMD_PATH_MAX]; /* with disk: the new VM's disk
						   * on this layer; "": the whole VM */
		} vm_clone;
		struct {
			char paths[4096]; /* its images that go, one a line,
					   * the active layers first */
		} vm_delete;
		struct {
			char from[CMD_PATH_MAX]; /* this layer and those below */
		} img_check;
		struct {
			char path[CMD_PATH_MAX]; /* qemu-img check -r leaks */
		} img_repair;
		struct {
			char path[CMD_PATH_MAX]; /* the file holding snap */
		} img_snap_delete;
		struct {
			char path[CMD_PATH_MAX]; /* the new standalone file */
			bool offline;            /* the VM is shut off: the storage
						  * API copies; else a block copy */
			char unused[4096];       /* old layers nothing else uses, one
						  * a line: offered for deletion after */
		} chain_copy;
		struct {
			char base[CMD_PATH_MAX]; /* the commit's */
			bool offline;            /* it was a shut-off VM's */
		} commit_recover;
	} u;
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

#define CMDS_MAX 8

struct cmds {
	struct cmd c[CMDS_MAX];
	int n;
};

#endif
