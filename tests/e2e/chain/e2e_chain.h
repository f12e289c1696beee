/* What the chain e2e tests share (helpers.c): the daemon they talk to,
 * shell commands, images and VMs in $E2E_IMG (the "images" pool), and the
 * groups main() in test_chain.c runs. */
#ifndef VMM_E2E_CHAIN_H
#define VMM_E2E_CHAIN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Every group runs through e2e_run_group: with E2E_CHAIN_PART=K/N in the
 * environment, only its tests K, K+N, K+2N... (counting from 1), so that
 * tests/e2e/run.sh can run a group whose tests are independent in N parts
 * at once, each on a daemon of its own; all of them without it. */
int e2e_run_group(const char *name, const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
		  CMFixtureFunction teardown);
#undef cmocka_run_group_tests_name
#define cmocka_run_group_tests_name(name, tests, setup, teardown) \
	e2e_run_group(name, tests, sizeof(tests) / sizeof((tests)[0]), setup, teardown)

#include "backend/backend.h"

#define MIB (1024ULL * 1024ULL)
#define PATH_LEN 512

/* $E2E_URI, $E2E_IMG, $E2E_USER; set by main(). */
extern const char *uri, *img_dir, *img_user;
/* The connection the calls under test use; each group opens and closes
 * it. */
extern struct be_conn *conn;

/* Runs the shell command made from fmt, stderr joined to stdout; returns
 * the output (malloc'd) and the exit status in *status (-1: killed). */
char *shell(int *status, const char *fmt, ...);
/* The command must succeed; its output is returned (malloc'd). */
char *must(const char *fmt, ...);
void must_quiet(const char *fmt, ...);
long long now_ms(void);

/* out = $E2E_IMG/name.qcow2 */
char *img(char out[PATH_LEN], const char *name);
/* The session daemon's QEMU runs as $E2E_USER: what root makes is its. */
void own(const char *path);
/* A qcow2 image of size, or over backing (recorded with its format). */
void qcow2(const char *path, const char *size, const char *backing);
/* virsh pool-refresh images */
void pool_refresh(void);
/* Whether a storage pool knows a volume at path (virsh vol-info). */
bool in_pool(const char *path);

/* A tiny shut-off VM as daemon.sh's e2e_define_vm makes it, on the qcow2
 * top. */
void define_vm(const char *vm, const char *top);
/* The same with n qcow2 disks, vda, vdb, ... on tops[0], tops[1], ... */
void define_vm_disks(const char *vm, const char *const *tops, size_t n);
/* virsh domstate, or "" when there is no such VM. */
void domstate(const char *vm, char *out, size_t n);

/* Destroys and undefines every VM whose name starts with prefix and
 * removes every file of $E2E_IMG whose name does. Never fails: it runs in
 * teardowns. */
void drop(const char *prefix);
/* A teardown: drop() of the prestate prefix. */
int drop_prefix(void **state);

/* Whether a file exists here. */
bool exists(const char *path);
/* qemu-img check -U finds no error in any of the images (NULL-terminated). */
void assert_intact(const char *path, ...);
/* Polls virsh domstate until vm is in state want (30 s). */
void wait_state(const char *vm, const char *want);
void start_vm(const char *vm);
/* The source of vm's disk vda: domblklist (live, or --inactive). */
char *blk_source(const char *vm, bool inactive, char out[PATH_LEN]);

/* A group's setup and teardown: conn opened on uri (0, or -1 saying why
 * on stderr), and closed. Groups with more to do call them from theirs. */
/* An 8 MiB tmpfs beside $E2E_IMG at dir (n bytes), storage pool pool: too small
 * for a 64 MiB VM's memory or a copy; dropped with its files. */
int small_pool_make(const char *pool, char *dir, size_t n);
void small_pool_drop(const char *pool, const char *dir);
int group_open(void **state);
int group_close(void **state);

/* The groups; each returns cmocka's count of failures. */
int test_walk_group(void);
int test_lab_group(void);
int test_readers_group(void);
int test_faults_group(void);
int test_disktypes_group(void);
int test_clone_group(void);
int test_imgtools_group(void);
int test_snapkinds_group(void);
int test_snaprevert_group(void);

#endif
