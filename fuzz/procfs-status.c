/*
 * procfs-status.c - libFuzzer target: mr_parse_status(), the one reader of
 * /proc/<pid>/status (mrelease_kill(MRELEASE_MEASURE), mrelease(1), the
 * benchmark, the tests)
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
	/* An exact-size copy: ASan sees any read past len. */
	char *buf = malloc(size ? size : 1);
	struct mr_status st;
	int r;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = mr_parse_status(buf, size, &st);
	if (r != 0 && r != -22)
		abort();
	if (r == 0 && !(st.have & MR_ST_NAME))
		abort();
	if (memchr(st.name, '\0', sizeof(st.name)) == NULL)
		abort();
	if (st.rss_anon % 1024 || st.rss_file % 1024 || st.rss_shmem % 1024 ||
	    st.vm_rss % 1024)
		abort();
	if ((!(st.have & MR_ST_RSS_ANON) && st.rss_anon) ||
	    (!(st.have & MR_ST_RSS_FILE) && st.rss_file) ||
	    (!(st.have & MR_ST_RSS_SHMEM) && st.rss_shmem) ||
	    (!(st.have & MR_ST_VM_RSS) && st.vm_rss))
		abort();
	free(buf);
	return 0;
}
