/*
 * parse.h - every parser of outside text that mrelease(1) and the example
 * daemon use: command-line values and /proc and cgroup files.
 *
 * SPDX-License-Identifier: MIT
 *
 * Each parser takes a buffer and its length (not NUL-terminated), depends
 * on nothing but libc, never allocates, and returns 0 or -1 with errno
 * (EINVAL: malformed; ERANGE: out of range; ENOENT: field missing), so that
 * it can be fuzzed on its own (fuzz/).
 */
#ifndef MRELEASE_TOOLS_PARSE_H
#define MRELEASE_TOOLS_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A duration: a decimal number (fractions allowed) with an optional unit
 * ns, us, ms, s, m, h; no unit means seconds (like sleep(1)).  At most 24h.
 * "500ms", "5s", "1.5", "2m". */
int mr_parse_duration(const char *s, size_t len, uint64_t *ns);

/* A signal: a number 1..64, or a name with or without SIG, any case
 * ("KILL", "sigterm", "9", "RTMIN+3", "SIGRTMAX-1"). */
int mr_parse_signal(const char *s, size_t len, int *sig);
/* "KILL", "TERM", "RTMIN+3"...: the name without SIG; a static string. */
const char *mr_signal_name(int sig);

/* A PID argument: decimal digits only, 1..4194304 (PID_MAX_LIMIT). */
int mr_parse_pid(const char *s, size_t len, pid_t *pid);

/* A size: a number (fractions allowed) with an optional unit B, K, KiB,
 * M, MiB, G, GiB, T, TiB (all powers of 1024); no unit means bytes. */
int mr_parse_size(const char *s, size_t len, uint64_t *bytes);

/* MemAvailable of /proc/meminfo, in bytes. */
int mr_parse_meminfo_available(const char *buf, size_t len, uint64_t *bytes);

/* The fields of /proc/<pid>/status that the tools read. */
#define MR_ST_NAME	0x01U
#define MR_ST_UID	0x02U
#define MR_ST_RSS_ANON	0x04U
#define MR_ST_RSS_FILE	0x08U
#define MR_ST_RSS_SHMEM	0x10U
#define MR_ST_KTHREAD	0x20U	/* the Kthread: line (Linux 6.x) */
#define MR_ST_TGID	0x40U
struct mr_status {
	unsigned int have;	/* MR_ST_* of the fields found */
	char name[64];		/* Name:, as the kernel escapes it */
	uid_t ruid, euid;	/* Uid: real, effective */
	pid_t tgid;		/* Tgid: */
	int kthread;		/* Kthread: */
	uint64_t rss_anon, rss_file, rss_shmem;	/* bytes */
};
/* Fills st from a status file; fields absent are left out of st->have
 * (a zombie has no Rss* lines).  -1/EINVAL when the Name: line is missing
 * or a field present is malformed. */
int mr_parse_status(const char *buf, size_t len, struct mr_status *st);

/* The flags field (the 9th) of /proc/<pid>/stat; PF_KTHREAD is 0x00200000. */
#define MR_PF_KTHREAD 0x00200000UL
int mr_parse_stat_flags(const char *buf, size_t len, unsigned long *flags);

/* A cgroup.procs file: one pid per line.  Calls cb for each; stops and
 * returns what cb returns when that is not 0.  -1/EINVAL on a bad line. */
int mr_parse_pid_list(const char *buf, size_t len,
		      int (*cb)(pid_t pid, void *arg), void *arg);

/* Formats bytes as "812 B", "4.0 KiB", "128.3 MiB", "2.00 GiB".  Returns
 * buf. */
char *mr_format_size(uint64_t bytes, char *buf, size_t size);

#endif /* MRELEASE_TOOLS_PARSE_H */
