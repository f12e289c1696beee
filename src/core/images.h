/* The images screen's model: every VM's backing chains turned upside down,
 * so that each base image is a root and the VMs and disks that read it
 * are its leaves. Shows at a glance which bases are shared. */
#ifndef VMM_IMAGES_H
#define VMM_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cmd.h"
#include "core/event.h"
#include "core/tree.h"

struct app;

enum image_kind {
	IMG_FILE,   /* an image: path and format */
	IMG_USE,    /* a VM's disk whose active layer is the parent image */
	IMG_SNAP,   /* a snapshot whose disk state lives in the parent image */
	IMG_UNUSED, /* the group of images nothing uses: its children */
};

struct image_node {
	enum image_kind kind;
	char *path;   /* IMG_FILE: the image; IMG_USE, IMG_SNAP: the VM's name */
	char *format; /* IMG_FILE: its format, and what it is unless a plain
		       * file ("raw, block device"); IMG_USE, IMG_SNAP: the
		       * disk target */
	char *snap;   /* IMG_SNAP: the snapshot's name */
	bool external; /* IMG_SNAP: frozen below an overlay, not inside */
	size_t users; /* IMG_FILE: VM disks whose chains use it */
	long long allocation; /* IMG_FILE of the unused group: bytes, -1 unknown */
	char *marks; /* IMG_USE: "cdrom", "read-only"..., NULL for a disk */
};

struct images {
	struct image_node *nodes;
	struct tree_node *tree;
	size_t n;
	struct tree_layout layout;
	size_t *by_path; /* the IMG_FILE nodes sorted by path, for lookups */
	size_t nfiles;
	size_t shared; /* base images used by more than one VM disk */
	size_t unused; /* volumes that no chain, snapshot or image uses */
};

/* Builds the model from every VM's chains and snapshots and the volumes
 * of the host's pools. Free with images_free. */
void images_build(struct images *out, const struct vm_disks_list *chains, const struct be_vol_list *vols);
void images_free(struct images *im);

/* Who reads path, as the model knows: every VM disk whose chain goes
 * through it but disk skip_disk of VM skip_vm (the one acted on: another
 * disk of it counts, as in the backend's check), and every snapshot whose
 * state lies on it, but skip_vm's snapshots in the files going (the
 * action removes those) and skip_vm's internal ones inside path itself (a
 * write there keeps them). How many; their names, "; "-separated, into
 * buf. */
size_t images_users(const struct images *im, const char *path, const char *skip_vm, const char *skip_disk,
		    const char *const *going, size_t ngoing, char *buf, size_t n);

/* The same for many paths of one action: what it skips, prepared once,
 * so that checking every layer of a deep chain stays cheap. vm and disk
 * stay the caller's; free with images_skip_free. */
struct images_skip {
	const char *vm, *disk;
	bool *going; /* per node of the model: a file the action removes */
};
void images_skip_init(struct images_skip *s, const struct images *im, const char *vm, const char *disk,
		      const char *const *going, size_t ngoing);
void images_skip_free(struct images_skip *s);
size_t images_readers(const struct images *im, const char *path, const struct images_skip *s, char *buf, size_t n);
/* The image node of path, or TREE_NONE. */
size_t images_find(const struct images *im, const char *path);

/* The images screen (images_screen, screen.h) on host's images: they are
 * read again. */
void images_open(struct app *a, int host, struct cmds *out);
/* Reads host's images behind the screen (for the chain pane's checks). */
void images_load(struct app *a, int host, struct cmds *out);
void images_loaded(struct app *a, struct event *ev);
const struct image_node *images_selected(const struct app *a);
void images_scroll(struct app *a);

#endif
