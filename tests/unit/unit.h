/* The unit test groups; each returns cmocka's count of failures. */
#ifndef VMM_UNIT_H
#define VMM_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/event.h"

/* What the stories look for in the commands the core emitted
 * (helpers.c): the first of type t, or NULL; how many. */
const struct cmd *cmds_find(const struct cmds *c, enum cmd_type t);
int cmds_count(const struct cmds *c, enum cmd_type t);

int test_app_group(void);
int test_keymap_group(void);
int test_xml_group(void);
int test_worker_group(void);
int test_tree_group(void);
int test_images_group(void);
int test_snapview_group(void);
int test_chain_group(void);
int test_xml_edit_group(void);
int test_hosts_group(void);

#endif
