/*
 * cgroup-table.c - the cgroup kill's table of the pids found, its survey,
 * roll calls and counts
 *
 * SPDX-License-Identifier: MIT
 *
 * Every pid found has one entry (struct cg_seen), sorted; a roll call is
 * merged into the table, and the counts are the table's: each process
 * once, in killed, gone or failed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#ifdef MRELEASE_TESTING
int (*mr_test_cgroup_pids)(int dirfd, pid_t **pids, size_t *n);
#endif

/* ---- the pids found ------------------------------------------------- */

struct cg_seen *mr_cgk_seen_get(struct cg_kill *c, pid_t pid)
{
	size_t lo = 0, hi = c->nseen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->seen[mid].pid == pid)
			return &c->seen[mid];
		if (c->seen[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int mr_cgk_cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* pids sorted, without duplicates. */
void mr_cgk_sort_unique(pid_t *pids, size_t *n)
{
	size_t i, k;

	if (*n < 2)
		return;
	qsort(pids, *n, sizeof(*pids), mr_cgk_cmp_pid);
	for (i = k = 1; i < *n; i++)
		if (pids[i] != pids[k - 1])
			pids[k++] = pids[i];
	*n = k;
}

/*
 * Adds the pids (sorted, unique) the table lacks, as how (err): how many
 * it added, or -ENOMEM.  One merge, from the end, in place.
 */
ssize_t mr_cgk_seen_merge(struct cg_kill *c, const pid_t *pids, size_t n,
			  unsigned char how, unsigned char err)
{
	size_t i = 0, j = 0, add = 0, w;

	while (j < n) {
		if (i < c->nseen && c->seen[i].pid < pids[j]) {
			i++;
		} else {
			if (i >= c->nseen || c->seen[i].pid != pids[j])
				add++;
			j++;
		}
	}
	if (!add)
		return 0;
	if (c->nseen + add > c->capseen) {
		size_t ncap = c->capseen ? c->capseen : 64;
		struct cg_seen *p;

		while (ncap < c->nseen + add)
			ncap *= 2;
		p = realloc(c->seen, ncap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		c->seen = p;
		c->capseen = ncap;
	}
	i = c->nseen;
	j = n;
	w = c->nseen + add;
	while (j > 0) {
		if (i > 0 && c->seen[i - 1].pid > pids[j - 1]) {
			c->seen[--w] = c->seen[--i];
		} else if (i > 0 && c->seen[i - 1].pid == pids[j - 1]) {
			c->seen[--w] = c->seen[--i];
			j--;
		} else {
			--w;
			c->seen[w].pid = pids[--j];
			c->seen[w].how = how;
			c->seen[w].err = err;
		}
	}
	c->nseen += add;
	return (ssize_t)add;
}

/*
 * A roll call (pids sorted, unique) against the table: the pids it lacks
 * are added as how (err), then mark() tells each entry whether the roll
 * call listed it.  0 or -ENOMEM.
 */
static int settle(struct cg_kill *c, const pid_t *pids, size_t n,
		  void (*mark)(struct cg_kill *, struct cg_seen *, int listed),
		  unsigned char how, unsigned char err)
{
	ssize_t add = mr_cgk_seen_merge(c, pids, n, how, err);
	size_t i, j = 0;

	if (add < 0)
		return (int)add;
	for (i = 0; i < c->nseen; i++) {
		while (j < n && pids[j] < c->seen[i].pid)
			j++;
		mark(c, &c->seen[i], j < n && pids[j] == c->seen[i].pid);
	}
	return 0;
}

/* cgroup.procs of dirfd.  The test build can replace the first read of
 * each cgroup (what the walk collects), never the second (the check). */
int mr_cgk_list_pids(int dirfd, int collect, pid_t **pids, size_t *n)
{
#ifdef MRELEASE_TESTING
	if (collect && mr_test_cgroup_pids) {
		*pids = NULL;
		*n = 0;
		return mr_test_cgroup_pids(dirfd, pids, n);
	}
#else
	(void)collect;
#endif
	return mr_cg_read_pids(dirfd, pids, n);
}

static int census_dir(int dirfd, const char *path, unsigned int depth,
		      void *arg)
{
	struct cg_census *s = arg;
	pid_t *pids;
	size_t n, i;
	int e = mr_cgk_list_pids(dirfd, 0, &pids, &n);

	if (e < 0)
		return mr_cgk_removed(e) ? 0 : e;
	for (i = 0; i < n; i++) {
		if (pids[i] == s->self) {
			s->self_inside = 1;
			continue;
		}
		s->others++;
		if (!pids[i]) {
			s->zeros++;
			continue;
		}
		if (!s->collect)
			continue;
		if (s->n == s->cap) {
			size_t ncap = s->cap ? s->cap * 2 : 64;
			pid_t *p = realloc(s->pids, ncap * sizeof(*p));

			if (!p) {
				free(pids);
				return -ENOMEM;
			}
			s->pids = p;
			s->cap = ncap;
		}
		s->pids[s->n++] = pids[i];
	}
	free(pids);
	(void)path;
	(void)depth;
	return 0;
}

int mr_cgk_census(int top, pid_t self, struct cg_census *s)
{
	memset(s, 0, sizeof(*s));
	s->self = self;
	return mr_cg_walk(top, census_dir, s);
}

/* Every pid the subtree lists now but the caller's, sorted (s->pids, to
 * free), and the number listed as 0.  Takes the fd in reserve: it then
 * needs no more fds than the survey did.  0 or -errno. */
static int roll_call(struct cg_kill *c, struct cg_census *s)
{
	int e;

	mr_cgk_reserve_drop(c);
	memset(s, 0, sizeof(*s));
	s->self = c->self;
	s->collect = 1;
	e = mr_cg_walk(c->top, census_dir, s);
	if (e < 0) {
		free(s->pids);
		s->pids = NULL;
		s->n = 0;
		return e;
	}
	mr_cgk_sort_unique(s->pids, &s->n);
	return 0;
}

/*
 * A roll call's verdict on an entry.  Not listed: what was found and not
 * killed is gone.  Listed: what no pidfd killed becomes how (H_FILE,
 * killed by cgroup.kill, which takes the failed too; or H_FAILED), and a
 * pid found gone and listed again is a new process, counted in *more.
 */
static void mark_listed(struct cg_kill *c, struct cg_seen *s, int listed,
			unsigned char how, unsigned int *more)
{
	if (!listed) {
		if (s->how == H_OPEN || s->how == H_MOVED)
			s->how = H_GONE;
		return;
	}
	switch (s->how) {
	case H_FAILED:
		if (how != H_FILE)
			break;
		/* fallthrough */
	case H_OPEN:
	case H_MOVED:
		s->how = how;
		if (!s->err)
			s->err = c->why;
		break;
	case H_GONE:
		(*more)++;
		break;
	}
}

/* cgroup.kill was written after the roll call: what it listed is dead,
 * killed through a pidfd or by cgroup.kill. */
static void mark_killfile(struct cg_kill *c, struct cg_seen *s, int listed)
{
	mark_listed(c, s, listed, H_FILE, &c->more_killed);
}

/* No cgroup.kill: what the last roll call lists and no pidfd killed
 * failed. */
static void mark_final(struct cg_kill *c, struct cg_seen *s, int listed)
{
	mark_listed(c, s, listed, H_FAILED, &c->more_failed);
}

/* The wait timed out: whoever is still listed failed. */
static void mark_survivor(struct cg_kill *c, struct cg_seen *s, int listed)
{
	(void)c;
	if (listed && s->how != H_FAILED) {
		s->how = H_FAILED;
		s->err = ETIMEDOUT;
	}
}

/* Whether the table holds a process neither counted nor left to a roll
 * call yet. */
static int unresolved(const struct cg_kill *c)
{
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (c->seen[i].how == H_OPEN || c->seen[i].how == H_MOVED)
			return 1;
	return 0;
}

/* The counts, from the table: each process once. */
void mr_cgk_tally(struct cg_kill *c)
{
	int nre = c->not_reaped_errno, ferr = 0;
	size_t i;

	c->r.killed = c->more_killed;
	c->r.gone = c->more_gone;
	c->r.failed = c->more_failed;
	for (i = 0; i < c->nseen; i++) {
		const struct cg_seen *s = &c->seen[i];

		switch (s->how) {
		case H_KILLED:
			c->r.killed++;
			break;
		case H_FILE:
			c->r.killed++;
			if (c->reap && (!nre || nre == ESRCH))
				nre = s->err;
			break;
		case H_GONE:
			c->r.gone++;
			break;
		default:
			c->r.failed++;
			if (!ferr)
				ferr = s->err;
			break;
		}
	}
	if (c->reap && c->more_killed && (!nre || nre == ESRCH))
		nre = EPERM;	/* of an ancestor pid namespace */
	if (!ferr && c->r.failed)
		ferr = EPERM;
	c->not_reaped_errno = nre;
	c->fail_err = -ferr;
}

/* Waits until the subtree holds no process but the caller (when inside):
 * 0, -ETIMEDOUT, or -errno. */
int mr_cgk_wait_empty(struct cg_kill *c, int top, int timeout_ms)
{
	uint64_t end = mr_now_ns() + (uint64_t)timeout_ms * 1000000u;
	struct timespec pause = { 0, 100000 };
	struct cg_census s;
	int e;

	if (!c->self_inside) {
		e = mr_cg_wait_empty(top, timeout_ms);
		/* No cgroup.events (a kernel before 4.5, or a test's fake
		 * tree): count instead. */
		if (e != -ENOENT)
			return e;
	}
	for (;;) {
		e = mr_cgk_census(top, c->self, &s);
		if (e < 0)
			return e;
		if (!s.others)
			return 0;
		if (mr_now_ns() >= end)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 20000000)
			pause.tv_nsec *= 2;
	}
}

/* ---- settling the counts ------------------------------------------- */

/*
 * The roll call rc (er: how it went) settled into the table, as how
 * (H_FILE after cgroup.kill, else H_FAILED; c->why set), those listed as
 * 0 into *more.  When who was listed is not known, what the walk found
 * and did not kill becomes how.  Frees rc's pids; 0 or -errno.
 */
static int settle_roll_call(struct cg_kill *c, struct cg_census *rc, int er,
			    unsigned char how, unsigned int *more)
{
	size_t i;

	if (er == 0)
		er = settle(c, rc->pids, rc->n,
			    how == H_FILE ? mark_killfile : mark_final, how,
			    c->why);
	if (er == 0) {
		/* Those listed as 0: the roll call's are killed (or
		 * failed); the walk found more, they left. */
		*more += rc->zeros;
		if (c->zeros > rc->zeros)
			c->more_gone += c->zeros - rc->zeros;
	}
	free(rc->pids);
	if (er < 0) {
		for (i = 0; i < c->nseen; i++) {
			struct cg_seen *s = &c->seen[i];

			if (s->how == H_OPEN || s->how == H_MOVED) {
				s->how = how;
				if (!s->err)
					s->err = c->why;
			}
		}
		*more += c->zeros;
	}
	return er;
}

/*
 * 4. cgroup.kill, after a roll call, when the walk has run (e: how it
 * ended).  0 when cgroup.kill was written (what the roll call listed is
 * counted), 1 when it could not be, or -errno (the count is then
 * incomplete: the roll call failed, or memory ran out).
 */
int mr_cgk_sweep(struct cg_kill *c, int e)
{
	struct cg_census rc;
	int er = roll_call(c, &rc);

	c->why = e < 0 ? mr_cgk_errno8(-e) : EAGAIN;
	if (mr_write_at(c->top, "cgroup.kill", "1") < 0) {
		free(rc.pids);
		return 1;
	}
	c->r.status |= MRELEASE_KILLFILE;
	if (!c->t0)
		c->t0 = mr_now_ns();
	return settle_roll_call(c, &rc, er, H_FILE, &c->more_killed);
}

/* No cgroup.kill: what the walks could not kill is counted failed when
 * still listed, gone when not (e: how the walks ended).  0 or -errno. */
int mr_cgk_settle_final(struct cg_kill *c, int e)
{
	struct cg_census rc;

	if (e == 0 && !c->zeros && !unresolved(c))
		return 0;
	c->why = e < 0 ? mr_cgk_errno8(-e) : EAGAIN;
	return settle_roll_call(c, &rc, roll_call(c, &rc), H_FAILED,
				&c->more_failed);
}

/* 5. The wait timed out: who is still listed failed (the killed among
 * them move to failed).  0 or -errno. */
int mr_cgk_settle_survivors(struct cg_kill *c)
{
	struct cg_census rc;
	unsigned int z;
	int er = roll_call(c, &rc);

	if (er == 0)
		er = settle(c, rc.pids, rc.n, mark_survivor, H_FAILED,
			    ETIMEDOUT);
	if (er == 0) {
		z = rc.zeros < c->more_killed ? rc.zeros : c->more_killed;
		c->more_killed -= z;
		c->more_failed += rc.zeros;
	}
	free(rc.pids);
	return er;
}
