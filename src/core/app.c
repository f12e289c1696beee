#include "core/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

static const struct app *sort_app; /* qsort has no context argument */

void app_init(struct app *a, const char *uri, const char *host, bool readonly)
{
	memset(a, 0, sizeof(*a));
	str_copy(a->uri, uri, sizeof(a->uri));
	str_copy(a->host, host, sizeof(a->host));
	a->readonly = readonly;
	a->term_rows = 24;
	a->term_cols = 80;
	a->redraw = true;
	a->full_redraw = true;
}

void app_free(struct app *a)
{
	be_vm_list_clear(&a->vms);
	free(a->rows);
	a->rows = NULL;
	a->nrows = 0;
}

const char *app_state_name(enum be_vm_state s)
{
	switch (s) {
	case BE_VM_RUNNING: return "running";
	case BE_VM_PAUSED: return "paused";
	case BE_VM_SHUTOFF: return "shut off";
	case BE_VM_SAVED: return "saved";
	case BE_VM_CRASHED: return "crashed";
	case BE_VM_OTHER: break;
	}
	return "other";
}

const char *app_sort_name(enum sort_col c)
{
	static const char *names[SORT_COUNT] = {"name", "state", "snapshots", "chain", "vCPUs", "memory"};

	return c < SORT_COUNT ? names[c] : "";
}

const struct be_vm *app_row_vm(const struct app *a, size_t i)
{
	return i < a->nrows ? &a->vms.vms[a->rows[i]] : NULL;
}

const struct be_vm *app_selected(const struct app *a)
{
	return app_row_vm(a, a->sel);
}

size_t app_list_height(const struct app *a)
{
	int h = a->term_rows - APP_CHROME_ROWS;

	return h > 1 ? (size_t)h : 1;
}

static void set_status(struct app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_status(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->status, sizeof(a->status), fmt, ap);
	va_end(ap);
	a->status_error = error;
	a->redraw = true;
}

static int cmp_num_desc(long long x, long long y)
{
	return x < y ? 1 : x > y ? -1 : 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct be_vm *x = &sort_app->vms.vms[*(const size_t *)pa];
	const struct be_vm *y = &sort_app->vms.vms[*(const size_t *)pb];
	int c = 0;

	switch (sort_app->sort) {
	case SORT_STATE: c = (int)x->state - (int)y->state; break;
	case SORT_SNAPSHOTS: c = cmp_num_desc(x->nsnap, y->nsnap); break;
	case SORT_CHAIN: c = cmp_num_desc(x->chain_depth, y->chain_depth); break;
	case SORT_VCPUS: c = cmp_num_desc(x->vcpus, y->vcpus); break;
	case SORT_MEMORY: c = cmp_num_desc(x->mem_kib, y->mem_kib); break;
	case SORT_NAME:
	case SORT_COUNT: break;
	}
	if (!c)
		c = strcasecmp(x->name, y->name);
	return c ? c : strcmp(x->name, y->name);
}

/* Rebuilds the visible rows from the list, filter and sort, keeping the
 * selection on the VM with uuid keep where it is still shown. */
static void rebuild_rows_keeping(struct app *a, const char *keep)
{
	size_t i, n = 0;

	a->rows = xrealloc(a->rows, (a->vms.n ? a->vms.n : 1) * sizeof(*a->rows));
	for (i = 0; i < a->vms.n; i++)
		if (str_contains_nocase(a->vms.vms[i].name, a->filter))
			a->rows[n++] = i;
	a->nrows = n;
	sort_app = a;
	qsort(a->rows, n, sizeof(*a->rows), cmp_rows);
	sort_app = NULL;
	if (a->sel >= n)
		a->sel = n ? n - 1 : 0;
	for (i = 0; keep && keep[0] && i < n; i++)
		if (!strcmp(a->vms.vms[a->rows[i]].uuid, keep)) {
			a->sel = i;
			break;
		}
	a->redraw = true;
}

static void rebuild_rows(struct app *a)
{
	const struct be_vm *cur = app_selected(a);
	char keep[37] = "";

	if (cur)
		str_copy(keep, cur->uuid, sizeof(keep));
	rebuild_rows_keeping(a, keep);
}

/* Keeps the selection on screen. */
static void scroll_to_sel(struct app *a)
{
	size_t h = app_list_height(a);

	if (a->sel < a->top)
		a->top = a->sel;
	else if (a->sel >= a->top + h)
		a->top = a->sel - h + 1;
	if (a->nrows <= h)
		a->top = 0;
	else if (a->top > a->nrows - h)
		a->top = a->nrows - h;
}

static void move_sel(struct app *a, long delta)
{
	long n = (long)a->nrows, s = (long)a->sel + delta;

	if (!n)
		return;
	if (s < 0)
		s = 0;
	if (s >= n)
		s = n - 1;
	a->sel = (size_t)s;
	scroll_to_sel(a);
	a->redraw = true;
}

/* Details (snapshot count, chain depth) survive a list reload: the bulk
 * call does not carry them, and they only change on events. */
static void keep_details(struct be_vm_list *fresh, const struct be_vm_list *old)
{
	size_t i, j;

	for (i = 0; i < fresh->n; i++) {
		struct be_vm *v = &fresh->vms[i];

		for (j = 0; j < old->n; j++) {
			const struct be_vm *o = &old->vms[j];

			if (strcmp(o->uuid, v->uuid))
				continue;
			if (v->nsnap < 0)
				v->nsnap = o->nsnap;
			if (v->chain_depth < 0)
				v->chain_depth = o->chain_depth;
			if (v->vcpus < 0)
				v->vcpus = o->vcpus;
			if (v->mem_kib < 0)
				v->mem_kib = o->mem_kib;
			break;
		}
	}
}

static void merge_details(struct app *a, const struct be_vm_list *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++)
		for (j = 0; j < a->vms.n; j++) {
			struct be_vm *v = &a->vms.vms[j];

			if (strcmp(v->uuid, d->vms[i].uuid))
				continue;
			v->nsnap = d->vms[i].nsnap;
			v->chain_depth = d->vms[i].chain_depth;
			if (d->vms[i].vcpus >= 0)
				v->vcpus = d->vms[i].vcpus;
			if (d->vms[i].mem_kib >= 0)
				v->mem_kib = d->vms[i].mem_kib;
			break;
		}
	rebuild_rows(a);
}

static struct cmd *push(struct cmds *out, enum cmd_type type)
{
	struct cmd *c;

	if (out->n >= CMDS_MAX)
		return NULL;
	c = &out->c[out->n++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	return c;
}

static void request_load(struct app *a, struct cmds *out, bool all)
{
	struct cmd *c = push(out, CMD_LOAD_VMS);

	if (c)
		c->all = all;
	a->loading = true;
	a->redraw = true;
}

static const char *action_verb(enum be_action act)
{
	switch (act) {
	case BE_ACT_START: return "start";
	case BE_ACT_SHUTDOWN: return "shut down";
	case BE_ACT_DESTROY: return "force off";
	case BE_ACT_SUSPEND: return "pause";
	case BE_ACT_RESUME: return "resume";
	}
	return "act on";
}

static void send_action(struct app *a, struct cmds *out, const char *vm, enum be_action act)
{
	struct cmd *c = push(out, CMD_ACT);

	if (!c)
		return;
	str_copy(c->name, vm, sizeof(c->name));
	c->act = act;
	set_status(a, false, "%s %s...", act == BE_ACT_DESTROY ? "Forcing off" : action_verb(act), vm);
}

/* Checks a lifecycle request against the VM's state; refuses with the
 * reason instead of letting libvirt fail. */
static void lifecycle(struct app *a, enum request req, struct cmds *out)
{
	const struct be_vm *vm = app_selected(a);
	bool up;

	if (!vm) {
		set_status(a, true, "No VM selected");
		return;
	}
	if (a->readonly) {
		set_status(a, true, "Read-only connection: cannot change %s", vm->name);
		return;
	}
	up = vm->state == BE_VM_RUNNING || vm->state == BE_VM_PAUSED;
	switch (req) {
	case REQ_START:
		if (up)
			set_status(a, true, "%s is already running", vm->name);
		else
			send_action(a, out, vm->name, BE_ACT_START);
		break;
	case REQ_SHUTDOWN:
		if (vm->state != BE_VM_RUNNING)
			set_status(a, true, "%s is %s: only a running VM can shut down", vm->name,
				   app_state_name(vm->state));
		else
			send_action(a, out, vm->name, BE_ACT_SHUTDOWN);
		break;
	case REQ_FORCE_OFF:
		if (!up && vm->state != BE_VM_CRASHED) {
			set_status(a, true, "%s is not running", vm->name);
			break;
		}
		a->confirm.open = true;
		a->confirm.act = BE_ACT_DESTROY;
		str_copy(a->confirm.vm, vm->name, sizeof(a->confirm.vm));
		snprintf(a->confirm.text, sizeof(a->confirm.text),
			 "Force off %s? Its memory and unsaved guest data are lost. y/N", vm->name);
		a->redraw = true;
		break;
	case REQ_PAUSE:
		if (vm->state == BE_VM_RUNNING)
			send_action(a, out, vm->name, BE_ACT_SUSPEND);
		else if (vm->state == BE_VM_PAUSED)
			send_action(a, out, vm->name, BE_ACT_RESUME);
		else
			set_status(a, true, "%s is not running: nothing to pause", vm->name);
		break;
	default:
		break;
	}
}

static void filter_key(struct app *a, int key)
{
	size_t len = strlen(a->filter);

	if (key == VK_ENTER) {
		a->filtering = false;
	} else if (key == VK_ESC) {
		a->filtering = false;
		a->filter[0] = '\0';
	} else if (key == VK_BACKSPACE || key == 8) {
		while (len > 0 && ((unsigned char)a->filter[len - 1] & 0xC0) == 0x80)
			len--;
		if (len > 0)
			len--;
		a->filter[len] = '\0';
	} else if (key >= 32 && key != 127 && key < 0x110000) {
		char u[5];
		size_t n;

		if (key < 0x80) {
			u[0] = (char)key, n = 1;
		} else if (key < 0x800) {
			u[0] = (char)(0xC0 | (key >> 6)), u[1] = (char)(0x80 | (key & 0x3F)), n = 2;
		} else if (key < 0x10000) {
			u[0] = (char)(0xE0 | (key >> 12)), u[1] = (char)(0x80 | ((key >> 6) & 0x3F));
			u[2] = (char)(0x80 | (key & 0x3F)), n = 3;
		} else {
			u[0] = (char)(0xF0 | (key >> 18)), u[1] = (char)(0x80 | ((key >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((key >> 6) & 0x3F)), u[3] = (char)(0x80 | (key & 0x3F)), n = 4;
		}
		if (len + n < sizeof(a->filter)) {
			memcpy(a->filter + len, u, n);
			a->filter[len + n] = '\0';
		}
	} else if (key == VK_DOWN) {
		move_sel(a, 1);
		return;
	} else if (key == VK_UP) {
		move_sel(a, -1);
		return;
	} else {
		return;
	}
	a->sel = 0;
	a->top = 0;
	rebuild_rows(a);
	scroll_to_sel(a);
}

static void confirm_key(struct app *a, int key, struct cmds *out)
{
	a->confirm.open = false;
	a->redraw = true;
	if (keymap_lookup(SCOPE_CONFIRM, key) == REQ_CONFIRM)
		send_action(a, out, a->confirm.vm, a->confirm.act);
	else
		set_status(a, false, "Cancelled");
}

static void help_request(struct app *a, enum request req)
{
	size_t n = app_help_count(a), h = app_list_height(a);
	size_t max_top = n > h ? n - h : 0;

	switch (req) {
	case REQ_MOVE_DOWN: if (a->help_top < max_top) a->help_top++; break;
	case REQ_MOVE_UP: if (a->help_top > 0) a->help_top--; break;
	case REQ_MOVE_FIRST: a->help_top = 0; break;
	case REQ_MOVE_LAST: a->help_top = max_top; break;
	case REQ_PAGE_DOWN: a->help_top = a->help_top + h < max_top ? a->help_top + h : max_top; break;
	case REQ_PAGE_UP: a->help_top = a->help_top > h ? a->help_top - h : 0; break;
	case REQ_HELP:
	case REQ_BACK:
	case REQ_CANCEL: a->screen = SCREEN_VMLIST; break;
	default: return;
	}
	a->redraw = true;
}

static void vmlist_request(struct app *a, enum request req, struct cmds *out)
{
	long page = (long)app_list_height(a);

	switch (req) {
	case REQ_HELP:
		a->help_from = SCOPE_VMLIST;
		a->help_top = 0;
		a->screen = SCREEN_HELP;
		a->redraw = true;
		break;
	case REQ_BACK:
		a->quit = true;
		push(out, CMD_QUIT);
		break;
	case REQ_CANCEL:
		if (a->filter[0]) {
			a->filter[0] = '\0';
			rebuild_rows(a);
			scroll_to_sel(a);
		}
		break;
	case REQ_MOVE_DOWN: move_sel(a, 1); break;
	case REQ_MOVE_UP: move_sel(a, -1); break;
	case REQ_MOVE_FIRST: move_sel(a, -(long)a->nrows); break;
	case REQ_MOVE_LAST: move_sel(a, (long)a->nrows); break;
	case REQ_PAGE_DOWN: move_sel(a, page); break;
	case REQ_PAGE_UP: move_sel(a, -page); break;
	case REQ_FILTER:
		a->filtering = true;
		a->redraw = true;
		break;
	case REQ_SORT:
		a->sort = (enum sort_col)((a->sort + 1) % SORT_COUNT);
		rebuild_rows(a);
		scroll_to_sel(a);
		set_status(a, false, "Sorted by %s", app_sort_name(a->sort));
		break;
	case REQ_START:
	case REQ_SHUTDOWN:
	case REQ_FORCE_OFF:
	case REQ_PAUSE:
		lifecycle(a, req, out);
		break;
	default:
		break;
	}
}

static void on_key(struct app *a, int key, struct cmds *out)
{
	enum request req;

	if (a->confirm.open) {
		confirm_key(a, key, out);
		return;
	}
	if (a->screen == SCREEN_VMLIST && a->filtering) {
		filter_key(a, key);
		return;
	}
	req = keymap_lookup(a->screen == SCREEN_HELP ? SCOPE_HELP : SCOPE_VMLIST, key);
	if (req == REQ_REFRESH) {
		a->full_redraw = true;
		a->redraw = true;
		request_load(a, out, true);
		return;
	}
	if (a->screen == SCREEN_HELP)
		help_request(a, req);
	else
		vmlist_request(a, req, out);
}

static void on_loaded(struct app *a, struct event *ev)
{
	const struct be_vm *cur = app_selected(a);
	char keep[37] = "";

	a->loading = false;
	if (ev->rc < 0) {
		set_status(a, true, "Cannot list VMs: %s", ev->err.msg);
		return;
	}
	if (cur)
		str_copy(keep, cur->uuid, sizeof(keep));
	keep_details(&ev->list, &a->vms);
	be_vm_list_clear(&a->vms);
	a->vms = ev->list;
	memset(&ev->list, 0, sizeof(ev->list));
	a->loaded = true;
	rebuild_rows_keeping(a, keep);
	scroll_to_sel(a);
}

static void on_action_done(struct app *a, struct event *ev, struct cmds *out)
{
	if (ev->rc < 0)
		set_status(a, true, "Cannot %s %s: %s", action_verb(ev->act), ev->name, ev->err.msg);
	else
		set_status(a, false, "%s: %s done", ev->name, action_verb(ev->act));
	request_load(a, out, false);
}

void app_handle(struct app *a, struct event *ev, struct cmds *out)
{
	struct cmd *c;

	switch (ev->type) {
	case EV_KEY:
		on_key(a, ev->key, out);
		break;
	case EV_RESIZE:
		a->term_rows = ev->rows;
		a->term_cols = ev->cols;
		scroll_to_sel(a);
		help_request(a, REQ_NONE);
		a->full_redraw = true;
		a->redraw = true;
		break;
	case EV_TICK:
		break;
	case EV_VMS_LOADED:
		on_loaded(a, ev);
		break;
	case EV_DETAILS:
		merge_details(a, &ev->list);
		break;
	case EV_ACTION_DONE:
		on_action_done(a, ev, out);
		break;
	case EV_VM_CHANGED:
		request_load(a, out, false);
		c = push(out, CMD_LOAD_DETAILS);
		if (c)
			str_copy(c->name, ev->name, sizeof(c->name));
		break;
	case EV_CONN_CLOSED:
		a->disconnected = true;
		set_status(a, true, "Connection to %s lost: %s", a->uri, ev->err.msg[0] ? ev->err.msg : "closed");
		break;
	}
}

/* The help screen: the screen's own keys, then those that work everywhere,
 * then the answers to questions. */
static const enum scope help_scopes[] = {SCOPE_VMLIST, SCOPE_ALL, SCOPE_CONFIRM};

size_t app_help_count(const struct app *a)
{
	size_t i, n = keymap_help_count(a->help_from);

	for (i = 1; i < ARRAY_LEN(help_scopes); i++)
		n += keymap_help_count(help_scopes[i]);
	return n;
}

void app_help_line(const struct app *a, size_t i, char *key, size_t keyn, const char **text)
{
	size_t s, n;

	for (s = 0; s < ARRAY_LEN(help_scopes); s++) {
		enum scope sc = s ? help_scopes[s] : a->help_from;

		n = keymap_help_count(sc);
		if (i < n) {
			*text = keymap_help_line(sc, i, key, keyn);
			return;
		}
		i -= n;
	}
	key[0] = '\0';
	*text = "";
}
