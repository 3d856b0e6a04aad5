/*
 * procfs.c - parsers of /proc and cgroupfs text (see procfs.h)
 *
 * SPDX-License-Identifier: MIT
 *
 * Self-contained on purpose: no library header but procfs.h, no I/O, so
 * that the fuzz targets can link this file alone and feed it anything.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

/* The line starting at buf[off]: returns its length without the newline;
 * *next is the offset of the following line (len when none). */
static size_t line_at(const char *buf, size_t len, size_t off, size_t *next)
{
	const char *nl = memchr(buf + off, '\n', len - off);
	size_t end = nl ? (size_t)(nl - buf) : len;

	*next = nl ? end + 1 : len;
	return end - off;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* An unsigned decimal at s[*i..n): at least one digit, value <= max. */
static int parse_u64(const char *s, size_t n, size_t *i, uint64_t max,
		     uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		unsigned int d = (unsigned int)(s[*i] - '0');

		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
		(*i)++;
	}
	if (*i == start)
		return -1;
	*out = v;
	return 0;
}

/* "<name>:" at the start of line s[0..n): returns the offset after ':'. */
static int field_is(const char *s, size_t n, const char *name, size_t *after)
{
	size_t l = strlen(name);

	if (n <= l || memcmp(s, name, l) || s[l] != ':')
		return 0;
	*after = l + 1;
	return 1;
}

int mr_parse_status_rss(const char *buf, size_t len, struct mr_rss *rss)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} fields[] = {
		{ "RssAnon", MR_RSS_ANON },
		{ "RssFile", MR_RSS_FILE },
		{ "RssShmem", MR_RSS_SHMEM },
	};
	size_t off = 0, next;

	memset(rss, 0, sizeof(*rss));
	if (!buf)
		return -1;
	while (off < len) {
		const char *s = buf + off;
		size_t n = line_at(buf, len, off, &next), i, f;
		uint64_t kb;

		off = next;
		for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			if (!field_is(s, n, fields[f].name, &i))
				continue;
			while (i < n && is_blank(s[i]))
				i++;
			if (parse_u64(s, n, &i, UINT64_MAX / 1024, &kb))
				break;
			while (i < n && is_blank(s[i]))
				i++;
			if (n - i != 2 || memcmp(s + i, "kB", 2))
				break;
			if (fields[f].bit == MR_RSS_ANON)
				rss->anon = kb * 1024;
			else if (fields[f].bit == MR_RSS_FILE)
				rss->file = kb * 1024;
			else
				rss->shmem = kb * 1024;
			rss->have |= fields[f].bit;
			break;
		}
	}
	return rss->have == MR_RSS_ALL ? 0 : -1;
}

int mr_parse_fdinfo_pid(const char *buf, size_t len, long *pid)
{
	size_t off = 0, next;

	if (!buf)
		return -1;
	while (off < len) {
		const char *s = buf + off;
		size_t n = line_at(buf, len, off, &next), i;
		int neg = 0;
		uint64_t v;

		off = next;
		if (!field_is(s, n, "Pid", &i))
			continue;
		while (i < n && is_blank(s[i]))
			i++;
		if (i < n && s[i] == '-') {
			neg = 1;
			i++;
		}
		if (parse_u64(s, n, &i, INT_MAX, &v))
			return -1;
		while (i < n && is_blank(s[i]))
			i++;
		if (i != n || (neg && v != 1))
			return -1;
		*pid = neg ? -1L : (long)v;
		return 0;
	}
	return -1;
}

int mr_parse_cgroup2_path(const char *buf, size_t len, const char **path,
			  size_t *path_len)
{
	size_t off = 0, next;

	if (!buf)
		return -1;
	while (off < len) {
		const char *s = buf + off;
		size_t n = line_at(buf, len, off, &next);

		off = next;
		if (n < 4 || memcmp(s, "0::/", 4))
			continue;
		if (memchr(s, '\0', n))
			return -1;
		*path = s + 3;
		*path_len = n - 3;
		return 0;
	}
	return -1;
}

int mr_parse_pids(const char *buf, size_t len, pid_t **pids, size_t *n,
		  size_t *cap)
{
	size_t off = 0, next;

	if (!buf && len) {
		errno = EINVAL;
		return -1;
	}
	while (off < len) {
		const char *s = buf + off;
		size_t l = line_at(buf, len, off, &next), i = 0;
		uint64_t v;

		off = next;
		if (parse_u64(s, l, &i, INT_MAX, &v) || i != l || v == 0) {
			errno = EINVAL;
			return -1;
		}
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			pid_t *p;

			if (ncap > SIZE_MAX / sizeof(pid_t)) {
				errno = ENOMEM;
				return -1;
			}
			p = realloc(*pids, ncap * sizeof(pid_t));
			if (!p) {
				errno = ENOMEM;
				return -1;
			}
			*pids = p;
			*cap = ncap;
		}
		(*pids)[(*n)++] = (pid_t)v;
	}
	return 0;
}
