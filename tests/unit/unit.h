/* The unit test groups; each returns cmocka's count of failures. */
#ifndef VMM_UNIT_H
#define VMM_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/cmd.h"
#include "core/event.h"

/* What the stories look for in the commands the core emitted
 * (helpers.c): the first of type t, or NULL; how many. */
const struct cmd *cmds_find(const struct cmds *c, enum cmd_type t);
int cmds_count(const struct cmds *c, enum cmd_type t);

/* A VM as a host lists it (uuid "uuid-NAME", 1 vCPU, 1 MiB), and a list
 * of them delivered to the core as the worker would (out may be NULL). */
struct app;
struct be_vm unit_vm(const char *name, enum be_vm_state st, int nsnap, int depth);
void unit_load_vms(struct app *a, const struct be_vm *vms, size_t n, struct cmds *out);

int test_app_group(void);
int test_keymap_group(void);
int test_xml_group(void);
int test_snapext_group(void);
int test_worker_group(void);
int test_tree_group(void);
int test_images_group(void);
int test_snapview_group(void);
int test_bigtree_group(void);
int test_chain_group(void);
int test_xml_edit_group(void);
int test_hosts_group(void);
int test_log_group(void);
int test_config_group(void);
int test_textesc_group(void);
int test_util_group(void);
int test_listpos_group(void);
int test_screen_group(void);
int test_vmdelete_group(void);
int test_cloneplan_group(void);
int test_revertplan_group(void);
int test_imgcheck_group(void);

#endif
