/* Every reader of libvirt's XML on the same bytes: whatever a daemon (or
 * a file it echoes) sends, no crash, no leak, and answers that hold
 * together. */
#include <stdlib.h>
#include <string.h>

#include "backend/xml.h"
#include "tests/fuzz/fuzz.h"

static void domain(const char *xml)
{
	struct be_disk_list dl, again;
	char *s;
	size_t i, k;

	if (xml_parse_disks(xml, &dl) < 0)
		return;
	for (i = 0; i < dl.n; i++) {
		if (!dl.d[i].target)
			fuzz_fail("disk %zu has no target", i);
		for (k = 0; k < dl.d[i].nlayers; k++)
			if (!dl.d[i].layers[k].path || !dl.d[i].layers[k].format)
				fuzz_fail("disk %zu layer %zu without path or format", i, k);
		free(xml_disk_mirror(xml, dl.d[i].target));
	}
	/* A repointed domain still parses, with the same disks. (Which of
	 * them is on the new file is the round-trip target's business: here
	 * a cdrom may share the target.) */
	if (dl.n && (s = xml_repoint_disk(xml, dl.d[0].target, "/new/top.qcow2", "qcow2"))) {
		if (xml_parse_disks(s, &again) < 0)
			fuzz_fail("a repointed domain does not parse");
		if (again.n != dl.n)
			fuzz_fail("repointing made %zu disks of %zu", again.n, dl.n);
		for (i = 0; i < dl.n; i++)
			if (strcmp(again.d[i].target, dl.d[i].target))
				fuzz_fail("repointing renamed disk %s to %s", dl.d[i].target, again.d[i].target);
		be_disk_list_clear(&again);
		free(s);
	}
	be_disk_list_clear(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = fuzz_str(data, size), *path, *format;
	struct be_snapshot snap;
	long long cap, alloc;
	int rc;

	domain(xml);
	free(xml_disk_mirror(xml, "vda"));
	rc = xml_vol_backing(xml, &path, &format);
	if (rc == 1 && (!path || !*path))
		fuzz_fail("a backing file without a path");
	if (rc != 1 && path)
		fuzz_fail("a path without a backing file");
	free(path);
	free(format);
	if (xml_vol_sizes(xml, &cap, &alloc) < 0 && (cap != -1 || alloc != -1))
		fuzz_fail("sizes from XML that does not parse");
	if (xml_parse_snapshot(xml, &snap) == 0) {
		if (!snap.name || !snap.description || !snap.disks)
			fuzz_fail("a parsed snapshot lacks a field");
		be_snapshot_clear(&snap);
	}
	free(xml_vol_format(xml));
	free(xml_vol_path(xml));
	free(xml_pool_target(xml));
	free(xml);
	return 0;
}
