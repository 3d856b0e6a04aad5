/*
 * procparse.h - parsers of the text that /proc and cgroupfs hand us
 *
 * SPDX-License-Identifier: MIT
 *
 * The one set of them, for lib/, tools/, bench/ and tests/.  Each takes a
 * buffer and its length (no NUL needed; nothing past len is read), does no
 * I/O, allocates only where it says so, never trusts its input, and
 * returns 0 or -errno.  The fuzz targets (fuzz/) link this file alone.
 */
#ifndef MRELEASE_SHARED_PROCPARSE_H
#define MRELEASE_SHARED_PROCPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "symbols.h"

/* The fields of /proc/<pid>/status that anything here reads. */
#define MR_ST_NAME	0x01U
#define MR_ST_UID	0x02U
#define MR_ST_RSS_ANON	0x04U
#define MR_ST_RSS_FILE	0x08U
#define MR_ST_RSS_SHMEM	0x10U
#define MR_ST_KTHREAD	0x20U	/* the Kthread: line (Linux 6.x) */
#define MR_ST_TGID	0x40U
#define MR_ST_VM_RSS	0x80U
#define MR_ST_RSS	(MR_ST_RSS_ANON | MR_ST_RSS_FILE | MR_ST_RSS_SHMEM)
struct mr_status {
	unsigned int have;	/* MR_ST_* of the fields found */
	char name[64];		/* Name:, as the kernel escapes it */
	uid_t ruid, euid;	/* Uid: real, effective */
	pid_t tgid;		/* Tgid: */
	int kthread;		/* Kthread: */
	uint64_t rss_anon, rss_file, rss_shmem, vm_rss;	/* bytes */
};
/*
 * /proc/<pid>/status.  Fields absent are left out of st->have: a process
 * past exit_mm() has no Rss or Vm lines.  -EINVAL when the Name: line is
 * missing or a field present is malformed.
 */
int mr_parse_status(const char *buf, size_t len, struct mr_status *st);

/* The 3rd and 9th fields of /proc/<pid>/stat (after the comm, which may
 * hold blanks and parentheses): the state letter and the PF_* flags. */
#define MR_PF_KTHREAD 0x00200000UL
struct mr_stat {
	char state;		/* 'R', 'S', 'D', 'Z', ... */
	unsigned long flags;
};
int mr_parse_stat(const char *buf, size_t len, struct mr_stat *st);

/*
 * /proc/self/fdinfo/<pidfd>: the "Pid:" line.  0 with *pid set (the kernel
 * writes 0 for a process outside the reader's pid namespace and -1 for a
 * reaped one), or -EINVAL when there is no well-formed Pid: line.
 */
int mr_parse_fdinfo_pid(const char *buf, size_t len, long *pid);

/*
 * /proc/<pid>/cgroup: the cgroup v2 line "0::<path>".  0 with *path
 * pointing into buf and *path_len its length (no newline); -ENOENT when
 * there is no such line, -EINVAL when its path does not start with '/'
 * or holds a NUL.
 */
int mr_parse_cgroup2_path(const char *buf, size_t len, const char **path,
			  size_t *path_len);

/*
 * cgroup.procs (or cgroup.threads): one decimal pid per line, 0..INT_MAX (0
 * is what the kernel writes for a process outside the reader's pid
 * namespace).
 * Appends to the array *pids of *n entries and *cap capacity, which it
 * realloc()s; the caller frees it, also on error.  0, or -EINVAL
 * (malformed text) or -ENOMEM.
 */
int mr_parse_pids(const char *buf, size_t len, pid_t **pids, size_t *n,
		  size_t *cap);

/*
 * /proc/self/mountinfo: the root (4th field: the directory of the file
 * system that is the root of this mount; kernel-escaped, octal \040 for a
 * blank) of the mount with ID mnt_id.  0 with *root pointing into buf, or
 * -ENOENT (no such mount) or -EINVAL.
 */
int mr_parse_mountinfo_root(const char *buf, size_t len, int mnt_id,
			    const char **root, size_t *root_len);

/* MemAvailable of /proc/meminfo, in bytes: 0, -ENOENT, -EINVAL. */
int mr_parse_meminfo_available(const char *buf, size_t len, uint64_t *bytes);

/*
 * A CPU list, as /sys/devices/system/cpu/online writes it ("0-3,6,8-9\n"):
 * the number of CPUs it names, in *count.  0, or -EINVAL (malformed, empty,
 * a range backwards, a CPU past 65535).
 */
int mr_parse_cpulist_count(const char *buf, size_t len, unsigned int *count);

#endif /* MRELEASE_SHARED_PROCPARSE_H */
