/*
 * kill-internal.h - what kill.c, cgroup.c and reaper.c share; never installed
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MRELEASE_KILL_INTERNAL_H
#define MRELEASE_KILL_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "internal.h"
#include "procfs.h"

/* Every flag bit this release knows. */
#define MR_KNOWN_FLAGS (MRELEASE_MEASURE | MRELEASE_NO_KILLFILE | \
			MRELEASE_THREADS_MASK)
/* How often EINTR/EAGAIN is retried. */
#define MR_RETRIES 8
/* The largest result or completion size accepted (a page, as clone3). */
#define MR_MAX_STRUCT_SIZE 4096

/* 0 when (result, size) is acceptable, else -1 + EINVAL. */
int mr_result_check(const void *result, size_t size);
/* Copies the library's result into the caller's, zeroing any tail. */
void mr_result_copy(void *dst, size_t size, const void *src, size_t src_size);

uint64_t mr_now_ns(void);

/* Reads a whole file below dirfd into a malloc()ed, NUL-terminated buffer;
 * returns its length, or -1 with errno. */
ssize_t mr_read_at(int dirfd, const char *name, char **buf);

/* The pid of a pidfd from /proc/self/fdinfo: > 0, or 0 when unknown
 * (foreign pid namespace, no /proc, reaped). */
pid_t mr_pidfd_pid(int pidfd);

/*
 * The /proc/<pid> directory of the process behind pidfd, opened and then
 * confirmed through the pidfd to still be the same process: >= 0, or -1.
 */
int mr_proc_dir(int pidfd, pid_t pid);

/* RssAnon/RssFile/RssShmem of /proc/<pid> open as procfd; -1 if gone. */
int mr_read_rss(int procfd, struct mr_rss *rss);

/* pidfd_send_signal / process_mrelease with the bounded EINTR/EAGAIN retry. */
int mr_signal(int pidfd, int sig);
int mr_reap(int pidfd);

/*
 * The reap half of a kill, for one process already SIGKILLed:
 * process_mrelease, then the after-measurement when procfd >= 0.  Sets
 * MRELEASE_REAPED or reap_errno, and freed.
 */
void mr_reap_one(int pidfd, int procfd, const struct mr_rss *before,
		 struct mrelease_result *r);

/* The whole synchronous kill of one pidfd (mrelease_kill without the
 * argument checks), into a full-size result. */
int mr_kill_pidfd(int pidfd, pid_t pid, unsigned int flags,
		  struct mrelease_result *r);

/* Number of threads for a MRELEASE_THREADS(n) value of 0. */
unsigned int mr_default_threads(void);

#ifdef MRELEASE_TESTING
/* Test builds only: when set, called instead of reading cgroup.procs of
 * each directory of the subtree (dirfd open on it).  Fills a malloc()ed
 * array; returns 0 or -1 with errno. */
extern int (*mr_test_cgroup_pids)(int dirfd, pid_t **pids, size_t *n);
#endif

#endif /* MRELEASE_KILL_INTERNAL_H */
