/*
 * procfs.h - parsers of the text the kernel hands us, never installed
 *
 * SPDX-License-Identifier: MIT
 *
 * Each parser takes a buffer and its length (no NUL needed, none read past
 * len), touches nothing but its arguments and libc, and never trusts the
 * input: the fuzz targets link lib/procfs.c alone.
 */
#ifndef MRELEASE_PROCFS_H
#define MRELEASE_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MR_RSS_ANON	0x1U
#define MR_RSS_FILE	0x2U
#define MR_RSS_SHMEM	0x4U
#define MR_RSS_ALL	(MR_RSS_ANON | MR_RSS_FILE | MR_RSS_SHMEM)

struct mr_rss {
	uint64_t anon;		/* bytes */
	uint64_t file;
	uint64_t shmem;
	unsigned int have;	/* MR_RSS_* of the fields found */
};

/*
 * /proc/<pid>/status: the RssAnon, RssFile and RssShmem lines ("RssAnon:
 * <n> kB"), in bytes.  Fields not found stay 0 and their bit clear.
 * Returns 0 when all three were found, else -1 (a process past exit_mm()
 * has none).
 */
int mr_parse_status_rss(const char *buf, size_t len, struct mr_rss *rss);

/*
 * /proc/self/fdinfo/<pidfd>: the "Pid:" line.  Returns 0 with *pid set (the
 * kernel writes 0 for a process in a foreign pid namespace, -1 for a reaped
 * one), or -1 when there is no well-formed Pid: line.
 */
int mr_parse_fdinfo_pid(const char *buf, size_t len, long *pid);

/*
 * /proc/<pid>/cgroup: the cgroup v2 line "0::<path>".  Returns 0 with
 * *path pointing into buf and *path_len its length (no newline), or -1 when
 * there is no such line or its path does not start with '/'.
 */
int mr_parse_cgroup2_path(const char *buf, size_t len, const char **path,
			  size_t *path_len);

/*
 * cgroup.procs: one decimal pid (1..INT_MAX) per line.  Appends to the
 * array *pids of *n entries and *cap capacity (realloc()ed; the caller
 * frees it, also on error).  Returns 0, or -1 with errno EINVAL (malformed
 * text) or ENOMEM.
 */
int mr_parse_pids(const char *buf, size_t len, pid_t **pids, size_t *n,
		  size_t *cap);

#endif /* MRELEASE_PROCFS_H */
