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
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define MR_MAX_ROUNDS 8		/* walks to catch forks, without cgroup.kill */
#define MR_BATCH 64		/* pidfds open at once, at most */
#define MR_WAIT_MS 5000		/* the wait for the subtree to empty */

#ifdef MRELEASE_TESTING
int (*mr_test_cgroup_pids)(int dirfd, pid_t **pids, size_t *n);
#endif

/* What became of a process of a batch. */
enum { S_KILLED = 1, S_GONE, S_MOVED, S_FAILED };

/* What became of a process found, in the table. */
enum {
	H_OPEN,		/* found, not (yet) killed; err: why not, once tried */
	H_MOVED,	/* alive, but its cgroup no longer listed it */
	H_KILLED,	/* sent the signal through its pidfd */
	H_FILE,		/* killed by cgroup.kill; err: why not reaped */
	H_GONE,		/* verifiably gone: exited, or left the subtree */
	H_FAILED,	/* not killed, or alive at the end; err: why */
};

/* A pid found, and what became of it. */
struct seen {
	pid_t pid;
	unsigned char how;
	unsigned char err;	/* an errno, or 0 */
};

/* One process of a batch. */
struct proc {
	pid_t pid;
	int pidfd;
	int procfd;		/* only with MRELEASE_MEASURE */
	int measured;
	uint64_t size;		/* resident pages, for the order of the work */
	struct mr_rss before;
	struct mrelease_result r;	/* the reap's part */
	int state, err;
};

struct pool;

struct ctx {
	unsigned int flags;
	int sig;		/* SIGKILL and a reap, or the signal only */
	int reap;
	int proc_ours;		/* /proc is our pid namespace's */
	int self_inside;
	pid_t self;
	struct seen *seen;	/* every pid found, sorted */
	size_t nseen, capseen;
	int found_new;		/* a walk found a process not seen before */
	int moved;		/* a batch found one moved */
	unsigned int zeros;	/* listed as 0 by the first walk */
	/* Processes of no entry: listed as 0 (of an ancestor pid
	 * namespace), or a pid found again that the table counts gone. */
	unsigned int more_killed, more_gone, more_failed;
	int fail_err;		/* why the first that failed did, as -errno */
	unsigned char why;	/* of a roll call: why the walk missed one */
	int round;
	struct mrelease_result r;
	int not_reaped_errno;
	uint64_t t0;
	const struct mr_attr *attr;	/* of the helpers; NULL: inherited */
	int caller_works;	/* the calling thread is one of the workers */
	struct pool *pool;
	struct proc batch[MR_BATCH];
	size_t nbatch;
	int reserve;		/* an fd kept for finish_batch()'s read */
	int top;
};

/* ---- the pids found ------------------------------------------------- */

static struct seen *seen_get(struct ctx *c, pid_t pid)
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

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* pids sorted, without duplicates. */
static void sort_unique(pid_t *pids, size_t *n)
{
	size_t i, k;

	if (*n < 2)
		return;
	qsort(pids, *n, sizeof(*pids), cmp_pid);
	for (i = k = 1; i < *n; i++)
		if (pids[i] != pids[k - 1])
			pids[k++] = pids[i];
	*n = k;
}

/*
 * Adds the pids (sorted, unique) the table lacks, as how (err): how many
 * it added, or -ENOMEM.  One merge, from the end, in place.
 */
static ssize_t seen_merge(struct ctx *c, const pid_t *pids, size_t n,
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
		struct seen *p;

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
static int settle(struct ctx *c, const pid_t *pids, size_t n,
		  void (*mark)(struct ctx *, struct seen *, int listed),
		  unsigned char how, unsigned char err)
{
	ssize_t add = seen_merge(c, pids, n, how, err);
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

static unsigned char errno8(int e)
{
	return (unsigned char)(e > 0 && e < 256 ? e : EIO);
}

/* cgroup.procs of dirfd.  The test build can replace the first read of
 * each cgroup (what the walk collects), never the second (the check). */
static int list_pids(int dirfd, int collect, pid_t **pids, size_t *n)
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

/* A cgroup removed while we walk held no process: its pids left it. */
static int removed(int e)
{
	return e == -ENOENT || e == -ENODEV;
}

/* ---- the worker threads --------------------------------------------- */

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t go, done;
	pthread_t tid[255];
	unsigned int started;
	unsigned int gen;	/* one per batch */
	unsigned int busy;	/* helpers still on this batch */
	int stop;
	struct ctx *c;
	size_t next;		/* the next item of the batch (atomic) */
};

static void work_one(struct ctx *c, struct proc *p)
{
	int e = mr_signal(p->pidfd, c->sig);

	if (e == -ESRCH) {
		p->state = S_GONE;
		return;
	}
	if (e < 0) {
		p->state = S_FAILED;
		p->err = -e;
		return;
	}
	p->state = S_KILLED;
	if (c->reap)
		mr_reap_one(p->pidfd, p->measured ? p->procfd : -1,
			    p->measured ? &p->before : NULL, &p->r);
}

static void work_batch(struct pool *pl, struct ctx *c)
{
	for (;;) {
		size_t i = __atomic_fetch_add(&pl->next, 1, __ATOMIC_RELAXED);

		if (i >= c->nbatch)
			break;
		work_one(c, &c->batch[i]);
	}
}

static void *helper(void *arg)
{
	struct pool *pl = arg;
	unsigned int gen = 0;

	pthread_mutex_lock(&pl->lock);
	for (;;) {
		while (pl->gen == gen && !pl->stop)
			pthread_cond_wait(&pl->go, &pl->lock);
		if (pl->stop)
			break;
		gen = pl->gen;
		pthread_mutex_unlock(&pl->lock);
		work_batch(pl, pl->c);
		pthread_mutex_lock(&pl->lock);
		if (--pl->busy == 0)
			pthread_cond_signal(&pl->done);
	}
	pthread_mutex_unlock(&pl->lock);
	return NULL;
}

/*
 * The helpers: threads - 1 of them beside the calling thread, which
 * inherit its policy, nice value and affinity; or, when attr sets those,
 * threads of them set so, and the calling thread only waits.  Without
 * attr, fewer start when the system refuses more: the work still gets
 * done.  0, or -errno (a setting refused, or no thread at all for attr).
 */
static int pool_new(struct ctx *c, unsigned int threads)
{
	unsigned int want = c->caller_works ? threads - 1 : threads;
	struct pool *pl;
	int e = 0;

	if (!want)
		return 0;
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return c->caller_works ? 0 : -ENOMEM;
	if (pthread_mutex_init(&pl->lock, NULL)) {
		free(pl);
		return c->caller_works ? 0 : -ENOMEM;
	}
	if (pthread_cond_init(&pl->go, NULL)) {
		pthread_mutex_destroy(&pl->lock);
		free(pl);
		return c->caller_works ? 0 : -ENOMEM;
	}
	if (pthread_cond_init(&pl->done, NULL)) {
		pthread_cond_destroy(&pl->go);
		pthread_mutex_destroy(&pl->lock);
		free(pl);
		return c->caller_works ? 0 : -ENOMEM;
	}
	pl->c = c;
	c->pool = pl;
	while (pl->started < want) {
		e = mr_thread_start(&pl->tid[pl->started], c->attr, helper, pl);
		if (e)
			break;
		pl->started++;
	}
	/* A setting the system refused fails the call before any kill;
	 * merely fewer threads is no failure while one works. */
	if (e && (c->attr || !c->caller_works) &&
	    (e != -EAGAIN || !pl->started))
		return e;
	return 0;
}

static void pool_free(struct pool *pl)
{
	unsigned int i;

	if (!pl)
		return;
	pthread_mutex_lock(&pl->lock);
	pl->stop = 1;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->lock);
	for (i = 0; i < pl->started; i++)
		pthread_join(pl->tid[i], NULL);
	pthread_cond_destroy(&pl->done);
	pthread_cond_destroy(&pl->go);
	pthread_mutex_destroy(&pl->lock);
	free(pl);
}

/* Kill (or signal) every process of the batch, on every worker. */
static void run_batch(struct ctx *c)
{
	struct pool *pl = c->pool;

	if (!c->nbatch)
		return;
	if (!pl || !pl->started || (c->caller_works && c->nbatch < 2)) {
		size_t i;

		for (i = 0; i < c->nbatch; i++)
			work_one(c, &c->batch[i]);
		return;
	}
	pthread_mutex_lock(&pl->lock);
	pl->next = 0;
	pl->busy = pl->started;
	pl->gen++;
	pthread_cond_broadcast(&pl->go);
	pthread_mutex_unlock(&pl->lock);
	if (c->caller_works)
		work_batch(pl, c);
	pthread_mutex_lock(&pl->lock);
	while (pl->busy)
		pthread_cond_wait(&pl->done, &pl->lock);
	pthread_mutex_unlock(&pl->lock);
}

/* ---- a batch -------------------------------------------------------- */

/* Resident pages of /proc/<pid>/statm (its second number), for the order
 * of the work only: 0 when unknown. */
static uint64_t resident(pid_t pid)
{
	char name[40], *buf, *end;
	unsigned long long res = 0;
	ssize_t n;

	snprintf(name, sizeof(name), "/proc/%d/statm", (int)pid);
	n = mr_read_at(AT_FDCWD, name, &buf);
	if (n < 0)
		return 0;
	end = strchr(buf, ' ');
	if (end)
		res = strtoull(end + 1, NULL, 10);
	free(buf);
	return res;
}

/* The members first, the largest of them first; those not listed last. */
static int larger_first(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;
	int gx = x->state == S_GONE || x->state == S_MOVED;
	int gy = y->state == S_GONE || y->state == S_MOVED;

	if (gx != gy)
		return gx - gy;
	return (x->size < y->size) - (x->size > y->size);
}

/* The fd kept in reserve, taken again (it may fail: then there is none)
 * or given back for a read. */
static void reserve_take(struct ctx *c)
{
	if (c->reserve < 0)
		c->reserve = fcntl(c->top, F_DUPFD_CLOEXEC, 3);
}

static void reserve_drop(struct ctx *c)
{
	if (c->reserve >= 0)
		close(c->reserve);
	c->reserve = -1;
}

/* Whether a pidfd's process has exited (the pidfd polls readable). */
static int pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP));
}

/* What became of a process of a batch, into its entry, once. */
static void count(struct ctx *c, struct proc *p)
{
	struct seen *s = seen_get(c, p->pid);

	if (!s)
		return;		/* cannot be: it was added before its pidfd */
	switch (p->state) {
	case S_KILLED:
		s->how = H_KILLED;
		s->err = 0;
		if (!c->t0)
			c->t0 = mr_now_ns();
		if (!c->reap)
			break;
		if (p->r.status & MRELEASE_REAPED) {
			c->r.reaped++;
		} else if (!c->not_reaped_errno ||
			   c->not_reaped_errno == ESRCH) {
			c->not_reaped_errno = p->r.reap_errno;
		}
		if (p->measured) {
			c->r.rss_anon += p->before.anon;
			c->r.rss_file += p->before.file;
			c->r.rss_shmem += p->before.shmem;
			c->r.freed += p->r.freed;
		}
		break;
	case S_GONE:
		s->how = H_GONE;
		s->err = 0;
		break;
	case S_MOVED:
		/* Alive, and no longer listed where it was: in another
		 * cgroup of the subtree (a walk or the roll call will meet
		 * it), or out of it (then neither will: gone). */
		s->how = H_MOVED;
		s->err = EAGAIN;
		c->moved = 1;
		break;
	default:
		s->how = H_FAILED;
		s->err = errno8(p->err);
		break;
	}
}

/* Closes the batch's fds; what was not counted stays unresolved, with
 * e (-errno, or 0) as the reason. */
static void drop_batch(struct ctx *c, int e)
{
	size_t i;

	for (i = 0; i < c->nbatch; i++) {
		struct proc *p = &c->batch[i];
		struct seen *s = seen_get(c, p->pid);

		if (e < 0 && s && s->how == H_OPEN && !s->err)
			s->err = errno8(-e);
		close(p->pidfd);
		if (p->procfd >= 0)
			close(p->procfd);
	}
	c->nbatch = 0;
}

/*
 * The batch's pidfds are open: keep the pids dirfd still lists (a pid not
 * listed exited, or left the cgroup), measure, order, kill, count, close.
 * The read takes the fd kept in reserve, so that a batch that took every
 * other fd can still make it.
 */
static int finish_batch(struct ctx *c, int dirfd)
{
	pid_t *now;
	size_t n, i;
	int e;

	reserve_drop(c);
	e = list_pids(dirfd, 0, &now, &n);
	if (e < 0 && !removed(e))
		return e;
	if (e < 0)
		n = 0;
	if (n)
		qsort(now, n, sizeof(*now), cmp_pid);
	for (i = 0; i < c->nbatch; i++) {
		struct proc *p = &c->batch[i];
		struct mr_pidref ref = MR_PIDREF(p->pidfd, p->pid);

		if (!n || !bsearch(&p->pid, now, n, sizeof(*now), cmp_pid)) {
			p->state = pidfd_exited(p->pidfd) ? S_GONE : S_MOVED;
			continue;
		}
		if (c->proc_ours)
			p->size = resident(p->pid);
		if (!(c->flags & MRELEASE_MEASURE) || !c->proc_ours)
			continue;
		p->procfd = mr_pidref_proc_dir(&ref);
		if (p->procfd >= 0 && mr_read_rss(p->procfd, &p->before) == 0)
			p->measured = 1;
	}
	free(now);
	qsort(c->batch, c->nbatch, sizeof(c->batch[0]), larger_first);
	n = c->nbatch;
	while (c->nbatch && (c->batch[c->nbatch - 1].state == S_GONE ||
			     c->batch[c->nbatch - 1].state == S_MOVED))
		c->nbatch--;
	run_batch(c);
	c->nbatch = n;
	for (i = 0; i < c->nbatch; i++)
		count(c, &c->batch[i]);
	drop_batch(c, 0);
	reserve_take(c);
	return 0;
}

/* mr_cg_walk()'s visit for the kill walk. */
static int kill_dir(int dirfd, const char *path, unsigned int depth,
		    void *arg)
{
	struct ctx *c = arg;
	pid_t *pids;
	size_t n, i, k;
	ssize_t add;
	int e = list_pids(dirfd, 1, &pids, &n);

	if (e < 0)
		return removed(e) ? 0 : e;
	for (i = k = 0; i < n; i++) {
		if (pids[i] == 0) {
			/* A process of an ancestor pid namespace: no pidfd
			 * can name it (cgroup.kill can).  Counted once, in
			 * the first walk. */
			if (c->round == 0)
				c->zeros++;
			continue;
		}
		if (pids[i] != c->self)
			pids[k++] = pids[i];
	}
	n = k;
	sort_unique(pids, &n);
	add = seen_merge(c, pids, n, H_OPEN, 0);
	if (add < 0)
		e = (int)add;
	else if (add)
		c->found_new = 1;
	for (i = 0; i < n && e == 0; i++) {
		struct seen *s = seen_get(c, pids[i]);
		struct proc *p;
		int fd;

		/* Counted already; only one unresolved is tried again. */
		if (!s || (s->how != H_OPEN && s->how != H_MOVED))
			continue;
		fd = mrelease_pidfd_open(pids[i], 0);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE) &&
		    c->nbatch) {
			/* Out of fds: finish this batch (its read takes the
			 * fd in reserve), then try again. */
			e = finish_batch(c, dirfd);
			if (e < 0)
				break;
			fd = mrelease_pidfd_open(pids[i], 0);
		}
		if (fd < 0) {
			/* ESRCH: it exited since the read.  Else no pidfd
			 * can name it: left to cgroup.kill, if any. */
			s->how = errno == ESRCH ? H_GONE : H_OPEN;
			s->err = errno == ESRCH ? 0 : errno8(errno);
			continue;
		}
		s->how = H_OPEN;
		s->err = 0;
		p = &c->batch[c->nbatch++];
		memset(p, 0, sizeof(*p));
		p->pid = pids[i];
		p->pidfd = fd;
		p->procfd = -1;
		if (c->nbatch == MR_BATCH)
			e = finish_batch(c, dirfd);
	}
	free(pids);
	if (e == 0 && c->nbatch)
		e = finish_batch(c, dirfd);
	/* Do not leave pidfds of this cgroup in the batch. */
	if (e < 0)
		drop_batch(c, e);
	(void)path;
	(void)depth;
	return e;
}

/* ---- survey, roll call and verification ----------------------------- */

struct census {
	pid_t self;
	int self_inside;
	unsigned int others;	/* pids listed but the caller's */
	unsigned int zeros;	/* of them, listed as 0 */
	int collect;		/* a roll call: every pid but 0 and ours */
	pid_t *pids;
	size_t n, cap;
};

static int census_dir(int dirfd, const char *path, unsigned int depth,
		      void *arg)
{
	struct census *s = arg;
	pid_t *pids;
	size_t n, i;
	int e = list_pids(dirfd, 0, &pids, &n);

	if (e < 0)
		return removed(e) ? 0 : e;
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

static int census(int top, pid_t self, struct census *s)
{
	memset(s, 0, sizeof(*s));
	s->self = self;
	return mr_cg_walk(top, census_dir, s);
}

/* Every pid the subtree lists now but the caller's, sorted (s->pids, to
 * free), and the number listed as 0.  Takes the fd in reserve: it then
 * needs no more fds than the survey did.  0 or -errno. */
static int roll_call(struct ctx *c, struct census *s)
{
	int e;

	reserve_drop(c);
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
	sort_unique(s->pids, &s->n);
	return 0;
}

/* cgroup.kill was written after the roll call: what it listed is dead,
 * killed through a pidfd or by cgroup.kill; what was found, not killed,
 * and is no longer listed is gone. */
static void mark_killfile(struct ctx *c, struct seen *s, int listed)
{
	if (!listed) {
		if (s->how == H_OPEN || s->how == H_MOVED)
			s->how = H_GONE;
		return;
	}
	switch (s->how) {
	case H_OPEN:
	case H_MOVED:
	case H_FAILED:
		s->how = H_FILE;
		if (!s->err)
			s->err = c->why;
		break;
	case H_GONE:
		/* Gone, and its pid listed again: a new process. */
		c->more_killed++;
		break;
	}
}

/* No cgroup.kill: what the last roll call lists and no pidfd killed
 * failed; what was found and is no longer listed is gone. */
static void mark_final(struct ctx *c, struct seen *s, int listed)
{
	if (!listed) {
		if (s->how == H_OPEN || s->how == H_MOVED)
			s->how = H_GONE;
		return;
	}
	switch (s->how) {
	case H_OPEN:
	case H_MOVED:
		s->how = H_FAILED;
		if (!s->err)
			s->err = c->why;
		break;
	case H_GONE:
		c->more_failed++;
		break;
	}
}

/* The wait timed out: whoever is still listed failed. */
static void mark_survivor(struct ctx *c, struct seen *s, int listed)
{
	(void)c;
	if (listed && s->how != H_FAILED) {
		s->how = H_FAILED;
		s->err = ETIMEDOUT;
	}
}

/* Whether the table holds a process neither counted nor left to a roll
 * call yet. */
static int unresolved(const struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (c->seen[i].how == H_OPEN || c->seen[i].how == H_MOVED)
			return 1;
	return 0;
}

/* The counts, from the table: each process once. */
static void tally(struct ctx *c)
{
	int nre = c->not_reaped_errno, ferr = 0;
	size_t i;

	c->r.killed = c->more_killed;
	c->r.gone = c->more_gone;
	c->r.failed = c->more_failed;
	for (i = 0; i < c->nseen; i++) {
		const struct seen *s = &c->seen[i];

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
static int wait_empty(struct ctx *c, int top, int timeout_ms)
{
	uint64_t end = mr_now_ns() + (uint64_t)timeout_ms * 1000000u;
	struct timespec pause = { 0, 100000 };
	struct census s;
	int e;

	if (!c->self_inside) {
		e = mr_cg_wait_empty(top, timeout_ms);
		/* No cgroup.events (a kernel before 4.5, or a test's fake
		 * tree): count instead. */
		if (e != -ENOENT)
			return e;
	}
	for (;;) {
		e = census(top, c->self, &s);
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

/* ---- the calls ------------------------------------------------------ */

/*
 * 4. cgroup.kill, after a roll call, when the walk has run (e: how it
 * ended).  0 when cgroup.kill was written (what the roll call listed is
 * counted), 1 when it could not be, or -errno (the count is then
 * incomplete: the roll call failed, or memory ran out).
 */
static int sweep(struct ctx *c, int e)
{
	struct census rc;
	int er = roll_call(c, &rc);
	unsigned char why = e < 0 ? errno8(-e) : EAGAIN;
	size_t i;

	c->why = why;
	if (mr_write_at(c->top, "cgroup.kill", "1") < 0) {
		free(rc.pids);
		return 1;
	}
	c->r.status |= MRELEASE_KILLFILE;
	if (!c->t0)
		c->t0 = mr_now_ns();
	if (er == 0)
		er = settle(c, rc.pids, rc.n, mark_killfile, H_FILE, why);
	if (er == 0) {
		/* Those listed as 0: the roll call's are killed; the walk
		 * found more, they left. */
		c->more_killed += rc.zeros;
		if (c->zeros > rc.zeros)
			c->more_gone += c->zeros - rc.zeros;
	}
	free(rc.pids);
	if (er < 0) {
		/* Who was listed is not known: what the walk found and did
		 * not kill was killed by cgroup.kill, or left. */
		for (i = 0; i < c->nseen; i++) {
			struct seen *s = &c->seen[i];

			if (s->how == H_OPEN || s->how == H_MOVED) {
				s->how = H_FILE;
				if (!s->err)
					s->err = why;
			}
		}
		c->more_killed += c->zeros;
	}
	return er;
}

/* No cgroup.kill: what the walks could not kill is counted failed when
 * still listed, gone when not (e: how the walks ended).  0 or -errno. */
static int settle_final(struct ctx *c, int e)
{
	struct census rc;
	unsigned char why = e < 0 ? errno8(-e) : EAGAIN;
	size_t i;
	int er;

	if (e == 0 && !c->zeros && !unresolved(c))
		return 0;
	c->why = why;
	er = roll_call(c, &rc);
	if (er == 0)
		er = settle(c, rc.pids, rc.n, mark_final, H_FAILED, why);
	if (er == 0) {
		c->more_failed += rc.zeros;
		if (c->zeros > rc.zeros)
			c->more_gone += c->zeros - rc.zeros;
	}
	free(rc.pids);
	if (er < 0) {
		for (i = 0; i < c->nseen; i++) {
			struct seen *s = &c->seen[i];

			if (s->how == H_OPEN || s->how == H_MOVED) {
				s->how = H_FAILED;
				if (!s->err)
					s->err = why;
			}
		}
		c->more_failed += c->zeros;
	}
	return er;
}

/* 5. The wait timed out: who is still listed failed (the killed among
 * them move to failed).  0 or -errno. */
static int settle_survivors(struct ctx *c)
{
	struct census rc;
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

/* The whole call on the open cgroup top, into r (full size). */
static int cgroup_run(int top, int sig, int reap, unsigned int flags,
		      const struct mr_attr *attr, struct mrelease_result *r)
{
	struct ctx *c;
	struct census s;
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
	e = census(top, c->self, &s);
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
		e = pool_new(c, threads);
		if (e < 0)
			goto out;
	}

	/* An fd in reserve: with every other fd a pidfd, the batch can still
	 * read cgroup.procs. */
	reserve_take(c);

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
		reserve_take(c);
		e = mr_cg_walk(top, kill_dir, c);
		if (killfile) {
			er = sweep(c, e);
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
		er = settle_final(c, e);
	reserve_drop(c);

	/* 5. Thaw, then verify. */
	if (frozen == 0)
		mr_write_at(top, "cgroup.freeze", "0");
	tally(c);
	/* Waiting is for the killed to exit; with one known alive, the
	 * subtree will not empty. */
	if (reap && !e && !c->r.failed) {
		e = wait_empty(c, top, wait_ms);
		if (e == -ETIMEDOUT) {
			settle_survivors(c);
			tally(c);
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
	reserve_drop(c);
	pool_free(c->pool);
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
