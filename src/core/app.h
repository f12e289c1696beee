/* The core state machine: app_handle(state, event) -> (state, commands).
 * No curses, no libvirt: the UI draws from struct app, the runner carries
 * out the commands on workers. */
#ifndef VMM_APP_H
#define VMM_APP_H

#include "core/state.h"

/* With uri set, the app starts with that one host, connected, named
 * host; with NULL, with none (hosts_add). */
void app_init(struct app *a, const char *uri, const char *host, bool readonly);
void app_free(struct app *a);

/* Handles ev and appends what must happen next to out. Takes what ev
 * owns (its lists); the caller still frees ev. */
void app_handle(struct app *a, struct event *ev, struct cmds *out);

/* True while a job runs: the runner then sends EV_TICK a few times a
 * second. */
bool app_wants_tick(const struct app *a);

#endif
