/* `vmmanager --print VM`: the VM's snapshot tree and disk chains as plain
 * text, for scripts and pipes. */
#ifndef VMM_PRINT_H
#define VMM_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "backend/backend.h"
#include "core/tree.h"

/* Prints vm's snapshots and chains to out. Returns 0, or 1 with libvirt's
 * message on err_out when the VM cannot be read. */
int print_vm(struct be_conn *c, const char *vm, bool ascii, FILE *out, FILE *err_out);

/* "vmmanager: WHAT: MSG" on err_out, for people (as main.c's messages):
 * what data holds reaches it as stand-ins, not escapes. */
void print_failure(FILE *err_out, const char *what, const char *msg);

/* The snapshots of l as tree nodes (parent by name, siblings by
 * creation time), for --print and --print --json; the caller frees it. */
struct tree_node *print_snap_nodes(const struct be_snap_list *l);

/* The "version" of the JSON documents --print --json and --list --json
 * write (print_json.c, list.c): it changes only when a field changes its
 * meaning or goes; new fields may come without it. */
#define PRINT_JSON_VERSION 1

/* The same as one JSON document (vmmanager.1 says each field). */
int print_vm_json(struct be_conn *c, const char *vm, FILE *out, FILE *err_out);

#endif
