/* The images screen's model: every VM's backing chains turned upside down,
 * so that each base image is a root and the VMs and disks that read it
 * are its leaves. Shows at a glance which bases are shared. */
#ifndef VMM_IMAGES_H
#define VMM_IMAGES_H

#include <stddef.h>

#include "core/event.h"
#include "core/tree.h"

enum image_kind {
	IMG_FILE, /* an image: path and format */
	IMG_USE,  /* a VM's disk whose active layer is the parent image */
};

struct image_node {
	enum image_kind kind;
	char *path;   /* IMG_FILE: the image; IMG_USE: the VM's name */
	char *format; /* IMG_FILE: its format; IMG_USE: the disk target */
	size_t users; /* IMG_FILE: VM disks whose chains use it */
};

struct images {
	struct image_node *nodes;
	struct tree_node *tree;
	size_t n;
	struct tree_layout layout;
	size_t shared; /* base images used by more than one VM disk */
};

/* Builds the model from every VM's chains. Free with images_free. */
void images_build(struct images *out, const struct vm_disks_list *chains);
void images_free(struct images *im);

/* How many VMs read path through their chains, but for disk skip_disk of
 * VM skip_vm (the one acted on: another disk of it counts, as in the
 * backend's check); their names, comma-separated, into buf. */
size_t images_users(const struct images *im, const char *path, const char *skip_vm, const char *skip_disk,
		    char *buf, size_t n);

#endif
