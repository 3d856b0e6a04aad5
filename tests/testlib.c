/*
 * testlib.c - what the test programs share (see testlib.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <check.h>
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

/* A victim takes the default action for the signals a test sends it:
 * Check's forked test process may have handlers of its own (SIGTERM and
 * SIGINT forward to the test's process group). */
static void default_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
				    SIGUSR2, SIGALRM, SIGCHLD };
	sigset_t none;
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In a new victim: die with the test, take signals by default. */
static void victim_child_start(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	default_signals();
}

/* In a new victim: map and touch bytes of private anonymous memory. */
static void victim_touch(size_t bytes)
{
	char *m;

	if (!bytes)
		return;
	m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		_exit(2);
	madvise(m, bytes, MADV_NOHUGEPAGE);
	memset(m, 0x5a, bytes);
}

/* In the test: wait for the victim's ready message (len bytes into buf)
 * on rfd, which this closes, then open its pidfd unless pidfd is NULL. */
static pid_t victim_ready(pid_t pid, int rfd, void *buf, size_t len,
			  int *pidfd)
{
	ssize_t n = read(rfd, buf, len);

	close(rfd);
	if (n != (ssize_t)len) {
		tl_victim_reap(pid);
		errno = EIO;
		DIE("victim %d did not start", (int)pid);
	}
	if (pidfd) {
		*pidfd = tl_raw_pidfd_open(pid, 0);
		if (*pidfd < 0) {
			int e = errno;

			tl_victim_reap(pid);
			errno = e;
			DIE("pidfd_open(victim %d)", (int)pid);
		}
	}
	return pid;
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
		victim_child_start();
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (cpu >= 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		victim_touch(bytes);
		close(p[0]);
		if (write(p[1], "r", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	close(p[1]);
	return victim_ready(pid, p[0], &c, sizeof(c), pidfd);
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

int tl_waitpid_killed(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : -1;
}

long tl_fdinfo_pid(int fd)
{
	char path[64], line[256];
	long pid = -2;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Pid:", 4)) {
			pid = strtol(line + 4, NULL, 10);
			break;
		}
	fclose(f);
	return pid;
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

/* ---- running ---------------------------------------------------------- */

static char hold_prefix[128];

static int run(struct Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	/* Every test's name and outcome in the log, unless CK_VERBOSITY
	 * says otherwise. */
	srunner_run_all(sr, getenv("CK_VERBOSITY") ? CK_ENV : CK_VERBOSE);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tl_hold_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int tl_main(struct Suite *s, unsigned int require, void (*setup)(void))
{
	tl_require(require);
	/* The freezer cgroups of tl_hold_freeze() are this program's. */
	if (!hold_prefix[0])
		snprintf(hold_prefix, sizeof(hold_prefix), "hold-%d",
			 (int)getpid());
	if (setup)
		setup();
	return run(s);
}

static int fds_at_start;

static void fds_setup(void)
{
	fds_at_start = tl_fd_count();
}

static void fds_teardown(void)
{
	ck_assert_int_eq(tl_fd_count(), fds_at_start);
}

void tl_check_fds(struct TCase *tc)
{
	tcase_add_checked_fixture(tc, fds_setup, fds_teardown);
}

int tl_under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "vgpreload") != NULL;
}

static int thread_pipe = -1;

static void *victim_thread(void *arg)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);

	(void)arg;
	if (write(thread_pipe, &tid, sizeof(tid)) != (ssize_t)sizeof(tid))
		_exit(4);
	for (;;)
		pause();
	return NULL;
}

pid_t tl_victim_threaded(size_t bytes, pid_t *tid, int *pidfd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		DIE("pipe2");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		pthread_t t;

		victim_child_start();
		close(p[0]);
		victim_touch(bytes);
		thread_pipe = p[1];
		if (pthread_create(&t, NULL, victim_thread, NULL))
			_exit(3);
		for (;;)
			pause();
	}
	close(p[1]);
	return victim_ready(pid, p[0], tid, sizeof(*tid), pidfd);
}

int tl_wait_zombie(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

int tl_pidfd_exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, 30000);
	while (n < 0 && errno == EINTR);
	return n == 1 && (p.revents & (POLLIN | POLLHUP));
}

static int hold_method;
static unsigned int hold_seq;

int tl_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int read_file(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int tl_rmdir(const char *path)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		pause_ms(10);
	}
	return -1;
}

/* Write FROZEN or THAWED and wait (10 s at most) until the state says so. */
static int freezer_set(const char *cg, const char *state)
{
	char buf[64];
	int i;

	if (tl_write(cg, "freezer.state", state) < 0)
		return -1;
	for (i = 0; i < 10000; i++) {
		if (read_file(cg, "freezer.state", buf, sizeof(buf)) < 0)
			return -1;
		if (!strncmp(buf, state, strlen(state)))
			return 0;
		pause_ms(1);
	}
	errno = ETIMEDOUT;
	return -1;
}

/* Thaw cg, SIGKILL what is in it (only victims a test put there), wait
 * until it is empty and remove it. */
static void freezer_remove(const char *cg)
{
	char buf[4096];
	int i;

	tl_write(cg, "freezer.state", "THAWED");
	for (i = 0; i < 10000; i++) {
		char *p, *end;

		if (read_file(cg, "cgroup.procs", buf, sizeof(buf)) < 0)
			break;
		if (!buf[0])
			break;
		for (p = buf; *p; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			if (pid > 0)
				kill((pid_t)pid, SIGKILL);
		}
		pause_ms(1);
	}
	tl_rmdir(cg);
}

int tl_hold_init(const char *area)
{
	const char *root = tl_freezer_root();
	char probe[PATH_MAX];

	hold_method = 0;
	snprintf(hold_prefix, sizeof(hold_prefix), "%s-%d", area, (int)getpid());
	/* TL_HOLD=fifo tries the fallback where the freezer exists. */
	if (root && !(getenv("TL_HOLD") && !strcmp(getenv("TL_HOLD"), "fifo"))) {
		snprintf(probe, sizeof(probe), "%s/%s-probe", root, hold_prefix);
		if (mkdir(probe, 0755) == 0) {
			rmdir(probe);
			hold_method = TL_HOLD_FREEZER;
			return hold_method;
		}
	}
	{
		struct sched_param sp = { .sched_priority = 1 };
		pid_t pid = fork();
		int status;

		if (pid < 0)
			DIE("fork");
		if (pid == 0)
			_exit(sched_setscheduler(0, SCHED_FIFO, &sp) == 0 ? 0 : 1);
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			hold_method = TL_HOLD_FIFO;
	}
	return hold_method;
}

int tl_hold_freeze(struct tl_hold *h, const pid_t *pids, size_t n)
{
	const char *root = tl_freezer_root();
	size_t i;

	memset(h, 0, sizeof(*h));
	if (!root) {
		errno = ENOENT;
		return -1;
	}
	h->method = TL_HOLD_FREEZER;
	h->pid = n ? pids[0] : 0;
	snprintf(h->cgroup, sizeof(h->cgroup), "%s/%s-%d-%u", root,
		 hold_prefix, (int)getpid(), hold_seq++);
	if (mkdir(h->cgroup, 0755) < 0) {
		h->method = 0;
		return -1;
	}
	for (i = 0; i < n; i++) {
		char procs[32];

		snprintf(procs, sizeof(procs), "%d", (int)pids[i]);
		if (tl_write(h->cgroup, "cgroup.procs", procs) < 0)
			break;
	}
	if (i < n || freezer_set(h->cgroup, "FROZEN") < 0) {
		int e = errno;

		freezer_remove(h->cgroup);
		h->method = 0;
		errno = e;
		return -1;
	}
	return 0;
}

int tl_hold_start(struct tl_hold *h, pid_t pid)
{
	if (hold_method == TL_HOLD_FREEZER)
		return tl_hold_freeze(h, &pid, 1);
	memset(h, 0, sizeof(*h));
	h->pid = pid;
	if (hold_method == TL_HOLD_FIFO) {
		struct sched_param sp = { .sched_priority = 1 };
		cpu_set_t set;
		int cpu = sched_getcpu();

		if (cpu < 0)
			return -1;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		h->method = TL_HOLD_FIFO;
		h->policy = sched_getscheduler(0);
		if (sched_setaffinity(0, sizeof(set), &set) < 0 ||
		    sched_setaffinity(pid, sizeof(set), &set) < 0 ||
		    sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			return -1;
		return 0;
	}
	errno = ENOSYS;
	return -1;
}

int tl_hold_end(struct tl_hold *h)
{
	if (h->method == TL_HOLD_FREEZER) {
		/* Thaw only: a killed victim then exits and leaves the
		 * cgroup by itself; what is still in it keeps it. */
		h->result = freezer_set(h->cgroup, "THAWED") == 0 &&
			    tl_rmdir(h->cgroup) == 0 ? 0 : -1;
	} else if (h->method == TL_HOLD_FIFO) {
		struct sched_param sp = { .sched_priority = 0 };

		sched_setscheduler(0, h->policy < 0 ? SCHED_OTHER : h->policy,
				   &sp);
		h->result = 0;
	}
	h->method = 0;
	return h->result;
}

void tl_hold_cleanup(void)
{
	const char *root = tl_freezer_root();
	size_t len = strlen(hold_prefix);
	struct dirent *e;
	DIR *d;

	if (!len || !root || !(d = opendir(root)))
		return;
	while ((e = readdir(d))) {
		char cg[PATH_MAX];

		if (strncmp(e->d_name, hold_prefix, len) || e->d_name[len] != '-')
			continue;
		snprintf(cg, sizeof(cg), "%s/%s", root, e->d_name);
		freezer_remove(cg);
	}
	closedir(d);
}
