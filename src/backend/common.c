/* What every file of the backend uses: libvirt's errors and vmmanager's own
 * messages into struct be_error, and a VM looked up by name. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "backend/internal.h"

void be_set_err(struct be_error *err, const char *fallback)
{
	virErrorPtr e = virGetLastError();

	if (!err)
		return;
	err->code = e ? e->code : 0;
	err->kind = BE_ERR_OTHER;
	if (e && e->code == VIR_ERR_SNAPSHOT_REVERT_RISKY)
		err->kind = BE_ERR_REVERT_RISKY;
	else if (e && e->code == VIR_ERR_NO_DOMAIN)
		err->kind = BE_ERR_NO_VM;
	else if (e && e->code == VIR_ERR_AUTH_CANCELLED)
		err->kind = BE_ERR_AUTH_CANCELLED;
	else if (e && e->code == VIR_ERR_AUTH_FAILED)
		err->kind = BE_ERR_AUTH;
	else if (e && (e->code == VIR_ERR_NO_CONNECT || e->code == VIR_ERR_INVALID_CONN || e->domain == VIR_FROM_RPC))
		err->kind = BE_ERR_CONN;
	be_msg_copy(err->msg, sizeof(err->msg), e && e->message ? e->message : fallback);
}

void be_msg_copy(char *dst, size_t n, const char *msg)
{
	size_t len = strlen(msg), keep;
	char note[64];

	if (len < n) {
		memcpy(dst, msg, len + 1);
		return;
	}
	snprintf(note, sizeof(note), " [... %zu more bytes]", len);
	keep = n - 1 - strlen(note);
	while (keep && ((unsigned char)msg[keep] & 0xC0) == 0x80)
		keep--; /* never half a character */
	snprintf(note, sizeof(note), " [... %zu more bytes]", len - keep);
	snprintf(dst, n, "%.*s%s", (int)keep, msg, note);
}

static void set_msg(struct be_error *err, enum be_err_kind kind, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	err->code = 0;
	err->kind = kind;
}

int be_set_msg(struct be_error *err, enum be_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int be_refuse(struct be_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(err, BE_ERR_REFUSED, fmt, ap);
	va_end(ap);
	return -1;
}

virDomainPtr be_lookup(struct be_conn *c, const char *vm, struct be_error *err)
{
	virDomainPtr dom = virDomainLookupByName(c->conn, vm);

	if (!dom)
		be_set_err(err, "no such VM");
	return dom;
}
