/* What the core asks for: the commands, one a row of cmds.def.h, that the
 * workers carry out and answer with events. */
#ifndef VMM_CMD_H
#define VMM_CMD_H

#include <stdbool.h>

#include "backend/types.h"
#include "core/event.h"

/* One a row of cmds.def.h, which says what each does and how the workers
 * carry it out. */
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
			/* Zero, an internal kind: libvirt's default for the
			 * VM's state; BE_KIND_EXT_DISK or _EXT_SYS: external. */
			enum be_snap_kind kind;
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
			bool record; /* kept as external snapshot snap (metadata) */
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
			char paths[4096]; /* the disks' active layers, one a line */
		} load_imginfo;
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

/* Appends a zeroed command of type to out; NULL when out is full. */
struct cmd *cmd_push(struct cmds *out, enum cmd_type type);

#endif
