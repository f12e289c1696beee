/* The jobs screen: every long operation with its progress, rate, ETA and
 * outcome; a finished job stays listed. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "shared/util.h"
#include "ui/view.h"

static const char *status_name(enum job_status s)
{
	switch (s) {
	case JOB_RUNNING: return "running";
	case JOB_READY: return "ready";
	case JOB_DONE: return "done";
	case JOB_FAILED: return "failed";
	case JOB_ABORTED: return "aborted";
	case JOB_REFUSED: return "refused";
	case JOB_UNKNOWN: return "unknown";
	}
	return "?";
}

/* "128.0 of 300.0 MiB 40.0 MiB/s ETA 0:04" or "" when libvirt reports no
 * sizes: compact, since it shares the row with the job's name. */
static void fmt_progress(const struct job *j, long long elapsed, char *buf, size_t n)
{
	char done[32], total[32], rate[32], *unit_d, *unit_t;
	double secs = (double)elapsed / 1000.0, r;
	int len;

	if (!j->total) {
		buf[0] = '\0';
		return;
	}
	bytes_human(j->done, done, sizeof(done));
	bytes_human(j->total, total, sizeof(total));
	unit_d = strchr(done, ' ');
	unit_t = strchr(total, ' ');
	if (unit_d && unit_t && !strcmp(unit_d, unit_t))
		*unit_d = '\0'; /* the unit once: "128.0 of 300.0 MiB" */
	len = snprintf(buf, n, "%s of %s", done, total);
	/* A block job's rate is measured between polls: a job found running
	 * did not start at 0 when vmmanager first saw it. */
	r = j->rate ? (double)j->rate : j->block ? 0 : secs > 0 ? (double)j->done / secs : 0;
	if (r > 0 && j->status == JOB_RUNNING && j->total > j->done && len > 0 && (size_t)len < n) {
		long long eta = (long long)((double)(j->total - j->done) / r);

		bytes_human((unsigned long long)r, rate, sizeof(rate));
		snprintf(buf + len, n - (size_t)len, " %s/s ETA %lld:%02lld", rate, eta / 60, eta % 60);
	}
}

/* Room for " 999.9 MiB/s ETA 99:59" after "X of Y". */
#define RATE_COLS 22

/* Where the status column starts: the name gets what the widest progress
 * text leaves, but at least a quarter of the row. Each job is measured at
 * its widest ("Y of Y" and a rate), so that columns hold still while the
 * numbers move. */
static int status_col(const struct app *a, int height, int cols, int bar)
{
	size_t i;
	int widest = 0, x;

	for (i = a->jobs_pos.top; i < a->njobs && (int)(i - a->jobs_pos.top) < height; i++) {
		const struct job *j = &a->jobs[i];
		char total[32];
		int w = 0;

		/* "512.0 KiB of 300.0 MiB": at most a number and unit twice. */
		if (j->total)
			w = 2 * (int)strlen(bytes_human(j->total, total, sizeof(total))) + 4 +
			    (j->status == JOB_RUNNING ? RATE_COLS : 0);
		if (jobs_is_active(j) || j->total)
			w += bar + 1;
		if (w > widest)
			widest = w;
	}
	x = cols - 18 - widest;
	return x < cols / 4 ? cols / 4 : x;
}

/* At the header's right end, how many jobs lie above and below the rows
 * shown, so that a long list never looks whole. */
static void more_marks(const struct app *a, int top, int cols)
{
	size_t above, below;
	char buf[80];
	int len = 0;

	jobs_hidden(a, &above, &below);
	if (above)
		len = snprintf(buf, sizeof(buf), " %s %zu more", ui_utf8 ? "\u2191" : "^", above);
	if (below)
		snprintf(buf + len, sizeof(buf) - (size_t)len, " %s %zu more", ui_utf8 ? "\u2193" : "v", below);
	if (!above && !below)
		return;
	attron(A_BOLD | A_REVERSE);
	len = (int)ui_text_width(buf) + 1;
	ui_put(top, cols - len, buf, len);
	attroff(A_BOLD | A_REVERSE);
}

static void draw(const struct app *a, int top, int height, int cols)
{
	size_t i;
	int y = top + 1, bar = cols >= 140 ? 20 : 12, x0 = status_col(a, height - 2, cols, bar);
	char head[64];

	attron(A_BOLD | A_UNDERLINE);
	ui_put(top, 0, " JOB", cols);
	snprintf(head, sizeof(head), " STATUS     TIME  PROGRESS");
	ui_put(top, x0, head, cols - x0);
	attroff(A_BOLD | A_UNDERLINE);
	more_marks(a, top, cols);
	if (!a->njobs) {
		ui_put(y, 1, "No jobs yet. Lifecycle actions, hibernation, snapshot and overlay work show here.", cols - 1);
		return;
	}
	for (i = a->jobs_pos.top; i < a->njobs && y < top + height - 1; i++, y++) {
		const struct job *j = &a->jobs[i];
		long long el = (jobs_is_active(j) ? a->now_ms : j->ended_ms) - j->started_ms;
		char what[1200], mid[64], prog[200];
		bool sel = i == a->jobs_pos.sel, has_bar = jobs_is_active(j) || j->total;
		int x = x0;

		fmt_progress(j, el, prog, sizeof(prog));
		/* With several hosts every job names its host first. */
		snprintf(what, sizeof(what), "%s %s%s%s", sel ? ">" : " ", a->nhosts > 1 ? state_host_name(a, j->host) : "",
			 a->nhosts > 1 ? ": " : "", j->what);
		snprintf(mid, sizeof(mid), " %-7s %5lld.%llds ", status_name(j->status), el / 1000, (el % 1000) / 100);
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, what, x);
		ui_put(y, x, mid, 18);
		x += 18;
		if (has_bar && cols - x > bar) {
			ui_progress(y, x, bar, j->done, j->total);
			ui_put(y, x + bar, " ", 1);
			x += bar + 1;
		}
		ui_put(y, x, prog, cols - x);
		if (sel)
			attroff(A_REVERSE);
	}
	if (a->jobs_pos.sel < a->njobs) {
		const struct job *j = &a->jobs[a->jobs_pos.sel];
		char msg[sizeof(j->error) + 16] = "";

		if (j->status == JOB_FAILED)
			snprintf(msg, sizeof(msg), " libvirt: %s", j->error);
		else if (j->status == JOB_REFUSED)
			snprintf(msg, sizeof(msg), " refused: %s", j->error);
		else if (j->status == JOB_READY)
			snprintf(msg, sizeof(msg), " %s", j->pivoting ? "pivoting..." : "ready: P pivots to the base, a aborts");
		else if (j->error[0])
			snprintf(msg, sizeof(msg), " %s", j->error);
		else /* the row may have cut it short */
			snprintf(msg, sizeof(msg), " %s", j->what);
		/* libvirt's word on a failure is in the message log whole. */
		if (j->status == JOB_FAILED || j->status == JOB_REFUSED)
			ui_put_message(a, top + height - 1, msg, cols);
		else
			ui_put(top + height - 1, 0, msg, cols);
	}
}

const struct view_ops jobs_view = {
	.name = "jobs",
	.draw = draw,
};
