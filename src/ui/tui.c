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

#include "core/util.h"
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

static const struct view_ops *current_view(const struct app *a)
{
	switch (a->screen) {
	case SCREEN_VM: return &vm_view;
	case SCREEN_JOBS: return &jobs_view;
	case SCREEN_HELP: return &help_view;
	case SCREEN_VMLIST: break;
	}
	return &vmlist_view;
}

static void draw_title(const struct app *a, int cols)
{
	char buf[1024];
	size_t i, running = 0;

	for (i = 0; i < a->njobs; i++)
		running += a->jobs[i].status == JOB_RUNNING;
	snprintf(buf, sizeof(buf), " vmmanager | %s | %s | %s%s%s", current_view(a)->name, a->host, a->uri,
		 a->readonly ? " | read-only" : "", running ? " | jobs running" : "");
	attron(A_REVERSE);
	ui_put(0, 0, buf, cols);
	attroff(A_REVERSE);
}

/* The newest running job, or NULL. */
static const struct job *running_job(const struct app *a)
{
	size_t i;

	for (i = a->njobs; i-- > 0;)
		if (a->jobs[i].status == JOB_RUNNING)
			return &a->jobs[i];
	return NULL;
}

static void draw_status(const struct app *a, int y, int cols)
{
	const struct job *j = running_job(a);
	char buf[1200];
	int attr = 0;

	if (j && !(a->filtering && a->screen == SCREEN_VMLIST) && !a->status_error) {
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
	} else if (a->status[0]) {
		snprintf(buf, sizeof(buf), "%s", a->status);
		if (a->status_error)
			attr = has_colors() && !getenv("NO_COLOR") ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD;
	} else if (a->disconnected) {
		snprintf(buf, sizeof(buf), "disconnected from %s", a->uri);
	} else if (a->loading && !a->loaded) {
		snprintf(buf, sizeof(buf), "Loading from %s...", a->uri);
	} else if (a->screen == SCREEN_VMLIST) {
		snprintf(buf, sizeof(buf), "? help  q quit  Enter open  / filter  o sort (%s)  2 jobs",
			 app_sort_name(a->sort));
	} else if (a->screen == SCREEN_VM) {
		snprintf(buf, sizeof(buf), "? help  q back  s take  r revert  d delete  Space fold  H hibernate  2 jobs");
	} else if (a->screen == SCREEN_JOBS) {
		snprintf(buf, sizeof(buf), "? help  q back  a abort  1 VMs");
	} else {
		snprintf(buf, sizeof(buf), "? help  q back  1 VMs  2 jobs");
	}
	attron(attr);
	ui_put(y, 0, buf, cols);
	attroff(attr);
}

/* Dialogs: a framed box in the middle of the screen. */
static void frame(int y, int x, int h, int w)
{
	int i;

	for (i = 0; i < h; i++)
		ui_put(y + i, x, "", w);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
}

/* Bytes of s that fit on one line of width columns: up to a newline, or
 * the last space before the text gets too wide. */
static size_t wrap_len(const char *s, int width)
{
	size_t end = strcspn(s, "\n"), cut = 0, fit = 0, i;
	char buf[2048];

	for (i = 1; i <= end && i < sizeof(buf); i++) {
		if (i < end && ((unsigned char)s[i] & 0xC0) == 0x80)
			continue; /* only whole characters */
		memcpy(buf, s, i);
		buf[i] = '\0';
		if ((int)ui_text_width(buf) > width)
			return cut ? cut : fit ? fit : i; /* a word longer than the line is cut */
		fit = i;
		if (s[i] == ' ' || i == end)
			cut = i;
	}
	return end;
}

static int count_lines(const char *s, int width)
{
	int n = 0;

	while (*s) {
		s += wrap_len(s, width);
		while (*s == ' ')
			s++;
		if (*s == '\n')
			s++;
		n++;
	}
	return n ? n : 1;
}

/* The end of a field's text that fits in width columns: one types at
 * the end, so that is the part to see. */
static const char *field_tail(const char *s, int width)
{
	while (*s && (int)ui_text_width(s) > width) {
		s++;
		while (((unsigned char)*s & 0xC0) == 0x80)
			s++;
	}
	return s;
}

/* Draws the dialog; returns where the text cursor belongs (-1: hidden).
 * Title and hint at the top and bottom, the fields or menu items just
 * above the hint, and the explanation in what is left: on a small
 * terminal the explanation gives way, never the part one types into. */
static void draw_dialog(const struct app *a, int rows, int cols, int *cy, int *cx)
{
	const struct dialog *d = &a->dlg;
	int w = cols < 60 ? cols - 2 : cols - 4 < 78 ? cols - 4 : 78, inner = w - 4, h, y, x, i, k;
	int nfields = d->kind == DLG_FORM ? d->nfields : 0, nitems = d->kind == DLG_MENU ? d->nitems : 0;
	int text_rows = count_lines(d->text, inner), part_rows, spacing, part_top;
	const char *p = d->text, *hint;
	char line[2048];

	*cy = *cx = -1;
	spacing = nfields ? 2 : 1;
	h = 4 + text_rows + 1 + nfields * spacing + nitems;
	if (h > rows) {
		spacing = 1; /* fields closer together first */
		h = 4 + text_rows + 1 + nfields + nitems;
	}
	if (h > rows)
		h = rows;
	y = (rows - h) / 2;
	x = (cols - w) / 2;
	frame(y, x, h, w);
	attron(A_BOLD);
	ui_put(y + 1, x + 2, d->title, inner);
	attroff(A_BOLD);
	part_rows = nfields * spacing + nitems;
	part_top = y + h - 2 - part_rows;
	if (part_top < y + 2)
		part_top = y + 2;
	for (i = y + 2; *p && i < part_top - (part_rows ? 1 : 0) && i < y + h - 2; i++) {
		size_t len = wrap_len(p, inner);

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		ui_put(i, x + 2, line, inner);
		p += len;
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
	}
	i = part_top;
	for (k = 0; k < nfields && i < y + h - 2; k++, i += spacing) {
		snprintf(line, sizeof(line), "%s:", d->field[k].label);
		ui_put(i, x + 2, line, 13);
		if (k == d->active)
			attron(A_UNDERLINE);
		ui_put(i, x + 15, field_tail(d->field[k].value, inner - 14), inner - 13);
		if (k == d->active) {
			int tw = (int)ui_text_width(field_tail(d->field[k].value, inner - 14));

			attroff(A_UNDERLINE);
			*cy = i;
			/* After the text, or on the field's last column. */
			*cx = x + 15 + (tw < inner - 14 ? tw : inner - 14);
		}
	}
	for (k = 0; k < nitems && i < y + h - 2; k++, i++) {
		snprintf(line, sizeof(line), "  %c  %s", d->item[k].key, d->item[k].label);
		ui_put(i, x + 2, line, inner);
	}
	if (nfields)
		hint = "Enter take  Tab next field  Ctrl-U clear  Esc cancel";
	else if (nitems)
		hint = "press a key above; anything else cancels";
	else
		hint = "y confirms; any other key cancels";
	attron(A_BOLD);
	ui_put(y + h - 2, x + 2, hint, inner);
	attroff(A_BOLD);
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
			draw_dialog(a, rows, cols, &cy, &cx);
	}
	curs_set(cy >= 0 ? 1 : 0);
	if (cy >= 0)
		move(cy, cx);
	refresh();
	a->redraw = false;
	a->full_redraw = false;
}
