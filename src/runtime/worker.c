/* The worker thread: runs one connection's backend calls one command at a
 * time and posts each outcome to the mailbox. */
#include "runtime/worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/imgcheck.h"
#include "runtime/hostlink.h"
#include "runtime/imgtool.h"
#include "shared/fifo.h"
#include "shared/util.h"

/* A command waiting for the worker. */
struct queued {
	struct fifo_node node;
	struct cmd cmd;
};

struct worker {
	struct be_conn *conn;  /* the connection of the command running; the
				* worker thread's own reference */
	struct be_conn *next;  /* the connection for the next command (lock) */
	struct hostlink *link; /* opens the connections on CMD_CONNECT */
	int host;              /* tags every event posted */
	long long busy_since;  /* when the running command began, 0 idle */
	struct mailbox *mb;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct fifo queue; /* of struct queued */
	bool running; /* a command is being carried out */
	bool stop;
};

/* Posts ev, tagged with the worker's host. */
static void post(struct worker *w, struct event *ev)
{
	ev->host = w->host;
	mailbox_post(w->mb, ev);
}

static const char **split_lines(const char *s, char **copy, size_t *n);

/* Reads that cost a few calls per VM run this many at a time. */
#define READ_THREADS 32

/* The details of a list, read many at once in the list's order
 * (be_vms_details) and posted as soon as a run at its head is complete:
 * the first screenful in an event of its own, the rest in larger ones,
 * with no thread waiting for another. */
struct detail_batch {
	struct mailbox *mb;
	int host;
	struct be_vm *vms;
	int *ok;
	bool *done;
	size_t n, posted, chunk;
	pthread_mutex_t lock;
};

/* Posts vms[posted..end), leaving out VMs gone meanwhile. */
static void post_run(struct detail_batch *b, size_t end)
{
	struct event *ev = event_new(EV_DETAILS);
	size_t i;

	ev->list.vms = xcalloc(end - b->posted, sizeof(struct be_vm));
	for (i = b->posted; i < end; i++) {
		if (b->ok[i])
			ev->list.vms[ev->list.n++] = b->vms[i];
		else
			be_vm_clear(&b->vms[i]);
	}
	b->posted = end;
	b->chunk = 4 * READ_THREADS;
	ev->host = b->host;
	if (ev->list.n)
		mailbox_post(b->mb, ev);
	else
		event_free(ev); /* every VM of the run gone */
}

static void detail_done(void *ctx, size_t i, bool ok)
{
	struct detail_batch *b = ctx;
	size_t end;

	pthread_mutex_lock(&b->lock);
	b->ok[i] = ok;
	b->done[i] = true;
	for (end = b->posted; end < b->n && b->done[end];)
		end++;
	if (end == b->n || end - b->posted >= b->chunk)
		post_run(b, end);
	pthread_mutex_unlock(&b->lock);
}

/* The list's order (by name, as it starts out). */
static int by_name(const void *pa, const void *pb)
{
	const struct be_vm *x = pa, *y = pb;
	int c = strcasecmp(x->name, y->name);

	return c ? c : strcmp(x->name, y->name);
}

void worker_details(struct be_conn *conn, struct mailbox *mb, int host, const struct be_vm_list *list)
{
	struct detail_batch b = {.mb = mb, .host = host, .n = list->n, .chunk = READ_THREADS};
	size_t i;

	if (!list->n)
		return;
	b.vms = xcalloc(b.n, sizeof(*b.vms));
	b.ok = xcalloc(b.n, sizeof(*b.ok));
	b.done = xcalloc(b.n, sizeof(*b.done));
	for (i = 0; i < b.n; i++)
		be_vm_copy(&b.vms[i], &list->vms[i]);
	qsort(b.vms, b.n, sizeof(*b.vms), by_name);
	pthread_mutex_init(&b.lock, NULL);
	be_vms_details(conn, b.vms, b.n, detail_done, &b);
	pthread_mutex_destroy(&b.lock);
	free(b.vms);
	free(b.ok);
	free(b.done);
}

struct chain_batch {
	struct be_conn *conn;
	struct vm_disks *v;
};

static void chains_one(void *ctx, size_t i)
{
	struct chain_batch *b = ctx;
	struct be_error err;

	if (be_vm_disks_scan(b->conn, b->v[i].vm, &b->v[i].disks, &err) < 0)
		memset(&b->v[i].disks, 0, sizeof(b->v[i].disks)); /* gone meanwhile */
	/* Where snapshots keep their state: files no chain uses may still be. */
	if (be_snapshots(b->conn, b->v[i].vm, &b->v[i].snaps, &err) < 0)
		memset(&b->v[i].snaps, 0, sizeof(b->v[i].snaps));
}

/* The handlers of cmds.def.h's run column. Each is given the command's
 * answer, made by answer_to (NULL for a command that has none), fills it
 * in and posts it. */

/* Every VM's disk chains and snapshots, and every volume, for the images
 * screen and the chain pane's checks. */
static void run_load_images(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	struct be_vm_list list = {0};
	struct chain_batch b = {.conn = w->conn};
	size_t i;

	(void)cmd;
	ev->rc = be_list_vms(w->conn, &list, &ev->err);
	if (ev->rc == 0) {
		b.v = xcalloc(list.n, sizeof(*b.v));
		for (i = 0; i < list.n; i++)
			b.v[i].vm = xstrdup(list.vms[i].name);
		parallel_for(list.n, READ_THREADS, chains_one, &b);
		ev->chains.v = b.v;
		ev->chains.n = list.n;
		if (be_volumes(w->conn, &ev->vols, &ev->err) < 0)
			memset(&ev->vols, 0, sizeof(ev->vols)); /* no pools: no unused group */
	}
	be_vm_list_clear(&list);
	post(w, ev);
}

static void run_load_vms(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	struct be_vm_list copy = {0};
	size_t i;

	/* Ctrl-L: files made behind the pools' back become volumes first
	 * (not on every connect: a remote host's pools can be slow to scan). */
	if (cmd->u.load_vms.refresh_pools)
		be_refresh_pools(w->conn);
	ev->rc = be_list_vms(w->conn, &ev->list, &ev->err);
	if (ev->rc == 0 && cmd->u.load_vms.details) {
		copy.vms = xcalloc(ev->list.n, sizeof(struct be_vm));
		for (i = 0; i < ev->list.n; i++)
			be_vm_copy(&copy.vms[i], &ev->list.vms[i]);
		copy.n = ev->list.n;
	}
	/* The list goes out first; details follow behind it. */
	post(w, ev);
	if (copy.n)
		worker_details(w->conn, w->mb, w->host, &copy);
	be_vm_list_clear(&copy);
}

static void run_load_details(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	struct be_vm vm = {.name = xstrdup(cmd->name)};
	struct be_vm_list one = {.vms = &vm, .n = 1};

	(void)ev;
	worker_details(w->conn, w->mb, w->host, &one);
	be_vm_clear(&vm);
}

static void run_load_snapshots(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	/* The tree goes out as soon as it is read: what the files hold
	 * (qemu-img, perhaps through ssh) is another command, behind it. */
	ev->rc = be_vm_view(w->conn, cmd->name, &ev->snaps, &ev->disks, &ev->err);
	post(w, ev);
}

/* The snapshots stored inside each file, known to libvirt or not. */
static void run_load_imginfo(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	char *copy;
	size_t n;
	const char **paths = split_lines(cmd->u.load_imginfo.paths, &copy, &n);

	ev->imginfo = xcalloc(1, sizeof(*ev->imginfo));
	imgtool_info_of(w->conn, paths, n, IMGTOOL_INFO_TIMEOUT_MS, ev->imginfo);
	ev->rc = 0;
	free(paths);
	free(copy);
	post(w, ev);
}

static void run_job_info(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_job_info(w->conn, cmd->name, &ev->info, &ev->err);
	post(w, ev);
}

static void run_block_info(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_block_job_info(w->conn, cmd->name, cmd->disk, &ev->bj, &ev->err);
	post(w, ev);
}

static void run_find_block_jobs(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	(void)cmd;
	ev->rc = be_block_jobs(w->conn, &ev->bjobs, &ev->err);
	post(w, ev);
}

static void run_connect(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	(void)cmd;
	(void)ev;
	if (w->link)
		hostlink_connect(w->link);
}

static void run_job_abort(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_job_abort(w->conn, cmd->name, &ev->err);
	post(w, ev);
}

static void run_block_abort(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_block_job_abort(w->conn, cmd->name, cmd->disk, cmd->u.block_abort.pivot, &ev->err);
	post(w, ev);
}

static void run_act(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_vm_act(w->conn, cmd->name, cmd->u.act.action, &ev->err);
	post(w, ev);
}

static void run_snap_create(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	enum be_snap_kind k = cmd->u.snap_create.kind;

	if (k == BE_KIND_EXT_DISK || k == BE_KIND_EXT_SYS)
		ev->rc = be_snapshot_create_external(w->conn, cmd->name, cmd->snap, cmd->u.snap_create.description,
						     k == BE_KIND_EXT_SYS, ev->text, sizeof(ev->text), &ev->err);
	else
		ev->rc = be_snapshot_create(w->conn, cmd->name, cmd->snap, cmd->u.snap_create.description, &ev->err);
	post(w, ev);
}

static void run_snap_revert(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_snapshot_revert(w->conn, cmd->name, cmd->snap, cmd->u.snap_revert.force,
				    cmd->u.snap_revert.discard_save, &ev->err);
	post(w, ev);
}

static void run_snap_delete(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_snapshot_delete(w->conn, cmd->name, cmd->snap, cmd->u.snap_delete.mode, &ev->err);
	post(w, ev);
}

static void run_overlay_new(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	if (cmd->u.overlay_new.record)
		ev->rc = be_overlay_recorded(w->conn, cmd->name, cmd->disk, cmd->u.overlay_new.path, cmd->snap, ev->text,
					     sizeof(ev->text), &ev->err);
	else
		ev->rc = be_overlay_new(w->conn, cmd->name, cmd->disk, cmd->u.overlay_new.path, &ev->err);
	post(w, ev);
}

static void run_overlay_discard(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	const char *fresh = cmd->u.overlay_discard.fresh;

	ev->rc = be_overlay_discard(w->conn, cmd->name, cmd->disk, cmd->u.overlay_discard.keep, fresh[0] ? fresh : NULL,
				    &ev->err);
	post(w, ev);
}

static void run_block_commit(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_block_commit(w->conn, cmd->name, cmd->disk, cmd->u.block_commit.base, cmd->u.block_commit.offline,
				 0 /* unlimited */, &ev->err);
	post(w, ev);
}

/* The lines of s as an array (free it and *copy, which holds them). */
static const char **split_lines(const char *s, char **copy, size_t *n)
{
	const char **lines = NULL;
	char *line, *save = NULL;

	*copy = xstrdup(s);
	*n = 0;
	for (line = strtok_r(*copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lines = xrealloc(lines, (*n + 1) * sizeof(*lines));
		lines[(*n)++] = line;
	}
	return lines;
}

/* Deletes the volumes named one a line. */
static void run_vol_delete(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	char *copy;
	size_t n;
	const char **paths = split_lines(cmd->u.vol_delete.paths, &copy, &n);

	ev->rc = be_volumes_delete(w->conn, paths, n, &ev->err);
	free(paths);
	free(copy);
	post(w, ev);
}

/* Deletes the VM with the images named one a line. */
static void run_vm_delete(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	char *copy;
	size_t n;
	const char **paths = split_lines(cmd->u.vm_delete.paths, &copy, &n);

	ev->rc = be_vm_delete(w->conn, cmd->name, paths, n, &ev->err);
	free(paths);
	free(copy);
	post(w, ev);
}

static void run_vm_clone(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	const char *layer = cmd->u.vm_clone.layer;

	ev->rc = be_vm_clone(w->conn, cmd->name, cmd->u.vm_clone.clone, cmd->u.vm_clone.full,
			     layer[0] ? cmd->disk : NULL, layer[0] ? layer : NULL, &ev->err);
	post(w, ev);
}

static void run_commit_recover(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_commit_recover(w->conn, cmd->name, cmd->disk, cmd->u.commit_recover.base,
				   cmd->u.commit_recover.offline, &ev->err);
	post(w, ev);
}

/* qemu-img check of disk's chain from a layer down (imgtool.c). */
static void run_img_check(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->check = xcalloc(1, sizeof(*ev->check));
	ev->rc = imgtool_check(w->conn, cmd->name, cmd->disk, cmd->u.img_check.from, cmd->job, ev->check, &ev->err);
	post(w, ev);
}

static void run_img_repair(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->check = xcalloc(1, sizeof(*ev->check));
	ev->rc = imgtool_repair(w->conn, cmd->name, cmd->disk, cmd->u.img_repair.path, cmd->job, ev->check, &ev->err);
	post(w, ev);
}

static void run_chain_copy(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = be_chain_copy(w->conn, cmd->name, cmd->disk, cmd->u.chain_copy.path, cmd->u.chain_copy.offline,
			       &ev->err);
	post(w, ev);
}

static void run_img_snap_delete(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	ev->rc = imgtool_snapshot_delete(w->conn, cmd->name, cmd->disk, cmd->u.img_snap_delete.path, cmd->snap,
					 &ev->err);
	post(w, ev);
}

static void run_tool_abort(struct worker *w, const struct cmd *cmd, struct event *ev)
{
	imgtool_cancel(cmd->job);
	ev->rc = 0;
	post(w, ev);
}

/* cmds.def.h's merge column: a repeat of a command still waiting leaves
 * it as it is, or gives it what the repeat asks for besides. */
static void merge_same(struct cmd *waiting, const struct cmd *repeat)
{
	(void)waiting;
	(void)repeat;
}

/* The files to read are the latest tree's. */
static void merge_load_imginfo(struct cmd *waiting, const struct cmd *repeat)
{
	str_copy(waiting->u.load_imginfo.paths, repeat->u.load_imginfo.paths, sizeof(waiting->u.load_imginfo.paths));
}

static void merge_load(struct cmd *waiting, const struct cmd *repeat)
{
	waiting->u.load_vms.details |= repeat->u.load_vms.details;
	waiting->u.load_vms.refresh_pools |= repeat->u.load_vms.refresh_pools;
}

/* The columns of cmds.def.h the worker uses, by command. */
enum check { NAME, UUID };
enum { SILENT = -1, CONNECTS = -2 }; /* answers that are no event */
static const struct {
	enum check check;
	int answer; /* an enum event_type, or SILENT or CONNECTS */
	void (*merge)(struct cmd *waiting, const struct cmd *repeat);
	void (*run)(struct worker *w, const struct cmd *cmd, struct event *ev);
} rows[] = {
#define CMD(name, lane, check, answer, merge, run) [CMD_##name] = {check, answer, merge, run},
#include "core/cmds.def.h"
#undef CMD
};

/* The answer to cmd, naming what cmd was about; NULL when it has none. */
static struct event *answer_to(const struct cmd *cmd)
{
	struct event *ev;

	if (rows[cmd->type].answer < 0)
		return NULL;
	ev = event_new((enum event_type)rows[cmd->type].answer);
	str_copy(ev->name, cmd->name, sizeof(ev->name));
	str_copy(ev->snap, cmd->snap, sizeof(ev->snap));
	str_copy(ev->disk, cmd->disk, sizeof(ev->disk));
	ev->op = cmd->type;
	ev->job = cmd->job;
	if (cmd->type == CMD_ACT)
		ev->act = cmd->u.act.action;
	ev->pivot = cmd->type == CMD_BLOCK_ABORT && cmd->u.block_abort.pivot;
	return ev;
}

static void run_command(struct worker *w, const struct cmd *cmd)
{
	struct event *ev = answer_to(cmd);

	if (!w->conn && rows[cmd->type].answer != CONNECTS) {
		if (!ev)
			return; /* details simply stay unknown */
		ev->rc = -1;
		ev->err.kind = BE_ERR_CONN;
		str_copy(ev->err.msg, "not connected", sizeof(ev->err.msg));
		post(w, ev);
		return;
	}
	/* The VM selected, by UUID: not another given its name since. */
	if (rows[cmd->type].check == UUID && cmd->uuid[0] &&
	    (ev->rc = be_vm_check(w->conn, cmd->name, cmd->uuid, &ev->err)) < 0) {
		post(w, ev);
		return;
	}
	rows[cmd->type].run(w, cmd, ev);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct queued *j;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (fifo_empty(&w->queue) && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		j = FIFO_ITEM(fifo_pop(&w->queue), struct queued, node);
		w->running = true;
		w->busy_since = mono_ms();
		w->conn = w->next ? be_ref(w->next) : NULL;
		pthread_mutex_unlock(&w->lock);
		run_command(w, &j->cmd);
		free(j);
		be_close(w->conn);
		pthread_mutex_lock(&w->lock);
		w->conn = NULL;
		w->running = false;
		w->busy_since = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct worker *worker_new(struct be_conn *conn, struct mailbox *mb)
{
	struct worker *w = xcalloc(1, sizeof(*w));

	w->next = conn ? be_ref(conn) : NULL;
	w->mb = mb;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w);
		return NULL;
	}
	return w;
}

void worker_free(struct worker *w)
{
	struct fifo_node *n;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while ((n = fifo_pop(&w->queue)))
		free(FIFO_ITEM(n, struct queued, node));
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	be_close(w->next);
	free(w);
}

void worker_set_conn(struct worker *w, struct be_conn *conn)
{
	struct be_conn *old;

	pthread_mutex_lock(&w->lock);
	old = w->next;
	w->next = conn ? be_ref(conn) : NULL;
	pthread_mutex_unlock(&w->lock);
	be_close(old);
}

void worker_set_host(struct worker *w, int host, struct hostlink *link)
{
	pthread_mutex_lock(&w->lock);
	w->host = host;
	w->link = link;
	pthread_mutex_unlock(&w->lock);
}

long long worker_busy_since(struct worker *w)
{
	long long t;

	pthread_mutex_lock(&w->lock);
	t = w->running ? w->busy_since : 0;
	pthread_mutex_unlock(&w->lock);
	return t;
}

void worker_submit(struct worker *w, const struct cmd *cmd)
{
	struct fifo_node *n;
	struct queued *j;

	if (cmd_lane(cmd->type) == LANE_NONE)
		return;
	pthread_mutex_lock(&w->lock);
	/* A read already waiting answers a second request for the same. */
	if (rows[cmd->type].merge)
		for (n = w->queue.head; n; n = n->next) {
			j = FIFO_ITEM(n, struct queued, node);
			if (j->cmd.type == cmd->type && !strcmp(j->cmd.name, cmd->name)) {
				rows[cmd->type].merge(&j->cmd, cmd);
				pthread_mutex_unlock(&w->lock);
				return;
			}
		}
	j = xcalloc(1, sizeof(*j));
	j->cmd = *cmd;
	fifo_push(&w->queue, &j->node);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

bool worker_busy(struct worker *w)
{
	bool busy;

	pthread_mutex_lock(&w->lock);
	busy = w->running || !fifo_empty(&w->queue);
	pthread_mutex_unlock(&w->lock);
	return busy;
}
