/*
 * attr.c - the library's own threads: what they inherit from the caller,
 * what struct mrelease_attr sets, as the kernel reports it (/proc/<tid>/stat
 * and sched_getaffinity); the asynchronous cgroup kill of the reaper
 *
 * SPDX-License-Identifier: MIT
 *
 * Linked with the test build of the library: the hook mr_test_thread_start
 * runs in every thread the library starts, settings applied, and records
 * what the kernel says of that thread.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"
#include "internal.h"

#define NSEEN 16

/* What a library thread was, seen from inside it. */
struct seen {
	pid_t tid;
	int policy, rtprio, nice;	/* from /proc/self/task/<tid>/stat */
	cpu_set_t cpus;			/* sched_getaffinity(tid) */
};

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen seen[NSEEN];
static int nseen;

/* Fields 19 (nice), 40 (rt_priority) and 41 (policy) of a stat line, after
 * the comm, which may hold blanks and parentheses. */
static int stat_fields(const char *path, int *nice, int *rtprio, int *policy)
{
	char *buf, *p;
	ssize_t n = mr_read_at(AT_FDCWD, path, &buf);
	int field = 2, ok = 0;

	if (n < 0)
		return -1;
	p = strrchr(buf, ')');
	while (p && *p) {
		long v;

		if (*p != ' ') {
			p++;
			continue;
		}
		field++;
		v = strtol(p + 1, NULL, 10);
		if (field == 19) {
			*nice = (int)v;
			ok++;
		} else if (field == 40) {
			*rtprio = (int)v;
			ok++;
		} else if (field == 41) {
			*policy = (int)v;
			ok++;
			break;
		}
		p++;
	}
	free(buf);
	return ok == 3 ? 0 : -1;
}

static void look_at_me(void)
{
	struct seen s;
	char path[64];

	memset(&s, 0, sizeof(s));
	s.tid = (pid_t)syscall(SYS_gettid);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)s.tid);
	if (stat_fields(path, &s.nice, &s.rtprio, &s.policy) < 0)
		s.policy = -1;
	CPU_ZERO(&s.cpus);
	sched_getaffinity(s.tid, sizeof(s.cpus), &s.cpus);
	pthread_mutex_lock(&seen_lock);
	if (nseen < NSEEN)
		seen[nseen++] = s;
	pthread_mutex_unlock(&seen_lock);
}

static void watch(void)
{
	nseen = 0;
	mr_test_thread_start = look_at_me;
}

/* The calling thread, as the library's would be seen. */
static void me(struct seen *s)
{
	char path[64];

	s->tid = (pid_t)syscall(SYS_gettid);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)s->tid);
	ck_assert_int_eq(stat_fields(path, &s->nice, &s->rtprio, &s->policy),
			 0);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(s->cpus), &s->cpus), 0);
}

static void assert_like(const struct seen *t, const struct seen *want)
{
	ck_assert_int_ne(t->policy, -1);
	ck_assert_int_eq(t->policy, want->policy);
	ck_assert_int_eq(t->rtprio, want->rtprio);
	ck_assert_int_eq(t->nice, want->nice);
	ck_assert_msg(CPU_EQUAL(&t->cpus, &want->cpus),
		      "thread %d: another CPU set", (int)t->tid);
}

/* A cgroup of n victims of 1 MiB. */
struct group {
	char dir[1024];
	pid_t pid[8];
	int pidfd[8];
	int n;
};

static void group_make(struct group *g, int n)
{
	const char *cg2 = tl_cgroup2_root();
	int i;

	if (!cg2)
		tl_skip("no cgroup v2 mounted", "Linux 4.5");
	memset(g, 0, sizeof(*g));
	g->n = n;
	ck_assert_int_eq(tl_cg_make("attr", g->dir, sizeof(g->dir)), 0);
	for (i = 0; i < n; i++) {
		g->pid[i] = tl_victim(MiB, -1, &g->pidfd[i]);
		ck_assert_int_eq(tl_cg_move(g->dir, g->pid[i]), 0);
	}
}

static void group_dead(struct group *g)
{
	int i;

	for (i = 0; i < g->n; i++) {
		ck_assert_int_eq(tl_pidfd_killed(g->pidfd[i]), SIGKILL);
		close(g->pidfd[i]);
	}
	ck_assert_int_eq(tl_rmdir(g->dir), 0);
}

static void group_alive(struct group *g)
{
	int i;

	for (i = 0; i < g->n; i++) {
		ck_assert_msg(tl_pidfd_alive(g->pidfd[i]), "a victim was killed");
		tl_victim_reap(g->pid[i]);
		close(g->pidfd[i]);
	}
	ck_assert_int_eq(tl_rmdir(g->dir), 0);
}

/* The caller's own settings, changed for a test and put back after. */
static struct seen saved;

static void caller_set(int nice, int cpu)
{
	cpu_set_t one;

	me(&saved);
	ck_assert_int_eq(setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
				     nice), 0);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
}

static void caller_restore(void)
{
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), saved.nice);
	sched_setaffinity(0, sizeof(saved.cpus), &saved.cpus);
}

/* ---- inherited ---------------------------------------------------- */

START_TEST(t_cgroup_helpers_inherit_the_caller)
{
	struct mrelease_result r;
	struct seen want;
	struct group g;
	int i;

	group_make(&g, 4);
	caller_set(7, 0);
	me(&want);
	watch();
	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, g.dir,
					      MRELEASE_THREADS(3), &r,
					      sizeof(r)), 0);
	mr_test_thread_start = NULL;
	caller_restore();
	ck_assert_uint_eq(r.killed, 4);
	/* The caller and two helpers: the helpers are what the caller is. */
	ck_assert_int_eq(nseen, 2);
	for (i = 0; i < nseen; i++) {
		ck_assert_int_ne(seen[i].tid, want.tid);
		assert_like(&seen[i], &want);
	}
	group_dead(&g);
}
END_TEST

START_TEST(t_reaper_workers_inherit_the_creator)
{
	struct mrelease_reaper *rp;
	struct seen want;
	int i;

	caller_set(3, 0);
	me(&want);
	watch();
	rp = mrelease_reaper_new(2, 0, 0);
	mr_test_thread_start = NULL;
	caller_restore();
	ck_assert_ptr_nonnull(rp);
	ck_assert_int_eq(nseen, 2);
	for (i = 0; i < nseen; i++)
		assert_like(&seen[i], &want);
	mrelease_reaper_destroy(rp);
}
END_TEST

/* The default count is the online CPUs (at most 4), whatever the caller's
 * affinity: musl's sysconf(_SC_NPROCESSORS_ONLN) counts the latter. */
START_TEST(t_reaper_default_workers_are_online_cpus)
{
	struct mrelease_reaper *rp;
	cpu_set_t all, one;
	unsigned int online = 0;
	char *buf = NULL;
	ssize_t n;
	int cpu = 0;

	n = mr_read_at(AT_FDCWD, "/sys/devices/system/cpu/online", &buf);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(mr_parse_cpulist_count(buf, (size_t)n, &online), 0);
	free(buf);
	ck_assert_int_eq(sched_getaffinity(0, sizeof(all), &all), 0);
	while (!CPU_ISSET(cpu, &all))
		cpu++;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	watch();
	rp = mrelease_reaper_new(0, 0, 0);
	mr_test_thread_start = NULL;
	ck_assert_int_eq(sched_setaffinity(0, sizeof(all), &all), 0);
	ck_assert_ptr_nonnull(rp);
	ck_assert_int_eq(nseen, online > 4 ? 4 : (int)online);
	mrelease_reaper_destroy(rp);
}
END_TEST

/* ---- set ------------------------------------------------------------ */

static void attr_of(struct mrelease_attr *a, cpu_set_t *cpus, int cpu,
		    int policy, int prio, int nice)
{
	memset(a, 0, sizeof(*a));
	CPU_ZERO(cpus);
	CPU_SET(cpu, cpus);
	a->mask = MRELEASE_ATTR_THREADS | MRELEASE_ATTR_CPUS |
		  MRELEASE_ATTR_SCHED | MRELEASE_ATTR_NICE;
	a->threads = 2;
	a->cpuset = (uintptr_t)cpus;
	a->cpuset_size = sizeof(*cpus);
	a->policy = policy;
	a->priority = prio;
	a->nice = nice;
}

static void expect_set(const struct mrelease_attr *a, int cpu)
{
	int i;

	for (i = 0; i < nseen; i++) {
		ck_assert_int_eq(seen[i].policy, a->policy);
		ck_assert_int_eq(seen[i].rtprio, a->priority);
		if (a->policy != SCHED_FIFO && a->policy != SCHED_RR)
			ck_assert_int_eq(seen[i].nice, a->nice);
		ck_assert_int_eq(CPU_COUNT(&seen[i].cpus), 1);
		ck_assert(CPU_ISSET(cpu, &seen[i].cpus));
	}
}

static void cgroup_with(int policy, int prio, int nice)
{
	struct mrelease_result r;
	struct mrelease_attr a;
	struct seen before, after;
	cpu_set_t cpus;
	struct group g;
	int cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0;

	group_make(&g, 4);
	attr_of(&a, &cpus, cpu, policy, prio, nice);
	me(&before);
	watch();
	ck_assert_int_eq(mrelease_kill_cgroup_attr(AT_FDCWD, g.dir, 0, &a,
						   sizeof(a), &r, sizeof(r)),
			 0);
	mr_test_thread_start = NULL;
	ck_assert_uint_eq(r.killed, 4);
	/* Every reap ran on the library's threads, set as asked; the
	 * caller's own thread is as it was. */
	ck_assert_int_eq(nseen, 2);
	expect_set(&a, cpu);
	me(&after);
	assert_like(&after, &before);
	group_dead(&g);
}

START_TEST(t_cgroup_attr_batch_nice_cpu)
{
	cgroup_with(SCHED_BATCH, 0, geteuid() == 0 ? -5 : 5);
}
END_TEST

START_TEST(t_cgroup_attr_fifo)
{
	if (geteuid() != 0)
		tl_skip("SCHED_FIFO needs root (CAP_SYS_NICE)", NULL);
	cgroup_with(SCHED_FIFO, 10, 0);
}
END_TEST

START_TEST(t_reaper_attr_workers)
{
	struct mrelease_reaper *rp;
	struct mrelease_attr a;
	cpu_set_t cpus;
	int cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0;

	attr_of(&a, &cpus, cpu, SCHED_BATCH, 0, 4);
	a.threads = 3;
	watch();
	rp = mrelease_reaper_new_attr(0, 0, &a, sizeof(a));
	mr_test_thread_start = NULL;
	ck_assert_ptr_nonnull(rp);
	ck_assert_int_eq(nseen, 3);
	expect_set(&a, cpu);
	mrelease_reaper_destroy(rp);
}
END_TEST

/* ---- refused ------------------------------------------------------ */

static void attr_errno(const struct mrelease_attr *a, size_t size, int err)
{
	struct mrelease_result r;
	struct group g;

	group_make(&g, 1);
	TL_ASSERT_ERRNO(mrelease_kill_cgroup_attr(AT_FDCWD, g.dir, 0, a, size,
						  &r, sizeof(r)), err);
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new_attr(0, 0, a, size));
	ck_assert_int_eq(errno, err);
	/* Refused before anything was signalled. */
	group_alive(&g);
}

START_TEST(t_mrelease_kill_cgroup_attr__EINVAL__bad_attr)
{
	static const struct mrelease_attr zero;
	cpu_set_t cpus;
	/* Each alone: the field its mask bit names is out of range. */
	const struct mrelease_attr bad[] = {
		{ .mask = 0x80000000U },
		{ .mask = MRELEASE_ATTR_THREADS, .threads = 0 },
		{ .mask = MRELEASE_ATTR_NICE, .nice = 20 },
		{ .mask = MRELEASE_ATTR_SCHED, .policy = 99 },
		{ .mask = MRELEASE_ATTR_SCHED, .policy = SCHED_FIFO,
		  .priority = 100 },
		{ .mask = MRELEASE_ATTR_CPUS, .cpuset_size = sizeof(cpus) },
		/* no CPU the system has */
		{ .mask = MRELEASE_ATTR_CPUS, .cpuset = (uintptr_t)&cpus,
		  .cpuset_size = sizeof(cpus) },
	};
	size_t i;

	CPU_ZERO(&cpus);
	CPU_SET(CPU_SETSIZE - 1, &cpus);
	attr_errno(&zero, MRELEASE_ATTR_SIZE_VER0 - 1, EINVAL);
	attr_errno(NULL, sizeof(zero), EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		attr_errno(&bad[i], sizeof(bad[i]), EINVAL);
}
END_TEST

START_TEST(t_mrelease_reaper_new_attr__EINVAL__too_many_threads)
{
	struct mrelease_attr a;

	memset(&a, 0, sizeof(a));
	a.mask = MRELEASE_ATTR_THREADS;
	a.threads = 65;
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new_attr(0, 0, &a, sizeof(a)));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new_attr(0, 1, NULL, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(t_mrelease_kill_cgroup_attr__E2BIG__unknown_field_set)
{
	struct {
		struct mrelease_attr a;
		uint64_t later;
	} big;

	memset(&big, 0, sizeof(big));
	big.later = 1;
	attr_errno(&big.a, sizeof(big), E2BIG);
	/* Zero there is fine: a newer caller's struct, nothing asked. */
	big.later = 0;
	{
		struct mrelease_reaper *rp =
			mrelease_reaper_new_attr(0, 0, &big.a, sizeof(big));

		ck_assert_ptr_nonnull(rp);
		mrelease_reaper_destroy(rp);
	}
}
END_TEST

START_TEST(t_mrelease_reaper_new_attr__E2BIG__unknown_field_set)
{
	struct {
		struct mrelease_attr a;
		uint32_t later;
	} big;

	memset(&big, 0, sizeof(big));
	big.later = 7;
	errno = 0;
	ck_assert_ptr_null(mrelease_reaper_new_attr(0, 0, &big.a, sizeof(big)));
	ck_assert_int_eq(errno, E2BIG);
}
END_TEST

/* As another user, SCHED_FIFO is refused by the kernel when a thread
 * applies it: the call fails with EPERM and kills nothing. */
static void fifo_as_nobody(void *arg, struct tl_outcome *o)
{
	struct mrelease_attr a;
	cpu_set_t cpus;

	attr_of(&a, &cpus, 0, SCHED_FIFO, 10, 0);
	errno = 0;
	o->rc = mrelease_kill_cgroup_attr(AT_FDCWD, arg, 0, &a, sizeof(a),
					  &o->r, sizeof(o->r));
	o->err = errno;
	errno = 0;
	o->mask = mrelease_reaper_new_attr(0, 0, &a, sizeof(a)) ? 0 : errno;
}

/* Both calls with SCHED_FIFO settings, as nobody, in one child (as root:
 * skipped otherwise), with g a cgroup of one victim. */
static struct tl_outcome fifo_refused(struct group *g)
{
	struct tl_outcome o;

	if (geteuid() != 0)
		tl_skip("needs root to become another user", NULL);
	group_make(g, 1);
	ck_assert_int_eq(tl_in_child(-1, 0, 65534, fifo_as_nobody, g->dir, &o),
			 0);
	return o;
}

START_TEST(t_mrelease_kill_cgroup_attr__EPERM__fifo_refused)
{
	struct group g;
	struct tl_outcome o = fifo_refused(&g);

	/* The cgroup is root's: nobody could not kill it anyway, but the
	 * settings are refused first. */
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EPERM);
	ck_assert_uint_eq(o.r.killed + o.r.failed + o.r.gone, 0);
	ck_assert_int_eq((int)o.mask, EPERM);
	group_alive(&g);
}
END_TEST

START_TEST(t_mrelease_reaper_new_attr__EPERM__fifo_refused)
{
	struct group g;
	struct tl_outcome o = fifo_refused(&g);

	ck_assert_int_eq((int)o.mask, EPERM);
	group_alive(&g);
}
END_TEST

/* ---- the reaper's cgroup kill --------------------------------------- */

static int wait_completion(struct mrelease_reaper *rp,
			   struct mrelease_completion *c)
{
	struct pollfd p = { .fd = mrelease_reaper_fd(rp), .events = POLLIN };

	if (poll(&p, 1, 30000) != 1)
		return -1;
	return mrelease_reaper_read(rp, c, sizeof(*c));
}

START_TEST(t_reaper_submit_cgroup)
{
	struct mrelease_completion c;
	struct mrelease_reaper *rp;
	struct group g, bystander;
	int fds = tl_fd_count();

	group_make(&g, 3);
	group_make(&bystander, 1);
	rp = mrelease_reaper_new(1, 0, 0);
	ck_assert_ptr_nonnull(rp);
	ck_assert_int_eq(mrelease_reaper_submit_cgroup(rp, AT_FDCWD, g.dir,
						       42, MRELEASE_MEASURE), 0);
	ck_assert_int_eq(wait_completion(rp, &c), 0);
	ck_assert_uint_eq(c.cookie, 42);
	ck_assert_int_eq(c.error, 0);
	ck_assert_uint_eq(c.result.killed, 3);
	ck_assert_uint_eq(c.result.failed + c.result.gone, 0);
	ck_assert_uint_ne(c.result.status & MRELEASE_KILLED, 0);
	group_dead(&g);
	mrelease_reaper_destroy(rp);
	group_alive(&bystander);
	ck_assert_int_eq(tl_fd_count(), fds);
}
END_TEST

/* A failing kill comes back as the completion's error. */
START_TEST(t_reaper_submit_cgroup_timeout)
{
	const char *fz = tl_freezer_root();
	struct mrelease_completion c;
	struct mrelease_reaper *rp;
	struct mrelease_attr a;
	struct tl_hold h;
	struct group g;

	if (!fz)
		tl_skip("no cgroup v1 freezer mounted", NULL);
	group_make(&g, 1);
	ck_assert_int_eq(tl_hold_freeze(&h, g.pid, 1), 0);
	memset(&a, 0, sizeof(a));
	a.mask = MRELEASE_ATTR_TIMEOUT;
	a.timeout_ms = 200;
	rp = mrelease_reaper_new_attr(0, 0, &a, sizeof(a));
	ck_assert_ptr_nonnull(rp);
	ck_assert_int_eq(mrelease_reaper_submit_cgroup(rp, AT_FDCWD, g.dir, 7,
						       0), 0);
	ck_assert_int_eq(wait_completion(rp, &c), 0);
	ck_assert_uint_eq(c.cookie, 7);
	ck_assert_int_eq(c.error, ETIMEDOUT);
	ck_assert_uint_eq(c.result.failed, 1);
	ck_assert_int_eq(tl_hold_end(&h), 0);
	group_dead(&g);
	mrelease_reaper_destroy(rp);
}
END_TEST

static void submit_errno(struct mrelease_reaper *rp, int dirfd,
			 const char *path, unsigned int flags, int err)
{
	errno = 0;
	ck_assert_int_eq(mrelease_reaper_submit_cgroup(rp, dirfd, path, 1,
						       flags), -1);
	ck_assert_msg(errno == err, "%s: errno %d, not %d", path ? path : "",
		      errno, err);
}

/* The same through a reaper of its own, destroyed after. */
static void refused(int dirfd, const char *path, int err)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 0, 0);

	ck_assert_ptr_nonnull(rp);
	submit_errno(rp, dirfd, path, 0, err);
	mrelease_reaper_destroy(rp);
}

START_TEST(t_mrelease_reaper_submit_cgroup__EINVAL__bad_arguments)
{
	struct mrelease_reaper *rp = mrelease_reaper_new(1, 0, 0);
	struct group g;

	ck_assert_ptr_nonnull(rp);
	group_make(&g, 1);
	submit_errno(NULL, AT_FDCWD, g.dir, 0, EINVAL);
	submit_errno(rp, AT_FDCWD, g.dir, 0x10000U, EINVAL);
	submit_errno(rp, AT_FDCWD, NULL, 0, EINVAL);
	mrelease_reaper_destroy(rp);
	group_alive(&g);
}
END_TEST

START_TEST(t_mrelease_reaper_submit_cgroup__EBADF__negative_dirfd)
{
	refused(-1, "x", EBADF);
}
END_TEST

START_TEST(t_mrelease_reaper_submit_cgroup__ENOENT__missing)
{
	refused(AT_FDCWD, "/sys/fs/cgroup/no-such-cgroup-here", ENOENT);
}
END_TEST

START_TEST(t_mrelease_reaper_submit_cgroup__ENOTDIR__cgroup_file)
{
	char path[1100];
	struct group g;

	group_make(&g, 1);
	snprintf(path, sizeof(path), "%s/cgroup.procs", g.dir);
	refused(AT_FDCWD, path, ENOTDIR);
	group_alive(&g);
}
END_TEST

START_TEST(t_mrelease_reaper_submit_cgroup__EMEDIUMTYPE__not_cgroup2)
{
	refused(AT_FDCWD, "/tmp", EMEDIUMTYPE);
}
END_TEST

START_TEST(t_mrelease_reaper_submit_cgroup__EAGAIN__full_queue)
{
	struct mrelease_completion c;
	struct mrelease_reaper *rp;
	struct group g1, g2, g3;

	group_make(&g1, 1);
	group_make(&g2, 1);
	group_make(&g3, 1);
	tl_gate_set(1);
	mr_test_reaper_job = tl_gate;
	rp = mrelease_reaper_new(1, 1, 0);
	ck_assert_ptr_nonnull(rp);
	/* One running (held at the gate), one queued: full. */
	ck_assert_int_eq(mrelease_reaper_submit_cgroup(rp, AT_FDCWD, g1.dir,
						       1, 0), 0);
	tl_gate_wait_for(1);
	ck_assert_int_eq(mrelease_reaper_submit_cgroup(rp, AT_FDCWD, g2.dir,
						       2, 0), 0);
	submit_errno(rp, AT_FDCWD, g3.dir, 0, EAGAIN);
	tl_gate_set(0);
	ck_assert_int_eq(wait_completion(rp, &c), 0);
	ck_assert_int_eq(wait_completion(rp, &c), 0);
	mrelease_reaper_destroy(rp);
	mr_test_reaper_job = NULL;
	group_dead(&g1);
	group_dead(&g2);
	group_alive(&g3);
}
END_TEST

/* Before the run: what these tests need beside the calls. */
static void need(void)
{
	if (geteuid() != 0)
		tl_skip("creating a cgroup needs root", NULL);
}

TL_MAIN("attr", "attr", TL_CALLS_KILL, need, 120, 0)
