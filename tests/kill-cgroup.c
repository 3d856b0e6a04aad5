/*
 * kill-cgroup.c - mrelease_kill_cgroup() on real cgroup v2 subtrees: 30
 * processes in 3 nested levels, with cgroup.kill and without it, held in a
 * v1 freezer so every reap is certain; and every bad input
 *
 * SPDX-License-Identifier: MIT
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
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"
#include "syscall-nr.h"

#define NPROC 30
#define VICTIM_BYTES (8 * MiB)

static const char *cg2;

/* Processes and their pidfds, spread over top, top/a and top/a/b. */
struct tree {
	char dir[3][1024];
	pid_t pid[NPROC];
	int pidfd[NPROC];
	struct tl_hold hold;
	int held;
};

static int cgroup_procs_empty(const char *dir)
{
	char path[1100], buf[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == 0;
}

static void tree_make(struct tree *t, int hold)
{
	int i;

	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(tl_cg_make("kill-cgroup", t->dir[0], sizeof(t->dir[0])), 0);
	ck_assert_int_lt(snprintf(t->dir[1], sizeof(t->dir[1]), "%s/a",
				  t->dir[0]), (int)sizeof(t->dir[1]));
	ck_assert_int_lt(snprintf(t->dir[2], sizeof(t->dir[2]), "%s/b",
				  t->dir[1]), (int)sizeof(t->dir[2]));
	ck_assert_int_eq(mkdir(t->dir[1], 0755), 0);
	ck_assert_int_eq(mkdir(t->dir[2], 0755), 0);
	for (i = 0; i < NPROC; i++) {
		t->pid[i] = tl_victim(VICTIM_BYTES, -1, &t->pidfd[i]);
		ck_assert_int_eq(tl_cg_move(t->dir[i % 3], t->pid[i]), 0);
	}
	/* Without process_mrelease there is no race to win: no hold. */
	if (hold && tl_freezer_root() && !tl_reap_missing()) {
		ck_assert_int_eq(tl_hold_freeze(&t->hold, t->pid, NPROC), 0);
		t->held = 1;
	}
}

/* Everything dead by SIGKILL, every level empty, all removed. */
static void tree_check_dead_and_remove(struct tree *t)
{
	int i;

	ck_assert_int_eq(tl_hold_end(&t->hold), 0);
	for (i = 0; i < NPROC; i++) {
		ck_assert_int_eq(tl_pidfd_killed(t->pidfd[i]),
				 SIGKILL);
		close(t->pidfd[i]);
	}
	for (i = 2; i >= 0; i--) {
		ck_assert(cgroup_procs_empty(t->dir[i]));
		ck_assert_int_eq(tl_rmdir(t->dir[i]), 0);
	}
}

/*
 * mrelease_kill_cgroup() returns only once the subtree is empty, and a held
 * victim cannot exit: this thread thaws them as soon as every one has been
 * reaped (RssAnon 0), or after 3 s (the call waits 5 s), so that a reap
 * that did not happen fails the test's counts rather than hangs it.
 */
static void *thaw_when_reaped(void *arg)
{
	struct tree *t = arg;
	int i, left, tries;

	for (tries = 0; tries < 3000; tries++) {
		for (i = 0, left = 0; i < NPROC; i++)
			left += tl_status_kb(t->pid[i], "RssAnon") > 0;
		if (!left)
			break;
		usleep(1000);
	}
	tl_hold_end(&t->hold);
	return NULL;
}

static void kill_tree(unsigned int flags, int hold)
{
	struct mrelease_result r;
	struct tree t;
	pthread_t thaw;
	uint64_t held = 0;
	int i;

	tree_make(&t, hold);
	/* What they hold (a sanitizer build holds more than it touched). */
	for (i = 0; i < NPROC; i++)
		held += (uint64_t)tl_status_kb(t.pid[i], "RssAnon") * 1024;
	memset(&r, 0xa5, sizeof(r));
	if (t.held)
		ck_assert_int_eq(pthread_create(&thaw, NULL, thaw_when_reaped,
						&t), 0);
	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, t.dir[0], flags, &r,
					      sizeof(r)), 0);
	if (t.held)
		pthread_join(thaw, NULL);
	ck_assert_uint_eq(r.killed, NPROC);
	ck_assert_uint_eq(r.gone, 0);
	ck_assert_uint_eq(r.failed, 0);
	ck_assert_uint_le(r.reaped, r.killed);
	ck_assert_uint_eq(r.killed + r.gone + r.failed, NPROC);
	ck_assert_int_eq(r.pid, 0);
	ck_assert_uint_ne(r.status & MRELEASE_KILLED, 0);
	ck_assert_uint_eq(r.status & MRELEASE_FALLBACK_KILL, 0);
	/* cgroup.kill (Linux 5.14) where the kernel has it; before, the
	 * per-pid path alone killed them all. */
	if ((flags & MRELEASE_NO_KILLFILE) || !tl_cg_killfile())
		ck_assert_uint_eq(r.status & MRELEASE_KILLFILE, 0);
	else
		ck_assert_uint_ne(r.status & MRELEASE_KILLFILE, 0);
	if (t.held) {
		/* Held with their mm: every one reaped by this call. */
		TL_ASSERT_REAPED(r, NPROC);
	} else if (tl_reap_missing()) {
		/* Killed, none reaped (no process_mrelease: Linux 5.15). */
		TL_ASSERT_REAPED(r, 0);
	} else if (r.reaped < r.killed) {
		ck_assert_int_eq(r.reap_errno, ESRCH);
	}
	if (flags & MRELEASE_MEASURE) {
		ck_assert_uint_ne(r.status & MRELEASE_MEASURED, 0);
		ck_assert_uint_ge(r.rss_anon, (uint64_t)NPROC * VICTIM_BYTES);
		if (t.held) {
			/* Frozen: what we read is what it read. */
			ck_assert_uint_eq(r.rss_anon, held);
			ck_assert_uint_ge(r.freed, held * 95 / 100);
		}
	}
	ck_assert_uint_gt(r.time_ns, 0);
	tree_check_dead_and_remove(&t);
}

START_TEST(t_cgroup_killfile)
{
	kill_tree(MRELEASE_MEASURE, 1);
}
END_TEST

START_TEST(t_cgroup_no_killfile)
{
	kill_tree(MRELEASE_MEASURE | MRELEASE_NO_KILLFILE, 1);
}
END_TEST

START_TEST(t_cgroup_unheld_threads)
{
	/* Not held: they race us to their exit; the counts still add up. */
	kill_tree(MRELEASE_THREADS(3), 0);
	kill_tree(MRELEASE_NO_KILLFILE | MRELEASE_THREADS(1), 0);
}
END_TEST

START_TEST(t_cgroup_relative_to_dirfd)
{
	struct mrelease_result r;
	char dir[1024];
	int pidfd, dfd;
	pid_t pid;

	ck_assert_int_eq(tl_cg_make("kill-cgroup", dir, sizeof(dir)), 0);
	pid = tl_victim(MiB, -1, &pidfd);
	ck_assert_int_eq(tl_cg_move(dir, pid), 0);
	dfd = open(cg2, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(mrelease_kill_cgroup(dfd, strrchr(dir, '/') + 1, 0,
					      &r, sizeof(r)), 0);
	close(dfd);
	ck_assert_uint_eq(r.killed, 1);
	ck_assert_int_eq(tl_pidfd_killed(pidfd), SIGKILL);
	close(pidfd);
	ck_assert_int_eq(tl_rmdir(dir), 0);
}
END_TEST

START_TEST(t_cgroup_empty)
{
	struct mrelease_result r;
	char dir[1024];

	ck_assert_int_eq(tl_cg_make("kill-cgroup", dir, sizeof(dir)), 0);
	ck_assert_int_eq(mkdir(strcat(dir, "/sub"), 0755), 0);
	*strrchr(dir, '/') = 0;
	memset(&r, 0xa5, sizeof(r));
	errno = 0;
	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, dir, MRELEASE_MEASURE,
					      &r, sizeof(r)), 0);
	ck_assert_uint_eq(r.killed + r.reaped + r.gone + r.failed, 0);
	/* cgroup.kill is written even so: it takes whatever came late. */
	ck_assert_uint_eq(r.status & ~(MRELEASE_MEASURED | MRELEASE_KILLFILE), 0);
	if (!tl_cg_killfile())
		ck_assert_uint_eq(r.status & MRELEASE_KILLFILE, 0);
	ck_assert_uint_eq(r.freed + r.rss_anon, 0);
	ck_assert_int_eq(tl_rmdir(strcat(dir, "/sub")), 0);
	*strrchr(dir, '/') = 0;
	ck_assert_int_eq(tl_rmdir(dir), 0);
}
END_TEST

/* ---- bad input: a victim in a real cgroup that must survive each ---- */

struct bystander {
	char dir[1024];
	pid_t pid;
	int pidfd;
};

static void bystander_start(struct bystander *b)
{
	ck_assert_int_eq(tl_cg_make("kill-cgroup", b->dir, sizeof(b->dir)), 0);
	b->pid = tl_victim(MiB, -1, &b->pidfd);
	ck_assert_int_eq(tl_cg_move(b->dir, b->pid), 0);
}

static void bystander_check(struct bystander *b)
{
	ck_assert_msg(tl_pidfd_alive(b->pidfd), "a bystander was killed");
	tl_victim_reap(b->pid);
	close(b->pidfd);
	ck_assert_int_eq(tl_rmdir(b->dir), 0);
}

static void expect_errno(int dirfd, const char *path, unsigned int flags,
			 void *res, size_t size, int err)
{
	errno = 0;
	ck_assert_int_eq(mrelease_kill_cgroup(dirfd, path, flags, res, size),
			 -1);
	ck_assert_msg(errno == err, "%s: errno %d, not %d", path, errno, err);
}

START_TEST(t_mrelease_kill_cgroup__EBADF__negative_dirfd)
{
	struct mrelease_result r;
	struct bystander b;

	bystander_start(&b);
	expect_errno(-1, strrchr(b.dir, '/') + 1, 0, &r, sizeof(r), EBADF);
	expect_errno(-42, "x", 0, &r, sizeof(r), EBADF);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_kill_cgroup__ENOENT__missing)
{
	struct mrelease_result r;
	struct bystander b;
	char path[1100];

	bystander_start(&b);
	snprintf(path, sizeof(path), "%s/no-such-cgroup", b.dir);
	expect_errno(AT_FDCWD, path, 0, &r, sizeof(r), ENOENT);
	expect_errno(AT_FDCWD, "", 0, &r, sizeof(r), ENOENT);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_kill_cgroup__ENOTDIR__cgroup_file)
{
	struct mrelease_result r;
	struct bystander b;
	char path[1100];

	bystander_start(&b);
	snprintf(path, sizeof(path), "%s/cgroup.procs", b.dir);
	expect_errno(AT_FDCWD, path, 0, &r, sizeof(r), ENOTDIR);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_kill_cgroup__EMEDIUMTYPE__not_cgroup2)
{
	struct mrelease_result r;
	struct bystander b;
	const char *fz = tl_freezer_root();

	bystander_start(&b);
	expect_errno(AT_FDCWD, "/tmp", 0, &r, sizeof(r), EMEDIUMTYPE);
	expect_errno(AT_FDCWD, "/proc/self", 0, &r, sizeof(r), EMEDIUMTYPE);
	if (fz)	/* a cgroup v1 directory */
		expect_errno(AT_FDCWD, fz, 0, &r, sizeof(r), EMEDIUMTYPE);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_kill_cgroup__EINVAL__bad_arguments)
{
	struct mrelease_result r;
	struct bystander b;

	bystander_start(&b);
	expect_errno(AT_FDCWD, b.dir, 0, &r, MRELEASE_RESULT_SIZE_VER0 - 1,
		     EINVAL);
	expect_errno(AT_FDCWD, b.dir, 0, &r, 0, EINVAL);
	expect_errno(AT_FDCWD, b.dir, 0, NULL, sizeof(r), EINVAL);
	expect_errno(AT_FDCWD, b.dir, 0x10000U, &r, sizeof(r), EINVAL);
	expect_errno(AT_FDCWD, NULL, 0, &r, sizeof(r), EINVAL);
	bystander_check(&b);
}
END_TEST

/* A call in a forked child on dir: sig 0 is mrelease_kill_cgroup() with
 * flags, else mrelease_signal_cgroup(). */
struct sandboxed {
	const char *dir;
	int sig;
	unsigned int flags;
};

static void call_cgroup(const struct sandboxed *s, const char *path,
			struct tl_outcome *o)
{
	errno = 0;
	if (s->sig)
		o->rc = mrelease_signal_cgroup(AT_FDCWD, path, s->sig, 0,
					       &o->r, sizeof(o->r));
	else
		o->rc = mrelease_kill_cgroup(AT_FDCWD, path, s->flags, &o->r,
					     sizeof(o->r));
	o->err = errno;
}

/* The call on s->dir. */
static void call_dir(void *arg, struct tl_outcome *o)
{
	call_cgroup(arg, ((const struct sandboxed *)arg)->dir, o);
}

/* The call on s->dir from a child that joined it. */
static void call_own_cgroup(void *arg, struct tl_outcome *o)
{
	const struct sandboxed *s = arg;

	o->rc = 99;
	if (tl_cg_move(s->dir, getpid()) < 0)
		return;
	call_cgroup(s, s->dir, o);
}

/* In a forked child: join the cgroup s->dir, make it the root of a new
 * cgroup namespace, mount that namespace's cgroup2 and call on its root.
 * Were the refusal broken, only the test's own victim (and this child,
 * which the caller rule spares) could die: never a bystander. */
static void call_ns_root(void *arg, struct tl_outcome *o)
{
	const struct sandboxed *s = arg;
	char mnt[] = "/tmp/mrelease-cgns-XXXXXX";

	o->rc = 99;
	if (tl_cg_move(s->dir, getpid()) < 0 ||
	    unshare(CLONE_NEWCGROUP) < 0 || tl_mountns_private() < 0 ||
	    !mkdtemp(mnt))
		return;
	if (mount("none", mnt, "cgroup2", 0, NULL) == 0) {
		call_cgroup(s, mnt, o);
		umount2(mnt, MNT_DETACH);
	}
	rmdir(mnt);
}

/* fn(how) in a child, as uid, under a seccomp ENOSYS for nr, on a cgroup
 * of one bystander (of mode, unless 0): it fails with err, the bystander
 * lives.  The outcome in *o. */
static void refused(struct sandboxed how, long nr, int uid, mode_t mode,
		    void (*fn)(void *, struct tl_outcome *), int err,
		    struct tl_outcome *o)
{
	struct bystander b;

	if (uid >= 0 && geteuid() != 0)
		tl_skip("needs root to become another user", NULL);
	bystander_start(&b);
	how.dir = b.dir;
	if (mode)
		ck_assert_int_eq(chmod(b.dir, mode), 0);
	if (tl_in_child(nr, nr >= 0 ? ENOSYS : 0, uid, fn, &how, o) == 77) {
		bystander_check(&b);
		tl_skip("seccomp", "Linux 3.5");
	}
	ck_assert_msg(o->rc != 99, "could not set the child up");
	ck_assert_int_eq(o->rc, -1);
	ck_assert_int_eq(o->err, err);
	bystander_check(&b);
}

static void cgroup2_root(int sig)
{
	struct tl_outcome o;

	if (geteuid() != 0)
		tl_skip("needs root for a cgroup namespace and a mount", NULL);
	refused((struct sandboxed){ NULL, sig, 0 }, -1, -1, 0, call_ns_root,
		EINVAL, &o);
	ck_assert_uint_eq(o.r.killed + o.r.failed + o.r.gone, 0);
}

START_TEST(t_mrelease_kill_cgroup__EINVAL__cgroup2_root)
{
	cgroup2_root(0);
}
END_TEST

START_TEST(t_cgroup_caller_inside_survives)
{
	struct sandboxed s = { NULL, 0, 0 };
	struct tl_outcome o;
	struct bystander b;	/* here: the victim that must die */

	bystander_start(&b);
	s.dir = b.dir;
	/* tl_in_child fails the test if the child is killed. */
	ck_assert_int_eq(tl_in_child(-1, 0, -1, call_own_cgroup, &s, &o), 0);
	ck_assert_int_eq(o.rc, 0);
	ck_assert_uint_eq(o.r.killed, 1);
	ck_assert_uint_eq(o.r.status & MRELEASE_KILLFILE, 0);
	ck_assert_int_eq(tl_pidfd_killed(b.pidfd), SIGKILL);
	close(b.pidfd);
	ck_assert_int_eq(tl_rmdir(b.dir), 0);
}
END_TEST

/* Another user may read the cgroup but neither write cgroup.kill nor
 * signal root's process: failed, with EPERM. */
static void not_allowed(int sig)
{
	struct tl_outcome o;

	refused((struct sandboxed){ NULL, sig, 0 }, -1, 65534, 0, call_dir,
		EPERM, &o);
	ck_assert_uint_eq(o.r.failed, 1);
	ck_assert_uint_eq(o.r.killed + o.r.gone, 0);
}

START_TEST(t_mrelease_kill_cgroup__EPERM__not_allowed)
{
	not_allowed(0);
}
END_TEST

/* A cgroup directory of mode 0700 that another user may not open. */
static void not_readable(int sig)
{
	struct tl_outcome o;

	refused((struct sandboxed){ NULL, sig, 0 }, -1, 65534, 0700, call_dir,
		EACCES, &o);
	ck_assert_uint_eq(o.r.killed + o.r.gone + o.r.failed, 0);
}

START_TEST(t_mrelease_kill_cgroup__EACCES__not_readable)
{
	not_readable(0);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__EACCES__not_readable)
{
	not_readable(SIGTERM);
}
END_TEST

/* ---- the wait for the subtree to empty ---------------------------- */

/*
 * A victim held in a cgroup v1 freezer cannot exit, SIGKILL or not: the
 * call must not say it is dead.  It waits its bound (5 s), then fails with
 * ETIMEDOUT and counts the survivor in failed.
 */
START_TEST(t_mrelease_kill_cgroup__ETIMEDOUT__held_in_v1_freezer)
{
	const char *fz = tl_freezer_root();
	struct mrelease_result r;
	struct bystander b, v;
	struct tl_hold h;

	if (!fz)
		tl_skip("no cgroup v1 freezer mounted", NULL);
	bystander_start(&b);
	bystander_start(&v);
	ck_assert_int_eq(tl_hold_freeze(&h, &v.pid, 1), 0);
	errno = 0;
	ck_assert_int_eq(mrelease_kill_cgroup(AT_FDCWD, v.dir, 0, &r,
					      sizeof(r)), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_uint_eq(r.failed, 1);
	ck_assert_uint_eq(r.killed + r.gone, 0);
	ck_assert_msg(tl_pidfd_alive(v.pidfd), "a frozen process exited");
	/* Thawed, it dies of the SIGKILL it was sent. */
	ck_assert_int_eq(tl_hold_end(&h), 0);
	ck_assert_int_eq(tl_pidfd_killed(v.pidfd), SIGKILL);
	close(v.pidfd);
	ck_assert_int_eq(tl_rmdir(v.dir), 0);
	bystander_check(&b);
}
END_TEST

/* ---- no pidfds: a sandbox answers ENOSYS to pidfd_open ------------ */

static void no_pidfd_open(int sig)
{
	struct tl_outcome o;

	refused((struct sandboxed){ NULL, sig, MRELEASE_NO_KILLFILE },
		MRELEASE_NR_pidfd_open, -1, 0, call_dir, ENOSYS, &o);
	ck_assert_uint_eq(o.r.failed, 1);
	/* Nothing was signalled: the victim is alive. */
	ck_assert_uint_eq(o.r.killed + o.r.gone, 0);
}

START_TEST(t_mrelease_kill_cgroup__ENOSYS__no_pidfd_open)
{
	no_pidfd_open(0);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__ENOSYS__no_pidfd_open)
{
	no_pidfd_open(SIGTERM);
}
END_TEST

/* ---- mrelease_signal_cgroup() ------------------------------------- */

/* SIGTERM to every process of the subtree, through the library: the one
 * that ignores it lives on, a sentinel outside is never signalled. */
START_TEST(t_signal_cgroup_term)
{
	struct mrelease_result r;
	struct bystander b;
	char dir[1024], sub[1100];
	pid_t p1, p2, stubborn;
	int fd1, fd2, fds;

	bystander_start(&b);
	ck_assert_int_eq(tl_cg_make("kill-cgroup", dir, sizeof(dir)), 0);
	snprintf(sub, sizeof(sub), "%s/.hidden", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	p1 = tl_victim(MiB, -1, &fd1);
	p2 = tl_victim(MiB, -1, &fd2);
	stubborn = tl_victim_ignoring_term(MiB, &fds);
	ck_assert_int_eq(tl_cg_move(dir, p1), 0);
	ck_assert_int_eq(tl_cg_move(sub, p2), 0);
	ck_assert_int_eq(tl_cg_move(sub, stubborn), 0);
	memset(&r, 0xa5, sizeof(r));
	ck_assert_int_eq(mrelease_signal_cgroup(AT_FDCWD, dir, SIGTERM, 0, &r,
						sizeof(r)), 0);
	ck_assert_uint_eq(r.killed, 3);
	ck_assert_uint_eq(r.gone + r.failed + r.reaped, 0);
	ck_assert_uint_eq(r.status, MRELEASE_KILLED);
	ck_assert_int_eq(tl_pidfd_killed(fd1), SIGTERM);
	ck_assert_int_eq(tl_pidfd_killed(fd2), SIGTERM);
	usleep(50000);
	ck_assert_msg(tl_pidfd_alive(fds), "the process ignoring SIGTERM died");
	/* Signal 0 only looks. */
	ck_assert_int_eq(mrelease_signal_cgroup(AT_FDCWD, dir, 0, 0, &r,
						sizeof(r)), 0);
	ck_assert_uint_eq(r.killed, 1);
	ck_assert(tl_pidfd_alive(fds));
	tl_victim_reap(stubborn);
	close(fd1);
	close(fd2);
	close(fds);
	ck_assert_int_eq(tl_rmdir(sub), 0);
	ck_assert_int_eq(tl_rmdir(dir), 0);
	bystander_check(&b);
}
END_TEST

static void signal_expect_errno(int dirfd, const char *path, int sig,
				unsigned int flags, void *res, size_t size,
				int err)
{
	errno = 0;
	ck_assert_int_eq(mrelease_signal_cgroup(dirfd, path, sig, flags, res,
						size), -1);
	ck_assert_msg(errno == err, "%s: errno %d, not %d", path, errno, err);
}

START_TEST(t_mrelease_signal_cgroup__EINVAL__bad_arguments)
{
	struct mrelease_result r;
	struct bystander b;

	bystander_start(&b);
	signal_expect_errno(AT_FDCWD, b.dir, 65, 0, &r, sizeof(r), EINVAL);
	signal_expect_errno(AT_FDCWD, b.dir, -1, 0, &r, sizeof(r), EINVAL);
	signal_expect_errno(AT_FDCWD, b.dir, SIGTERM, 1, &r, sizeof(r),
			    EINVAL);
	signal_expect_errno(AT_FDCWD, b.dir, SIGTERM, 0, &r,
			    MRELEASE_RESULT_SIZE_VER0 - 1, EINVAL);
	signal_expect_errno(AT_FDCWD, b.dir, SIGTERM, 0, NULL, sizeof(r),
			    EINVAL);
	signal_expect_errno(AT_FDCWD, NULL, SIGTERM, 0, &r, sizeof(r), EINVAL);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__EBADF__negative_dirfd)
{
	struct mrelease_result r;
	struct bystander b;

	bystander_start(&b);
	signal_expect_errno(-1, strrchr(b.dir, '/') + 1, SIGTERM, 0, &r,
			    sizeof(r), EBADF);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__ENOENT__missing)
{
	struct mrelease_result r;
	struct bystander b;
	char path[1100];

	bystander_start(&b);
	snprintf(path, sizeof(path), "%s/no-such-cgroup", b.dir);
	signal_expect_errno(AT_FDCWD, path, SIGTERM, 0, &r, sizeof(r), ENOENT);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__ENOTDIR__cgroup_file)
{
	struct mrelease_result r;
	struct bystander b;
	char path[1100];

	bystander_start(&b);
	snprintf(path, sizeof(path), "%s/cgroup.procs", b.dir);
	signal_expect_errno(AT_FDCWD, path, SIGTERM, 0, &r, sizeof(r),
			    ENOTDIR);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__EMEDIUMTYPE__not_cgroup2)
{
	struct mrelease_result r;
	struct bystander b;

	bystander_start(&b);
	signal_expect_errno(AT_FDCWD, "/tmp", SIGTERM, 0, &r, sizeof(r),
			    EMEDIUMTYPE);
	bystander_check(&b);
}
END_TEST

START_TEST(t_mrelease_signal_cgroup__EPERM__not_allowed)
{
	not_allowed(SIGTERM);
}
END_TEST

/* The root of a fresh cgroup namespace, signalled. */
START_TEST(t_mrelease_signal_cgroup__EINVAL__cgroup2_root)
{
	cgroup2_root(SIGTERM);
}
END_TEST

/* Before the run: a cgroup v2 this program may make.  Without cgroup.kill
 * (Linux 5.14) every kill takes the per-pid path, and is tested there. */
static void need(void)
{
	struct statfs sfs;
	char probe[1024];

	cg2 = tl_cgroup2_root();
	if (!cg2 || statfs(cg2, &sfs) < 0)
		tl_skip("no cgroup v2 mounted", "Linux 4.5");
	if (tl_cg_make("kill-cgroup-probe", probe, sizeof(probe)) < 0)
		tl_skip("cannot create a cgroup v2 (needs root)", NULL);
	rmdir(probe);
	if (!tl_cg_killfile())
		printf("no cgroup.kill (Linux 5.14): the per-pid path alone\n");
}

TL_MAIN("kill-cgroup", "kill-cgroup", TL_CALLS_KILL, need, 180, TL_CHECK_FDS)
