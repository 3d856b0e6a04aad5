/*
 * killtest.h - helpers the kill-and-reap tests share (header-only)
 *
 * SPDX-License-Identifier: MIT
 *
 * cgroups created here are named after the area and the test's pid
 * (kill-api-<pid>-<n>) and removed by the test that made them.
 */
#ifndef MRELEASE_KILLTEST_H
#define MRELEASE_KILLTEST_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

#define MiB (1024UL * 1024UL)

/* Write a string to a file; 0 or -1. */
static inline int kt_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static inline int kt_write_pid(const char *dir, const char *file, pid_t pid)
{
	char path[1024], s[32];

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path))
		return -1;
	snprintf(s, sizeof(s), "%d\n", (int)pid);
	return kt_write(path, s);
}

/* A fresh directory kill-api-<pid>-<n> below root, in buf. */
static inline void kt_mkdir_under(const char *root, char *buf, size_t size)
{
	static int n;

	snprintf(buf, size, "%s/kill-api-%d-%d", root, (int)getpid(), n++);
	ck_assert_msg(mkdir(buf, 0755) == 0, "mkdir %s: %s", buf,
		      strerror(errno));
}

/* rmdir, retrying while the last tasks leave. */
static inline int kt_rmdir(const char *path)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		usleep(10000);
	}
	return -1;
}

/* Freezer (cgroup v1): hold a SIGKILLed victim with its mm, so that the
 * reap cannot lose the race to the victim's own exit. */
static inline int kt_freezer_state(const char *dir, const char *state)
{
	char path[1024], buf[32];
	int i, fd;
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/freezer.state", dir) >=
	    (int)sizeof(path))
		return -1;
	if (kt_write(path, state) < 0)
		return -1;
	for (i = 0; i < 1000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			if (!strncmp(buf, state, strlen(state)))
				return 0;
		}
		usleep(5000);
	}
	return -1;
}

/*
 * A frozen victim that survives a failed test would stay in D state for
 * good.  The guard, a child that outlives the test if it must, thaws and
 * removes the freezer cgroup as soon as the test closes the pipe (or dies).
 */
static int kt_guard_fd = -1;
static pid_t kt_guard_pid = -1;

static inline void kt_freezer_guard(const char *dir)
{
	int p[2];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	kt_guard_pid = fork();
	ck_assert_int_ge(kt_guard_pid, 0);
	if (kt_guard_pid == 0) {
		long fd, max = sysconf(_SC_OPEN_MAX);
		char c;

		/* Only the pipe: the test's pidfds and files stay the
		 * test's (valgrind --track-fds checks each child). */
		for (fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			if (fd != p[0])
				close((int)fd);
		/* Check kills the test's process group after a failure. */
		setsid();
		while (read(p[0], &c, 1) != 0 && errno == EINTR)
			;
		/* Nothing open at _exit (valgrind --track-fds). */
		close(p[0]);
		kt_freezer_state(dir, "THAWED");
		_exit(kt_rmdir(dir) == 0 ? 0 : 1);
	}
	close(p[0]);
	kt_guard_fd = p[1];
}

/* Thaw, remove the cgroup, and report whether that worked. */
static inline int kt_freezer_release(void)
{
	int st;

	if (kt_guard_fd < 0)
		return 0;
	close(kt_guard_fd);
	kt_guard_fd = -1;
	if (waitpid(kt_guard_pid, &st, 0) != kt_guard_pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Wait until pidfd says the process exited, then waitpid() it; returns
 * the signal that killed it, or -1. */
static inline int kt_wait_killed(int pidfd, pid_t pid)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int st;

	if (pidfd >= 0 && poll(&p, 1, 30000) != 1)
		return -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : -1;
}

/* The process is still there and not exiting. */
static inline int kt_alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 0;
}

/* What a forked child reports back. */
struct kt_outcome {
	int rc;
	int err;
	unsigned int mask;
	struct mrelease_result r;
};

/*
 * Run fn in a forked child whose syscall nr answers -1/err (nr < 0: no
 * filter) and, with uid >= 0, that runs as that uid.  Returns 0, or 77
 * when seccomp is unavailable.
 */
static inline int kt_in_child(long nr, int err, int uid,
			      void (*fn)(void *, struct kt_outcome *),
			      void *arg, struct kt_outcome *o)
{
	int p[2], st;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct kt_outcome out;

		memset(&out, 0, sizeof(out));
		close(p[0]);
		if (uid >= 0 && setuid((uid_t)uid) < 0)
			_exit(3);
		if (nr >= 0 && tl_seccomp_errno(nr, err) < 0)
			_exit(77);
		fn(arg, &out);
		if (write(p[1], &out, sizeof(out)) != (ssize_t)sizeof(out))
			_exit(4);
		close(p[1]);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		close(p[0]);
		return 77;
	}
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "child status 0x%x", st);
	ck_assert_int_eq(read(p[0], o, sizeof(*o)), (ssize_t)sizeof(*o));
	close(p[0]);
	return 0;
}

#endif /* MRELEASE_KILLTEST_H */
