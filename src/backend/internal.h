/* What the backend's files share. Never included outside src/backend. */
#ifndef VMM_BACKEND_INTERNAL_H
#define VMM_BACKEND_INTERNAL_H

#include <libvirt/libvirt.h>
#include <pthread.h>
#include <libvirt/virterror.h>

#include "backend/backend.h"

struct be_conn {
	virConnectPtr conn;
	char *uri;
	char *host;
	bool readonly;
	unsigned long libver; /* libvirt's version, asked once (be_lib_version) */
	be_event_fn fn;
	void *ctx;
	int lifecycle_id;
	int blockjob_id;
	bool close_cb;
	int refs; /* owners: be_open_ops and be_ref hand it out again */
	pthread_mutex_t cb_lock; /* a callback runs fn only while not closing */
	bool closing;
	bool watched;        /* be_watch registered callbacks */
	struct be_conn *next; /* in the graveyard (libvirt.c) */
	be_auth_fn auth;
	void *auth_ctx;
	pthread_mutex_t calls_lock; /* guards calls and calls_peak */
	pthread_cond_t calls_cond;
	int calls;      /* be_fanout's calls in flight now */
	int calls_peak; /* and the most there were at once */
};

/* common.c, what every file here uses. Copies libvirt's last error (or
 * fallback) into err. */
void be_set_err(struct be_error *err, const char *fallback);
/* Copies msg into dst (of size n); when it does not fit, its end gives way
 * to a note of how many bytes are left out. */
void be_msg_copy(char *dst, size_t n, const char *msg);
/* Sets err to a refusal; returns -1. */
int be_refuse(struct be_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets err to the message, of kind, not libvirt's; returns -1. */
int be_set_msg(struct be_error *err, enum be_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Refuses, with be_disk_allows's reason, use of d that what d is (a
 * CD-ROM, read-only, shareable, a network disk...) does not allow;
 * returns 0 or -1 (readers.c). */
int be_refuse_by_kind(const struct be_disk *d, enum be_disk_use use, struct be_error *err);

/* Calls fn(ctx, i) for every i below n, as many at once as the
 * connection's bound allows (BE_FANOUT_MAX in flight, over all of c's
 * fan-outs together; why that number: backend.h). fn makes one libvirt
 * call, or a few one after another, and never fans out itself. */
void be_fanout(struct be_conn *c, size_t n, void (*fn)(void *ctx, size_t i), void *ctx);

/* Looks vm up by name; on failure sets err. Free with virDomainFree. */
virDomainPtr be_lookup(struct be_conn *c, const char *vm, struct be_error *err);

/* chain.c. The disk chains of dom, completed through the storage API. */
enum {
	DISKS_SIZES = 1, /* each layer's sizes too */
	DISKS_EAGER = 2, /* one VM the operator waits for: a deep chain's
			    volumes are read ahead (volfetch.c), and a file
			    in no pool's list is looked for again */
	DISKS_AHEAD = 4, /* only the reading ahead (the first screenful of
			    a fleet's details) */
};
int be_dom_disks(struct be_conn *c, virDomainPtr dom, unsigned flags, struct be_disk_list *out,
		 struct be_error *err);
/* The same, finding the layers in cat (volfetch.h: a load's listing of
 * every pool's volumes) before looking them up by path; cat may be NULL. */
struct vol_cat;
int be_dom_disks_cat(struct be_conn *c, virDomainPtr dom, unsigned flags, struct vol_cat *cat,
		     struct be_disk_list *out, struct be_error *err);

/* volsrc.c. The volumes that disks and snapshots name by pool and
 * volume, resolved to the files behind them (be_layer.volume_file), with
 * their pools' types; a volume its active pool does not have is missing. */
void be_resolve_disks(struct be_conn *c, struct be_disk_list *l);
void be_resolve_snapshots(struct be_conn *c, struct be_snap_list *l);

/* storage.c. A volume by path, refreshing the pools once if none knows
 * it (free with virStorageVolFree); the pool whose folder holds path. */
virStorageVolPtr be_vol_lookup(struct be_conn *c, const char *path);
virStoragePoolPtr be_pool_for_dir(struct be_conn *c, const char *path);
void be_refresh_pool_of(struct be_conn *c, const char *path);

/* readers.c, the backend's half of the data-safety rules. Refuses
 * "doing path: read by ..." when the files at paths, which the action
 * deletes, are read by any VM's chain (but disk of vm), any snapshot (but
 * vm's own whose files are among paths: the caller removes those), or an
 * image built on them; a chain not fully known counts, with why. */
int be_refuse_if_used(struct be_conn *c, const char *const *paths, size_t n, const char *vm, const char *disk,
		      const char *doing, struct be_error *err);
/* be_refuse_if_used for the one file path that a merge removes from
 * disk's chain, rebasing rebased (the layer of that chain built on it,
 * NULL when path is the active layer) onto the file below: rebased is
 * no reader. */
int be_refuse_if_merged(struct be_conn *c, const char *path, const char *rebased, const char *vm, const char *disk,
			const char *doing, struct be_error *err);
/* Refuses when path, which the action writes or makes disk's active
 * layer, is read by another chain or by a snapshot (but an internal one of
 * vm inside path itself, and vm's snapshots in going, which the action
 * removes from the chain). */
int be_refuse_if_read(struct be_conn *c, const char *path, const char *vm, const char *disk,
		      const char *const *going, size_t ngoing, const char *doing, struct be_error *err);
/* Refuses when another VM's or disk's chain reads path: for writes that
 * keep what the file shows (deleting an internal snapshot inside it) but
 * need it to be nobody else's. */
/* Refuses building on path (an overlay on it) when a disk other than disk
 * of vm writes into it (has it as its active layer): what is built on it
 * would read a file that changes. Checked on fresh data just before the
 * files are made; a VM whose disks cannot be read may write it (fail
 * closed). doing: "Not cloning on". */
int be_refuse_if_written(struct be_conn *c, const char *path, const char *vm, const char *disk, const char *doing,
			 struct be_error *err);
int be_refuse_if_open(struct be_conn *c, const char *path, const char *vm, const char *disk, const char *doing,
		      struct be_error *err);
/* snapshot.c. The names of dom's snapshots whose state lives in one of
 * paths (caller frees each and the array); removing their metadata only. */
int be_snapshots_in(struct be_conn *c, virDomainPtr dom, const char *const *paths, size_t n, char ***names,
		    size_t *count, struct be_error *err);
int be_snapshots_forget(virDomainPtr dom, char *const *names, size_t n, struct be_error *err);

/* A new qcow2 volume at path, in the pool of its folder, holding the
 * data of the whole chain whose active layer is l, with no backing file
 * (the storage API flattens it); NULL with err set. chaincopy.c. */
virStorageVolPtr be_flat_copy(struct be_conn *c, const struct be_layer *l, const char *path, struct be_error *err);

/* overlay.c. A qcow2 volume at path backed by layer l (its size known),
 * made in the pool of path's folder; NULL with err refused or failed.
 * Free with virStorageVolFree. */
virStorageVolPtr be_overlay_volume(struct be_conn *c, const struct be_layer *l, const char *path,
				   struct be_error *err);

/* Deletes the volumes at paths, unchecked. */
int be_delete_volumes(struct be_conn *c, const char *const *paths, size_t n, struct be_error *err);

/* dom's state (VIR_DOMAIN_*) for work on its disks, or -1 with err when
 * it cannot be read or dom is hibernated: a managed save's memory belongs
 * to the disks as they are. */
int be_disk_work_state(virDomainPtr dom, struct be_error *err);

/* vm looked up when it is shut off (not hibernated: be_disk_work_state);
 * otherwise NULL with err, a refusal "VM why" when it runs. Free with
 * virDomainFree. */
virDomainPtr be_lookup_shut_off(struct be_conn *c, const char *vm, const char *why, struct be_error *err);

/* The chain of one disk of dom (d filled, free with be_disk_list_clear
 * on list), read with be_dom_disks's flags; -1 with err when there is no
 * such disk. */
int be_disk_chain(struct be_conn *c, virDomainPtr dom, const char *disk, unsigned flags, struct be_disk_list *list,
		  struct be_disk **d, struct be_error *err);

/* overlay.c. The definition with disk pointing at path (of format),
 * defined; and why path cannot be a new file (not absolute, a volume
 * already), or 0. */
int be_repoint_disk(struct be_conn *c, virDomainPtr dom, const char *disk, const char *path, const char *format,
		    struct be_error *err);
int be_bad_new_file(struct be_conn *c, const char *path, struct be_error *err);

/* blockjob.c. dom's state for work on its disks (be_disk_work_state),
 * refused when it is not the one the caller saw (shut_off): a VM started
 * or stopped since the question would get another kind of job. */
int be_state_as_seen(virDomainPtr dom, const char *vm, bool shut_off, struct be_error *err);

/* space.c. Refuses "doing: it needs about NEED (what) in storage pool P,
 * which has FREE free" when the pool holding path's folder has less than
 * need bytes available (refreshed first); 0 when it fits or no pool holds
 * the folder. */
int be_refuse_if_no_room(struct be_conn *c, const char *path, unsigned long long need, const char *doing,
			 const char *what, struct be_error *err);
/* The same for a snapshot of dom with its memory (dom running or paused:
 * about its memory size, into the pool of the first disk that holds
 * snapshots); 0 for a shut-off VM. */
int be_refuse_if_no_room_for_memory(struct be_conn *c, virDomainPtr dom, const struct be_disk_list *dl,
				    struct be_error *err);

/* snapshot.c. True when path is known to be gone: in none of dom's
 * chains, and not in the storage pool that holds its folder. */
bool be_file_gone(struct be_conn *c, virDomainPtr dom, const char *path);
/* snaprevert.c. vmmanager's own revert of dom to the external snapshot snap (libvirt
 * before 9.7 has none): fresh overlays on the files it froze, the
 * definition on them, the memory file restored for a checkpoint, snap
 * made current; refused before anything changes when be_revert_plan_make
 * says so; what was done undone when a step fails. */
int be_revert_external(struct be_conn *c, virDomainPtr dom, const char *vm, virDomainSnapshotPtr snap,
		       struct be_error *err);
/* snapdelete.c. Deletes dom's external snapshot snap (this one only):
 * the overlays it made merged into the files it froze, by libvirt (a
 * shut-off VM run paused meanwhile), its memory file removed; refused
 * before anything changes when another chain, snapshot or image uses a
 * file merged into or removed. */
int be_delete_external(struct be_conn *c, virDomainPtr dom, const char *vm, virDomainSnapshotPtr snap,
		       struct be_error *err);
/* libvirt's block job type as ours. */
enum be_bj_type be_bj_type(int type);

#endif
