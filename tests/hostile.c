/*
 * hostile.c - every public entry point against hostile arguments
 *
 * SPDX-License-Identifier: MIT
 *
 * One table (libseccomp's tests/11-basic-basic_errors.c is the model): each
 * row calls one exported function with one bad argument - a NULL pointer, a
 * huge or negative size or count, unknown flag bits, an fd that is not a
 * pidfd (-1, closed, a regular file, /dev/null, a socket, INT_MAX), a pid
 * that kill(2) would read as a process group or as "every process" - and
 * asserts that the answer is -1 with the errno the row names, that no fd was
 * leaked and that the test's own victim is still alive (nothing is killed
 * by a call that fails).  A crash fails the row (Check forks each one).
 *
 * Row names follow HACKING.md: t_<function>__<ERRNO>__<what>.
 *
 * mrelease_kill_pid() is given pids like 0 and -1, which kill(2) reads as
 * "my process group" and "every process I may signal".  If the library ever
 * passed them on, the test must not take bystanders with it: those rows run
 * in a child that is pid 1 of a fresh pid namespace, beside a canary in the
 * same process group; the row fails loudly if the canary dies.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "syscall-nr.h"
#include "testlib.h"

/* What the rows point their bad arguments at; made afresh for every row
 * (Check runs each in its own child). */
static struct {
	int closed_fd;		/* was open, now closed */
	int reg_fd;		/* a regular file */
	int null_fd;		/* /dev/null */
	int sock_fd;		/* a socket */
	int dir_fd;		/* a directory that is not a cgroup */
	pid_t victim;		/* a process this test started */
	int victim_pidfd;
	char cg[4096];		/* a cgroup v2 of this test holding the
				   victim, or "" */
	char cg_procs[4200];	/* its cgroup.procs */
	int cg_fd;		/* open on it, or -1 */
} fx;

/* A cgroup v2 named after this area and pid, holding the victim. */
static void cgroup_setup(void)
{
	const char *root = tl_cgroup2_root();
	char pid[32];
	int fd, n;

	fx.cg[0] = 0;
	fx.cg_fd = -1;
	if (!root)
		return;
	snprintf(fx.cg, sizeof(fx.cg), "%s/hardening-%d", root, (int)getpid());
	snprintf(fx.cg_procs, sizeof(fx.cg_procs), "%s/cgroup.procs", fx.cg);
	if (mkdir(fx.cg, 0755) < 0) {
		fx.cg[0] = 0;
		return;
	}
	fd = open(fx.cg_procs, O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	n = snprintf(pid, sizeof(pid), "%d\n", (int)fx.victim);
	ck_assert_int_eq(write(fd, pid, (size_t)n), n);
	close(fd);
	fx.cg_fd = open(fx.cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fx.cg_fd, 0);
}

static void cgroup_teardown(void)
{
	if (fx.cg_fd >= 0)
		close(fx.cg_fd);
	if (fx.cg[0] && rmdir(fx.cg) < 0)
		fprintf(stderr, "rmdir %s: %s\n", fx.cg, strerror(errno));
}

static void setup(void)
{
	int sv[2];

	/* High, so that no open() below takes the number again. */
	fx.closed_fd = fcntl(0, F_DUPFD_CLOEXEC, 900);
	ck_assert_int_ge(fx.closed_fd, 900);
	ck_assert_int_eq(close(fx.closed_fd), 0);
	fx.reg_fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fx.reg_fd, 0);
	fx.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fx.null_fd, 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[1]);
	fx.sock_fd = sv[0];
	fx.dir_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fx.dir_fd, 0);
	fx.victim = tl_victim(0, -1, &fx.victim_pidfd);
	cgroup_setup();
}

static void teardown(void)
{
	tl_victim_reap(fx.victim);
	close(fx.victim_pidfd);
	cgroup_teardown();
	close(fx.reg_fd);
	close(fx.null_fd);
	close(fx.sock_fd);
	close(fx.dir_fd);
}

/* The victim has not been signalled: its pidfd is not readable. */
static int victim_alive(void)
{
	struct pollfd p = { .fd = fx.victim_pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 0 && tl_state(fx.victim) != 0;
}

/* ---- the 1.0 system calls ------------------------------------------ */

static long open_pid_zero(void) { return mrelease_pidfd_open(0, 0); }
static long open_pid_minus_one(void) { return mrelease_pidfd_open(-1, 0); }
static long open_pid_int_min(void) { return mrelease_pidfd_open(INT_MIN, 0); }
static long open_pid_int_max(void) { return mrelease_pidfd_open(INT_MAX, 0); }
static long open_unknown_flag(void) { return mrelease_pidfd_open(fx.victim, 0x1); }
static long open_all_flags(void) { return mrelease_pidfd_open(fx.victim, ~0U); }

/* Signal 0 only: a non-pidfd that the kernel wrongly took would be harmless. */
static long kill_minus_one(void) { return mrelease_pidfd_kill(-1, 0, 0); }
static long kill_closed(void) { return mrelease_pidfd_kill(fx.closed_fd, 0, 0); }
static long kill_regular(void) { return mrelease_pidfd_kill(fx.reg_fd, 0, 0); }
static long kill_null(void) { return mrelease_pidfd_kill(fx.null_fd, 0, 0); }
static long kill_socket(void) { return mrelease_pidfd_kill(fx.sock_fd, 0, 0); }
static long kill_int_max(void) { return mrelease_pidfd_kill(INT_MAX, 0, 0); }
static long kill_int_min(void) { return mrelease_pidfd_kill(INT_MIN, 0, 0); }
static long kill_unknown_flag(void)
{
	return mrelease_pidfd_kill(fx.victim_pidfd, SIGKILL, 0x80000000U);
}
static long kill_all_flags(void)
{
	return mrelease_pidfd_kill(fx.victim_pidfd, SIGKILL, ~0U);
}
static long kill_negative_signal(void) { return mrelease_pidfd_kill(fx.victim_pidfd, -1, 0); }
static long kill_signal_65(void) { return mrelease_pidfd_kill(fx.victim_pidfd, 65, 0); }
static long kill_signal_int_max(void)
{
	return mrelease_pidfd_kill(fx.victim_pidfd, INT_MAX, 0);
}

static long mrel_minus_one(void) { return mrelease_process_mrelease(-1, 0); }
static long mrel_closed(void) { return mrelease_process_mrelease(fx.closed_fd, 0); }
static long mrel_regular(void) { return mrelease_process_mrelease(fx.reg_fd, 0); }
static long mrel_null(void) { return mrelease_process_mrelease(fx.null_fd, 0); }
static long mrel_socket(void) { return mrelease_process_mrelease(fx.sock_fd, 0); }
static long mrel_dir(void) { return mrelease_process_mrelease(fx.dir_fd, 0); }
static long mrel_int_max(void) { return mrelease_process_mrelease(INT_MAX, 0); }
static long mrel_unknown_flag(void) { return mrelease_process_mrelease(fx.victim_pidfd, 1); }
static long mrel_all_flags(void) { return mrelease_process_mrelease(fx.victim_pidfd, ~0U); }
static long mrel_not_dying(void) { return mrelease_process_mrelease(fx.victim_pidfd, 0); }


/* ---- 1.1: kill and reap -------------------------------------------- */

static struct mrelease_result res;
#define RES_SZ sizeof(struct mrelease_result)

static long k_minus_one(void) { return mrelease_kill(-1, 0, NULL, 0); }
static long k_closed(void) { return mrelease_kill(fx.closed_fd, 0, NULL, 0); }
static long k_regular(void) { return mrelease_kill(fx.reg_fd, 0, &res, RES_SZ); }
static long k_null(void) { return mrelease_kill(fx.null_fd, 0, NULL, 0); }
static long k_socket(void) { return mrelease_kill(fx.sock_fd, 0, NULL, 0); }
static long k_dir(void) { return mrelease_kill(fx.dir_fd, 0, NULL, 0); }
static long k_int_max(void) { return mrelease_kill(INT_MAX, 0, NULL, 0); }
static long k_int_min(void) { return mrelease_kill(INT_MIN, 0, NULL, 0); }
/* The kernel's PIDFD_SELF_THREAD (6.15), PIDFD_SELF_THREAD_GROUP (6.17;
 * -20000 in 6.15/6.16): a library that passed them on would kill us. */
static long k_self_thread(void) { return mrelease_kill(-10000, 0, NULL, 0); }
static long k_self_group(void) { return mrelease_kill(-10001, 0, NULL, 0); }
static long k_self_group_old(void) { return mrelease_kill(-20000, 0, NULL, 0); }
static long k_unknown_flag(void)
{
	return mrelease_kill(fx.victim_pidfd, 0x80000000U, NULL, 0);
}
static long k_all_flags(void) { return mrelease_kill(fx.victim_pidfd, ~0U, NULL, 0); }
static long k_null_result(void) { return mrelease_kill(fx.victim_pidfd, 0, NULL, RES_SZ); }
static long k_size_one(void) { return mrelease_kill(fx.victim_pidfd, 0, &res, 1); }
static long k_size_short(void)
{
	return mrelease_kill(fx.victim_pidfd, 0, &res, MRELEASE_RESULT_SIZE_VER0 - 1);
}
static long k_size_huge(void) { return mrelease_kill(fx.victim_pidfd, 0, &res, SIZE_MAX); }
static long k_size_negative(void)
{
	return mrelease_kill(fx.victim_pidfd, 0, &res, (size_t)-(long)RES_SZ);
}
static long k_size_page(void) { return mrelease_kill(fx.victim_pidfd, 0, &res, 4097); }
static long k_result_no_size(void) { return mrelease_kill(fx.victim_pidfd, 0, &res, 0); }

static long c_minus_one(void) { return mrelease_kill_cgroup(-1, "x", 0, NULL, 0); }
static long c_closed(void) { return mrelease_kill_cgroup(fx.closed_fd, "x", 0, NULL, 0); }
static long c_int_max(void) { return mrelease_kill_cgroup(INT_MAX, "x", 0, NULL, 0); }
static long c_regular(void) { return mrelease_kill_cgroup(fx.reg_fd, "x", 0, NULL, 0); }
static long c_devnull(void) { return mrelease_kill_cgroup(fx.null_fd, "x", 0, NULL, 0); }
static long c_socket(void) { return mrelease_kill_cgroup(fx.sock_fd, "x", 0, NULL, 0); }
static long c_null_path(void) { return mrelease_kill_cgroup(AT_FDCWD, NULL, 0, NULL, 0); }
static long c_null_path_dirfd(void) { return mrelease_kill_cgroup(fx.cg_fd, NULL, 0, NULL, 0); }
static long c_empty_path(void) { return mrelease_kill_cgroup(AT_FDCWD, "", 0, NULL, 0); }
static long c_missing(void)
{
	return mrelease_kill_cgroup(AT_FDCWD, "/nonexistent/hardening", 0, NULL, 0);
}
static long c_missing_below(void) { return mrelease_kill_cgroup(fx.cg_fd, "gone", 0, NULL, 0); }
static long c_not_cgroup(void) { return mrelease_kill_cgroup(AT_FDCWD, "/dev", 0, NULL, 0); }
static long c_file(void) { return mrelease_kill_cgroup(AT_FDCWD, fx.cg_procs, 0, NULL, 0); }
static long c_unknown_flag(void)
{
	return mrelease_kill_cgroup(AT_FDCWD, fx.cg, 0x80000000U, NULL, 0);
}
static long c_null_result(void) { return mrelease_kill_cgroup(AT_FDCWD, fx.cg, 0, NULL, RES_SZ); }
static long c_size_one(void) { return mrelease_kill_cgroup(AT_FDCWD, fx.cg, 0, &res, 1); }
static long c_size_huge(void) { return mrelease_kill_cgroup(AT_FDCWD, fx.cg, 0, &res, SIZE_MAX); }
static long c_size_dirfd(void) { return mrelease_kill_cgroup(fx.cg_fd, ".", 0, &res, 3); }

static long reaper_row(unsigned int threads, unsigned int queue, unsigned int flags)
{
	struct mrelease_reaper *r = mrelease_reaper_new(threads, queue, flags);

	if (!r)
		return -1;
	mrelease_reaper_destroy(r);
	return 0;
}
static long r_threads_65(void) { return reaper_row(65, 0, 0); }
static long r_threads_max(void) { return reaper_row(UINT_MAX, 0, 0); }
static long r_queue_max(void) { return reaper_row(1, UINT_MAX, 0); }
static long r_flag(void) { return reaper_row(1, 0, 1); }
static long r_all_flags(void) { return reaper_row(1, 0, ~0U); }
static long r_fd_null(void) { return mrelease_reaper_fd(NULL); }
static long r_submit_null(void)
{
	return mrelease_reaper_submit(NULL, fx.victim_pidfd, 1, 0);
}
static long r_read_null(void)
{
	struct mrelease_completion c;

	return mrelease_reaper_read(NULL, &c, sizeof(c));
}

/* The same on a live reaper, destroyed before the fd count is taken. */
enum { SUB_MINUS_ONE, SUB_CLOSED, SUB_INT_MAX, SUB_SELF, SUB_FLAG,
       READ_NULL, READ_ONE, READ_SHORT, READ_HUGE, READ_EMPTY };
static long on_reaper(int what)
{
	struct mrelease_reaper *r = mrelease_reaper_new(1, 1, 0);
	struct mrelease_completion c;
	long ret = 0;
	int e;

	ck_assert_ptr_nonnull(r);
	switch (what) {
	case SUB_MINUS_ONE: ret = mrelease_reaper_submit(r, -1, 1, 0); break;
	case SUB_CLOSED: ret = mrelease_reaper_submit(r, fx.closed_fd, 1, 0); break;
	case SUB_INT_MAX: ret = mrelease_reaper_submit(r, INT_MAX, 1, 0); break;
	case SUB_SELF: ret = mrelease_reaper_submit(r, -10000, 1, 0); break;
	case SUB_FLAG:
		ret = mrelease_reaper_submit(r, fx.victim_pidfd, 1, 0x80000000U);
		break;
	case READ_NULL: ret = mrelease_reaper_read(r, NULL, sizeof(c)); break;
	case READ_ONE: ret = mrelease_reaper_read(r, &c, 1); break;
	case READ_SHORT:
		ret = mrelease_reaper_read(r, &c, MRELEASE_COMPLETION_SIZE_VER0 - 1);
		break;
	case READ_HUGE: ret = mrelease_reaper_read(r, &c, SIZE_MAX); break;
	case READ_EMPTY: ret = mrelease_reaper_read(r, &c, sizeof(c)); break;
	}
	e = errno;
	mrelease_reaper_destroy(r);
	errno = e;
	return ret;
}
static long rs_minus_one(void) { return on_reaper(SUB_MINUS_ONE); }
static long rs_closed(void) { return on_reaper(SUB_CLOSED); }
static long rs_int_max(void) { return on_reaper(SUB_INT_MAX); }
static long rs_self(void) { return on_reaper(SUB_SELF); }
static long rs_flag(void) { return on_reaper(SUB_FLAG); }
static long rr_null(void) { return on_reaper(READ_NULL); }
static long rr_one(void) { return on_reaper(READ_ONE); }
static long rr_short(void) { return on_reaper(READ_SHORT); }
static long rr_huge(void) { return on_reaper(READ_HUGE); }
static long rr_empty(void) { return on_reaper(READ_EMPTY); }

/*
 * mrelease_kill_pid(): called by pid 1 of a fresh pid namespace, beside a
 * canary in its process group (see the top of this file).  pid CANARY
 * stands for the canary's pid; with `nosys', pidfd_open answers ENOSYS
 * (seccomp) so that the library takes its kill(2) fallback.
 */
#define CANARY ((pid_t)-424242)
struct kp_row {
	const char *name;
	pid_t pid;
	unsigned int flags;
	int small_result;	/* pass a 1-byte result size */
	int nosys;
	int err;
};

static const struct kp_row kp_rows[] = {
	{ "t_mrelease_kill_pid__EINVAL__pid_zero", 0, 0, 0, 0, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__pid_minus_one", -1, 0, 0, 0, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__pid_minus_two", -2, 0, 0, 0, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__pid_int_min", INT_MIN, 0, 0, 0, EINVAL },
	{ "t_mrelease_kill_pid__ESRCH__pid_int_max", INT_MAX, 0, 0, 0, ESRCH },
	{ "t_mrelease_kill_pid__EINVAL__unknown_flag", CANARY, 0x80000000U, 0, 0, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__result_size_one", CANARY, 0, 1, 0, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__fallback_pid_zero", 0, 0, 0, 1, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__fallback_pid_minus_one", -1, 0, 0, 1, EINVAL },
	{ "t_mrelease_kill_pid__EINVAL__fallback_pid_minus_two", -2, 0, 0, 1, EINVAL },
	{ "t_mrelease_kill_pid__ESRCH__fallback_pid_int_max", INT_MAX, 0, 0, 1, ESRCH },
};
#define NKP ((int)(sizeof(kp_rows) / sizeof(kp_rows[0])))

/* The canary answers each byte on `in' with one on `out'; a signal ends it
 * (it never exits on its own). */
static void canary_loop(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			break;
	for (;;)
		pause();
}

/* Whether the canary still answers: a dead one never does, and its end
 * of the pipe closes (POLLHUP) once it is gone. */
static int canary_answers(int to, int from)
{
	struct pollfd p = { .fd = from, .events = POLLIN };
	char c = 'p';

	if (write(to, &c, 1) != 1)
		return 0;
	return poll(&p, 1, 30000) == 1 && (p.revents & POLLIN) &&
	       read(from, &c, 1) == 1;
}

/* In pid 1 of the namespace: the row, then whether the canary lives. */
static void kp_init(const struct kp_row *k, int out)
{
	struct mrelease_result r;
	int rep[3], fds_before, e, ping[2], pong[2];
	pid_t canary;
	long ret;

	signal(SIGPIPE, SIG_IGN);
	if (pipe2(ping, O_CLOEXEC) < 0 || pipe2(pong, O_CLOEXEC) < 0)
		_exit(2);
	canary = fork();
	if (canary < 0)
		_exit(2);
	if (canary == 0) {
		close(ping[1]);
		close(pong[0]);
		canary_loop(ping[0], pong[1]);
	}
	close(ping[0]);
	close(pong[1]);
	if (!canary_answers(ping[1], pong[0]))
		_exit(3);
	if (k->nosys && tl_seccomp_errno(MRELEASE_NR_pidfd_open, ENOSYS) < 0)
		_exit(3);
	fds_before = tl_fd_count();
	errno = 0;
	ret = mrelease_kill_pid(k->pid == CANARY ? canary : k->pid, k->flags,
				&r, k->small_result ? 1 : sizeof(r));
	e = errno;
	rep[0] = ret == -1 ? e : -1;
	rep[2] = tl_fd_count() - fds_before;
	rep[1] = canary_answers(ping[1], pong[0]);
	if (write(out, rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		_exit(4);
	kill(canary, SIGKILL);
	waitpid(canary, NULL, 0);
	_exit(0);
}

START_TEST(t_hostile_kill_pid)
{
	const struct kp_row *k = &kp_rows[_i];
	int p[2], rep[3] = { 0, 0, 0 }, st;
	pid_t guard;
	ssize_t n;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	guard = fork();
	ck_assert_int_ge(guard, 0);
	if (guard == 0) {
		pid_t init;

		close(p[0]);
		/* The namespace and its own process group: whatever the
		 * library does, it reaches no process outside. */
		if (setpgid(0, 0) < 0 || unshare(CLONE_NEWPID) < 0)
			_exit(77);
		init = fork();
		if (init == 0)
			kp_init(k, p[1]);
		if (init < 0)
			_exit(5);
		_exit(waitpid(init, &st, 0) == init && WIFEXITED(st) ?
		      WEXITSTATUS(st) : 6);
	}
	close(p[1]);
	n = read(p[0], rep, sizeof(rep));
	close(p[0]);
	ck_assert_int_eq(waitpid(guard, &st, 0), guard);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		printf("%s: skipped, no pid namespace here\n", k->name);
		return;
	}
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
		      n == (ssize_t)sizeof(rep),
		      "%s: the guarded caller died (status %#x): did the library "
		      "signal its own process group?", k->name, st);
	ck_assert_msg(rep[1] == 1, "%s: THE LIBRARY KILLED A BYSTANDER (the "
		      "canary beside the caller)", k->name);
	ck_assert_msg(rep[0] == k->err, "%s: errno %d (%s)", k->name, rep[0],
		      rep[0] > 0 ? strerror(rep[0]) : "returned success");
	ck_assert_msg(rep[2] == 0, "%s: %d fds leaked", k->name, rep[2]);
	ck_assert_msg(victim_alive(), "%s: the victim was signalled", k->name);
}
END_TEST

/* A reaper given fds that dup() but are not pidfds: submit accepts them,
 * and the completion carries EBADF; nothing leaks, nothing is killed. */
START_TEST(t_reaper_not_a_pidfd_completes_with_ebadf)
{
	const int fds[] = { fx.reg_fd, fx.null_fd, fx.sock_fd, fx.dir_fd };
	struct mrelease_completion c;
	struct mrelease_reaper *r;
	int before = tl_fd_count(), i, got = 0;

	r = mrelease_reaper_new(2, 4, 0);
	ck_assert_ptr_nonnull(r);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(mrelease_reaper_submit(r, fds[i], 100 + (uint64_t)i, 0), 0);
	while (got < 4) {
		struct pollfd p = { .fd = mrelease_reaper_fd(r), .events = POLLIN };

		ck_assert_int_eq(poll(&p, 1, 10000), 1);
		while (mrelease_reaper_read(r, &c, sizeof(c)) == 0) {
			ck_assert_uint_ge(c.cookie, 100);
			ck_assert_uint_lt(c.cookie, 104);
			ck_assert_int_eq(c.error, EBADF);
			ck_assert_uint_eq(c.result.status & MRELEASE_KILLED, 0);
			got++;
		}
		ck_assert_int_eq(errno, EAGAIN);
	}
	mrelease_reaper_destroy(r);
	mrelease_reaper_destroy(NULL);
	ck_assert_int_eq(tl_fd_count(), before);
	ck_assert(victim_alive());
}
END_TEST

struct row {
	const char *name;	/* t_<function>__<ERRNO>__<what> */
	long (*call)(void);	/* -1 + errno expected */
	int err;		/* the errno the name says */
	int err_alt;		/* also accepted (0: none); the name says why */
	unsigned int need;	/* MRELEASE_HAVE_* the row needs */
};

#define OPEN MRELEASE_HAVE_PIDFD_OPEN
#define KILL MRELEASE_HAVE_PIDFD_KILL
#define MREL MRELEASE_HAVE_PROCESS_MRELEASE
#define CG 0x100U	/* the fixture's cgroup v2 */

static const struct row rows[] = {
	{ "t_mrelease_pidfd_open__EINVAL__pid_zero", open_pid_zero, EINVAL, 0, OPEN },
	{ "t_mrelease_pidfd_open__EINVAL__pid_minus_one", open_pid_minus_one, EINVAL, 0, OPEN },
	{ "t_mrelease_pidfd_open__EINVAL__pid_int_min", open_pid_int_min, EINVAL, 0, OPEN },
	{ "t_mrelease_pidfd_open__ESRCH__pid_int_max", open_pid_int_max, ESRCH, 0, OPEN },
	{ "t_mrelease_pidfd_open__EINVAL__unknown_flag", open_unknown_flag, EINVAL, 0, OPEN },
	{ "t_mrelease_pidfd_open__EINVAL__all_flags", open_all_flags, EINVAL, 0, OPEN },

	{ "t_mrelease_pidfd_kill__EBADF__minus_one", kill_minus_one, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EBADF__closed_fd", kill_closed, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EBADF__regular_file", kill_regular, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EBADF__dev_null", kill_null, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EBADF__socket", kill_socket, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EBADF__int_max", kill_int_max, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EBADF__int_min", kill_int_min, EBADF, 0, KILL },
	{ "t_mrelease_pidfd_kill__EINVAL__unknown_flag", kill_unknown_flag, EINVAL, 0, KILL },
	{ "t_mrelease_pidfd_kill__EINVAL__all_flags", kill_all_flags, EINVAL, 0, KILL },
	{ "t_mrelease_pidfd_kill__EINVAL__negative_signal", kill_negative_signal, EINVAL, 0, KILL },
	{ "t_mrelease_pidfd_kill__EINVAL__signal_65", kill_signal_65, EINVAL, 0, KILL },
	{ "t_mrelease_pidfd_kill__EINVAL__signal_int_max", kill_signal_int_max, EINVAL, 0, KILL },

	{ "t_mrelease_process_mrelease__EBADF__minus_one", mrel_minus_one, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EBADF__closed_fd", mrel_closed, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EBADF__regular_file", mrel_regular, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EBADF__dev_null", mrel_null, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EBADF__socket", mrel_socket, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EBADF__directory", mrel_dir, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EBADF__int_max", mrel_int_max, EBADF, 0, MREL },
	{ "t_mrelease_process_mrelease__EINVAL__unknown_flag", mrel_unknown_flag, EINVAL, 0, MREL },
	{ "t_mrelease_process_mrelease__EINVAL__all_flags", mrel_all_flags, EINVAL, 0, MREL },
	{ "t_mrelease_process_mrelease__EINVAL__not_dying", mrel_not_dying, EINVAL, 0, MREL },

	{ "t_mrelease_kill__EBADF__minus_one", k_minus_one, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__closed_fd", k_closed, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__regular_file", k_regular, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__dev_null", k_null, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__socket", k_socket, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__directory", k_dir, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__int_max", k_int_max, EBADF, 0, KILL },
	{ "t_mrelease_kill__EBADF__int_min", k_int_min, EBADF, 0, 0 },
	{ "t_mrelease_kill__EBADF__pidfd_self_thread", k_self_thread, EBADF, 0, 0 },
	{ "t_mrelease_kill__EBADF__pidfd_self_group", k_self_group, EBADF, 0, 0 },
	{ "t_mrelease_kill__EBADF__pidfd_self_group_6_15", k_self_group_old, EBADF, 0, 0 },
	{ "t_mrelease_kill__EINVAL__unknown_flag", k_unknown_flag, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__all_flags", k_all_flags, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__null_result_with_size", k_null_result, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__result_size_one", k_size_one, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__result_size_below_ver0", k_size_short, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__result_size_max", k_size_huge, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__result_size_negative", k_size_negative, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__result_size_over_a_page", k_size_page, EINVAL, 0, 0 },
	{ "t_mrelease_kill__EINVAL__result_without_size", k_result_no_size, EINVAL, 0, 0 },

	{ "t_mrelease_kill_cgroup__EBADF__dirfd_minus_one", c_minus_one, EBADF, 0, 0 },
	{ "t_mrelease_kill_cgroup__EBADF__dirfd_closed", c_closed, EBADF, 0, 0 },
	{ "t_mrelease_kill_cgroup__EBADF__dirfd_int_max", c_int_max, EBADF, 0, 0 },
	{ "t_mrelease_kill_cgroup__ENOTDIR__dirfd_regular_file", c_regular, ENOTDIR, 0, 0 },
	{ "t_mrelease_kill_cgroup__ENOTDIR__dirfd_dev_null", c_devnull, ENOTDIR, 0, 0 },
	{ "t_mrelease_kill_cgroup__ENOTDIR__dirfd_socket", c_socket, ENOTDIR, 0, 0 },
	{ "t_mrelease_kill_cgroup__EINVAL__null_path", c_null_path, EINVAL, 0, 0 },
	{ "t_mrelease_kill_cgroup__EINVAL__null_path_with_dirfd", c_null_path_dirfd, EINVAL, 0, CG },
	{ "t_mrelease_kill_cgroup__ENOENT__empty_path", c_empty_path, ENOENT, 0, 0 },
	{ "t_mrelease_kill_cgroup__ENOENT__missing", c_missing, ENOENT, 0, 0 },
	{ "t_mrelease_kill_cgroup__ENOENT__missing_below_dirfd", c_missing_below, ENOENT, 0, CG },
	{ "t_mrelease_kill_cgroup__EMEDIUMTYPE__not_cgroup2", c_not_cgroup, EMEDIUMTYPE, 0, 0 },
	{ "t_mrelease_kill_cgroup__ENOTDIR__cgroup_procs_file", c_file, ENOTDIR, 0, CG },
	{ "t_mrelease_kill_cgroup__EINVAL__unknown_flag", c_unknown_flag, EINVAL, 0, CG },
	{ "t_mrelease_kill_cgroup__EINVAL__null_result_with_size", c_null_result, EINVAL, 0, CG },
	{ "t_mrelease_kill_cgroup__EINVAL__result_size_one", c_size_one, EINVAL, 0, CG },
	{ "t_mrelease_kill_cgroup__EINVAL__result_size_max", c_size_huge, EINVAL, 0, CG },
	{ "t_mrelease_kill_cgroup__EINVAL__result_size_three", c_size_dirfd, EINVAL, 0, CG },

	{ "t_mrelease_reaper_new__EINVAL__threads_65", r_threads_65, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_new__EINVAL__threads_uint_max", r_threads_max, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_new__EINVAL__queue_uint_max", r_queue_max, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_new__EINVAL__flag", r_flag, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_new__EINVAL__all_flags", r_all_flags, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_fd__EINVAL__null", r_fd_null, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_submit__EINVAL__null_reaper", r_submit_null, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_submit__EBADF__minus_one", rs_minus_one, EBADF, 0, 0 },
	{ "t_mrelease_reaper_submit__EBADF__closed_fd", rs_closed, EBADF, 0, 0 },
	{ "t_mrelease_reaper_submit__EBADF__int_max", rs_int_max, EBADF, 0, 0 },
	{ "t_mrelease_reaper_submit__EBADF__pidfd_self", rs_self, EBADF, 0, 0 },
	{ "t_mrelease_reaper_submit__EINVAL__unknown_flag", rs_flag, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_read__EINVAL__null_reaper", r_read_null, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_read__EINVAL__null_completion", rr_null, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_read__EINVAL__size_one", rr_one, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_read__EINVAL__size_below_ver0", rr_short, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_read__EINVAL__size_max", rr_huge, EINVAL, 0, 0 },
	{ "t_mrelease_reaper_read__EAGAIN__nothing_waiting", rr_empty, EAGAIN, 0, 0 },
};
#define NROWS ((int)(sizeof(rows) / sizeof(rows[0])))

static unsigned int have;	/* what this kernel and sandbox allow */

START_TEST(t_mrelease_probe__mask)
{
	ck_assert_uint_eq(mrelease_probe(), have);
}
END_TEST

START_TEST(t_hostile_row)
{
	const struct row *r = &rows[_i];
	int before, after, e;
	long ret;

	if ((r->need & have) != (r->need & ~CG)) {
		printf("%s: skipped, the kernel lacks the call\n", r->name);
		return;
	}
	if ((r->need & CG) && !fx.cg[0]) {
		printf("%s: skipped, no cgroup v2 to write\n", r->name);
		return;
	}
	before = tl_fd_count();
	errno = 0;
	ret = r->call();
	e = errno;
	after = tl_fd_count();
	ck_assert_msg(ret == -1, "%s: returned %ld, not -1", r->name, ret);
	ck_assert_msg(e == r->err || (r->err_alt && e == r->err_alt),
		      "%s: errno %d (%s)", r->name, e, strerror(e));
	ck_assert_msg(after == before, "%s: %d fds before, %d after", r->name,
		      before, after);
	ck_assert_msg(victim_alive(), "%s: the victim was signalled", r->name);
}
END_TEST

START_TEST(t_mrelease_version__static_string)
{
	const char *v = mrelease_version();
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", MRELEASE_VERSION_MAJOR,
		 MRELEASE_VERSION_MINOR, MRELEASE_VERSION_MICRO);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, want);
	ck_assert_ptr_eq(v, mrelease_version());
}
END_TEST

/* Every row's name must say the errno it expects. */
START_TEST(t_hostile_names)
{
	static const struct { int err; const char *name; } names[] = {
		{ EBADF, "EBADF" }, { EINVAL, "EINVAL" }, { ESRCH, "ESRCH" },
		{ EFAULT, "EFAULT" }, { ENOENT, "ENOENT" }, { ENOTDIR, "ENOTDIR" },
		{ EAGAIN, "EAGAIN" }, { E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" },
		{ EMEDIUMTYPE, "EMEDIUMTYPE" },
	};
	int i, j;

	for (i = 0; i < NROWS; i++) {
		const char *n = rows[i].name;
		char want[64];
		int found = 0;

		for (j = 0; j < (int)(sizeof(names) / sizeof(names[0])); j++)
			if (names[j].err == rows[i].err) {
				snprintf(want, sizeof(want), "__%s__", names[j].name);
				found = strstr(n, want) != NULL;
			}
		ck_assert_msg(!strncmp(n, "t_mrelease_", 11) && found,
			      "row %d: bad name %s", i, n);
	}
}
END_TEST

/* A row that fails leaves without its teardown: remove the cgroups of
 * this area whose test process is gone (they are empty then). */
static void remove_stale_cgroups(void)
{
	const char *root = tl_cgroup2_root();
	struct dirent *e;
	DIR *d;

	if (!root || !(d = opendir(root)))
		return;
	while ((e = readdir(d))) {
		char path[4096], *end;
		long pid;

		if (strncmp(e->d_name, "hardening-", 10))
			continue;
		pid = strtol(e->d_name + 10, &end, 10);
		if (*end || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
		rmdir(path);
	}
	closedir(d);
}

/* Before the run: what this kernel and sandbox allow. */
static void probe_have(void)
{
	int fd = tl_raw_pidfd_open(getpid(), 0);

	if (fd >= 0 || errno != ENOSYS)
		have |= MRELEASE_HAVE_PIDFD_OPEN;
	if (fd >= 0)
		close(fd);
	if (tl_raw_pidfd_kill(-1, 0, 0) < 0 && errno != ENOSYS)
		have |= MRELEASE_HAVE_PIDFD_KILL;
	if (tl_raw_process_mrelease(-1, 0) < 0 && errno != ENOSYS)
		have |= MRELEASE_HAVE_PROCESS_MRELEASE;
}

int main(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("rows");
	TCase *tm = tcase_create("meta");
	int rc;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, t_hostile_row, 0, NROWS);
	tcase_add_loop_test(tc, t_hostile_kill_pid, 0, NKP);
	tcase_add_test(tc, t_reaper_not_a_pidfd_completes_with_ebadf);
	tcase_add_test(tm, t_hostile_names);
	tcase_add_test(tm, t_mrelease_version__static_string);
	tcase_add_test(tm, t_mrelease_probe__mask);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tm);
	/* The fixture needs a pidfd for its victim. */
	rc = tl_main(s, MRELEASE_HAVE_PIDFD_OPEN, probe_have);
	remove_stale_cgroups();
	return rc;
}
