/*
 * testlib.h - what the test programs share
 *
 * SPDX-License-Identifier: MIT
 *
 * Conventions (HACKING.md):
 * - a test that provokes errno E from exported function F is a Check test
 *   named t_<F>__<E>__<what>, e.g. t_mrelease_process_mrelease__EBADF__closed_fd;
 *   tests/errno-coverage.sh matches these names against the man pages;
 * - a program whose kernel lacks a feature calls tl_skip("what", "Linux X.Y"),
 *   which prints "SKIP: ..." and exits 77;
 * - tests kill only processes they started (tl_victim_*), and reap them.
 */
#ifndef MRELEASE_TESTLIB_H
#define MRELEASE_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mrelease.h"

#ifndef MiB
# define MiB (1024UL * 1024UL)
#endif

struct Suite;
struct TCase;
struct TTest;

/*
 * The one main() of every Check program.  A program of one test case
 * names it and what it needs, in one line:
 *
 *	TL_MAIN("area", "case", TL_CALLS_KILL, need, 120, TL_CHECK_FDS)
 *
 * or, where some tests cannot run everywhere:
 *
 *	int main(void)
 *	{
 *		if (geteuid() != 0)
 *			tl_skip_test(t_root_only, "needs root");
 *		return TL_RUN("area", "case", TL_CALLS_KILL, need, 0, 0);
 *	}
 *
 * The fields are those of struct tl_program.  Every START_TEST() of the
 * program is in its case, in the order of the source (this header's
 * START_TEST registers each), but those tl_skip_test() took out; the
 * case's timeout is timeout seconds unless 0; TL_CHECK_FDS checks each
 * test's fd count (tl_check_fds).  Then it goes on as tl_main().
 *
 * A program of several cases, loop tests or fixtures builds its suite
 * itself and ends in tl_main():
 *
 * tl_main() skips the program (exit 77) unless the calls of require are
 * there (tl_require), then calls setup() unless it is NULL: what else the
 * program needs, each missing piece a tl_skip(), and what every test
 * shares (a limit, a probed mask).  Then it runs every test of s, each in
 * its own fork (verbose: each test's name and result, unless CK_VERBOSITY
 * is set), removes what failed tests left held (tl_hold_cleanup), frees s
 * and returns main()'s exit status: EXIT_SUCCESS or EXIT_FAILURE.
 */
int tl_main(struct Suite *s, unsigned int require, void (*setup)(void));

#define TL_CHECK_FDS 1
struct tl_program {
	const char *suite, *tcase;	/* their names */
	unsigned int require;		/* as tl_main() */
	void (*setup)(void);		/* as tl_main() */
	unsigned int timeout;		/* seconds; 0: CK_DEFAULT_TIMEOUT */
	unsigned int flags;		/* TL_CHECK_FDS */
};
int tl_main_tests(const struct tl_program *p);
#define TL_RUN(...) tl_main_tests(&(const struct tl_program){ __VA_ARGS__ })
#define TL_MAIN(...) int main(void) { return TL_RUN(__VA_ARGS__); }
/* Leaves t out of tl_main_tests(), with a line "SKIP: <t> (why)". */
void tl_skip_test(const struct TTest *t, const char *why);
/* The masks of calls most programs require. */
#define TL_CALLS_KILL (MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL)
#define TL_CALLS_ALL (TL_CALLS_KILL | MRELEASE_HAVE_PROCESS_MRELEASE)

/* START_TEST() as Check's, and each test registered for tl_main_tests(). */
void tl_register(const struct TTest *t);
#ifdef START_TEST
#undef START_TEST
#define START_TEST(name) \
	static void name##_fn(int _i CK_ATTRIBUTE_UNUSED); \
	static const TTest name##_ttest = { "" #name, name##_fn, __FILE__, \
					    __LINE__ }; \
	static const TTest *const name __attribute__((unused)) = \
		&name##_ttest; \
	__attribute__((constructor)) static void name##_register(void) \
	{ \
		tl_register(&name##_ttest); \
	} \
	static void name##_fn(int _i CK_ATTRIBUTE_UNUSED)
#endif

/*
 * A gate for the worker threads of a test hook (mr_test_reaper_job =
 * tl_gate): while closed (tl_gate_set(1)), each worker that calls it
 * waits; tl_gate_wait_for(n) returns once n wait there.
 */
void tl_gate(void);
void tl_gate_set(int closed);
void tl_gate_wait_for(int n);

/* A checked fixture of tc: every test leaves the number of open fds of
 * its process as it found it. */
void tl_check_fds(struct TCase *tc);

/* Exit 77 naming the missing feature. */
void tl_skip(const char *what, const char *since) __attribute__((noreturn));

/* Skip the whole program unless the calls this mask names are available
 * (MRELEASE_HAVE_* bits, probed directly with raw syscalls). */
void tl_require(unsigned int have_mask);

/*
 * What the kernel under test lacks, and what the library then promises.
 * A test that can check the degraded behaviour checks it there rather
 * than skipping: a kill still kills, reaps nothing and says why.
 *
 * tl_reap_missing(): 1 when process_mrelease(2) answers ENOSYS (Linux
 * before 5.15, or a sandbox): every kill is then "killed, not reaped,
 * reap_errno ENOSYS".  tl_cg_killfile(): 1 when a cgroup v2 directory has
 * cgroup.kill (Linux 5.14); without it the cgroup kill takes its per-pid
 * path and MRELEASE_KILLFILE is never set.  Both probed once.
 */
int tl_reap_missing(void);
int tl_cg_killfile(void);
/* The reap_errno of a kill whose victim could not win the race (held):
 * 0, or ENOSYS where process_mrelease is missing. */
#define TL_REAP_ERRNO() (tl_reap_missing() ? ENOSYS : 0)
/* ... and of an unheld kill whose victim won the race: ESRCH, or ENOSYS. */
#define TL_RACE_ERRNO() (tl_reap_missing() ? ENOSYS : ESRCH)
/* A kill's result r of n held processes: all n reaped with reap_errno 0;
 * or, where process_mrelease is missing, none, with ENOSYS and nothing
 * counted freed. */
#define TL_ASSERT_REAPED(r, n) do {					\
	if (tl_reap_missing()) {					\
		ck_assert_msg(!((r).status & MRELEASE_REAPED) &&	\
			      (r).reap_errno == ENOSYS &&		\
			      (r).reaped == 0 && (r).freed == 0,	\
			      "no process_mrelease: status %#x "	\
			      "reap_errno %d reaped %u freed %llu; want "	\
			      "not reaped, ENOSYS", (r).status,		\
			      (r).reap_errno, (r).reaped,		\
			      (unsigned long long)(r).freed);		\
	} else {							\
		ck_assert_msg(((r).status & MRELEASE_REAPED) &&	\
			      (r).reap_errno == 0 &&			\
			      (r).reaped == (uint32_t)(n),		\
			      "status %#x reap_errno %d reaped %u; want "	\
			      "%u reaped", (r).status, (r).reap_errno,	\
			      (r).reaped, (unsigned int)(n));		\
	}								\
} while (0)
/* tl_skip_test() where the kernel lacks process_mrelease, for a test of
 * the call itself (its errnos, what it frees): "SKIP: <t> (kernel lacks
 * process_mrelease, Linux 5.15)", and the program runs its other tests.
 * tl_skip_test_with_reap() leaves out a test of the ENOSYS answer where
 * the kernel has the call.  Both in main(), before TL_RUN(). */
void tl_skip_test_without_reap(const struct TTest *t);
void tl_skip_test_with_reap(const struct TTest *t);

/* Number of open fds of this process (/proc/self/fd). */
int tl_fd_count(void);

/* A victim: a forked child that maps and touches `bytes` of private
 * anonymous memory, reports ready through a pipe and then blocks in
 * pause().  PR_SET_PDEATHSIG(SIGKILL) so that it never outlives the test.
 * cpu >= 0 pins it; returns its pid, and its pidfd in *pidfd (opened before
 * anything is sent to it) unless pidfd is NULL.  Aborts the test on error. */
pid_t tl_victim(size_t bytes, int cpu, int *pidfd);
/* A tl_victim() of no memory, sent sig through its pidfd *pidfd (asserted
 * to succeed). */
pid_t tl_victim_signalled(int sig, int *pidfd);
/* The victim pid died of sig (waited for, asserted), and its pidfd is
 * closed. */
void tl_victim_died(pid_t pid, int pidfd, int sig);
/* The victim is alive (asserted; else the test fails saying why); then it
 * is reaped (tl_victim_reap) and its pidfd closed. */
void tl_victim_survived(pid_t pid, int pidfd, const char *why);
/* Like tl_victim but the child ignores SIGTERM. */
pid_t tl_victim_ignoring_term(size_t bytes, int *pidfd);
/* Like tl_victim with anon bytes of private anonymous memory, file_bytes
 * of a private read-only mapping of file (page cache) read whole, and
 * shmem bytes of MAP_SHARED|MAP_ANONYMOUS memory, all touched. */
pid_t tl_victim_mapped(size_t anon, const char *file, size_t file_bytes,
		       size_t shmem, int *pidfd);
/* Like tl_victim(0), but once shared[0] (memory shared with the child,
 * MAP_SHARED) is nonzero, the child forks `forks` children, one every
 * 500 us, that block in pause() (no PR_SET_PDEATHSIG: they outlive it, in
 * its cgroup).  It adds 1 to shared[1] before each fork(): shared[1] is
 * never below the number of children it made. */
pid_t tl_victim_forking(unsigned int forks, volatile unsigned int *shared,
			int *pidfd);
/* SIGKILL (if still there) and waitpid() a victim: always call it. */
void tl_victim_reap(pid_t pid);
/* waitpid() a child that should be dying: the signal that killed it, -1
 * when it exited or waitpid failed. */
int tl_waitpid_killed(pid_t pid);

/* The "Pid:" of /proc/self/fdinfo/<fd>: the pid a pidfd refers to (0 in
 * another pid namespace, -1 once reaped), -2 when there is no such line. */
long tl_fdinfo_pid(int fd);

/* A field of /proc/<pid>/status in kB ("RssAnon", "VmRSS"...), -1 if the
 * process or the field is gone. */
long tl_status_kb(pid_t pid, const char *field);
/* The State letter of /proc/<pid>/stat, 0 if gone. */
char tl_state(pid_t pid);

/* In the calling process (a forked child!), install a seccomp filter that
 * makes syscall nr answer -1/err.  Returns 0, or -1 with errno. */
int tl_seccomp_errno(long nr, int err);

/* Raw syscalls, independent of the library under test. */
int tl_raw_pidfd_open(pid_t pid, unsigned int flags);
int tl_raw_pidfd_kill(int pidfd, int sig, unsigned int flags);
int tl_raw_process_mrelease(int pidfd, unsigned int flags);

/* Kernel version as major*1000+minor (6.18 -> 6018). */
int tl_kernel_version(void);

/* cgroup v2 mount point (e.g. /sys/fs/cgroup/unified), NULL if none. */
const char *tl_cgroup2_root(void);
/* cgroup v1 freezer mount point, NULL if none. */
const char *tl_freezer_root(void);

/* ---- running, victims, holds ------------------------------------------ */

/* Nonzero when this process runs under valgrind, which virtualizes
 * RLIMIT_NOFILE, turns vfork() into fork() and refuses clone(CLONE_VM). */
int tl_under_valgrind(void);

/* Like tl_victim, but the child also starts a second thread that blocks
 * forever; *tid is that non-leader thread's id. */
pid_t tl_victim_threaded(size_t bytes, pid_t *tid, int *pidfd);

/* Wait (waitid WNOWAIT) until child pid has exited and is a zombie, without
 * reaping it.  0, or -1 with errno. */
int tl_wait_zombie(pid_t pid);

/* Wait until a pidfd reports that its process exited (poll POLLIN), at most
 * thirty seconds as a hang guard.  1 when it did, 0 when not. */
int tl_pidfd_exited(int pidfd);

/*
 * Holding a victim so that it cannot run its own exit: after a SIGKILL it
 * keeps its mm until tl_hold_end().  Two methods:
 *  - the cgroup v1 freezer: the victims move to a freezer cgroup named
 *    <area>-<pid of the test program>-<pid>-<n>, which is frozen;
 *  - else SCHED_FIFO: the caller and the victim are pinned to the caller's
 *    CPU and the caller runs SCHED_FIFO until tl_hold_end().
 * tl_hold_init(area) in a program's setup picks the method of
 * tl_hold_start(); tl_hold_freeze() always takes the freezer.  tl_main()
 * removes every cgroup a failed test left behind (thawing and SIGKILLing
 * the victims in it).  TL_HOLD=fifo in the environment makes
 * tl_hold_init() pick SCHED_FIFO even with a freezer.
 */
struct tl_hold {
	int method;		/* TL_HOLD_FREEZER, TL_HOLD_FIFO; 0 once ended */
	pid_t pid;
	char cgroup[256];
	int policy;		/* the caller's scheduling policy before */
	int result;		/* of tl_hold_end() */
};
#define TL_HOLD_FREEZER 1
#define TL_HOLD_FIFO 2
/* 0 when no method is usable (not root, no freezer); else the method. */
int tl_hold_init(const char *area);
/* pid held by tl_hold_init()'s method: 0, or -1 with errno. */
int tl_hold_start(struct tl_hold *h, pid_t pid);
/* The n victims pids in one frozen freezer cgroup: 0, or -1 with errno
 * (ENOENT: no cgroup v1 freezer mounted). */
int tl_hold_freeze(struct tl_hold *h, const pid_t *pids, size_t n);
/* Thaw / drop SCHED_FIFO.  A freezer cgroup is removed once what it held
 * left it (a killed victim does when thawed; 5 s at most): 0, -1 if it
 * could not be.  Once ended (or zeroed), says again what it said. */
int tl_hold_end(struct tl_hold *h);
/* Remove what tl_hold_start() left behind (tl_main() calls it). */
void tl_hold_cleanup(void);

/* What fn reports from tl_in_child()'s child. */
struct tl_outcome {
	int rc;
	int err;
	unsigned int mask;
	struct mrelease_result r;
};
/* Runs fn(arg, o) in a forked child (tl_env_run) whose syscall nr answers
 * -1/err (nr < 0: no filter) and, with uid >= 0, that runs as that uid;
 * *o is what fn filled in there.  0, or 77 when seccomp is unavailable;
 * fails the test when the child does not exit 0. */
int tl_in_child(long nr, int err, int uid,
		void (*fn)(void *arg, struct tl_outcome *o), void *arg,
		struct tl_outcome *o);

/* Assert that `call` fails with -1 and errno `err`. */
#define TL_ASSERT_ERRNO(call, err) do {					\
	int tl_r_; errno = 0; tl_r_ = (call);				\
	ck_assert_msg(tl_r_ == -1 && errno == (err),			\
		      "%s = %d, errno %d (%s); expected -1, %s (%d)",	\
		      #call, tl_r_, errno, strerror(errno), #err, (err));	\
} while (0)

/* Bracket a test body: the number of open fds must not change. */
#define TL_FD_BEGIN() const int tl_fds_before_ = tl_fd_count()
#define TL_FD_END() ck_assert_msg(tl_fd_count() == tl_fds_before_,	\
		"fd leak: %d fds before, %d after", tl_fds_before_, tl_fd_count())

/* ---- hostile environments (tests/testlib-env.c) ------------------------ */

/* Runs fn(arg) in a forked child (PR_SET_PDEATHSIG) and returns its exit
 * code: fn's return value, 128 + the signal that killed it, -1 when the
 * fork failed.  Set an environment up there, never in the test. */
int tl_env_run(int (*fn)(void *), void *arg);
/* In such a child: print file:line: message and _exit(1). */
void tl_env_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
#define TL_ENV_ASSERT(cond, ...) do {					\
	if (!(cond))							\
		tl_env_fail(__FILE__, __LINE__, __VA_ARGS__);		\
} while (0)

/* mkdir <cgroup2 root>/<area>-<pid>-<n> into out: 0, or -1 with errno. */
int tl_cg_make(const char *area, char *out, size_t size);
/* Writes pid to cg/cgroup.procs: 0, or -1 with errno. */
int tl_cg_move(const char *cg, pid_t pid);
/* rmdir, retrying while the last tasks leave (5 s at most): 0 or -1. */
int tl_rmdir(const char *path);
/* Writes val to dir/file: 0, or -1 with errno. */
int tl_write(const char *dir, const char *file, const char *val);
/* Thaws cg, writes cgroup.kill, waits (5 s at most) until it is empty and
 * removes it and every cgroup below it.  Only for cgroups a test made. */
void tl_cg_destroy(const char *cg);

/* 1 while pidfd's process has not exited (no wait). */
int tl_pidfd_alive(int pidfd);
/* Waits (10 s at most) for pidfd's process, a child of the caller, to
 * exit and reaps it with waitid(P_PIDFD): the signal that killed it, 0
 * when it exited, -1 when it did not exit, -2 when waitid failed. */
int tl_pidfd_killed(int pidfd);
/* fd moved to a number >= 1000 (and closed): the new fd or -1.  What
 * the test holds there takes nothing from a low RLIMIT_NOFILE. */
int tl_fd_high(int fd);

/* In the calling process (a forked child!), a seccomp filter that sends
 * syscall nr to a supervisor (SECCOMP_RET_USER_NOTIF): the listener fd.
 * The calling thread blocks every signal, so that no signal restarts a
 * held call (the supervisor would see it twice): call it in a thread of
 * its own, with another thread to take the process's signals. */
int tl_seccomp_notify(long nr);
/* Supervises one notification of listener (20 s at most): calls
 * decide(&seccomp_data, arg) while the syscall is held, then lets it run
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) when decide returns 0, or makes it
 * fail with errno E when decide returns E > 0.  1 when one was handled, 0
 * when the filtered process is gone or none came, -1 with errno. */
int tl_seccomp_notify_next(int listener,
			   int (*decide)(const void *data, void *arg),
			   void *arg);
/* In an environment child: unshare(CLONE_NEWPID) and run fn(arg) in the
 * next child, pid 1 of the new pid namespace (its init: when it returns,
 * every process of the namespace dies), with the caller's /proc still
 * mounted.  Its exit code as tl_env_run(), -1 when unshare or fork
 * failed. */
int tl_pidns_run(int (*fn)(void *), void *arg);
/* In an environment child: a mount namespace of its own, every mount of
 * it private (MS_REC | MS_PRIVATE on /), so that nothing mounted there
 * reaches the host.  0, or -1 with errno. */
int tl_mountns_private(void);
/* In an environment child: tl_mountns_private(), then no /proc: a tmpfs
 * mounted on it or, with unmount, /proc unmounted (MNT_DETACH), and
 * /proc/self gone either way.  0, or -1 with errno. */
int tl_proc_hide(int unmount);
/* Writes /proc/sys/kernel/ns_last_pid (of the caller's pid namespace):
 * the next fork gets last + 1 if free.  0, or -1 with errno. */
int tl_set_last_pid(pid_t last);

#endif /* MRELEASE_TESTLIB_H */
