/*
 * util.h - the clock and whole-file I/O that every part of the tree uses
 *
 * SPDX-License-Identifier: MIT
 *
 * Functions here return -errno on failure (never set errno for the
 * caller); lib/ turns that into errno once, at its exported functions.
 */
#ifndef MRELEASE_SHARED_UTIL_H
#define MRELEASE_SHARED_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "procparse.h"
#include "symbols.h"

#define MR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t mr_now_ns(void);

/*
 * Reads the whole file name (relative to dirfd, as openat(2)) into a
 * malloc()ed buffer with a NUL after the data.  Kernel files of any size
 * (cgroup.procs of a fork bomb) are read whole; beyond 64 MiB it gives
 * -EFBIG rather than grow without bound.  Returns the length, or -errno.
 */
ssize_t mr_read_at(int dirfd, const char *name, char **buf);

/* Writes the string s to the file name below dirfd (no O_CREAT): 0, or
 * -errno (a short write is -EIO). */
int mr_write_at(int dirfd, const char *name, const char *s);

/* /proc/<pid>/status and /proc/<pid>/stat, read whole and parsed by
 * procparse: 0, or -errno (-ENOENT: no such process). */
int mr_proc_status(pid_t pid, struct mr_status *st);
int mr_proc_stat(pid_t pid, struct mr_stat *st);

/* The online CPUs, from /sys/devices/system/cpu/online (sysconf() if that
 * cannot be read): not sysconf(_SC_NPROCESSORS_ONLN), which on musl counts
 * the caller's affinity mask, where glibc reads this same file.  >= 1. */
unsigned int mr_online_cpus(void);

/* The scheduling policy and priority of the calling thread alone, by the
 * raw system call: musl's sched_setscheduler() is ENOSYS by design.  0, or
 * -1 with errno set. */
int mr_sched_set(int policy, int priority);

#endif /* MRELEASE_SHARED_UTIL_H */
