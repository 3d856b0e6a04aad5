/*
 * cgroup.c - mrelease_kill_cgroup(): kill and reap a cgroup v2 subtree
 *
 * SPDX-License-Identifier: MIT
 *
 * 1. Collect: walk the subtree; for every pid of every cgroup.procs, open
 *    its pidfd first, then its /proc/<pid> directory (confirmed through the
 *    pidfd to be the same process), read its "0::" cgroup there and accept
 *    it only when that path names the very directory that listed it.  A
 *    pid that was reused by a process outside the cgroup, or that moved
 *    away, is never touched.  MRELEASE_MEASURE reads its Rss here.
 * 2. Kill: write cgroup.kill (Linux 5.14+) once the pidfds exist, else
 *    SIGKILL every collected pidfd, walking again for processes forked
 *    meanwhile.
 * 3. Reap: process_mrelease(2) on every killed pidfd, on up to
 *    MRELEASE_THREADS(n) threads (the caller is one of them).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MR_MAX_ROUNDS 8		/* walks to catch processes forked meanwhile */

#ifdef MRELEASE_TESTING
int (*mr_test_cgroup_pids)(int dirfd, pid_t **pids, size_t *n);
#endif

enum { P_PENDING, P_KILLED, P_GONE, P_FAILED };

struct proc {
	pid_t pid;
	int pidfd;
	int procfd;		/* only with MRELEASE_MEASURE */
	int state;
	int err;		/* why failed, or why pidfd is -1 */
	int measured;
	struct mr_rss before;
	struct mrelease_result r;	/* the reap's part */
};

struct walk {
	int rootfd;		/* the cgroup2 mount's root directory */
	unsigned int flags;
	struct proc *v;
	size_t n, cap;
	pid_t *seen;		/* every pid handled, sorted */
	size_t nseen, capseen;
	unsigned int gone;	/* listed, but exited or left before opened */
	int self_inside;	/* the caller is in the subtree: left out */
};

/* The root of the cgroup2 mount holding fd: go up while ".." is another
 * directory of the same cgroup2 file system. */
static int cgroup2_root(int fd)
{
	struct stat cur, up;
	int depth, c = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (c < 0)
		return -1;
	for (depth = 0; depth < 4096; depth++) {
		int u = openat(c, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (u < 0)
			break;
		if (fstat(c, &cur) < 0 || fstat(u, &up) < 0 ||
		    up.st_dev != cur.st_dev || up.st_ino == cur.st_ino ||
		    !mr_cg_is_v2(u)) {
			close(u);
			break;
		}
		close(c);
		c = u;
	}
	return c;
}

static int seen_find(const struct walk *w, pid_t pid, size_t *at)
{
	size_t lo = 0, hi = w->nseen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->seen[mid] == pid) {
			*at = mid;
			return 1;
		}
		if (w->seen[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

static int seen_add(struct walk *w, pid_t pid, size_t at)
{
	if (w->nseen == w->capseen) {
		size_t ncap = w->capseen ? w->capseen * 2 : 64;
		pid_t *p = realloc(w->seen, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		w->seen = p;
		w->capseen = ncap;
	}
	memmove(w->seen + at + 1, w->seen + at,
		(w->nseen - at) * sizeof(*w->seen));
	w->seen[at] = pid;
	w->nseen++;
	return 0;
}

static struct proc *proc_new(struct walk *w)
{
	struct proc *p;

	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 32;

		p = realloc(w->v, ncap * sizeof(*p));
		if (!p)
			return NULL;
		w->v = p;
		w->cap = ncap;
	}
	p = &w->v[w->n];
	memset(p, 0, sizeof(*p));
	p->pidfd = -1;
	p->procfd = -1;
	return p;
}

/* Is the process whose /proc directory is procfd in the cgroup dir? */
static int in_cgroup(const struct walk *w, int procfd, const struct stat *dir)
{
	const char *path;
	char *buf, *rel;
	size_t plen;
	ssize_t n = mr_read_at(procfd, "cgroup", &buf);
	struct stat st;
	int ok = 0;

	if (n < 0)
		return 0;
	if (mr_parse_cgroup2_path(buf, (size_t)n, &path, &plen) == 0) {
		rel = strndup(path + 1, plen - 1);
		if (rel) {
			ok = fstatat(w->rootfd, *rel ? rel : ".", &st,
				     AT_SYMLINK_NOFOLLOW) == 0 &&
			     st.st_dev == dir->st_dev &&
			     st.st_ino == dir->st_ino;
			free(rel);
		}
	}
	free(buf);
	return ok;
}

/* One pid listed by the cgroup dir: 0 (taken or counted), -ENOMEM. */
static int collect_pid(struct walk *w, pid_t pid, const struct stat *dir)
{
	struct mr_pidref ref;
	struct proc *p;
	size_t at;
	int e;

	if (seen_find(w, pid, &at))
		return 0;
	if (seen_add(w, pid, at) < 0)
		return -ENOMEM;
	if (pid == getpid()) {
		/* Never the caller; and no cgroup.kill, which would kill it. */
		w->self_inside = 1;
		return 0;
	}
	p = proc_new(w);
	if (!p)
		return -ENOMEM;
	p->pid = pid;
	p->pidfd = mrelease_pidfd_open(pid, 0);
	if (p->pidfd < 0) {
		e = errno;
		if (e == ESRCH || e == ENOENT || e == EINVAL) {
			w->gone++;
			return 0;
		}
		/* No pidfd (ENOSYS, a sandbox's EPERM, EMFILE): cgroup.kill
		 * still kills it; the signal path cannot. */
		p->err = e;
		w->n++;
		return 0;
	}
	ref = MR_PIDREF(p->pidfd, pid);
	p->procfd = mr_pidref_proc_dir(&ref);
	if (p->procfd < 0 || !in_cgroup(w, p->procfd, dir)) {
		/* Exited, or pid reused by / moved to another cgroup. */
		if (p->procfd >= 0)
			close(p->procfd);
		close(p->pidfd);
		w->gone++;
		return 0;
	}
	if ((w->flags & MRELEASE_MEASURE) &&
	    mr_read_rss(p->procfd, &p->before) == 0)
		p->measured = 1;
	if (!p->measured) {
		close(p->procfd);
		p->procfd = -1;
	}
	w->n++;
	return 0;
}

static int list_pids(int dirfd, pid_t **pids, size_t *n)
{
#ifdef MRELEASE_TESTING
	if (mr_test_cgroup_pids) {
		*pids = NULL;
		*n = 0;
		return mr_test_cgroup_pids(dirfd, pids, n);
	}
#endif
	return mr_cg_read_pids(dirfd, pids, n);
}

/* mr_cg_walk()'s visit: collect every process the cgroup lists. */
static int collect_dir(int dirfd, const char *path, unsigned int depth,
		       void *arg)
{
	struct walk *w = arg;
	struct stat st;
	pid_t *pids;
	size_t n, i;
	int r;

	if (fstat(dirfd, &st) < 0)
		return -errno;
	r = list_pids(dirfd, &pids, &n);
	if (r < 0)	/* Removed while we walked: nothing there. */
		return r == -ENOENT || r == -ENODEV ? 0 : r;
	for (i = 0; i < n && r == 0; i++)
		r = collect_pid(w, pids[i], &st);
	free(pids);
	return r;
}

/* Collect every process of the subtree at top. */
static int walk_dir(struct walk *w, int top)
{
	return mr_cg_walk(top, collect_dir, w);
}

static void walk_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->v[i].pidfd >= 0)
			close(w->v[i].pidfd);
		if (w->v[i].procfd >= 0)
			close(w->v[i].procfd);
	}
	free(w->v);
	free(w->seen);
	if (w->rootfd >= 0)
		close(w->rootfd);
}

/* SIGKILL the processes v[from..n) through their pidfds. */
static void kill_each(struct walk *w, size_t from)
{
	size_t i;
	int e;

	for (i = from; i < w->n; i++) {
		struct proc *p = &w->v[i];

		if (p->pidfd < 0) {
			p->state = P_FAILED;
			continue;
		}
		e = mr_signal(p->pidfd, SIGKILL);
		if (e == 0) {
			p->state = P_KILLED;
		} else if (e == -ESRCH) {
			p->state = P_GONE;
		} else {
			p->state = P_FAILED;
			p->err = -e;
		}
	}
}

/* cgroup.kill: 0 when written, -errno to fall back to signals. */
static int kill_file(struct walk *w, int top)
{
	struct pollfd pfd;
	size_t i;
	int r;

	if (faccessat(top, "cgroup.kill", W_OK, 0) < 0)
		return -errno;
	/* Exited before the kill: gone, not killed. */
	for (i = 0; i < w->n; i++) {
		pfd.fd = w->v[i].pidfd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd >= 0 && poll(&pfd, 1, 0) > 0)
			w->v[i].state = P_GONE;
	}
	r = mr_write_at(top, "cgroup.kill", "1");
	if (r < 0) {
		for (i = 0; i < w->n; i++)
			w->v[i].state = P_PENDING;
		return r;
	}
	for (i = 0; i < w->n; i++)
		if (w->v[i].state == P_PENDING) {
			w->v[i].state = P_KILLED;
			if (w->v[i].pidfd < 0 && !w->v[i].err)
				w->v[i].err = ENOSYS;
		}
	return 0;
}

struct reap_job {
	struct walk *w;
	size_t next;	/* atomic */
};

static void *reap_worker(void *arg)
{
	struct reap_job *j = arg;

	for (;;) {
		size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		struct proc *p;

		if (i >= j->w->n)
			break;
		p = &j->w->v[i];
		if (p->state != P_KILLED)
			continue;
		if (p->pidfd < 0) {
			p->r.reap_errno = p->err ? p->err : ENOSYS;
			continue;
		}
		mr_reap_one(p->pidfd, p->measured ? p->procfd : -1,
			    p->measured ? &p->before : NULL, &p->r);
	}
	return NULL;
}

static void reap_all(struct walk *w, unsigned int threads)
{
	struct reap_job j = { .w = w, .next = 0 };
	pthread_t tid[255];
	unsigned int started = 0, i;
	sigset_t all, old;

	if (threads > w->n)
		threads = w->n ? (unsigned int)w->n : 1;
	if (threads > 1) {
		/* Workers take no signal of the caller's. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		for (i = 1; i < threads; i++) {
			if (pthread_create(&tid[started], NULL, reap_worker,
					   &j))
				break;
			started++;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	reap_worker(&j);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

MRELEASE_EXPORT int mrelease_kill_cgroup(int dirfd, const char *path,
					 unsigned int flags,
					 struct mrelease_result *result,
					 size_t size)
{
	struct walk w;
	struct mrelease_result r;
	struct stat st_top, st_root;
	unsigned int threads;
	size_t i, from;
	int top, e, round, not_reaped_errno = 0;
	uint64_t t0 = 0;

	if (flags & ~MR_KNOWN_FLAGS)
		return mr_errno(-EINVAL);
	e = mr_result_check(result, size);
	if (e < 0)
		return mr_errno(e);
	if (!path)
		return mr_errno(-EINVAL);
	if (path[0] != '/' && dirfd < 0 && dirfd != AT_FDCWD)
		return mr_errno(-EBADF);
	top = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return -1;
	if (!mr_cg_is_v2(top)) {
		close(top);
		return mr_errno(-EMEDIUMTYPE);
	}

	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	w.flags = flags;
	w.rootfd = e = cgroup2_root(top);
	if (e < 0)
		goto out;
	/* The root cgroup holds every process of the system (of the cgroup
	 * namespace): refuse it, whatever the caller meant. */
	if (fstat(top, &st_top) < 0 || fstat(w.rootfd, &st_root) < 0) {
		e = -errno;
		goto out;
	}
	if (st_top.st_dev == st_root.st_dev && st_top.st_ino == st_root.st_ino) {
		e = -EINVAL;
		goto out;
	}
	threads = (flags & MRELEASE_THREADS_MASK) >> 8;
	if (!threads)
		threads = mr_default_threads();

	/* Collect, then kill. */
	e = walk_dir(&w, top);
	if (e < 0)
		goto out;
	if (w.n && !(flags & MRELEASE_NO_KILLFILE) && !w.self_inside) {
		t0 = mr_now_ns();
		if (kill_file(&w, top) == 0)
			r.status |= MRELEASE_KILLFILE;
	}
	if (!(r.status & MRELEASE_KILLFILE)) {
		from = 0;
		for (round = 0; round < MR_MAX_ROUNDS; round++) {
			if (round > 0) {
				from = w.n;
				if (walk_dir(&w, top) < 0)
					break;	/* keep what was killed */
				if (w.n == from)
					break;
			}
			if (!t0)
				t0 = mr_now_ns();
			kill_each(&w, from);
		}
	}

	reap_all(&w, threads);

	r.gone = w.gone;
	for (i = 0; i < w.n; i++) {
		struct proc *p = &w.v[i];

		switch (p->state) {
		case P_KILLED:
			r.killed++;
			if (p->r.status & MRELEASE_REAPED) {
				r.reaped++;
			} else if (!not_reaped_errno ||
				   not_reaped_errno == ESRCH) {
				not_reaped_errno = p->r.reap_errno;
			}
			if (p->measured) {
				r.rss_anon += p->before.anon;
				r.rss_file += p->before.file;
				r.rss_shmem += p->before.shmem;
				r.freed += p->r.freed;
			}
			break;
		case P_GONE:
			r.gone++;
			break;
		default:
			r.failed++;
			if (!e)
				e = -(p->err ? p->err : EPERM);
			break;
		}
	}
	if (r.killed)
		r.status |= MRELEASE_KILLED;
	if (r.reaped)
		r.status |= MRELEASE_REAPED;
	if (flags & MRELEASE_MEASURE)
		r.status |= MRELEASE_MEASURED;
	r.reap_errno = r.reaped == r.killed ? 0 : not_reaped_errno;
	if (t0)
		r.time_ns = mr_now_ns() - t0;
out:
	walk_free(&w);
	close(top);
	mr_result_copy(result, size, &r, sizeof(r));
	return mr_errno(e);
}
