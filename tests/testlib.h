/*
 * testlib.h - what the test programs share
 *
 * SPDX-License-Identifier: MIT
 *
 * Conventions (HACKING.md):
 * - a test that provokes errno E from exported function F is a Check test
 *   named t_<F>__<E>__<what>, e.g. t_mrelease_process_mrelease__EBADF__closed_fd;
 *   tests/errno-coverage.sh matches these names against the man pages;
 * - a program whose kernel lacks a feature calls tl_skip("what", "Linux X.Y"),
 *   which prints "SKIP: ..." and exits 77;
 * - tests kill only processes they started (tl_victim_*), and reap them.
 */
#ifndef MRELEASE_TESTLIB_H
#define MRELEASE_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit 77 naming the missing feature. */
void tl_skip(const char *what, const char *since) __attribute__((noreturn));

/* Skip the whole program unless the calls this mask names are available
 * (MRELEASE_HAVE_* bits, probed directly with raw syscalls). */
void tl_require(unsigned int have_mask);

/* Number of open fds of this process (/proc/self/fd). */
int tl_fd_count(void);

/* A victim: a forked child that maps and touches `bytes` of private
 * anonymous memory, reports ready through a pipe and then blocks in
 * pause().  PR_SET_PDEATHSIG(SIGKILL) so that it never outlives the test.
 * cpu >= 0 pins it; returns its pid, and its pidfd in *pidfd (opened before
 * anything is sent to it) unless pidfd is NULL.  Aborts the test on error. */
pid_t tl_victim(size_t bytes, int cpu, int *pidfd);
/* Like tl_victim but the child ignores SIGTERM. */
pid_t tl_victim_ignoring_term(size_t bytes, int *pidfd);
/* SIGKILL (if still there) and waitpid() a victim: always call it. */
void tl_victim_reap(pid_t pid);

/* A field of /proc/<pid>/status in kB ("RssAnon", "VmRSS"...), -1 if the
 * process or the field is gone. */
long tl_status_kb(pid_t pid, const char *field);
/* The State letter of /proc/<pid>/stat, 0 if gone. */
char tl_state(pid_t pid);

/* In the calling process (a forked child!), install a seccomp filter that
 * makes syscall nr answer -1/err.  Returns 0, or -1 with errno. */
int tl_seccomp_errno(long nr, int err);

/* Raw syscalls, independent of the library under test. */
int tl_raw_pidfd_open(pid_t pid, unsigned int flags);
int tl_raw_pidfd_kill(int pidfd, int sig, unsigned int flags);
int tl_raw_process_mrelease(int pidfd, unsigned int flags);

/* Kernel version as major*1000+minor (6.18 -> 6018). */
int tl_kernel_version(void);

/* cgroup v2 mount point (e.g. /sys/fs/cgroup/unified), NULL if none. */
const char *tl_cgroup2_root(void);
/* cgroup v1 freezer mount point, NULL if none. */
const char *tl_freezer_root(void);

#endif /* MRELEASE_TESTLIB_H */
