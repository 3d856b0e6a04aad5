/*
 * testlib.c - what the test programs share (see testlib.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "mrelease.h"
#include "syscall-nr.h"
#include "testlib.h"

#define DIE(...) do { fprintf(stderr, "testlib: " __VA_ARGS__); \
	fprintf(stderr, ": %s\n", strerror(errno)); exit(99); } while (0)

void tl_skip(const char *what, const char *since)
{
	printf("SKIP: %s%s%s%s\n", what, since ? " (" : "", since ? since : "",
	       since ? ")" : "");
	fflush(stdout);
	exit(77);
}

int tl_raw_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(MRELEASE_NR_pidfd_open, pid, flags);
}

int tl_raw_pidfd_kill(int pidfd, int sig, unsigned int flags)
{
	return (int)syscall(MRELEASE_NR_pidfd_send_signal, pidfd, sig, NULL, flags);
}

int tl_raw_process_mrelease(int pidfd, unsigned int flags)
{
	return (int)syscall(MRELEASE_NR_process_mrelease, pidfd, flags);
}

void tl_require(unsigned int mask)
{
	if ((mask & MRELEASE_HAVE_PIDFD_OPEN) &&
	    tl_raw_pidfd_open(0, 0) < 0 && errno == ENOSYS)
		tl_skip("kernel lacks pidfd_open", "Linux 5.3");
	if ((mask & MRELEASE_HAVE_PIDFD_KILL) &&
	    tl_raw_pidfd_kill(-1, 0, 0) < 0 && errno == ENOSYS)
		tl_skip("kernel lacks pidfd_send_signal", "Linux 5.1");
	if ((mask & MRELEASE_HAVE_PROCESS_MRELEASE) &&
	    tl_raw_process_mrelease(-1, 0) < 0 && errno == ENOSYS)
		tl_skip("kernel lacks process_mrelease", "Linux 5.15");
}

int tl_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		DIE("opendir /proc/self/fd");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the DIR's own fd */
}

static pid_t victim(size_t bytes, int cpu, int ignore_term, int *pidfd)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		DIE("pipe2");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		char *m = NULL;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		if (bytes) {
			m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED)
				_exit(2);
			madvise(m, bytes, MADV_NOHUGEPAGE);
			memset(m, 0x5a, bytes);
		}
		close(p[0]);
		if (write(p[1], "r", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		close(p[0]);
		tl_victim_reap(pid);
		errno = EIO;
		DIE("victim %d did not start", (int)pid);
	}
	close(p[0]);
	if (pidfd) {
		*pidfd = tl_raw_pidfd_open(pid, 0);
		if (*pidfd < 0) {
			int e = errno;

			tl_victim_reap(pid);
			errno = e;
			DIE("pidfd_open(victim)");
		}
	}
	return pid;
}

pid_t tl_victim(size_t bytes, int cpu, int *pidfd)
{
	return victim(bytes, cpu, 0, pidfd);
}

pid_t tl_victim_ignoring_term(size_t bytes, int *pidfd)
{
	return victim(bytes, -1, 1, pidfd);
}

void tl_victim_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

long tl_status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

char tl_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

#if defined(__x86_64__) && defined(__ILP32__)
# define TL_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__x86_64__)
# define TL_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
# define TL_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
# define TL_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

int tl_seccomp_errno(long nr, int err)
{
#ifdef TL_AUDIT_ARCH
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TL_AUDIT_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
#else
	(void)nr;
	(void)err;
	errno = ENOSYS;
	return -1;
#endif
}

int tl_kernel_version(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &maj, &min);
	return maj * 1000 + min;
}

static const char *mount_of(const char *fstype, const char *opt)
{
	static char found[2][PATH_MAX];
	char line[4096];
	char *res = NULL;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int slot = opt ? 1 : 0;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX], type[64];
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (sscanf(sep + 3, "%63s", type) != 1 || strcmp(type, fstype))
			continue;
		if (opt) {
			char *last = strrchr(line, ' ');

			if (!last || !strstr(last, opt))
				continue;
		}
		snprintf(found[slot], sizeof(found[slot]), "%s", mnt);
		res = found[slot];
		break;
	}
	fclose(f);
	return res;
}

const char *tl_cgroup2_root(void)
{
	return mount_of("cgroup2", NULL);
}

const char *tl_freezer_root(void)
{
	return mount_of("cgroup", "freezer");
}
