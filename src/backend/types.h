/* The backend's data: VMs, snapshots, disks and their chains, volumes,
 * jobs, events, credentials and errors, as plain C with the helpers that
 * free and copy it (vmdata.c). The core and the UI include this header,
 * never backend.h; it names no libvirt or libxml2 type. */
#ifndef VMM_BACKEND_TYPES_H
#define VMM_BACKEND_TYPES_H

#include <stdbool.h>
#include <stddef.h>

enum be_vm_state {
	BE_VM_RUNNING,
	BE_VM_PAUSED,
	BE_VM_SHUTOFF,
	BE_VM_SAVED, /* shut off with a managed save image ("hibernated") */
	BE_VM_CRASHED,
	BE_VM_PMSUSPENDED, /* suspended by the guest (S3/S4) */
	BE_VM_OTHER,
};

/* What a failure means to the core, where it must react to it. */
enum be_err_kind {
	BE_ERR_OTHER,
	BE_ERR_REVERT_RISKY, /* libvirt wants a forced revert */
	BE_ERR_NO_VM,        /* no such VM (any more) */
	BE_ERR_REFUSED,      /* vmmanager refused: it would lose or corrupt data */
	BE_ERR_ABORTED,      /* the user's abort ended it; nothing changed */
	BE_ERR_CONN,         /* the connection is gone or broken */
	BE_ERR_AUTH,         /* credentials refused */
	BE_ERR_AUTH_CANCELLED,
};

/* Libvirt's own message of the last failure, kept for the status line. */
struct be_error {
	int code; /* libvirt's virErrorNumber, 0 when not from libvirt */
	enum be_err_kind kind;
	char msg[4096]; /* libvirt's message; a longer one ends in a note of
			 * how much is left out, never silently cut */
};

/* One VM as the list shows it. Fields not yet known are -1. */
struct be_vm {
	char *name;
	char uuid[37];
	enum be_vm_state state;
	int vcpus;
	long long mem_kib;
	int nsnap;       /* snapshot count, -1 until details are loaded */
	int chain_depth; /* layers of the deepest disk chain, -1 unknown */
	int host;        /* the core's index of the VM's host; 0 from the backend */
};

struct be_vm_list {
	struct be_vm *vms;
	size_t n;
};

enum be_action {
	BE_ACT_START,    /* also resumes a hibernated VM */
	BE_ACT_SHUTDOWN, /* ACPI */
	BE_ACT_DESTROY,  /* force off */
	BE_ACT_SUSPEND,
	BE_ACT_RESUME,
	BE_ACT_HIBERNATE,    /* managed save; refused while a block job runs */
	BE_ACT_DISCARD_SAVE, /* remove the managed save image */
	BE_ACT_START_FRESH,  /* discard the managed save image, then start */
};

enum be_bj_type {
	BE_BJ_UNKNOWN,
	BE_BJ_PULL,
	BE_BJ_COPY,
	BE_BJ_COMMIT,        /* of layers below the active one */
	BE_BJ_ACTIVE_COMMIT, /* of the active layer: ends in a pivot */
	BE_BJ_BACKUP,
};

/* How a block job ended, or that it is ready to pivot. */
enum be_bj_status {
	BE_BJS_COMPLETED,
	BE_BJS_FAILED,
	BE_BJS_CANCELED,
	BE_BJS_READY,
};

/* An event, delivered on the backend's event thread. */
struct be_event {
	char name[256];
	bool name_cut; /* the VM's name is longer than name holds */
	char uuid[37];
	int kind; /* be_event_kind */
	char disk[64];           /* BE_EV_BLOCK_JOB: the disk's target ("vda") */
	enum be_bj_type bj_type;
	enum be_bj_status bj_status;
};

enum be_event_kind {
	BE_EV_LIFECYCLE,   /* the VM's state or definition changed */
	BE_EV_CONN_CLOSED, /* the connection is gone */
	BE_EV_BLOCK_JOB,   /* a block job became ready or ended */
};

/* Where a disk's data comes from: libvirt's <disk type=...>. */
enum be_src_type {
	BE_SRC_FILE,    /* a file of the host */
	BE_SRC_BLOCK,   /* a block device of the host */
	BE_SRC_VOLUME,  /* a volume named by pool and volume: its path is the
			 * file behind it once resolved (be_layer.volume_file) */
	BE_SRC_NETWORK, /* protocol, name and hosts: never a local path */
	BE_SRC_DIR,     /* a folder of the host shown as a FAT disk */
	BE_SRC_OTHER,   /* nvme, vhostuser, vhostvdpa: no image */
};

/* What the guest sees: libvirt's <disk device=...>. */
enum be_device {
	BE_DEV_DISK,
	BE_DEV_CDROM, /* read-only whatever the XML says */
	BE_DEV_FLOPPY,
	BE_DEV_LUN, /* SCSI commands passed to the device */
};

/* Where a snapshot keeps one disk's state: the file its own <domain>
 * names for the disk, which was the disk's active layer when it was taken.
 * An internal snapshot lives inside that file; an external one froze it
 * under a new overlay. Either way the snapshot is lost with the file. */
struct be_snap_file {
	char *disk; /* target, "vda" */
	char *path; /* a volume's: the file behind it once resolved */
	bool external;
	enum be_src_type type;
	char *pool, *volume; /* BE_SRC_VOLUME: as the XML names them, else NULL */
	char *overlay; /* external: the overlay it made on path (its <disks>
			* entry's file), NULL when the XML names none */
};

/* One snapshot, as its XML describes it. */
struct be_snapshot {
	char *name;
	char *parent;      /* NULL for a root */
	char *description; /* "" when there is none */
	long long ctime;   /* creation time, seconds since the epoch */
	char state[24];    /* the VM state captured: running, paused, shutoff, disk-snapshot */
	bool memory;       /* holds the VM's memory */
	bool external;     /* a disk or the memory lives outside the image */
	bool current;
	char *memfile;     /* an external checkpoint's memory file, else NULL */
	char *disks;       /* "vda internal, vdb no" */
	struct be_snap_file *files; /* the disks it holds state of */
	size_t nfiles;
};

/* The four kinds libvirt knows, as the screens name them (be_snap_kind). */
enum be_snap_kind {
	BE_KIND_INT_DISK, /* internal, disks only: a shut-off VM's */
	BE_KIND_INT_SYS,  /* internal system checkpoint: disks and memory */
	BE_KIND_EXT_DISK, /* external, disks only: frozen under new overlays */
	BE_KIND_EXT_SYS,  /* external system checkpoint: memory in a file */
};

/* The kind of s, and its short name: "int-disk", "int-sys", "ext-disk",
 * "ext-sys". */
enum be_snap_kind be_snap_kind(const struct be_snapshot *s);
const char *be_snap_kind_name(enum be_snap_kind k);

struct be_snap_list {
	struct be_snapshot *s;
	size_t n;
};

enum be_snap_delete {
	BE_DEL_ONE,           /* this snapshot; its children move to its parent */
	BE_DEL_WITH_CHILDREN, /* this snapshot and all below it */
	BE_DEL_CHILDREN_ONLY, /* all below it, keeping it */
	BE_DEL_METADATA,      /* only libvirt's record; the image keeps the data */
};

/* One layer of a disk's backing chain. */
struct be_layer {
	/* BE_SRC_FILE, _BLOCK, _DIR: the path. BE_SRC_VOLUME: the file behind
	 * the volume once resolved (volume_file), else "POOL/VOLUME".
	 * BE_SRC_NETWORK: "PROTOCOL:NAME@HOST[:PORT][,HOST...]", never a
	 * local path (rbd:pool/image@mon1). */
	char *path;
	char *format; /* "" when not known */
	long long capacity;   /* virtual size in bytes, -1 when not known */
	long long allocation; /* bytes used on the host, -1 when not known */
	bool in_pool;         /* a storage pool knows the volume */
	bool missing;         /* its folder is a storage pool that has no such
			       * file; a volume its pool does not have */
	enum be_src_type type;
	/* BE_SRC_VOLUME: the pool and volume the XML names, the pool's type
	 * ("dir", "logical", ...; NULL until resolved), and whether path is
	 * the file behind it. NULL and false for other types. */
	char *pool, *volume, *pool_type;
	bool volume_file;
	/* BE_SRC_NETWORK: the protocol ("rbd", "nbd", "iscsi", "gluster",
	 * ...), the name on it (NULL when none) and the hosts, "h1:port,h2"
	 * or "unix:/socket" (NULL when none). NULL for other types. */
	char *protocol, *name, *hosts;
};

/* Deepest chain followed: libvirt's QEMU driver runs no VM on a chain
 * deeper than 200 layers ("backing chains more than 200 layers deep are
 * not supported"), so a deeper one is no VM's disk; the bound also keeps
 * a walk, a lookup per layer, short on a slow link. */
#define BE_MAX_CHAIN 200

/* How a disk's chain ends below its last layer. Zero, the value of a
 * cleared disk, is the cautious one. */
enum be_chain_end {
	BE_END_UNKNOWN,  /* libvirt knows nothing below it (in no pool) */
	BE_END_COMPLETE, /* it has no backing file: it is the base */
	BE_END_LOOP,     /* it is backed by the layer loop_to above it */
	BE_END_MISSING,  /* it is named as a backing file, but its folder's
			  * storage pool has no such file */
	BE_END_CUT,      /* it has a backing file, not followed: the chain is
			  * BE_MAX_CHAIN layers deep already */
};

struct be_disk {
	char *target; /* "vda" */
	struct be_layer *layers; /* [0] is the active layer; none for a drive
				  * with no medium or a disk with no source */
	size_t nlayers;
	enum be_chain_end end;
	size_t loop_to; /* BE_END_LOOP: the layer the last one is backed by */
	enum be_device device;
	enum be_src_type type; /* as the XML says, with a source or not */
	bool readonly;  /* <readonly/>, and every CD-ROM */
	bool shareable; /* <shareable/>: other VMs may write to it too */
};

/* Every file the chain reads is among its layers: it ends in its base or
 * loops back into itself. */
static inline bool be_chain_known(const struct be_disk *d)
{
	return d->end == BE_END_COMPLETE || d->end == BE_END_LOOP;
}

/* Every disk of a VM, in the order of its XML: disks, CD-ROMs, floppies
 * and LUNs alike. A CD-ROM, floppy or LUN has its medium as its one
 * layer (its chain is not followed, and nothing is done on it). */
struct be_disk_list {
	struct be_disk *d;
	size_t n;
};

/* What a disk is used for by an action. */
enum be_disk_use {
	BE_USE_CHAIN,    /* a new overlay, a commit, a discard or a reset */
	BE_USE_SNAPSHOT, /* an internal snapshot of its VM */
	BE_USE_EXTERNAL, /* an external snapshot: a new overlay beside it */
};

/* Whether d may take part in use, by what it is (device, read-only,
 * shareable, where its data comes from); the core asks when a key is
 * pressed, the backend again just before the call. BE_USE_CHAIN: 0, or
 * -1 with the reason in why. BE_USE_SNAPSHOT: 0 the snapshot holds the
 * disk; 1 it leaves it out (an empty drive or a read-only disk: nothing
 * of the VM's own is written there); -1 with the reason when it cannot be
 * taken at all (an internal snapshot is written into the disk).
 * BE_USE_EXTERNAL: 0 the disk gets a new overlay in the folder of its
 * active layer; 1 it is left out (snapshot='no': an empty drive, a CD-ROM,
 * a read-only or shareable disk, which must never become a private
 * writable overlay); -1 with the reason when no overlay can be made for
 * it (a network disk, a block device, a floppy...). */
int be_disk_allows(const struct be_disk *d, enum be_disk_use use, char *why, size_t n);
/* "block device", "volume", "network disk", "host folder", or NULL for a
 * plain file: how a layer of type t is named on the screens. */
const char *be_src_name(enum be_src_type t);
/* True when l is a file or block device of the host (a volume's, once
 * resolved): the storage API may know it by its path. */
bool be_layer_local(const struct be_layer *l);
/* "disk", "cdrom", "floppy", "lun". */
const char *be_device_name(enum be_device dev);

/* One volume of a storage pool. */
struct be_volume {
	char *path;
	char *pool;
	char *backing;        /* the backing file, NULL for none */
	long long capacity;   /* bytes, -1 when not known */
	long long allocation; /* bytes used on the host, -1 when not known */
};

struct be_vol_list {
	struct be_volume *v;
	size_t n;
};

/* Progress of the long job running on a VM (snapshot, revert, save). */
struct be_job_info {
	bool active;
	long long elapsed_ms;
	unsigned long long done, total; /* bytes; total 0 when unknown */
	/* Bytes still to do, when libvirt says: "processed" leaves out the
	 * zero pages a save skips, so the core counts total - remaining. */
	unsigned long long remaining;
	bool has_remaining;
};

/* A block job running on one disk of a VM. */
struct be_block_job {
	char vm[256];
	char disk[64];
	enum be_bj_type type;
	unsigned long long cur, end; /* progress in bytes of the job's work */
	unsigned long long bandwidth; /* bytes/s, 0 unlimited */
	bool ready; /* a mirror phase reached: an active commit may pivot */
};

struct be_block_job_list {
	struct be_block_job *j;
	size_t n;
};

/* A credential libvirt asks for while connecting. */
enum be_cred_type {
	BE_CRED_USER,     /* a user name: shown as typed */
	BE_CRED_PASSWORD, /* a password or passphrase: never shown */
	BE_CRED_ECHO,     /* another answer, shown */
	BE_CRED_NOECHO,   /* another answer, not shown */
};

#define BE_CREDS_MAX 4

struct be_cred {
	enum be_cred_type type;
	char prompt[160];
	char answer[512]; /* as long as a form field */
};

void be_block_job_list_clear(struct be_block_job_list *l);
void be_vol_list_clear(struct be_vol_list *l);
void be_vm_list_clear(struct be_vm_list *l);
void be_snap_list_clear(struct be_snap_list *l);
void be_snapshot_clear(struct be_snapshot *s);
void be_disk_list_clear(struct be_disk_list *l);
void be_layer_clear(struct be_layer *l);
void be_vm_copy(struct be_vm *dst, const struct be_vm *src);
void be_vm_clear(struct be_vm *v);

/* Reverting to an external snapshot (revertplan.c: pure, no libvirt;
 * the core asks when `r` is pressed, the backend again before it acts).
 * libvirt reverts external snapshots itself from 9.7.0; before, vmmanager
 * puts fresh overlays on the files the snapshot froze and, for a system
 * checkpoint, restores the VM from the snapshot's memory file. */
#define BE_LIBVIRT_REVERTS_EXTERNAL 9007000UL

enum be_revert_how {
	BE_REVERT_LIBVIRT,  /* virDomainRevertToSnapshot does it all */
	BE_REVERT_OVERLAYS, /* fresh overlays on the frozen files */
	BE_REVERT_RESTORE,  /* the same, then the VM restored from memfile */
};

struct be_revert_disk {
	char *disk;   /* target, "vda" */
	char *frozen; /* the file the snapshot froze: the fresh one's backing */
	char *fresh;  /* the new overlay, beside frozen, named like `o`'s */
	bool volume;  /* the disk is named by pool and volume now: it stays so */
};

struct be_revert_plan {
	enum be_revert_how how;
	struct be_revert_disk *d; /* BE_REVERT_OVERLAYS, _RESTORE */
	size_t n;
	char *memfile; /* BE_REVERT_RESTORE */
	bool paused;   /* BE_REVERT_RESTORE: the snapshot's VM was paused */
};

/* What the plan is made for. gone: for each of s's files, whether it is
 * known to be gone (NULL: none is known gone). libver: libvirt's version
 * as virConnectGetLibVersion says it, 0 when not known (the stricter
 * rules of vmmanager's own revert then hold). stamp: the fresh overlays'
 * time stamp, "20261208-011500". */
struct be_revert_req {
	const char *vm;
	enum be_vm_state state;
	unsigned long libver;
	const char *stamp;
	const bool *gone;
};

/* True when libvirt of version libver reverts external snapshots. */
bool be_libvirt_reverts_external(unsigned long libver);
/* The revert of s, whose VM's disks are now: 0 with p filled (free with
 * be_revert_plan_clear), or -1 with why it cannot be done safely in why
 * (a sentence) and p empty. An internal snapshot is libvirt's to revert. */
int be_revert_plan_make(const struct be_snapshot *s, const struct be_disk_list *now, const struct be_revert_req *r,
			struct be_revert_plan *p, char *why, size_t n);
void be_revert_plan_clear(struct be_revert_plan *p);

#endif
