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
} fx;

static void setup(void)
{
	int sv[2];

	fx.closed_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fx.closed_fd, 0);
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
}

static void teardown(void)
{
	tl_victim_reap(fx.victim);
	close(fx.victim_pidfd);
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
};
#define NROWS ((int)(sizeof(rows) / sizeof(rows[0])))

static unsigned int have;	/* what this kernel and sandbox allow */

START_TEST(t_hostile_row)
{
	const struct row *r = &rows[_i];
	int before, after, e;
	long ret;

	if ((r->need & have) != r->need) {
		printf("%s: skipped, the kernel lacks the call\n", r->name);
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

int main(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("rows");
	TCase *tm = tcase_create("meta");
	SRunner *sr;
	int failed, fd;

	fd = tl_raw_pidfd_open(getpid(), 0);
	if (fd >= 0 || errno != ENOSYS)
		have |= MRELEASE_HAVE_PIDFD_OPEN;
	if (fd >= 0)
		close(fd);
	if (tl_raw_pidfd_kill(-1, 0, 0) < 0 && errno != ENOSYS)
		have |= MRELEASE_HAVE_PIDFD_KILL;
	if (tl_raw_process_mrelease(-1, 0) < 0 && errno != ENOSYS)
		have |= MRELEASE_HAVE_PROCESS_MRELEASE;
	/* The fixture needs a pidfd for its victim. */
	tl_require(MRELEASE_HAVE_PIDFD_OPEN);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, t_hostile_row, 0, NROWS);
	tcase_add_test(tm, t_hostile_names);
	tcase_add_test(tm, t_mrelease_version__static_string);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tm);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
