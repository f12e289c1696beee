/* The one interface to libvirt: the operations on a connection. Its data
 * types are in types.h, all that the core and the UI include; the runtime,
 * main.c and print.c call these. The real implementation is libvirt.c and
 * the files beside it, unit tests link a fake (tests/unit/fake_backend.c). */
#ifndef VMM_BACKEND_H
#define VMM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"

typedef void (*be_event_fn)(void *ctx, const struct be_event *ev);

/* Fills the answers of creds (n of them); returns 0, or -1 to cancel. Runs
 * on the thread that opens the connection. */
typedef int (*be_auth_fn)(void *ctx, struct be_cred *creds, size_t n);

struct be_conn; /* opaque */

/* Starts libvirt's event loop on its own thread; call once before
 * be_open. Returns 0 or -1. */
int be_init(struct be_error *err);

/* Opens uri (NULL: libvirt's default). Returns NULL on failure with err
 * set. The caller owns the result; free with be_close. */
struct be_conn *be_open(const char *uri, bool readonly, struct be_error *err);
/* The same, asking fn for credentials (be_open asks on the terminal). The
 * connections be_open_ops makes for it ask fn again. */
struct be_conn *be_open_auth(const char *uri, bool readonly, be_auth_fn fn, void *ctx, struct be_error *err);
/* The credential questions of the connections be_open_ops makes for c. */
void be_set_auth(struct be_conn *c, be_auth_fn fn, void *ctx);
/* One more owner of c; each owner calls be_close. Thread-safe. */
struct be_conn *be_ref(struct be_conn *c);
void be_close(struct be_conn *c);

/* A second connection to c's host, for long operations: libvirt's client
 * may hold back other threads' calls on a connection while a long call
 * (a managed save) runs, which would freeze progress and abort. Where
 * connections do not share state (the test driver) it is c itself. Free
 * with be_close. */
struct be_conn *be_open_ops(struct be_conn *c, struct be_error *err);

/* The most calls the backend keeps in flight on one connection when it
 * reads many things at once (a tree's snapshot XMLs, a fleet's details).
 * The daemon is not what this protects: it takes at most
 * max_client_requests (default 5) of a client's calls off the socket at
 * a time (virNetServerClient stops reading it until one is answered, and
 * logs once "Client hit max requests limit"), so a connection never holds
 * more than 5 of the daemon's max_workers (default 20) threads however
 * many calls wait, and other clients keep the rest; what waits is bytes
 * in the socket. libvirt's client (virNetClient) queues any number of
 * calls, each a thread of ours waiting for its reply. So the bound is
 * ours: a thread per call waiting (the fan-outs' threads add some 5 MiB
 * to the peak RSS), against covering a round trip of the daemon's
 * answers: a busy one answers some 1000 small calls a second (50 a 50 ms
 * round trip, bench/README.md), a quick one far more, and a tree of 200
 * snapshots then goes out in one round trip. A round's requests (about
 * 100 bytes each) fit in a unix socket's send buffer (208 KiB) with room
 * to spare, and the daemon's keepalive (30 s) is far longer than such a
 * load keeps it busy. */
#define BE_CALLS_MAX 256
/* Of those, the fan-outs take at most this many (1000 snapshots: five
 * rounds, as with 248); the rest is room for what other threads read
 * meanwhile: the VM screen's chain beside its snapshots (at most 32 volume
 * reads at once, volfetch.c), the events registered beside the first
 * list's details, the images screen's 32 scans beside their snapshots,
 * a fleet load's listing of the pools' volumes (8 pools at once,
 * volfetch.c). */
#define BE_FANOUT_MAX 200
/* The most calls c had in flight at once through the backend's
 * fan-outs, since it was opened (for tests). */
int be_calls_peak(struct be_conn *c);

/* The canonical URI and host name of the connection; owned by c. */
const char *be_uri(const struct be_conn *c);
const char *be_hostname(struct be_conn *c);
bool be_readonly(const struct be_conn *c);
/* libvirt's version on c (virConnectGetLibVersion: 9007000 for 9.7.0),
 * asked once per connection; 0 when it cannot be told. */
unsigned long be_lib_version(struct be_conn *c);

/* Reads every VM with one bulk call (state, and vCPUs and memory where the
 * driver reports them). Fills out; the caller frees it with
 * be_vm_list_clear. */
int be_list_vms(struct be_conn *c, struct be_vm_list *out, struct be_error *err);

/* Fills the fields be_list_vms could not: snapshot count, chain depth,
 * and vCPUs/memory where still -1. vm->name selects the VM. */
int be_vm_details(struct be_conn *c, struct be_vm *vm, struct be_error *err);
/* The same for the n VMs of vms, many at once, the first ones first;
 * done(ctx, i, ok) is called, from any thread, as each VM's are read (ok
 * false: gone meanwhile, or unreadable). Returns when all are done. */
void be_vms_details(struct be_conn *c, struct be_vm *vms, size_t n, void (*done)(void *ctx, size_t i, bool ok),
		    void *ctx);

int be_vm_act(struct be_conn *c, const char *name, enum be_action act, struct be_error *err);

/* 0 when the VM named vm is still the one with uuid (what was selected);
 * otherwise a refusal saying what became of it. Actions check this first,
 * so that a rename or redefinition between a key and its action cannot
 * turn the action onto another VM. */
int be_vm_check(struct be_conn *c, const char *vm, const char *uuid, struct be_error *err);

/* Delivers lifecycle events and connection loss to fn on the event
 * thread until be_close. */
int be_watch(struct be_conn *c, be_event_fn fn, void *ctx, struct be_error *err);

/* Every snapshot of vm with its details; the caller frees out with
 * be_snap_list_clear. */
int be_snapshots(struct be_conn *c, const char *vm, struct be_snap_list *out, struct be_error *err);

/* Takes a snapshot (with memory when the VM runs, of the disks when it is
 * shut off). The XML is built with libxml2: name and description arrive
 * exactly as given. Refused when an active layer is read by another
 * chain or a snapshot: the snapshot would be written into a shared file. */
int be_snapshot_create(struct be_conn *c, const char *vm, const char *name, const char *description,
		       struct be_error *err);
/* snapext.c. An external snapshot named name, with metadata: each disk
 * that can take one (be_disk_allows BE_USE_EXTERNAL; read-only,
 * shareable and CD-ROM ones left out, refused when a disk can take no
 * overlay) frozen under a new qcow2 overlay beside its active layer, named
 * as the chain pane names overlays; memory: the running VM's memory too,
 * into a file beside the first overlay. Atomic. A running VM's disk-only
 * snapshot is quiesced where a guest agent answers; where none does it is
 * taken without, and note (of size nn) says so ("" otherwise). Refused
 * for a hibernated VM, memory for one not running, and where a pool has
 * no room for the files (the memory's size, an overlay's start). */
int be_snapshot_create_external(struct be_conn *c, const char *vm, const char *name, const char *description,
				bool memory, char *note, size_t nn, struct be_error *err);
/* A new overlay at path on disk, recorded as the external disk-only
 * snapshot name (the other disks left out); as above otherwise. */
int be_overlay_recorded(struct be_conn *c, const char *vm, const char *disk, const char *path, const char *name,
			char *note, size_t nn, struct be_error *err);
/* force: revert even where libvirt calls it risky. discard_save: remove
 * the VM's managed save image first (and not revert if that fails).
 * Refused, before anything changes, when a file the snapshot's state lives
 * in is gone or is read by another VM, another disk, or a snapshot (of
 * this VM too) that lives in a layer built on it: the revert writes into
 * it and makes it the active layer. Layers above that file are left as
 * they are, used by nothing. */
int be_snapshot_revert(struct be_conn *c, const char *vm, const char *name, bool force, bool discard_save,
		       struct be_error *err);
/* Unless mode is BE_DEL_METADATA, refused when a file the deleted
 * snapshots live in is read by another VM's or disk's chain: deleting
 * writes into it. */
int be_snapshot_delete(struct be_conn *c, const char *vm, const char *name, enum be_snap_delete mode,
		       struct be_error *err);

/* The disks of vm and their backing chains, from the live XML and, where
 * it stops short, the storage API. Free with be_disk_list_clear. For the
 * one VM the operator waits for, with each layer's sizes and a deep
 * chain's volumes read ahead; the _scan form, for one VM of many, reads
 * the layers one by one and no sizes. */
int be_vm_disks(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err);
int be_vm_disks_scan(struct be_conn *c, const char *vm, struct be_disk_list *out, struct be_error *err);

/* What the VM screen shows, read at once: the snapshots (be_snapshots)
 * and the disks (be_vm_disks). On failure both lists are empty. */
int be_vm_view(struct be_conn *c, const char *vm, struct be_snap_list *snaps, struct be_disk_list *disks,
	       struct be_error *err);

int be_job_info(struct be_conn *c, const char *vm, struct be_job_info *out, struct be_error *err);
int be_job_abort(struct be_conn *c, const char *vm, struct be_error *err);

/* Backing-chain work on one disk (its target, "vda"). Each refuses, with
 * err->kind BE_ERR_REFUSED and the reason, what would lose or corrupt data:
 * deleting or writing into an image another VM's chain uses, a second
 * block job on a disk, discarding the layer a running VM writes to. */

/* A new qcow2 overlay at path on top of the disk's active layer. Running:
 * a disk-only external snapshot without metadata (atomic). Shut off: a
 * volume created in the storage pool of path's folder, backed by the old
 * top, and the definition repointed to it. */
int be_overlay_new(struct be_conn *c, const char *vm, const char *disk, const char *path, struct be_error *err);

/* Shut-off VM only: deletes every layer of the disk above keep (a layer of
 * its chain) through the storage API, and points the disk at a fresh qcow2
 * overlay made at path fresh on top of keep. With fresh NULL the disk
 * points at keep itself, which is then written: refused when any other
 * chain or a snapshot reads keep. The snapshots of vm whose state lives in
 * a deleted layer lose their metadata before the files go; a layer another
 * VM, disk or snapshot uses is never deleted (refused). */
int be_overlay_discard(struct be_conn *c, const char *vm, const char *disk, const char *keep, const char *fresh,
		       struct be_error *err);

/* Merges every layer above base into base. Running or paused VM: starts an
 * active block commit and returns; the job goes on in libvirt and ends in
 * a block-job event. Shut off: starts it paused, commits, pivots once
 * libvirt reports the job ready, and stops it again, before returning 1.
 * Returns 0 when a job was started, -1 on failure. shut_off: the state the
 * caller saw; a VM that is otherwise now is refused. bandwidth in bytes/s,
 * 0 for no limit. Refused when another chain or a snapshot reads base.
 * The snapshots of vm whose state lives in a merged layer lose their
 * metadata before the job starts: their files leave the chain. */
int be_block_commit(struct be_conn *c, const char *vm, const char *disk, const char *base, bool shut_off,
		    unsigned long long bandwidth, struct be_error *err);

/* How a commit into base whose connection was lost ended, read once the
 * host is back: 0 it is done (the disk is on base), 1 a running VM's
 * commit still runs (follow it again), -1 with err when it ended without
 * its pivot. offline: a shut-off VM's commit, whose helper VM (started
 * paused, and no longer stopped by libvirt after a daemon restart) is
 * pivoted when its job is ready, else aborted, and stopped either way. */
int be_commit_recover(struct be_conn *c, const char *vm, const char *disk, const char *base, bool offline,
		      struct be_error *err);

/* The block job on the disk: 1 and out filled, 0 when there is none. */
int be_block_job_info(struct be_conn *c, const char *vm, const char *disk, struct be_block_job *out,
		      struct be_error *err);
/* Every block job on the host's running VMs. Free with
 * be_block_job_list_clear. */
int be_block_jobs(struct be_conn *c, struct be_block_job_list *out, struct be_error *err);
/* Cancels the disk's block job, or with pivot switches a ready active
 * commit over to its base; a pivot is refused when another chain or a
 * snapshot reads the base now. */
int be_block_job_abort(struct be_conn *c, const char *vm, const char *disk, bool pivot, struct be_error *err);

/* Deletes the volumes at paths (n of them), refusing those that any VM's
 * chain, any snapshot, or any volume not deleted with them still uses. */
int be_volumes_delete(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err);

/* Refreshes every active storage pool (Ctrl-L): files made behind their
 * back become volumes. */
void be_refresh_pools(struct be_conn *c);
/* Every volume of every active storage pool, refreshed first (files made
 * behind the pools' back are seen). Free with be_vol_list_clear. */
int be_volumes(struct be_conn *c, struct be_vol_list *out, struct be_error *err);

/* Deletes the shut-off VM vm (refused when it runs or is paused): its
 * definition with its snapshot metadata, managed save and NVRAM; then
 * the images at paths (n of them, each a layer of one of its disks or a
 * snapshot's file, else refused before anything changes), one by one, the
 * active layers first, each checked again (be_volumes_delete's rule) once
 * the definition is gone. An image still used is kept: -1 then, with the
 * VM gone and err naming what was kept and why. vmdelete.c. */
int be_vm_delete(struct be_conn *c, const char *vm, const char *const *paths, size_t n, struct be_error *err);

/* Clones the shut-off VM vm as a new VM name (refused when vm runs or is
 * hibernated, or name is taken), as one unit: on any failure every file
 * it made is deleted, the clone undefined, the source as it was. Linked
 * (full false): each disk an overlay on the source disk's active layer,
 * and the source on a fresh overlay of its own: neither writes into the
 * file they share. Full: each disk a standalone copy of its whole chain.
 * The clone's files are named after it, beside the source's active
 * layers; CD-ROMs, read-only and shareable disks are referenced; NVRAM
 * copied; new UUID and MACs; no snapshots. disk and layer (NULL for the
 * whole VM): the clone's disk disk is an overlay on layer, a layer of the
 * source's chain of that disk (linked only). vmclone.c. */
int be_vm_clone(struct be_conn *c, const char *vm, const char *name, bool full, const char *disk, const char *layer,
		struct be_error *err);
/* A standalone copy of disk's chain at path (chaincopy.c): a new qcow2
 * file with the chain's data and no backing file, the disk then on it.
 * shut_off: the state the caller saw (another is refused). Shut off: made
 * with the storage API in the pool of path's folder and the definition
 * repointed, returns 1. Running or paused: a full block copy started,
 * returns 0; it ends in a block-job event, READY first, for the caller to
 * pivot. -1 with err on failure. Refused when path exists, the chain is
 * not known to its end, the disk has a block job, or the pool has less
 * free space than the chain's allocation. The snapshots of vm whose state
 * lives in the old layers lose their metadata before the copy. */
int be_chain_copy(struct be_conn *c, const char *vm, const char *disk, const char *path, bool shut_off,
		  struct be_error *err);

/* Image tools (imgfiles.c; qemu-img itself runs in the runtime). The
 * files of disk's chain from the layer from down to the base, read fresh
 * (caller frees each and the array), and whether the first of them is an
 * active layer QEMU writes now (a running or paused VM's): not to be
 * checked, the result would be wrong. */
int be_image_layers(struct be_conn *c, const char *vm, const char *disk, const char *from, char ***paths, size_t *n,
		    bool *active_in_use, struct be_error *err);
/* 0 when qemu-img may write into path (check -r leaks): vm is shut off,
 * path is in disk's chain, and no other chain or snapshot reads it. */
int be_image_may_repair(struct be_conn *c, const char *vm, const char *disk, const char *path, struct be_error *err);
/* The same rule for any write qemu-img makes into path, refused as
 * "doing path: why". */
int be_image_may_write(struct be_conn *c, const char *vm, const char *disk, const char *path, const char *doing,
		       struct be_error *err);
/* 0 when vm has no snapshot called name in libvirt (one stored in a file
 * behind libvirt's back); refused otherwise: libvirt deletes its own. */
int be_image_snapshot_unknown(struct be_conn *c, const char *vm, const char *name, struct be_error *err);

#endif
