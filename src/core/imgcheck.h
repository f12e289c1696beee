/* qemu-img where libvirt has no API (issue #13): what `qemu-img check
 * --output=json` and `qemu-img info --output=json` answer, read by a small
 * JSON reader, and the argument vector that runs qemu-img on the host that
 * holds the files (locally, or through ssh for a qemu+ssh:// URI). Pure:
 * no process is started here (src/runtime/imgtool.c runs them). */
#ifndef VMM_IMGCHECK_H
#define VMM_IMGCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/types.h"

/* What a check found in one file. */
enum imgcheck_status {
	IMGCHECK_CLEAN,       /* no errors */
	IMGCHECK_LEAKS,       /* leaked clusters only: wasted space, no harm */
	IMGCHECK_CORRUPT,     /* corruptions: never repaired automatically */
	IMGCHECK_FAILED,      /* the check could not finish (errors, unreadable
			       * file, an answer that could not be read) */
	IMGCHECK_UNSUPPORTED, /* the format has no check (raw, ...) */
	IMGCHECK_SKIPPED,     /* not checked: why is in msg */
};

struct imgcheck_result {
	enum imgcheck_status status;
	long long leaks, corruptions, check_errors; /* -1: not reported */
	long long leaks_fixed, corruptions_fixed;
	char msg[600]; /* what to do, qemu-img's message, or why skipped */
};

/* Reads qemu-img check's JSON (out), its exit status and its standard
 * error into *r. Fails closed: an answer that is not whole valid JSON, or
 * that disagrees with the exit status, is never "clean". */
void imgcheck_parse(const char *out, int exit_status, const char *err, struct imgcheck_result *r);

/* One line for a layer's result: "clean", "3 leaked clusters (wasted
 * space, no harm)", "2 corruptions: ...". In buf. */
const char *imgcheck_summary(const struct imgcheck_result *r, char *buf, size_t n);

/* One file's result, and a check's results, top layer first. */
struct imgcheck_layer {
	char *path;
	struct imgcheck_result r;
};

struct imgcheck_report {
	struct imgcheck_layer *l;
	size_t n;
};

/* Adds path's result (copies both). */
void imgcheck_report_add(struct imgcheck_report *rep, const char *path, const struct imgcheck_result *r);
/* path's latest result in rep, or NULL. */
const struct imgcheck_result *imgcheck_report_find(const struct imgcheck_report *rep, const char *path);
void imgcheck_report_clear(struct imgcheck_report *rep);
/* Frees a report made with xcalloc and what it holds; NULL is fine. */
void imgcheck_report_free(struct imgcheck_report *rep);

/* A snapshot stored inside an image file (qemu-img info). */
struct imgsnap {
	char name[256];
	char id[32];
	long long date_sec;      /* creation, seconds since the epoch */
	long long vm_state_size; /* bytes of saved memory, 0 for a disk-only one */
	long long vm_clock_ms;   /* the guest's clock when taken */
};

struct imgsnap_list {
	struct imgsnap *s;
	size_t n;
};

/* The "snapshots" of qemu-img info's JSON; 0, or -1 with why in err
 * (not JSON, truncated). An image with no snapshots gives n = 0. */
int imginfo_parse_snapshots(const char *out, struct imgsnap_list *l, char *err, size_t en);
void imgsnap_list_clear(struct imgsnap_list *l);

/* What qemu-img info says each file of a chain holds, by path. */
struct imginfo_file {
	char *path;
	struct imgsnap_list snaps;
};

struct imginfo_map {
	struct imginfo_file *f;
	size_t n;
	char why[300]; /* when nothing could be read: why ("" when read) */
};

/* qemu-img info --backing-chain --output=json: an array of one object per
 * file (or a single object), each file's snapshots added to map. 0, or -1
 * with why in map->why. */
int imginfo_parse_chain(const char *out, struct imginfo_map *map);
/* path's snapshots in map, NULL when the file was not read. */
const struct imgsnap_list *imginfo_find(const struct imginfo_map *map, const char *path);
void imginfo_map_clear(struct imginfo_map *map);
/* Whether libvirt knows the snapshot name stored inside path: one of
 * snaps (the VM's) of that name whose files include path (or whose files
 * are not known). */
bool imgsnap_known(const struct be_snap_list *snaps, const char *path, const char *name);
/* The snapshots of l as a line: "a (64.0 MiB memory), b [unknown to
 * libvirt]"; "" for none. In buf. */
const char *imgsnap_line(const struct imgsnap_list *l, const struct be_snap_list *snaps, const char *path, char *buf,
			 size_t n);
void imginfo_map_free(struct imginfo_map *map);

/* Where qemu-img runs for a connection URI. */
enum imgtool_where {
	IMGTOOL_LOCAL,     /* no host in the URI: here */
	IMGTOOL_SSH,       /* qemu+ssh://: ssh to the URI's own destination */
	IMGTOOL_ELSEWHERE, /* another remote transport: not available */
};

/* The argument vector that runs args (args[0] "qemu-img", NULL-ended) on
 * the host of uri: args themselves locally; for qemu+ssh, "ssh -o
 * BatchMode=yes [-p port] [-i keyfile] [-l user] host -- " and each
 * argument quoted for the remote shell. *argv is NULL-ended, allocated
 * (free with imgtool_argv_free); NULL for IMGTOOL_ELSEWHERE. */
enum imgtool_where imgtool_argv(const char *uri, const char *const *args, char ***argv);
void imgtool_argv_free(char **argv);

/* s quoted for a POSIX shell: 'it'\''s'. Allocated. */
char *imgtool_shell_quote(const char *s);
/* args as one command line to type in a shell, each argument quoted
 * where it needs it. Allocated. */
char *imgtool_command_line(const char *const *args);

#endif
