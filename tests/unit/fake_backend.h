/* Controls of the fake backend that unit tests link instead of libvirt. */
#ifndef VMM_FAKE_BACKEND_H
#define VMM_FAKE_BACKEND_H

#include <stdbool.h>

#include "backend/backend.h"

/* Replaces the fake host's VMs (copied). */
void fake_set_vms(const struct be_vm *vms, size_t n);

/* Makes every later backend call block for ms milliseconds. */
void fake_set_delay_ms(int ms);

/* Ends the delay of the calls blocked in it now: the slow host answers
 * (a test need not sleep out the whole delay). */
void fake_release(void);

/* True while a backend call is in progress. */
bool fake_in_call(void);

/* How many times be_list_vms / be_vm_details / be_vm_act ran. */
int fake_list_calls(void);
int fake_detail_calls(void);
int fake_act_calls(void);

/* Makes be_vm_act fail with this libvirt-like message (NULL: succeed). */
void fake_fail_act(const char *msg);

/* Snapshot operations asked for, and the progress be_job_info reports. */
int fake_snap_calls(void);
void fake_set_job(unsigned long long done, unsigned long long total);

/* What be_commit_recover answers (0 done, 1 still running, -1 failed). */
void fake_set_recover(int rc);

void fake_reset(void);

#endif
