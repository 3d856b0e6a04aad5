/*
 * cgroup-hostile.c - mrelease_kill_cgroup() where a daemon really runs
 *
 * SPDX-License-Identifier: MIT
 *
 * Each test sets a hostile environment up in a forked child (a low
 * RLIMIT_NOFILE, few free fds, a private cgroup namespace, a bind mount,
 * a subtree 140 levels deep, /proc hidden, a pid namespace with the
 * parent's /proc, a process of an ancestor pid namespace) and asserts the
 * one promise:
 * every process of the subtree dies (each asserted by waitid on its
 * pidfd), or the call returns -1 with an errno and counts what lives; a
 * sentinel outside the subtree always survives.  Never 0 with survivors,
 * never 0 having done nothing.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mrelease.h"
#include "cgroup.h"
#include "syscall-nr.h"
#include "testlib.h"
#include "util.h"

#define MAXV 160

/* One environment's victims (children of the environment child), their
 * pidfds above fd 1000, and the sentinel outside the target. */
struct env {
	char cg[PATH_MAX];	/* the target, made by the test */
	char other[PATH_MAX];	/* a second cgroup of the test, or "" */
	char where[PATH_MAX];	/* where the victims go, if not cg */
	unsigned int flags;
	int nv;
	pid_t pid[MAXV];
	int fd[MAXV];
	pid_t sentinel;
	int sentinel_fd;
	int proc_umount;	/* hide /proc by umount, not a tmpfs over it */
	pid_t outer[2];		/* pids in the ancestor pid namespace */
	int outer_fd[2];
	int extra;		/* processes of the target beside the victims */
	char lev[3][PATH_MAX];	/* the victims spread over these, if set */
	int nlev;
};

static void spawn(struct env *e, int n, size_t bytes)
{
	const char *to = e->where[0] ? e->where : e->cg;
	int i;

	e->nv = n;
	for (i = 0; i < n; i++) {
		if (e->nlev)
			to = e->lev[i % e->nlev];
		e->pid[i] = tl_victim(bytes, -1, &e->fd[i]);
		e->fd[i] = tl_fd_high(e->fd[i]);
		TL_ENV_ASSERT(e->fd[i] >= 0, "pidfd above 1000: %s",
			      strerror(errno));
		TL_ENV_ASSERT(tl_cg_move(to, e->pid[i]) == 0,
			      "move %d into %s: %s", (int)e->pid[i], to,
			      strerror(errno));
	}
}

static void sentinel(struct env *e)
{
	e->sentinel = tl_victim(0, -1, &e->sentinel_fd);
	e->sentinel_fd = tl_fd_high(e->sentinel_fd);
	TL_ENV_ASSERT(e->sentinel_fd >= 0, "sentinel pidfd");
}

/*
 * The promise, after rc/errno/r of the call, for victims that neither exit
 * nor move by themselves: every process of the target (the nv victims and
 * e->extra others) is counted exactly once.  rc 0: every victim killed
 * (waitid on each pidfd says SIGKILL), each counted killed, none gone or
 * failed.  rc -1 needs an errno and then either nothing was counted and
 * nothing touched (every victim lives: the call failed before its
 * survey), or every process is counted, every survivor in failed and no
 * more counted killed than died.  The sentinel lives.  Reaps all victims.
 * Returns how many died.
 */
static int judge(struct env *e, const char *what, int rc, int err,
		 const struct mrelease_result *r)
{
	unsigned int want = (unsigned int)(e->nv + e->extra);
	unsigned int sum = r->killed + r->gone + r->failed;
	/* After a failure, what the call killed has exited or is about to:
	 * three seconds for all of them, then the rest are survivors. */
	uint64_t end = mr_now_ns() + 3000000000ull;
	int i, dead = 0, alive = 0;

	for (i = 0; i < e->nv; i++) {
		struct pollfd p = { .fd = e->fd[i], .events = POLLIN };
		uint64_t now = mr_now_ns();
		int s, ms = now < end ? (int)((end - now) / 1000000u) : 0;

		if (rc == -1 && poll(&p, 1, ms) == 0)
			s = -1;
		else
			s = tl_pidfd_killed(e->fd[i]);

		if (s == SIGKILL) {
			dead++;
			continue;
		}
		TL_ENV_ASSERT(rc == -1, "%s: rc 0 (killed %u gone %u failed %u)"
			      " but victim %d of %d (pid %d) survived (%d)",
			      what, r->killed, r->gone, r->failed, i, e->nv,
			      (int)e->pid[i], s);
		alive++;
		kill(e->pid[i], SIGKILL);
		tl_pidfd_killed(e->fd[i]);
	}
	fprintf(stderr, "%s: rc %d (%s) killed %u reaped %u gone %u failed %u"
		" reap_errno %d, %d of %d died\n", what, rc,
		rc ? strerror(err) : "-", r->killed, r->reaped, r->gone,
		r->failed, r->reap_errno, dead, e->nv);
	TL_ENV_ASSERT(tl_pidfd_alive(e->sentinel_fd),
		      "%s: the sentinel (pid %d, outside) died", what,
		      (int)e->sentinel);
	if (rc == 0) {
		TL_ENV_ASSERT(dead == e->nv, "%s: rc 0, %d of %d died", what,
			      dead, e->nv);
		TL_ENV_ASSERT(r->killed == want && !r->gone && !r->failed,
			      "%s: rc 0 but killed %u gone %u failed %u: "
			      "%u processes were killed, each once", what,
			      r->killed, r->gone, r->failed, want);
		return dead;
	}
	TL_ENV_ASSERT(err != 0, "%s: rc -1 without errno", what);
	if (sum == 0) {
		TL_ENV_ASSERT(dead == 0, "%s: rc -1, nothing counted, but %d "
			      "of %d died", what, dead, e->nv);
		return dead;
	}
	TL_ENV_ASSERT(sum == want && !r->gone, "%s: rc -1, killed %u gone %u"
		      " failed %u: not the %u processes, each once", what,
		      r->killed, r->gone, r->failed, want);
	TL_ENV_ASSERT((unsigned int)alive <= r->failed, "%s: %d survived, "
		      "%u counted failed", what, alive, r->failed);
	TL_ENV_ASSERT(r->killed <= (unsigned int)dead + (unsigned int)e->extra,
		      "%s: %u counted killed, %d died", what, r->killed, dead);
	return dead;
}

static int call(struct env *e, const char *path, unsigned int flags,
		struct mrelease_result *r, int *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	errno = 0;
	rc = mrelease_kill_cgroup(AT_FDCWD, path, flags, r, sizeof(*r));
	*err = rc ? errno : 0;
	(void)e;
	return rc;
}

static void make_cg(struct env *e, const char *area)
{
	memset(e, 0, sizeof(*e));
	ck_assert_msg(tl_cg_make(area, e->cg, sizeof(e->cg)) == 0,
		      "mkdir cgroup: %s", strerror(errno));
}

static void run_env(struct env *e, int (*fn)(void *))
{
	int rc = tl_env_run(fn, e);

	tl_cg_destroy(e->cg);
	if (e->other[0])
		tl_cg_destroy(e->other);
	ck_assert_msg(rc == 0, "environment child failed (%d); see stderr",
		      rc);
}

/* ---- 1. RLIMIT_NOFILE 64 and 150 processes ------------------------- */

static int env_rlimit(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	struct rlimit old, low;
	int rc, err;

	sentinel(e);
	spawn(e, 150, 0);
	TL_ENV_ASSERT(getrlimit(RLIMIT_NOFILE, &old) == 0, "getrlimit");
	low = old;
	low.rlim_cur = 64;
	TL_ENV_ASSERT(setrlimit(RLIMIT_NOFILE, &low) == 0, "setrlimit 64");
	rc = call(e, e->cg, e->flags, &r, &err);
	setrlimit(RLIMIT_NOFILE, &old);
	judge(e, e->flags ? "RLIMIT_NOFILE 64, NO_KILLFILE" :
	      "RLIMIT_NOFILE 64", rc, err, &r);
	return 0;
}

START_TEST(t_rlimit_nofile_64_killfile)
{
	struct env e;

	make_cg(&e, "hostile-rlimit");
	run_env(&e, env_rlimit);
}
END_TEST

START_TEST(t_rlimit_nofile_64_no_killfile)
{
	struct env e;

	make_cg(&e, "hostile-rlimit-nokf");
	e.flags = MRELEASE_NO_KILLFILE;
	run_env(&e, env_rlimit);
}
END_TEST

/* ---- 2. so few free fds that openat("..") fails --------------------- */

/* Leaves exactly n fds free below the soft limit `limit`: returns the
 * lowest filler (fillers are [lo, limit) but n of them are closed). */
static void fill_fds(int limit, int n, int *fill, int *nfill)
{
	int fd, i;

	*nfill = 0;
	for (;;) {
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		fill[(*nfill)++] = fd;
		TL_ENV_ASSERT(*nfill < limit, "fill: limit not in force");
	}
	TL_ENV_ASSERT(errno == EMFILE, "fill: %s", strerror(errno));
	for (i = 0; i < n && *nfill; i++)
		close(fill[--(*nfill)]);
}

static int env_few_fds(void *arg)
{
	struct env *e = arg;
	struct rlimit old, low;
	int fill[64], nfill, n, i;

	sentinel(e);
	TL_ENV_ASSERT(getrlimit(RLIMIT_NOFILE, &old) == 0, "getrlimit");
	for (n = 0; n <= 12; n++) {
		struct mrelease_result r;
		char what[96];
		int rc, err;

		/* Odd rounds without cgroup.kill. */
		e->flags = (n & 1) ? MRELEASE_NO_KILLFILE : 0;
		spawn(e, 3, 0);
		low = old;
		low.rlim_cur = 48;
		TL_ENV_ASSERT(setrlimit(RLIMIT_NOFILE, &low) == 0, "setrlimit");
		fill_fds(48, n, fill, &nfill);
		rc = call(e, e->cg, e->flags, &r, &err);
		for (i = 0; i < nfill; i++)
			close(fill[i]);
		setrlimit(RLIMIT_NOFILE, &old);
		snprintf(what, sizeof(what), "%d free fds%s", n,
			 e->flags ? ", NO_KILLFILE" : "");
		TL_ENV_ASSERT(!(rc == -1 && err == EINVAL),
			      "%s: EINVAL, the target refused as a root", what);
		judge(e, what, rc, err, &r);
	}
	return 0;
}

START_TEST(t_few_free_fds_no_false_root)
{
	struct env e;

	make_cg(&e, "hostile-fewfds");
	run_env(&e, env_few_fds);
}
END_TEST

/* ---- 3. a private cgroup namespace, and a bind mount ----------------- */

static int env_cgroupns(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	char path[64], buf[512];
	int rc, err, fd, round;
	ssize_t n;

	sentinel(e);
	/* The caller lives in "other", and that becomes its namespace's
	 * root; the target is a sibling, outside the namespace. */
	TL_ENV_ASSERT(tl_cg_move(e->other, getpid()) == 0, "move self");
	TL_ENV_ASSERT(unshare(CLONE_NEWCGROUP) == 0, "unshare -C: %s",
		      strerror(errno));
	for (round = 0; round < 2; round++) {
		e->flags = round ? MRELEASE_NO_KILLFILE : 0;
		spawn(e, 5, 0);
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)e->pid[0]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		TL_ENV_ASSERT(fd >= 0, "open %s", path);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		TL_ENV_ASSERT(n > 0, "read %s", path);
		buf[n] = 0;
		TL_ENV_ASSERT(strstr(buf, "0::/../") != NULL,
			      "setup: %s reads %s, not 0::/../", path, buf);
		rc = call(e, e->cg, e->flags, &r, &err);
		judge(e, round ? "cgroup namespace, NO_KILLFILE" :
		      "cgroup namespace", rc, err, &r);
	}
	return 0;
}

START_TEST(t_cgroup_namespace_outside_root)
{
	struct env e;

	make_cg(&e, "hostile-cgns");
	ck_assert_int_eq(tl_cg_make("hostile-cgns-home", e.other,
				    sizeof(e.other)), 0);
	run_env(&e, env_cgroupns);
}
END_TEST

static int env_bind(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	char dir[] = "/tmp/mrelease-bind-XXXXXX";
	int rc, err, round;

	sentinel(e);
	TL_ENV_ASSERT(tl_mountns_private() == 0, "private mounts: %s",
		      strerror(errno));
	TL_ENV_ASSERT(mkdtemp(dir) != NULL, "mkdtemp");
	/* Bind the target's child "sub": the victims live there. */
	TL_ENV_ASSERT(mount(e->where, dir, NULL, MS_BIND, NULL) == 0,
		      "bind %s on %s: %s", e->where, dir, strerror(errno));
	for (round = 0; round < 2; round++) {
		e->flags = round ? MRELEASE_NO_KILLFILE : 0;
		spawn(e, 5, 0);
		rc = call(e, dir, e->flags, &r, &err);
		judge(e, round ? "bind mount, NO_KILLFILE" : "bind mount",
		      rc, err, &r);
	}
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	return 0;
}

START_TEST(t_bind_mount_of_a_cgroup)
{
	struct env e;

	make_cg(&e, "hostile-bind");
	ck_assert(strlen(e.cg) + 5 < sizeof(e.where));
	memcpy(e.where, e.cg, strlen(e.cg));
	memcpy(e.where + strlen(e.cg), "/sub", 5);
	ck_assert_int_eq(mkdir(e.where, 0755), 0);
	run_env(&e, env_bind);
}
END_TEST

/* ---- 4. 140 levels below the target ---------------------------------- */

#define DEPTH 140

static int env_deep(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	int rc, err, round;

	sentinel(e);
	for (round = 0; round < 2; round++) {
		e->flags = round ? MRELEASE_NO_KILLFILE : 0;
		spawn(e, 3, 0);
		rc = call(e, e->cg, e->flags, &r, &err);
		TL_ENV_ASSERT(rc == -1 || r.killed + r.gone > 0,
			      "depth %d: rc 0 and nothing found: \"empty\"",
			      DEPTH);
		judge(e, round ? "depth 140, NO_KILLFILE" : "depth 140", rc,
		      err, &r);
	}
	return 0;
}

START_TEST(t_depth_140)
{
	struct env e;
	size_t len;
	int i;

	make_cg(&e, "hostile-deep");
	memcpy(e.where, e.cg, sizeof(e.where));
	for (i = 0; i < DEPTH; i++) {
		len = strlen(e.where);
		ck_assert(len + 3 < sizeof(e.where));
		memcpy(e.where + len, "/d", 3);
		ck_assert_msg(mkdir(e.where, 0755) == 0, "mkdir level %d: %s",
			      i + 1, strerror(errno));
	}
	run_env(&e, env_deep);
}
END_TEST

/* ---- 5. /proc hidden -------------------------------------------------- */

static int env_noproc(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	int rc, err, round;

	sentinel(e);
	TL_ENV_ASSERT(tl_proc_hide(e->proc_umount) == 0, "%s /proc: %s",
		      e->proc_umount ? "umount" : "tmpfs on", strerror(errno));
	for (round = 0; round < 2; round++) {
		e->flags = MRELEASE_MEASURE |
			   (round ? MRELEASE_NO_KILLFILE : 0);
		spawn(e, 5, 1 << 20);
		rc = call(e, e->cg, e->flags, &r, &err);
		TL_ENV_ASSERT(!(r.status & MRELEASE_MEASURED) && !r.rss_anon &&
			      !r.freed, "no /proc: MEASURED 0x%x rss_anon %llu"
			      " freed %llu", r.status,
			      (unsigned long long)r.rss_anon,
			      (unsigned long long)r.freed);
		TL_ENV_ASSERT(rc == 0, "no /proc%s: rc -1 (%s), killed %u "
			      "failed %u: pidfds and cgroupfs suffice",
			      round ? ", NO_KILLFILE" : "", strerror(err),
			      r.killed, r.failed);
		judge(e, round ? "no /proc, NO_KILLFILE" : "no /proc", rc,
		      err, &r);
	}
	return 0;
}

START_TEST(t_proc_hidden_tmpfs)
{
	struct env e;

	make_cg(&e, "hostile-noproc");
	run_env(&e, env_noproc);
}
END_TEST

START_TEST(t_proc_unmounted)
{
	struct env e;

	make_cg(&e, "hostile-umproc");
	e.proc_umount = 1;
	run_env(&e, env_noproc);
}
END_TEST

/* ---- 7. pid namespaces ------------------------------------------------- */

#define DECOY (64 << 20)

/*
 * In N, pid 1 of a new pid namespace whose /proc is still the parent's:
 * the victim gets the pid (in N's namespace) that the decoy, a sentinel
 * of 64 MiB outside the target, has in the parent's, so /proc/<pid> names
 * the decoy.  Nothing of it may be reported; every victim dies.
 */
static int pidns_main(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	char self[32];
	ssize_t n;
	int rc, err, round;

	n = readlink("/proc/self", self, sizeof(self) - 1);
	TL_ENV_ASSERT(n > 0 && getpid() == 1, "setup: not init of a pid ns");
	self[n] = 0;
	TL_ENV_ASSERT(strcmp(self, "1") != 0, "setup: /proc is our own");
	for (round = 0; round < 2; round++) {
		pid_t v;
		int fd;

		TL_ENV_ASSERT(tl_set_last_pid(e->sentinel - 1) == 0,
			      "ns_last_pid: %s", strerror(errno));
		v = tl_victim(1 << 20, -1, &fd);
		TL_ENV_ASSERT(v == e->sentinel, "setup: victim %d, not %d",
			      (int)v, (int)e->sentinel);
		memset(&r, 0, sizeof(r));
		errno = 0;
		rc = round ? mrelease_kill(fd, MRELEASE_MEASURE, &r, sizeof(r)) :
			mrelease_kill_pid(v, MRELEASE_MEASURE, &r, sizeof(r));
		TL_ENV_ASSERT(rc == 0, "%s: rc -1 (%s)", round ? "kill" :
			      "kill_pid", strerror(errno));
		TL_ENV_ASSERT(r.rss_anon < DECOY, "%s: the decoy's memory "
			      "reported (rss_anon %llu)", round ? "kill" :
			      "kill_pid", (unsigned long long)r.rss_anon);
		TL_ENV_ASSERT(!(r.status & MRELEASE_MEASURED) && !r.rss_anon,
			      "%s: /proc of another pid namespace measured "
			      "(status 0x%x, rss_anon %llu)", round ? "kill" :
			      "kill_pid", r.status,
			      (unsigned long long)r.rss_anon);
		TL_ENV_ASSERT(tl_pidfd_killed(fd) == SIGKILL, "not killed");
		close(fd);
		TL_ENV_ASSERT(tl_pidfd_alive(e->sentinel_fd),
			      "the decoy died");
	}
	for (round = 0; round < 2; round++) {
		e->flags = MRELEASE_MEASURE | (round ? MRELEASE_NO_KILLFILE : 0);
		TL_ENV_ASSERT(tl_set_last_pid(e->sentinel - 1) == 0,
			      "ns_last_pid: %s", strerror(errno));
		spawn(e, 5, 1 << 20);
		TL_ENV_ASSERT(e->pid[0] == e->sentinel, "setup: victim %d",
			      (int)e->pid[0]);
		rc = call(e, e->cg, e->flags, &r, &err);
		TL_ENV_ASSERT(rc == 0, "pid ns%s: rc -1 (%s)", round ?
			      ", NO_KILLFILE" : "", strerror(err));
		TL_ENV_ASSERT(!(r.status & MRELEASE_MEASURED) && !r.rss_anon &&
			      !r.freed, "pid ns: measured through another /proc"
			      " (status 0x%x, rss_anon %llu)", r.status,
			      (unsigned long long)r.rss_anon);
		judge(e, round ? "pid ns, parent's /proc, NO_KILLFILE" :
		      "pid ns, parent's /proc", rc, err, &r);
	}
	return 0;
}

static int env_pidns(void *arg)
{
	struct env *e = arg;
	int rc;

	e->sentinel = tl_victim(DECOY, -1, &e->sentinel_fd);
	e->sentinel_fd = tl_fd_high(e->sentinel_fd);
	TL_ENV_ASSERT(e->sentinel_fd >= 0, "decoy pidfd");
	rc = tl_pidns_run(pidns_main, e);
	TL_ENV_ASSERT(rc == 0, "in the pid namespace: %d", rc);
	TL_ENV_ASSERT(tl_pidfd_alive(e->sentinel_fd), "the decoy died");
	kill(e->sentinel, SIGKILL);
	tl_pidfd_killed(e->sentinel_fd);
	return 0;
}

START_TEST(t_pid_namespace_parent_proc)
{
	struct env e;

	make_cg(&e, "hostile-pidns");
	run_env(&e, env_pidns);
}
END_TEST

/*
 * The target holds a process of the ancestor pid namespace, which
 * cgroup.procs lists as 0 in N's: cgroup.kill kills it, and the call
 * returns 0; without cgroup.kill (MRELEASE_NO_KILLFILE, or a kernel before
 * Linux 5.14) it is counted in failed (EPERM).  Never EINVAL, never the
 * rest left alive.
 */
static void ancestor_no_killfile(struct env *e, const char *cg,
				 unsigned int flags, const char *what)
{
	struct mrelease_result r;
	int rc, err, dead;

	spawn(e, 3, 0);
	rc = call(e, cg, flags, &r, &err);
	TL_ENV_ASSERT(!(rc == -1 && err == EINVAL), "%s: a 0 in cgroup.procs: "
		      "EINVAL", what);
	TL_ENV_ASSERT(rc == -1 && err == EPERM && r.failed == 1 &&
		      r.killed == 3, "%s: rc %d (%s) killed %u failed"
		      " %u; expected EPERM, 3 killed, 1 failed", what, rc,
		      rc ? strerror(err) : "-", r.killed, r.failed);
	dead = judge(e, what, rc, err, &r);
	TL_ENV_ASSERT(dead == 3, "%s: %d of 3 died", what, dead);
}

static int ancestor_main(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	int rc, err;

	e->extra = 1;	/* the ancestor namespace's process */
	if (!tl_cg_killfile()) {
		/* Before Linux 5.14 both calls take the per-pid path. */
		ancestor_no_killfile(e, e->cg, 0, "ancestor pid ns, no cgroup.kill");
		TL_ENV_ASSERT(tl_pidfd_alive(e->outer_fd[0]), "no cgroup.kill: "
			      "the ancestor namespace's process died");
		goto no_killfile;
	}
	spawn(e, 3, 0);
	rc = call(e, e->cg, 0, &r, &err);
	TL_ENV_ASSERT(!(rc == -1 && err == EINVAL), "a 0 in cgroup.procs: "
		      "EINVAL");
	TL_ENV_ASSERT(rc == 0 && r.killed == 4 && !r.failed,
		      "rc %d (%s) killed %u failed %u; expected 0 and 4 killed",
		      rc, rc ? strerror(err) : "-", r.killed, r.failed);
	judge(e, "ancestor pid ns", rc, err, &r);
	TL_ENV_ASSERT(tl_pidfd_exited(e->outer_fd[0]),
		      "the ancestor namespace's process survived");

no_killfile:
	memcpy(e->where, e->other, sizeof(e->where));
	ancestor_no_killfile(e, e->other, MRELEASE_NO_KILLFILE,
			     "ancestor pid ns, NO_KILLFILE");
	TL_ENV_ASSERT(tl_pidfd_alive(e->outer_fd[1]), "NO_KILLFILE: the "
		      "ancestor namespace's process died");
	return 0;
}

static int env_ancestor(void *arg)
{
	struct env *e = arg;
	int rc, i;

	sentinel(e);
	for (i = 0; i < 2; i++) {
		e->outer[i] = tl_victim(0, -1, &e->outer_fd[i]);
		TL_ENV_ASSERT(tl_cg_move(i ? e->other : e->cg, e->outer[i]) == 0,
			      "move: %s", strerror(errno));
	}
	rc = tl_pidns_run(ancestor_main, e);
	TL_ENV_ASSERT(rc == 0, "in the pid namespace: %d", rc);
	if (!tl_cg_killfile())	/* nothing could kill it from inside */
		kill(e->outer[0], SIGKILL);
	TL_ENV_ASSERT(tl_pidfd_killed(e->outer_fd[0]) == SIGKILL,
		      "the ancestor namespace's process was not killed");
	kill(e->outer[1], SIGKILL);
	tl_pidfd_killed(e->outer_fd[1]);
	TL_ENV_ASSERT(tl_pidfd_alive(e->sentinel_fd), "the sentinel died");
	return 0;
}

START_TEST(t_ancestor_pid_namespace_listed_as_0)
{
	struct env e;

	make_cg(&e, "hostile-pidns0");
	ck_assert_int_eq(tl_cg_make("hostile-pidns0-b", e.other,
				    sizeof(e.other)), 0);
	run_env(&e, env_ancestor);
}
END_TEST

/* ---- 8. each process counted once, on every path ------------------- */

/* e->lev[0..n-1]: the target and n - 1 levels of "l" below it. */
static void make_levels(struct env *e, int n)
{
	int i;

	memcpy(e->lev[0], e->cg, sizeof(e->lev[0]));
	for (i = 1; i < n; i++) {
		ck_assert(strlen(e->lev[i - 1]) + 3 < sizeof(e->lev[i]));
		snprintf(e->lev[i], sizeof(e->lev[i]), "%s/l", e->lev[i - 1]);
		ck_assert_msg(mkdir(e->lev[i], 0755) == 0, "mkdir %s: %s",
			      e->lev[i], strerror(errno));
	}
	e->nlev = n;
}

static const unsigned int every_path[] = {
	0,
	MRELEASE_NO_KILLFILE,
	MRELEASE_NO_FREEZE,
	MRELEASE_NO_KILLFILE | MRELEASE_NO_FREEZE,
	MRELEASE_MEASURE | MRELEASE_THREADS(1),
	MRELEASE_MEASURE | MRELEASE_NO_KILLFILE | MRELEASE_THREADS(3),
};

/* 12 victims over three levels, each way: all killed, each counted once. */
static int env_each_path(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	size_t k;
	int rc, err;

	sentinel(e);
	for (k = 0; k < MR_ARRAY_SIZE(every_path); k++) {
		char what[64];

		spawn(e, 12, 1 << 20);
		rc = call(e, e->cg, every_path[k], &r, &err);
		snprintf(what, sizeof(what), "flags 0x%x", every_path[k]);
		TL_ENV_ASSERT(rc == 0, "%s: rc -1 (%s)", what, strerror(err));
		/* cgroup.kill where the kernel has it (Linux 5.14) */
		TL_ENV_ASSERT((!(every_path[k] & MRELEASE_NO_KILLFILE) &&
			       tl_cg_killfile()) ==
			      !!(r.status & MRELEASE_KILLFILE),
			      "%s: status 0x%x", what, r.status);
		TL_ENV_ASSERT(r.reaped <= r.killed, "%s: reaped %u killed %u",
			      what, r.reaped, r.killed);
		judge(e, what, rc, err, &r);
	}
	return 0;
}

START_TEST(t_counts_each_path)
{
	struct env e;

	make_cg(&e, "hostile-counts");
	make_levels(&e, 3);
	run_env(&e, env_each_path);
}
END_TEST

/*
 * Exactly F free fds, a subtree of depth d with the victims at its
 * bottom.  The walk there holds the path, d + 1 levels and the fd kept in
 * reserve, so a batch takes F - d - 3 pidfds: the victims are twice that,
 * and the last pidfd of every batch takes the last free fd.  The batch
 * must still read cgroup.procs (with the reserve) and kill.  With d + 4
 * fds or more every victim dies and is counted killed; with d + 3 no
 * pidfd fits beside the walk: cgroup.kill kills them all, counted killed
 * and not reaped (EMFILE), or, without it, the call fails with EMFILE and
 * counts them all failed.
 */
static int env_fd_boundary(void *arg)
{
	struct env *e = arg;
	struct rlimit old, low;
	int fill[64], nfill, d = e->nlev - 1, f, i, nokf;

	sentinel(e);
	memcpy(e->where, e->lev[d], sizeof(e->where));
	e->nlev = 0;
	TL_ENV_ASSERT(getrlimit(RLIMIT_NOFILE, &old) == 0, "getrlimit");
	for (f = d + 3; f <= d + 6; f++) {
		for (nokf = 0; nokf < 2; nokf++) {
			struct mrelease_result r;
			char what[96];
			int rc, err, n = f > d + 3 ? 2 * (f - d - 3) : 3;

			e->flags = nokf ? MRELEASE_NO_KILLFILE : 0;
			spawn(e, n, 0);
			low = old;
			low.rlim_cur = 48;
			TL_ENV_ASSERT(setrlimit(RLIMIT_NOFILE, &low) == 0,
				      "setrlimit");
			fill_fds(48, f, fill, &nfill);
			rc = call(e, e->cg, e->flags, &r, &err);
			for (i = 0; i < nfill; i++)
				close(fill[i]);
			setrlimit(RLIMIT_NOFILE, &old);
			snprintf(what, sizeof(what), "depth %d, %d free fds, "
				 "%d victims%s", d, f, n,
				 nokf ? ", NO_KILLFILE" : "");
			if (f > d + 3) {
				TL_ENV_ASSERT(rc == 0, "%s: rc -1 (%s), killed "
					      "%u failed %u", what,
					      strerror(err), r.killed,
					      r.failed);
			} else if (!nokf && tl_cg_killfile()) {
				TL_ENV_ASSERT(rc == 0 && r.killed == (unsigned)n
					      && !r.reaped &&
					      r.reap_errno == EMFILE &&
					      (r.status & MRELEASE_KILLFILE),
					      "%s: rc %d (%s) killed %u reaped "
					      "%u reap_errno %d: cgroup.kill "
					      "kills every one, not reaped "
					      "(EMFILE)", what, rc,
					      strerror(err), r.killed,
					      r.reaped, r.reap_errno);
			} else {
				TL_ENV_ASSERT(rc == -1 && err == EMFILE &&
					      r.failed == (unsigned)n,
					      "%s: rc %d (%s) failed %u: "
					      "EMFILE, every one failed",
					      what, rc, strerror(err),
					      r.failed);
			}
			judge(e, what, rc, err, &r);
		}
	}
	return 0;
}

START_TEST(t_counts_fd_boundary_depth_0)
{
	struct env e;

	make_cg(&e, "hostile-fdedge");
	make_levels(&e, 1);
	run_env(&e, env_fd_boundary);
}
END_TEST

START_TEST(t_counts_fd_boundary_depth_2)
{
	struct env e;

	make_cg(&e, "hostile-fdedge2");
	make_levels(&e, 3);
	run_env(&e, env_fd_boundary);
}
END_TEST

/*
 * pidfd_send_signal refused (seccomp ENOSYS) where cgroup.kill can be
 * written: cgroup.kill kills every one, and the call says so, killed and
 * not reaped (ENOSYS), rc 0.  Without cgroup.kill (NO_KILLFILE, or a
 * kernel before 5.14), every one is failed.
 */
static int env_signal_refused(void *arg)
{
	struct env *e = arg;
	struct mrelease_result r;
	int rc, err, nokf;

	sentinel(e);
	TL_ENV_ASSERT(tl_seccomp_errno(MRELEASE_NR_pidfd_send_signal, ENOSYS)
		      == 0, "seccomp: %s", strerror(errno));
	for (nokf = 0; nokf < 2; nokf++) {
		const char *what = nokf ? "pidfd_send_signal ENOSYS, "
			"NO_KILLFILE" : "pidfd_send_signal ENOSYS";

		spawn(e, 5, 0);
		rc = call(e, e->cg, nokf ? MRELEASE_NO_KILLFILE : 0, &r, &err);
		if (!nokf && tl_cg_killfile())
			TL_ENV_ASSERT(rc == 0 && r.killed == 5 && !r.failed &&
				      !r.reaped && r.reap_errno == ENOSYS,
				      "%s: rc %d (%s) killed %u failed %u "
				      "reaped %u reap_errno %d: cgroup.kill "
				      "killed them", what, rc, strerror(err),
				      r.killed, r.failed, r.reaped,
				      r.reap_errno);
		else
			TL_ENV_ASSERT(rc == -1 && err == ENOSYS &&
				      r.failed == 5, "%s: rc %d (%s) failed "
				      "%u", what, rc, strerror(err), r.failed);
		judge(e, what, rc, err, &r);
	}
	return 0;
}

START_TEST(t_counts_pidfd_send_signal_refused)
{
	struct env e;

	make_cg(&e, "hostile-nosig");
	run_env(&e, env_signal_refused);
}
END_TEST

#define FORKERS 4
#define FORKS 100

/*
 * Victims that fork while they are killed (their children block, and
 * stay in the cgroup until killed): the call returns 0 only with the
 * subtree empty, every victim dead, and counts each process at most once:
 * FORKERS <= killed + gone + failed <= FORKERS + the fork() calls made.
 */
static int env_forking(void *arg)
{
	struct env *e = arg;
	static const unsigned int ways[] = {
		0, MRELEASE_NO_KILLFILE, MRELEASE_NO_FREEZE,
		MRELEASE_NO_FREEZE | MRELEASE_NO_KILLFILE,
	};
	volatile unsigned int *sh;
	size_t k;
	int i;

	sentinel(e);
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED |
		  MAP_ANONYMOUS, -1, 0);
	TL_ENV_ASSERT(sh != MAP_FAILED, "mmap");
	for (k = 0; k < MR_ARRAY_SIZE(ways); k++) {
		const struct timespec t = { 0, 200000 };
		struct mrelease_result r;
		unsigned int sum, made;
		char what[64];
		int rc, err, top, tries;

		sh[0] = sh[1] = 0;
		e->nv = FORKERS;
		for (i = 0; i < FORKERS; i++) {
			e->pid[i] = tl_victim_forking(FORKS, sh, &e->fd[i]);
			e->fd[i] = tl_fd_high(e->fd[i]);
			TL_ENV_ASSERT(e->fd[i] >= 0, "pidfd above 1000");
			TL_ENV_ASSERT(tl_cg_move(e->cg, e->pid[i]) == 0,
				      "move: %s", strerror(errno));
		}
		/* They fork from now on; the call comes once they do. */
		sh[0] = 1;
		for (tries = 0; tries < 10000 && sh[1] < 2 * FORKERS; tries++)
			nanosleep(&t, NULL);
		rc = call(e, e->cg, ways[k], &r, &err);
		top = open(e->cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		TL_ENV_ASSERT(top >= 0, "open %s", e->cg);
		snprintf(what, sizeof(what), "forking, flags 0x%x", ways[k]);
		TL_ENV_ASSERT(rc == -1 || mr_cg_populated(top) == 0,
			      "%s: rc 0 with the subtree populated", what);
		close(top);
		TL_ENV_ASSERT(rc == 0 && !r.failed, "%s: rc %d (%s) failed %u",
			      what, rc, strerror(err), r.failed);
		for (i = 0; i < FORKERS; i++) {
			TL_ENV_ASSERT(tl_pidfd_killed(e->fd[i]) == SIGKILL,
				      "%s: forker %d not killed", what, i);
			close(e->fd[i]);
		}
		made = sh[1];
		sum = r.killed + r.gone + r.failed;
		fprintf(stderr, "%s: killed %u reaped %u gone %u failed %u, "
			"%u fork() calls\n", what, r.killed, r.reaped, r.gone,
			r.failed, made);
		TL_ENV_ASSERT(sum >= FORKERS && sum <= FORKERS + made,
			      "%s: %u counted, of %u processes at most (%u "
			      "victims): some counted twice or missed", what,
			      sum, FORKERS + made, FORKERS);
		TL_ENV_ASSERT(tl_pidfd_alive(e->sentinel_fd), "%s: the "
			      "sentinel died", what);
	}
	munmap((void *)sh, 4096);
	return 0;
}

START_TEST(t_counts_forking_victims)
{
	struct env e;

	make_cg(&e, "hostile-forks");
	run_env(&e, env_forking);
}
END_TEST

/* Before the run: root, cgroup v2, an fd limit for fd 1000 and up. */
static void need(void)
{
	/* The victims' pidfds (150 of them) are parked at fd 1000 and above:
	 * a boot's init (a guest's) may leave the hard limit at 1024, and
	 * the usual soft limit is 1024. */
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = 4096;
		if (rl.rlim_max < 4096)
			rl.rlim_max = 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* Probed once, here: the tests ask in namespaces of their own. */
	if (!tl_cg_killfile())
		printf("no cgroup.kill (Linux 5.14): the per-pid path alone\n");
	/* valgrind keeps fds of its own below the limit a test sets, and its
	 * guest cannot unshare or mount as these tests do: the other stages
	 * run them natively. */
	if (tl_under_valgrind())
		tl_skip("valgrind: fd limits and namespaces are not the kernel's under it", NULL);
}

int main(void)
{
	if (geteuid() != 0)
		tl_skip("needs root for cgroups, unshare and mounts", NULL);
	if (!tl_cgroup2_root())
		tl_skip("no cgroup2 mount", "Linux 4.5");
	if (access("/proc/sys/kernel/ns_last_pid", W_OK) != 0)
		tl_skip_test(t_pid_namespace_parent_proc,
			     "needs ns_last_pid (CONFIG_CHECKPOINT_RESTORE)");
	return TL_RUN("cgroup-hostile", "hostile", TL_CALLS_KILL, need, 120, 0);
}
