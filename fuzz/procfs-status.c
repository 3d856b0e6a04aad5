/*
 * procfs-status.c - libFuzzer target: mr_parse_status_rss(), the
 * /proc/<pid>/status reader of mrelease_kill(MRELEASE_MEASURE)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: ASan sees any read past len. */
	char *buf = malloc(size ? size : 1);
	struct mr_rss rss;
	int r;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = mr_parse_status_rss(buf, size, &rss);
	if ((rss.have & ~MR_RSS_ALL) || (r == 0) != (rss.have == MR_RSS_ALL))
		abort();
	if (rss.anon % 1024 || rss.file % 1024 || rss.shmem % 1024)
		abort();
	if ((!(rss.have & MR_RSS_ANON) && rss.anon) ||
	    (!(rss.have & MR_RSS_FILE) && rss.file) ||
	    (!(rss.have & MR_RSS_SHMEM) && rss.shmem))
		abort();
	free(buf);
	return 0;
}
