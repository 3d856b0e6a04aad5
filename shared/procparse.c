/*
 * procparse.c - parsers of /proc and cgroupfs text (see procparse.h)
 *
 * SPDX-License-Identifier: MIT
 *
 * Self-contained on purpose: no header but its own and libc's, no I/O, so
 * that the fuzz targets can link this file alone and feed it anything.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "procparse.h"

/* The line starting at buf[off]: returns its length without the newline;
 * *next is the offset of the following line (len when none). */
static size_t line_at(const char *buf, size_t len, size_t off, size_t *next)
{
	const char *nl = memchr(buf + off, '\n', len - off);
	size_t end = nl ? (size_t)(nl - buf) : len;

	*next = nl ? end + 1 : len;
	return end - off;
}

/* The next line of buf[0..len) at *off: 1 with *s, *n (no newline) set
 * and *off past it, or 0 at the end. */
static int next_line(const char *buf, size_t len, size_t *off, const char **s,
		     size_t *n)
{
	size_t next;

	if (*off >= len)
		return 0;
	*s = buf + *off;
	*n = line_at(buf, len, *off, &next);
	*off = next;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void skip_blanks(const char *s, size_t n, size_t *i)
{
	while (*i < n && is_blank(s[*i]))
		(*i)++;
}

/* An unsigned decimal at s[*i..n): at least one digit, value <= max. */
static int parse_u64(const char *s, size_t n, size_t *i, uint64_t max,
		     uint64_t *out)
{
	uint64_t v = 0;
	size_t start = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		unsigned int d = (unsigned int)(s[*i] - '0');

		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		(*i)++;
	}
	if (*i == start)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "<name>:" at the start of line s[0..n): 1 with *after the offset of the
 * value (blanks skipped), else 0. */
static int field_is(const char *s, size_t n, const char *name, size_t *after)
{
	size_t l = strlen(name);

	if (n <= l || memcmp(s, name, l) || s[l] != ':')
		return 0;
	*after = l + 1;
	skip_blanks(s, n, after);
	return 1;
}

/* "<n> kB" to the end of the line, in bytes. */
static int parse_kb(const char *s, size_t n, size_t i, uint64_t *bytes)
{
	uint64_t kb;

	if (parse_u64(s, n, &i, UINT64_MAX / 1024, &kb))
		return -EINVAL;
	skip_blanks(s, n, &i);
	if (n - i != 2 || s[i] != 'k' || s[i + 1] != 'B')
		return -EINVAL;
	*bytes = kb * 1024;
	return 0;
}

/* A number, then a blank or the end of the line. */
static int parse_word(const char *s, size_t n, size_t *i, uint64_t max,
		      uint64_t *out)
{
	if (parse_u64(s, n, i, max, out))
		return -EINVAL;
	if (*i < n && !is_blank(s[*i]))
		return -EINVAL;
	return 0;
}

static int status_line(const char *s, size_t n, struct mr_status *st)
{
	const struct {
		const char *name;
		unsigned int bit;
		uint64_t *to;
	} kb[] = {
		{ "RssAnon", MR_ST_RSS_ANON, &st->rss_anon },
		{ "RssFile", MR_ST_RSS_FILE, &st->rss_file },
		{ "RssShmem", MR_ST_RSS_SHMEM, &st->rss_shmem },
		{ "VmRSS", MR_ST_VM_RSS, &st->vm_rss },
	};
	uint64_t x, e;
	size_t i, f;

	for (f = 0; f < sizeof(kb) / sizeof(kb[0]); f++) {
		if (!field_is(s, n, kb[f].name, &i))
			continue;
		if (parse_kb(s, n, i, kb[f].to))
			return -EINVAL;
		st->have |= kb[f].bit;
		return 0;
	}
	if (field_is(s, n, "Name", &i)) {
		size_t l = n - i;

		if (l >= sizeof(st->name))
			l = sizeof(st->name) - 1;
		memcpy(st->name, s + i, l);
		st->name[l] = '\0';
		st->have |= MR_ST_NAME;
	} else if (field_is(s, n, "Uid", &i)) {
		if (parse_word(s, n, &i, UINT32_MAX, &x))
			return -EINVAL;
		skip_blanks(s, n, &i);
		if (parse_word(s, n, &i, UINT32_MAX, &e))
			return -EINVAL;
		st->ruid = (uid_t)x;
		st->euid = (uid_t)e;
		st->have |= MR_ST_UID;
	} else if (field_is(s, n, "Tgid", &i)) {
		if (parse_word(s, n, &i, INT_MAX, &x))
			return -EINVAL;
		st->tgid = (pid_t)x;
		st->have |= MR_ST_TGID;
	} else if (field_is(s, n, "Kthread", &i)) {
		if (parse_word(s, n, &i, 1, &x))
			return -EINVAL;
		st->kthread = (int)x;
		st->have |= MR_ST_KTHREAD;
	}
	return 0;
}

int mr_parse_status(const char *buf, size_t len, struct mr_status *st)
{
	size_t off = 0, n;
	const char *s;

	memset(st, 0, sizeof(*st));
	if (!buf && len)
		return -EINVAL;
	while (next_line(buf, len, &off, &s, &n))
		if (status_line(s, n, st))
			return -EINVAL;
	return st->have & MR_ST_NAME ? 0 : -EINVAL;
}

int mr_parse_stat(const char *buf, size_t len, struct mr_stat *st)
{
	size_t i = len, tok;
	uint64_t v;

	memset(st, 0, sizeof(*st));
	if (!buf)
		return -EINVAL;
	/* The comm may hold ')' and blanks: the last ')' ends it. */
	while (i > 0 && buf[i - 1] != ')')
		i--;
	if (i == 0 || i + 2 > len || buf[i] != ' ' ||
	    buf[i + 1] < 'A' || buf[i + 1] > 'z')
		return -EINVAL;
	st->state = buf[i + 1];
	/* After ") ": state ppid pgrp session tty_nr tpgid flags. */
	for (tok = 1;; tok++) {
		size_t start;

		while (i < len && buf[i] == ' ')
			i++;
		start = i;
		while (i < len && buf[i] != ' ' && buf[i] != '\n')
			i++;
		if (start == i)
			return -EINVAL;
		if (tok == 7) {
			size_t j = start;

			if (parse_u64(buf, i, &j, UINT32_MAX, &v) || j != i)
				return -EINVAL;
			st->flags = (unsigned long)v;
			return 0;
		}
	}
}

/* The first line "<name>: ..." of buf: 1 with *s, *n that line and *i the
 * offset of its value, or 0 when there is none. */
static int find_field(const char *buf, size_t len, const char *name,
		      const char **s, size_t *n, size_t *i)
{
	size_t off = 0;

	while (next_line(buf, len, &off, s, n))
		if (field_is(*s, *n, name, i))
			return 1;
	return 0;
}

int mr_parse_fdinfo_pid(const char *buf, size_t len, long *pid)
{
	const char *s;
	size_t n, i;
	uint64_t v;
	int neg = 0;

	if (!buf || !find_field(buf, len, "Pid", &s, &n, &i))
		return -EINVAL;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	if (parse_u64(s, n, &i, INT_MAX, &v))
		return -EINVAL;
	skip_blanks(s, n, &i);
	if (i != n || (neg && v != 1))
		return -EINVAL;
	*pid = neg ? -1L : (long)v;
	return 0;
}

int mr_parse_cgroup2_path(const char *buf, size_t len, const char **path,
			  size_t *path_len)
{
	size_t off = 0, n;
	const char *s;

	if (!buf)
		return -EINVAL;
	while (next_line(buf, len, &off, &s, &n)) {
		if (n < 3 || memcmp(s, "0::", 3))
			continue;
		if (n < 4 || s[3] != '/' || memchr(s, '\0', n))
			return -EINVAL;
		*path = s + 3;
		*path_len = n - 3;
		return 0;
	}
	return -ENOENT;
}

int mr_parse_pids(const char *buf, size_t len, pid_t **pids, size_t *n,
		  size_t *cap)
{
	size_t off = 0, l, i;
	const char *s;

	if (!buf && len)
		return -EINVAL;
	while (next_line(buf, len, &off, &s, &l)) {
		uint64_t v;

		i = 0;
		if (parse_u64(s, l, &i, INT_MAX, &v) || i != l)
			return -EINVAL;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 64;
			pid_t *p;

			if (ncap > SIZE_MAX / sizeof(pid_t))
				return -ENOMEM;
			p = realloc(*pids, ncap * sizeof(pid_t));
			if (!p)
				return -ENOMEM;
			*pids = p;
			*cap = ncap;
		}
		(*pids)[(*n)++] = (pid_t)v;
	}
	return 0;
}

int mr_parse_meminfo_available(const char *buf, size_t len, uint64_t *bytes)
{
	const char *s;
	size_t n, i;

	if (!buf)
		return -EINVAL;
	if (!find_field(buf, len, "MemAvailable", &s, &n, &i))
		return -ENOENT;
	return parse_kb(s, n, i, bytes);
}

int mr_parse_cpulist_count(const char *buf, size_t len, unsigned int *count)
{
	unsigned int total = 0;
	uint64_t lo, hi;
	size_t i = 0;

	if (!buf || !count)
		return -EINVAL;
	/* The kernel ends the list with a newline: nothing may follow it. */
	if (len && buf[len - 1] == '\n')
		len--;
	for (;;) {
		if (parse_u64(buf, len, &i, 65535, &lo))
			return -EINVAL;
		hi = lo;
		if (i < len && buf[i] == '-') {
			i++;
			if (parse_u64(buf, len, &i, 65535, &hi) || hi < lo)
				return -EINVAL;
		}
		if (total > UINT_MAX - 65536)
			return -EINVAL;
		total += (unsigned int)(hi - lo + 1);
		if (i == len)
			break;
		if (buf[i++] != ',')
			return -EINVAL;
	}
	*count = total;
	return 0;
}

int mr_parse_mountinfo_root(const char *buf, size_t len, int mnt_id,
			    const char **root, size_t *root_len)
{
	size_t off = 0, n, i, start;
	const char *s;

	if (!buf)
		return -EINVAL;
	while (next_line(buf, len, &off, &s, &n)) {
		uint64_t id;
		int f;

		i = 0;
		if (parse_word(s, n, &i, INT_MAX, &id) || id != (uint64_t)mnt_id)
			continue;
		/* mount ID, parent ID, major:minor, then the root. */
		for (f = 0; f < 3; f++) {
			while (i < n && s[i] != ' ')
				i++;
			while (i < n && s[i] == ' ')
				i++;
		}
		start = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == start || s[start] != '/')
			return -EINVAL;
		*root = s + start;
		*root_len = i - start;
		return 0;
	}
	return -ENOENT;
}
