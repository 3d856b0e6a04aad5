/*
 * reaper.c - the asynchronous reaper: worker threads, a bounded queue, and
 * an eventfd that is readable while completions wait
 *
 * SPDX-License-Identifier: MIT
 *
 * Every submission is one node: allocated by submit() (which dup()s the
 * pidfd) or submit_cgroup() (which opens the cgroup), queued, taken by a
 * worker, killed and reaped, then moved to the completion list and counted
 * on the eventfd (EFD_SEMAPHORE: one read per completion).  Workers block
 * every signal, and run with the settings of the reaper's attributes (or
 * its creator's).  destroy() lets the workers finish everything
 * submitted, then frees all.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "internal.h"

#define MR_MAX_THREADS 64
#define MR_DEFAULT_QUEUE 64
#define MR_MAX_QUEUE 65536

#ifdef MRELEASE_TESTING
void (*mr_test_reaper_job)(void);
#endif

struct node {
	struct node *next;
	int pidfd;	/* the process, or -1 */
	int cgfd;	/* or the cgroup, or -1 */
	unsigned int flags;
	struct mrelease_completion c;
};

struct mrelease_reaper {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* a job was queued, or stopping */
	unsigned int nthreads;
	unsigned int started;
	unsigned int limit;		/* threads + queue */
	unsigned int outstanding;	/* queued + running */
	int stopping;
	struct node *qhead, *qtail;	/* submitted, not yet taken */
	struct node *chead, *ctail;	/* completed, not yet read */
	int efd;
	pthread_t *threads;
	struct mr_attr job;	/* what a cgroup job's kill takes: the wait */
};

static void *worker(void *arg)
{
	struct mrelease_reaper *rp = arg;
	static const uint64_t one = 1;

	pthread_mutex_lock(&rp->lock);
	for (;;) {
		struct node *n;
		struct mrelease_result r;
		struct mr_pidref ref;
		ssize_t w;

		while (!rp->qhead && !rp->stopping)
			pthread_cond_wait(&rp->work, &rp->lock);
		n = rp->qhead;
		if (!n)
			break;	/* stopping and drained */
		rp->qhead = n->next;
		if (!rp->qhead)
			rp->qtail = NULL;
		pthread_mutex_unlock(&rp->lock);

#ifdef MRELEASE_TESTING
		if (mr_test_reaper_job)
			mr_test_reaper_job();
#endif
		memset(&r, 0, sizeof(r));
		if (n->cgfd >= 0) {
			/* The kill's helpers inherit this worker's settings. */
			n->c.error = -mr_cgroup_kill(n->cgfd, n->flags,
						     &rp->job, &r);
			close(n->cgfd);
			n->cgfd = -1;
		} else {
			ref = MR_PIDREF(n->pidfd, 0);
			n->c.error = -mr_kill_pidref(&ref, n->flags, 0, 0, &r);
			close(n->pidfd);
			n->pidfd = -1;
		}
		n->c.result = r;
		n->next = NULL;

		pthread_mutex_lock(&rp->lock);
		rp->outstanding--;
		if (rp->ctail)
			rp->ctail->next = n;
		else
			rp->chead = n;
		rp->ctail = n;
		do
			w = write(rp->efd, &one, sizeof(one));
		while (w < 0 && errno == EINTR);
	}
	pthread_mutex_unlock(&rp->lock);
	return NULL;
}

static void free_list(struct node *n)
{
	while (n) {
		struct node *next = n->next;

		if (n->pidfd >= 0)
			close(n->pidfd);
		if (n->cgfd >= 0)
			close(n->cgfd);
		free(n);
		n = next;
	}
}

static void stop_and_free(struct mrelease_reaper *rp)
{
	mr_threads_stop(&rp->lock, &rp->work, &rp->stopping, rp->threads,
			rp->started);
	/* With no worker started, queued nodes still hold their fds. */
	free_list(rp->qhead);
	free_list(rp->chead);
	if (rp->efd >= 0)
		close(rp->efd);
	pthread_cond_destroy(&rp->work);
	pthread_mutex_destroy(&rp->lock);
	free(rp->threads);
	free(rp);
}

/* A reaper of `threads` workers (all started, with the settings of a)
 * and the queue: 0 with *out set, or -errno. */
static int reaper_create(unsigned int threads, unsigned int queue,
			 const struct mr_attr *a, struct mrelease_reaper **out)
{
	struct mrelease_reaper *rp;
	int e = 0;

	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return -ENOMEM;
	rp->efd = -1;
	rp->nthreads = threads;
	rp->limit = threads + queue;
	if (a) {
		rp->job.mask = a->mask & MRELEASE_ATTR_TIMEOUT;
		rp->job.timeout_ms = a->timeout_ms;
	}
	if (pthread_mutex_init(&rp->lock, NULL)) {
		free(rp);
		return -ENOMEM;
	}
	if (pthread_cond_init(&rp->work, NULL)) {
		pthread_mutex_destroy(&rp->lock);
		free(rp);
		return -ENOMEM;
	}
	rp->threads = calloc(threads, sizeof(*rp->threads));
	if (!rp->threads) {
		stop_and_free(rp);
		return -ENOMEM;
	}
	rp->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
	if (rp->efd < 0) {
		e = -errno;
		stop_and_free(rp);
		return e;
	}
	for (; rp->started < threads; rp->started++) {
		e = mr_thread_start(&rp->threads[rp->started],
				    mr_attr_sets_thread(a) ? a : NULL, worker,
				    rp);
		if (e)
			break;
	}
	if (e) {
		stop_and_free(rp);
		return e;
	}
	*out = rp;
	return 0;
}

MRELEASE_EXPORT struct mrelease_reaper *
mrelease_reaper_new(unsigned int threads, unsigned int queue,
		    unsigned int flags)
{
	struct mrelease_reaper *rp = NULL;
	int e;

	if (flags || threads > MR_MAX_THREADS || queue > MR_MAX_QUEUE) {
		errno = EINVAL;
		return NULL;
	}
	e = reaper_create(threads ? threads : mr_default_threads(),
			  queue ? queue : MR_DEFAULT_QUEUE, NULL, &rp);
	if (e < 0) {
		errno = -e;
		return NULL;
	}
	return rp;
}

MRELEASE_EXPORT struct mrelease_reaper *
mrelease_reaper_new_attr(unsigned int queue, unsigned int flags,
			 const struct mrelease_attr *attr, size_t attr_size)
{
	struct mrelease_reaper *rp = NULL;
	struct mr_attr a;
	unsigned int threads = 0;
	int e;

	if (flags || queue > MR_MAX_QUEUE) {
		errno = EINVAL;
		return NULL;
	}
	e = mr_attr_from(attr, attr_size, &a);
	if (e == 0 && (a.mask & MRELEASE_ATTR_THREADS)) {
		threads = a.threads;
		if (threads > MR_MAX_THREADS)
			e = -EINVAL;
	}
	if (e == 0)
		e = reaper_create(threads ? threads : mr_default_threads(),
				  queue ? queue : MR_DEFAULT_QUEUE, &a, &rp);
	mr_attr_free(&a);
	if (e < 0) {
		errno = -e;
		return NULL;
	}
	return rp;
}

MRELEASE_EXPORT int mrelease_reaper_fd(const struct mrelease_reaper *reaper)
{
	if (!reaper)
		return mr_errno(-EINVAL);
	return reaper->efd;
}

/* Takes a slot of the queue: 0, or -EAGAIN when full. */
static int reserve(struct mrelease_reaper *rp)
{
	int e = 0;

	pthread_mutex_lock(&rp->lock);
	if (rp->outstanding >= rp->limit)
		e = -EAGAIN;
	else
		rp->outstanding++;
	pthread_mutex_unlock(&rp->lock);
	return e;
}

static void unreserve(struct mrelease_reaper *rp)
{
	pthread_mutex_lock(&rp->lock);
	rp->outstanding--;
	pthread_mutex_unlock(&rp->lock);
}

/* Queues a job in a reserved slot; the job owns its fds from now on. */
static int enqueue(struct mrelease_reaper *rp, int pidfd, int cgfd,
		   uint64_t cookie, unsigned int flags)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		unreserve(rp);
		return -ENOMEM;
	}
	n->pidfd = pidfd;
	n->cgfd = cgfd;
	n->flags = flags;
	n->c.cookie = cookie;
	pthread_mutex_lock(&rp->lock);
	if (rp->qtail)
		rp->qtail->next = n;
	else
		rp->qhead = n;
	rp->qtail = n;
	pthread_cond_signal(&rp->work);
	pthread_mutex_unlock(&rp->lock);
	return 0;
}

MRELEASE_EXPORT int mrelease_reaper_submit(struct mrelease_reaper *reaper,
					   int pidfd, uint64_t cookie,
					   unsigned int flags)
{
	int fd, e;

	if (!reaper || (flags & ~MR_KNOWN_FLAGS))
		return mr_errno(-EINVAL);
	if (pidfd < 0)
		return mr_errno(-EBADF);
	/* The slot first: the dup and malloc happen outside the lock. */
	e = reserve(reaper);
	if (e < 0)
		return mr_errno(e);
	fd = fcntl(pidfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		e = -errno;
		unreserve(reaper);
		return mr_errno(e);
	}
	e = enqueue(reaper, fd, -1, cookie, flags);
	if (e < 0)
		close(fd);
	return mr_errno(e);
}

MRELEASE_EXPORT int mrelease_reaper_submit_cgroup(struct mrelease_reaper *reaper,
						  int dirfd, const char *path,
						  uint64_t cookie,
						  unsigned int flags)
{
	int fd, e;

	if (!reaper || (flags & ~MR_KNOWN_FLAGS))
		return mr_errno(-EINVAL);
	e = reserve(reaper);
	if (e < 0)
		return mr_errno(e);
	fd = mr_cgroup_open(dirfd, path);
	if (fd < 0) {
		unreserve(reaper);
		return mr_errno(fd);
	}
	e = enqueue(reaper, -1, fd, cookie, flags);
	if (e < 0)
		close(fd);
	return mr_errno(e);
}

MRELEASE_EXPORT int mrelease_reaper_read(struct mrelease_reaper *reaper,
					 struct mrelease_completion *completion,
					 size_t size)
{
	struct node *n;
	uint64_t v;
	ssize_t r;

	if (!reaper || mr_struct_check(completion, size,
				       MRELEASE_COMPLETION_SIZE_VER0, 0) < 0)
		return mr_errno(-EINVAL);
	pthread_mutex_lock(&reaper->lock);
	n = reaper->chead;
	if (!n) {
		pthread_mutex_unlock(&reaper->lock);
		return mr_errno(-EAGAIN);
	}
	reaper->chead = n->next;
	if (!reaper->chead)
		reaper->ctail = NULL;
	/* One completion, one count: the fd stays readable exactly while
	 * completions wait. */
	do
		r = read(reaper->efd, &v, sizeof(v));
	while (r < 0 && errno == EINTR);
	pthread_mutex_unlock(&reaper->lock);

	mr_result_copy(completion, size, &n->c, sizeof(n->c));
	free(n);
	return 0;
}

MRELEASE_EXPORT void mrelease_reaper_destroy(struct mrelease_reaper *reaper)
{
	if (reaper)
		stop_and_free(reaper);
}
