/*
 * victims.c - children (a registry, so that nothing is left), victims, the busy loop
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench.h"

/* ---- small helpers ---------------------------------------------------- */

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int pin_to(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return sched_setaffinity(0, sizeof(g.all_cpus), &g.all_cpus);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* shared/util's reader and writer, with errno as the rest of bench/ has it. */
int write_str(const char *path, const char *s)
{
	int e = mr_write_at(AT_FDCWD, path, s);

	if (e < 0) {
		errno = -e;
		return -1;
	}
	return 0;
}

ssize_t read_str(const char *path, char *buf, size_t len)
{
	char *data;
	ssize_t n = mr_read_at(AT_FDCWD, path, &data);

	if (n < 0) {
		errno = (int)-n;
		if (len)
			buf[0] = 0;
		return -1;
	}
	if ((size_t)n >= len)
		n = len ? (ssize_t)len - 1 : 0;
	memcpy(buf, data, (size_t)n);
	if (len)
		buf[n] = 0;
	free(data);
	return n;
}

int write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t n = write(fd, c, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly len bytes within timeout_ms; 0, or -1 (EOF, timeout). */
int read_all(int fd, void *p, size_t len, int timeout_ms)
{
	char *c = p;
	int64_t end = now_ns() + (int64_t)timeout_ms * 1000000LL;

	while (len) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int left = (int)((end - now_ns()) / 1000000LL);
		ssize_t n;

		if (left < 0 || poll(&pfd, 1, left) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = read(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPIPE;
			return -1;
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int raw_pidfd_open(pid_t pid)
{
	return (int)syscall(MRELEASE_NR_pidfd_open, pid, 0);
}

int raw_pidfd_kill(int pidfd, int sig)
{
	return (int)syscall(MRELEASE_NR_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int raw_process_mrelease(int pidfd)
{
	return (int)syscall(MRELEASE_NR_process_mrelease, pidfd, 0);
}

/* The sequence mrelease_kill() makes, written with raw syscalls: 1 when
 * reaped, 0 when killed but not reaped, -1 when the kill failed. */
int raw_kill_and_reap(int pidfd)
{
	int i;

	if (raw_pidfd_kill(pidfd, SIGKILL))
		return -1;
	for (i = 0; i < 16; i++) {
		if (raw_process_mrelease(pidfd) == 0)
			return 1;
		if (errno != EINTR && errno != EAGAIN)
			break;
	}
	return 0;
}

int mkdir_p(const char *dir)
{
	char p[PATH_MAX], *s;

	strf(p, sizeof(p), "%s", dir);
	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0755) && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(p, 0755) && errno != EEXIST ? -1 : 0;
}

/* ---- children: registry, so a signal or an error leaves nothing -------- */

static pid_t kids[512];
static int nkids;

void kid_add(pid_t pid)
{
	if (nkids < (int)(sizeof(kids) / sizeof(kids[0])))
		kids[nkids++] = pid;
}

void kid_del(pid_t pid)
{
	int i;

	for (i = 0; i < nkids; i++)
		if (kids[i] == pid) {
			kids[i] = kids[--nkids];
			return;
		}
}

/* SIGKILL a child by its pid and wait for it. */
void kid_kill(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	kid_del(pid);
}

/* rmdir, retried for a while: killed processes take time to leave. */
static void rmdir_killed(char *dir)
{
	struct timespec ts = { 0, 10000000 };
	char kill_path[PATH_MAX + 16];
	size_t len = strlen(dir);
	int i, fd;

	if (!len)
		return;
	/* No snprintf(): this runs in the signal handler too. */
	memcpy(kill_path, dir, len);
	memcpy(kill_path + len, "/cgroup.kill", sizeof("/cgroup.kill"));
	fd = open(kill_path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t w = write(fd, "1", 1);

		(void)w;
		close(fd);
	}
	for (i = 0; i < 500 && rmdir(dir) && errno == EBUSY; i++)
		nanosleep(&ts, NULL);
	dir[0] = 0;
}

void remove_cgroups(void)
{
	rmdir_killed(scale_cg);
	rmdir_killed(scale_vcg);
	if (g.memcg_dir[0])
		rmdir(g.memcg_dir);
	if (g.cg2_dir[0])
		rmdir(g.cg2_dir);
}

/* Async-signal-safe: kill, waitpid and rmdir only. */
void cleanup_all(void)
{
	while (nkids > 0)
		kid_kill(kids[nkids - 1]);
	remove_cgroups();
}

void on_signal(int sig)
{
	cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* fork() a child that dies with us. */
pid_t fork_child(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		nkids = 0;
	} else if (pid > 0) {
		kid_add(pid);
	}
	return pid;
}

/* ---- victims ------------------------------------------------------------ */

struct vmsg {
	int err;		/* 0, or the errno of the failed step */
	int step;
	double cpu_ms;		/* CPU spent on the setup */
};

void child_join(const char *dir)
{
	char path[PATH_MAX + 32], buf[32];

	if (!dir || !dir[0])
		return;
	strf(path, sizeof(path), "%s/cgroup.procs", dir);
	strf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write_str(path, buf))
		_exit(2);
}

void *map_and_touch(size_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, bytes, MADV_NOHUGEPAGE);
	memset(p, 0x5a, bytes);
	return p;
}

/* Start a victim: joins the memory group (and cg2, when given), pins to
 * cpu, nice niceval, touches bytes and blocks in pause().  Its pidfd is
 * opened at once, before anything is sent to it. */
int victim_start(struct victim *v, size_t bytes, int cpu, int niceval,
			const char *cg2)
{
	int p[2];

	memset(v, 0, sizeof(*v));
	v->pidfd = -1;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	v->pid = fork_child();
	if (v->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (v->pid == 0) {
		struct vmsg m = { 0, 0, 0 };
		struct rusage ru;

		close(p[0]);
		child_join(g.memcg_dir);
		child_join(cg2);
		if (cpu >= 0 && pin_to(cpu)) {
			m.err = errno;
			m.step = 1;
		} else if (niceval && setpriority(PRIO_PROCESS, 0, niceval)) {
			m.err = errno;
			m.step = 2;
		} else if (!map_and_touch(bytes)) {
			m.err = errno;
			m.step = 3;
		}
		getrusage(RUSAGE_SELF, &ru);
		m.cpu_ms = rusage_ms(&ru);
		write_all(p[1], &m, sizeof(m));
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	v->rfd = p[0];
	v->pidfd = raw_pidfd_open(v->pid);
	if (v->pidfd < 0) {
		int err = errno;

		kid_kill(v->pid);
		close(v->rfd);
		errno = err;
		return -1;
	}
	return 0;
}

/* RssAnon in kB, through shared/'s reader; -1 when unknown. */
static long rss_anon_kb(pid_t pid)
{
	struct mr_status st;

	if (mr_proc_status(pid, &st) < 0 || !(st.have & MR_ST_RSS_ANON))
		return -1;
	return (long)(st.rss_anon / 1024);
}

char proc_state(pid_t pid)
{
	struct mr_stat st;

	return mr_proc_stat(pid, &st) < 0 ? 0 : st.state;
}

/* Wait for the victim's report; check it holds bytes and is blocked. */
int victim_ready(struct victim *v, size_t bytes)
{
	struct vmsg m;
	int i;
	long kb;

	if (read_all(v->rfd, &m, sizeof(m), 300000)) {
		fprintf(stderr, "victim %d: no report: %s\n", (int)v->pid,
			strerror(errno));
		return -1;
	}
	close(v->rfd);
	v->rfd = -1;
	if (m.err) {
		fprintf(stderr, "victim %d: setup step %d: %s\n", (int)v->pid,
			m.step, strerror(m.err));
		return -1;
	}
	v->setup_cpu_ms = m.cpu_ms;
	for (i = 0; i < 2000 && proc_state(v->pid) != 'S'; i++)
		sleep_ms(1);
	if (proc_state(v->pid) != 'S') {
		fprintf(stderr, "victim %d: not blocked (state %c)\n",
			(int)v->pid, proc_state(v->pid));
		return -1;
	}
	kb = rss_anon_kb(v->pid);
	if (kb < 0 || (double)kb * 1024.0 < 0.99 * (double)bytes) {
		fprintf(stderr, "victim %d: RssAnon %ld kB < 99%% of %zu\n",
			(int)v->pid, kb, bytes);
		return -1;
	}
	return 0;
}

/* Wait for a victim's exit and reap it; its exit CPU in *exit_cpu_ms. */
void victim_finish(struct victim *v, double *exit_cpu_ms)
{
	struct rusage ru;
	int st;

	if (v->pid > 0) {
		if (wait4(v->pid, &st, 0, &ru) == v->pid && exit_cpu_ms)
			*exit_cpu_ms = rusage_ms(&ru) - v->setup_cpu_ms;
		kid_del(v->pid);
	}
	if (v->pidfd >= 0)
		close(v->pidfd);
	if (v->rfd >= 0)
		close(v->rfd);
	v->pid = 0;
	v->pidfd = v->rfd = -1;
}

void victim_abort(struct victim *v)
{
	if (v->pid > 0)
		kill(v->pid, SIGKILL);
	victim_finish(v, NULL);
}

/* ---- the busy loop on the victim's CPU ----------------------------------- */

/* A child that runs prep(arg) and reports its errno through a pipe, then,
 * if that was 0, hold(arg), which never returns.  The pid once the report
 * is 0 within timeout_ms; else -1 with errno set and the child killed. */
pid_t spawn_ready(int (*prep)(void *), void (*hold)(void *), void *arg,
		  int timeout_ms)
{
	int p[2], e = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork_child();
	if (pid == 0) {
		close(p[0]);
		e = prep(arg);
		write_all(p[1], &e, sizeof(e));
		if (e)
			_exit(1);
		close(p[1]);
		hold(arg);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read_all(p[0], &e, sizeof(e), timeout_ms) || e) {
		e = e ? e : errno;
		close(p[0]);
		if (pid > 0)
			kid_kill(pid);
		errno = e;
		return -1;
	}
	close(p[0]);
	return pid;
}

struct hog {
	int cpu;
	bool fifo;
};

static int hog_prep(void *arg)
{
	const struct hog *h = arg;

	if (pin_to(h->cpu) || (h->fifo && mr_sched_set(SCHED_FIFO, 50)))
		return errno;
	return 0;
}

static void hog_loop(void *arg)
{
	(void)arg;
	alarm(600);	/* a self-limit, in case */
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

/* A busy loop pinned to cpu: SCHED_FIFO 50 (fifo), else nice 0. */
pid_t hog_start(int cpu, bool fifo, int *err)
{
	struct hog h = { cpu, fifo };
	pid_t pid = spawn_ready(hog_prep, hog_loop, &h, 10000);

	if (pid < 0)
		*err = errno;
	return pid;
}

/* ---- the loaded machine of scenarios 4b and 7 --------------------------- */

int load_start(bool loaded, struct loadenv *e, char *why, size_t len)
{
	int err = 0;

	e->hogs[0] = e->hogs[1] = -1;
	e->niced = false;
	if (!loaded)
		return 0;
	e->hogs[0] = hog_start(g.killer_cpu, false, &err);
	if (g.victim_cpu != g.killer_cpu)
		e->hogs[1] = hog_start(g.victim_cpu, false, &err);
	if (e->hogs[0] < 0 || setpriority(PRIO_PROCESS, 0, -10)) {
		strf(why, len, "hog or nice: %s", strerror(err ? err : errno));
		load_stop(e);
		return -1;
	}
	e->niced = true;
	sleep_ms(200);
	return 0;
}

void load_stop(struct loadenv *e)
{
	int i;

	if (e->niced)
		setpriority(PRIO_PROCESS, 0, 0);
	e->niced = false;
	for (i = 0; i < 2; i++)
		if (e->hogs[i] > 0)
			kid_kill(e->hogs[i]);
	e->hogs[0] = e->hogs[1] = -1;
}
