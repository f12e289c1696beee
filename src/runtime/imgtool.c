/* qemu-img as a child process: posix_spawnp with an argument vector (no
 * shell), its output read through pipes, killed when its job is
 * cancelled. */
#include "runtime/imgtool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/imgcheck.h"
#include "shared/util.h"

extern char **environ;

#define OUT_MAX (1024 * 1024)
#define CANCELS 16

/* The jobs cancelled while they run, each until forgotten. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int cancelled[CANCELS];

static bool is_cancelled(int job)
{
	bool yes = false;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < CANCELS; i++)
		yes |= job && cancelled[i] == job;
	pthread_mutex_unlock(&lock);
	return yes;
}

void imgtool_cancel(int job)
{
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < CANCELS && cancelled[i] && cancelled[i] != job; i++)
		;
	cancelled[i < CANCELS ? i : 0] = job;
	pthread_mutex_unlock(&lock);
}

void imgtool_forget(int job)
{
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < CANCELS; i++)
		if (cancelled[i] == job)
			cancelled[i] = 0;
	pthread_mutex_unlock(&lock);
}

struct sink {
	int fd;
	char *buf;
	size_t len;
};

/* Reads what fd has; false at its end. */
static bool drain(struct sink *s)
{
	char tmp[4096];
	ssize_t r = read(s->fd, tmp, sizeof(tmp));

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (r <= 0)
		return false;
	if (s->len + (size_t)r <= OUT_MAX) {
		s->buf = xrealloc(s->buf, s->len + (size_t)r + 1);
		memcpy(s->buf + s->len, tmp, (size_t)r);
		s->len += (size_t)r;
		s->buf[s->len] = '\0';
	}
	return true;
}

/* Waits for a child killed at its deadline, which may take its time
 * (stuck in a read of a hung NFS file, a process is only killed once the
 * read returns); detached, so that nobody waits for it. */
static void *reap(void *arg)
{
	pid_t pid = (pid_t)(intptr_t)arg;

	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return NULL;
}

static void reap_later(pid_t pid)
{
	pthread_attr_t attr;
	pthread_t t;

	if (waitpid(pid, NULL, WNOHANG) == pid)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, reap, (void *)(intptr_t)pid) != 0)
		(void)0; /* a zombie until the process ends: harmless */
	pthread_attr_destroy(&attr);
}

int imgtool_run(char *const *argv, int job, char **out, char **err)
{
	return imgtool_run_until(argv, job, 0, out, err);
}

int imgtool_run_until(char *const *argv, int job, long long deadline, char **out, char **err)
{
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, status = 0, rc;
	struct sink so = {0}, se = {0};
	posix_spawn_file_actions_t fa;
	bool killed = false, late = false;
	pid_t pid;

	*out = xstrdup("");
	*err = xstrdup("");
	if (pipe(po) < 0 || pipe(pe) < 0) {
		free(*err);
		*err = xstrdup(strerror(errno));
		goto fail;
	}
	fcntl(po[0], F_SETFD, FD_CLOEXEC);
	fcntl(pe[0], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (rc != 0) {
		free(*err);
		*err = xmalloc(300);
		snprintf(*err, 300, "cannot run %s: %s", argv[0], strerror(rc));
		goto fail;
	}
	so.fd = po[0];
	se.fd = pe[0];
	so.buf = *out;
	se.buf = *err;
	while (so.fd >= 0 || se.fd >= 0) {
		struct pollfd p[2] = {{so.fd, POLLIN, 0}, {se.fd, POLLIN, 0}};

		int wait = 200;

		if (!killed && is_cancelled(job)) {
			kill(pid, SIGTERM);
			killed = true;
		}
		if (deadline) {
			long long left = deadline - mono_ms();

			if (left <= 0) {
				/* Its output may never end (a grandchild holding the
				 * pipe): stop reading, leave it to be reaped. */
				kill(pid, SIGKILL);
				late = true;
				break;
			}
			if (left < wait)
				wait = (int)left;
		}
		if (poll(p, 2, wait) < 0 && errno != EINTR)
			break;
		if (so.fd >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(&so)) {
			close(so.fd);
			so.fd = -1;
		}
		if (se.fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(&se)) {
			close(se.fd);
			se.fd = -1;
		}
	}
	if (so.fd >= 0)
		close(so.fd);
	if (se.fd >= 0)
		close(se.fd);
	*out = so.buf;
	*err = se.buf;
	if (late) {
		reap_later(pid);
		return -4;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (killed || is_cancelled(job))
		return -2;
	if (WIFSIGNALED(status))
		return -3;
	return WEXITSTATUS(status);
fail:
	if (po[0] >= 0)
		close(po[0]);
	if (po[1] >= 0)
		close(po[1]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pe[1] >= 0)
		close(pe[1]);
	return -1;
}

/* qemu-img check [-r leaks] of path where the files are (imgcheck.h);
 * false when the job was cancelled. */
static bool check_file(struct be_conn *conn, const char *path, bool repair, int job, struct imgcheck_result *r)
{
	const char *check[] = {"qemu-img", "check", "--output=json", path, NULL};
	const char *fix[] = {"qemu-img", "check", "-r", "leaks", "--output=json", path, NULL};
	const char *const *args = repair ? fix : check;
	const char *uri = be_uri(conn);
	char **argv = NULL, *out = NULL, *err = NULL, *line = imgtool_command_line(args);
	enum imgtool_where where = imgtool_argv(uri, args, &argv);
	int rc;

	memset(r, 0, sizeof(*r));
	if (where == IMGTOOL_ELSEWHERE) {
		r->status = IMGCHECK_FAILED;
		snprintf(r->msg, sizeof(r->msg), "not available over %.100s (only a local or qemu+ssh:// URI); run on "
						 "the host: %.400s",
			 uri ? uri : "this connection", line);
		free(line);
		return true;
	}
	rc = imgtool_run(argv, job, &out, &err);
	if (rc == -2) {
		r->status = IMGCHECK_SKIPPED;
		snprintf(r->msg, sizeof(r->msg), "cancelled");
	} else if (rc == -1 || rc == -3 || (where == IMGTOOL_SSH && rc == 255)) {
		r->status = IMGCHECK_FAILED;
		snprintf(r->msg, sizeof(r->msg), "%s %.300s; on the host: %.200s",
			 where == IMGTOOL_SSH ? "ssh could not run it (no password is asked: BatchMode):" : "",
			 err[0] ? err : "ended by a signal", line);
	} else {
		imgcheck_parse(out, rc, err, r);
		if (r->status == IMGCHECK_FAILED && strstr(err, "Permission denied"))
			snprintf(r->msg, sizeof(r->msg), "this user may not read %.200s; as root run: %.360s", path, line);
	}
	imgtool_argv_free(argv);
	free(out);
	free(err);
	free(line);
	return rc != -2;
}

int imgtool_check(struct be_conn *conn, const char *vm, const char *disk, const char *from, int job,
		  struct imgcheck_report *rep, struct be_error *err)
{
	char **paths = NULL;
	size_t n = 0, i;
	bool active = true, going = true;
	int rc = be_image_layers(conn, vm, disk, from, &paths, &n, &active, err);

	for (i = 0; rc == 0 && i < n; i++) {
		struct imgcheck_result r = {0};

		if (i == 0 && active) {
			r.status = IMGCHECK_SKIPPED;
			snprintf(r.msg, sizeof(r.msg), "the active layer of a running VM: QEMU writes it, a check would "
						       "read it half-written");
		} else if (!going) {
			r.status = IMGCHECK_SKIPPED;
			snprintf(r.msg, sizeof(r.msg), "cancelled");
		} else {
			going = check_file(conn, paths[i], false, job, &r);
		}
		imgcheck_report_add(rep, paths[i], &r);
	}
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	imgtool_forget(job);
	if (rc == 0 && !going) {
		rc = -1;
		err->kind = BE_ERR_ABORTED;
		str_copy(err->msg, "cancelled", sizeof(err->msg));
	}
	return rc;
}

int imgtool_repair(struct be_conn *conn, const char *vm, const char *disk, const char *path, int job,
		   struct imgcheck_report *rep, struct be_error *err)
{
	struct imgcheck_result r;
	int rc = be_image_may_repair(conn, vm, disk, path, err);

	if (rc == 0) {
		if (!check_file(conn, path, true, job, &r)) {
			rc = -1;
			err->kind = BE_ERR_ABORTED;
			str_copy(err->msg, "cancelled", sizeof(err->msg));
		}
		imgcheck_report_add(rep, path, &r);
	}
	imgtool_forget(job);
	return rc;
}

static bool info_wants(const struct be_layer *top)
{
	return be_layer_local(top) && top->type != BE_SRC_BLOCK && top->path && top->path[0] == '/';
}

void imgtool_info_of(struct be_conn *conn, const char *const *paths, size_t n, int timeout_ms,
		     struct imginfo_map *map)
{
	const char *uri = be_uri(conn);
	long long deadline = mono_ms() + timeout_ms;
	size_t i;

	/* The test driver's disks are no files of this host. */
	if (uri && !strncmp(uri, "test:", 5)) {
		snprintf(map->why, sizeof(map->why), "the test driver has no image files");
		return;
	}
	for (i = 0; i < n; i++) {
		const char *args[] = {"qemu-img", "info", "-U", "--backing-chain", "--output=json", paths[i], NULL};
		char **argv = NULL, *out = NULL, *err = NULL;
		int rc;

		if (imgtool_argv(uri, args, &argv) == IMGTOOL_ELSEWHERE) {
			snprintf(map->why, sizeof(map->why), "qemu-img cannot run on this URI's host (only a local or "
							     "qemu+ssh:// URI)");
			return;
		}
		rc = mono_ms() < deadline ? imgtool_run_until(argv, 0, deadline, &out, &err) : -4;
		if (rc == -4)
			snprintf(map->why, sizeof(map->why), "qemu-img info %.200s: no answer within %d s", paths[i],
				 timeout_ms / 1000);
		else if (rc != 0 || imginfo_parse_chain(out, map) < 0)
			snprintf(map->why, sizeof(map->why), "qemu-img info %.200s: %.80s", paths[i],
				 err && err[0] ? err : "no answer");
		imgtool_argv_free(argv);
		free(out);
		free(err);
	}
}

void imgtool_info(struct be_conn *conn, const struct be_disk_list *disks, struct imginfo_map *map)
{
	const char **paths = xcalloc(disks->n + 1, sizeof(*paths));
	size_t i, n = 0;

	for (i = 0; i < disks->n; i++)
		if (disks->d[i].nlayers && info_wants(&disks->d[i].layers[0]))
			paths[n++] = disks->d[i].layers[0].path;
	imgtool_info_of(conn, paths, n, IMGTOOL_INFO_TIMEOUT_MS, map);
	free(paths);
}

int imgtool_snapshot_delete(struct be_conn *conn, const char *vm, const char *disk, const char *path,
			    const char *name, struct be_error *err)
{
	const char *args[] = {"qemu-img", "snapshot", "-d", name, path, NULL};
	char **argv = NULL, *out = NULL, *errs = NULL, *line;
	int rc;

	if (be_image_may_write(conn, vm, disk, path, "Not deleting a snapshot from", err) < 0 ||
	    be_image_snapshot_unknown(conn, vm, name, err) < 0)
		return -1;
	line = imgtool_command_line(args);
	rc = -1;
	err->kind = BE_ERR_OTHER;
	if (imgtool_argv(be_uri(conn), args, &argv) == IMGTOOL_ELSEWHERE)
		snprintf(err->msg, sizeof(err->msg), "qemu-img cannot run on this URI's host; run there: %.3000s", line);
	else if (imgtool_run(argv, 0, &out, &errs) != 0)
		snprintf(err->msg, sizeof(err->msg), "%.2000s (%.1000s)", errs && errs[0] ? errs : "qemu-img failed",
			 line);
	else
		rc = 0;
	imgtool_argv_free(argv);
	free(out);
	free(errs);
	free(line);
	return rc;
}
