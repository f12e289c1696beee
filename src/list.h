/* `vmmanager --list`: the VMs of every host, as aligned text or (json)
 * one JSON document, for scripts; no screen. */
#ifndef VMM_LIST_H
#define VMM_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A host to list: its name as the screens show it, and its URI ("" for
 * libvirt's default). */
struct list_host {
	const char *name;
	const char *uri;
	bool readonly;
};

/* Lists the VMs of the n hosts to out, each host's VMs by name. Returns
 * 0, or 1 when a host could not be read (its name and libvirt's message
 * on err_out; the others are listed all the same). */
int list_vms(const struct list_host *hosts, size_t n, bool json, FILE *out, FILE *err_out);

#endif
