/*
 * procfs-cgroup.c - libFuzzer target: mr_parse_cgroup2_path(), the
 * /proc/<pid>/cgroup reader of mrelease_kill_cgroup()
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	const char *path = NULL;
	size_t plen = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (mr_parse_cgroup2_path(buf, size, &path, &plen) == 0) {
		/* Inside the buffer, absolute, one line, no NUL. */
		if (path < buf || plen == 0 || plen > size ||
		    (size_t)(path - buf) > size - plen)
			abort();
		if (path[0] != '/' || memchr(path, '\n', plen) ||
		    memchr(path, '\0', plen))
			abort();
	}
	free(buf);
	return 0;
}
