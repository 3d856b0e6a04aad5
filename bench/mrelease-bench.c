/*
 * mrelease-bench.c - how much sooner the memory comes back
 *
 * SPDX-License-Identifier: MIT
 *
 * Kills victims that hold N GiB of touched private anonymous memory and
 * times how long the memory takes to come back, the plain way (SIGKILL and
 * wait for the exit), with mrelease_kill() and with the same two raw
 * syscalls, on an idle machine and with the victim's CPU taken by a
 * SCHED_FIFO busy loop; the floor is munmap() of the same memory in one
 * thread.  Then a cgroup of 32 processes (cgroup.kill and wait, the oomd
 * pattern, mrelease_kill_cgroup() on 1 and 2 threads) and the cost of one
 * call (callgrind instructions and nanoseconds).  See bench/README.
 *
 * Method (the measured pitfalls in the project's bench-baseline notes):
 * - the killer runs on one CPU, every victim on another; victims are
 *   checked resident (RssAnon) and blocked (state S) before the kill, and
 *   nothing reads their /proc files after it (a read can take the last mm
 *   reference and run exit_mmap in the reader);
 * - the modes are interleaved within each repetition, the order rotating,
 *   and ratios are taken per repetition ("paired");
 * - the system's view is a memory cgroup's charge (MemAvailable lags by
 *   seconds: freed pages sit on per-CPU lists), sampled every 1 ms by a
 *   SCHED_FIFO process on the killer's CPU, in separate repetitions,
 *   because the sampler slows the killer by ~5%;
 * - CPU time charged to the killer: CLOCK_PROCESS_CPUTIME_ID (exact) and
 *   getrusage() (tick-sampled for the plain kill).
 *
 * Safety: every child has PR_SET_PDEATHSIG(SIGKILL) and is killed by its
 * pid or pidfd only; the cgroups it makes are named after it and removed;
 * it changes no system setting.
 */
#define MRELEASE_NO_SHORT_NAMES
#include "mrelease.h"
#include "syscall-nr.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

/* glibc's own wrappers, to compare against (glibc 2.36+). */
#if defined(__GLIBC__)
# if __GLIBC_PREREQ(2, 36)
#  include <sys/pidfd.h>
#  define HAVE_GLIBC_PIDFD 1
# endif
#endif
#ifndef HAVE_GLIBC_PIDFD
# define HAVE_GLIBC_PIDFD 0
#endif

#if defined(__has_include)
# if __has_include(<valgrind/callgrind.h>)
#  include <valgrind/callgrind.h>
#  define HAVE_CALLGRIND_H 1
# endif
#endif
#ifndef HAVE_CALLGRIND_H
# define HAVE_CALLGRIND_H 0
#endif

#ifndef MADV_NOHUGEPAGE
# define MADV_NOHUGEPAGE 15
#endif

#define MiB (1024.0 * 1024.0)
#define GiB (1024.0 * MiB)

/* ---- options and global state ----------------------------------------- */

enum { SC_IDLE, SC_BUSY, SC_FLOOR, SC_CGROUP, SC_CGBUSY, SC_CALLS, SC_N };
static const char *const sc_name[SC_N] = {
	"idle", "busy", "floor", "cgroup", "cgroup-busy", "calls"
};
#define IS_CG(sc) ((sc) == SC_CGROUP || (sc) == SC_CGBUSY)

enum { M_PLAIN, M_MRELEASE, M_RAW, M_MUNMAP,
       M_CG_KILLWAIT, M_CG_OOMD, M_CG_LIB1, M_CG_LIB2, M_N };
static const char *const m_name[M_N] = {
	"plain", "mrelease_kill", "raw", "munmap",
	"cgroup.kill+wait", "oomd", "kill_cgroup/1", "kill_cgroup/2"
};
static const char *const m_label[M_N] = {
	"plain kill+wait", "mrelease_kill()", "raw kill+mrelease", "munmap floor",
	"cgroup.kill+wait (systemd-oomd)", "kill, then pidfd+reap each (oomd)",
	"mrelease_kill_cgroup, 1 thread", "mrelease_kill_cgroup, 2 threads"
};

static struct {
	size_t sizes[8];
	int nsizes;
	int reps;
	int sampled_reps;
	int settle_ms;
	const char *outdir;
	const char *plot_script;
	bool demo, smoke, callgrind;
	unsigned int only;		/* bit per SC_*, 0: all */
	int cg_procs;
	size_t cg_size;
	long call_iters, call_rounds;
	int plain_timeout_ms;
} opt;

static struct {
	int killer_cpu, victim_cpu;
	cpu_set_t all_cpus;
	bool fifo_ok;
	char fifo_why[160];
	char memcg_dir[PATH_MAX];	/* v1 memory group, "" if none */
	char memcg_usage[PATH_MAX];
	char memcg_why[200];
	char cg2_root[PATH_MAX];
	char cg2_dir[PATH_MAX];		/* the cgroup scenario's, "" if none */
	char cg2_why[200];
	char self_exe[PATH_MAX];
	FILE *log;			/* results/log.txt */
} g;

static char skipped[4096];
static int64_t start_ns;

/* snprintf() that truncates silently (paths and notes here are short). */
static void strf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static void note_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note_skip(const char *fmt, ...)
{
	size_t len = strlen(skipped);
	va_list ap;

	if (len + 4 >= sizeof(skipped))
		return;
	va_start(ap, fmt);
	vsnprintf(skipped + len, sizeof(skipped) - len - 1, fmt, ap);
	va_end(ap);
	len = strlen(skipped);
	if (len + 1 < sizeof(skipped)) {
		skipped[len] = '\n';
		skipped[len + 1] = 0;
	}
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;

	if (!g.log)
		return;
	va_start(ap, fmt);
	vfprintf(g.log, fmt, ap);
	va_end(ap);
	fflush(g.log);
}

/* ---- small helpers ---------------------------------------------------- */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double clock_ms(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double rusage_ms(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec * 1e3 + ru->ru_utime.tv_usec / 1e3 +
	       ru->ru_stime.tv_sec * 1e3 + ru->ru_stime.tv_usec / 1e3;
}

static long self_nivcsw;

static double self_rusage_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	self_nivcsw = ru.ru_nivcsw;
	return rusage_ms(&ru);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int pin_to(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return sched_setaffinity(0, sizeof(g.all_cpus), &g.all_cpus);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static ssize_t read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got + 1 < len &&
	       (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return got;
}

static int write_all(int fd, const void *p, size_t len)
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
static int read_all(int fd, void *p, size_t len, int timeout_ms)
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

static int raw_pidfd_open(pid_t pid)
{
	return (int)syscall(MRELEASE_NR_pidfd_open, pid, 0);
}

static int raw_pidfd_kill(int pidfd, int sig)
{
	return (int)syscall(MRELEASE_NR_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static int raw_process_mrelease(int pidfd)
{
	return (int)syscall(MRELEASE_NR_process_mrelease, pidfd, 0);
}

/* The sequence mrelease_kill() makes, written with raw syscalls: 1 when
 * reaped, 0 when killed but not reaped, -1 when the kill failed. */
static int raw_kill_and_reap(int pidfd)
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

static int mkdir_p(const char *dir)
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

static void kid_add(pid_t pid)
{
	if (nkids < (int)(sizeof(kids) / sizeof(kids[0])))
		kids[nkids++] = pid;
}

static void kid_del(pid_t pid)
{
	int i;

	for (i = 0; i < nkids; i++)
		if (kids[i] == pid) {
			kids[i] = kids[--nkids];
			return;
		}
}

/* SIGKILL a child by its pid and wait for it. */
static void kid_kill(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	kid_del(pid);
}

static void remove_cgroups(void)
{
	if (g.memcg_dir[0])
		rmdir(g.memcg_dir);
	if (g.cg2_dir[0])
		rmdir(g.cg2_dir);
}

/* Async-signal-safe: kill, waitpid and rmdir only. */
static void cleanup_all(void)
{
	while (nkids > 0)
		kid_kill(kids[nkids - 1]);
	remove_cgroups();
}

static void on_signal(int sig)
{
	cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* fork() a child that dies with us. */
static pid_t fork_child(void)
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

struct victim {
	pid_t pid;
	int pidfd;
	int rfd;
	double setup_cpu_ms;
};

static void child_join(const char *dir)
{
	char path[PATH_MAX + 32], buf[32];

	if (!dir || !dir[0])
		return;
	strf(path, sizeof(path), "%s/cgroup.procs", dir);
	strf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write_str(path, buf))
		_exit(2);
}

static void *map_and_touch(size_t bytes)
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
static int victim_start(struct victim *v, size_t bytes, int cpu, int niceval,
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

static long status_kb(pid_t pid, const char *field)
{
	char path[64], buf[4096], *s;
	size_t flen = strlen(field);

	strf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_str(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (s = buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : s)
		if (!strncmp(s, field, flen) && s[flen] == ':')
			return strtol(s + flen + 1, NULL, 10);
	return -1;
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *s;

	strf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_str(path, buf, sizeof(buf)) <= 0)
		return 0;
	s = strrchr(buf, ')');
	return s && s[1] == ' ' ? s[2] : 0;
}

/* Wait for the victim's report; check it holds bytes and is blocked. */
static int victim_ready(struct victim *v, size_t bytes)
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
	kb = status_kb(v->pid, "RssAnon");
	if (kb < 0 || (double)kb * 1024.0 < 0.99 * (double)bytes) {
		fprintf(stderr, "victim %d: RssAnon %ld kB < 99%% of %zu\n",
			(int)v->pid, kb, bytes);
		return -1;
	}
	return 0;
}

/* Wait for a victim's exit and reap it; its exit CPU in *exit_cpu_ms. */
static void victim_finish(struct victim *v, double *exit_cpu_ms)
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

static void victim_abort(struct victim *v)
{
	if (v->pid > 0)
		kill(v->pid, SIGKILL);
	victim_finish(v, NULL);
}

/* ---- the busy loop on the victim's CPU ----------------------------------- */

/* A busy loop pinned to cpu: SCHED_FIFO 50 (fifo), else nice 0. */
static pid_t hog_start(int cpu, bool fifo, int *err)
{
	int p[2], e = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork_child();
	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 50 };

		close(p[0]);
		if (pin_to(cpu) ||
		    (fifo && sched_setscheduler(0, SCHED_FIFO, &sp)))
			e = errno;
		write_all(p[1], &e, sizeof(e));
		if (e)
			_exit(1);
		close(p[1]);
		alarm(600);	/* a self-limit, in case */
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	}
	close(p[1]);
	if (pid < 0 || read_all(p[0], &e, sizeof(e), 10000) || e) {
		*err = e ? e : errno;
		close(p[0]);
		if (pid > 0)
			kid_kill(pid);
		return -1;
	}
	close(p[0]);
	return pid;
}

/* ---- the memory-cgroup sampler (system view) ----------------------------- */

#define MAX_SAMPLES (1 << 16)
struct sampbuf {
	volatile int stop;
	volatile int ready;
	volatile int n;
	int pad;
	struct { int64_t t, v; } s[MAX_SAMPLES];
};
static struct sampbuf *sb;

static pid_t sampler_start(const char *usage_path)
{
	pid_t pid;
	int i;

	sb->stop = 0;
	sb->ready = 0;
	sb->n = 0;
	pid = fork_child();
	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 60 };
		struct timespec next;
		int fd = open(usage_path, O_RDONLY | O_CLOEXEC);
		char buf[64];

		pin_to(g.killer_cpu);
		sched_setscheduler(0, SCHED_FIFO, &sp);
		if (fd < 0)
			_exit(1);
		clock_gettime(CLOCK_MONOTONIC, &next);
		while (!sb->stop && sb->n < MAX_SAMPLES) {
			ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);
			int n = sb->n;

			if (r <= 0)
				_exit(1);
			buf[r] = 0;
			sb->s[n].t = now_ns();
			sb->s[n].v = strtoll(buf, NULL, 10);
			sb->n = n + 1;
			sb->ready = 1;
			next.tv_nsec += 1000000;
			if (next.tv_nsec >= 1000000000) {
				next.tv_nsec -= 1000000000;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
					NULL);
		}
		_exit(0);
	}
	for (i = 0; pid > 0 && i < 1000 && !sb->ready; i++)
		sleep_ms(1);
	if (pid > 0 && !sb->ready) {
		kid_kill(pid);
		return -1;
	}
	sleep_ms(5);
	return pid;
}

static void sampler_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	sb->stop = 1;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	kid_del(pid);
}

/* ms from t0 until the charge fell by frac of bytes; NAN if it never did. */
static double sampler_drop_ms(int64_t t0, double bytes, double frac)
{
	int i, n = sb->n;
	int64_t base = -1;

	for (i = 0; i < n && sb->s[i].t <= t0; i++)
		base = sb->s[i].v;
	if (base < 0)
		return NAN;
	for (; i < n; i++)
		if ((double)(base - sb->s[i].v) >= frac * bytes)
			return (sb->s[i].t - t0) / 1e6;
	return NAN;
}

/* ---- the results ---------------------------------------------------------- */

struct run {
	int sc, mode;
	size_t n;		/* bytes per victim (cgroup: in all) */
	int rep;
	bool sampled;
	bool ok;
	double free_ms;		/* killer view */
	double exit_ms;		/* until the pidfd was readable */
	double empty_ms;	/* cgroup: until it was empty */
	double sys95_ms;	/* memcg charge down 95% */
	double kcpu_ms;		/* CLOCK_PROCESS_CPUTIME_ID */
	double kru_ms;		/* getrusage(RUSAGE_SELF) */
	double vcpu_ms;		/* the victims' CPU from the kill to their end */
	double lib_ms;		/* mrelease_result.time_ns */
	double nivcsw;		/* the killer's involuntary context switches */
	int killed, reaped, gone, failed;
	char status[48];
};

static struct run *runs;
static int nruns, maxruns;

static struct run *new_run(int sc, int mode, size_t n, int rep, bool sampled)
{
	struct run *r;

	if (nruns == maxruns) {
		maxruns = maxruns ? 2 * maxruns : 256;
		runs = realloc(runs, (size_t)maxruns * sizeof(*runs));
		if (!runs) {
			perror("realloc");
			cleanup_all();
			exit(1);
		}
	}
	r = &runs[nruns++];
	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->mode = mode;
	r->n = n;
	r->rep = rep;
	r->sampled = sampled;
	r->free_ms = r->exit_ms = r->empty_ms = r->sys95_ms = NAN;
	r->kcpu_ms = r->kru_ms = r->vcpu_ms = r->lib_ms = r->nivcsw = NAN;
	r->killed = r->reaped = r->gone = r->failed = -1;
	return r;
}

static void size_str(char *buf, size_t len, size_t n)
{
	if (n >= (size_t)GiB && n % (size_t)GiB == 0)
		strf(buf, len, "%zu GiB", n / (size_t)GiB);
	else
		strf(buf, len, "%zu MiB", n / (size_t)MiB);
}

static void progress(const struct run *r)
{
	char sz[32];

	size_str(sz, sizeof(sz), r->n);
	logf_("%7.1f s %-6s %-18s %8s rep %d%s: free %.2f ms exit %.2f empty %.2f "
	      "memcg95 %.2f kcpu %.2f kru %.2f vcpu %.2f lib %.2f "
	      "killed %d reaped %d gone %d failed %d %s\n",
	      (now_ns() - start_ns) / 1e9, sc_name[r->sc], m_name[r->mode],
	      sz, r->rep,
	      r->sampled ? " (sampled)" : "", r->free_ms, r->exit_ms,
	      r->empty_ms, r->sys95_ms, r->kcpu_ms, r->kru_ms, r->vcpu_ms,
	      r->lib_ms, r->killed, r->reaped, r->gone, r->failed, r->status);
	fputc('.', stderr);
}

/* ---- scenarios 1-3: one victim, one kill -------------------------------- */

static int poll_in(int fd, int timeout_ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	int r;

	while ((r = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	return r;
}

static void measure_kill(int sc, int mode, size_t n, int rep, bool sampled)
{
	struct run *r = new_run(sc, mode, n, rep, sampled);
	struct mrelease_result res;
	struct victim v;
	pid_t hog = -1, samp = -1;
	int64_t t0, t1;
	double c0, c1, u0, u1;
	long iv0;
	int err = 0, rc;

	if (victim_start(&v, n, g.victim_cpu, sc == SC_BUSY ? 19 : 0, NULL)) {
		strf(r->status, sizeof(r->status), "victim: %s",
			 strerror(errno));
		progress(r);
		return;
	}
	if (victim_ready(&v, n)) {
		strf(r->status, sizeof(r->status), "victim not ready");
		victim_abort(&v);
		progress(r);
		return;
	}
	sleep_ms(opt.settle_ms);
	if (sc == SC_BUSY) {
		hog = hog_start(g.victim_cpu, true, &err);
		if (hog < 0) {
			strf(r->status, sizeof(r->status), "hog: %s",
				 strerror(err));
			victim_abort(&v);
			progress(r);
			return;
		}
		sleep_ms(200);
	}
	if (sampled && (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");

	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u0 = self_rusage_ms();
	iv0 = self_nivcsw;
	t0 = now_ns();
	switch (mode) {
	case M_PLAIN:
		rc = raw_pidfd_kill(v.pidfd, SIGKILL) ? -1 :
		     poll_in(v.pidfd, opt.plain_timeout_ms);
		t1 = now_ns();
		if (rc == 0)
			strf(r->status, sizeof(r->status),
				 "not freed in %d ms", opt.plain_timeout_ms);
		else if (rc < 0)
			strf(r->status, sizeof(r->status), "kill: %s",
				 strerror(errno));
		r->ok = rc > 0;
		r->exit_ms = (t1 - t0) / 1e6;
		break;
	case M_MRELEASE:
		memset(&res, 0, sizeof(res));
		rc = mrelease_kill(v.pidfd, 0, &res, sizeof(res));
		t1 = now_ns();
		r->ok = rc == 0 && (res.status & MRELEASE_REAPED);
		r->reaped = !!(res.status & MRELEASE_REAPED);
		r->lib_ms = res.time_ns / 1e6;
		if (rc)
			strf(r->status, sizeof(r->status), "kill: %s",
				 strerror(errno));
		else if (!r->reaped)
			strf(r->status, sizeof(r->status),
				 "not reaped: %s", strerror(res.reap_errno));
		break;
	default:
		rc = raw_kill_and_reap(v.pidfd);
		t1 = now_ns();
		r->ok = rc == 1;
		r->reaped = rc == 1;
		if (rc < 0)
			strf(r->status, sizeof(r->status), "kill: %s",
				 strerror(errno));
		else if (rc == 0)
			strf(r->status, sizeof(r->status),
				 "not reaped: %s", strerror(errno));
		break;
	}
	c1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u1 = self_rusage_ms();
	r->nivcsw = (double)(self_nivcsw - iv0);
	r->free_ms = (t1 - t0) / 1e6;
	r->kcpu_ms = c1 - c0;
	r->kru_ms = u1 - u0;

	if (samp > 0) {
		sleep_ms(30);	/* pages a racing exit still holds */
		sampler_stop(samp);
		r->sys95_ms = sampler_drop_ms(t0, (double)n, 0.95);
	}
	if (mode != M_PLAIN && sc == SC_IDLE && r->ok &&
	    poll_in(v.pidfd, 60000) > 0)
		r->exit_ms = (now_ns() - t0) / 1e6;
	if (hog > 0)
		kid_kill(hog);
	if (!r->ok)
		kill(v.pid, SIGKILL);
	victim_finish(&v, &r->vcpu_ms);
	if (!r->ok && !r->status[0])
		strf(r->status, sizeof(r->status), "failed");
	if (r->ok)
		strf(r->status, sizeof(r->status), "ok");
	progress(r);
}

/* The floor: a child on the killer's CPU maps, touches and munmap()s. */
struct floormsg {
	int err;
	int64_t t0, t1;
	double cpu_ms;
};

static void measure_floor(size_t n, int rep, bool sampled)
{
	struct run *r = new_run(SC_FLOOR, M_MUNMAP, n, rep, sampled);
	struct floormsg m = { 0, 0, 0, 0 };
	int res[2], go[2];
	pid_t pid, samp = -1;
	char c = 1;

	if (pipe2(res, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		strf(r->status, sizeof(r->status), "pipe");
		progress(r);
		return;
	}
	pid = fork_child();
	if (pid == 0) {
		void *p;

		close(res[0]);
		close(go[1]);
		child_join(g.memcg_dir);
		pin_to(g.killer_cpu);
		p = map_and_touch(n);
		if (!p)
			m.err = errno;
		write_all(res[1], &m, sizeof(m));
		if (m.err || read_all(go[0], &c, 1, 600000))
			_exit(1);
		m.cpu_ms = clock_ms(CLOCK_THREAD_CPUTIME_ID);
		m.t0 = now_ns();
		munmap(p, n);
		m.t1 = now_ns();
		m.cpu_ms = clock_ms(CLOCK_THREAD_CPUTIME_ID) - m.cpu_ms;
		write_all(res[1], &m, sizeof(m));
		_exit(0);
	}
	close(res[1]);
	close(go[0]);
	if (pid < 0 || read_all(res[0], &m, sizeof(m), 300000) || m.err) {
		strf(r->status, sizeof(r->status), "setup: %s",
			 strerror(m.err ? m.err : errno));
		goto out;
	}
	sleep_ms(opt.settle_ms);
	if (sampled && (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");
	if (write_all(go[1], &c, 1) ||
	    read_all(res[0], &m, sizeof(m), 600000)) {
		strf(r->status, sizeof(r->status), "no result");
		sampler_stop(samp);
		goto out;
	}
	r->free_ms = (m.t1 - m.t0) / 1e6;
	r->kcpu_ms = m.cpu_ms;
	r->ok = true;
	strf(r->status, sizeof(r->status), "ok");
	if (samp > 0) {
		sleep_ms(30);
		sampler_stop(samp);
		r->sys95_ms = sampler_drop_ms(m.t0, (double)n, 0.95);
	}
out:
	close(res[0]);
	close(go[1]);
	if (pid > 0)
		kid_kill(pid);
	progress(r);
}

/* ---- scenario 4: a cgroup of processes ----------------------------------- */

static int cg_populated(int fd)
{
	char buf[256], *s;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	s = strstr(buf, "populated ");
	return s ? s[10] == '1' : -1;
}

/* Wait until cgroup.events says "populated 0"; ms waited, or -1. */
static int cg_wait_empty(int evfd, int timeout_ms)
{
	int64_t end = now_ns() + (int64_t)timeout_ms * 1000000LL;

	while (cg_populated(evfd) == 1) {
		struct pollfd pfd = { evfd, POLLPRI, 0 };

		if (now_ns() > end)
			return -1;
		poll(&pfd, 1, 5);
	}
	return 0;
}

static int cg_read_pids(const char *dir, pid_t *pids, int max)
{
	char path[PATH_MAX + 32], buf[8192], *s, *e;
	int n = 0;

	strf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (read_str(path, buf, sizeof(buf)) < 0)
		return -1;
	for (s = buf; *s && n < max; s = e) {
		long v = strtol(s, &e, 10);

		if (e == s)
			break;
		pids[n++] = (pid_t)v;
	}
	return n;
}

static int cg_killfile(const char *dir)
{
	char path[PATH_MAX + 32];
	pid_t pids[512];
	int i, n;

	strf(path, sizeof(path), "%s/cgroup.kill", dir);
	if (!write_str(path, "1"))
		return 0;
	/* No cgroup.kill (before 5.14): SIGKILL each process listed. */
	n = cg_read_pids(dir, pids, 512);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	return n < 0 ? -1 : 0;
}

/* sc: SC_CGROUP (idle), or SC_CGBUSY: a nice-0 busy loop on every CPU,
 * the victims at nice 19 and the killer at nice -10, as an OOM daemon on a
 * loaded machine (the victims get ~2% of a CPU, the killer's threads ~90%). */
static void measure_cgroup(int sc, int mode, int rep, bool sampled)
{
	int nv = opt.cg_procs;
	struct run *r = new_run(sc, mode, (size_t)nv * opt.cg_size,
				rep, sampled);
	pid_t hogs[2] = { -1, -1 };
	bool niced = false;
	struct victim *v = calloc((size_t)nv, sizeof(*v));
	struct mrelease_result res;
	char path[PATH_MAX + 32];
	pid_t samp = -1, pids[512];
	int i, started = 0, evfd = -1, rc = 0;
	int64_t t0, t1;
	double c0, c1, u0, u1;
	long iv0;

	if (!v)
		goto out;
	/* The victims and the killer's threads may use every CPU. */
	pin_to(-1);
	for (i = 0; i < nv; i++, started++)
		if (victim_start(&v[i], opt.cg_size, -1,
				 sc == SC_CGBUSY ? 19 : 0, g.cg2_dir))
			break;
	for (i = 0; i < started; i++)
		if (victim_ready(&v[i], opt.cg_size))
			break;
	if (started < nv || i < nv) {
		strf(r->status, sizeof(r->status), "victims not ready");
		goto out;
	}
	strf(path, sizeof(path), "%s/cgroup.events", g.cg2_dir);
	evfd = open(path, O_RDONLY | O_CLOEXEC);
	sleep_ms(opt.settle_ms);
	if (sc == SC_CGBUSY) {
		int err = 0;

		hogs[0] = hog_start(g.killer_cpu, false, &err);
		if (g.victim_cpu != g.killer_cpu)
			hogs[1] = hog_start(g.victim_cpu, false, &err);
		if (hogs[0] < 0 || setpriority(PRIO_PROCESS, 0, -10)) {
			strf(r->status, sizeof(r->status), "hog or nice: %s",
			     strerror(err ? err : errno));
			goto out;
		}
		niced = true;
		sleep_ms(200);
	}
	if (sampled && g.memcg_usage[0] &&
	    (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");

	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u0 = self_rusage_ms();
	iv0 = self_nivcsw;
	t0 = now_ns();
	switch (mode) {
	case M_CG_KILLWAIT:	/* systemd-oomd: cgroup.kill, wait for empty */
		rc = cg_killfile(g.cg2_dir);
		if (!rc)
			rc = cg_wait_empty(evfd, 60000);
		break;
	case M_CG_OOMD: {	/* oomd: kill, then pidfd + reap each */
		int n;

		rc = cg_killfile(g.cg2_dir);
		n = rc ? 0 : cg_read_pids(g.cg2_dir, pids, 512);
		r->reaped = r->gone = r->failed = 0;
		r->killed = n;
		for (i = 0; i < n; i++) {
			int fd = raw_pidfd_open(pids[i]);

			if (fd < 0) {
				r->gone++;
				continue;
			}
			if (raw_process_mrelease(fd) == 0)
				r->reaped++;
			else if (errno == ESRCH)
				r->gone++;
			else
				r->failed++;
			close(fd);
		}
		break;
	}
	default:
		memset(&res, 0, sizeof(res));
		rc = mrelease_kill_cgroup(AT_FDCWD, g.cg2_dir,
					  MRELEASE_THREADS(mode == M_CG_LIB1 ?
							   1 : 2),
					  &res, sizeof(res));
		r->killed = (int)res.killed;
		r->reaped = (int)res.reaped;
		r->gone = (int)res.gone;
		r->failed = (int)res.failed;
		r->lib_ms = res.time_ns / 1e6;
		break;
	}
	t1 = now_ns();
	c1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u1 = self_rusage_ms();
	r->nivcsw = (double)(self_nivcsw - iv0);
	r->free_ms = (t1 - t0) / 1e6;
	r->kcpu_ms = c1 - c0;
	r->kru_ms = u1 - u0;
	if (rc) {
		strf(r->status, sizeof(r->status), "failed: %s",
			 strerror(errno));
		cg_killfile(g.cg2_dir);
	}
	if (cg_wait_empty(evfd, 60000) == 0)
		r->empty_ms = (now_ns() - t0) / 1e6;
	if (samp > 0) {
		sleep_ms(30);
		sampler_stop(samp);
		r->sys95_ms = sampler_drop_ms(t0, (double)r->n, 0.95);
	}
	r->ok = rc == 0 && !isnan(r->empty_ms);
out:
	if (niced)
		setpriority(PRIO_PROCESS, 0, 0);
	for (i = 0; i < 2; i++)
		if (hogs[i] > 0)
			kid_kill(hogs[i]);
	r->vcpu_ms = 0;
	for (i = 0; v && i < started; i++) {
		double cpu = 0;

		kill(v[i].pid, SIGKILL);
		victim_finish(&v[i], &cpu);
		r->vcpu_ms += cpu;
	}
	if (!r->ok)
		r->vcpu_ms = NAN;
	if (evfd >= 0)
		close(evfd);
	free(v);
	pin_to(g.killer_cpu);
	if (r->ok)
		strf(r->status, sizeof(r->status), "ok");
	else if (!r->status[0])
		strf(r->status, sizeof(r->status), "failed");
	progress(r);
}

/* ---- scenario 6: the cost of one call ------------------------------------- */

enum { C_LOOP, C_GETPPID,
       C_MR_RAW, C_MR_LIB, C_MR_GLIBC,
       C_OPEN_RAW, C_OPEN_LIB, C_OPEN_GLIBC,
       C_KILL_RAW, C_KILL_LIB, C_KILL_GLIBC, C_N };
static const char *const c_name[C_N] = {
	"empty loop", "getppid()",
	"syscall(SYS_process_mrelease, -1, 0)",
	"mrelease_process_mrelease(-1, 0)",
	"glibc process_mrelease(-1, 0)",
	"syscall(SYS_pidfd_open, self, 0) + close",
	"mrelease_pidfd_open(self, 0) + close",
	"glibc pidfd_open(self, 0) + close",
	"syscall(SYS_pidfd_send_signal, self, 0, NULL, 0)",
	"mrelease_pidfd_kill(self, 0, 0)",
	"glibc pidfd_send_signal(self, 0, NULL, 0)",
};

static volatile int sink;

static bool call_available(int c)
{
	return HAVE_GLIBC_PIDFD ||
	       (c != C_MR_GLIBC && c != C_OPEN_GLIBC && c != C_KILL_GLIBC);
}

/* iters calls of variant c; noinline so that callgrind sees one loop */
static __attribute__((noinline)) void call_loop(int c, long iters, pid_t self,
						int selffd)
{
	long i;

	switch (c) {
	case C_LOOP:
		for (i = 0; i < iters; i++)
			__asm__ __volatile__("" ::: "memory");
		break;
	case C_GETPPID:
		for (i = 0; i < iters; i++)
			sink = getppid();
		break;
	case C_MR_RAW:
		for (i = 0; i < iters; i++)
			sink = (int)syscall(MRELEASE_NR_process_mrelease, -1, 0);
		break;
	case C_MR_LIB:
		for (i = 0; i < iters; i++)
			sink = mrelease_process_mrelease(-1, 0);
		break;
	case C_OPEN_RAW:
		for (i = 0; i < iters; i++)
			close((int)syscall(MRELEASE_NR_pidfd_open, self, 0));
		break;
	case C_OPEN_LIB:
		for (i = 0; i < iters; i++)
			close(mrelease_pidfd_open(self, 0));
		break;
	case C_KILL_RAW:
		for (i = 0; i < iters; i++)
			sink = (int)syscall(MRELEASE_NR_pidfd_send_signal,
					    selffd, 0, NULL, 0);
		break;
	case C_KILL_LIB:
		for (i = 0; i < iters; i++)
			sink = mrelease_pidfd_kill(selffd, 0, 0);
		break;
#if HAVE_GLIBC_PIDFD
	case C_MR_GLIBC:
		for (i = 0; i < iters; i++)
			sink = process_mrelease(-1, 0);
		break;
	case C_OPEN_GLIBC:
		for (i = 0; i < iters; i++)
			close(pidfd_open(self, 0));
		break;
	case C_KILL_GLIBC:
		for (i = 0; i < iters; i++)
			sink = pidfd_send_signal(selffd, 0, NULL, 0);
		break;
#endif
	default:
		break;
	}
}

/* Under valgrind --tool=callgrind --collect-atstart=no: one dump per
 * variant, named after it. */
static int callgrind_child(long iters)
{
#if HAVE_CALLGRIND_H
	pid_t self = getpid();
	int selffd = raw_pidfd_open(self), c;
	char name[16];

	for (c = 0; c < C_N; c++) {
		if (!call_available(c))
			continue;
		call_loop(c, 100, self, selffd);	/* warm the PLT */
		CALLGRIND_ZERO_STATS;
		CALLGRIND_TOGGLE_COLLECT;
		call_loop(c, iters, self, selffd);
		CALLGRIND_TOGGLE_COLLECT;
		strf(name, sizeof(name), "variant-%d", c);
		CALLGRIND_DUMP_STATS_AT(name);
	}
	return 0;
#else
	(void)iters;
	fprintf(stderr, "built without <valgrind/callgrind.h>\n");
	return 77;
#endif
}

static double instr[C_N];	/* per iteration, NAN if not counted */
static double cns_med[C_N], cns_min[C_N], cns_max[C_N];
static char callgrind_note[256];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run_callgrind(void)
{
	char dir[PATH_MAX], out[PATH_MAX + 32], logp[PATH_MAX + 32];
	char file[PATH_MAX + 64], line[512], iters[32];
	pid_t pid;
	int st, k, c;
	long n = opt.smoke ? 2000 : 100000;

	for (c = 0; c < C_N; c++)
		instr[c] = NAN;
	if (!opt.callgrind) {
		strf(callgrind_note, sizeof(callgrind_note),
			 "not run (--no-callgrind)");
		return;
	}
	if (!HAVE_CALLGRIND_H) {
		strf(callgrind_note, sizeof(callgrind_note),
			 "not run: built without <valgrind/callgrind.h>");
		return;
	}
	strf(dir, sizeof(dir), "%s/callgrind", opt.outdir);
	mkdir(dir, 0755);
	strf(out, sizeof(out), "--callgrind-out-file=%s/cg.out", dir);
	strf(logp, sizeof(logp), "--log-file=%s/valgrind.log", dir);
	strf(iters, sizeof(iters), "%ld", n);
	/* Old dumps would be read as this run's. */
	for (k = 1; k < 64; k++) {
		strf(file, sizeof(file), "%s/cg.out.%d", dir, k);
		unlink(file);
	}
	pid = fork_child();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 1);
		dup2(devnull, 2);
		execlp("valgrind", "valgrind", "--tool=callgrind",
		       "--collect-atstart=no", out, logp, g.self_exe,
		       "--callgrind-child", iters, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		strf(callgrind_note, sizeof(callgrind_note), "fork failed");
		return;
	}
	kid_del(pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		strf(callgrind_note, sizeof(callgrind_note),
			 "valgrind failed (exit %d; not installed?): see %s",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1, dir);
		return;
	}
	for (k = 1; k < 64; k++) {
		FILE *f;
		int var = -1;
		double total = NAN;

		strf(file, sizeof(file), "%s/cg.out.%d", dir, k);
		f = fopen(file, "re");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			char *s = strstr(line, "variant-");

			if (!strncmp(line, "desc: Trigger:", 14) && s)
				var = atoi(s + 8);
			else if (!strncmp(line, "summary:", 8) ||
				 !strncmp(line, "totals:", 7))
				total = strtod(strchr(line, ':') + 1, NULL);
		}
		fclose(f);
		if (var >= 0 && var < C_N)
			instr[var] = total / (double)n;
	}
	strf(callgrind_note, sizeof(callgrind_note),
		 "valgrind --tool=callgrind, %ld calls per variant", n);
}

static void run_calls(void)
{
	pid_t self = getpid();
	int selffd = raw_pidfd_open(self);
	long iters = opt.call_iters, rounds = opt.call_rounds, k;
	double *ns = calloc((size_t)(C_N * rounds), sizeof(double));
	int c;

	run_callgrind();
	if (!ns || selffd < 0) {
		note_skip("calls: %s", selffd < 0 ? "no pidfd_open" : "ENOMEM");
		free(ns);
		return;
	}
	for (c = 0; c < C_N; c++)
		call_loop(c, 1000, self, selffd);
	for (k = 0; k < rounds; k++)
		for (c = 0; c < C_N; c++) {
			int64_t t0;

			if (!call_available(c))
				continue;
			t0 = now_ns();
			call_loop(c, iters, self, selffd);
			ns[c * rounds + k] = (double)(now_ns() - t0) / iters;
		}
	for (c = 0; c < C_N; c++) {
		double *a = ns + c * rounds;

		if (!call_available(c)) {
			cns_med[c] = cns_min[c] = cns_max[c] = NAN;
			continue;
		}
		qsort(a, (size_t)rounds, sizeof(double), cmp_double);
		cns_min[c] = a[0];
		cns_max[c] = a[rounds - 1];
		cns_med[c] = rounds % 2 ? a[rounds / 2] :
			     (a[rounds / 2 - 1] + a[rounds / 2]) / 2;
	}
	free(ns);
	close(selffd);
}

/* ---- statistics --------------------------------------------------------- */

struct stat3 {
	int n;
	double med, min, max;
};

static struct stat3 stat_of(double *a, int n)
{
	struct stat3 s = { 0, NAN, NAN, NAN };
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(a[i]))
			a[k++] = a[i];
	if (!k)
		return s;
	qsort(a, (size_t)k, sizeof(double), cmp_double);
	s.n = k;
	s.min = a[0];
	s.max = a[k - 1];
	s.med = k % 2 ? a[k / 2] : (a[k / 2 - 1] + a[k / 2]) / 2;
	return s;
}

enum { F_FREE, F_EXIT, F_EMPTY, F_SYS95, F_KCPU, F_KRU, F_VCPU, F_LIB,
       F_NIVCSW };
static const char *const f_name[] = {
	"free_ms", "exit_ms", "empty_ms", "memcg95_ms", "killer_cpu_ms",
	"killer_rusage_ms", "victim_cpu_ms", "lib_time_ms", "killer_nivcsw"
};

static double field(const struct run *r, int f)
{
	switch (f) {
	case F_FREE: return r->free_ms;
	case F_EXIT: return r->exit_ms;
	case F_EMPTY: return r->empty_ms;
	case F_SYS95: return r->sys95_ms;
	case F_KCPU: return r->kcpu_ms;
	case F_KRU: return r->kru_ms;
	case F_VCPU: return r->vcpu_ms;
	case F_NIVCSW: return r->nivcsw;
	default: return r->lib_ms;
	}
}

/* A field over the runs of (sc, mode, n) that succeeded; sampled: 0 the
 * killer-view runs, 1 the sampled ones, 2 both. */
static struct stat3 summarize(int sc, int mode, size_t n, int sampled, int f)
{
	double *a = malloc(sizeof(double) * (size_t)(nruns + 1));
	struct stat3 s;
	int i, k = 0;

	if (!a)
		return (struct stat3){ 0, NAN, NAN, NAN };
	for (i = 0; i < nruns; i++) {
		const struct run *r = &runs[i];

		if (r->sc != sc || r->mode != mode || r->n != n || !r->ok)
			continue;
		if (sampled != 2 && (int)r->sampled != sampled)
			continue;
		a[k++] = field(r, f);
	}
	s = stat_of(a, k);
	free(a);
	return s;
}

static const struct run *find_run(int sc, int mode, size_t n, int rep,
				  bool sampled)
{
	int i;

	for (i = 0; i < nruns; i++)
		if (runs[i].sc == sc && runs[i].mode == mode &&
		    runs[i].n == n && runs[i].rep == rep &&
		    runs[i].sampled == sampled && runs[i].ok)
			return &runs[i];
	return NULL;
}

/* Paired ratio a/b of a field, per repetition; n == 0: every size. */
static struct stat3 paired(int sca, int ma, int scb, int mb, size_t n,
			   bool sampled, int f)
{
	double a[512];
	int i, k = 0, rep;

	for (i = 0; i < opt.nsizes; i++) {
		if (n && opt.sizes[i] != n)
			continue;
		for (rep = 0; rep < opt.reps + opt.sampled_reps && k < 512;
		     rep++) {
			const struct run *x, *y;
			size_t sz = opt.sizes[i];

			if (IS_CG(sca))
				sz = (size_t)opt.cg_procs * opt.cg_size;
			x = find_run(sca, ma, sz, rep, sampled);
			y = find_run(scb, mb, sz, rep, sampled);
			if (x && y && field(y, f) > 0)
				a[k++] = field(x, f) / field(y, f);
		}
		if (IS_CG(sca))
			break;
	}
	return stat_of(a, k);
}

static void fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		strf(buf, len, "-");
	else if (v >= 100)
		strf(buf, len, "%.0f", v);
	else if (v >= 10)
		strf(buf, len, "%.1f", v);
	else
		strf(buf, len, "%.2f", v);
}

static void fmt_stat(char *buf, size_t len, struct stat3 s, const char *unit)
{
	char a[32], b[32], c[32];

	if (!s.n) {
		strf(buf, len, "-");
		return;
	}
	fmt_num(a, sizeof(a), s.med);
	fmt_num(b, sizeof(b), s.min);
	fmt_num(c, sizeof(c), s.max);
	if (s.n == 1)
		strf(buf, len, "%s%s", a, unit);
	else
		strf(buf, len, "%s%s [%s-%s]", a, unit, b, c);
}

/* ---- the run ------------------------------------------------------------ */

static bool want(int sc)
{
	return !opt.only || (opt.only & (1U << sc));
}

static void rotate_run(int rep, bool sampled, size_t n)
{
	int order[8], k = 0, i;

	if (want(SC_IDLE)) {
		order[k++] = SC_IDLE << 8 | M_PLAIN;
		order[k++] = SC_IDLE << 8 | M_MRELEASE;
		if (!sampled && !opt.demo)
			order[k++] = SC_IDLE << 8 | M_RAW;
	}
	if (want(SC_BUSY) && g.fifo_ok) {
		order[k++] = SC_BUSY << 8 | M_PLAIN;
		order[k++] = SC_BUSY << 8 | M_MRELEASE;
		if (!sampled && !opt.demo)
			order[k++] = SC_BUSY << 8 | M_RAW;
	}
	if (want(SC_FLOOR))
		order[k++] = SC_FLOOR << 8 | M_MUNMAP;
	for (i = 0; i < k; i++) {
		int o = order[(i + rep) % k];

		if ((o >> 8) == SC_FLOOR)
			measure_floor(n, rep, sampled);
		else
			measure_kill(o >> 8, o & 0xff, n, rep, sampled);
	}
}

static void run_cgroup_reps(void)
{
	static const int modes[] = {
		M_CG_KILLWAIT, M_CG_OOMD, M_CG_LIB1, M_CG_LIB2
	};
	int rep, i;

	/* Every repetition sampled when there is a memory group: the
	 * sampler costs all four patterns alike, and the charge is the only
	 * view that compares them fairly (oomd's loop returns before the
	 * processes that it found gone have finished freeing). */
	int sc;

	for (sc = SC_CGROUP; sc <= SC_CGBUSY; sc++) {
		if (!want(sc))
			continue;
		for (rep = 0; rep < opt.reps; rep++)
			for (i = 0; i < 4; i++)
				measure_cgroup(sc, modes[(i + rep) % 4], rep,
					       g.memcg_usage[0] != 0);
	}
}

/* ---- setup: CPUs, cgroups, FIFO ---------------------------------------- */

static void setup_cpus(void)
{
	int c, k = 0;

	sched_getaffinity(0, sizeof(g.all_cpus), &g.all_cpus);
	g.killer_cpu = g.victim_cpu = -1;
	for (c = 0; c < CPU_SETSIZE && k < 2; c++)
		if (CPU_ISSET(c, &g.all_cpus)) {
			if (k++ == 0)
				g.killer_cpu = c;
			else
				g.victim_cpu = c;
		}
	if (g.victim_cpu < 0)
		g.victim_cpu = g.killer_cpu;
	pin_to(g.killer_cpu);
}

static void setup_fifo(void)
{
	int err = 0;
	pid_t hog;

	if (g.victim_cpu == g.killer_cpu) {
		strf(g.fifo_why, sizeof(g.fifo_why),
			 "one CPU only: the busy scenario needs two");
		return;
	}
	hog = hog_start(g.victim_cpu, true, &err);
	if (hog < 0) {
		strf(g.fifo_why, sizeof(g.fifo_why),
			 "SCHED_FIFO refused (%s; needs root or CAP_SYS_NICE)",
			 strerror(err));
		return;
	}
	kid_kill(hog);
	g.fifo_ok = true;
}

static void setup_memcg(void)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat("/sys/fs/cgroup/memory/memory.usage_in_bytes", &st)) {
		strf(g.memcg_why, sizeof(g.memcg_why),
			 "no cgroup v1 memory controller at "
			 "/sys/fs/cgroup/memory");
		return;
	}
	strf(path, sizeof(path), "/sys/fs/cgroup/memory/bench-%d",
		 (int)getpid());
	if (mkdir(path, 0755)) {
		strf(g.memcg_why, sizeof(g.memcg_why),
			 "cannot create a memory cgroup (%s)", strerror(errno));
		return;
	}
	strf(g.memcg_dir, sizeof(g.memcg_dir), "%s", path);
	logf_("cgroup: %s\n", path);
	strf(g.memcg_usage, sizeof(g.memcg_usage),
		 "%s/memory.usage_in_bytes", path);
}

static void setup_cg2(void)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char dev[256], dir[PATH_MAX], type[64], path[PATH_MAX + 32];

	while (f && fscanf(f, "%255s %4095s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			strf(g.cg2_root, sizeof(g.cg2_root), "%s", dir);
			break;
		}
	if (f)
		fclose(f);
	if (!g.cg2_root[0]) {
		strf(g.cg2_why, sizeof(g.cg2_why), "no cgroup v2 mounted");
		return;
	}
	strf(path, sizeof(path), "%s/bench-%d", g.cg2_root, (int)getpid());
	if (mkdir(path, 0755)) {
		strf(g.cg2_why, sizeof(g.cg2_why),
			 "cannot create a cgroup under %s (%s)", g.cg2_root,
			 strerror(errno));
		return;
	}
	strf(g.cg2_dir, sizeof(g.cg2_dir), "%s", path);
	logf_("cgroup: %s\n", path);
}

/* ---- output ------------------------------------------------------------- */

static FILE *out_open(const char *name)
{
	char path[PATH_MAX + 64];
	FILE *f;

	strf(path, sizeof(path), "%s/%s", opt.outdir, name);
	f = fopen(path, "we");
	if (!f)
		fprintf(stderr, "mrelease-bench: %s: %s\n", path,
			strerror(errno));
	return f;
}

static void csv_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(",", f);
	else
		fprintf(f, ",%.3f", v);
}

static void write_runs_csv(void)
{
	FILE *f = out_open("runs.csv");
	int i, k;

	if (!f)
		return;
	fputs("scenario,mode,size_mib,rep,sampled,ok", f);
	for (k = F_FREE; k <= F_NIVCSW; k++)
		fprintf(f, ",%s", f_name[k]);
	fputs(",killed,reaped,gone,failed,status\n", f);
	for (i = 0; i < nruns; i++) {
		const struct run *r = &runs[i];

		fprintf(f, "%s,%s,%zu,%d,%d,%d", sc_name[r->sc],
			m_name[r->mode], r->n >> 20, r->rep, r->sampled,
			r->ok);
		for (k = F_FREE; k <= F_NIVCSW; k++)
			csv_num(f, field(r, k));
		fprintf(f, ",%d,%d,%d,%d,", r->killed, r->reaped, r->gone,
			r->failed);
		for (k = 0; r->status[k]; k++)
			fputc(r->status[k] == ',' ? ';' : r->status[k], f);
		fputc('\n', f);
	}
	fclose(f);
}

/* summary.csv: one row per (scenario, mode, size, view, field). */
static void write_summary_csv(void)
{
	FILE *f = out_open("summary.csv");
	int i, sc, m, smp, k;

	if (!f)
		return;
	fputs("scenario,mode,size_mib,sampled,metric,n,median,min,max\n", f);
	for (sc = SC_IDLE; sc <= SC_CGBUSY; sc++)
		for (m = 0; m < M_N; m++)
			for (i = 0; i < opt.nsizes; i++)
				for (smp = 0; smp < 2; smp++)
					for (k = F_FREE; k <= F_NIVCSW; k++) {
						size_t n = IS_CG(sc) ?
							(size_t)opt.cg_procs *
							opt.cg_size :
							opt.sizes[i];
						struct stat3 s;

						if (IS_CG(sc) && i)
							continue;
						s = summarize(sc, m, n, smp, k);
						if (!s.n)
							continue;
						fprintf(f, "%s,%s,%zu,%d,%s,%d",
							sc_name[sc], m_name[m],
							n >> 20, smp,
							f_name[k], s.n);
						csv_num(f, s.med);
						csv_num(f, s.min);
						csv_num(f, s.max);
						fputc('\n', f);
					}
	fclose(f);
}

static void write_calls_csv(void)
{
	FILE *f = out_open("calls.csv");
	int c;

	if (!f)
		return;
	fputs("call,instructions_per_call,ns_median,ns_min,ns_max\n", f);
	for (c = 0; c < C_N; c++) {
		if (!call_available(c))
			continue;
		fprintf(f, "\"%s\"", c_name[c]);
		csv_num(f, instr[c]);
		csv_num(f, cns_med[c]);
		csv_num(f, cns_min[c]);
		csv_num(f, cns_max[c]);
		fputc('\n', f);
	}
	fclose(f);
}

/* The data the plot reads: per size, median/min/max of the killer view. */
static int write_plot_dat(void)
{
	static const int cols[][2] = {
		{ SC_IDLE, M_PLAIN }, { SC_IDLE, M_MRELEASE },
		{ SC_BUSY, M_PLAIN }, { SC_BUSY, M_MRELEASE },
		{ SC_FLOOR, M_MUNMAP },
	};
	FILE *f = out_open("plot.dat");
	int i, k, any = 0;

	if (!f)
		return -1;
	fputs("# size_gib  then median min max (ms) of: idle plain, idle "
	      "mrelease_kill, busy plain, busy mrelease_kill, munmap floor\n",
	      f);
	for (i = 0; i < opt.nsizes; i++) {
		fprintf(f, "%.4f", opt.sizes[i] / GiB);
		for (k = 0; k < 5; k++) {
			struct stat3 s = summarize(cols[k][0], cols[k][1],
						   opt.sizes[i], 0, F_FREE);

			if (s.n)
				any = 1;
			fprintf(f, " %.3f %.3f %.3f", s.n ? s.med : NAN,
				s.n ? s.min : NAN, s.n ? s.max : NAN);
		}
		fputc('\n', f);
	}
	fclose(f);
	return any ? 0 : -1;
}

static void make_plot(char *note, size_t len)
{
	char e[3 * PATH_MAX + 64];
	pid_t pid;
	int st;

	if (write_plot_dat()) {
		strf(note, len, "no plot: nothing measured");
		return;
	}
	if (access(opt.plot_script, R_OK)) {
		strf(note, len, "no plot: %s: %s", opt.plot_script,
			 strerror(errno));
		return;
	}
	strf(e, sizeof(e), "datafile='%s/plot.dat'; outfile='%s/%s'",
		 opt.outdir, opt.outdir, "time-to-free.png");
	pid = fork_child();
	if (pid == 0) {
		/* gnuplot's warnings (a series the demo does not measure has
		 * no points) go to a log, not over the table. */
		char logf[PATH_MAX + 16];
		int fd;

		strf(logf, sizeof(logf), "%s/gnuplot.log", opt.outdir);
		fd = open(logf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0)
			dup2(fd, 2);
		execlp("gnuplot", "gnuplot", "-e", e, opt.plot_script,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		strf(note, len, "no plot: fork");
		return;
	}
	kid_del(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		strf(note, len, "no plot: gnuplot is not installed "
			 "(Debian: gnuplot-nox)");
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		strf(note, len, "no plot: gnuplot failed");
	else
		strf(note, len, "%s/time-to-free.png", opt.outdir);
}

/* Both to the terminal and to results/table.txt. */
static FILE *tbl;
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (tbl) {
		va_start(ap, fmt);
		vfprintf(tbl, fmt, ap);
		va_end(ap);
	}
}

static void print_header(void)
{
	struct utsname u;
	char rt[32] = "?", load[64] = "?";
	long mem = sysconf(_SC_PHYS_PAGES) / 1024 * sysconf(_SC_PAGESIZE);

	uname(&u);
	read_str("/proc/sys/kernel/sched_rt_runtime_us", rt, sizeof(rt));
	rt[strcspn(rt, "\n")] = 0;
	read_str("/proc/loadavg", load, sizeof(load));
	load[strcspn(load, "\n")] = 0;
	out("libmrelease %s benchmark: Linux %s %s, %ld CPUs, %.1f GiB; "
	    "sched_rt_runtime_us %s\n", mrelease_version(), u.release,
	    u.machine, sysconf(_SC_NPROCESSORS_ONLN), mem / MiB, rt);
	out("load average at the start: %s\n", load);
	out("killer on CPU %d, victims on CPU %d; %d repetitions (+%d sampled), "
	    "settle %d ms; victims touch private anonymous 4 KiB pages\n",
	    g.killer_cpu, g.victim_cpu, opt.reps, opt.sampled_reps,
	    opt.settle_ms);
}

static void print_row_label(const char *sc, const char *mode)
{
	out("%-6s %-22s", sc, mode);
}

static void print_kill_table(const char *title, int f, int sampled,
			     const char *unit)
{
	static const int rows[][2] = {
		{ SC_IDLE, M_PLAIN }, { SC_IDLE, M_MRELEASE }, { SC_IDLE, M_RAW },
		{ SC_BUSY, M_PLAIN }, { SC_BUSY, M_MRELEASE }, { SC_BUSY, M_RAW },
		{ SC_FLOOR, M_MUNMAP },
	};
	char sz[32], cell[96];
	int i, k, any = 0;

	for (k = 0; k < 7; k++)
		for (i = 0; i < opt.nsizes; i++)
			if (summarize(rows[k][0], rows[k][1], opt.sizes[i],
				      sampled, f).n)
				any = 1;
	if (!any)
		return;
	out("\n%s\n", title);
	print_row_label("", "");
	for (i = 0; i < opt.nsizes; i++) {
		size_str(sz, sizeof(sz), opt.sizes[i]);
		out(" %-24s", sz);
	}
	out("\n");
	for (k = 0; k < 7; k++) {
		bool row = false;

		for (i = 0; i < opt.nsizes; i++)
			if (summarize(rows[k][0], rows[k][1], opt.sizes[i],
				      sampled, f).n)
				row = true;
		if (!row)
			continue;
		print_row_label(sc_name[rows[k][0]], m_label[rows[k][1]]);
		for (i = 0; i < opt.nsizes; i++) {
			fmt_stat(cell, sizeof(cell),
				 summarize(rows[k][0], rows[k][1], opt.sizes[i],
					   sampled, f), unit);
			out(" %-24s", cell);
		}
		out("\n");
	}
}

struct ratio_row {
	const char *sc, *what;
	int sca, ma, scb, mb;
	int f;
};

static const struct ratio_row ratio_rows[] = {
	{ "idle", "plain / mrelease_kill", SC_IDLE, M_PLAIN, SC_IDLE, M_MRELEASE, F_FREE },
	{ "idle", "mrelease_kill / raw", SC_IDLE, M_MRELEASE, SC_IDLE, M_RAW, F_FREE },
	{ "idle", "mrelease_kill / floor", SC_IDLE, M_MRELEASE, SC_FLOOR, M_MUNMAP, F_FREE },
	{ "busy", "plain / mrelease_kill", SC_BUSY, M_PLAIN, SC_BUSY, M_MRELEASE, F_FREE },
	{ "busy", "mrelease_kill / raw", SC_BUSY, M_MRELEASE, SC_BUSY, M_RAW, F_FREE },
	{ "busy", "mrelease_kill / floor", SC_BUSY, M_MRELEASE, SC_FLOOR, M_MUNMAP, F_FREE },
	{ "busy", "raw / floor", SC_BUSY, M_RAW, SC_FLOOR, M_MUNMAP, F_FREE },
	/* The same work measured in CPU time: what is left of the gap to
	 * the floor when other tasks take the killer's CPU. */
	{ "busy", "CPU: mrelease / floor", SC_BUSY, M_MRELEASE, SC_FLOOR,
	  M_MUNMAP, F_KCPU },
};

static void print_ratios(void)
{
	char cell[96], sz[32];
	size_t k;
	int i;

	out("\nRatios of the killer view, paired per repetition "
	    "(median [min-max])\n");
	print_row_label("", "");
	for (i = 0; i < opt.nsizes; i++) {
		size_str(sz, sizeof(sz), opt.sizes[i]);
		out(" %-24s", sz);
	}
	out("\n");
	for (k = 0; k < sizeof(ratio_rows) / sizeof(ratio_rows[0]); k++) {
		const struct ratio_row *rr = &ratio_rows[k];
		bool any = false;

		for (i = 0; i < opt.nsizes; i++)
			if (paired(rr->sca, rr->ma, rr->scb, rr->mb,
				   opt.sizes[i], false, rr->f).n)
				any = true;
		if (!any)
			continue;
		print_row_label(rr->sc, rr->what);
		for (i = 0; i < opt.nsizes; i++) {
			fmt_stat(cell, sizeof(cell),
				 paired(rr->sca, rr->ma, rr->scb, rr->mb,
					opt.sizes[i], false, rr->f), "x");
			out(" %-24s", cell);
		}
		out("\n");
	}
}

/* What mrelease_kill() spends before its SIGKILL: the call's time less
 * the kill-to-reap time it reports itself. */
static void print_prekill(void)
{
	double a[1024];
	char cell[96];
	int i, k = 0;

	for (i = 0; i < nruns && k < 1024; i++)
		if (runs[i].mode == M_MRELEASE && runs[i].ok &&
		    !isnan(runs[i].lib_ms))
			a[k++] = (runs[i].free_ms - runs[i].lib_ms) * 1e3;
	if (!k)
		return;
	fmt_stat(cell, sizeof(cell), stat_of(a, k), " us");
	out("mrelease_kill() before its SIGKILL (call time less its own "
	    "time_ns), all runs: %s\n", cell);
}

static void print_cgroup(int sc)
{
	static const int modes[] = {
		M_CG_KILLWAIT, M_CG_OOMD, M_CG_LIB1, M_CG_LIB2
	};
	size_t n = (size_t)opt.cg_procs * opt.cg_size;
	char a[96], b[96], c[96], d[96], e[96];
	int i, smp = g.memcg_usage[0] != 0;
	bool any = false;

	for (i = 0; i < 4; i++)
		if (summarize(sc, modes[i], n, smp, F_FREE).n)
			any = true;
	if (!any)
		return;
	out("\nScenario 4%s: a cgroup of %d processes x %zu MiB, %s (ms, "
	    "median [min-max]; killer and victims on any CPU%s)\n",
	    sc == SC_CGBUSY ? "b" : "", opt.cg_procs, opt.cg_size >> 20,
	    sc == SC_CGBUSY ? "loaded machine: a nice-0 busy loop on every "
	    "CPU, victims nice 19, killer nice -10" : "idle machine",
	    smp ? "; sampler running" : "");
	out("%-36s %-18s %-18s %-18s %-16s %s\n", "pattern", "call returns",
	    "cgroup empty", "memcg -95%", "killer CPU",
	    "last: killed/reaped/gone/failed");
	for (i = 0; i < 4; i++) {
		int m = modes[i], k, kl = -1, rp = -1, gn = -1, fl = -1;

		if (!summarize(sc, m, n, smp, F_FREE).n)
			continue;
		fmt_stat(a, sizeof(a), summarize(sc, m, n, smp, F_FREE), "");
		fmt_stat(b, sizeof(b), summarize(sc, m, n, smp, F_EMPTY), "");
		fmt_stat(c, sizeof(c), summarize(sc, m, n, smp, F_SYS95), "");
		fmt_stat(d, sizeof(d), summarize(sc, m, n, smp, F_KCPU), "");
		for (k = nruns - 1; k >= 0; k--)
			if (runs[k].sc == sc && runs[k].mode == m &&
			    runs[k].ok) {
				kl = runs[k].killed;
				rp = runs[k].reaped;
				gn = runs[k].gone;
				fl = runs[k].failed;
				break;
			}
		if (rp < 0)
			strf(e, sizeof(e), "-");
		else
			strf(e, sizeof(e), "%d/%d/%d/%d", kl, rp, gn, fl);
		out("%-36s %-18s %-18s %-18s %-16s %s\n", m_label[m], a, b, c,
		    d, e);
	}
}

static void print_calls(void)
{
	char a[32], b[96];
	int c;

	out("\nScenario 6: the cost of one call (pinned to CPU %d; instructions"
	    " are user space per loop iteration, %s)\n", g.killer_cpu,
	    callgrind_note);
	out("%-50s %12s %24s\n", "call", "instructions", "ns per call");
	for (c = 0; c < C_N; c++) {
		struct stat3 s = { 3, cns_med[c], cns_min[c], cns_max[c] };

		if (!call_available(c))
			continue;
		fmt_num(a, sizeof(a), instr[c]);
		fmt_stat(b, sizeof(b), s, "");
		out("%-50s %12s %24s\n", c_name[c], a, b);
	}
	out("(valgrind 3.19 does not know syscalls 424/434/448 and answers "
	    "ENOSYS without\n entering the kernel: the instructions counted are "
	    "the user-space path, the error\n path, which for -1 is also the "
	    "real one (EBADF).)\n");
	if (!HAVE_GLIBC_PIDFD)
		out("(glibc's own wrappers: not in this libc)\n");
}

/* ---- targets ------------------------------------------------------------ */

static FILE *tgt;
static int n_miss;

static void target(const char *name, double measured, const char *unit,
		   double limit, bool higher_is_better, const char *note)
{
	const char *verdict;
	char m[32];

	if (isnan(measured))
		verdict = "SKIP";
	else if (higher_is_better ? measured >= limit : measured <= limit)
		verdict = "PASS";
	else
		verdict = "MISS";
	if (!strcmp(verdict, "MISS"))
		n_miss++;
	fmt_num(m, sizeof(m), measured);
	out("  [%s] %-58s %8s%s (target %s %.2f%s)%s%s\n", verdict, name, m,
	    unit, higher_is_better ? ">=" : "<=", limit, unit,
	    note && note[0] ? "  " : "", note ? note : "");
	if (tgt) {
		const char *c;

		fputc('"', tgt);
		for (c = name; *c; c++)	/* one field, whatever reads it */
			fputc(*c == ',' ? ';' : *c == '"' ? '\'' : *c, tgt);
		fputc('"', tgt);
		csv_num(tgt, measured);
		fprintf(tgt, ",%s%.3f,%s\n", higher_is_better ? ">=" : "<=",
			limit, verdict);
	}
}

static void print_targets(void)
{
	char name[128];
	struct stat3 s;
	int i;

	tgt = out_open("targets.csv");
	if (tgt)
		fputs("target,measured,limit,verdict\n", tgt);
	out("\nTargets (ratios measured in this run, median of paired "
	    "per-repetition ratios)\n");

	/* The library costs nothing. */
	{
		double a[1024];
		int k = 0, rep, sc;

		for (sc = SC_IDLE; sc <= SC_BUSY; sc++)
			for (i = 0; i < opt.nsizes; i++)
				for (rep = 0; rep < opt.reps; rep++) {
					const struct run *x, *y;

					x = find_run(sc, M_MRELEASE,
						     opt.sizes[i], rep, false);
					y = find_run(sc, M_RAW, opt.sizes[i],
						     rep, false);
					if (x && y && k < 1024)
						a[k++] = x->free_ms / y->free_ms;
				}
		s = stat_of(a, k);
		target("mrelease_kill / raw syscalls (idle+busy, all N)", s.med,
		       "x", 1.05, false, "");
	}
	for (i = 0; i < opt.nsizes; i++) {
		char sz[32];

		size_str(sz, sizeof(sz), opt.sizes[i]);
		s = paired(SC_BUSY, M_MRELEASE, SC_BUSY, M_RAW, opt.sizes[i],
			   false, F_FREE);
		strf(name, sizeof(name), "  busy %s: mrelease_kill / raw", sz);
		if (s.n)
			target(name, s.med, "x", 1.05, false, "");
	}
	{
		static const int pairs[][2] = {
			{ C_MR_LIB, C_MR_RAW }, { C_OPEN_LIB, C_OPEN_RAW },
			{ C_KILL_LIB, C_KILL_RAW },
		};
		static const char *const names[] = {
			"mrelease_process_mrelease - syscall() instructions",
			"mrelease_pidfd_open - syscall() instructions",
			"mrelease_pidfd_kill - syscall() instructions",
		};

		for (i = 0; i < 3; i++)
			target(names[i],
			       instr[pairs[i][0]] - instr[pairs[i][1]], "",
			       5, false, "");
	}
	/* Busy: within 1.15x of the floor, and the speed-up, at every N. */
	for (i = 0; i < opt.nsizes; i++) {
		char sz[32], note[96];
		struct stat3 up, cpu;

		size_str(sz, sizeof(sz), opt.sizes[i]);
		s = paired(SC_BUSY, M_MRELEASE, SC_FLOOR, M_MUNMAP,
			   opt.sizes[i], false, F_FREE);
		up = paired(SC_BUSY, M_PLAIN, SC_BUSY, M_MRELEASE, opt.sizes[i],
			    false, F_FREE);
		cpu = paired(SC_BUSY, M_MRELEASE, SC_FLOOR, M_MUNMAP,
			     opt.sizes[i], false, F_KCPU);
		note[0] = 0;
		if (up.n)
			strf(note, sizeof(note),
			     "speed-up over plain %.1fx [%.1f-%.1f]; in CPU "
			     "time %.2fx", up.med, up.min, up.max, cpu.med);
		strf(name, sizeof(name), "busy %s: mrelease_kill / munmap floor",
			 sz);
		target(name, s.med, "x", 1.15, false, note);
	}
	/* Idle: no slower than plain. */
	for (i = 0; i < opt.nsizes; i++) {
		char sz[32];

		size_str(sz, sizeof(sz), opt.sizes[i]);
		s = paired(SC_IDLE, M_MRELEASE, SC_IDLE, M_PLAIN, opt.sizes[i],
			   false, F_FREE);
		strf(name, sizeof(name), "idle %s: mrelease_kill / plain", sz);
		target(name, s.med, "x", 1.0, false, "");
	}
	/* cgroup: the system's view when sampled, else the killer's. */
	{
		bool smp = g.memcg_usage[0] != 0;
		int f = smp ? F_SYS95 : F_FREE, sc;
		const char *view = smp ? "memcg -95%" : "call returns";
		static const struct { int a, b; const char *what; double lim; }
		cg[] = {
			{ M_CG_KILLWAIT, M_CG_LIB2, "cgroup.kill+wait / kill_cgroup(2)", 1 },
			{ M_CG_OOMD, M_CG_LIB2, "oomd / kill_cgroup(2)", 1 },
			{ M_CG_KILLWAIT, M_CG_LIB1, "cgroup.kill+wait / kill_cgroup(1)", 1 },
			{ M_CG_OOMD, M_CG_LIB1, "oomd / kill_cgroup(1)", 1 },
			{ M_CG_LIB1, M_CG_LIB2, "kill_cgroup 1 thread / 2 threads", 1.5 },
		};

		for (sc = SC_CGROUP; sc <= SC_CGBUSY; sc++) {
			size_t k;

			if (!want(sc))
				continue;
			for (k = 0; k < sizeof(cg) / sizeof(cg[0]); k++) {
				strf(name, sizeof(name), "%s: %s (%s)",
				     sc_name[sc], cg[k].what, view);
				target(name, paired(sc, cg[k].a, sc, cg[k].b,
						    0, smp, f).med, "x",
				       cg[k].lim, true, "");
			}
		}
	}
	if (tgt)
		fclose(tgt);
	tgt = NULL;
}

static void print_demo(void)
{
	struct stat3 p, m, f, up;
	char a[96], b[96], c[96];
	size_t n = opt.sizes[0];
	int sc = g.fifo_ok ? SC_BUSY : SC_IDLE;

	p = summarize(sc, M_PLAIN, n, 0, F_FREE);
	m = summarize(sc, M_MRELEASE, n, 0, F_FREE);
	f = summarize(SC_FLOOR, M_MUNMAP, n, 0, F_FREE);
	up = paired(sc, M_PLAIN, sc, M_MRELEASE, n, false, F_FREE);
	fmt_stat(a, sizeof(a), p, " ms");
	fmt_stat(b, sizeof(b), m, " ms");
	fmt_stat(c, sizeof(c), f, " ms");
	out("\nTime to free %zu MiB %s (median [min-max] of %d):\n",
	    n >> 20, sc == SC_BUSY ?
	    "when the victim's CPU is taken by a SCHED_FIFO busy loop" :
	    "on an idle machine (no root: no SCHED_FIFO busy loop)",
	    opt.reps);
	out("  kill(SIGKILL) + wait for the exit   %s\n", a);
	out("  mrelease_kill()                     %s\n", b);
	out("  munmap() in the killer (the floor)  %s\n", c);
	if (up.n)
		out("mrelease_kill gave the memory back %.1fx sooner than "
		    "kill + wait.\n", up.med);
}

/* ---- main --------------------------------------------------------------- */

static size_t parse_size(const char *s)
{
	char *e;
	double v = strtod(s, &e);

	if (e == s || v <= 0)
		return 0;
	switch (*e) {
	case 'G': case 'g': v *= GiB; break;
	case 'M': case 'm': v *= MiB; break;
	case 'K': case 'k': v *= 1024; break;
	case 0: v *= GiB; break;
	default: return 0;
	}
	if (v >= (double)SIZE_MAX)	/* 8G on a 32-bit build */
		return 0;
	return (size_t)v & ~(size_t)4095;
}

static void usage(FILE *f)
{
	fputs("usage: mrelease-bench [options]\n"
	      "  --sizes LIST      victim sizes, e.g. 1G,4G,8G (default)\n"
	      "  --reps N          repetitions (default 3)\n"
	      "  --sampled-reps N  extra repetitions with the memcg sampler "
	      "(default 1)\n"
	      "  --settle MS       pause before each kill (default 500)\n"
	      "  --only LIST       idle,busy,floor,cgroup,calls\n"
	      "  --cgroup-procs N  --cgroup-size SIZE   (default 32 x 128M)\n"
	      "  --out DIR         results directory (default bench-results)\n"
	      "  --plot-script F   the gnuplot script\n"
	      "  --no-callgrind    do not count instructions\n"
	      "  --demo            busy victim, 1 GiB: plain vs mrelease_kill "
	      "vs munmap\n"
	      "  --smoke           tiny sizes, one repetition (make check)\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "sampled-reps", required_argument, NULL, 'R' },
		{ "settle", required_argument, NULL, 'S' },
		{ "only", required_argument, NULL, 'o' },
		{ "cgroup-procs", required_argument, NULL, 'p' },
		{ "cgroup-size", required_argument, NULL, 'z' },
		{ "out", required_argument, NULL, 'd' },
		{ "plot-script", required_argument, NULL, 'P' },
		{ "no-callgrind", no_argument, NULL, 'V' },
		{ "demo", no_argument, NULL, 'D' },
		{ "smoke", no_argument, NULL, 'k' },
		{ "callgrind-child", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *sizes = NULL;
	char plot_note[PATH_MAX + 64] = "";
	int c, i, rep;
	ssize_t len;

	start_ns = now_ns();
	for (c = 0; c < C_N; c++)
		instr[c] = cns_med[c] = cns_min[c] = cns_max[c] = NAN;
	opt.reps = -1;
	opt.sampled_reps = -1;
	opt.settle_ms = -1;
	opt.outdir = "bench-results";
	opt.plot_script = BENCH_PLOT_SCRIPT;
	opt.callgrind = true;
	opt.cg_procs = 32;
	opt.cg_size = 128 << 20;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 's': sizes = optarg; break;
		case 'r': opt.reps = atoi(optarg); break;
		case 'R': opt.sampled_reps = atoi(optarg); break;
		case 'S': opt.settle_ms = atoi(optarg); break;
		case 'p': opt.cg_procs = atoi(optarg); break;
		case 'z': opt.cg_size = parse_size(optarg); break;
		case 'd': opt.outdir = optarg; break;
		case 'P': opt.plot_script = optarg; break;
		case 'V': opt.callgrind = false; break;
		case 'D': opt.demo = true; break;
		case 'k': opt.smoke = true; break;
		case 'C': return callgrind_child(atol(optarg));
		case 'o': {
			char *dup = strdup(optarg), *tok, *save = NULL;

			for (tok = strtok_r(dup, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				int k;

				for (k = 0; k < SC_N; k++)
					if (!strcmp(tok, sc_name[k]))
						break;
				if (k == SC_N) {
					fprintf(stderr, "unknown scenario: "
						"%s\n", tok);
					return 2;
				}
				opt.only |= 1U << k;
			}
			free(dup);
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || opt.cg_procs < 1 || opt.cg_procs > 256 ||
	    !opt.cg_size) {
		usage(stderr);
		return 2;
	}
	if (opt.smoke) {
		if (!sizes)
			sizes = "16M";
		if (opt.reps < 0)
			opt.reps = 1;
		if (opt.sampled_reps < 0)
			opt.sampled_reps = 1;
		if (opt.settle_ms < 0)
			opt.settle_ms = 0;
		opt.cg_procs = 4;
		opt.cg_size = 4 << 20;
		opt.call_iters = 2000;
		opt.call_rounds = 3;
		opt.plain_timeout_ms = 20000;
	}
	if (opt.demo) {
		if (!sizes)
			sizes = "1G";
		if (opt.reps < 0)
			opt.reps = 5;
		if (opt.sampled_reps < 0)
			opt.sampled_reps = 0;
		if (opt.settle_ms < 0)
			opt.settle_ms = 300;
		opt.only = 1U << SC_BUSY | 1U << SC_FLOOR;
	}
	if (!sizes)
		sizes = "1G,4G,8G";
	if (opt.reps < 0)
		opt.reps = 3;
	if (opt.sampled_reps < 0)
		opt.sampled_reps = 1;
	if (opt.settle_ms < 0)
		opt.settle_ms = 500;
	if (!opt.call_iters) {
		opt.call_iters = 200000;
		opt.call_rounds = 11;
	}
	if (!opt.plain_timeout_ms)
		opt.plain_timeout_ms = 60000;
	{
		char *dup = strdup(sizes), *tok, *save = NULL;

		for (tok = strtok_r(dup, ",", &save); tok && opt.nsizes < 8;
		     tok = strtok_r(NULL, ",", &save))
			if (!(opt.sizes[opt.nsizes++] = parse_size(tok))) {
				fprintf(stderr, "bad size: %s\n", tok);
				return 2;
			}
		free(dup);
	}
	if (opt.reps < 1 || opt.reps > 100 || opt.sampled_reps > 100) {
		usage(stderr);
		return 2;
	}

	if (raw_process_mrelease(-1) == 0 || errno != EBADF ||
	    raw_pidfd_open(-1) == 0 || errno != EINVAL) {
		printf("SKIP: process_mrelease(2) and pidfd_open(2) are needed "
		       "(Linux 5.15)\n");
		return 77;
	}
	len = readlink("/proc/self/exe", g.self_exe, sizeof(g.self_exe) - 1);
	g.self_exe[len > 0 ? len : 0] = 0;
	if (mkdir_p(opt.outdir)) {
		fprintf(stderr, "mrelease-bench: %s: %s\n", opt.outdir,
			strerror(errno));
		return 1;
	}
	sb = mmap(NULL, sizeof(*sb), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sb == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	atexit(cleanup_all);
	{
		char p[PATH_MAX + 16];

		strf(p, sizeof(p), "%s/log.txt", opt.outdir);
		g.log = fopen(p, "we");
		strf(p, sizeof(p), "%s/table.txt", opt.outdir);
		tbl = fopen(p, "we");
	}

	setup_cpus();
	if (want(SC_BUSY) || opt.demo)
		setup_fifo();
	if (!g.fifo_ok && (want(SC_BUSY) || opt.demo))
		note_skip("busy victim CPU (scenario 2): %s", g.fifo_why);
	if (!g.fifo_ok && opt.demo)
		opt.only |= 1U << SC_IDLE;	/* show what can be shown */
	if (!opt.demo) {
		setup_memcg();
		if (!g.memcg_dir[0])
			note_skip("system view (memcg -95%%): %s", g.memcg_why);
		if (want(SC_CGROUP) || want(SC_CGBUSY)) {
			setup_cg2();
			if (!g.cg2_dir[0])
				note_skip("cgroup of %d (scenario 4): %s",
					  opt.cg_procs, g.cg2_why);
		}
	}
	if (!g.memcg_dir[0])
		opt.sampled_reps = 0;

	print_header();
	fprintf(stderr, "measuring");
	for (i = 0; i < opt.nsizes; i++)
		for (rep = 0; rep < opt.reps + opt.sampled_reps; rep++)
			rotate_run(rep, rep >= opt.reps, opt.sizes[i]);
	if (!opt.demo && (want(SC_CGROUP) || want(SC_CGBUSY)) && g.cg2_dir[0])
		run_cgroup_reps();
	if (!opt.demo && want(SC_CALLS))
		run_calls();
	fprintf(stderr, " %.0f s\n", (now_ns() - start_ns) / 1e9);
	remove_cgroups();
	g.memcg_dir[0] = g.cg2_dir[0] = 0;

	write_runs_csv();
	write_summary_csv();
	make_plot(plot_note, sizeof(plot_note));
	if (opt.demo) {
		print_demo();
	} else {
		print_kill_table("Time to free, killer view (ms: median "
				 "[min-max]; the call returns, or the pidfd "
				 "is readable)", F_FREE, 0, "");
		print_ratios();
		print_prekill();
		print_kill_table("Time to free, system view (ms after SIGKILL "
				 "until the victim's memcg charge fell by 95%; "
				 "sampled repetitions)", F_SYS95, 1, "");
		print_kill_table("The same sampled repetitions: when the "
				 "killer's call returned (ms)", F_FREE, 1, "");
		print_kill_table("Scenario 5: CPU time charged to the killer "
				 "(ms, CLOCK_PROCESS_CPUTIME_ID)", F_KCPU, 0,
				 "");
		print_kill_table("The killer's involuntary context switches "
				 "during the kill (other tasks took its CPU)",
				 F_NIVCSW, 0, "");
		print_kill_table("CPU time charged to the killer by "
				 "getrusage() (ms; tick-sampled for short "
				 "calls)", F_KRU, 0, "");
		print_kill_table("The victim's own CPU from SIGKILL to its "
				 "end (ms; wait4() rusage less its setup)",
				 F_VCPU, 0, "");
		print_cgroup(SC_CGROUP);
		print_cgroup(SC_CGBUSY);
		if (want(SC_CALLS)) {
			write_calls_csv();
			print_calls();
		}
		print_targets();
	}
	{
		char load[64] = "?";

		read_str("/proc/loadavg", load, sizeof(load));
		out("\nload average at the end: %s", load);
	}
	if (skipped[0])
		out("\nSkipped:\n%s", skipped);
	out("\nResults: %s/{table.txt,runs.csv,summary.csv%s%s}; plot: %s\n",
	    opt.outdir, want(SC_CALLS) && !opt.demo ? ",calls.csv" : "",
	    opt.demo ? "" : ",targets.csv", plot_note);
	if (tbl)
		fclose(tbl);
	if (g.log)
		fclose(g.log);
	(void)n_miss;
	return 0;
}
