/* The core's shared state and the helpers every module reaches it with:
 * the status line and its log, host and VM lookups, the list height. */
#include "core/state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/msglog.h"
#include "shared/util.h"

void state_set_status(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;
	char *p, *whole;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	whole = xmalloc(len > 0 ? (size_t)len + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(whole, len > 0 ? (size_t)len + 1 : 1, fmt, ap);
	va_end(ap);
	/* The log keeps the message whole, the lines of tools' output too. */
	for (p = whole; *p; p++)
		if (*p == '\r' || *p == '\t')
			*p = ' ';
	for (p = whole + strlen(whole); p > whole && (p[-1] == '\n' || p[-1] == ' ');)
		*--p = '\0';
	msglog_add(&a->log, a->wall, error, whole);
	str_copy(a->status, whole, sizeof(a->status));
	free(whole);
	a->status_ms = a->now_ms;
	/* libvirt passes on tools' multi-line output: one line here. */
	for (p = a->status; *p; p++)
		if (*p == '\n')
			*p = ' ';
	a->status_error = error;
	a->redraw = true;
	if (a->on_status)
		a->on_status(a);
}

size_t state_list_height(const struct app *a)
{
	int h = a->term_rows - APP_CHROME_ROWS;

	return h > 1 ? (size_t)h : 1;
}

const struct be_vm *state_find_vm(const struct app *a, int host, const char *name)
{
	size_t i;

	for (i = 0; i < a->vms.n; i++)
		if (a->vms.vms[i].host == host && !strcmp(a->vms.vms[i].name, name))
			return &a->vms.vms[i];
	return NULL;
}

const struct host *state_host(const struct app *a, int h)
{
	return h >= 0 && (size_t)h < a->nhosts ? &a->hosts[h] : NULL;
}

const char *state_host_name(const struct app *a, int h)
{
	return state_host(a, h) ? a->hosts[h].name : "";
}

const char *state_host_state_name(enum host_state s)
{
	switch (s) {
	case HOST_CONNECTING: return "connecting";
	case HOST_UP: return "up";
	case HOST_SLOW: return "not answering";
	case HOST_DOWN: return "disconnected";
	}
	return "?";
}

const char *state_vm_state_name(enum be_vm_state s)
{
	switch (s) {
	case BE_VM_RUNNING: return "running";
	case BE_VM_PAUSED: return "paused";
	case BE_VM_SHUTOFF: return "shut off";
	case BE_VM_SAVED: return "saved";
	case BE_VM_CRASHED: return "crashed";
	case BE_VM_PMSUSPENDED: return "suspended";
	case BE_VM_OTHER: break;
	}
	return "other";
}

void state_load_vms(struct app *a, int host, struct cmds *out, bool all)
{
	struct cmd *c = cmd_push(out, CMD_LOAD_VMS);

	if (c) {
		c->u.load_vms.details = all;
		c->host = host;
	}
	a->loading = true;
	a->redraw = true;
}

bool state_host_writable(struct app *a, int h)
{
	const struct host *o = state_host(a, h);

	if (!o)
		return false;
	if (o->readonly) {
		state_set_status(a, true, "Read-only connection to %s: changes are refused", o->name);
		return false;
	}
	if (o->state != HOST_UP) {
		/* R reconnects only a host that is down: not one on its way. */
		state_set_status(a, true, "%s is %s%s", o->name, state_host_state_name(o->state),
				 o->state == HOST_DOWN ? ": R reconnects" : ": wait for it");
		return false;
	}
	return true;
}

bool state_name_fits(struct app *a, const char *kind, const char *name)
{
	size_t len = strlen(name);

	/* Cut short, a name could address another VM or snapshot. */
	if (len < APP_NAME_MAX)
		return true;
	state_set_status(a, true, "That %s's name is %zu bytes long: vmmanager acts on names of up to %d bytes "
				  "(rename it with virsh first)",
			 kind, len, APP_NAME_MAX - 1);
	return false;
}

const char *state_vm_uuid(const struct app *a, int host, const char *vm)
{
	const struct be_vm *v;

	if (a->sv.host == host && !strcmp(a->sv.vm, vm) && a->sv.uuid[0])
		return a->sv.uuid;
	v = state_find_vm(a, host, vm);
	return v ? v->uuid : "";
}

static bool has_snapshot(const struct snapview *sv, const char *name)
{
	size_t i;

	for (i = 0; i < sv->snaps.n; i++)
		if (!strcmp(sv->snaps.s[i].name, name))
			return true;
	return false;
}

const char *state_bad_snap_name(const struct app *a, int host, const char *vm, const char *name, char *buf, size_t n)
{
	const char *p;

	if (!*name)
		return "A snapshot needs a name";
	if (strlen(name) >= sizeof(((struct cmd *)0)->snap))
		return "Snapshot names are limited to 255 bytes";
	if (strchr(name, '/'))
		return "Snapshot names cannot contain '/'";
	for (p = name; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127)
			return "Snapshot names cannot contain control characters";
	if (a->sv.host == host && !strcmp(a->sv.vm, vm) && has_snapshot(&a->sv, name)) {
		snprintf(buf, n, "%s already has a snapshot named '%s'", vm, name);
		return buf;
	}
	return NULL;
}

