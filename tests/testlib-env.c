/*
 * testlib-env.c - hostile environments for the tests (see testlib.h)
 *
 * SPDX-License-Identifier: MIT
 *
 * An environment (a low fd limit, a private mount, cgroup or pid
 * namespace, a seccomp filter) is set up in a forked child, never in the
 * test process itself: tl_env_run() forks it and hands back its exit code.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <check.h>

#include "cgroup.h"
#include "testlib.h"

#ifndef P_PIDFD
# define P_PIDFD 3
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
# define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_RET_USER_NOTIF
# define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif

void tl_env_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	_exit(1);
}

/* fn(arg) in a child that dies with us; its exit status, or 128 + the
 * signal that killed it (said on stderr as what's). */
static int run_child(int (*fn)(void *), void *arg, const char *what)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(fn(arg));
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "%s killed by signal %d\n", what, WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return WEXITSTATUS(st);
}

int tl_env_run(int (*fn)(void *), void *arg)
{
	return run_child(fn, arg, "environment child");
}

struct in_child {
	long nr;
	int err;
	int uid;
	void (*fn)(void *arg, struct tl_outcome *o);
	void *arg;
	int p[2];
};

static int in_child(void *arg)
{
	struct in_child *c = arg;
	struct tl_outcome out;

	memset(&out, 0, sizeof(out));
	close(c->p[0]);
	if (c->uid >= 0 && setuid((uid_t)c->uid) < 0)
		return 3;
	if (c->nr >= 0 && tl_seccomp_errno(c->nr, c->err) < 0)
		return 77;
	c->fn(c->arg, &out);
	if (write(c->p[1], &out, sizeof(out)) != (ssize_t)sizeof(out))
		return 4;
	close(c->p[1]);
	return 0;
}

int tl_in_child(long nr, int err, int uid,
		void (*fn)(void *arg, struct tl_outcome *o), void *arg,
		struct tl_outcome *o)
{
	struct in_child c = { nr, err, uid, fn, arg, { -1, -1 } };
	int rc;

	memset(o, 0, sizeof(*o));
	ck_assert_int_eq(pipe2(c.p, O_CLOEXEC), 0);
	rc = tl_env_run(in_child, &c);
	close(c.p[1]);
	if (rc == 77) {
		close(c.p[0]);
		return 77;
	}
	ck_assert_msg(rc == 0, "child exit status %d", rc);
	ck_assert_int_eq(read(c.p[0], o, sizeof(*o)), (ssize_t)sizeof(*o));
	close(c.p[0]);
	return 0;
}

int tl_cg_make(const char *area, char *out, size_t size)
{
	static unsigned int seq;
	const char *root = tl_cgroup2_root();

	if (!root) {
		errno = ENOENT;
		return -1;
	}
	snprintf(out, size, "%s/%s-%d-%u", root, area, (int)getpid(), seq++);
	return mkdir(out, 0755);
}

int tl_cg_move(const char *cg, pid_t pid)
{
	char val[24];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return tl_write(cg, "cgroup.procs", val);
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *f)
{
	(void)st;
	(void)f;
	if (type == FTW_DP)
		rmdir(path);
	return 0;
}

void tl_cg_destroy(const char *cg)
{
	int fd;

	if (!cg || !cg[0] || access(cg, F_OK) < 0)
		return;
	tl_write(cg, "cgroup.freeze", "0");
	tl_write(cg, "cgroup.kill", "1");
	fd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		mr_cg_wait_empty(fd, 5000);
		close(fd);
	}
	nftw(cg, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int tl_pidfd_alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 0;
}

int tl_pidfd_killed(int pidfd)
{
	siginfo_t si;

	if (!tl_pidfd_exited(pidfd))
		return -1;
	memset(&si, 0, sizeof(si));
	while (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0)
		if (errno != EINTR)
			return -2;
	if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
		return si.si_status;
	return 0;
}

int tl_fd_high(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 1000);

	if (h < 0)
		return -1;
	close(fd);
	return h;
}

#if defined(__x86_64__)
# define ENV_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
# define ENV_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
# define ENV_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* In the calling process: a filter under which syscall nr gets action and
 * every other call runs.  0, or with listener the listener fd; -1 with
 * errno. */
static int seccomp_filter(long nr, unsigned int action, int listener)
{
#ifdef ENV_AUDIT_ARCH
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ENV_AUDIT_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	/* prctl where it will do: valgrind knows it better than seccomp(2). */
	if (!listener)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
#else
	(void)nr;
	(void)action;
	(void)listener;
	errno = ENOSYS;
	return -1;
#endif
}

int tl_seccomp_errno(long nr, int err)
{
	return seccomp_filter(nr, SECCOMP_RET_ERRNO | ((unsigned int)err &
						       SECCOMP_RET_DATA), 0);
}

int tl_seccomp_notify(long nr)
{
	sigset_t all;

	/* A held call is restarted, and so sent to the supervisor again,
	 * when its thread takes a signal.  Even SIGCHLD, ignored by default:
	 * one that comes while the process's other thread blocks signals
	 * (musl's fork() blocks them all) is queued, not dropped, and this
	 * thread takes it.  So this thread takes none: the others do. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	return seccomp_filter(nr, SECCOMP_RET_USER_NOTIF, 1);
}

int tl_seccomp_notify_next(int listener, int (*decide)(const void *data,
						       void *arg),
			   void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd p = { .fd = listener, .events = POLLIN };
	int r;

	r = poll(&p, 1, 20000);
	if (r <= 0)
		return r < 0 ? -1 : 0;
	if (!(p.revents & POLLIN))
		return 0;	/* POLLHUP: the filtered process is gone */
	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return errno == ENOENT ? 1 : -1;
	r = decide ? decide(&req.data, arg) : 0;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	if (r > 0)
		resp.error = -r;	/* the syscall fails with errno r */
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 &&
	    errno != ENOENT)
		return -1;
	return 1;
}

int tl_pidns_run(int (*fn)(void *), void *arg)
{
	if (unshare(CLONE_NEWPID) < 0)
		return -1;
	return run_child(fn, arg, "pid namespace init");
}

int tl_mountns_private(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -1;
	/* Propagation only: mount(2) ignores the source and the type here,
	 * but valgrind (rightly) reads both strings. */
	return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL);
}

int tl_proc_hide(int unmount)
{
	if (tl_mountns_private() < 0)
		return -1;
	if (unmount ? umount2("/proc", MNT_DETACH) :
		      mount("none", "/proc", "tmpfs", 0, NULL))
		return -1;
	if (access("/proc/self", F_OK) == 0) {
		errno = EEXIST;	/* another /proc below: still visible */
		return -1;
	}
	return 0;
}

int tl_set_last_pid(pid_t last)
{
	char val[24];

	snprintf(val, sizeof(val), "%d", (int)last);
	return tl_write("/proc/sys/kernel", "ns_last_pid", val);
}
