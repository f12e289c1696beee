/* The plan of a clone, as plain data computed without libvirt: which
 * files are made (for each disk of the source), which definitions are
 * written, and in which steps; and how the steps done so far are undone
 * when a later one fails. be_vm_clone (vmclone.c) reads the source's
 * disks and definition, asks for the plan, then does its steps one by
 * one, recording each in its ledger; unit tested (tests/unit). Internal to
 * the backend. */
#ifndef VMM_CLONEPLAN_H
#define VMM_CLONEPLAN_H

#include "backend/types.h"

/* What the clone does with one disk of the source. */
enum cp_make {
	CP_REFERENCED, /* named as it is: a CD-ROM, a read-only or shareable
			* disk, a drive with no medium */
	CP_OVERLAY,    /* a new qcow2 overlay on the source's layer `from` */
	CP_COPY,       /* a standalone copy of the chain ending at `from`,
			* the source's active layer (a full clone) */
};

struct cp_disk {
	char *target;      /* "vda" */
	enum cp_make make;
	size_t layer;      /* the index of `from` in the source disk's layers */
	char *from;        /* the source's file built on or copied; NULL when
			    * referenced */
	char *path;        /* the clone's new file, named after the clone in
			    * the folder of the source's active layer; NULL
			    * when referenced */
	char *fresh;       /* a linked clone on the source's active layer:
			    * the source's own fresh overlay on `from` (the
			    * file the two share is then written by neither);
			    * else NULL */
	char *pool;        /* a volume disk's pool (its active layer a file
			    * of that pool): the new files stay volumes of it
			    * in the definitions; else NULL */
};

/* The steps, in the order they are done. */
enum cp_step_kind {
	CP_STEP_CLONE_FILE,    /* the clone's file of disk (overlay or copy) */
	CP_STEP_FRESH_OVERLAY, /* the source's fresh overlay of disk */
	CP_STEP_NVRAM_COPY,    /* the clone's copy of the NVRAM file */
	CP_STEP_DEFINE_CLONE,  /* the clone's definition (clone_xml) */
	CP_STEP_DEFINE_SOURCE, /* the source onto its fresh overlays
				* (source_xml), last: one definition, at once */
};

struct cp_step {
	enum cp_step_kind kind;
	size_t disk;      /* CP_STEP_CLONE_FILE, _FRESH_OVERLAY: index in d */
	const char *path; /* the file made (in the plan); NULL for definitions */
};

struct clone_plan {
	struct cp_disk *d; /* every disk of the source, in its order */
	size_t n;
	char *nvram;       /* the source's NVRAM file, NULL when none */
	char *nvram_copy;  /* the clone's own copy of it, NULL when none */
	char *clone_xml;   /* the clone's definition: its name, no UUID, no
			    * MAC, its disks on their new files, its NVRAM */
	char *source_xml;  /* the source's definition on its fresh overlays;
			    * NULL when it gets none */
	struct cp_step *steps;
	size_t nsteps;
};

/* What is asked for. */
struct clone_req {
	const char *vm;    /* the source */
	const char *name;  /* the clone */
	bool full;         /* a full clone, else linked */
	const char *disk, *layer; /* a clone from a layer: the layer (path) of
				   * disk built on; NULL for the whole VM */
	const char *stamp; /* the fresh overlays' time stamp, "20261207-234500" */
};

/* The plan for r from the source's disks dl and definition srcxml.
 * Returns 0 (p filled; free with clone_plan_clear) or -1 with err set (a
 * refusal, or a definition that cannot be rewritten) and p empty. */
int clone_plan_make(const struct be_disk_list *dl, const char *srcxml, const struct clone_req *r,
		    struct clone_plan *p, struct be_error *err);
void clone_plan_clear(struct clone_plan *p);

/* How a step done is undone. */
enum cp_undo_kind {
	CP_UNDO_RESTORE_SOURCE, /* define the source's old definition again */
	CP_UNDO_UNDEFINE_CLONE, /* undefine the clone (its NVRAM kept: the
				 * copy is a file of the ledger) */
	CP_UNDO_DELETE_FILE,    /* delete the file made at path */
};

struct cp_undo {
	enum cp_undo_kind kind;
	size_t step;      /* the step it undoes, an index in the plan's steps */
	const char *path; /* CP_UNDO_DELETE_FILE */
};

/* The undo of the first ndone steps of p (those done when step ndone
 * failed), into out (room for ndone): the last done first, so that the
 * source is back on its old files before its fresh overlays go and the
 * clone is undefined before its files go. Returns how many. */
size_t clone_undo(const struct clone_plan *p, size_t ndone, struct cp_undo *out);

#endif
