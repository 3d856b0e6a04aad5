/*
 * internal.h - the one header of lib/'s own files; never installed
 *
 * SPDX-License-Identifier: MIT
 *
 * Conventions: every function here returns -errno on failure (or says
 * otherwise); only the exported functions (MRELEASE_EXPORT) set errno, once,
 * on their way out.  The short mr_ names are bound to mrelease__ link names
 * in shared/symbols.h.
 */
#ifndef MRELEASE_INTERNAL_H
#define MRELEASE_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "mrelease.h"
#include "symbols.h"
#include "cgroup.h"
#include "missing.h"
#include "procparse.h"
#include "util.h"

/* Every exported function is marked; everything else is hidden by
 * -fvisibility=hidden, and lib/libmrelease.map lists the exports again. */
#define MRELEASE_EXPORT __attribute__((visibility("default")))

/* Sets errno from a -errno result r (< 0) and returns -1; returns r as it
 * is when it is >= 0.  The exported functions end with it. */
static inline int mr_errno(int r)
{
	if (r >= 0)
		return r;
	errno = -r;
	return -1;
}

/* Every flag bit this release knows. */
#define MR_KNOWN_FLAGS (MRELEASE_MEASURE | MRELEASE_NO_KILLFILE | \
			MRELEASE_NO_FALLBACK | MRELEASE_NO_FREEZE | \
			MRELEASE_THREADS_MASK)
/* How often EINTR/EAGAIN is retried. */
#define MR_RETRIES 8
/* The largest result or completion size accepted (a page, as clone3). */
#define MR_MAX_STRUCT_SIZE 4096

/* ---- result.c: the result and its size contract ------------------------ */

/* 0 when (p, size) is acceptable for a struct whose first version is min
 * bytes (NULL with size 0 is, when null_ok), else -EINVAL. */
int mr_struct_check(const void *p, size_t size, size_t min, int null_ok);
/* The same for a struct mrelease_result. */
int mr_result_check(const void *result, size_t size);
/* Copies the library's struct into the caller's, zeroing any tail. */
void mr_result_copy(void *dst, size_t size, const void *src, size_t src_size);

/* ---- proc.c: a process reference, as systemd's PidRef ------------------- */

/*
 * A process as the library holds it: its pidfd (or -1 where pidfds are
 * missing) and its pid, read at most once.  pid is 0 until known; reading
 * it asks PIDFD_GET_INFO (Linux 6.13) first and /proc/self/fdinfo after.
 */
struct mr_pidref {
	int fd;
	pid_t pid;	/* > 0 known, 0 not yet read, -1 cannot be known */
};
#define MR_PIDREF(pidfd, p) ((struct mr_pidref){ .fd = (pidfd), .pid = (p) })

/* The pid of ref (> 0), or 0 when it cannot be known: a process outside
 * our pid namespace, or one already waited for. */
pid_t mr_pidref_pid(struct mr_pidref *ref);
/* 1 while the process behind ref->fd still holds its pid (alive, or a
 * zombie not yet waited for), else 0. */
int mr_pidref_alive(const struct mr_pidref *ref);
/* 1 when pidfd polls readable (its process has exited), 0 when not,
 * -1 when poll(2) fails. */
int mr_pidfd_exited(int pidfd);
/* /proc/<pid> of ref, opened and then confirmed through the pidfd to be
 * the same process: an fd, or -errno. */
int mr_pidref_proc_dir(struct mr_pidref *ref);
/* 1 when /proc is mounted and is the procfs of the caller's pid namespace
 * (/proc/self names getpid()); else 0, and nothing of /proc is to be
 * trusted: /proc/<n> would name another process, or none. */
int mr_proc_is_ours(void);

/* RssAnon, RssFile and RssShmem of the process whose /proc directory is
 * procfd: 0, or -errno (-ENODATA past exit_mm(), which has none). */
struct mr_rss {
	uint64_t anon, file, shmem;	/* bytes */
};
int mr_read_rss(int procfd, struct mr_rss *rss);

/* ---- kill.c: the kill of one process ------------------------------------ */

/* pidfd_send_signal / process_mrelease with the bounded EINTR/EAGAIN
 * retry: 0 or -errno. */
int mr_signal(int pidfd, int sig);
int mr_reap(int pidfd);

/*
 * The reap half of a kill, for one process already SIGKILLed:
 * process_mrelease, then the after-measurement when procfd >= 0.  Sets
 * MRELEASE_REAPED or reap_errno, and freed.
 */
void mr_reap_one(int pidfd, int procfd, const struct mr_rss *before,
		 struct mrelease_result *r);
/*
 * For a process SIGKILLed whose reap found no memory (ESRCH: it is past
 * exit_mm() and frees its memory itself, at its own priority): the
 * calling thread's nice value, when that is lower than its own, so that
 * it frees at the killer's priority.  By pid, checked against the pidfd
 * just before; what the system refuses is left as it is.
 */
void mr_hasten_exit(struct mr_pidref *ref);

/*
 * The whole synchronous kill of ref (mrelease_kill() without the argument
 * checks), into a full-size result.  MR_KILL_FALLBACK: where the pidfd
 * calls are missing (open_err, or the signal's ENOSYS or EPERM), kill(2)
 * the pid instead.  0, or -errno.
 */
#define MR_KILL_FALLBACK 0x1
int mr_kill_pidref(struct mr_pidref *ref, unsigned int flags, int how,
		   int open_err, struct mrelease_result *r);

/* Number of threads for a MRELEASE_THREADS(n) value of 0. */
unsigned int mr_default_threads(void);

/* ---- thread.c: the library's threads ------------------------------------ */

/* A struct mrelease_attr, checked and copied (cpuset is the library's). */
struct mr_attr {
	unsigned int mask;	/* MRELEASE_ATTR_* */
	unsigned int threads;
	int policy, priority, nice;
	unsigned int timeout_ms;
	size_t cpuset_size;
	void *cpuset;
};
#define MR_ATTR_KNOWN (MRELEASE_ATTR_THREADS | MRELEASE_ATTR_CPUS | \
		       MRELEASE_ATTR_SCHED | MRELEASE_ATTR_NICE | \
		       MRELEASE_ATTR_TIMEOUT)
/* Checks and copies the caller's (NULL with size 0: all unset): 0, or
 * -EINVAL, -E2BIG (a field unknown here is set), -ENOMEM. */
int mr_attr_from(const struct mrelease_attr *a, size_t size,
		 struct mr_attr *out);
int mr_attr_copy(struct mr_attr *dst, const struct mr_attr *src);
void mr_attr_free(struct mr_attr *a);
/* 1 when a sets the threads' CPUs, policy or nice value. */
int mr_attr_sets_thread(const struct mr_attr *a);
/*
 * Starts a thread running fn(arg), every signal blocked, with the
 * settings of a (NULL: inherited) applied by the thread itself before fn;
 * returns once it has: 0, or -errno of pthread_create() or of the
 * settings (the thread is then gone).
 */
int mr_thread_start(pthread_t *t, const struct mr_attr *a,
		    void *(*fn)(void *), void *arg);
/*
 * The end of a pool: sets *stop under lock, wakes every waiter on cond
 * and joins the n threads of t.  The caller then frees what they used.
 */
void mr_threads_stop(pthread_mutex_t *lock, pthread_cond_t *cond,
		     int *stop, pthread_t *t, unsigned int n);

/* ---- cgroupfs.c ---------------------------------------------------------- */

/* Opens dirfd/path and checks that it may be killed: an fd, or -errno. */
int mr_cgroup_open(int dirfd, const char *path);
/* cgroup.freeze set to 1: what it was (0 or 1), or -errno when it cannot
 * be used. */
int mr_cgroup_freeze(int top);

/* ---- cgroup.c, cgroup-table.c, cgroup-batch.c: the cgroup kill --------- */

/* The cgroup kill of the directory top (not closed here), with threads of
 * attr (NULL: inherited) into a full-size result: 0 or -errno. */
int mr_cgroup_kill(int top, unsigned int flags, const struct mr_attr *attr,
		   struct mrelease_result *r);

/* The rest is the cgroup kill's own (mr_cgk_: cgroup.c calls it in order;
 * cgroup-table.c keeps the table of the pids found and counts from it;
 * cgroup-batch.c kills in batches, on the worker threads). */

#define MR_BATCH 64		/* pidfds open at once, at most */

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
struct cg_seen {
	pid_t pid;
	unsigned char how;
	unsigned char err;	/* an errno, or 0 */
};

/* One process of a batch. */
struct cg_proc {
	pid_t pid;
	int pidfd;
	int procfd;		/* only with MRELEASE_MEASURE */
	int measured;
	uint64_t size;		/* resident pages, for the order of the work */
	struct mr_rss before;
	struct mrelease_result r;	/* the reap's part */
	int state, err;
};

/* The worker threads (cgroup-batch.c). */
struct cg_pool;

/* One call: its settings, the table, the batch and the counts. */
struct cg_kill {
	unsigned int flags;
	int sig;		/* SIGKILL and a reap, or the signal only */
	int reap;
	int proc_ours;		/* /proc is our pid namespace's */
	int self_inside;
	pid_t self;
	struct cg_seen *seen;	/* every pid found, sorted */
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
	struct cg_pool *pool;
	struct cg_proc batch[MR_BATCH];
	size_t nbatch;
	int reserve;		/* an fd kept for finish_batch()'s read */
	int top;
};

/* A survey or a roll call of the subtree. */
struct cg_census {
	pid_t self;
	int self_inside;
	unsigned int others;	/* pids listed but the caller's */
	unsigned int zeros;	/* of them, listed as 0 */
	int collect;		/* a roll call: every pid but 0 and ours */
	pid_t *pids;
	size_t n, cap;
};

static inline unsigned char mr_cgk_errno8(int e)
{
	return (unsigned char)(e > 0 && e < 256 ? e : EIO);
}

/* A cgroup removed while we walk held no process: its pids left it. */
static inline int mr_cgk_removed(int e)
{
	return e == -ENOENT || e == -ENODEV;
}

/* cgroup-table.c: the table of the pids found (sorted, one entry each),
 * the survey and the roll calls, and the counts. */
struct cg_seen *mr_cgk_seen_get(struct cg_kill *c, pid_t pid);
int mr_cgk_cmp_pid(const void *a, const void *b);
/* pids sorted, without duplicates. */
void mr_cgk_sort_unique(pid_t *pids, size_t *n);
/* Adds the pids (sorted, unique) the table lacks, as how (err): how many
 * it added, or -ENOMEM. */
ssize_t mr_cgk_seen_merge(struct cg_kill *c, const pid_t *pids, size_t n,
			  unsigned char how, unsigned char err);
/* cgroup.procs of dirfd; collect: the walk's read, which the test build
 * can replace. */
int mr_cgk_list_pids(int dirfd, int collect, pid_t **pids, size_t *n);
/* The survey: whether self is inside, how many others are listed. */
int mr_cgk_census(int top, pid_t self, struct cg_census *s);
/* The counts, from the table: each process once. */
void mr_cgk_tally(struct cg_kill *c);
/* Waits until the subtree holds no process but the caller (when inside):
 * 0, -ETIMEDOUT, or -errno. */
int mr_cgk_wait_empty(struct cg_kill *c, int top, int timeout_ms);
/* 4. cgroup.kill after a roll call (e: how the walk ended): 0 when it was
 * written, 1 when it could not be, or -errno (the count incomplete). */
int mr_cgk_sweep(struct cg_kill *c, int e);
/* No cgroup.kill: what the walks could not kill, failed or gone. */
int mr_cgk_settle_final(struct cg_kill *c, int e);
/* 5. The wait timed out: who is still listed failed. */
int mr_cgk_settle_survivors(struct cg_kill *c);

/* cgroup-batch.c: the worker threads, the batches, the kill walk. */
int mr_cgk_pool_new(struct cg_kill *c, unsigned int threads);
void mr_cgk_pool_free(struct cg_pool *pl);
/* The fd kept in reserve, taken again or given back for a read. */
void mr_cgk_reserve_take(struct cg_kill *c);
void mr_cgk_reserve_drop(struct cg_kill *c);
/* mr_cg_walk()'s visit for the kill walk. */
int mr_cgk_kill_dir(int dirfd, const char *path, unsigned int depth,
		    void *arg);

#ifdef MRELEASE_TESTING
/* Test builds only (lib/libmrelease-test.la).  When set, called instead of
 * reading cgroup.procs of each directory of the subtree (dirfd open on
 * it); fills a malloc()ed array; returns 0 or -errno. */
extern int (*mr_test_cgroup_pids)(int dirfd, pid_t **pids, size_t *n);
/* When set, every reaper worker calls it before a job (without the
 * reaper's lock), so a test can hold the workers busy. */
extern void (*mr_test_reaper_job)(void);
/* When set, every thread the library starts calls it once, with its
 * settings applied, before any work: a test can look at the thread. */
extern void (*mr_test_thread_start)(void);
#endif

#endif /* MRELEASE_INTERNAL_H */
