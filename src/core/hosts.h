/* Hosts: each libvirt connection's state as the screens show it, and its
 * events: connected, asking for credentials, slow, lost, reconnected. */
#ifndef VMM_HOSTS_H
#define VMM_HOSTS_H

#include <stdbool.h>

#include "backend/types.h"

struct app;
struct cmds;
struct event;

enum host_state {
	HOST_CONNECTING, /* opening its connection, maybe asking for credentials */
	HOST_UP,
	HOST_SLOW,       /* a call has waited seconds for an answer */
	HOST_DOWN,       /* disconnected: reconnects by itself, R at once */
};

/* One libvirt connection (a "host"), with the state the screens show. */
struct host {
	char name[64];      /* shown in the host column and on jobs */
	char uri[512];      /* as given; libvirt's canonical one once connected */
	bool readonly;
	bool named;         /* the name comes from the config: keep it */
	enum host_state state;
	enum host_state before_slow; /* what it is again once it answers */
	char error[4096];   /* why it is down: libvirt's message, whole */
	long long retry_ms; /* when it reconnects by itself */
	int auth_tries;     /* wrong passwords in a row */
	bool asked;         /* credentials were asked since the last connect */
	bool asking;        /* libvirt waits for credentials: ask holds the
			     * questions, shown when no dialog is open */
	struct be_cred ask[BE_CREDS_MAX];
	int nask;
	bool loaded;        /* its VM list arrived since it (re)connected */
	unsigned long libver; /* libvirt's version there, 0 not known */
};

/* Seconds between reconnection attempts of a host that is down. */
#define HOST_RETRY_MS 5000
/* The retry time of a host that waits for R (refused credentials). */
#define HOST_NEVER ((long long)1 << 62)

/* This machine's name, for hosts on local URIs; before hosts_add. */
void hosts_set_local(struct app *a, const char *name);
/* Adds a host, not yet connected; returns its index. name may be NULL. */
int hosts_add(struct app *a, const char *name, const char *uri, bool readonly);
/* Names a host with no name of its own, once, when it is added (so names
 * follow the order hosts were given, whichever answers first): its URI's
 * server ("lab1" of qemu+ssh://root@lab1/system), a test driver file's
 * name, or hostname (this machine's) and the URI's path ("vm:session"); a
 * name another host has already gets a number. */
void hosts_name(struct app *a, struct host *o, const char *uri, const char *hostname);
void hosts_connected(struct app *a, struct event *ev, struct cmds *out);
void hosts_auth(struct app *a, struct event *ev);
/* Shows the first waiting login question if no dialog is open; true when
 * one was shown. */
bool hosts_show_login(struct app *a);
void hosts_slow(struct app *a, struct event *ev);
void hosts_closed(struct app *a, struct event *ev);
/* Reconnects the hosts that are down: all now, or those whose time came. */
void hosts_reconnect(struct app *a, struct cmds *out, bool now);

#endif
