/*
 * cgroup.c - mrelease_kill_cgroup() and mrelease_signal_cgroup()
 *
 * SPDX-License-Identifier: MIT
 *
 * 1. Survey: walk the subtree (shared/cgroup.c), reading cgroup.procs of
 *    every cgroup, to learn whether the caller is inside.  A caller inside
 *    is left out: then neither the freezer nor cgroup.kill may be used.
 * 2. Freeze (cgroup.freeze, Linux 5.2) without waiting for "frozen 1": from
 *    now on nothing in the subtree runs, allocates or forks, so a killed
 *    process cannot pass exit_mm() before its reaper holds the mm.
 * 3. Kill and reap: walk again; per cgroup, in batches that fit the
 *    caller's free fds, open each listed pid's pidfd, read cgroup.procs
 *    again and keep only the pids still listed (a pid that left, or that
 *    now names another process, is never signalled: the pidfd was opened
 *    before the second read, and a pid cannot change hands while the
 *    pidfd's process holds it), then SIGKILL and process_mrelease(2) each
 *    at once, largest first, on the worker threads.  No /proc is needed.
 *    A pid no longer listed is gone if its pidfd says it exited; else it
 *    moved, and a later walk or the roll call meets it again, or not (it
 *    left the subtree: gone).  The read takes the fd kept in reserve.
 * 4. Sweep: cgroup.kill (Linux 5.14) kills whatever the walk could not take
 *    (no pidfd, a pid outside our pid namespace, a fork the freezer was too
 *    late for).  Just before it, a roll call lists the subtree: what it
 *    lists that no pidfd killed is counted killed by cgroup.kill, what was
 *    found, not killed and is no longer listed is gone.  Without it, walks
 *    repeat while they find new processes, and a last roll call counts
 *    what they could not kill as failed.
 * 5. Thaw (cgroup.freeze back to what it was), then verify: the call
 *    returns 0 only when the subtree is empty (cgroup.events "populated 0",
 *    waited for), or, with the caller inside, lists no one else.  Whoever
 *    still lives is counted in failed, never hidden.
 *
 * Every pid found has one entry in a table (struct seen), and the counts
 * are the table's: a process is counted once, in killed, gone or failed,
 * whichever way it was found, however often it is listed again.
 *
 * This file runs the steps in order; cgroup-table.c holds the table, the
 * survey, the roll calls and the counts (1, 4 and 5), cgroup-batch.c the
 * batches and the worker threads (3).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define MR_MAX_ROUNDS 8		/* walks to catch forks, without cgroup.kill */
#define MR_WAIT_MS 5000		/* the wait for the subtree to empty */

/* The whole call on the open cgroup top, into r (full size). */
static int cgroup_run(int top, int sig, int reap, unsigned int flags,
		      const struct mr_attr *attr, struct mrelease_result *r)
{
	struct cg_kill *c;
	struct cg_census s;
	unsigned int threads;
	int e, er, killfile = 0, frozen = -1, wait_ms = MR_WAIT_MS;

	memset(r, 0, sizeof(*r));
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->reserve = -1;
	c->top = top;
	c->flags = flags;
	c->sig = sig;
	c->reap = reap;
	c->self = getpid();
	c->proc_ours = mr_proc_is_ours();

	/* 1. Is the caller inside? */
	e = mr_cgk_census(top, c->self, &s);
	if (e < 0)
		goto out;
	c->self_inside = s.self_inside;
	if (reap && !c->self_inside && !(flags & MRELEASE_NO_KILLFILE))
		killfile = faccessat(top, "cgroup.kill", W_OK, 0) == 0;
	threads = (flags & MRELEASE_THREADS_MASK) >> 8;
	if (attr && (attr->mask & MRELEASE_ATTR_THREADS))
		threads = attr->threads;
	if (!threads)
		threads = mr_default_threads();
	if (attr && (attr->mask & MRELEASE_ATTR_TIMEOUT))
		wait_ms = (int)(attr->timeout_ms > INT32_MAX ? INT32_MAX :
				attr->timeout_ms);
	c->attr = mr_attr_sets_thread(attr) ? attr : NULL;
	c->caller_works = !c->attr;
	if (reap) {
		e = mr_cgk_pool_new(c, threads);
		if (e < 0)
			goto out;
	}

	/* An fd in reserve: with every other fd a pidfd, the batch can still
	 * read cgroup.procs. */
	mr_cgk_reserve_take(c);

	/* 2. Freeze. */
	if (reap && !c->self_inside && !(flags & MRELEASE_NO_FREEZE))
		frozen = mr_cgroup_freeze(top);

	/* 3. Kill and reap, then 4. the sweep, whatever the walk managed.
	 * Without cgroup.kill (or when it cannot be written), walk again
	 * while there are new processes, or moved ones. */
	er = 0;
	for (c->round = 0; c->round < MR_MAX_ROUNDS; c->round++) {
		c->found_new = 0;
		c->moved = 0;
		mr_cgk_reserve_take(c);
		e = mr_cg_walk(top, mr_cgk_kill_dir, c);
		if (killfile) {
			er = mr_cgk_sweep(c, e);
			if (er <= 0) {
				/* cgroup.kill killed what the walk missed:
				 * killed, not reaped; the wait below says
				 * whether all died. */
				e = 0;
				break;
			}
			er = 0;
			killfile = 0;
			if (e < 0)
				break;
			continue;
		}
		if (e < 0)
			break;
		if (!c->moved && (!reap || !c->found_new))
			break;
	}
	if (!(c->r.status & MRELEASE_KILLFILE))
		er = mr_cgk_settle_final(c, e);
	mr_cgk_reserve_drop(c);

	/* 5. Thaw, then verify. */
	if (frozen == 0)
		mr_write_at(top, "cgroup.freeze", "0");
	mr_cgk_tally(c);
	/* Waiting is for the killed to exit; with one known alive, the
	 * subtree will not empty. */
	if (reap && !e && !c->r.failed) {
		e = mr_cgk_wait_empty(c, top, wait_ms);
		if (e == -ETIMEDOUT) {
			mr_cgk_settle_survivors(c);
			mr_cgk_tally(c);
		}
	}
	if (!e && c->r.failed)
		e = c->fail_err;
	if (!e && er < 0)
		e = er;		/* all dead, but not all counted */

	if (c->r.killed)
		c->r.status |= MRELEASE_KILLED;
	if (c->r.reaped)
		c->r.status |= MRELEASE_REAPED;
	if ((flags & MRELEASE_MEASURE) && c->proc_ours && reap)
		c->r.status |= MRELEASE_MEASURED;
	c->r.reap_errno = c->r.reaped >= c->r.killed ? 0 :
		c->not_reaped_errno;
	if (c->t0)
		c->r.time_ns = mr_now_ns() - c->t0;
out:
	mr_cgk_reserve_drop(c);
	mr_cgk_pool_free(c->pool);
	*r = c->r;
	free(c->seen);
	free(c);
	return e;
}

int mr_cgroup_kill(int top, unsigned int flags, const struct mr_attr *attr,
		   struct mrelease_result *r)
{
	return cgroup_run(top, SIGKILL, 1, flags, attr, r);
}

/* The exported calls: check, open, run, report. */
static int cgroup_call(int dirfd, const char *path, int sig, int reap,
		       unsigned int flags, const struct mrelease_attr *a,
		       size_t asize, struct mrelease_result *result,
		       size_t size)
{
	struct mrelease_result r;
	struct mr_attr attr;
	int top, e = mr_result_check(result, size);

	if (e < 0)
		return e;
	e = mr_attr_from(a, asize, &attr);
	if (e < 0)
		return e;
	top = mr_cgroup_open(dirfd, path);
	if (top < 0) {
		mr_attr_free(&attr);
		return top;
	}
	e = cgroup_run(top, sig, reap, flags, a ? &attr : NULL, &r);
	close(top);
	mr_attr_free(&attr);
	mr_result_copy(result, size, &r, sizeof(r));
	return e;
}

MRELEASE_EXPORT int mrelease_kill_cgroup(int dirfd, const char *path,
					 unsigned int flags,
					 struct mrelease_result *result,
					 size_t size)
{
	if (flags & ~MR_KNOWN_FLAGS)
		return mr_errno(-EINVAL);
	return mr_errno(cgroup_call(dirfd, path, SIGKILL, 1, flags, NULL, 0,
				    result, size));
}

MRELEASE_EXPORT int mrelease_kill_cgroup_attr(int dirfd, const char *path,
					      unsigned int flags,
					      const struct mrelease_attr *attr,
					      size_t attr_size,
					      struct mrelease_result *result,
					      size_t size)
{
	if (flags & ~MR_KNOWN_FLAGS)
		return mr_errno(-EINVAL);
	return mr_errno(cgroup_call(dirfd, path, SIGKILL, 1, flags, attr,
				    attr_size, result, size));
}

MRELEASE_EXPORT int mrelease_signal_cgroup(int dirfd, const char *path,
					   int sig, unsigned int flags,
					   struct mrelease_result *result,
					   size_t size)
{
	if (flags || sig < 0 || sig > 64)
		return mr_errno(-EINVAL);
	return mr_errno(cgroup_call(dirfd, path, sig, 0, 0, NULL, 0, result,
				    size));
}
