/* Plain data helpers of backend.h, shared by the real and fake backends. */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "core/util.h"

void be_vm_clear(struct be_vm *v)
{
	if (!v)
		return;
	free(v->name);
	memset(v, 0, sizeof(*v));
}

void be_vm_copy(struct be_vm *dst, const struct be_vm *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
}

void be_vm_list_clear(struct be_vm_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		be_vm_clear(&l->vms[i]);
	free(l->vms);
	l->vms = NULL;
	l->n = 0;
}
