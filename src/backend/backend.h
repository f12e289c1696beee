/* The one interface to libvirt. Core and UI include this header only; it
 * names no libvirt or libxml2 type. The real implementation is libvirt.c,
 * unit tests link a fake (tests/unit/fake_backend.c). */
#ifndef VMM_BACKEND_H
#define VMM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

enum be_vm_state {
	BE_VM_RUNNING,
	BE_VM_PAUSED,
	BE_VM_SHUTOFF,
	BE_VM_SAVED, /* shut off with a managed save image ("hibernated") */
	BE_VM_CRASHED,
	BE_VM_OTHER,
};

/* Libvirt's own message of the last failure, kept for the status line. */
struct be_error {
	int code; /* libvirt's virErrorNumber, 0 when not from libvirt */
	char msg[512];
};

/* One VM as the list shows it. Fields not yet known are -1. */
struct be_vm {
	char *name;
	char uuid[37];
	enum be_vm_state state;
	int vcpus;
	long long mem_kib;
	int nsnap;       /* snapshot count, -1 until details are loaded */
	int chain_depth; /* layers of the deepest disk chain, -1 unknown */
};

struct be_vm_list {
	struct be_vm *vms;
	size_t n;
};

enum be_action {
	BE_ACT_START,    /* also resumes a hibernated VM */
	BE_ACT_SHUTDOWN, /* ACPI */
	BE_ACT_DESTROY,  /* force off */
	BE_ACT_SUSPEND,
	BE_ACT_RESUME,
};

/* A lifecycle event, delivered on the backend's event thread. */
struct be_event {
	char name[256];
	char uuid[37];
	int kind; /* be_event_kind */
};

enum be_event_kind {
	BE_EV_LIFECYCLE,   /* the VM's state or definition changed */
	BE_EV_CONN_CLOSED, /* the connection is gone */
};

typedef void (*be_event_fn)(void *ctx, const struct be_event *ev);

struct be_conn; /* opaque */

/* Starts libvirt's event loop on its own thread; call once before
 * be_open. Returns 0 or -1. */
int be_init(struct be_error *err);

/* Opens uri (NULL: libvirt's default). Returns NULL on failure with err
 * set. The caller owns the result; free with be_close. */
struct be_conn *be_open(const char *uri, bool readonly, struct be_error *err);
void be_close(struct be_conn *c);

/* The canonical URI and host name of the connection; owned by c. */
const char *be_uri(const struct be_conn *c);
const char *be_hostname(const struct be_conn *c);
bool be_readonly(const struct be_conn *c);

/* Reads every VM with one bulk call (state, and vCPUs and memory where the
 * driver reports them). Fills out; the caller frees it with
 * be_vm_list_clear. */
int be_list_vms(struct be_conn *c, struct be_vm_list *out, struct be_error *err);

/* Fills the fields be_list_vms could not: snapshot count, chain depth,
 * and vCPUs/memory where still -1. vm->name selects the VM. */
int be_vm_details(struct be_conn *c, struct be_vm *vm, struct be_error *err);

int be_vm_act(struct be_conn *c, const char *name, enum be_action act, struct be_error *err);

/* Delivers lifecycle events and connection loss to fn on the event
 * thread until be_close. */
int be_watch(struct be_conn *c, be_event_fn fn, void *ctx, struct be_error *err);

void be_vm_list_clear(struct be_vm_list *l);
void be_vm_copy(struct be_vm *dst, const struct be_vm *src);
void be_vm_clear(struct be_vm *v);

#endif
