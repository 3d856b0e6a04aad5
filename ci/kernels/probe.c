/*
 * probe.c - what a kernel answers to the calls the library depends on, for
 * the kernels stage's table (not a test: the suite asserts; this reports).
 * Raw system calls, no library.  One "@@mr-probe KEY VALUE" line each.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#define PROBE_PIDFD_THREAD O_EXCL
#define PROBE_PIDFD_SIGNAL_THREAD 1U

static void say(const char *key, long rc)
{
	if (rc >= 0)
		printf("@@mr-probe %s ok\n", key);
	else
		printf("@@mr-probe %s %s\n", key, strerrorname_np(errno));
}

static void *sleeper(void *arg)
{
	pause();
	return arg;
}

static void cgroup_file(const char *root, const char *file)
{
	char dir[512], path[600];
	int r;

	snprintf(dir, sizeof(dir), "%s/mr-probe-%d", root, (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		printf("@@mr-probe %s %s\n", file, strerrorname_np(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	r = access(path, F_OK);
	printf("@@mr-probe %s %s\n", file, r == 0 ? "yes" : "no");
	rmdir(dir);
}

int main(int argc, char **argv)
{
	pthread_t t;
	pid_t tid = 0;
	long fd;
	char path[64];

	say("process_mrelease(-1)", syscall(SYS_process_mrelease, -1, 0));
	fd = syscall(SYS_pidfd_open, getpid(), PROBE_PIDFD_THREAD);
	say("pidfd_open(PIDFD_THREAD)", fd);
	if (fd >= 0)
		close((int)fd);
	fd = syscall(SYS_pidfd_open, getpid(), 0);
	say("pidfd_open", fd);
	if (fd >= 0) {
		say("pidfd_send_signal(PIDFD_SIGNAL_THREAD)",
		    syscall(SYS_pidfd_send_signal, fd, 0, NULL,
			    PROBE_PIDFD_SIGNAL_THREAD));
		close((int)fd);
	}
	if (pthread_create(&t, NULL, sleeper, NULL) == 0) {
		for (tid = getpid() + 1; tid < getpid() + 1000; tid++) {
			snprintf(path, sizeof(path), "/proc/self/task/%d", (int)tid);
			if (access(path, F_OK) == 0)
				break;
		}
		fd = syscall(SYS_pidfd_open, tid, 0);
		say("pidfd_open(non-leader)", fd);
		if (fd >= 0)
			close((int)fd);
	}
	if (argc > 1) {
		cgroup_file(argv[1], "cgroup.kill");
		cgroup_file(argv[1], "cgroup.freeze");
	}
	return 0;
}
