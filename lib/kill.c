/*
 * kill.c - mrelease_probe(), mrelease_kill(), mrelease_kill_pid()
 *
 * SPDX-License-Identifier: MIT
 *
 * The order is the one every OOM daemon had to learn: the pidfd exists
 * before the kill (so the reap cannot lose the process to ESRCH, and a
 * reused pid is never signalled), SIGKILL and nothing else (only a
 * SIGKILLed process is certain to be reapable), process_mrelease(2) at once
 * after it, ESRCH from the reap counts as "freed its memory itself", and a
 * reap the kernel or the sandbox refuses never undoes the kill.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kill-internal.h"

int mr_result_check(const void *result, size_t size)
{
	if (!result && !size)
		return 0;
	if (!result || size < MRELEASE_RESULT_SIZE_VER0 ||
	    size > MR_MAX_STRUCT_SIZE) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void mr_result_copy(void *dst, size_t size, const void *src, size_t src_size)
{
	size_t n = size < src_size ? size : src_size;

	if (!dst || !size)
		return;
	memcpy(dst, src, n);
	if (size > n)
		memset((char *)dst + n, 0, size - n);
}

uint64_t mr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define MR_READ_MAX (64u << 20)

ssize_t mr_read_at(int dirfd, const char *name, char **bufp)
{
	size_t cap = 4096, len = 0;
	char *buf = NULL;
	int fd, e;

	*bufp = NULL;
	do
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t n;

		if (!buf || len + 1 >= cap) {
			char *nb;

			if (buf)
				cap *= 2;
			if (cap > MR_READ_MAX) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				errno = ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	return (ssize_t)len;
fail:
	e = errno;
	free(buf);
	close(fd);
	errno = e;
	return -1;
}

pid_t mr_pidfd_pid(int pidfd)
{
	char name[64], *buf;
	ssize_t n;
	long pid = 0;

	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", pidfd);
	n = mr_read_at(AT_FDCWD, name, &buf);
	if (n < 0)
		return 0;
	if (mr_parse_fdinfo_pid(buf, (size_t)n, &pid) < 0 || pid <= 0)
		pid = 0;
	free(buf);
	return (pid_t)pid;
}

/* The process behind pidfd still holds its pid (alive, or a zombie not yet
 * waited for): 1, else 0. */
static int pidfd_holds_pid(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	if (mr_signal(pidfd, 0) == 0)
		return 1;
	if (errno != EPERM)
		return 0;
	/* No right to signal it: not yet exited is good enough. */
	return poll(&p, 1, 0) == 0;
}

int mr_proc_dir(int pidfd, pid_t pid)
{
	char name[32];
	int fd;

	if (pid <= 0)
		return -1;
	snprintf(name, sizeof(name), "/proc/%d", (int)pid);
	fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* The pid cannot have been reused between open() and now if the
	 * pidfd's process still holds it now. */
	if (pidfd >= 0 && !pidfd_holds_pid(pidfd)) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

int mr_read_rss(int procfd, struct mr_rss *rss)
{
	char *buf;
	ssize_t n = mr_read_at(procfd, "status", &buf);
	int r;

	memset(rss, 0, sizeof(*rss));
	if (n < 0)
		return -1;
	r = mr_parse_status_rss(buf, (size_t)n, rss);
	free(buf);
	return r;
}

int mr_signal(int pidfd, int sig)
{
	int i;

	for (i = 0; i < MR_RETRIES; i++) {
		if (mrelease_pidfd_kill(pidfd, sig, 0) == 0)
			return 0;
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	}
	return -1;
}

int mr_reap(int pidfd)
{
	int i;

	for (i = 0; i < MR_RETRIES; i++) {
		if (mrelease_process_mrelease(pidfd, 0) == 0)
			return 0;
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	}
	return -1;
}

void mr_reap_one(int pidfd, int procfd, const struct mr_rss *before,
		 struct mrelease_result *r)
{
	struct mr_rss after;
	uint64_t was, now;

	if (pidfd >= 0 && mr_reap(pidfd) == 0) {
		r->status |= MRELEASE_REAPED;
		r->reaped++;
	} else {
		r->reap_errno = pidfd >= 0 ? errno : ENOSYS;
	}
	if (!before || procfd < 0 || !(r->status & MRELEASE_REAPED))
		return;
	/* After the reap: a process past exit_mm() has no Rss lines, and then
	 * everything it held is gone. */
	if (mr_read_rss(procfd, &after) < 0)
		memset(&after, 0, sizeof(after));
	was = before->anon + before->file;
	now = after.anon + after.file;
	r->freed += was > now ? was - now : 0;
}

static int fallback_errno(int e)
{
	return e == ENOSYS || e == EPERM;
}

/* kill(2) on a pid we hold a pidfd for (pidfd >= 0) or not. */
static int fallback_kill(int pidfd, pid_t pid)
{
	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		/* Exited already: its pid may be someone else's by now. */
		if (poll(&p, 1, 0) != 0) {
			errno = ESRCH;
			return -1;
		}
	}
	if (kill(pid, SIGKILL) < 0)
		return -1;
	return 0;
}

static int kill_common(int pidfd, pid_t pid, unsigned int flags, int fallback,
		       int open_errno, struct mrelease_result *r)
{
	struct mr_rss before;
	int procfd = -1, measured = 0, e;
	uint64_t t0;

	/* Only a measurement needs the pid before the kill (for /proc/<pid>);
	 * otherwise it is read after the reap, off the time-to-free path: the
	 * pidfd's fdinfo names it until the process is waited for. */
	if (pidfd >= 0 && pid <= 0 && (flags & MRELEASE_MEASURE))
		pid = mr_pidfd_pid(pidfd);
	if ((flags & MRELEASE_MEASURE) && pid > 0) {
		procfd = mr_proc_dir(pidfd, pid);
		if (procfd >= 0 && mr_read_rss(procfd, &before) == 0) {
			measured = 1;
			r->status |= MRELEASE_MEASURED;
			r->rss_anon = before.anon;
			r->rss_file = before.file;
			r->rss_shmem = before.shmem;
		}
	}

	t0 = mr_now_ns();
	if (pidfd < 0 || mr_signal(pidfd, SIGKILL) < 0) {
		e = pidfd < 0 ? open_errno : errno;
		if (!fallback || !fallback_errno(e) ||
		    fallback_kill(pidfd, pid) < 0) {
			e = (!fallback || !fallback_errno(e)) ? e : errno;
			goto fail;
		}
		r->status |= MRELEASE_FALLBACK_KILL;
	}
	r->status |= MRELEASE_KILLED;
	r->killed = 1;
	mr_reap_one(pidfd, measured ? procfd : -1, measured ? &before : NULL,
		    r);
	if (pidfd < 0)
		r->reap_errno = open_errno;
	r->time_ns = mr_now_ns() - t0;
	if (pidfd >= 0 && pid <= 0)
		pid = mr_pidfd_pid(pidfd);
	r->pid = pid > 0 ? pid : 0;
	if (procfd >= 0)
		close(procfd);
	return 0;
fail:
	if (procfd >= 0)
		close(procfd);
	memset(r, 0, sizeof(*r));
	if (pidfd >= 0 && pid <= 0)
		pid = mr_pidfd_pid(pidfd);
	r->pid = pid > 0 ? pid : 0;
	errno = e;
	return -1;
}

int mr_kill_pidfd(int pidfd, pid_t pid, unsigned int flags,
		  struct mrelease_result *r)
{
	return kill_common(pidfd, pid, flags, 0, 0, r);
}

unsigned int mr_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 4 ? 4 : (unsigned int)n;
}

MRELEASE_EXPORT unsigned int mrelease_probe(void)
{
	unsigned int have = 0;
	int e;

	/* Each call gets an argument it can only refuse; an errno other than
	 * ENOSYS or a sandbox's EPERM means the kernel looked at it. */
	errno = 0;
	if (mrelease_pidfd_open(0, 0) < 0) {
		e = errno;
		if (e != ENOSYS && e != EPERM)
			have |= MRELEASE_HAVE_PIDFD_OPEN;
	}
	if (mrelease_pidfd_kill(-1, 0, 0) < 0) {
		e = errno;
		if (e != ENOSYS && e != EPERM)
			have |= MRELEASE_HAVE_PIDFD_KILL;
	}
	if (mrelease_process_mrelease(-1, 0) < 0) {
		e = errno;
		if (e != ENOSYS && e != EPERM)
			have |= MRELEASE_HAVE_PROCESS_MRELEASE;
	}
	return have;
}

MRELEASE_EXPORT int mrelease_kill(int pidfd, unsigned int flags,
				  struct mrelease_result *result, size_t size)
{
	struct mrelease_result r;
	int rc, e;

	if (flags & ~MR_KNOWN_FLAGS) {
		errno = EINVAL;
		return -1;
	}
	if (mr_result_check(result, size) < 0)
		return -1;
	/* Negative fds are the kernel's PIDFD_SELF_* sentinels: never kill
	 * the caller by mistake. */
	if (pidfd < 0) {
		errno = EBADF;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	rc = mr_kill_pidfd(pidfd, 0, flags, &r);
	e = errno;
	mr_result_copy(result, size, &r, sizeof(r));
	errno = e;
	return rc;
}

MRELEASE_EXPORT int mrelease_kill_pid(pid_t pid, unsigned int flags,
				      struct mrelease_result *result,
				      size_t size)
{
	struct mrelease_result r;
	int pidfd, rc, e;

	if (flags & ~MR_KNOWN_FLAGS) {
		errno = EINVAL;
		return -1;
	}
	if (mr_result_check(result, size) < 0)
		return -1;
	/* 0 and negative pids name groups for kill(2): never. */
	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	pidfd = mrelease_pidfd_open(pid, 0);
	if (pidfd < 0) {
		e = errno;
		if (!fallback_errno(e)) {
			r.pid = pid;
			mr_result_copy(result, size, &r, sizeof(r));
			errno = e;
			return -1;
		}
		rc = kill_common(-1, pid, flags, 1, e, &r);
	} else {
		rc = kill_common(pidfd, pid, flags, 1, 0, &r);
		e = errno;
		close(pidfd);
		errno = e;
	}
	e = errno;
	mr_result_copy(result, size, &r, sizeof(r));
	errno = e;
	return rc;
}
