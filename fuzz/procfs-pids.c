/*
 * procfs-pids.c - libFuzzer target: mr_parse_pids(), the cgroup.procs
 * reader of mrelease_kill_cgroup()
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	pid_t *pids = NULL;
	size_t n = 0, cap = 0, i, lines = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';
	if (mr_parse_pids(buf, size, &pids, &n, &cap) == 0) {
		/* One pid per line (the last may lack its newline). */
		if (n > lines + 1 || n > cap || (n && !pids))
			abort();
		for (i = 0; i < n; i++)
			if (pids[i] < 0)
				abort();
	}
	/* Appending to what a first call left must work too. */
	if (n && mr_parse_pids(buf, size, &pids, &n, &cap) == 0 && n > cap)
		abort();
	free(pids);
	free(buf);
	return 0;
}
