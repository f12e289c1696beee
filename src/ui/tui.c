/* The terminal (tui.h): curses set up and restored, keys read, and each
 * frame drawn: title, the screen's view, status line, hints, dialog. */
#include "ui/tui.h"

#include <curses.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "shared/util.h"
#include "ui/view.h"

bool ui_utf8;

static bool active;
static int saved_stderr = -1;
static int sig_pipe[2] = {-1, -1};

enum { PAIR_RUNNING = 1, PAIR_PAUSED, PAIR_SAVED, PAIR_ERROR, PAIR_TITLE };

void tui_end(void)
{
	if (!active)
		return;
	active = false;
	endwin();
	if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

static void on_signal(int sig)
{
	char b = (char)sig;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* Nothing more can be done in a handler. */
	}
}

/* A crash must not leave the terminal in raw mode. */
static void on_fatal_signal(int sig)
{
	if (active) {
		endwin();
		active = false;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int install_signals(void)
{
	static const int quit[] = {SIGINT, SIGTERM, SIGHUP};
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	struct sigaction sa;
	size_t i;

	if (sig_pipe[0] < 0) {
		if (pipe(sig_pipe) < 0)
			return -1;
		for (i = 0; i < 2; i++) {
			fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
			fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (i = 0; i < ARRAY_LEN(quit); i++)
		sigaction(quit[i], &sa, NULL);
	/* Resizes too come through the pipe: poll() must wake for them. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < ARRAY_LEN(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int tui_signal_fd(void)
{
	return sig_pipe[0];
}

int tui_take_signal(void)
{
	char b;
	int sig = 0;
	struct winsize ws;

	/* A quit outranks the resizes queued with it. */
	while (read(sig_pipe[0], &b, 1) == 1)
		if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP)
			sig = (unsigned char)b;
	if (sig == SIGWINCH && active && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resize_term(ws.ws_row, ws.ws_col);
	return sig;
}

int tui_init(char *msg, int msgn)
{
	SCREEN *s;
	int devnull;

	setlocale(LC_ALL, "");
	ui_utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	if (!isatty(0) || !isatty(1)) {
		snprintf(msg, (size_t)msgn, "standard input and output must be a terminal");
		return -1;
	}
	if (install_signals() < 0) {
		snprintf(msg, (size_t)msgn, "cannot create a pipe");
		return -1;
	}
	s = newterm(NULL, stdout, stdin);
	if (!s) {
		snprintf(msg, (size_t)msgn, "cannot use terminal type '%s'", getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	set_term(s);
	active = true;
	atexit(tui_end);
	/* Libraries may write to stderr; on screen that would garble it. */
	saved_stderr = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, 2);
		close(devnull);
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && !getenv("NO_COLOR")) {
		start_color();
		use_default_colors();
		init_pair(PAIR_RUNNING, COLOR_GREEN, -1);
		init_pair(PAIR_PAUSED, COLOR_YELLOW, -1);
		init_pair(PAIR_SAVED, COLOR_CYAN, -1);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	}
	return 0;
}

static int map_function_key(wint_t k)
{
	switch (k) {
	case KEY_UP: return VK_UP;
	case KEY_DOWN: return VK_DOWN;
	case KEY_LEFT: return VK_LEFT;
	case KEY_RIGHT: return VK_RIGHT;
	case KEY_HOME: return VK_HOME;
	case KEY_END: return VK_END;
	case KEY_PPAGE: return VK_PAGE_UP;
	case KEY_NPAGE: return VK_PAGE_DOWN;
	case KEY_ENTER: return VK_ENTER;
	case KEY_BACKSPACE: return VK_BACKSPACE;
	case KEY_RESIZE: return VK_RESIZE;
	default: return VK_NONE;
	}
}

bool tui_read_key(int *key)
{
	wint_t wc;
	int r = get_wch(&wc);

	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES)
		*key = map_function_key(wc);
	else if (wc == '\r')
		*key = VK_ENTER;
	else if (wc == 8)
		*key = VK_BACKSPACE;
	else
		*key = (int)wc;
	return true;
}

void tui_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

static int state_attr(enum be_vm_state s)
{
	if (!has_colors() || getenv("NO_COLOR"))
		return 0;
	switch (s) {
	case BE_VM_RUNNING: return COLOR_PAIR(PAIR_RUNNING);
	case BE_VM_PAUSED: return COLOR_PAIR(PAIR_PAUSED);
	case BE_VM_SAVED: return COLOR_PAIR(PAIR_SAVED);
	case BE_VM_CRASHED: return COLOR_PAIR(PAIR_ERROR);
	default: return 0;
	}
}

int ui_state_attr(enum be_vm_state s)
{
	return state_attr(s);
}

int ui_error_attr(void)
{
	return has_colors() && !getenv("NO_COLOR") ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD;
}

const struct view_ops *const ui_views[SCREEN_COUNT] = {
#define VIEW_ENTRY(id, core, ui) [SCREEN_##id] = &ui##_view,
	SCREEN_LIST(VIEW_ENTRY)
#undef VIEW_ENTRY
};

static const struct view_ops *current_view(const struct app *a)
{
	return ui_views[a->screen < SCREEN_COUNT ? a->screen : SCREEN_VMLIST];
}

static void draw_title(const struct app *a, int cols)
{
	char buf[1024];
	size_t i, running = 0;

	int h = a->screen == SCREEN_VM ? a->sv.host : a->screen == SCREEN_IMAGES ? a->img_host : -1;
	size_t len;

	for (i = 0; i < a->njobs; i++)
		running += jobs_is_active(&a->jobs[i]);
	if (a->nhosts == 1)
		h = 0;
	len = (size_t)snprintf(buf, sizeof(buf), " vmmanager | %s", current_view(a)->name);
	if (h >= 0 && state_host(a, h)) {
		const struct host *o = state_host(a, h);

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " | %s | %s%s%s%s", o->name, o->uri,
					o->readonly ? " | read-only" : "", o->state == HOST_UP ? "" : " | ",
					o->state == HOST_UP ? "" : state_host_state_name(o->state));
	} else {
		/* Every host, and how each is. */
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " | %zu hosts:", a->nhosts);
		for (i = 0; i < a->nhosts && len < sizeof(buf); i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s%s%s%s", a->hosts[i].name,
						a->hosts[i].state == HOST_UP ? "" : " (",
						a->hosts[i].state == HOST_UP ? "" : state_host_state_name(a->hosts[i].state),
						a->hosts[i].state == HOST_UP ? "" : ")");
	}
	if (running && len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, " | jobs running");
	attron(A_REVERSE);
	ui_put(0, 0, buf, cols);
	attroff(A_REVERSE);
}

/* How long a message outranks a running job's progress line. */
#define STATUS_NEWS_MS 3000

/* The newest running job, or NULL. */
static const struct job *running_job(const struct app *a)
{
	size_t i;

	for (i = a->njobs; i-- > 0;)
		if (jobs_is_active(&a->jobs[i]))
			return &a->jobs[i];
	return NULL;
}

/* The first host that is not up, or NULL. */
static const struct host *down_host(const struct app *a)
{
	size_t i;

	for (i = 0; i < a->nhosts; i++)
		if (a->hosts[i].state != HOST_UP)
			return &a->hosts[i];
	return NULL;
}

void ui_put_message(const struct app *a, int y, const char *msg, int cols)
{
	char key[32], hint[64];
	int hw;

	/* No hint where the key does something else: in a dialog, or in the
	 * log itself. */
	if ((int)ui_text_width(msg) <= cols || a->dlg.kind != DLG_NONE || a->screen == SCREEN_LOG ||
	    !*screen_request_key(a, REQ_MESSAGES, key, sizeof(key))) {
		ui_put(y, 0, msg, cols);
		return;
	}
	snprintf(hint, sizeof(hint), " (%s: whole message)", key);
	hw = (int)ui_text_width(hint);
	ui_put(y, 0, msg, hw < cols / 2 ? cols - hw : cols);
	if (hw < cols / 2)
		ui_put(y, cols - hw, hint, hw);
}

static void draw_status(const struct app *a, int y, int cols)
{
	const struct job *j = running_job(a);
	char buf[5400]; /* a host's whole error and its name: one line, cut by the screen */
	int attr = 0;
	bool msg = false;

	/* A running job's progress, unless a fresh message has something to
	 * say: an error stays until the next one, news for a few seconds. */
	if (j && !(a->filtering && a->screen == SCREEN_VMLIST) && !a->status_error &&
	    (!a->status[0] || a->now_ms - a->status_ms > STATUS_NEWS_MS)) {
		long long el = a->now_ms - j->started_ms;
		int bar = cols >= 60 && j->total ? 12 : 0, w;

		snprintf(buf, sizeof(buf), "%s  %lld.%llds", j->what, el / 1000, (el % 1000) / 100);
		if (j->total)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " %3d%%",
				 (int)((double)j->done * 100.0 / (double)j->total));
		w = cols - bar - (bar ? 1 : 0);
		ui_put(y, 0, buf, w);
		if (bar)
			ui_progress(y, w + 1, bar, j->done, j->total);
		return;
	}
	if (a->filtering && a->screen == SCREEN_VMLIST) {
		snprintf(buf, sizeof(buf), "/%s", a->filter);
	} else if (a->status[0] && a->screen != SCREEN_LOG) { /* the log shows it */
		snprintf(buf, sizeof(buf), "%s", a->status);
		msg = true;
		if (a->status_error)
			attr = ui_error_attr();
	} else if (down_host(a) && down_host(a)->state == HOST_CONNECTING) {
		snprintf(buf, sizeof(buf), "Connecting to %s...", down_host(a)->uri[0] ? down_host(a)->uri : "libvirt");
	} else if (down_host(a)) {
		snprintf(buf, sizeof(buf), "%s is %s%s%s%s", down_host(a)->name, state_host_state_name(down_host(a)->state),
			 down_host(a)->error[0] ? ": " : "", down_host(a)->error,
			 down_host(a)->state == HOST_DOWN ? "; R reconnects" : "");
		msg = true; /* its error was a message: the log has it */
	} else if (a->loading && !a->loaded) {
		snprintf(buf, sizeof(buf), "Loading from %s...", a->nhosts ? a->hosts[0].uri : "libvirt");
	} else {
		screen_hints(a, buf, sizeof(buf)); /* the keys of the screen shown */
	}
	attron(attr);
	if (msg)
		ui_put_message(a, y, buf, cols);
	else
		ui_put(y, 0, buf, cols);
	attroff(attr);
}

void tui_draw(struct app *a)
{
	const struct view_ops *v = current_view(a);
	int rows, cols, cy = -1, cx = -1;

	tui_size(&rows, &cols);
	if (a->full_redraw)
		clearok(curscr, TRUE);
	erase();
	if (rows < APP_MIN_ROWS || cols < APP_MIN_COLS) {
		char buf[64];

		snprintf(buf, sizeof(buf), "Terminal too small: need %dx%d", APP_MIN_COLS, APP_MIN_ROWS);
		ui_put(0, 0, buf, cols);
	} else {
		draw_title(a, cols);
		v->draw(a, 1, rows - 2, cols);
		draw_status(a, rows - 1, cols);
		if (a->dlg.kind != DLG_NONE)
			ui_draw_dialog(a, rows, cols, &cy, &cx);
	}
	curs_set(cy >= 0 ? 1 : 0);
	if (cy >= 0)
		move(cy, cx);
	refresh();
	a->redraw = false;
	a->full_redraw = false;
}
