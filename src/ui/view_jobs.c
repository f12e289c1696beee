/* The jobs screen: every long operation with its progress, rate, ETA and
 * outcome; a finished job stays listed. */
#include <curses.h>
#include <stdio.h>

#include "core/util.h"
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
	}
	return "?";
}

/* "3/10 GiB 12.0 MiB/s ETA 0:42" or "" when libvirt reports no sizes. */
static void fmt_progress(const struct job *j, long long elapsed, char *buf, size_t n)
{
	char done[32], total[32], rate[32];
	double secs = (double)elapsed / 1000.0, r;

	if (!j->total) {
		buf[0] = '\0';
		return;
	}
	bytes_human(j->done, done, sizeof(done));
	bytes_human(j->total, total, sizeof(total));
	/* A block job's rate is measured between polls: a job found running
	 * did not start at 0 when vmmanager first saw it. */
	r = j->rate ? (double)j->rate : j->block ? 0 : secs > 0 ? (double)j->done / secs : 0;
	bytes_human((unsigned long long)r, rate, sizeof(rate));
	if (r > 0 && j->status == JOB_RUNNING && j->total > j->done) {
		long long eta = (long long)((double)(j->total - j->done) / r);

		snprintf(buf, n, "%s of %s  %s/s  ETA %lld:%02lld", done, total, rate, eta / 60, eta % 60);
	} else {
		snprintf(buf, n, "%s of %s", done, total);
	}
}

static void draw(const struct app *a, int top, int height, int cols)
{
	size_t i;
	int y = top + 1, bar = cols >= 100 ? 20 : 12;

	attron(A_BOLD | A_UNDERLINE);
	ui_put(top, 0, " JOB                                        STATUS     TIME  PROGRESS", cols);
	attroff(A_BOLD | A_UNDERLINE);
	if (!a->njobs) {
		ui_put(y, 1, "No jobs yet. Lifecycle actions, hibernation, snapshot and overlay work show here.", cols - 1);
		return;
	}
	for (i = a->jobs_top; i < a->njobs && y < top + height - 1; i++, y++) {
		const struct job *j = &a->jobs[i];
		long long el = (job_active(j) ? a->now_ms : j->ended_ms) - j->started_ms;
		char what[1200], mid[64], prog[200];
		bool sel = i == a->jobs_sel, has_bar = job_active(j) || j->total;
		int pw, x;

		fmt_progress(j, el, prog, sizeof(prog));
		snprintf(what, sizeof(what), "%s %s", sel ? ">" : " ", j->what);
		snprintf(mid, sizeof(mid), " %-7s %5lld.%llds ", status_name(j->status), el / 1000, (el % 1000) / 100);
		/* The name gets what the numbers leave, but at least half. */
		pw = (int)ui_text_width(prog) + (has_bar ? bar + 1 : 0);
		if (pw > cols / 2 - 18)
			pw = cols / 2 - 18 > 0 ? cols / 2 - 18 : 0;
		x = cols - 18 - pw;
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, what, x);
		ui_put(y, x, mid, 18);
		x += 18;
		if (has_bar && pw > bar) {
			ui_progress(y, x, bar, j->done, j->total);
			ui_put(y, x + bar, " ", 1);
			x += bar + 1;
		}
		ui_put(y, x, prog, cols - x);
		if (sel)
			attroff(A_REVERSE);
	}
	if (a->jobs_sel < a->njobs) {
		const struct job *j = &a->jobs[a->jobs_sel];
		char msg[700] = "";

		if (j->status == JOB_FAILED)
			snprintf(msg, sizeof(msg), " libvirt: %s", j->error);
		else if (j->status == JOB_REFUSED)
			snprintf(msg, sizeof(msg), " refused: %s", j->error);
		else if (j->status == JOB_READY)
			snprintf(msg, sizeof(msg), " %s", j->pivoting ? "pivoting..." : "ready: P pivots to the base, a aborts");
		else if (j->error[0])
			snprintf(msg, sizeof(msg), " %s", j->error);
		ui_put(top + height - 1, 0, msg, cols);
	}
}

const struct view_ops jobs_view = {
	.name = "jobs",
	.draw = draw,
};
