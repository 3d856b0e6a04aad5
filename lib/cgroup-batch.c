/*
 * cgroup-batch.c - the cgroup kill's walk: batches of pidfds, killed and
 * reaped on the worker threads
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* What became of a process of a batch. */
enum { S_KILLED = 1, S_GONE, S_MOVED, S_FAILED };

/* ---- the worker threads --------------------------------------------- */

struct cg_pool {
	pthread_mutex_t lock;
	pthread_cond_t go, done;
	pthread_t tid[255];
	unsigned int started;
	unsigned int gen;	/* one per batch */
	unsigned int busy;	/* helpers still on this batch */
	int stop;
	struct cg_kill *c;
	size_t next;		/* the next item of the batch (atomic) */
};

static void work_one(struct cg_kill *c, struct cg_proc *p)
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
	if (!c->reap)
		return;
	mr_reap_one(p->pidfd, p->measured ? p->procfd : -1,
		    p->measured ? &p->before : NULL, &p->r);
	if (p->r.reap_errno == ESRCH) {
		struct mr_pidref ref = MR_PIDREF(p->pidfd, p->pid);

		mr_hasten_exit(&ref);
	}
}

static void work_batch(struct cg_pool *pl, struct cg_kill *c)
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
	struct cg_pool *pl = arg;
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
int mr_cgk_pool_new(struct cg_kill *c, unsigned int threads)
{
	unsigned int want = c->caller_works ? threads - 1 : threads;
	struct cg_pool *pl;
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

void mr_cgk_pool_free(struct cg_pool *pl)
{
	if (!pl)
		return;
	mr_threads_stop(&pl->lock, &pl->go, &pl->stop, pl->tid, pl->started);
	pthread_cond_destroy(&pl->done);
	pthread_cond_destroy(&pl->go);
	pthread_mutex_destroy(&pl->lock);
	free(pl);
}

/* Kill (or signal) every process of the batch, on every worker. */
static void run_batch(struct cg_kill *c)
{
	struct cg_pool *pl = c->pool;

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
	const struct cg_proc *x = a, *y = b;
	int gx = x->state == S_GONE || x->state == S_MOVED;
	int gy = y->state == S_GONE || y->state == S_MOVED;

	if (gx != gy)
		return gx - gy;
	return (x->size < y->size) - (x->size > y->size);
}

/* The fd kept in reserve, taken again (it may fail: then there is none)
 * or given back for a read. */
void mr_cgk_reserve_take(struct cg_kill *c)
{
	if (c->reserve < 0)
		c->reserve = fcntl(c->top, F_DUPFD_CLOEXEC, 3);
}

void mr_cgk_reserve_drop(struct cg_kill *c)
{
	if (c->reserve >= 0)
		close(c->reserve);
	c->reserve = -1;
}

/* What became of a process of a batch, into its entry, once. */
static void count(struct cg_kill *c, struct cg_proc *p)
{
	struct cg_seen *s = mr_cgk_seen_get(c, p->pid);

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
		s->err = mr_cgk_errno8(p->err);
		break;
	}
}

/* Closes the batch's fds; what was not counted stays unresolved, with
 * e (-errno, or 0) as the reason. */
static void drop_batch(struct cg_kill *c, int e)
{
	size_t i;

	for (i = 0; i < c->nbatch; i++) {
		struct cg_proc *p = &c->batch[i];
		struct cg_seen *s = mr_cgk_seen_get(c, p->pid);

		if (e < 0 && s && s->how == H_OPEN && !s->err)
			s->err = mr_cgk_errno8(-e);
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
static int finish_batch(struct cg_kill *c, int dirfd)
{
	pid_t *now;
	size_t n, i;
	int e;

	mr_cgk_reserve_drop(c);
	e = mr_cgk_list_pids(dirfd, 0, &now, &n);
	if (e < 0 && !mr_cgk_removed(e))
		return e;
	if (e < 0)
		n = 0;
	if (n)
		qsort(now, n, sizeof(*now), mr_cgk_cmp_pid);
	for (i = 0; i < c->nbatch; i++) {
		struct cg_proc *p = &c->batch[i];
		struct mr_pidref ref = MR_PIDREF(p->pidfd, p->pid);

		if (!n || !bsearch(&p->pid, now, n, sizeof(*now),
				   mr_cgk_cmp_pid)) {
			p->state = mr_pidfd_exited(p->pidfd) == 1 ? S_GONE : S_MOVED;
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
	mr_cgk_reserve_take(c);
	return 0;
}

/* mr_cg_walk()'s visit for the kill walk. */
int mr_cgk_kill_dir(int dirfd, const char *path, unsigned int depth,
		    void *arg)
{
	struct cg_kill *c = arg;
	pid_t *pids;
	size_t n, i, k;
	ssize_t add;
	int e = mr_cgk_list_pids(dirfd, 1, &pids, &n);

	if (e < 0)
		return mr_cgk_removed(e) ? 0 : e;
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
	mr_cgk_sort_unique(pids, &n);
	add = mr_cgk_seen_merge(c, pids, n, H_OPEN, 0);
	if (add < 0)
		e = (int)add;
	else if (add)
		c->found_new = 1;
	for (i = 0; i < n && e == 0; i++) {
		struct cg_seen *s = mr_cgk_seen_get(c, pids[i]);
		struct cg_proc *p;
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
			s->err = errno == ESRCH ? 0 : mr_cgk_errno8(errno);
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
