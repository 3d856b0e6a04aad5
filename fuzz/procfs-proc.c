/*
 * procfs-proc.c - libFuzzer target: the rest of shared/procparse.c that
 * mrelease(1) and the library read: /proc/meminfo
 * (mr_parse_meminfo_available), /proc/<pid>/stat (mr_parse_stat), and
 * status and cgroup.procs again from another seed corpus
 *
 * SPDX-License-Identifier: MIT
 *
 * The first byte picks the parser, the rest is the file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "procparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mr_status st;
	struct mr_stat stat;
	pid_t *pids = NULL;
	size_t len, n = 0, cap = 0;
	uint64_t bytes;
	char *s;
	int r;

	if (size < 1 || !(s = fuzz_copy(data + 1, size - 1)))
		return 0;
	len = size - 1;
	switch (data[0] % 4) {
	case 0:
		r = mr_parse_meminfo_available(s, len, &bytes);
		if (r == 0 && bytes % 1024)
			abort();
		break;
	case 1:
		r = mr_parse_status(s, len, &st);
		if (r == 0 && !memchr(st.name, '\0', sizeof(st.name)))
			abort();
		break;
	case 2:
		r = mr_parse_stat(s, len, &stat);
		if (r == 0 && (stat.state < 'A' || stat.state > 'z'))
			abort();
		break;
	default:
		r = mr_parse_pids(s, len, &pids, &n, &cap);
		if (n > cap)
			abort();
		free(pids);
		break;
	}
	if (r != 0 && r != -EINVAL && r != -ENOENT && r != -ERANGE &&
	    r != -ENOMEM)
		abort();
	free(s);
	return 0;
}
