/*
 * proc.c - a process reference: its pidfd and its pid, and /proc
 *
 * SPDX-License-Identifier: MIT
 *
 * The pid of a pidfd is read once, and where the kernel can say it
 * without /proc: PIDFD_GET_INFO (Linux 6.13) first, the "Pid:" line of
 * /proc/self/fdinfo after.  /proc/<pid> is opened only for what only /proc
 * knows (the Rss of MRELEASE_MEASURE), and only after the pidfd confirms
 * that the pid still names the same process.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* The pid through PIDFD_GET_INFO: > 0, or 0 with *unsupported set when
 * the kernel has no such ioctl (one failed ioctl costs less than keeping
 * the answer in state that threads would share). */
static pid_t pid_from_get_info(int pidfd, int *unsupported)
{
	struct mr_pidfd_info info;

	*unsupported = 0;
	memset(&info, 0, sizeof(info));
	info.mask = MR_PIDFD_INFO_PID;
	if (ioctl(pidfd, MR_PIDFD_GET_INFO, &info) == 0)
		/* 0: outside our pid namespace. */
		return (info.mask & MR_PIDFD_INFO_PID) ? (pid_t)info.pid : 0;
	/* ESRCH: the process was waited for.  ENOTTY, or EINVAL from a
	 * kernel that checks the size: no such ioctl (before Linux 6.13). */
	if (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP)
		*unsupported = 1;
	return 0;
}

static pid_t pid_from_fdinfo(int pidfd)
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

pid_t mr_pidref_pid(struct mr_pidref *ref)
{
	pid_t pid;
	int unsupported;

	if (ref->pid)
		return ref->pid > 0 ? ref->pid : 0;
	if (ref->fd < 0) {
		ref->pid = -1;
		return 0;
	}
	pid = pid_from_get_info(ref->fd, &unsupported);
	if (!pid && unsupported)
		pid = pid_from_fdinfo(ref->fd);
	ref->pid = pid > 0 ? pid : -1;
	return pid > 0 ? pid : 0;
}

int mr_pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	int n = poll(&p, 1, 0);

	return n < 0 ? -1 : n > 0;
}

int mr_pidref_alive(const struct mr_pidref *ref)
{
	int r = mr_signal(ref->fd, 0);

	if (r == 0)
		return 1;
	if (r != -EPERM && r != -ENOSYS)
		return 0;
	/* No right to signal it (EPERM), or no pidfd_send_signal at all (a
	 * sandbox's ENOSYS): not yet exited is good enough. */
	return mr_pidfd_exited(ref->fd) == 0;
}

int mr_proc_is_ours(void)
{
	char buf[32], want[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	snprintf(want, sizeof(want), "%d", (int)getpid());
	return strcmp(buf, want) == 0;
}

int mr_pidref_proc_dir(struct mr_pidref *ref)
{
	char name[32];
	pid_t pid = mr_pidref_pid(ref);
	int fd;

	if (pid <= 0)
		return -ESRCH;
	snprintf(name, sizeof(name), "/proc/%d", (int)pid);
	fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The pid cannot have been reused between open() and now if the
	 * pidfd's process still holds it now. */
	if (ref->fd >= 0 && !mr_pidref_alive(ref)) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}

int mr_read_rss(int procfd, struct mr_rss *rss)
{
	struct mr_status st;
	char *buf;
	ssize_t n = mr_read_at(procfd, "status", &buf);
	int r;

	memset(rss, 0, sizeof(*rss));
	if (n < 0)
		return (int)n;
	r = mr_parse_status(buf, (size_t)n, &st);
	free(buf);
	if (r < 0)
		return r;
	if ((st.have & MR_ST_RSS) != MR_ST_RSS)
		return -ENODATA;
	rss->anon = st.rss_anon;
	rss->file = st.rss_file;
	rss->shmem = st.rss_shmem;
	return 0;
}
