/* What reaches the core (events) and what the core asks for (commands). */
#ifndef VMM_EVENT_H
#define VMM_EVENT_H

#include "backend/backend.h"

enum event_type {
	EV_KEY,           /* key */
	EV_RESIZE,        /* rows, cols */
	EV_TICK,          /* a timer tick, a few times a second */
	EV_VMS_LOADED,    /* list (owned by the event) or rc -1 and err */
	EV_DETAILS,       /* list of VMs with details filled in */
	EV_ACTION_DONE,   /* name, act, rc, err */
	EV_VM_CHANGED,    /* name: a libvirt lifecycle event */
	EV_CONN_CLOSED,   /* the connection was lost */
};

struct event {
	enum event_type type;
	int key;
	int rows, cols;
	struct be_vm_list list;
	char name[256];
	enum be_action act;
	int rc;
	struct be_error err;
};

/* Allocates a zeroed event of type; free with event_free. */
struct event *event_new(enum event_type type);
void event_free(struct event *ev);

enum cmd_type {
	CMD_LOAD_VMS,     /* re-read the list; details of all when all is set */
	CMD_LOAD_DETAILS, /* details of the VM name */
	CMD_ACT,          /* act on the VM name */
	CMD_QUIT,
};

struct cmd {
	enum cmd_type type;
	char name[256];
	enum be_action act;
	int all;
};

#define CMDS_MAX 8

struct cmds {
	struct cmd c[CMDS_MAX];
	int n;
};

#endif
