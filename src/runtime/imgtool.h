/* Runs qemu-img (or ssh running it on the host of the files) as a child
 * process with an argument vector, never through a local shell, and
 * reads its output; a job's run can be cancelled from another thread. */
#ifndef VMM_IMGTOOL_H
#define VMM_IMGTOOL_H

#include <stddef.h>

#include "backend/backend.h"
#include "core/imgcheck.h"

/* Runs argv (argv[0] looked up in PATH) with no standard input, and
 * reads its standard output and error whole into *out and *err
 * (allocated, NUL-ended, at most 1 MiB each). Returns its exit status
 * (0..255), -1 when it could not start (why in *err), -2 when job was
 * cancelled (imgtool_cancel: the child is killed), -3 when a signal
 * ended it. */
int imgtool_run(char *const *argv, int job, char **out, char **err);
/* The same, given up at deadline (mono_ms; 0: none): the child is then
 * killed and reaped behind the caller's back (a read of a hung NFS file
 * or an ssh to a dead host ends only when it ends), and -4 returned. */
int imgtool_run_until(char *const *argv, int job, long long deadline, char **out, char **err);

/* Cancels the runs of job, now and until imgtool_forget(job). */
void imgtool_cancel(int job);
/* Forgets job's cancellation once its command is done. */
void imgtool_forget(int job);

/* qemu-img check of the files of disk's chain from the layer from down,
 * where the files are (a local URI: here; qemu+ssh: through ssh; other
 * URIs: not run, the command to run there in the result), each file's
 * result added to rep; the active layer of a running VM is skipped, with
 * why. -1 with err when the chain cannot be read or job was cancelled
 * (BE_ERR_ABORTED; what was checked by then is in rep). */
int imgtool_check(struct be_conn *conn, const char *vm, const char *disk, const char *from, int job,
		  struct imgcheck_report *rep, struct be_error *err);
/* qemu-img check -r leaks of path, after the backend's last check
 * (be_image_may_repair); its result added to rep. */
int imgtool_repair(struct be_conn *conn, const char *vm, const char *disk, const char *path, int job,
		   struct imgcheck_report *rep, struct be_error *err);

/* qemu-img snapshot -d name path: a snapshot libvirt does not know,
 * deleted from a shut-off VM's file that nothing else reads (checked
 * first, be_image_may_write). */
int imgtool_snapshot_delete(struct be_conn *conn, const char *vm, const char *disk, const char *path,
			    const char *name, struct be_error *err);

/* How long the qemu-img info of one VM's disks may take in all: a hung
 * NFS file or ssh must not hold the host's reads lane, which carries
 * every other read of that host. Normally well under a second; ssh to a
 * far host may take a few. */
#define IMGTOOL_INFO_TIMEOUT_MS 5000

/* What qemu-img info says the files of the chains of the top layers at
 * paths hold (their internal snapshots), read where the files are, one
 * qemu-img a path, all within timeout_ms; map->why says why, where one
 * could not be read. Read only (-U). */
void imgtool_info_of(struct be_conn *conn, const char *const *paths, size_t n, int timeout_ms,
		     struct imginfo_map *map);
/* imgtool_info_of the active layers of disks that are local files named
 * by an absolute path (no device, no network disk). */
void imgtool_info(struct be_conn *conn, const struct be_disk_list *disks, struct imginfo_map *map);

#endif
