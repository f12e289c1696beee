/* The jobs screen: every long operation with its progress, rate, ETA and
 * outcome; a finished job stays listed. */
#include <curses.h>
#include <stdio.h>

#include "ui/view.h"

static const char *status_name(enum job_status s)
{
	switch (s) {
	case JOB_RUNNING: return "running";
	case JOB_DONE: return "done";
	case JOB_FAILED: return "failed";
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
	ui_bytes(j->done, done, sizeof(done));
	ui_bytes(j->total, total, sizeof(total));
	r = secs > 0 ? (double)j->done / secs : 0;
	ui_bytes((unsigned long long)r, rate, sizeof(rate));
	if (r > 0 && j->status == JOB_RUNNING) {
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
	ui_put(top, 0, " JOB", cols);
	attroff(A_BOLD | A_UNDERLINE);
	if (!a->njobs) {
		ui_put(y, 1, "No jobs yet. Snapshots, reverts and deletes show here while they run.", cols - 1);
		return;
	}
	for (i = a->jobs_top; i < a->njobs && y < top + height - 1; i++, y++) {
		const struct job *j = &a->jobs[i];
		long long end = j->status == JOB_RUNNING ? a->now_ms : j->ended_ms;
		long long el = end - j->started_ms;
		char left[1200], right[300], prog[200];
		bool sel = i == a->jobs_sel;
		int rw;

		fmt_progress(j, el, prog, sizeof(prog));
		snprintf(left, sizeof(left), "%s %s", sel ? ">" : " ", j->what);
		snprintf(right, sizeof(right), " %-7s %4lld.%llds %s", status_name(j->status), el / 1000, (el % 1000) / 100,
			 prog);
		rw = cols / 2;
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, left, cols - rw - bar - 1);
		if (j->status == JOB_RUNNING || j->total)
			ui_progress(y, cols - rw - bar - 1, bar, j->done, j->total);
		else
			ui_put(y, cols - rw - bar - 1, "", bar);
		ui_put(y, cols - rw - 1, right, rw + 1);
		if (sel)
			attroff(A_REVERSE);
	}
	if (a->jobs_sel < a->njobs && a->jobs[a->jobs_sel].status == JOB_FAILED) {
		char msg[700];

		snprintf(msg, sizeof(msg), " libvirt: %s", a->jobs[a->jobs_sel].error);
		ui_put(top + height - 1, 0, msg, cols);
	}
}

const struct view_ops jobs_view = {
	.name = "jobs",
	.draw = draw,
};
