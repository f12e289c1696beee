/* Every command the core can ask for, one row each: the enum (cmd.h),
 * the lanes (cmd.c) and the worker's answers, merging and handlers
 * (worker.c) are generated from it. Included with CMD defined:
 *
 *   CMD(name, lane, check, answer, merge, run)
 *
 * name    CMD_<name> in enum cmd_type; its own fields, if any, are
 *         struct cmd's u.<name in lower case>.
 * lane    who carries it out: READS, the host's reads worker (quick, never
 *         behind a long operation); OPS, its operations worker (long, one
 *         at a time, each a job); NONE, no worker (the runner quits, the
 *         host link answers its credential question at once).
 * check   UUID: an operation on the VM of the UUID it carries, asked of
 *         libvirt first (be_vm_check), never on another VM given its name
 *         since; NAME: by name alone.
 * answer  the event that answers it: the worker makes it, naming what the
 *         command was about, for the handler to fill in and post, or posts
 *         it with rc -1 and "not connected" when the host has no
 *         connection. SILENT: none (details come as EV_DETAILS, or stay
 *         unknown); CONNECTS: the host link answers it, and it runs with
 *         no connection, as it opens one.
 * merge   how a copy still waiting in the queue answers a repeat (the
 *         same command for the same VM): merge_same, it just stays;
 *         merge_load, it also takes the repeat's flags;
 *         merge_load_imginfo, it takes the repeat's files; NULL: a repeat
 *         is queued and carried out too.
 * run     the worker's handler (worker.c); NULL for lane NONE.
 */
/*  name             lane   check answer         merge       run */
/* Re-read the VM list, with the details and pools its fields ask for. */
CMD(LOAD_VMS,        READS, NAME, EV_VMS_LOADED, merge_load, run_load_vms)
/* Details of the VM name: with no connection they stay unknown. */
CMD(LOAD_DETAILS,    READS, NAME, SILENT,        merge_same, run_load_details)
/* Snapshots and disks of the VM name. */
CMD(LOAD_SNAPSHOTS,  READS, NAME, EV_SNAPSHOTS,  merge_same, run_load_snapshots)
/* What the files of the chains under paths hold (qemu-img info), asked
 * once the tree is on screen; given up after IMGTOOL_INFO_TIMEOUT_MS. */
CMD(LOAD_IMGINFO,    READS, NAME, EV_IMGINFO,    merge_load_imginfo, run_load_imginfo)
/* Progress of the job on the VM name; abort it. */
CMD(JOB_INFO,        READS, NAME, EV_JOB_INFO,   NULL,       run_job_info)
CMD(JOB_ABORT,       READS, UUID, EV_OP_DONE,    NULL,       run_job_abort)
/* The disk chains of every VM. */
CMD(LOAD_IMAGES,     READS, NAME, EV_IMAGES,     merge_same, run_load_images)
/* Progress of the block job on disk of name; cancel or pivot it. */
CMD(BLOCK_INFO,      READS, NAME, EV_BLOCK_INFO, NULL,       run_block_info)
CMD(BLOCK_ABORT,     READS, UUID, EV_OP_DONE,    NULL,       run_block_abort)
/* Every block job running on the host. */
CMD(FIND_BLOCK_JOBS, READS, NAME, EV_BLOCK_JOBS, merge_same, run_find_block_jobs)
/* (Re)open the host's connections. */
CMD(CONNECT,         READS, NAME, CONNECTS,      merge_same, run_connect)
/* Credentials for host, or none. Never logged. */
CMD(AUTH_ANSWER,     NONE,  NAME, SILENT,        NULL,       NULL)
/* Long operations, run one at a time, each a job: */
/* Power the VM name on or off, pause, hibernate... */
CMD(ACT,             OPS,   UUID, EV_OP_DONE,    NULL,       run_act)
/* Take snapshot snap of name; revert name to it; delete it. */
CMD(SNAP_CREATE,     OPS,   UUID, EV_OP_DONE,    NULL,       run_snap_create)
CMD(SNAP_REVERT,     OPS,   UUID, EV_OP_DONE,    NULL,       run_snap_revert)
CMD(SNAP_DELETE,     OPS,   UUID, EV_OP_DONE,    NULL,       run_snap_delete)
/* A new overlay on disk of name. */
CMD(OVERLAY_NEW,     OPS,   UUID, EV_OP_DONE,    NULL,       run_overlay_new)
/* Drop the layers of disk above one. */
CMD(OVERLAY_DISCARD, OPS,   UUID, EV_OP_DONE,    NULL,       run_overlay_discard)
/* Merge the layers of disk above a base into it. */
CMD(BLOCK_COMMIT,    OPS,   UUID, EV_OP_DONE,    NULL,       run_block_commit)
/* Delete volumes; the VM it may name is whose files they were, and the
 * files themselves are checked. */
CMD(VOL_DELETE,      OPS,   NAME, EV_OP_DONE,    NULL,       run_vol_delete)
/* How a commit on disk of name ended while the host was away. */
CMD(COMMIT_RECOVER,  OPS,   UUID, EV_OP_DONE,    NULL,       run_commit_recover)
/* Delete the shut-off VM name with the images it alone uses (paths). */
CMD(VM_DELETE,       OPS,   UUID, EV_OP_DONE,    NULL,       run_vm_delete)
/* Clone the shut-off VM name as a new VM (linked or full), or put a new
 * VM on a layer of disk. */
CMD(VM_CLONE,        OPS,   UUID, EV_OP_DONE,    NULL,       run_vm_clone)
/* qemu-img check of disk of name from a layer down (read only); repair
 * the leaks of one file of a shut-off VM; stop the qemu-img of a job. */
CMD(IMG_CHECK,       OPS,   UUID, EV_OP_DONE,    NULL,       run_img_check)
CMD(IMG_REPAIR,      OPS,   UUID, EV_OP_DONE,    NULL,       run_img_repair)
/* A standalone copy of disk of name's chain; the disk then on it. */
CMD(CHAIN_COPY,      OPS,   UUID, EV_OP_DONE,    NULL,       run_chain_copy)
/* Delete snapshot snap, unknown to libvirt, from a file of name's disk. */
CMD(IMG_SNAP_DELETE, OPS,   UUID, EV_OP_DONE,    NULL,       run_img_snap_delete)
CMD(TOOL_ABORT,      READS, NAME, EV_OP_DONE,    NULL,       run_tool_abort)
CMD(QUIT,            NONE,  NAME, SILENT,        NULL,       NULL)
