/* Runs every unit test group; exits non-zero when any test failed. */
#include "tests/unit/unit.h"

int main(void)
{
	int failed = 0;

	failed += test_keymap_group();
	failed += test_app_group();
	failed += test_xml_group();
	failed += test_snapext_group();
	failed += test_worker_group();
	failed += test_tree_group();
	failed += test_images_group();
	failed += test_snapview_group();
	failed += test_bigtree_group();
	failed += test_chain_group();
	failed += test_xml_edit_group();
	failed += test_hosts_group();
	failed += test_log_group();
	failed += test_config_group();
	failed += test_textesc_group();
	failed += test_util_group();
	failed += test_listpos_group();
	failed += test_screen_group();
	failed += test_vmdelete_group();
	failed += test_cloneplan_group();
	failed += test_revertplan_group();
	failed += test_imgcheck_group();
	return failed ? 1 : 0;
}
