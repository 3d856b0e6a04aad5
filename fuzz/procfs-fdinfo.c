/*
 * procfs-fdinfo.c - libFuzzer target: mr_parse_fdinfo_pid(), the
 * /proc/self/fdinfo/<pidfd> reader behind every pidfd-to-pid lookup
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
	long pid = LONG_MIN;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (mr_parse_fdinfo_pid(buf, size, &pid) == 0 &&
	    (pid < -1 || pid > INT_MAX))
		abort();
	free(buf);
	return 0;
}
