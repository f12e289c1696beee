/* Progress and cancelling of a VM's long job (snapshot, revert, save). */
#include <stdlib.h>
#include <string.h>

#include "backend/internal.h"

static unsigned long long param_ull(virTypedParameterPtr p, int n, const char *name)
{
	unsigned long long v = 0;

	if (virTypedParamsGetULLong(p, n, name, &v) < 0)
		v = 0;
	return v;
}

/* Whether name is reported; its value into *v. */
static bool param_has(virTypedParameterPtr p, int n, const char *name, unsigned long long *v)
{
	*v = 0;
	return virTypedParamsGetULLong(p, n, name, v) == 1;
}

int be_job_info(struct be_conn *c, const char *vm, struct be_job_info *out, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	virTypedParameterPtr p = NULL;
	int np = 0, type = VIR_DOMAIN_JOB_NONE;

	memset(out, 0, sizeof(*out));
	if (!dom)
		return -1;
	if (virDomainGetJobStats(dom, &type, &p, &np, 0) < 0) {
		virErrorPtr e = virGetLastError();
		int rc = -1;

		/* A driver without job statistics simply reports no progress. */
		if (e && e->code == VIR_ERR_NO_SUPPORT)
			rc = 0;
		else
			be_set_err(err, "cannot read job progress");
		virResetLastError();
		virDomainFree(dom);
		return rc;
	}
	out->active = type == VIR_DOMAIN_JOB_BOUNDED || type == VIR_DOMAIN_JOB_UNBOUNDED;
	out->elapsed_ms = (long long)param_ull(p, np, VIR_DOMAIN_JOB_TIME_ELAPSED);
	/* Data covers memory and disks; memory alone where that is all. */
	out->total = param_ull(p, np, VIR_DOMAIN_JOB_DATA_TOTAL);
	out->done = param_ull(p, np, VIR_DOMAIN_JOB_DATA_PROCESSED);
	out->has_remaining = param_has(p, np, VIR_DOMAIN_JOB_DATA_REMAINING, &out->remaining);
	if (!out->total) {
		out->total = param_ull(p, np, VIR_DOMAIN_JOB_MEMORY_TOTAL);
		out->done = param_ull(p, np, VIR_DOMAIN_JOB_MEMORY_PROCESSED);
		out->has_remaining = param_has(p, np, VIR_DOMAIN_JOB_MEMORY_REMAINING, &out->remaining);
	}
	virTypedParamsFree(p, np);
	virDomainFree(dom);
	return 0;
}

int be_job_abort(struct be_conn *c, const char *vm, struct be_error *err)
{
	virDomainPtr dom = be_lookup(c, vm, err);
	int rc;

	if (!dom)
		return -1;
	rc = virDomainAbortJob(dom);
	if (rc < 0)
		be_set_err(err, "cannot abort the job");
	virDomainFree(dom);
	return rc < 0 ? -1 : 0;
}
