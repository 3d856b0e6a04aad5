/*
 * cgroup.h - cgroup v2 directories: what they list, and the one walker
 *
 * SPDX-License-Identifier: MIT
 *
 * For lib/cgroup*.c, mrelease(1), the benchmark and the tests alike.
 * Functions return -errno on failure.
 */
#ifndef MRELEASE_SHARED_CGROUP_H
#define MRELEASE_SHARED_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "symbols.h"

/* 1 when fd is open on a directory of a cgroup2 file system, else 0. */
int mr_cg_is_v2(int fd);

/* The pids of cgroup.procs of the cgroup open as dirfd, read whole, into a
 * malloc()ed array the caller frees: 0, or -errno (nothing to free). */
int mr_cg_read_pids(int dirfd, pid_t **pids, size_t *n);

/*
 * Calls visit() for the cgroup open as topfd and then for every cgroup
 * below it, parents before children, at any depth.  Every subdirectory is
 * one: names starting with '.' included, DT_UNKNOWN resolved by fstatat.
 * visit() gets the directory open (it must not close it), its path
 * relative to the top ("" for the top itself) and its depth (0 for the
 * top).  A child removed during the walk is skipped.  Holds one open
 * directory per level, so a deep tree costs one fd per level: past the
 * caller's limit that is -EMFILE, never a subtree left out without a word.
 * Returns 0, what visit() returned when that was not 0 (the walk stops),
 * or -errno.
 */
typedef int mr_cg_visit_fn(int dirfd, const char *path, unsigned int depth,
			   void *arg);
int mr_cg_walk(int topfd, mr_cg_visit_fn *visit, void *arg);

/* The "populated" line of cgroup.events: 1 or 0, or -errno (-ENOENT in
 * the root cgroup, which has no cgroup.events). */
int mr_cg_populated(int dirfd);

/* Waits, with poll(2) on cgroup.events, until the cgroup open as dirfd
 * and all below it hold no process, at most timeout_ms (< 0: for ever).
 * 0, -ETIMEDOUT, or -errno. */
int mr_cg_wait_empty(int dirfd, int timeout_ms);

#endif /* MRELEASE_SHARED_CGROUP_H */
