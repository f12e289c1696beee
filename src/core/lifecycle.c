/* Power state and hibernation: start (which resumes a hibernated VM), shut
 * down, force off, pause and resume, hibernate, discard the saved state.
 * Each is checked against the VM's state first and runs as a job. */
#include "core/lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "core/dialog.h"
#include "core/jobs.h"
#include "core/state.h"
#include "shared/util.h"

static const char *verb(enum be_action act)
{
	switch (act) {
	case BE_ACT_START: return "Start";
	case BE_ACT_SHUTDOWN: return "Shut down";
	case BE_ACT_DESTROY: return "Force off";
	case BE_ACT_SUSPEND: return "Pause";
	case BE_ACT_RESUME: return "Resume";
	case BE_ACT_HIBERNATE: return "Hibernate";
	case BE_ACT_DISCARD_SAVE: return "Discard the saved state of";
	case BE_ACT_START_FRESH: return "Start fresh";
	}
	return "Change";
}

static struct cmd act_cmd(int host, const char *vm, enum be_action act)
{
	struct cmd c = {.type = CMD_ACT, .host = host, .u.act.action = act};

	str_copy(c.name, vm, sizeof(c.name));
	return c;
}

static void start_action(struct app *a, struct cmds *out, int host, const char *vm, enum be_action act)
{
	struct cmd c = act_cmd(host, vm, act);
	char what[400];

	snprintf(what, sizeof(what), "%s %s", verb(act), vm);
	jobs_start(a, out, &c, what);
}

static void ask_action(struct app *a, int host, const char *vm, enum be_action act, const char *text)
{
	struct cmd c = act_cmd(host, vm, act);
	char what[400];

	snprintf(what, sizeof(what), "%s %s", verb(act), vm);
	dialog_confirm(a, &c, jobs_start_asked, what, "%s", text);
}

void lifecycle_request(struct app *a, int host, const char *vm, enum request req, struct cmds *out)
{
	const struct be_vm *v = jobs_changeable(a, host, vm);
	char text[1024];
	bool up;

	if (!v)
		return;
	up = v->state == BE_VM_RUNNING || v->state == BE_VM_PAUSED;
	switch (req) {
	case REQ_START:
		if (up)
			state_set_status(a, true, "%s is already running", vm);
		else
			start_action(a, out, host, vm, BE_ACT_START);
		break;
	case REQ_SHUTDOWN:
		if (v->state != BE_VM_RUNNING)
			state_set_status(a, true, "%s is %s: only a running VM can shut down", vm,
					 state_vm_state_name(v->state));
		else
			start_action(a, out, host, vm, BE_ACT_SHUTDOWN);
		break;
	case REQ_FORCE_OFF:
		if (!up && v->state != BE_VM_CRASHED) {
			state_set_status(a, true, "%s is not running", vm);
			break;
		}
		snprintf(text, sizeof(text), "Force off %s? Its memory and unsaved guest data are lost.", vm);
		ask_action(a, host, vm, BE_ACT_DESTROY, text);
		break;
	case REQ_PAUSE:
		if (v->state == BE_VM_RUNNING)
			start_action(a, out, host, vm, BE_ACT_SUSPEND);
		else if (v->state == BE_VM_PAUSED)
			start_action(a, out, host, vm, BE_ACT_RESUME);
		else
			state_set_status(a, true, "%s is not running: nothing to pause", vm);
		break;
	case REQ_HIBERNATE:
		if (!up)
			state_set_status(a, true, "%s is %s: only a running or paused VM can hibernate", vm,
					 state_vm_state_name(v->state));
		else
			start_action(a, out, host, vm, BE_ACT_HIBERNATE);
		break;
	case REQ_DISCARD_SAVE:
		if (v->state != BE_VM_SAVED) {
			state_set_status(a, true, "%s has no hibernated state to discard", vm);
			break;
		}
		snprintf(text, sizeof(text),
			 "Discard the hibernated state of %s?\n"
			 "Lost: the saved memory and device state; the next start boots from the disks.", vm);
		ask_action(a, host, vm, BE_ACT_DISCARD_SAVE, text);
		break;
	default:
		break;
	}
}

void lifecycle_done(struct app *a, struct event *ev, struct cmds *out)
{
	char text[sizeof(a->dlg.text)];

	if (ev->rc < 0 && ev->act == BE_ACT_START && state_find_vm(a, ev->host, ev->name) &&
	    state_find_vm(a, ev->host, ev->name)->state == BE_VM_SAVED) {
		/* A saved state that cannot be resumed blocks every start. The
		 * log keeps libvirt's message whole, however long. */
		state_set_status(a, true, "%s could not resume from its hibernated state: %s", ev->name, ev->err.msg);
		snprintf(text, sizeof(text),
			 "%s could not resume from its hibernated state:\n  %.2000s\n"
			 "Discard the saved state and start it fresh? The saved memory is lost.",
			 ev->name, ev->err.msg);
		ask_action(a, ev->host, ev->name, BE_ACT_START_FRESH, text);
	} else if (ev->rc < 0) {
		state_set_status(a, true, "%s %s failed: %s", verb(ev->act), ev->name, ev->err.msg);
	} else if (ev->act == BE_ACT_SHUTDOWN) {
		state_set_status(a, false, "%s: shutdown requested (the guest decides when)", ev->name);
	} else {
		state_set_status(a, false, "%s %s: done", verb(ev->act), ev->name);
	}
	state_load_vms(a, ev->host, out, false);
}
