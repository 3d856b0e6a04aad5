/*
 * thread.c - the library's own threads, as the caller wants them
 *
 * SPDX-License-Identifier: MIT
 *
 * The reaper's workers and the cgroup kill's helpers run the reaps, and a
 * reap runs "with the CPU affinity and priority of the caller": by default
 * a thread inherits its creator's scheduling policy and priority, nice
 * value and CPU affinity, and struct mrelease_attr can set them instead.
 * A thread applies them itself, first thing, and reports back before its
 * creator returns, so that a setting the system refuses (EPERM for
 * SCHED_FIFO without the privilege, EINVAL for CPUs that are not there)
 * fails the call that asked for it, not some later reap.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define MR_MAX_CPUSET 8192	/* bytes: 65536 CPUs */

#ifdef MRELEASE_TESTING
void (*mr_test_thread_start)(void);
#endif

int mr_attr_from(const struct mrelease_attr *a, size_t size,
		 struct mr_attr *out)
{
	struct mrelease_attr in;
	int min, max;

	memset(out, 0, sizeof(*out));
	if (!a && !size)
		return 0;
	if (!a || mr_struct_check(a, size, MRELEASE_ATTR_SIZE_VER0, 0) < 0)
		return -EINVAL;
	/* Fields beyond what this release knows must be zero. */
	if (size > sizeof(in)) {
		const unsigned char *p = (const unsigned char *)a + sizeof(in);
		size_t i;

		for (i = 0; i < size - sizeof(in); i++)
			if (p[i])
				return -E2BIG;
	}
	memset(&in, 0, sizeof(in));
	memcpy(&in, a, size < sizeof(in) ? size : sizeof(in));
	if (in.mask & ~MR_ATTR_KNOWN)
		return -EINVAL;
	out->mask = in.mask;
	if (in.mask & MRELEASE_ATTR_THREADS) {
		if (in.threads < 1 || in.threads > 255)
			return -EINVAL;
		out->threads = in.threads;
	}
	if (in.mask & MRELEASE_ATTR_TIMEOUT)
		out->timeout_ms = in.timeout_ms;
	if (in.mask & MRELEASE_ATTR_NICE) {
		if (in.nice < -20 || in.nice > 19)
			return -EINVAL;
		out->nice = in.nice;
	}
	if (in.mask & MRELEASE_ATTR_SCHED) {
		switch (in.policy) {
		case SCHED_OTHER:
		case SCHED_BATCH:
		case SCHED_IDLE:
		case SCHED_FIFO:
		case SCHED_RR:
			break;
		default:
			return -EINVAL;
		}
		min = sched_get_priority_min(in.policy);
		max = sched_get_priority_max(in.policy);
		if (in.priority < min || in.priority > max)
			return -EINVAL;
		out->policy = in.policy;
		out->priority = in.priority;
	}
	if (in.mask & MRELEASE_ATTR_CPUS) {
		if (!in.cpuset || !in.cpuset_size ||
		    in.cpuset_size > MR_MAX_CPUSET)
			return -EINVAL;
		out->cpuset = malloc((size_t)in.cpuset_size);
		if (!out->cpuset)
			return -ENOMEM;
		/* The caller's pointer, carried as an integer so that the
		 * struct is the same on every ABI (clone3's way). */
		memcpy(out->cpuset,
		       (const void *)(uintptr_t)in.cpuset, /* NOLINT(performance-no-int-to-ptr) */
		       (size_t)in.cpuset_size);
		out->cpuset_size = (size_t)in.cpuset_size;
	}
	return 0;
}

void mr_attr_free(struct mr_attr *a)
{
	free(a->cpuset);
	a->cpuset = NULL;
}

int mr_attr_copy(struct mr_attr *dst, const struct mr_attr *src)
{
	*dst = *src;
	if (!src->cpuset)
		return 0;
	dst->cpuset = malloc(src->cpuset_size);
	if (!dst->cpuset)
		return -ENOMEM;
	memcpy(dst->cpuset, src->cpuset, src->cpuset_size);
	return 0;
}

int mr_attr_sets_thread(const struct mr_attr *a)
{
	return a && (a->mask & (MRELEASE_ATTR_CPUS | MRELEASE_ATTR_SCHED |
				MRELEASE_ATTR_NICE));
}

/* Applies a to the calling thread: 0 or -errno. */
static int apply(const struct mr_attr *a)
{
	if (!a)
		return 0;
	if ((a->mask & MRELEASE_ATTR_CPUS) &&
	    sched_setaffinity(0, a->cpuset_size, a->cpuset) < 0)
		return -errno;
	/* This thread alone, and on musl too (mr_sched_set()). */
	if ((a->mask & MRELEASE_ATTR_SCHED) &&
	    mr_sched_set(a->policy, a->priority) < 0)
		return -errno;
	/* The nice value is per thread too: PRIO_PROCESS of a thread id. */
	if ((a->mask & MRELEASE_ATTR_NICE) &&
	    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), a->nice) < 0)
		return -errno;
	return 0;
}

/* On the creator's stack until the thread has posted ready: after its
 * sem_post() the thread touches none of it (a condition variable cannot
 * promise that: its unlock may still be running when the creator goes). */
struct start {
	sem_t ready;
	const struct mr_attr *attr;
	void *(*fn)(void *);
	void *arg;
	int err;
};

static void *trampoline(void *p)
{
	struct start *s = p;
	void *(*fn)(void *) = s->fn;
	void *arg = s->arg;
	int e = apply(s->attr);

#ifdef MRELEASE_TESTING
	if (!e && mr_test_thread_start)
		mr_test_thread_start();
#endif
	s->err = e;
	sem_post(&s->ready);
	return e ? NULL : fn(arg);
}

int mr_thread_start(pthread_t *t, const struct mr_attr *a,
		    void *(*fn)(void *), void *arg)
{
	struct start s;
	sigset_t all, old;
	int e;

	memset(&s, 0, sizeof(s));
	s.attr = a;
	s.fn = fn;
	s.arg = arg;
	if (sem_init(&s.ready, 0, 0) < 0)
		return -errno;
	/* The library's threads take no signal of the caller's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(t, NULL, trampoline, &s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e == 0) {
		while (sem_wait(&s.ready) < 0 && errno == EINTR)
			;
		e = s.err;
		if (e)
			pthread_join(*t, NULL);
	} else {
		e = -e;
	}
	sem_destroy(&s.ready);
	return e;
}

void mr_threads_stop(pthread_mutex_t *lock, pthread_cond_t *cond,
		     int *stop, pthread_t *t, unsigned int n)
{
	unsigned int i;

	pthread_mutex_lock(lock);
	*stop = 1;
	pthread_cond_broadcast(cond);
	pthread_mutex_unlock(lock);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}
