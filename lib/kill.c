/*
 * kill.c - mrelease_kill(), mrelease_kill_pid(): the kill of one process
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
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int mr_signal(int pidfd, int sig)
{
	int i;

	for (i = 0; i < MR_RETRIES; i++) {
		if (mrelease_pidfd_kill(pidfd, sig, 0) == 0)
			return 0;
		if (errno != EINTR && errno != EAGAIN)
			break;
	}
	return -errno;
}

int mr_reap(int pidfd)
{
	int i;

	for (i = 0; i < MR_RETRIES; i++) {
		if (mrelease_process_mrelease(pidfd, 0) == 0)
			return 0;
		if (errno != EINTR && errno != EAGAIN)
			break;
	}
	return -errno;
}

void mr_reap_one(int pidfd, int procfd, const struct mr_rss *before,
		 struct mrelease_result *r)
{
	struct mr_rss after;
	uint64_t was, now;
	int e = pidfd >= 0 ? mr_reap(pidfd) : -ENOSYS;

	if (e == 0) {
		r->status |= MRELEASE_REAPED;
		r->reaped++;
	} else {
		r->reap_errno = -e;
	}
	if (!before || procfd < 0 || e)
		return;
	/* After the reap: a process past exit_mm() has no Rss lines, and then
	 * everything it held is gone. */
	if (mr_read_rss(procfd, &after) < 0)
		memset(&after, 0, sizeof(after));
	was = before->anon + before->file;
	now = after.anon + after.file;
	r->freed += was > now ? was - now : 0;
}

/* Where the pidfd calls are missing: the kernel lacks them (ENOSYS) or a
 * sandbox refuses them (EPERM). */
static int fallback_errno(int e)
{
	return e == ENOSYS || e == EPERM;
}

/* kill(2) on a pid we hold a pidfd for (ref->fd >= 0) or not. */
static int fallback_kill(const struct mr_pidref *ref)
{
	if (ref->pid <= 0)
		return -ESRCH;
	if (ref->fd >= 0) {
		struct pollfd p = { .fd = ref->fd, .events = POLLIN };

		/* Exited already: its pid may be someone else's by now. */
		if (poll(&p, 1, 0) != 0)
			return -ESRCH;
	}
	return kill(ref->pid, SIGKILL) < 0 ? -errno : 0;
}

int mr_kill_pidref(struct mr_pidref *ref, unsigned int flags, int how,
		   int open_err, struct mrelease_result *r)
{
	struct mr_rss before;
	int procfd = -1, measured = 0, e;
	uint64_t t0;

	/* Only a measurement needs the pid before the kill (for /proc/<pid>);
	 * otherwise it is read after the reap, off the time-to-free path: the
	 * pidfd names it until the process is waited for. */
	if ((flags & MRELEASE_MEASURE) && mr_pidref_pid(ref) > 0) {
		procfd = mr_pidref_proc_dir(ref);
		if (procfd >= 0 && mr_read_rss(procfd, &before) == 0) {
			measured = 1;
			r->status |= MRELEASE_MEASURED;
			r->rss_anon = before.anon;
			r->rss_file = before.file;
			r->rss_shmem = before.shmem;
		}
	}

	t0 = mr_now_ns();
	e = ref->fd >= 0 ? mr_signal(ref->fd, SIGKILL) : -open_err;
	if (e < 0) {
		if (!(how & MR_KILL_FALLBACK) || !fallback_errno(-e))
			goto fail;
		e = fallback_kill(ref);
		if (e < 0)
			goto fail;
		r->status |= MRELEASE_FALLBACK_KILL;
	}
	r->status |= MRELEASE_KILLED;
	r->killed = 1;
	mr_reap_one(ref->fd, measured ? procfd : -1, measured ? &before : NULL,
		    r);
	if (ref->fd < 0)
		r->reap_errno = open_err;
	r->time_ns = mr_now_ns() - t0;
	r->pid = mr_pidref_pid(ref);
	if (procfd >= 0)
		close(procfd);
	return 0;
fail:
	if (procfd >= 0)
		close(procfd);
	memset(r, 0, sizeof(*r));
	r->pid = mr_pidref_pid(ref);
	return e;
}

unsigned int mr_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > 4 ? 4 : (unsigned int)n;
}

/* The argument checks every kill makes: 0 or -errno. */
static int check_args(unsigned int flags, const void *result, size_t size)
{
	if (flags & ~MR_KNOWN_FLAGS)
		return -EINVAL;
	return mr_result_check(result, size);
}

MRELEASE_EXPORT int mrelease_kill(int pidfd, unsigned int flags,
				  struct mrelease_result *result, size_t size)
{
	struct mrelease_result r;
	struct mr_pidref ref = MR_PIDREF(pidfd, 0);
	int e = check_args(flags, result, size);

	if (e < 0)
		return mr_errno(e);
	/* Negative fds are the kernel's PIDFD_SELF_* sentinels: never kill
	 * the caller by mistake. */
	if (pidfd < 0)
		return mr_errno(-EBADF);
	memset(&r, 0, sizeof(r));
	e = mr_kill_pidref(&ref, flags, 0, 0, &r);
	mr_result_copy(result, size, &r, sizeof(r));
	return mr_errno(e);
}

MRELEASE_EXPORT int mrelease_kill_pid(pid_t pid, unsigned int flags,
				      struct mrelease_result *result,
				      size_t size)
{
	struct mrelease_result r;
	struct mr_pidref ref = MR_PIDREF(-1, pid);
	int e = check_args(flags, result, size), open_err = 0;

	if (e < 0)
		return mr_errno(e);
	/* 0 and negative pids name groups for kill(2): never. */
	if (pid <= 0)
		return mr_errno(-EINVAL);
	memset(&r, 0, sizeof(r));
	ref.fd = mrelease_pidfd_open(pid, 0);
	if (ref.fd < 0) {
		open_err = errno;
		if (!fallback_errno(open_err)) {
			r.pid = pid;
			mr_result_copy(result, size, &r, sizeof(r));
			return mr_errno(-open_err);
		}
	}
	e = mr_kill_pidref(&ref, flags, MR_KILL_FALLBACK, open_err, &r);
	if (ref.fd >= 0)
		close(ref.fd);
	mr_result_copy(result, size, &r, sizeof(r));
	return mr_errno(e);
}
