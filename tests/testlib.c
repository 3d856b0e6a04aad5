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

#include "mrelease.h"
#include "procparse.h"
#include "syscall-nr.h"
#include "testlib.h"
#include "util.h"

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

int tl_reap_missing(void)
{
	static int missing = -1;

	if (missing < 0)
		missing = tl_raw_process_mrelease(-1, 0) < 0 && errno == ENOSYS;
	return missing;
}

int tl_cg_killfile(void)
{
	static int has = -1;
	const char *root = tl_cgroup2_root();
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;

	if (has >= 0)
		return has;
	/* The root has no cgroup.kill: look in any child of it. */
	has = 0;
	d = root ? opendir(root) : NULL;
	while (d && (e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/cgroup.procs", root,
			 e->d_name);
		if (stat(path, &st) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/cgroup.kill", root,
			 e->d_name);
		has = access(path, F_OK) == 0;
		break;
	}
	if (d)
		closedir(d);
	if (!has && root) {
		/* No child, or one without it: ask a cgroup of our own. */
		if (tl_cg_make("killfile-probe", path, sizeof(path)) == 0) {
			size_t n = strlen(path);

			snprintf(path + n, sizeof(path) - n, "/cgroup.kill");
			has = access(path, F_OK) == 0;
			path[n] = 0;
			rmdir(path);
		}
	}
	return has;
}

void tl_skip_test_without_reap(const struct TTest *t)
{
	if (tl_reap_missing())
		tl_skip_test(t, "kernel lacks process_mrelease, Linux 5.15");
}

void tl_skip_test_with_reap(const struct TTest *t)
{
	if (!tl_reap_missing())
		tl_skip_test(t, "a test of ENOSYS: the kernel has process_mrelease");
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

/* In a new victim: die with the test (parent: the pid that forked it; a
 * test that runs as init of a pid namespace is pid 1 there), take signals
 * by default. */
static void victim_child_start(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	default_signals();
}

/* In a new victim: map bytes of memory (flags: MAP_PRIVATE or MAP_SHARED,
 * anonymous) and touch every page. */
static void victim_touch(size_t bytes, int flags, int c)
{
	char *m;

	if (!bytes)
		return;
	m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS,
		 -1, 0);
	if (m == MAP_FAILED)
		_exit(2);
	if (flags == MAP_PRIVATE)
		madvise(m, bytes, MADV_NOHUGEPAGE);
	memset(m, c, bytes);
}

/* In a new victim: map bytes of file read-only and fault them in. */
static void victim_map_file(const char *file, size_t bytes)
{
	char *m;
	size_t i;
	int fd;

	if (!file || !bytes)
		return;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(2);
	m = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		_exit(2);
	close(fd);
	for (i = 0; i < bytes; i += 4096)
		(void)*(volatile char *)&m[i];
}

/* What a victim holds and does; every victim of this file is one. */
struct victim_spec {
	size_t anon;
	int cpu;		/* >= 0: pinned there */
	int ignore_term;
	int thread;		/* starts a second thread, reports its tid */
	const char *file;
	size_t file_bytes;
	size_t shmem;
	unsigned int forks;	/* children to fork once shared[0] is set */
	volatile unsigned int *shared;	/* [0] go, [1] fork() calls */
};

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

/* In a forking victim: once shared[0] is set, v->forks children, one
 * every 500 us, each of which blocks; shared[1] counts the fork() calls,
 * each before it is made, so it is never below the children made. */
static void victim_fork(const struct victim_spec *v)
{
	const struct timespec t = { 0, 500000 };
	unsigned int i;

	while (!v->shared[0])
		nanosleep(&t, NULL);
	for (i = 0; i < v->forks; i++) {
		__atomic_add_fetch(&v->shared[1], 1, __ATOMIC_SEQ_CST);
		if (fork() == 0) {
			for (;;)
				pause();
		}
		nanosleep(&t, NULL);
	}
}

/* In the new victim: set up as v says, report ready on wfd, block. */
static void __attribute__((noreturn)) victim_body(const struct victim_spec *v,
						   pid_t parent, int wfd)
{
	victim_child_start(parent);
	if (v->ignore_term)
		signal(SIGTERM, SIG_IGN);
	if (v->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(v->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	victim_touch(v->anon, MAP_PRIVATE, 0x5a);
	victim_map_file(v->file, v->file_bytes);
	victim_touch(v->shmem, MAP_SHARED, 0x6b);
	if (v->thread) {
		pthread_t t;

		thread_pipe = wfd;
		if (pthread_create(&t, NULL, victim_thread, NULL))
			_exit(3);
	} else if (write(wfd, "r", 1) != 1) {
		_exit(3);
	}
	if (v->forks)
		victim_fork(v);
	for (;;)
		pause();
}

/* Fork a victim and wait until it is ready: its pid, its pidfd in *pidfd
 * unless NULL, the tid of its second thread in *tid if v->thread. */
static pid_t victim_start(const struct victim_spec *v, int *pidfd, pid_t *tid)
{
	ssize_t n, len = v->thread ? (ssize_t)sizeof(*tid) : 1;
	pid_t pid, t = 0, parent = getpid();
	int p[2];
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		DIE("pipe2");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		close(p[0]);
		victim_body(v, parent, p[1]);
	}
	close(p[1]);
	n = v->thread ? read(p[0], &t, sizeof(t)) : read(p[0], &c, 1);
	close(p[0]);
	if (n != len) {
		tl_victim_reap(pid);
		errno = EIO;
		DIE("victim %d did not start", (int)pid);
	}
	if (tid)
		*tid = t;
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

pid_t tl_victim(size_t bytes, int cpu, int *pidfd)
{
	const struct victim_spec v = { .anon = bytes, .cpu = cpu };

	return victim_start(&v, pidfd, NULL);
}

pid_t tl_victim_signalled(int sig, int *pidfd)
{
	pid_t pid = tl_victim(0, -1, pidfd);

	ck_assert_int_eq(tl_raw_pidfd_kill(*pidfd, sig, 0), 0);
	return pid;
}

void tl_victim_died(pid_t pid, int pidfd, int sig)
{
	ck_assert_int_eq(tl_waitpid_killed(pid), sig);
	close(pidfd);
}

void tl_victim_survived(pid_t pid, int pidfd, const char *why)
{
	ck_assert_msg(tl_pidfd_alive(pidfd), "%s", why);
	tl_victim_reap(pid);
	close(pidfd);
}

pid_t tl_victim_ignoring_term(size_t bytes, int *pidfd)
{
	const struct victim_spec v = { .anon = bytes, .cpu = -1,
				       .ignore_term = 1 };

	return victim_start(&v, pidfd, NULL);
}

pid_t tl_victim_threaded(size_t bytes, pid_t *tid, int *pidfd)
{
	const struct victim_spec v = { .anon = bytes, .cpu = -1, .thread = 1 };

	return victim_start(&v, pidfd, tid);
}

pid_t tl_victim_mapped(size_t anon, const char *file, size_t file_bytes,
		       size_t shmem, int *pidfd)
{
	const struct victim_spec v = { .anon = anon, .cpu = -1, .file = file,
				       .file_bytes = file_bytes,
				       .shmem = shmem };

	return victim_start(&v, pidfd, NULL);
}

pid_t tl_victim_forking(unsigned int forks, volatile unsigned int *shared,
			int *pidfd)
{
	const struct victim_spec v = { .cpu = -1, .forks = forks,
				       .shared = shared };

	return victim_start(&v, pidfd, NULL);
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

/* The text of path (below the cwd), in *buf (free it): its length or -1. */
static ssize_t read_text(const char *path, char **buf)
{
	ssize_t n = mr_read_at(AT_FDCWD, path, buf);

	return n < 0 ? -1 : n;
}

long tl_fdinfo_pid(int fd)
{
	char path[64], *buf;
	long pid = -2;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	n = read_text(path, &buf);
	if (n < 0)
		return -2;
	if (mr_parse_fdinfo_pid(buf, (size_t)n, &pid) < 0)
		pid = -2;
	free(buf);
	return pid;
}

long tl_status_kb(pid_t pid, const char *field)
{
	static const struct {
		const char *name;
		unsigned int bit;
		size_t off;
	} fields[] = {
		{ "RssAnon", MR_ST_RSS_ANON, offsetof(struct mr_status, rss_anon) },
		{ "RssFile", MR_ST_RSS_FILE, offsetof(struct mr_status, rss_file) },
		{ "RssShmem", MR_ST_RSS_SHMEM, offsetof(struct mr_status, rss_shmem) },
		{ "VmRSS", MR_ST_VM_RSS, offsetof(struct mr_status, vm_rss) },
	};
	struct mr_status st;
	long kb = -1;
	size_t i;

	if (mr_proc_status(pid, &st) == 0)
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (!strcmp(field, fields[i].name) &&
			    (st.have & fields[i].bit))
				kb = (long)(*(const uint64_t *)(const void *)
					    ((const char *)&st + fields[i].off) /
					    1024);
	return kb;
}

char tl_state(pid_t pid)
{
	struct mr_stat st;

	return mr_proc_stat(pid, &st) == 0 ? st.state : 0;
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

/* Every START_TEST() of the program, and those tl_skip_test() left out. */
static const TTest *registered[256], *left_out[32];
static size_t nregistered, nleft_out;

void tl_register(const struct TTest *t)
{
	if (nregistered == sizeof(registered) / sizeof(registered[0]))
		abort();	/* a program of more tests: make it larger */
	registered[nregistered++] = t;
}

void tl_skip_test(const struct TTest *t, const char *why)
{
	printf("SKIP: %s (%s)\n", t->name, why);
	/* before Check forks: else each test's child prints it again */
	fflush(stdout);
	if (nleft_out == sizeof(left_out) / sizeof(left_out[0]))
		abort();
	left_out[nleft_out++] = t;
}

static int by_line(const void *a, const void *b)
{
	const TTest *x = *(const TTest *const *)a, *y = *(const TTest *const *)b;

	return (x->line > y->line) - (x->line < y->line);
}

int tl_main_tests(const struct tl_program *p)
{
	Suite *s = suite_create(p->suite);
	TCase *tc = tcase_create(p->tcase);
	size_t i, j;

	if (p->flags & TL_CHECK_FDS)
		tl_check_fds(tc);
	if (p->timeout)
		tcase_set_timeout(tc, p->timeout);
	/* constructors may run in any order: the source's is the lines' */
	qsort(registered, nregistered, sizeof(registered[0]), by_line);
	for (i = 0; i < nregistered; i++) {
		for (j = 0; j < nleft_out && left_out[j] != registered[i]; j++)
			;
		if (j == nleft_out)
			tcase_add_test(tc, registered[i]);
	}
	suite_add_tcase(s, tc);
	return tl_main(s, p->require, p->setup);
}

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_closed, gate_waiting;

void tl_gate(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_waiting++;
	pthread_cond_broadcast(&gate_cond);
	while (gate_closed)
		pthread_cond_wait(&gate_cond, &gate_lock);
	gate_waiting--;
	pthread_mutex_unlock(&gate_lock);
}

void tl_gate_set(int closed)
{
	pthread_mutex_lock(&gate_lock);
	gate_closed = closed;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

void tl_gate_wait_for(int n)
{
	pthread_mutex_lock(&gate_lock);
	while (gate_waiting < n)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
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
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	r = mr_write_at(AT_FDCWD, path, val);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

/* dir/file into buf (size bytes, NUL-terminated, cut to fit): 0 or -1. */
static int read_file(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX], *text;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	n = read_text(path, &text);
	if (n < 0)
		return -1;
	if ((size_t)n >= size)
		n = (ssize_t)size - 1;
	memcpy(buf, text, (size_t)n);
	buf[n] = 0;
	free(text);
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
		pid_t pid = fork();
		int status;

		if (pid < 0)
			DIE("fork");
		if (pid == 0)
			_exit(mr_sched_set(SCHED_FIFO, 1) == 0 ? 0 : 1);
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
		cpu_set_t set;
		int cpu = sched_getcpu();

		if (cpu < 0)
			return -1;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		h->method = TL_HOLD_FIFO;
		h->policy = (int)syscall(SYS_sched_getscheduler, 0);
		if (sched_setaffinity(0, sizeof(set), &set) < 0 ||
		    sched_setaffinity(pid, sizeof(set), &set) < 0 ||
		    mr_sched_set(SCHED_FIFO, 1) < 0)
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
		mr_sched_set(h->policy < 0 ? SCHED_OTHER : h->policy, 0);
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
