/*
 * kill.c - mrelease_probe(), mrelease_kill(), mrelease_kill_pid(): real
 * victims, real reaps, the extensible result, degradation under seccomp,
 * and every bad input (nothing killed, no fd leaked)
 *
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"
#include "syscall-nr.h"

/* ---- probe ----------------------------------------------------------- */

/* Every call of this kernel: before Linux 5.15, all but process_mrelease. */
static unsigned int all_calls(void)
{
	return MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL |
	       (tl_reap_missing() ? 0 : MRELEASE_HAVE_PROCESS_MRELEASE);
}

START_TEST(t_probe_all_present)
{
	ck_assert_uint_eq(mrelease_probe(), all_calls());
}
END_TEST

static void do_probe(void *arg, struct tl_outcome *o)
{
	(void)arg;
	o->mask = mrelease_probe();
}

static void probe_without(long nr, int err, unsigned int bit)
{
	struct tl_outcome o;

	if (tl_in_child(nr, err, -1, do_probe, NULL, &o) == 77)
		tl_skip("seccomp filters", "Linux 3.5");
	ck_assert_uint_eq(o.mask, all_calls() & ~bit);
}

START_TEST(t_probe_sandboxed)
{
	probe_without(MRELEASE_NR_process_mrelease, ENOSYS,
		      MRELEASE_HAVE_PROCESS_MRELEASE);
	probe_without(MRELEASE_NR_process_mrelease, EPERM,
		      MRELEASE_HAVE_PROCESS_MRELEASE);
	probe_without(MRELEASE_NR_pidfd_open, ENOSYS, MRELEASE_HAVE_PIDFD_OPEN);
	probe_without(MRELEASE_NR_pidfd_send_signal, EPERM,
		      MRELEASE_HAVE_PIDFD_KILL);
}
END_TEST

/* ---- the 512 MiB victim ---------------------------------------------- */

/* Kill and reap a victim of `bytes`; held in a v1 freezer cgroup where
 * there is one, so the reap cannot lose the race with its exit.
 * Returns 1 when reaped, after checking everything else.  Without
 * process_mrelease the kill stands and the held victim keeps its memory. */
static int kill_victim(size_t bytes, unsigned int flags,
		       struct mrelease_result *r, uint64_t *held_bytes)
{
	const char *fz = tl_freezer_root();
	struct tl_hold h = { 0 };
	int pidfd, sig, held = 0;
	pid_t pid = tl_victim(bytes, -1, &pidfd);
	long held_kb = tl_status_kb(pid, "RssAnon");

	if (held_bytes)
		*held_bytes = (uint64_t)held_kb * 1024;

	if (fz) {
		held = tl_hold_freeze(&h, &pid, 1) == 0;
		ck_assert_msg(held, "cannot freeze the victim");
	}
	ck_assert_int_eq(mrelease_kill(pidfd, flags, r, sizeof(*r)), 0);
	ck_assert_uint_ne(r->status & MRELEASE_KILLED, 0);
	ck_assert_uint_eq(r->killed, 1);
	ck_assert_int_eq(r->pid, pid);
	ck_assert_uint_eq(r->status & MRELEASE_FALLBACK_KILL, 0);
	if (held && tl_reap_missing()) {
		TL_ASSERT_REAPED(*r, 1);
		ck_assert_int_ge(tl_status_kb(pid, "RssAnon"),
				 held_kb * 95 / 100);
	} else if (held) {
		/* Reaped while it still holds its mm: nothing left. */
		ck_assert_msg(r->status & MRELEASE_REAPED, "reap_errno %d",
			      r->reap_errno);
		ck_assert_int_le(tl_status_kb(pid, "RssAnon"), 1024);
	} else if (!(r->status & MRELEASE_REAPED)) {
		ck_assert_int_eq(r->reap_errno, TL_RACE_ERRNO());
	}
	/* Thaws it (it dies) and removes the cgroup once it is gone. */
	ck_assert_int_eq(tl_hold_end(&h), 0);
	sig = tl_pidfd_killed(pidfd);
	ck_assert_int_eq(sig, SIGKILL);
	/* Gone: the pidfd no longer reaches it. */
	errno = 0;
	ck_assert_int_eq(mrelease_pidfd_kill(pidfd, 0, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	close(pidfd);
	/* Read by the library just before its kill, by the test a moment
	 * earlier: the same figure but for a page or two the victim's
	 * runtime may still touch (valgrind's does). */
	if (r->status & MRELEASE_MEASURED) {
		uint64_t want = (uint64_t)held_kb * 1024;
		uint64_t diff = r->rss_anon > want ? r->rss_anon - want
						   : want - r->rss_anon;

		ck_assert_msg(diff <= want / 100 + 64 * 1024,
			      "rss_anon %llu, the victim held %llu",
			      (unsigned long long)r->rss_anon,
			      (unsigned long long)want);
	}
	return !!(r->status & MRELEASE_REAPED);
}

START_TEST(t_kill_512MiB_reaped_and_measured)
{
	struct mrelease_result r;
	uint64_t held = 0;
	int i, reaped = 0;

	/* Without a freezer the victim can win the race (ESRCH): retry.
	 * Without process_mrelease: killed, measured, nothing freed. */
	for (i = 0; i < 5 && !reaped; i++) {
		memset(&r, 0xa5, sizeof(r));
		reaped = kill_victim(512 * MiB, MRELEASE_MEASURE, &r, &held);
		ck_assert_uint_ne(r.status & MRELEASE_MEASURED, 0);
		if (!reaped)
			ck_assert_int_eq(r.reap_errno, TL_RACE_ERRNO());
		if (tl_reap_missing())
			break;
	}
	if (tl_reap_missing()) {
		ck_assert_int_eq(reaped, 0);
		ck_assert_uint_eq(r.reaped + r.freed, 0);
	} else {
		ck_assert_msg(reaped, "never reaped in 5 tries");
		ck_assert_int_eq(r.reap_errno, 0);
		ck_assert_uint_eq(r.reaped, 1);
	}
	ck_assert_uint_eq(r.gone + r.failed + r.reserved0, 0);
	/* It held what it touched (and, under valgrind or a sanitizer, more);
	 * what we report held and freed is within 5 % of what it held. */
	ck_assert_uint_ge(held, 512 * MiB);
	ck_assert_msg(r.rss_anon >= held * 95 / 100 &&
		      r.rss_anon <= held * 105 / 100, "rss_anon %llu",
		      (unsigned long long)r.rss_anon);
	ck_assert_msg(tl_reap_missing() || (r.freed >= held * 95 / 100 &&
		      r.freed <= held * 105 / 100), "freed %llu",
		      (unsigned long long)r.freed);
	ck_assert_uint_gt(r.time_ns, 0);
}
END_TEST

START_TEST(t_kill_without_measure)
{
	struct mrelease_result r;

	memset(&r, 0xa5, sizeof(r));
	kill_victim(4 * MiB, 0, &r, NULL);
	ck_assert_uint_eq(r.status & MRELEASE_MEASURED, 0);
	ck_assert_uint_eq(r.rss_anon + r.rss_file + r.rss_shmem + r.freed, 0);
}
END_TEST

START_TEST(t_kill_null_result)
{
	int pidfd;

	tl_victim(MiB, -1, &pidfd);
	ck_assert_int_eq(mrelease_kill(pidfd, MRELEASE_MEASURE, NULL, 0), 0);
	ck_assert_int_eq(tl_pidfd_killed(pidfd), SIGKILL);
	close(pidfd);
}
END_TEST

/* ---- the extensible result ------------------------------------------ */

START_TEST(t_result_old_caller)
{
	unsigned char buf[MRELEASE_RESULT_SIZE_VER0 + 16];
	struct mrelease_result r;
	int pidfd;
	pid_t pid = tl_victim(MiB, -1, &pidfd);
	size_t i;

	/* A caller built when the struct was VER0 bytes: nothing past. */
	memset(buf, 0x5a, sizeof(buf));
	ck_assert_int_eq(mrelease_kill(pidfd, MRELEASE_MEASURE,
				       (struct mrelease_result *)(void *)buf,
				       MRELEASE_RESULT_SIZE_VER0), 0);
	for (i = MRELEASE_RESULT_SIZE_VER0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0x5a);
	memcpy(&r, buf, MRELEASE_RESULT_SIZE_VER0);
	ck_assert_uint_ne(r.status & MRELEASE_KILLED, 0);
	ck_assert_int_eq(r.pid, pid);
	ck_assert_uint_eq(r.killed, 1);
	ck_assert_int_eq(tl_pidfd_killed(pidfd), SIGKILL);
	close(pidfd);
}
END_TEST

START_TEST(t_result_new_caller)
{
	/* A caller built against a later header: a bigger struct. */
	struct {
		struct mrelease_result r;
		uint64_t later[6];
	} big;
	int pidfd;
	pid_t pid = tl_victim(MiB, -1, &pidfd);
	size_t i;

	memset(&big, 0xff, sizeof(big));
	ck_assert_int_eq(mrelease_kill(pidfd, 0, &big.r, sizeof(big)), 0);
	ck_assert_uint_ne(big.r.status & MRELEASE_KILLED, 0);
	ck_assert_int_eq(big.r.pid, pid);
	ck_assert_uint_eq(big.r.reserved0, 0);
	for (i = 0; i < 6; i++)
		ck_assert_uint_eq(big.later[i], 0);
	ck_assert_int_eq(tl_pidfd_killed(pidfd), SIGKILL);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_kill__EINVAL__small_result)
{
	/* Too small, none, too large (no result is 1 MiB), and no buffer. */
	static const struct {
		int null;
		size_t size;
	} bad[] = {
		{ 0, MRELEASE_RESULT_SIZE_VER0 - 1 }, { 0, 0 }, { 0, 1 << 20 },
		{ 1, sizeof(struct mrelease_result) },
	};
	struct mrelease_result r;
	int pidfd;
	pid_t pid = tl_victim(MiB, -1, &pidfd);
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(mrelease_kill(pidfd, 0, bad[i].null ? NULL : &r,
					       bad[i].size), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert(tl_pidfd_alive(pidfd));	/* nothing killed */
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_kill__EINVAL__unknown_flag)
{
	struct mrelease_result r;
	int pidfd;
	pid_t pid = tl_victim(MiB, -1, &pidfd);

	errno = 0;
	ck_assert_int_eq(mrelease_kill(pidfd, 0x80000000U, &r, sizeof(r)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(tl_pidfd_alive(pidfd));
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

/* ---- bad fds --------------------------------------------------------- */

START_TEST(t_mrelease_kill__EBADF__negative_fd)
{
	struct mrelease_result r;
	/* -1, and the kernel's PIDFD_SELF sentinels: never the caller. */
	static const int bad[] = { -1, -10000, -10001, -20000, INT_MIN };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(mrelease_kill(bad[i], 0, &r, sizeof(r)), -1);
		ck_assert_int_eq(errno, EBADF);
	}
}
END_TEST

START_TEST(t_mrelease_kill__EBADF__not_a_pidfd)
{
	struct mrelease_result r;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char name[32];
	int dfd;

	errno = 0;
	ck_assert_int_eq(mrelease_kill(fd, MRELEASE_MEASURE, &r, sizeof(r)),
			 -1);
	ck_assert_int_eq(errno, EBADF);
	close(fd);
	errno = 0;
	ck_assert_int_eq(mrelease_kill(fd, 0, &r, sizeof(r)), -1);	/* closed */
	ck_assert_int_eq(errno, EBADF);
	/* A /proc/<pid> directory fd is no pidfd here (process_mrelease
	 * refuses it, so this refuses to kill with it). */
	snprintf(name, sizeof(name), "/proc/%d", (int)getpid());
	dfd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	close(dfd);
}
END_TEST

START_TEST(t_mrelease_kill__ESRCH__already_reaped)
{
	struct mrelease_result r;
	int pidfd;
	pid_t pid = tl_victim(MiB, -1, &pidfd);

	tl_victim_reap(pid);
	errno = 0;
	ck_assert_int_eq(mrelease_kill(pidfd, MRELEASE_MEASURE, &r, sizeof(r)),
			 -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_uint_eq(r.status, 0);
	close(pidfd);
}
END_TEST

struct as_nobody {
	int pidfd;
	pid_t pid;
};

static void kill_as_nobody(void *arg, struct tl_outcome *o)
{
	struct as_nobody *a = arg;

	errno = 0;
	if (a->pidfd >= 0)
		o->rc = mrelease_kill(a->pidfd, MRELEASE_MEASURE, &o->r,
				      sizeof(o->r));
	else
		o->rc = mrelease_kill_pid(a->pid, MRELEASE_MEASURE, &o->r,
					  sizeof(o->r));
	o->err = errno;
}

START_TEST(t_mrelease_kill__EPERM__other_user)
{
	struct as_nobody a;
	struct tl_outcome o;

	if (geteuid() != 0)
		tl_skip("needs root to become another user", NULL);
	a.pid = tl_victim(MiB, -1, &a.pidfd);
	ck_assert_int_eq(tl_in_child(-1, 0, 65534, kill_as_nobody, &a, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EPERM);
	ck_assert(tl_pidfd_alive(a.pidfd));
	tl_victim_reap(a.pid);
	close(a.pidfd);
}
END_TEST

START_TEST(t_mrelease_kill_pid__EPERM__other_user)
{
	struct as_nobody a;
	struct tl_outcome o;
	int pidfd;

	if (geteuid() != 0)
		tl_skip("needs root to become another user", NULL);
	a.pid = tl_victim(MiB, -1, &pidfd);
	a.pidfd = -1;
	ck_assert_int_eq(tl_in_child(-1, 0, 65534, kill_as_nobody, &a, &o), 0);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, EPERM);
	ck_assert_uint_eq(o.r.status & MRELEASE_KILLED, 0);
	ck_assert(tl_pidfd_alive(pidfd));
	tl_victim_reap(a.pid);
	close(pidfd);
}
END_TEST

/* ---- mrelease_kill_pid ----------------------------------------------- */

START_TEST(t_kill_pid_reaps)
{
	struct mrelease_result r;
	int pidfd, i, reaped = 0;
	pid_t pid;

	/* Unheld, the victim can reach exit_mm() first several times in a
	 * row (seen 5 in the musl build): try up to 20 times. */
	for (i = 0; i < 20 && !reaped; i++) {
		pid = tl_victim(32 * MiB, -1, &pidfd);
		memset(&r, 0xa5, sizeof(r));
		ck_assert_int_eq(mrelease_kill_pid(pid, MRELEASE_MEASURE, &r,
						   sizeof(r)), 0);
		ck_assert_uint_eq(r.status & (MRELEASE_KILLED |
					      MRELEASE_FALLBACK_KILL),
				  MRELEASE_KILLED);
		ck_assert_int_eq(r.pid, pid);
		ck_assert_uint_ge(r.rss_anon, 32 * MiB);
		reaped = !!(r.status & MRELEASE_REAPED);
		if (reaped)
			ck_assert_uint_ge(r.freed, 31 * MiB);
		else
			ck_assert_int_eq(r.reap_errno, TL_RACE_ERRNO());
		ck_assert_int_eq(tl_pidfd_killed(pidfd), SIGKILL);
		close(pidfd);
		if (tl_reap_missing()) {
			/* Killed by its pidfd, never reaped. */
			ck_assert_int_eq(reaped, 0);
			ck_assert_uint_eq(r.reaped + r.freed, 0);
			return;
		}
	}
	ck_assert(reaped);
}
END_TEST

START_TEST(t_mrelease_kill_pid__EINVAL__pid_not_positive)
{
	struct mrelease_result r;
	static const pid_t bad[] = { 0, -1, -2, INT_MIN };
	size_t i;

	/* kill(2) would signal whole groups: must never get there. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(mrelease_kill_pid(bad[i], 0, &r, sizeof(r)),
				 -1);
		ck_assert_int_eq(errno, EINVAL);
	}
}
END_TEST

START_TEST(t_mrelease_kill_pid__EINVAL__small_result)
{
	struct mrelease_result r;
	int pidfd;
	pid_t pid = tl_victim(MiB, -1, &pidfd);

	errno = 0;
	ck_assert_int_eq(mrelease_kill_pid(pid, 0, &r, 8), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(mrelease_kill_pid(pid, 0x100000U, &r, sizeof(r)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(tl_pidfd_alive(pidfd));
	tl_victim_reap(pid);
	close(pidfd);
}
END_TEST

START_TEST(t_mrelease_kill_pid__ESRCH__no_such_pid)
{
	struct mrelease_result r;

	/* Above any pid_max: no process can have it. */
	errno = 0;
	ck_assert_int_eq(mrelease_kill_pid(INT_MAX, 0, &r, sizeof(r)), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

START_TEST(t_mrelease_kill_pid__ENOENT__thread_id)
{
	struct mrelease_result r;
	pthread_t t;
	pid_t tid;
	char path[64];

	/* A thread of this very test: pidfd_open refuses a non-leader tid,
	 * and nothing is killed. */
	ck_assert_int_eq(pthread_create(&t, NULL, sleeper, NULL), 0);
	for (tid = getpid() + 1; tid < getpid() + 1000; tid++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d", (int)tid);
		if (access(path, F_OK) == 0)
			break;
	}
	ck_assert_int_lt(tid, getpid() + 1000);
	errno = 0;
	ck_assert_int_eq(mrelease_kill_pid(tid, 0, &r, sizeof(r)), -1);
	if (tl_kernel_version() >= 6016)
		ck_assert_int_eq(errno, ENOENT);
	else
		ck_assert_int_eq(errno, EINVAL);
	pthread_cancel(t);
	pthread_join(t, NULL);
}
END_TEST

/* ---- degradation ----------------------------------------------------- */

struct deg {
	int pidfd;
	pid_t pid;
	int by_pid;
	unsigned int flags;	/* beside MRELEASE_MEASURE */
};

static void kill_in_sandbox(void *arg, struct tl_outcome *o)
{
	struct deg *d = arg;

	errno = 0;
	if (d->by_pid)
		o->rc = mrelease_kill_pid(d->pid, MRELEASE_MEASURE | d->flags,
					  &o->r, sizeof(o->r));
	else
		o->rc = mrelease_kill(d->pidfd, MRELEASE_MEASURE | d->flags,
				      &o->r, sizeof(o->r));
	o->err = errno;
}

static void sandboxed(long nr, int err, int by_pid, struct tl_outcome *o,
		      struct deg *d)
{
	d->by_pid = by_pid;
	d->flags = 0;
	d->pid = tl_victim(8 * MiB, -1, &d->pidfd);
	if (tl_in_child(nr, err, -1, kill_in_sandbox, d, o) == 77) {
		tl_victim_reap(d->pid);
		tl_skip("seccomp filters", "Linux 3.5");
	}
}

static void no_reap(int err)
{
	struct tl_outcome o;
	struct deg d;

	sandboxed(MRELEASE_NR_process_mrelease, err, 0, &o, &d);
	/* The kill stands; the result says not reaped, and why. */
	ck_assert_int_eq(o.rc, 0);
	ck_assert_uint_eq(o.r.status & (MRELEASE_KILLED | MRELEASE_REAPED),
			  MRELEASE_KILLED);
	ck_assert_int_eq(o.r.reap_errno, err);
	ck_assert_uint_eq(o.r.reaped, 0);
	ck_assert_uint_eq(o.r.freed, 0);
	ck_assert_int_eq(tl_pidfd_killed(d.pidfd), SIGKILL);
	close(d.pidfd);
}

START_TEST(t_kill_process_mrelease_ENOSYS_still_kills)
{
	no_reap(ENOSYS);
}
END_TEST

START_TEST(t_kill_process_mrelease_EPERM_still_kills)
{
	no_reap(EPERM);
}
END_TEST

static void fallback(long nr, int err)
{
	struct tl_outcome o;
	struct deg d;

	sandboxed(nr, err, 1, &o, &d);
	ck_assert_int_eq(o.rc, 0);
	ck_assert_uint_eq(o.r.status & (MRELEASE_KILLED |
					MRELEASE_FALLBACK_KILL),
			  MRELEASE_KILLED | MRELEASE_FALLBACK_KILL);
	ck_assert_int_eq(o.r.pid, d.pid);
	if (nr == MRELEASE_NR_pidfd_open) {
		/* No pidfd, no reap. */
		ck_assert_uint_eq(o.r.status & MRELEASE_REAPED, 0);
		ck_assert_int_eq(o.r.reap_errno, err);
	} else {
		/* The pidfd names the process: it was measured before the
		 * kill, as when the sandbox answers EPERM. */
		ck_assert_uint_ne(o.r.status & MRELEASE_MEASURED, 0);
		ck_assert_uint_ge(o.r.rss_anon, 8 * MiB);
		/* The pidfd still reaps after kill(2), unless it lost. */
		if (!(o.r.status & MRELEASE_REAPED))
			ck_assert_int_eq(o.r.reap_errno, TL_RACE_ERRNO());
	}
	ck_assert_int_eq(tl_pidfd_killed(d.pidfd), SIGKILL);
	close(d.pidfd);
}

START_TEST(t_kill_pid_pidfd_open_ENOSYS_falls_back)
{
	fallback(MRELEASE_NR_pidfd_open, ENOSYS);
}
END_TEST

START_TEST(t_kill_pid_pidfd_open_EPERM_falls_back)
{
	fallback(MRELEASE_NR_pidfd_open, EPERM);
}
END_TEST

START_TEST(t_kill_pid_pidfd_send_signal_ENOSYS_falls_back)
{
	fallback(MRELEASE_NR_pidfd_send_signal, ENOSYS);
}
END_TEST

START_TEST(t_kill_pid_pidfd_send_signal_EPERM_falls_back)
{
	fallback(MRELEASE_NR_pidfd_send_signal, EPERM);
}
END_TEST

/* MRELEASE_NO_FALLBACK: no kill(2), whatever is missing; the process lives
 * and the call says why. */
static void no_fallback(long nr, int err)
{
	struct tl_outcome o;
	struct deg d;

	d.by_pid = 1;
	d.flags = MRELEASE_NO_FALLBACK;
	d.pid = tl_victim(8 * MiB, -1, &d.pidfd);
	if (tl_in_child(nr, err, -1, kill_in_sandbox, &d, &o) == 77) {
		tl_victim_reap(d.pid);
		tl_skip("seccomp filters", "Linux 3.5");
	}
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, err);
	ck_assert_uint_eq(o.r.status, 0);
	ck_assert_msg(tl_pidfd_alive(d.pidfd), "killed without the pidfd calls");
	tl_victim_reap(d.pid);
	close(d.pidfd);
}

START_TEST(t_mrelease_kill_pid__ENOSYS__no_fallback)
{
	no_fallback(MRELEASE_NR_pidfd_open, ENOSYS);
	no_fallback(MRELEASE_NR_pidfd_send_signal, ENOSYS);
}
END_TEST

START_TEST(t_mrelease_kill_pid__EPERM__no_fallback)
{
	no_fallback(MRELEASE_NR_pidfd_open, EPERM);
	no_fallback(MRELEASE_NR_pidfd_send_signal, EPERM);
}
END_TEST

START_TEST(t_mrelease_kill__ENOSYS__no_pidfd_send_signal)
{
	struct tl_outcome o;
	struct deg d;

	/* From a pidfd alone there is nothing to fall back to: the call
	 * fails and the process lives. */
	sandboxed(MRELEASE_NR_pidfd_send_signal, ENOSYS, 0, &o, &d);
	ck_assert_int_eq(o.rc, -1);
	ck_assert_int_eq(o.err, ENOSYS);
	ck_assert_uint_eq(o.r.status, 0);
	ck_assert(tl_pidfd_alive(d.pidfd));
	tl_victim_reap(d.pid);
	close(d.pidfd);
}
END_TEST

/* Without process_mrelease (Linux 5.15) every kill still runs: it kills,
 * and reaps nothing (ENOSYS). */
TL_MAIN("kill", "kill", TL_CALLS_KILL, NULL, 120, TL_CHECK_FDS)
