/* What reaches the core: key presses, answers of the workers, libvirt's
 * events (the core's commands are in cmd.h). */
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
	EV_IMGINFO,      /* name, imginfo: what its files hold (qemu-img info) */
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
	unsigned long libver; /* EV_CONNECTED: libvirt's version, 0 unknown */
	struct be_cred creds[BE_CREDS_MAX];
	int ncreds;
	char name[APP_NAME_MAX]; /* the VM */
	char snap[APP_NAME_MAX];
	enum be_action act;
	int op;  /* enum cmd_type of the operation */
	bool pivot; /* CMD_BLOCK_ABORT: it was a pivot */
	bool listed; /* EV_CONNECTED: the VMs and their details came already,
		      * read again once the events were on */
	int job; /* job id, 0 for none */
	struct imgcheck_report *check; /* CMD_IMG_CHECK, _REPAIR: per layer (owned) */
	struct imginfo_map *imginfo;   /* EV_IMGINFO: what each file holds (owned) */
	int rc;
	struct be_error err;
};

/* Allocates a zeroed event of type; free with event_free. */
struct event *event_new(enum event_type type);
/* Frees what the event owns and the event. */
void event_free(struct event *ev);
/* Frees what the event owns, for events on the stack. */
void event_clear(struct event *ev);

#endif
