/* Hosts: each libvirt connection's state as the screens show it. Opening,
 * credentials asked in a form, a host that stops answering, a lost
 * connection (its jobs' outcome unknown) and reconnecting. */
#include "core/hosts.h"

#include <stdio.h>
#include <string.h>

#include "core/blockjobs.h"
#include "core/cmd.h"
#include "core/dialog.h"
#include "core/jobs.h"
#include "core/state.h"
#include "shared/util.h"

/* Wrong passwords in a row before vmmanager stops asking by itself. */
#define AUTH_TRIES 3

static struct host *host_of(struct app *a, int h)
{
	return h >= 0 && (size_t)h < a->nhosts ? &a->hosts[h] : NULL;
}

void hosts_name(struct app *a, struct host *o, const char *canon, const char *hostname)
{
	const char *p = strstr(canon, "://"), *end, *slash;
	char base[64];
	size_t i;
	int k = 1;
	bool taken;

	if (o->named)
		return;
	if (p && p[3] && p[3] != '/') {
		p += 3;
		end = p + strcspn(p, "/?");
		if (memchr(p, '@', (size_t)(end - p)))
			p = (const char *)memchr(p, '@', (size_t)(end - p)) + 1;
		/* An IPv6 address is bracketed and full of colons. */
		if (*p == '[' && memchr(p, ']', (size_t)(end - p)))
			snprintf(base, sizeof(base), "%.*s", (int)strcspn(p + 1, "]"), p + 1);
		else
			snprintf(base, sizeof(base), "%.*s", (int)strcspn(p, "/:?"), p);
	} else if (!strncmp(canon, "test://", 7) && (slash = strrchr(canon, '/')) && slash[1]) {
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(slash + 1, ".?"), slash + 1);
	} else {
		p = p ? p + 3 : "";
		snprintf(base, sizeof(base), "%.40s%s%.*s", hostname[0] ? hostname : "localhost", *p == '/' ? ":" : "",
			 (int)strcspn(p + (*p == '/'), "?"), p + (*p == '/'));
	}
	str_copy(o->name, base, sizeof(o->name));
	do {
		taken = false;
		for (i = 0; i < a->nhosts; i++)
			if (&a->hosts[i] != o && !strcmp(a->hosts[i].name, o->name))
				taken = true;
		if (taken)
			snprintf(o->name, sizeof(o->name), "%.50s#%d", base, ++k % 1000);
	} while (taken);
}

void hosts_connected(struct app *a, struct event *ev, struct cmds *out)
{
	struct host *o = host_of(a, ev->host);
	struct cmd *c;

	if (!o)
		return;
	a->redraw = true;
	if (ev->rc < 0) {
		if (ev->err.kind == BE_ERR_AUTH && ++o->auth_tries < AUTH_TRIES && (c = cmd_push(out, CMD_CONNECT))) {
			/* A wrong password: libvirt's word, and the question again. */
			c->host = ev->host;
			o->state = HOST_CONNECTING;
			str_copy(o->error, ev->err.msg, sizeof(o->error));
			state_set_status(a, true, "%s: %s; try again", o->name, ev->err.msg);
			return;
		}
		/* Said once: a host retried every few seconds must not bury
		 * every other message under the same one. */
		if (o->state != HOST_DOWN || strcmp(o->error, ev->err.msg))
			state_set_status(a, true, "Cannot connect to %s: %s%s", o->name, ev->err.msg,
					 ev->err.kind == BE_ERR_AUTH_CANCELLED || ev->err.kind == BE_ERR_AUTH
						 ? " (R asks again)"
						 : "");
		str_copy(o->error, ev->err.msg, sizeof(o->error));
		o->state = HOST_DOWN;
		o->libver = 0;
		/* Cancelled or refused credentials are not retried by themselves. */
		o->retry_ms = ev->err.kind == BE_ERR_AUTH || ev->err.kind == BE_ERR_AUTH_CANCELLED ? HOST_NEVER
											   : a->now_ms + HOST_RETRY_MS;
		return;
	}
	if (o->asked)
		state_set_status(a, false, "Logged in to %s", o->name);
	o->asked = false;
	o->state = HOST_UP;
	o->error[0] = '\0';
	o->auth_tries = 0;
	o->libver = ev->libver;
	if (ev->text[0] && strlen(ev->text) < sizeof(o->uri))
		str_copy(o->uri, ev->text, sizeof(o->uri));
	if (!ev->listed)
		state_load_vms(a, ev->host, out, true);
	blockjobs_recover(a, ev->host, out); /* the commits it went on with alone */
}

void hosts_closed(struct app *a, struct event *ev)
{
	struct host *o = host_of(a, ev->host);
	size_t i;

	if (!o)
		return;
	o->state = HOST_DOWN;
	o->loaded = false; /* once back, its first list looks for block jobs */
	o->retry_ms = a->now_ms + HOST_RETRY_MS;
	str_copy(o->error, ev->err.msg[0] ? ev->err.msg : "connection closed", sizeof(o->error));
	/* libvirt may carry the host's jobs on: how they end is not known. */
	for (i = 0; i < a->njobs; i++) {
		struct job *j = &a->jobs[i];

		if (j->host == ev->host && jobs_is_active(j)) {
			j->status = JOB_UNKNOWN;
			j->ended_ms = a->now_ms;
			str_copy(j->error, "the connection was lost: how the job ends is not known", sizeof(j->error));
		}
	}
	state_set_status(a, true, "Connection to %s lost: %s; reconnecting by itself, R now", o->name, o->error);
}

void hosts_slow(struct app *a, struct event *ev)
{
	struct host *o = host_of(a, ev->host);

	if (!o)
		return;
	/* A connection being opened can hang as well as a call. */
	if (ev->rc && (o->state == HOST_UP || o->state == HOST_CONNECTING)) {
		o->before_slow = o->state;
		o->state = HOST_SLOW;
		state_set_status(a, true, "%s is not answering", o->name);
	} else if (!ev->rc && o->state == HOST_SLOW) {
		o->state = o->before_slow;
		if (o->state == HOST_UP)
			state_set_status(a, false, "%s answers again", o->name);
	}
	a->redraw = true;
}

void hosts_auth(struct app *a, struct event *ev)
{
	struct host *o = host_of(a, ev->host);

	if (!o)
		return;
	/* Each host's question waits its turn: none may be lost, since its
	 * link waits for the answer. */
	o->nask = ev->ncreds < DLG_FIELDS ? ev->ncreds : DLG_FIELDS;
	memcpy(o->ask, ev->creds, (size_t)o->nask * sizeof(*o->ask));
	o->asking = true;
	o->asked = true;
	hosts_show_login(a);
}

static void auth_done(struct app *a, int key, struct cmds *out);
static void auth_cancel(struct app *a, int key, struct cmds *out);

bool hosts_show_login(struct app *a)
{
	struct dialog_field fields[DLG_FIELDS] = {{0}};
	struct cmd c = {.type = CMD_AUTH_ANSWER};
	struct dialog *d;
	struct host *o = NULL;
	char title[sizeof(a->hosts[0].name) + 16], text[sizeof(a->hosts[0].uri) + 64];
	size_t h;
	int i;

	if (a->dlg.kind != DLG_NONE)
		return false;
	for (h = 0; h < a->nhosts && !o; h++)
		if (a->hosts[h].asking)
			o = &a->hosts[h];
	if (!o)
		return false;
	o->asking = false;
	c.host = (int)(o - a->hosts);
	snprintf(title, sizeof(title), "Log in to %s", o->name);
	snprintf(text, sizeof(text), "libvirt asks for credentials for %s.", o->uri);
	for (i = 0; i < o->nask; i++) {
		const struct be_cred *q = &o->ask[i];

		fields[i].secret = q->type == BE_CRED_PASSWORD || q->type == BE_CRED_NOECHO;
		fields[i].label = q->type == BE_CRED_USER ? "User" : q->type == BE_CRED_PASSWORD ? "Password" : "Answer";
		fields[i].value = q->answer; /* libvirt's default */
	}
	d = dialog_form(a, &c, title, text, fields, o->nask,
			o->nask > 1 ? "Enter log in  Tab next field  Esc cancel" : "Enter log in  Esc cancel", auth_done);
	d->cancel = auth_cancel;
	/* The prompt libvirt gives (an ssh key's passphrase, say) says more. */
	if (o->nask == 1 && o->ask[0].prompt[0])
		snprintf(d->text, sizeof(d->text), "%s", o->ask[0].prompt);
	/* The password field takes the keys at once when the user is known. */
	for (i = 0; i < d->nfields; i++)
		if (d->field[i].value[0] == '\0') {
			d->active = i;
			break;
		}
	explicit_bzero(o->ask, sizeof(o->ask));
	/* Keys typed for what was on screen must not go into the password. */
	a->dlg_guard_ms = a->now_ms + DLG_GUARD_MS;
	a->redraw = true;
	return true;
}

/* Hands the login form's answers on, or says it was cancelled. */
static void auth_answer(struct app *a, bool cancel, struct cmds *out)
{
	struct dialog *d = &a->dlg;
	struct cmd *c = cmd_push(out, CMD_AUTH_ANSWER);
	int i;

	if (c) {
		c->host = d->cmd->host;
		c->u.auth_answer.cancelled = cancel;
		for (i = 0; !cancel && i < d->nfields; i++)
			str_copy(c->u.auth_answer.answer[i], d->field[i].value, AUTH_SLOT);
	}
	/* Nothing secret stays in the core once it is handed on. */
	for (i = 0; i < DLG_FIELDS; i++)
		explicit_bzero(d->field[i].value, sizeof(d->field[i].value));
	dialog_close(a);
	state_set_status(a, false, cancel ? "Login cancelled" : "Logging in...");
}

static void auth_done(struct app *a, int key, struct cmds *out)
{
	(void)key;
	auth_answer(a, false, out);
}

static void auth_cancel(struct app *a, int key, struct cmds *out)
{
	(void)key;
	auth_answer(a, true, out);
}

void hosts_reconnect(struct app *a, struct cmds *out, bool now)
{
	size_t h, n = 0;
	struct cmd *c;

	for (h = 0; h < a->nhosts; h++) {
		struct host *o = &a->hosts[h];

		if (o->state != HOST_DOWN || (!now && a->now_ms < o->retry_ms) || !(c = cmd_push(out, CMD_CONNECT)))
			continue;
		c->host = (int)h;
		o->state = HOST_CONNECTING;
		o->auth_tries = 0;
		n++;
	}
	if (now)
		state_set_status(a, !n, n ? "Reconnecting to %zu host%s..." : "No host is down", n, n == 1 ? "" : "s");
	if (n)
		a->redraw = true;
}

void hosts_set_local(struct app *a, const char *name)
{
	str_copy(a->local_host, name, sizeof(a->local_host));
}

int hosts_add(struct app *a, const char *name, const char *uri, bool readonly)
{
	struct host *h;

	a->hosts = xrealloc(a->hosts, (a->nhosts + 1) * sizeof(*a->hosts));
	h = &a->hosts[a->nhosts];
	memset(h, 0, sizeof(*h));
	str_copy(h->uri, uri ? uri : "", sizeof(h->uri));
	h->named = name && *name;
	str_copy(h->name, h->named ? name : "", sizeof(h->name));
	h->readonly = readonly;
	h->state = HOST_CONNECTING;
	a->nhosts++;
	hosts_name(a, h, h->uri, a->local_host[0] ? a->local_host : "localhost");
	return (int)a->nhosts - 1;
}
