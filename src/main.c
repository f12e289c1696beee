/* vmmanager: start-up, the main loop, and shut-down. Wires the core state
 * machine to the terminal (ui/) and to libvirt (backend/) through a worker
 * thread and a mailbox. */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/app.h"
#include "core/mailbox.h"
#include "core/util.h"
#include "core/worker.h"
#include "print.h"
#include "ui/tui.h"

struct options {
	const char *uri;
	const char *print; /* --print VM */
	bool readonly;
	bool demo;
	bool ascii;
};

static void usage(FILE *f)
{
	static const enum scope scopes[] = {SCOPE_ALL,	SCOPE_VMLIST, SCOPE_SNAPSHOTS,
					    SCOPE_CHAIN, SCOPE_JOBS, SCOPE_IMAGES, SCOPE_CONFIRM};
	size_t s, i, n;
	char keys[64];

	fprintf(f, "usage: vmmanager [-c URI] [-r] [--demo] [--version] [--help]\n"
		   "       vmmanager [-c URI] [--demo] --print VM [--ascii]\n"
		   "\n"
		   "Manage libvirt VMs and their state from the keyboard.\n"
		   "\n"
		   "  -c, --connect URI  connect to URI (default: libvirt's default)\n"
		   "  -r, --readonly     read-only connection: changes are refused\n"
		   "      --demo         open the built-in demo (libvirt test driver);\n"
		   "                     cannot be combined with -c\n"
		   "      --print VM     print VM's snapshot tree and disk chains, then exit\n"
		   "      --ascii        with --print: 7-bit line characters\n"
		   "      --version      print the version and exit\n"
		   "  -h, --help         print this help and exit\n");
	for (s = 0; s < ARRAY_LEN(scopes); s++) {
		fprintf(f, "\nKeys, %s:\n", keymap_scope_name(scopes[s]));
		n = keymap_help_count(scopes[s]);
		for (i = 0; i < n; i++) {
			const char *text = keymap_help_line(scopes[s], i, keys, sizeof(keys));

			fprintf(f, "  %-10s %s\n", keys, text);
		}
	}
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-c") || !strcmp(a, "--connect")) {
			if (++i >= argc) {
				fprintf(stderr, "vmmanager: %s needs a URI\n", a);
				return -1;
			}
			o->uri = argv[i];
		} else if (!strncmp(a, "--connect=", 10)) {
			o->uri = a + 10;
		} else if (!strcmp(a, "-r") || !strcmp(a, "--readonly")) {
			o->readonly = true;
		} else if (!strcmp(a, "--demo")) {
			o->demo = true;
		} else if (!strcmp(a, "--print")) {
			if (++i >= argc) {
				fprintf(stderr, "vmmanager: --print needs a VM name\n");
				return -1;
			}
			o->print = argv[i];
		} else if (!strcmp(a, "--ascii")) {
			o->ascii = true;
		} else if (!strcmp(a, "--version")) {
			printf("vmmanager %s\n", VERSION);
			exit(0);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else {
			fprintf(stderr, "vmmanager: unknown option '%s' (try --help)\n", a);
			return -1;
		}
	}
	if (o->ascii && !o->print) {
		fprintf(stderr, "vmmanager: --ascii goes with --print\n");
		return -1;
	}
	if (o->demo && o->uri) {
		fprintf(stderr, "vmmanager: --demo and -c cannot be used together\n");
		return -1;
	}
	return 0;
}

/* The demo file: $VMMANAGER_DEMO, else next to the binary in the source
 * tree (data/demo.xml) or in ../share/vmmanager, else DATADIR's copy. */
static int demo_uri(char *uri, size_t n)
{
	char exe[PATH_MAX], path[PATH_MAX + 32], real[PATH_MAX];
	const char *env = getenv("VMMANAGER_DEMO");
	ssize_t len;
	char *slash;

	if (env && *env && realpath(env, real))
		return snprintf(uri, n, "test://%s", real) < (int)n ? 0 : -1;
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(path, sizeof(path), "%s/data/demo.xml", exe);
		if (realpath(path, real))
			return snprintf(uri, n, "test://%s", real) < (int)n ? 0 : -1;
		/* An installed tree moved elsewhere (DESTDIR, a package). */
		snprintf(path, sizeof(path), "%s/../share/vmmanager/demo.xml", exe);
		if (realpath(path, real))
			return snprintf(uri, n, "test://%s", real) < (int)n ? 0 : -1;
	}
	if (realpath(DATADIR "/demo.xml", real))
		return snprintf(uri, n, "test://%s", real) < (int)n ? 0 : -1;
	fprintf(stderr, "vmmanager: demo file not found (looked in %s and next to the program)\n", DATADIR);
	return -1;
}

/* Two workers, each on its own connection to the host: quick reads never
 * wait behind a long operation (a snapshot or save of a big VM), and
 * progress can be polled and a job aborted while one runs. */
struct runner {
	struct worker *reads;
	struct worker *ops;
};

/* How often a running job's progress is asked for and redrawn. */
#define TICK_MS 250

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feeds one event to the core and carries out what it asks. */
static void dispatch(struct app *a, struct runner *r, struct event *ev)
{
	struct cmds out = {0};
	int i;

	ev->now_ms = mono_ms();
	ev->wall = (long long)time(NULL);
	app_handle(a, ev, &out);
	for (i = 0; i < out.n; i++)
		if (out.c[i].type != CMD_QUIT)
			worker_submit(cmd_is_long(out.c[i].type) ? r->ops : r->reads, &out.c[i]);
}

static void post_size(struct app *a, struct runner *w)
{
	struct event ev = {.type = EV_RESIZE};

	tui_size(&ev.rows, &ev.cols);
	dispatch(a, w, &ev);
}

static void read_keys(struct app *a, struct runner *w)
{
	int key;

	while (!a->quit && tui_read_key(&key)) {
		struct event ev = {.type = EV_KEY, .key = key};

		if (key == VK_RESIZE)
			post_size(a, w);
		else if (key != VK_NONE)
			dispatch(a, w, &ev);
	}
}

static void run(struct app *a, struct runner *w, struct mailbox *mb)
{
	struct cmd load = {.type = CMD_LOAD_VMS, .all = 1};
	struct pollfd fds[3];
	long long next_tick = 0;

	post_size(a, w);
	a->loading = true;
	worker_submit(w->reads, &load);
	while (!a->quit) {
		struct event *ev;
		int n, timeout = -1;

		if (a->redraw)
			tui_draw(a);
		fds[0] = (struct pollfd){.fd = 0, .events = POLLIN};
		fds[1] = (struct pollfd){.fd = mailbox_fd(mb), .events = POLLIN};
		fds[2] = (struct pollfd){.fd = tui_signal_fd(), .events = POLLIN};
		/* Idle means asleep: a timer only while a job's progress moves,
		 * on a schedule of its own that a stream of events cannot hold
		 * back. */
		if (app_wants_tick(a)) {
			long long now = mono_ms();

			if (!next_tick)
				next_tick = now + TICK_MS;
			timeout = next_tick > now ? (int)(next_tick - now) : 0;
		} else {
			next_tick = 0;
		}
		n = poll(fds, 3, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (next_tick && mono_ms() >= next_tick) {
			struct event tick = {.type = EV_TICK};

			next_tick += TICK_MS;
			if (next_tick < mono_ms())
				next_tick = mono_ms() + TICK_MS;
			dispatch(a, w, &tick);
		}
		if (n <= 0)
			continue;
		if (fds[2].revents) {
			if (tui_take_signal() != SIGWINCH)
				break; /* SIGINT, SIGTERM or SIGHUP */
			post_size(a, w);
		}
		if (fds[0].revents & (POLLHUP | POLLERR))
			break; /* the terminal is gone */
		if (fds[0].revents)
			read_keys(a, w);
		while (!a->quit && (ev = mailbox_take(mb))) {
			dispatch(a, w, ev);
			event_free(ev);
		}
	}
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct be_error err = {0};
	struct be_conn *conn, *ops = NULL;
	struct mailbox *mb;
	struct runner w = {0};
	struct app a;
	char uri[PATH_MAX + 16], msg[256];
	int rc = 0;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (o.demo) {
		if (demo_uri(uri, sizeof(uri)) < 0)
			return 1;
		o.uri = uri;
	}
	if (be_init(&err) < 0) {
		fprintf(stderr, "vmmanager: %s\n", err.msg);
		return 1;
	}
	conn = be_open(o.uri, o.readonly, &err);
	if (!conn) {
		fprintf(stderr, "vmmanager: %s\n", err.msg);
		return 1;
	}
	if (o.print) {
		/* UTF-8 line characters only where the locale says UTF-8. */
		setlocale(LC_ALL, "");
		rc = print_vm(conn, o.print, o.ascii || strcmp(nl_langinfo(CODESET), "UTF-8"), stdout, stderr);
		be_close(conn);
		return rc;
	}
	ops = be_open_ops(conn, &err);
	mb = mailbox_new();
	if (mb && ops) {
		w.reads = worker_new(conn, mb);
		w.ops = worker_new(ops, mb);
	}
	if (!w.reads || !w.ops || be_watch(conn, mailbox_backend_sink, mb, &err) < 0) {
		fprintf(stderr, "vmmanager: %s\n", !ops || w.ops ? err.msg : "cannot start the worker threads");
		worker_free(w.reads);
		worker_free(w.ops);
		mailbox_free(mb);
		be_close(ops);
		be_close(conn);
		return 1;
	}
	app_init(&a, be_uri(conn), be_hostname(conn), o.readonly);
	if (tui_init(msg, sizeof(msg)) < 0) {
		fprintf(stderr, "vmmanager: %s\n", msg);
		rc = 1;
	} else {
		run(&a, &w, mb);
		tui_end();
	}
	/* A long operation still running goes on in libvirt, and a read may
	 * wait on a slow or dead host; joining them here would hang the exit,
	 * so leave their threads to the process end. */
	if (worker_busy(w.ops) || worker_busy(w.reads))
		return rc;
	worker_free(w.reads);
	worker_free(w.ops);
	be_close(ops);
	be_close(conn);
	mailbox_free(mb);
	app_free(&a);
	return rc;
}
