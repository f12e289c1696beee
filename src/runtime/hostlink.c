/* One host's link: its two workers and their connections, (re)connecting,
 * credential questions relayed to the UI thread, and events tagged. */
#include "runtime/hostlink.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"

/* Where a connection's events go; one per connection made, kept until the
 * end, since libvirt may still deliver to an old one. */
struct sink {
	struct hostlink *link;
	int gen;
	struct sink *next;
};

/* Questions remembered per host (user, password, passphrase...). */
#define CACHE_MAX 8

enum ask_state {
	ASK_IDLE,
	ASK_WAITING,  /* the UI shows the question */
	ASK_ANSWERED,
	ASK_CANCELLED,
};

struct hostlink {
	int host;
	char uri[512];
	bool readonly;
	struct mailbox *mb;
	struct worker *reads, *ops;
	struct sink *sinks;
	int gen; /* of the current connection */
	struct be_conn *pre; /* hostlink_preopen's */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum ask_state ask;
	bool cancelled; /* the user said no during this connection attempt */
	bool quitting;
	char answers[BE_CREDS_MAX][512];
	/* What the user typed, by question, for the second connection and
	 * reconnections: asked once, kept in memory only, wiped when refused
	 * and at exit. libvirt asks one question at a time. */
	struct be_cred cache[CACHE_MAX];
	size_t ncache;
};

struct hostlink *hostlink_new(int host, const char *uri, bool readonly, struct mailbox *mb)
{
	struct hostlink *h = xcalloc(1, sizeof(*h));

	h->host = host;
	str_copy(h->uri, uri ? uri : "", sizeof(h->uri));
	h->readonly = readonly;
	h->mb = mb;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	h->reads = worker_new(NULL, mb);
	h->ops = worker_new(NULL, mb);
	if (!h->reads || !h->ops) {
		worker_free(h->reads);
		worker_free(h->ops);
		pthread_mutex_destroy(&h->lock);
		pthread_cond_destroy(&h->cond);
		free(h);
		return NULL;
	}
	worker_set_host(h->reads, host, h);
	worker_set_host(h->ops, host, h);
	return h;
}

static void sink(void *ctx, const struct be_event *bev)
{
	struct sink *s = ctx;
	struct event *ev;

	/* A connection given up for a new one has nothing more to say. */
	if (s->gen != __atomic_load_n(&s->link->gen, __ATOMIC_SEQ_CST))
		return;
	ev = mailbox_event_of(bev);
	ev->host = s->link->host;
	mailbox_post(s->link->mb, ev);
}

/* Fills creds from what the user answered to the same questions before;
 * false when one of them is new. */
static bool cached(struct hostlink *h, struct be_cred *creds, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < h->ncache; k++)
			if (h->cache[k].type == creds[i].type && !strcmp(h->cache[k].prompt, creds[i].prompt))
				break;
		if (k == h->ncache)
			return false;
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < h->ncache; k++)
			if (h->cache[k].type == creds[i].type && !strcmp(h->cache[k].prompt, creds[i].prompt))
				str_copy(creds[i].answer, h->cache[k].answer, sizeof(creds[i].answer));
	return true;
}

static void remember(struct hostlink *h, const struct be_cred *c)
{
	size_t k;

	for (k = 0; k < h->ncache; k++)
		if (h->cache[k].type == c->type && !strcmp(h->cache[k].prompt, c->prompt))
			break;
	if (k == CACHE_MAX)
		return;
	h->cache[k] = *c;
	if (k == h->ncache)
		h->ncache++;
}

/* libvirt's credential question, asked of the user through the UI. */
static int ask(void *ctx, struct be_cred *creds, size_t n)
{
	struct hostlink *h = ctx;
	struct event *ev;
	size_t i;
	int rc = -1;

	if (n > BE_CREDS_MAX)
		return -1;
	pthread_mutex_lock(&h->lock);
	if (cached(h, creds, n)) {
		pthread_mutex_unlock(&h->lock);
		return 0;
	}
	ev = event_new(EV_AUTH);
	ev->host = h->host;
	ev->ncreds = (int)n;
	memcpy(ev->creds, creds, n * sizeof(*creds));
	h->ask = ASK_WAITING;
	mailbox_post(h->mb, ev);
	while (h->ask == ASK_WAITING && !h->quitting)
		pthread_cond_wait(&h->cond, &h->lock);
	if (h->ask == ASK_ANSWERED) {
		for (i = 0; i < n; i++) {
			str_copy(creds[i].answer, h->answers[i], sizeof(creds[i].answer));
			remember(h, &creds[i]);
		}
		rc = 0;
	} else {
		h->cancelled = true;
	}
	explicit_bzero(h->answers, sizeof(h->answers));
	h->ask = ASK_IDLE;
	pthread_mutex_unlock(&h->lock);
	return rc;
}

static void forget_creds(struct hostlink *h)
{
	pthread_mutex_lock(&h->lock);
	explicit_bzero(h->cache, sizeof(h->cache));
	h->ncache = 0;
	pthread_mutex_unlock(&h->lock);
}

/* The list, posted, with a copy kept in *copy; false when it cannot be
 * read (the connection's own failure is said next). */
static bool post_list(struct hostlink *h, struct be_conn *c, struct be_vm_list *copy)
{
	struct event *ev = event_new(EV_VMS_LOADED);
	size_t i;

	ev->host = h->host;
	ev->rc = be_list_vms(c, &ev->list, &ev->err);
	if (ev->rc < 0) {
		event_free(ev);
		return false;
	}
	copy->vms = xcalloc(ev->list.n + 1, sizeof(*copy->vms));
	for (i = 0; i < ev->list.n; i++)
		be_vm_copy(&copy->vms[i], &ev->list.vms[i]);
	copy->n = ev->list.n;
	mailbox_post(h->mb, ev);
	return true;
}

/* What connecting does once the first connection is open, in two
 * threads: the second connection and the events (some seven round trips
 * of handshakes and registrations), and beside them the details of the
 * list just shown, which do not wait for those. */
struct opening {
	struct hostlink *h;
	struct be_conn *c, *ops;
	const struct be_vm_list *list;
	int rc; /* of task 0 */
	struct be_error err;
};

static void opening_task(void *ctx, size_t i)
{
	struct opening *o = ctx;
	struct hostlink *h = o->h;
	struct sink *s;

	if (i == 1) {
		worker_details(o->c, h->mb, h->host, o->list);
		return;
	}
	o->rc = -1;
	if (!(o->ops = be_open_ops(o->c, &o->err)))
		return;
	/* A sink only for a connection that watches. */
	s = xcalloc(1, sizeof(*s));
	s->link = h;
	s->gen = __atomic_load_n(&h->gen, __ATOMIC_SEQ_CST);
	s->next = h->sinks;
	h->sinks = s;
	o->rc = be_watch(o->c, sink, s, &o->err);
}

/* VMs of now that were not in before (defined while the events were
 * being set up), for their details. */
static void added_since(const struct be_vm_list *before, const struct be_vm_list *now, struct be_vm_list *added)
{
	size_t i, k;

	added->vms = xcalloc(now->n + 1, sizeof(*added->vms));
	added->n = 0;
	for (i = 0; i < now->n; i++) {
		for (k = 0; k < before->n && strcmp(before->vms[k].uuid, now->vms[i].uuid); k++)
			;
		if (k == before->n)
			be_vm_copy(&added->vms[added->n++], &now->vms[i]);
	}
}

void hostlink_connect(struct hostlink *h)
{
	struct event *ev = event_new(EV_CONNECTED);
	struct be_conn *c, *ops = NULL;
	struct be_vm_list first = {0};
	bool listed = false, ok = false;

	ev->host = h->host;
	/* The old connection says nothing more; commands wait for the new. */
	__atomic_add_fetch(&h->gen, 1, __ATOMIC_SEQ_CST);
	worker_set_conn(h->ops, NULL);
	worker_set_conn(h->reads, NULL);
	pthread_mutex_lock(&h->lock);
	c = h->pre;
	h->pre = NULL;
	h->cancelled = false;
	pthread_mutex_unlock(&h->lock);
	if (c) /* its second connection asks the user, as this one would */
		be_set_auth(c, ask, h);
	else
		c = be_open_auth(h->uri[0] ? h->uri : NULL, h->readonly, ask, h, &ev->err);
	/* The list first: on a slow link it shows that many round trips
	 * sooner. Its details are read while the rest is set up. */
	if (c) {
		struct opening o = {.h = h, .c = c, .list = &first};

		listed = post_list(h, c, &first);
		parallel_for(listed ? 2 : 1, 2, opening_task, &o);
		ops = o.ops;
		if (o.rc < 0)
			ev->err = o.err;
		ok = o.rc == 0;
	}
	if (ok && listed) {
		/* Read again, the events on now: what changed meanwhile. */
		struct be_vm_list now = {0}, added = {0};

		if (post_list(h, c, &now)) {
			added_since(&first, &now, &added);
			worker_details(c, h->mb, h->host, &added);
		} else {
			listed = false; /* the core lists again */
		}
		be_vm_list_clear(&now);
		be_vm_list_clear(&added);
	}
	be_vm_list_clear(&first);
	if (!c || !ops || !ok) {
		/* libvirt mostly reports a cancelled question as a refusal
		 * (VIR_ERR_AUTH_FAILED, "Username request failed"): the user's
		 * no is not to be asked again as if a password were wrong. */
		pthread_mutex_lock(&h->lock);
		if (h->cancelled && ev->err.kind == BE_ERR_AUTH)
			ev->err.kind = BE_ERR_AUTH_CANCELLED;
		pthread_mutex_unlock(&h->lock);
		if (ev->err.kind == BE_ERR_AUTH || ev->err.kind == BE_ERR_AUTH_CANCELLED)
			forget_creds(h); /* ask again next time, from the start */
		be_close(ops);
		be_close(c);
		ev->rc = -1;
		mailbox_post(h->mb, ev);
		return;
	}
	worker_set_conn(h->reads, c);
	worker_set_conn(h->ops, ops);
	ev->libver = be_lib_version(c);
	if (strlen(be_uri(c)) < sizeof(ev->text)) /* else the URI as given stays */
		str_copy(ev->text, be_uri(c), sizeof(ev->text));
	be_close(ops); /* the workers hold their own references */
	be_close(c);
	ev->rc = 0;
	ev->listed = listed;
	mailbox_post(h->mb, ev);
}

void hostlink_preopen(struct hostlink *h, struct be_conn *c)
{
	pthread_mutex_lock(&h->lock);
	be_close(h->pre);
	h->pre = c;
	pthread_mutex_unlock(&h->lock);
}

void hostlink_submit(struct hostlink *h, const struct cmd *cmd)
{
	size_t i;

	if (cmd->type == CMD_AUTH_ANSWER) {
		pthread_mutex_lock(&h->lock);
		if (h->ask == ASK_WAITING) {
			for (i = 0; i < BE_CREDS_MAX && !cmd->u.auth_answer.cancelled; i++)
				str_copy(h->answers[i], cmd->u.auth_answer.answer[i], sizeof(h->answers[i]));
			h->ask = cmd->u.auth_answer.cancelled ? ASK_CANCELLED : ASK_ANSWERED;
			pthread_cond_broadcast(&h->cond);
		}
		pthread_mutex_unlock(&h->lock);
		return;
	}
	worker_submit(cmd_lane(cmd->type) == LANE_OPS ? h->ops : h->reads, cmd);
}

long long hostlink_busy_since(struct hostlink *h)
{
	enum ask_state ask;

	pthread_mutex_lock(&h->lock);
	ask = h->ask;
	pthread_mutex_unlock(&h->lock);
	/* Waiting for the user's password is not the host's slowness. */
	return ask == ASK_WAITING ? 0 : worker_busy_since(h->reads);
}

bool hostlink_busy(struct hostlink *h)
{
	return worker_busy(h->reads) || worker_busy(h->ops);
}

void hostlink_stop(struct hostlink *h)
{
	pthread_mutex_lock(&h->lock);
	h->quitting = true;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	forget_creds(h);
}

void hostlink_free(struct hostlink *h)
{
	struct sink *s;

	if (!h)
		return;
	hostlink_stop(h);
	/* A worker inside libvirt (a dead host, a long job) cannot be joined
	 * without hanging the exit: its thread is left to the process end. */
	if (hostlink_busy(h))
		return;
	worker_free(h->reads);
	worker_free(h->ops);
	be_close(h->pre);
	while ((s = h->sinks)) {
		h->sinks = s->next;
		free(s);
	}
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->cond);
	free(h);
}
