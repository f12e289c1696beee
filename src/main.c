/* vmmanager: start-up, the main loop, and shut-down. Wires the core state
 * machine to the terminal (ui/) and to libvirt (backend/) through a worker
 * thread and a mailbox. */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/app.h"
#include "core/config.h"
#include "core/help.h"
#include "core/textesc.h"
#include "list.h"
#include "print.h"
#include "runtime/hostlink.h"
#include "runtime/mailbox.h"
#include "runtime/worker.h"
#include "shared/util.h"
#include "ui/tui.h"

/* Hosts given with -c at the most: as many as the config file may list. */
#define MAX_URIS CONFIG_MAX_HOSTS

struct options {
	const char *uris[MAX_URIS];
	size_t nuris;
	const char *print; /* --print VM */
	bool readonly;
	bool demo;
	bool ascii;
	bool list; /* --list */
	bool json; /* --json, with --print or --list */
};

/* One line on stderr, "vmmanager: " and the message with what must not
 * reach a terminal raw escaped: libvirt's messages echo names, paths and
 * file contents. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	fputs("vmmanager: ", stderr);
	textesc_fputs(msg, TEXTESC_SHOW, stderr);
	fputc('\n', stderr);
	free(msg);
}

static void usage(FILE *f)
{
	static const enum scope scopes[] = {SCOPE_ALL,	SCOPE_VMLIST, SCOPE_SNAPSHOTS,
					    SCOPE_CHAIN, SCOPE_JOBS, SCOPE_IMAGES, SCOPE_CONFIRM};
	size_t s, i, n;
	char keys[64];

	fprintf(f, "usage: vmmanager [-c URI]... [-r] [--demo] [--version] [--help]\n"
		   "       vmmanager [-c URI] [-r] [--demo] --print VM [--ascii | --json]\n"
		   "       vmmanager [-c URI]... [-r] [--demo] --list [--json]\n"
		   "\n"
		   "Manage libvirt VMs and their state from the keyboard.\n"
		   "\n"
		   "  -c, --connect URI  connect to URI; repeat it for several hosts, up to 32\n"
		   "                     (default: the config file's hosts, else libvirt's\n"
		   "                     default)\n"
		   "  -r, --readonly     read-only connection: changes are refused\n"
		   "      --demo         open the built-in demo (libvirt test driver);\n"
		   "                     cannot be combined with -c\n"
		   "      --print VM     print VM's snapshot tree and disk chains, then exit\n"
		   "                     (of the first -c host, else libvirt's default)\n"
		   "      --ascii        with --print: 7-bit line characters\n"
		   "      --list         list the VMs of every host (the -c hosts, else the\n"
		   "                     config file's, else libvirt's default), then exit\n"
		   "      --json         with --print or --list: one JSON document instead of\n"
		   "                     text (vmmanager(1) describes each field)\n"
		   "      --version      print the version and exit\n"
		   "  -h, --help         print this help and exit\n"
		   "\n"
		   "Config file: $XDG_CONFIG_HOME/vmmanager/config (else ~/.config/vmmanager/config),\n"
		   "lines 'host NAME URI [readonly]', at most 32.\n"
		   "\n"
		   "In forms: Tab or Down next field, Up the one before, Backspace erase, Ctrl-U\n"
		   "clear, Enter accept, Esc cancel. Menus answer to their letters: the delete\n"
		   "menu to t, c, o, m; the commit menu to b, s; the discard and reset question\n"
		   "(x, Z) to y (a fresh overlay on the kept layer) and w (write into that layer,\n"
		   "offered only when nothing else reads it).\n");
	fprintf(f, "\n%s\n", help_kinds_heading);
	for (i = 0; i < HELP_KINDS; i++)
		fprintf(f, "  %-9s| %s | %s | %s | %s\n", help_kind_name(i), help_kind(i, 0), help_kind(i, 1),
			help_kind(i, 2), help_kind(i, 3));
	for (s = 0; s < ARRAY_LEN(scopes); s++) {
		fprintf(f, "\nKeys, %s:\n", keymap_scope_name(scopes[s]));
		n = keymap_help_count(scopes[s]);
		for (i = 0; i < n; i++) {
			const char *text = keymap_help_line(scopes[s], i, keys, sizeof(keys));

			fprintf(f, "  %-10s %s\n", keys, text);
		}
	}
}

static int add_uri(struct options *o, const char *uri)
{
	if (o->nuris >= MAX_URIS) {
		say("at most %d hosts with -c", MAX_URIS);
		return -1;
	}
	if (strlen(uri) >= sizeof(((struct host_conf *)0)->uri)) {
		say("-c: the URI is %zu bytes long; at most %zu are kept whole", strlen(uri),
		    sizeof(((struct host_conf *)0)->uri) - 1);
		return -1;
	}
	o->uris[o->nuris++] = uri;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-c") || !strcmp(a, "--connect")) {
			if (++i >= argc) {
				say("%s needs a URI", a);
				return -1;
			}
			if (add_uri(o, argv[i]) < 0)
				return -1;
		} else if (!strncmp(a, "--connect=", 10)) {
			if (add_uri(o, a + 10) < 0)
				return -1;
		} else if (!strcmp(a, "-r") || !strcmp(a, "--readonly")) {
			o->readonly = true;
		} else if (!strcmp(a, "--demo")) {
			o->demo = true;
		} else if (!strcmp(a, "--print")) {
			if (++i >= argc) {
				say("--print needs a VM name");
				return -1;
			}
			o->print = argv[i];
		} else if (!strcmp(a, "--ascii")) {
			o->ascii = true;
		} else if (!strcmp(a, "--list")) {
			o->list = true;
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--version")) {
			printf("vmmanager %s\n", VERSION);
			exit(0);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else {
			say("unknown option '%s' (try --help)", a);
			return -1;
		}
	}
	if (o->ascii && !o->print) {
		say("--ascii goes with --print");
		return -1;
	}
	if (o->list && o->print) {
		say("--list and --print cannot be used together");
		return -1;
	}
	if (o->json && !o->print && !o->list) {
		say("--json goes with --print or --list");
		return -1;
	}
	if (o->json && o->ascii) {
		say("--ascii is for --print's text: JSON has no line characters");
		return -1;
	}
	if (o->demo && o->nuris) {
		say("--demo and -c cannot be used together");
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
	say("demo file not found (looked in %s and next to the program)", DATADIR);
	return -1;
}

/* Per host, two workers, each on its own connection: quick reads never
 * wait behind a long operation (a snapshot or save of a big VM), and
 * progress can be polled and a job aborted while one runs. One slow or
 * dead host holds up only its own workers. */
struct runner {
	struct hostlink **links;
	size_t n;
	bool *slow; /* EV_HOST_SLOW(1) was sent for the host */
};

/* How often a running job's progress is asked for and redrawn. */
#define TICK_MS 250
/* A read unanswered this long makes its host "not answering". */
#define SLOW_MS 4000

static void submit(struct app *a, struct runner *r, struct cmd *c)
{
	size_t h;

	if (c->type == CMD_QUIT)
		return;
	if (c->host >= 0) {
		if ((size_t)c->host < r->n)
			hostlink_submit(r->links[c->host], c);
	} else {
		for (h = 0; h < r->n; h++)
			if (a->hosts[h].state == HOST_UP) {
				c->host = (int)h;
				hostlink_submit(r->links[h], c);
			}
	}
	if (c->type == CMD_AUTH_ANSWER)
		explicit_bzero(c, sizeof(*c)); /* the answer is on its way */
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
		submit(a, r, &out.c[i]);
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

/* Tells the core which hosts have left a read unanswered for seconds;
 * returns true while any host has a read in flight (worth looking again). */
static bool watch_hosts(struct app *a, struct runner *r)
{
	long long now = mono_ms();
	bool busy = false;
	size_t h;

	for (h = 0; h < r->n; h++) {
		long long since = hostlink_busy_since(r->links[h]);
		bool slow = since && now - since > SLOW_MS;

		busy |= since != 0;
		if (slow != r->slow[h]) {
			struct event ev = {.type = EV_HOST_SLOW, .host = (int)h, .rc = slow};

			r->slow[h] = slow;
			dispatch(a, r, &ev);
		}
	}
	return busy;
}

static void main_loop(struct app *a, struct runner *w, struct mailbox *mb)
{
	struct pollfd fds[3];
	long long next_tick = 0;
	size_t h;

	post_size(a, w);
	a->loading = true;
	for (h = 0; h < w->n; h++) {
		struct cmd connect = {.type = CMD_CONNECT, .host = (int)h};

		hostlink_submit(w->links[h], &connect);
	}
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
		 * back, and a look each second while a host has a call out. */
		if (app_wants_tick(a)) {
			long long now = mono_ms();

			if (!next_tick)
				next_tick = now + TICK_MS;
			timeout = next_tick > now ? (int)(next_tick - now) : 0;
		} else {
			next_tick = 0;
		}
		if (watch_hosts(a, w) && (timeout < 0 || timeout > 1000))
			timeout = 1000;
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

/* Credentials are asked in the screen, not before it. */
static int no_prompt(void *ctx, struct be_cred *creds, size_t n)
{
	(void)creds;
	(void)n;
	*(bool *)ctx = true;
	return -1;
}

/* One host only: connect before the screen starts, so that an unreachable
 * one fails at once with libvirt's message, as virsh does. A host that
 * wants credentials is left to the screen, which asks for them. Returns
 * the connection, or NULL (err set when it is a failure to report). */
static struct be_conn *preopen(const struct host_conf *h, struct be_error *err)
{
	/* Static: the connection keeps the callback for the second one it
	 * opens (be_open_ops), which must not ask either. */
	static bool asked;
	struct be_conn *c;

	asked = false;
	c = be_open_auth(h->uri[0] ? h->uri : NULL, h->readonly, no_prompt, &asked, err);

	if (!c && asked)
		err->msg[0] = '\0';
	return c;
}

/* The hosts to manage: -c (all of them), else the config file's, else
 * libvirt's default. Returns -1 after saying what is wrong. */
static int load_hosts(const struct options *o, struct config *cfg)
{
	char path[PATH_MAX], err[PATH_MAX + 256];
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	if (o->nuris) {
		cfg->hosts = xcalloc(o->nuris, sizeof(*cfg->hosts));
		for (i = 0; i < o->nuris; i++) {
			str_copy(cfg->hosts[i].uri, o->uris[i], sizeof(cfg->hosts[i].uri));
			cfg->hosts[i].readonly = o->readonly;
		}
		cfg->nhosts = o->nuris;
		return 0;
	}
	if (config_path(path, sizeof(path)) == 0) {
		if (config_load(path, cfg, err, sizeof(err)) < 0) {
			say("%s", err);
			return -1;
		}
		for (i = 0; i < cfg->nhosts; i++)
			cfg->hosts[i].readonly |= o->readonly;
	}
	if (!cfg->nhosts) {
		cfg->hosts = xcalloc(1, sizeof(*cfg->hosts));
		cfg->hosts[0].readonly = o->readonly; /* "" is libvirt's default */
		cfg->nhosts = 1;
	}
	return 0;
}

/* --list: the VMs of the hosts the screen would show, named as it names
 * them. */
static int list_hosts(const struct options *o, struct config *cfg)
{
	struct list_host *hosts = xcalloc(cfg->nhosts, sizeof(*hosts));
	struct app a;
	char name[256];
	size_t h;
	int rc;

	app_init(&a, NULL, NULL, false);
	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		hosts_set_local(&a, name);
	}
	for (h = 0; h < cfg->nhosts; h++)
		hosts_add(&a, cfg->hosts[h].name, cfg->hosts[h].uri, cfg->hosts[h].readonly);
	for (h = 0; h < cfg->nhosts; h++)
		hosts[h] = (struct list_host){state_host_name(&a, (int)h), cfg->hosts[h].uri, cfg->hosts[h].readonly};
	setlocale(LC_ALL, ""); /* columns as wide as the terminal shows them */
	rc = list_vms(hosts, cfg->nhosts, o->json, stdout, stderr);
	free(hosts);
	app_free(&a);
	config_free(cfg);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct be_error err = {0};
	struct config cfg;
	struct mailbox *mb;
	struct runner w = {0};
	struct app a;
	char uri[PATH_MAX + 16], msg[256];
	size_t h;
	bool keep_mailbox = false;
	int rc = 0;

	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (o.demo) {
		if (demo_uri(uri, sizeof(uri)) < 0)
			return 1;
		o.uris[0] = uri;
		o.nuris = 1;
	}
	if (be_init(&err) < 0) {
		say("%s", err.msg);
		return 1;
	}
	if (o.print) {
		struct be_conn *conn = be_open(o.nuris ? o.uris[0] : NULL, o.readonly, &err);

		if (!conn) {
			say("%s", err.msg);
			return 1;
		}
		/* UTF-8 line characters only where the locale says UTF-8. */
		setlocale(LC_ALL, "");
		if (o.json)
			rc = print_vm_json(conn, o.print, stdout, stderr);
		else
			rc = print_vm(conn, o.print, o.ascii || strcmp(nl_langinfo(CODESET), "UTF-8"), stdout, stderr);
		be_close(conn);
		return rc;
	}
	if (load_hosts(&o, &cfg) < 0)
		return 2;
	if (o.list)
		return list_hosts(&o, &cfg);
	mb = mailbox_new();
	app_init(&a, NULL, NULL, false);
	if (gethostname(msg, sizeof(msg)) == 0) {
		msg[sizeof(msg) - 1] = '\0';
		hosts_set_local(&a, msg);
	}
	w.links = xcalloc(cfg.nhosts, sizeof(*w.links));
	w.slow = xcalloc(cfg.nhosts, sizeof(*w.slow));
	for (h = 0; mb && h < cfg.nhosts; h++) {
		hosts_add(&a, cfg.hosts[h].name, cfg.hosts[h].uri, cfg.hosts[h].readonly);
		if (!(w.links[h] = hostlink_new((int)h, cfg.hosts[h].uri, cfg.hosts[h].readonly, mb)))
			break;
		w.n++;
	}
	if (w.n == 1 && cfg.nhosts == 1) {
		struct be_conn *c = preopen(&cfg.hosts[0], &err);

		if (!c && err.msg[0]) {
			say("%s", err.msg);
			rc = 1;
		}
		hostlink_preopen(w.links[0], c);
	}
	config_free(&cfg);
	if (rc) {
		/* said above */
	} else if (!mb || w.n < a.nhosts) {
		say("cannot start the worker threads");
		rc = 1;
	} else if (tui_init(msg, sizeof(msg)) < 0) {
		say("%s", msg);
		rc = 1;
	} else {
		main_loop(&a, &w, mb);
		tui_end();
	}
	/* A long operation still running goes on in libvirt, and a read may
	 * wait on a slow or dead host; joining those would hang the exit, so
	 * their threads are left to the process end (hostlink_free says). */
	for (h = 0; h < w.n; h++) {
		hostlink_stop(w.links[h]); /* no question waits; answers wiped */
		/* Closing a connection to a host that does not answer waits for
		 * it: such a link is left to the process end, with the mailbox
		 * its threads may still post to. */
		if (a.hosts[h].state == HOST_SLOW || hostlink_busy(w.links[h]))
			keep_mailbox = true;
		else
			hostlink_free(w.links[h]);
	}
	free(w.links);
	free(w.slow);
	if (!keep_mailbox)
		mailbox_free(mb);
	app_free(&a);
	return rc;
}
