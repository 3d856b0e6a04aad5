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
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
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
	int e = pidfd >= 0 ? mr_reap(pidfd) : -ENOSYS;

	if (e == 0) {
		r->status |= MRELEASE_REAPED;
		r->reaped++;
	} else {
		r->reap_errno = -e;
	}
	if (!before || procfd < 0 || e)
		return;
	/* What the reap gives back is anonymous memory: file pages stay in
	 * the page cache and shmem stays with its file.  A process past
	 * exit_mm() has no Rss lines, and then all of it is gone. */
	if (mr_read_rss(procfd, &after) < 0)
		memset(&after, 0, sizeof(after));
	r->freed += before->anon > after.anon ? before->anon - after.anon : 0;
}

void mr_hasten_exit(struct mr_pidref *ref)
{
	pid_t pid = mr_pidref_pid(ref);
	int mine, theirs;

	if (pid <= 0 || ref->fd < 0)
		return;
	errno = 0;
	mine = getpriority(PRIO_PROCESS, 0);
	theirs = getpriority(PRIO_PROCESS, pid);
	/* Until its pidfd polls readable, the pid is still its own. */
	if (errno || theirs <= mine || mr_pidfd_exited(ref->fd) != 0)
		return;
	setpriority(PRIO_PROCESS, pid, mine);
}

/* Where the pidfd calls are missing: the kernel lacks them (ENOSYS) or a
 * sandbox refuses them (EPERM). */
static int fallback_errno(int e)
{
	return e == ENOSYS || e == EPERM;
}

/*
 * kill(2) of ref->pid, where pidfds cannot do it.  With a pidfd, the
 * check that the process has not exited is the pidfd's: the pid alone
 * could by now name someone else, even a new child of the caller (which
 * waitid() would take for the victim).  Without one, only a child of the
 * caller can be checked (a zombie is not killed).  A child keeps its pid
 * until the caller waits for it, so for a child that has not exited the
 * kill is exact.  For any other process the pid may be reused between the
 * check and the kill: the documented race of the fallback, which
 * MRELEASE_NO_FALLBACK forbids.
 */
static int fallback_kill(const struct mr_pidref *ref)
{
	siginfo_t si;

	if (ref->pid <= 0)
		return -ESRCH;
	if (ref->fd >= 0) {
		/* Exited already: its pid may be someone else's by now. */
		if (mr_pidfd_exited(ref->fd) != 0)
			return -ESRCH;
	} else {
		memset(&si, 0, sizeof(si));
		/* Our child, exited already (a zombie): nothing to kill. */
		if (waitid(P_PID, (id_t)ref->pid, &si,
			   WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == ref->pid)
			return -ESRCH;
	}
	return kill(ref->pid, SIGKILL) < 0 ? -errno : 0;
}

/*
 * A PIDFD_THREAD pidfd (Linux 6.9) names one thread, and a thread's pidfd
 * cannot be reaped: process_mrelease(2) wants the thread group.  Returns a
 * new pidfd of the group (the caller closes it) with *tgid, 0 when ref is
 * not a thread pidfd, or -errno: EINVAL when the group cannot be told
 * (no PIDFD_GET_INFO and no /proc of ours), ESRCH when it is gone, EMFILE
 * or ENFILE when no fd is left to open the group's pidfd or /proc with.
 */
static int thread_group(struct mr_pidref *ref, pid_t *tgid)
{
	struct mr_pidfd_info info;
	int fl = fcntl(ref->fd, F_GETFL), fd;

	*tgid = 0;
	if (fl < 0)
		return -errno;
	if (!(fl & PIDFD_THREAD))
		return 0;
	memset(&info, 0, sizeof(info));
	info.mask = MR_PIDFD_INFO_PID;
	if (ioctl(ref->fd, MR_PIDFD_GET_INFO, &info) == 0 &&
	    (info.mask & MR_PIDFD_INFO_PID)) {
		*tgid = (pid_t)info.tgid;
	} else if (errno == ESRCH) {
		return -ESRCH;
	} else if (mr_proc_is_ours()) {
		struct mr_status st;
		char name[48], *buf;
		ssize_t n;
		pid_t tid;

		/* Before Linux 6.13 the tid and its Tgid come from /proc
		 * (fdinfo, status): out of fds, that is the cause to report,
		 * not "cannot be told". */
		errno = 0;
		tid = mr_pidref_pid(ref);
		if (tid <= 0 && (errno == EMFILE || errno == ENFILE))
			return -errno;
		snprintf(name, sizeof(name), "/proc/%d/status", (int)tid);
		n = tid > 0 ? mr_read_at(AT_FDCWD, name, &buf) : -ESRCH;
		if (n == -EMFILE || n == -ENFILE)
			return (int)n;
		if (n >= 0) {
			if (mr_parse_status(buf, (size_t)n, &st) == 0 &&
			    (st.have & MR_ST_TGID))
				*tgid = st.tgid;
			free(buf);
		}
	}
	if (*tgid <= 0)
		return -EINVAL;
	fd = mrelease_pidfd_open(*tgid, 0);
	if (fd < 0)
		return -errno;
	/* The thread still lives, so its group leader still holds tgid: the
	 * new pidfd names the thread's own process. */
	if (!mr_pidref_alive(ref)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

int mr_kill_pidref(struct mr_pidref *ref, unsigned int flags, int how,
		   int open_err, struct mrelease_result *r)
{
	struct mr_pidref group;
	struct mr_rss before;
	int procfd = -1, measured = 0, e, gfd = 0;
	pid_t tgid;
	uint64_t t0;

	if (ref->fd >= 0) {
		gfd = thread_group(ref, &tgid);
		if (gfd < 0 && gfd != -EBADF) {
			/* The result names the process, never the thread. */
			memset(r, 0, sizeof(*r));
			r->pid = tgid;
			return gfd;
		}
		if (gfd > 0) {
			group = MR_PIDREF(gfd, tgid);
			ref = &group;
		}
	}
	/* Only a measurement needs the pid before the kill (for /proc/<pid>);
	 * otherwise it is read after the reap, off the time-to-free path: the
	 * pidfd names it until the process is waited for.  /proc of another
	 * pid namespace would name another process: then no measurement. */
	if ((flags & MRELEASE_MEASURE) && mr_proc_is_ours() &&
	    mr_pidref_pid(ref) > 0) {
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
		if (!(how & MR_KILL_FALLBACK) || (flags & MRELEASE_NO_FALLBACK) ||
		    !fallback_errno(-e))
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
	if (r->reap_errno == ESRCH)
		mr_hasten_exit(ref);
	r->pid = mr_pidref_pid(ref);
	e = 0;
	goto out;
fail:
	memset(r, 0, sizeof(*r));
	r->pid = mr_pidref_pid(ref);
out:
	if (procfd >= 0)
		close(procfd);
	if (gfd > 0)
		close(gfd);
	return e;
}

/* The online CPUs, at most 4: whatever the caller's affinity. */
unsigned int mr_default_threads(void)
{
	unsigned int cpus = mr_online_cpus();

	return cpus > 4 ? 4 : cpus;
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
