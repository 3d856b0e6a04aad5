/*
 * util.c - the clock and whole-file I/O (see util.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#define MR_READ_MAX (64u << 20)

uint64_t mr_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int open_at(int dirfd, const char *name, int flags)
{
	int fd;

	do
		fd = openat(dirfd, name, flags | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

ssize_t mr_read_at(int dirfd, const char *name, char **bufp)
{
	size_t cap = 4096, len = 0;
	char *buf = NULL;
	int fd, e;

	*bufp = NULL;
	fd = open_at(dirfd, name, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t n;

		if (!buf || len + 1 >= cap) {
			char *nb;

			if (buf)
				cap *= 2;
			if (cap > MR_READ_MAX) {
				e = -EFBIG;
				goto fail;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				e = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
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
	free(buf);
	close(fd);
	return e;
}

int mr_write_at(int dirfd, const char *name, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd = open_at(dirfd, name, O_WRONLY), e = 0;

	if (fd < 0)
		return fd;
	do
		n = write(fd, s, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		e = -errno;
	else if ((size_t)n != len)
		e = -EIO;
	close(fd);
	return e;
}

/* /proc/<pid>/<name> read whole, then parse(buf, len, out). */
static int proc_parse(pid_t pid, const char *name,
		      int (*parse)(const char *, size_t, void *), void *out)
{
	char path[64], *buf;
	ssize_t n;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	n = mr_read_at(AT_FDCWD, path, &buf);
	if (n < 0)
		return (int)n;
	r = parse(buf, (size_t)n, out);
	free(buf);
	return r;
}

static int parse_status(const char *buf, size_t len, void *st)
{
	return mr_parse_status(buf, len, st);
}

static int parse_stat(const char *buf, size_t len, void *st)
{
	return mr_parse_stat(buf, len, st);
}

int mr_proc_status(pid_t pid, struct mr_status *st)
{
	return proc_parse(pid, "status", parse_status, st);
}

int mr_proc_stat(pid_t pid, struct mr_stat *st)
{
	return proc_parse(pid, "stat", parse_stat, st);
}

unsigned int mr_online_cpus(void)
{
	unsigned int cpus = 0;
	char *buf = NULL;
	ssize_t n;
	long c;

	n = mr_read_at(AT_FDCWD, "/sys/devices/system/cpu/online", &buf);
	if (n < 0 || mr_parse_cpulist_count(buf, (size_t)n, &cpus) < 0 ||
	    !cpus) {
		c = sysconf(_SC_NPROCESSORS_ONLN);
		cpus = c < 1 ? 1 : c > 65536 ? 65536 : (unsigned int)c;
	}
	free(buf);
	return cpus;
}

int mr_sched_set(int policy, int priority)
{
	struct sched_param sp;

	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = priority;
	/* 0 is the calling thread: Linux schedules threads. */
	return syscall(SYS_sched_setscheduler, 0, policy, &sp) < 0 ? -1 : 0;
}
