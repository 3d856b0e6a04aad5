/*
 * parse-proc.c - libFuzzer target: the /proc text mrelease(1) and the
 * example daemon read: /proc/meminfo (mr_parse_meminfo_available),
 * /proc/<pid>/status (mr_parse_status), /proc/<pid>/stat
 * (mr_parse_stat_flags), cgroup.procs (mr_parse_pid_list)
 *
 * SPDX-License-Identifier: MIT
 *
 * The first byte picks the parser, the rest is the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct count {
	size_t n, stop_at;
};

static int each_pid(pid_t pid, void *arg)
{
	struct count *c = arg;

	if (pid < 1)
		abort();
	return ++c->n == c->stop_at ? 7 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mr_status st;
	struct count c = { 0, 0 };
	unsigned long flags;
	uint64_t bytes;
	size_t len;
	char *s;
	int r;

	if (size < 1)
		return 0;
	len = size - 1;
	s = malloc(len ? len : 1);
	if (!s)
		return 0;
	memcpy(s, data + 1, len);
	switch (data[0] % 4) {
	case 0:
		r = mr_parse_meminfo_available(s, len, &bytes);
		if (r == 0 && bytes % 1024)
			abort();
		break;
	case 1:
		r = mr_parse_status(s, len, &st);
		if (r == 0) {
			if (!(st.have & MR_ST_NAME) ||
			    !memchr(st.name, '\0', sizeof(st.name)))
				abort();
			if (st.rss_anon % 1024 || st.rss_file % 1024 ||
			    st.rss_shmem % 1024)
				abort();
		}
		break;
	case 2:
		r = mr_parse_stat_flags(s, len, &flags);
		break;
	default:
		c.stop_at = data[0] / 4;	/* 0: never stop */
		r = mr_parse_pid_list(s, len, each_pid, &c);
		if (r == 7 && c.n != c.stop_at)
			abort();
		break;
	}
	(void)r;
	free(s);
	return 0;
}
