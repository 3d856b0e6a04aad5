/*
 * mrelease(1) - kill processes or a cgroup and give their memory back now
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 *
 * Every pidfd is opened before anything else is looked at or sent, so a
 * reused pid is never killed; /proc is read after the pidfd is open and the
 * process is checked to be alive after that, so what /proc said belongs to
 * the process the pidfd names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <mrelease.h>

#include "parse.h"
#include "cgroup.h"
/* tools/parse.h has its own status parser: the shared one's names stay out */
#undef mr_parse_status
#undef mr_parse_meminfo_available

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define EXIT_SOME_FAILED 1
#define EXIT_USAGE 2

enum outcome {
	O_NONE,		/* not acted on yet */
	O_ERROR,	/* could not be killed: see msg */
	O_WOULD,	/* dry run */
	O_KILLED,	/* SIGKILLed (and maybe reaped) */
	O_SIGNALLED,	/* sent a signal other than KILL, no timeout */
	O_EXITED,	/* exited on that signal before the timeout */
	O_SKIPPED,	/* cgroup refused as a whole: not acted on, not listed */
};

/* why a target could not be acted on: a kind, never the message text */
enum err_kind {
	K_NONE,
	K_REFUSED,	/* PID 1, mrelease itself, a kernel thread: --force */
	K_FAILED,	/* anything else */
};

struct target {
	const char *arg;	/* the command-line word, or NULL (cgroup) */
	pid_t pid;
	int pidfd;
	struct mr_status st;
	uint64_t rss_anon, rss_file, rss_shmem;	/* held */
	enum outcome outcome;
	enum err_kind kind;
	char what[96];		/* K_REFUSED: what --force would kill */
	char msg[160];		/* why it could not be killed */
	int escalated;		/* still alive after --timeout: SIGKILLed */
	int kthread;		/* a kernel thread (only with --force) */
	int nopidfd;		/* pidfd_open missing: kill(2), as the library */
	struct mrelease_result res;
	uint64_t exit_ns;	/* O_EXITED: from the signal to the exit */
	uint64_t sent_ns;
};

static struct {
	int sig;
	uint64_t timeout_ns;
	int have_timeout;
	const char *cgroup;
	int dry_run, json, quiet, force;
} opt = { .sig = SIGKILL };

static struct target *targets;
static size_t ntargets, atargets;
static int failures;
static int collecting;	/* cgroup: a process gone meanwhile is no error */

/* the cgroup mode's outcome */
static struct mrelease_result cgres, cgsig;
static int cg_called, cg_signalled, cg_errno;
static char cg_msg[512];

static const char *prog = "mrelease";

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

static void usage(void)
{
	printf("Usage: %s [options] PID...\n"
	       "       %s [options] --cgroup PATH\n"
	       "Kill processes, or every process of a cgroup v2 subtree, and give\n"
	       "their memory back at once with process_mrelease(2).\n\n"
	       "Options:\n"
	       "  -s, --signal SIG        send SIG first (name or number; default KILL)\n"
	       "  -t, --timeout DURATION  after SIG, wait this long (500ms, 5s) for the\n"
	       "                          exit, then SIGKILL and reap what is left\n"
	       "  -c, --cgroup PATH       the whole cgroup v2 subtree at PATH\n"
	       "  -n, --dry-run           show what would be killed; signal nothing\n"
	       "  -j, --json              print one JSON object for the whole run\n"
	       "  -q, --quiet             print only errors\n"
	       "  -f, --force             allow PID 1, mrelease itself, kernel threads\n"
	       "  -h, --help              show this help\n"
	       "  -V, --version           show the version and what the kernel supports\n\n"
	       "Exit status: 0 all killed, 1 some could not be killed, 2 usage error.\n"
	       "See mrelease(1).\n", prog, prog);
	exit(0);
}

static void version(void)
{
	unsigned int have = mrelease_probe();
	struct utsname u;

	printf("mrelease %s (libmrelease %s)\n", PACKAGE_VERSION,
	       mrelease_version());
	if (uname(&u) == 0)
		printf("kernel %s:\n", u.release);
	printf("  pidfd_open          %s\n",
	       have & MRELEASE_HAVE_PIDFD_OPEN ? "yes" : "no (Linux 5.3+)");
	printf("  pidfd_send_signal   %s\n",
	       have & MRELEASE_HAVE_PIDFD_KILL ? "yes" : "no (Linux 5.1+)");
	printf("  process_mrelease    %s\n",
	       have & MRELEASE_HAVE_PROCESS_MRELEASE ? "yes" : "no (Linux 5.15+): memory is not reaped");
	exit(0);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static char *fmt_time(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000000)
		snprintf(buf, size, "%.0f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, size, "%.2f s", ns / 1e9);
	return buf;
}

static struct target *new_target(const char *arg, pid_t pid)
{
	struct target *t;

	if (ntargets == atargets) {
		size_t n = atargets ? atargets * 2 : 16;
		struct target *p = realloc(targets, n * sizeof(*p));

		if (!p) {
			fprintf(stderr, "%s: out of memory\n", prog);
			exit(EXIT_SOME_FAILED);
		}
		targets = p;
		atargets = n;
	}
	t = &targets[ntargets++];
	memset(t, 0, sizeof(*t));
	t->arg = arg;
	t->pid = pid;
	t->pidfd = -1;
	return t;
}

static void vfail_target(struct target *t, enum err_kind kind,
			 const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void vfail_target(struct target *t, enum err_kind kind,
			 const char *fmt, va_list ap)
{
	if (kind == K_REFUSED) {
		vsnprintf(t->what, sizeof(t->what), fmt, ap);
		snprintf(t->msg, sizeof(t->msg),
			 "refusing to kill %s without --force", t->what);
	} else {
		vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	}
	t->outcome = O_ERROR;
	t->kind = kind;
	failures++;
	if (collecting && kind == K_REFUSED)
		return;		/* cg_prepare() says it for the whole cgroup */
	if (t->arg)
		fprintf(stderr, "%s: %s: %s\n", prog, t->arg, t->msg);
	else
		fprintf(stderr, "%s: %d: %s\n", prog, (int)t->pid, t->msg);
}

static void fail_target(struct target *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail_target(struct target *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_target(t, K_FAILED, fmt, ap);
	va_end(ap);
}

/* "WHAT" is what --force would allow killing: "PID 1 (init)" */
static void refuse_target(struct target *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void refuse_target(struct target *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_target(t, K_REFUSED, fmt, ap);
	va_end(ap);
}

/* Reads a small file into buf (NUL-terminated); its length or -1. */
static ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Without a pidfd: 1 when /proc says the pid is gone or a zombie. */
static int proc_exited(pid_t pid)
{
	char path[64], buf[1024];
	char state;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return errno == ENOENT || errno == ESRCH;
	return mr_parse_stat_state(buf, strlen(buf), &state) == 0 &&
	       (state == 'Z' || state == 'X');
}

/* 1 when the target has exited (a zombie counts) within timeout_ms. */
static int target_exited(const struct target *t, int timeout_ms)
{
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };
	int r;

	if (t->nopidfd) {
		/* no pidfd to poll: look at /proc every 10 ms */
		for (;;) {
			if (proc_exited(t->pid))
				return 1;
			if (timeout_ms <= 0)
				return 0;
			nanosleep(&(struct timespec){ .tv_nsec = 10000000 },
				  NULL);
			timeout_ms -= 10;
		}
	}
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

static const char *owner_hint(const struct target *t, char *buf, size_t size)
{
	if (t->st.have & MR_ST_UID)
		snprintf(buf, size, " (owned by uid %u, not by uid %u)",
			 (unsigned int)t->st.ruid, (unsigned int)geteuid());
	else
		buf[0] = '\0';
	return buf;
}

/*
 * Opens the pidfd, reads what /proc says, and checks the process is alive,
 * may be signalled and is not protected.  0 when it can be acted on.
 */
static int prepare(struct target *t)
{
	char path[64], buf[8192], hint[80];
	unsigned long flags = 0;
	int kthread = 0;

	t->pidfd = mrelease_pidfd_open(t->pid, 0);
	if (t->pidfd < 0 && errno == ESRCH && collecting)
		return 1;
	if (t->pidfd < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* no pidfds (Linux < 5.3, or a sandbox): fall back to kill(2)
		 * as mrelease_kill_pid() does; a reused pid is possible */
		t->nopidfd = 1;
		if (kill(t->pid, 0) < 0 && errno == ESRCH) {
			if (collecting)
				return 1;
			fail_target(t, "no such process");
			return -1;
		}
	} else if (t->pidfd < 0) {
		if (errno == ESRCH)
			fail_target(t, "no such process");
		else if (errno == EINVAL)
			fail_target(t, "not a process (a thread ID?): pidfd_open: %s",
				    strerror(errno));
		else
			fail_target(t, "pidfd_open: %s", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)t->pid);
	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) < 0 ||
	    mr_parse_status(buf, strlen(buf), &t->st) < 0)
		memset(&t->st, 0, sizeof(t->st));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)t->pid);
	if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) >= 0 &&
	    mr_parse_stat_flags(buf, strlen(buf), &flags) == 0 &&
	    (flags & MR_PF_KTHREAD))
		kthread = 1;
	if ((t->st.have & MR_ST_KTHREAD) && t->st.kthread)
		kthread = 1;
	t->kthread = kthread;
	t->rss_anon = t->st.rss_anon;
	t->rss_file = t->st.rss_file;
	t->rss_shmem = t->st.rss_shmem;
	/* alive after /proc was read: what it said is this process's */
	if (target_exited(t, 0)) {
		if (collecting)
			return 1;
		fail_target(t, "already exited (a zombie waiting for its parent)");
		return -1;
	}
	if (!opt.force) {
		if (t->pid == 1) {
			refuse_target(t, "PID 1 (init)");
			return -1;
		}
		if (t->pid == getpid()) {
			refuse_target(t, "mrelease itself");
			return -1;
		}
		if (kthread) {
			refuse_target(t, "kernel thread %s",
				      t->st.name[0] ? t->st.name : "?");
			return -1;
		}
	}
	/* signal 0: may we signal it at all? */
	if ((t->nopidfd ? kill(t->pid, 0) : mrelease_pidfd_kill(t->pidfd, 0, 0)) < 0) {
		if (errno == EPERM)
			fail_target(t, "operation not permitted%s",
				    owner_hint(t, hint, sizeof(hint)));
		else if (errno == ESRCH)
			fail_target(t, "no such process");
		else
			fail_target(t, "pidfd_send_signal: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void kill_failed(struct target *t, int err)
{
	char hint[80];

	if (err == EPERM)
		fail_target(t, "operation not permitted%s",
			    owner_hint(t, hint, sizeof(hint)));
	else if (err == ESRCH)
		fail_target(t, "exited before it could be killed");
	else
		fail_target(t, "kill failed: %s", strerror(err));
}

static void sigkill_target(struct target *t)
{
	int r = t->nopidfd ?
		mrelease_kill_pid(t->pid, MRELEASE_MEASURE, &t->res, sizeof(t->res)) :
		mrelease_kill(t->pidfd, MRELEASE_MEASURE, &t->res, sizeof(t->res));

	if (r < 0) {
		if (errno == ESRCH && t->outcome == O_SIGNALLED) {
			/* exited on the signal just after the timeout */
			t->outcome = O_EXITED;
			t->exit_ns = now_ns() - t->sent_ns;
			t->escalated = 0;
			return;
		}
		kill_failed(t, errno);
		return;
	}
	if (t->kthread) {
		fail_target(t, "a kernel thread ignores SIGKILL: not killed");
		return;
	}
	t->outcome = O_KILLED;
	if (t->res.status & MRELEASE_MEASURED) {
		t->rss_anon = t->res.rss_anon;
		t->rss_file = t->res.rss_file;
		t->rss_shmem = t->res.rss_shmem;
	}
}

/* Waits, up to the timeout, for every signalled target to exit. */
static void wait_exits(void)
{
	uint64_t deadline = now_ns() + opt.timeout_ns;
	struct pollfd *p = calloc(ntargets ? ntargets : 1, sizeof(*p));
	size_t *idx = calloc(ntargets ? ntargets : 1, sizeof(*idx));

	if (!p || !idx) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(EXIT_SOME_FAILED);
	}
	for (;;) {
		size_t i, n = 0;
		uint64_t now = now_ns();
		int r, ms, slow = 0;

		for (i = 0; i < ntargets; i++) {
			if (targets[i].outcome != O_SIGNALLED)
				continue;
			slow |= targets[i].nopidfd;
			p[n].fd = targets[i].pidfd;	/* -1: poll skips it */
			p[n].events = POLLIN;
			p[n].revents = 0;
			idx[n++] = i;
		}
		if (n == 0 || now >= deadline)
			break;
		ms = (int)((deadline - now + 999999) / 1000000);
		if (slow && ms > 10)
			ms = 10;	/* no pidfd for some: look at /proc */
		r = poll(p, n, ms);
		if (r < 0 && errno != EINTR)
			break;
		now = now_ns();
		for (i = 0; i < n; i++) {
			struct target *t = &targets[idx[i]];

			if (t->nopidfd ? !proc_exited(t->pid) : !(r > 0 && p[i].revents))
				continue;
			t->outcome = O_EXITED;
			t->exit_ns = now - t->sent_ns;
		}
	}
	free(p);
	free(idx);
}

/* Sends opt.sig to every prepared target. */
static void send_signal_all(void)
{
	size_t i;

	for (i = 0; i < ntargets; i++) {
		struct target *t = &targets[i];

		if (t->outcome != O_NONE)
			continue;
		t->sent_ns = now_ns();
		if ((t->nopidfd ? kill(t->pid, opt.sig) :
		     mrelease_pidfd_kill(t->pidfd, opt.sig, 0)) < 0) {
			kill_failed(t, errno);
			continue;
		}
		t->outcome = O_SIGNALLED;
	}
}

/* ---- the cgroup ---------------------------------------------------- */

static int cg_add_pid(pid_t pid, void *arg)
{
	size_t i;

	for (i = 0; i < ntargets; i++)
		if (targets[i].pid == pid)
			return 0;
	new_target(NULL, pid);
	return 0;
}

/* mr_cg_walk() visitor: adds the pids of one cgroup of the subtree. */
static int cg_visit(int dirfd, const char *path, unsigned int depth, void *arg)
{
	pid_t *pids;
	size_t n, i;
	int r = mr_cg_read_pids(dirfd, &pids, &n);

	(void)path;
	(void)depth;
	(void)arg;
	if (r == -ENOENT || r == -ENODEV)
		return 0;	/* removed meanwhile */
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			cg_add_pid(pids[i], NULL);
	free(pids);
	return 0;
}

/* The library's errno for the cgroup path, as words. */
static const char *cg_errmsg(int err)
{
	switch (err) {
	case ENOENT: return "no such cgroup";
	case ENOTDIR: return "not a directory";
	case EMEDIUMTYPE: return "not a cgroup v2 directory";
	case EINVAL: return "refusing a root cgroup: it holds the whole system (or cgroup namespace)";
	case EACCES: return "permission denied: cannot read its cgroup.procs";
	case EPERM: return "operation not permitted";
	case ETIMEDOUT: return "still not empty when the wait ended";
	default: return strerror(err);
	}
}

/* Lists the cgroup's processes into targets; -1 after printing why. */
static int cg_prepare(void)
{
	size_t i, n;
	int fd, r;

	/* signal 0 through the library: its errno says whether the path is
	 * a cgroup it would act on (no such, not v2, a root) */
	memset(&cgsig, 0, sizeof(cgsig));
	if (mrelease_signal_cgroup(AT_FDCWD, opt.cgroup, 0, 0, &cgsig,
				   sizeof(cgsig)) < 0 &&
	    cgsig.killed + cgsig.gone + cgsig.failed == 0) {
		cg_errno = errno;
		snprintf(cg_msg, sizeof(cg_msg), "%s", cg_errmsg(errno));
		goto bad;
	}
	fd = open(opt.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(cg_msg, sizeof(cg_msg), "%s", cg_errmsg(errno));
		goto bad;
	}
	r = mr_cg_walk(fd, cg_visit, NULL);
	close(fd);
	if (r < 0) {
		snprintf(cg_msg, sizeof(cg_msg), "cannot list its processes: %s",
			 strerror(-r));
		goto bad;
	}
	n = ntargets;
	collecting = 1;
	for (i = 0; i < n; i++) {
		struct target *t = &targets[i];

		r = prepare(t);
		if (r == 0)
			continue;
		/* a process that exited meanwhile is not a problem here */
		if (r > 0) {
			if (t->pidfd >= 0)
				close(t->pidfd);
			memmove(t, t + 1, (n - i - 1) * sizeof(*t));
			n--;
			ntargets--;
			i--;
			continue;
		}
		if (t->kind == K_REFUSED) {
			char pidstr[32] = "";

			if (t->pid != 1)
				snprintf(pidstr, sizeof(pidstr), " (PID %d)", (int)t->pid);
			snprintf(cg_msg, sizeof(cg_msg),
				 "refusing the whole cgroup: it holds %s%s; "
				 "--force would kill it too", t->what, pidstr);
			cg_errno = EPERM;
			collecting = 0;
			fprintf(stderr, "%s: %s: %s\n", prog, opt.cgroup, cg_msg);
			return -1;
		}
	}
	collecting = 0;
	return 0;
bad:
	failures++;
	fprintf(stderr, "%s: %s: %s\n", prog, opt.cgroup, cg_msg);
	return -1;
}

/* opt.sig to the whole subtree, through the library. */
static void cg_signal(void)
{
	uint64_t now = now_ns();
	size_t i;

	memset(&cgsig, 0, sizeof(cgsig));
	cg_signalled = 1;
	if (mrelease_signal_cgroup(AT_FDCWD, opt.cgroup, opt.sig, 0, &cgsig,
				   sizeof(cgsig)) < 0) {
		cg_errno = errno;
		snprintf(cg_msg, sizeof(cg_msg), "%u of its processes could not be sent %s: %s",
			 cgsig.failed, mr_signal_name(opt.sig), cg_errmsg(errno));
		fprintf(stderr, "%s: %s: %s\n", prog, opt.cgroup, cg_msg);
		failures++;
	}
	for (i = 0; i < ntargets; i++) {
		if (targets[i].outcome != O_NONE)
			continue;
		targets[i].outcome = O_SIGNALLED;
		targets[i].sent_ns = now;
	}
}

static void cg_kill(void)
{
	size_t i;
	int alive = 0;

	for (i = 0; i < ntargets; i++)
		if (targets[i].outcome == O_NONE || targets[i].outcome == O_SIGNALLED)
			alive = 1;
	if (opt.sig != SIGKILL && !alive && ntargets)
		return;		/* all exited on the signal: nothing to kill */
	cg_called = 1;
	if (mrelease_kill_cgroup(AT_FDCWD, opt.cgroup, MRELEASE_MEASURE, &cgres,
				 sizeof(cgres)) < 0 || cgres.failed) {
		cg_errno = errno;
		snprintf(cg_msg, sizeof(cg_msg), "%u of its processes survived: %s",
			 cgres.failed, cg_errmsg(errno));
		fprintf(stderr, "%s: %s: %s\n", prog, opt.cgroup, cg_msg);
		failures++;
	}
	/* per process: did it die?  Give the kill a moment to land. */
	for (i = 0; i < ntargets; i++) {
		struct target *t = &targets[i];

		if (t->outcome == O_EXITED || t->outcome == O_ERROR)
			continue;
		t->escalated = t->outcome == O_SIGNALLED;
		if (target_exited(t, 1000)) {
			t->outcome = O_KILLED;
			t->res.status = MRELEASE_KILLED;
		} else {
			fail_target(t, "still alive after the cgroup was killed");
		}
	}
}

/* ---- output -------------------------------------------------------- */

static uint64_t held(const struct target *t)
{
	return t->rss_anon + t->rss_file + t->rss_shmem;
}

static const char *reap_why(int err)
{
	switch (err) {
	case 0:
		return "reaped";
	case ESRCH:
		return "it freed its memory itself before the reap";
	case ENOSYS:
		return "process_mrelease(2) is missing (Linux 5.15+)";
	case EPERM:
		return "process_mrelease(2) is blocked by a sandbox";
	case EINVAL:
		return "its memory is shared with a live process";
	default:
		return strerror(err);
	}
}

static const char *errno_name(int err)
{
	switch (err) {
	case 0: return NULL;
	case ESRCH: return "ESRCH";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case EBADF: return "EBADF";
	default: return "EIO";
	}
}

static void print_target(const struct target *t)
{
	char h[32], f[32], tm[32];
	const char *sig = mr_signal_name(opt.sig);

	if (t->outcome == O_ERROR || t->outcome == O_NONE ||
	    t->outcome == O_SKIPPED)
		return;
	printf("%d (%s): %s %s; ", (int)t->pid,
	       t->st.name[0] ? t->st.name : "?",
	       t->outcome == O_WOULD ? "holds" : "held",
	       mr_format_size(held(t), h, sizeof(h)));
	switch (t->outcome) {
	case O_WOULD:
		printf("would be sent %s%s\n", sig,
		       opt.have_timeout ? ", then KILL if still alive" : "");
		break;
	case O_SIGNALLED:
		printf("sent %s; not reaped: only a process killed by SIGKILL can be reaped"
		       " (add --timeout to escalate)\n", sig);
		break;
	case O_EXITED:
		printf("exited on %s after %s, no SIGKILL needed\n", sig,
		       fmt_time(t->exit_ns, tm, sizeof(tm)));
		break;
	case O_KILLED:
		if (t->escalated)
			printf("still alive %s after %s: ", fmt_time(opt.timeout_ns, tm, sizeof(tm)), sig);
		if (opt.cgroup) {
			printf("killed\n");
			break;
		}
		printf("killed%s, ", t->res.status & MRELEASE_FALLBACK_KILL ?
		       " (with kill(2))" : "");
		if (t->res.status & MRELEASE_REAPED)
			printf("reaped %s in %s\n",
			       mr_format_size(t->res.freed, f, sizeof(f)),
			       fmt_time(t->res.time_ns, tm, sizeof(tm)));
		else if (t->res.status & MRELEASE_FALLBACK_KILL)
			printf("not reaped: no pidfd to reap it through\n");
		else
			printf("not reaped: %s\n", reap_why(t->res.reap_errno));
		break;
	default:
		break;
	}
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);	/* bytes as Latin-1: valid JSON */
		else
			putchar(c);
	}
	putchar('"');
}

static const char *outcome_name(enum outcome o)
{
	switch (o) {
	case O_WOULD: return "would_kill";
	case O_KILLED: return "killed";
	case O_SIGNALLED: return "signalled";
	case O_EXITED: return "exited";
	default: return "error";
	}
}

static void print_json(int status)
{
	uint64_t tot_held = 0, tot_freed = 0;
	unsigned int nproc = 0, nkilled = 0, nreaped = 0, nexited = 0;
	size_t i;
	int first = 1;

	printf("{\"version\":\"%s\",\"mode\":\"%s\",\"dry_run\":%s,"
	       "\"signal\":\"%s\",\"timeout_ns\":",
	       mrelease_version(), opt.cgroup ? "cgroup" : "pids",
	       opt.dry_run ? "true" : "false", mr_signal_name(opt.sig));
	if (opt.have_timeout)
		printf("%llu", (unsigned long long)opt.timeout_ns);
	else
		printf("null");
	printf(",\"processes\":[");
	for (i = 0; i < ntargets; i++) {
		const struct target *t = &targets[i];
		int reaped = !!(t->res.status & MRELEASE_REAPED);
		const char *why = errno_name(t->res.reap_errno);

		if (t->outcome == O_ERROR || t->outcome == O_NONE ||
		    t->outcome == O_SKIPPED)
			continue;
		nproc++;
		tot_held += held(t);
		nkilled += t->outcome == O_KILLED;
		nexited += t->outcome == O_EXITED;
		nreaped += reaped;
		tot_freed += reaped ? t->res.freed : 0;
		printf("%s{\"pid\":%d,\"comm\":", first ? "" : ",", (int)t->pid);
		first = 0;
		json_string(t->st.name);
		printf(",\"held\":%llu,\"rss_anon\":%llu,\"rss_file\":%llu,"
		       "\"rss_shmem\":%llu,\"result\":\"%s\",\"killed\":%s,"
		       "\"escalated\":%s,\"reaped\":%s,\"reap_error\":",
		       (unsigned long long)held(t),
		       (unsigned long long)t->rss_anon,
		       (unsigned long long)t->rss_file,
		       (unsigned long long)t->rss_shmem,
		       outcome_name(t->outcome),
		       t->outcome == O_KILLED ? "true" : "false",
		       t->escalated ? "true" : "false",
		       /* cgroup: the library counts reaps per cgroup only */
		       opt.cgroup && t->outcome == O_KILLED ? "null" :
		       reaped ? "true" : "false");
		if (t->outcome == O_KILLED && !opt.cgroup && !reaped && why) {
			json_string(why);
		} else
			printf("null");
		printf(",\"freed\":%llu,\"time_ns\":%llu}",
		       (unsigned long long)(reaped ? t->res.freed : 0),
		       (unsigned long long)(t->outcome == O_EXITED ? t->exit_ns :
					    t->res.time_ns));
	}
	printf("],\"cgroup\":");
	if (opt.cgroup) {
		printf("{\"path\":");
		json_string(opt.cgroup);
		printf(",\"called\":%s,\"killed\":%u,\"reaped\":%u,\"gone\":%u,"
		       "\"failed\":%u,\"killfile\":%s,\"freed\":%llu,\"time_ns\":%llu}",
		       cg_called ? "true" : "false", cgres.killed, cgres.reaped,
		       cgres.gone, cgres.failed,
		       cgres.status & MRELEASE_KILLFILE ? "true" : "false",
		       (unsigned long long)cgres.freed,
		       (unsigned long long)cgres.time_ns);
		nreaped = cgres.reaped;
		tot_freed = cgres.freed;
	} else {
		printf("null");
	}
	printf(",\"errors\":[");
	first = 1;
	if (cg_msg[0]) {
		printf("{\"arg\":");
		json_string(opt.cgroup);
		printf(",\"pid\":null,\"message\":");
		json_string(cg_msg);
		printf("}");
		first = 0;
	}
	for (i = 0; i < ntargets; i++) {
		const struct target *t = &targets[i];

		if (t->outcome != O_ERROR)
			continue;
		printf("%s{\"arg\":", first ? "" : ",");
		first = 0;
		if (t->arg)
			json_string(t->arg);
		else
			printf("null");
		if (t->pid > 0)
			printf(",\"pid\":%d,\"message\":", (int)t->pid);
		else
			printf(",\"pid\":null,\"message\":");
		json_string(t->msg);
		printf("}");
	}
	printf("],\"totals\":{\"processes\":%u,\"held\":%llu,\"killed\":%u,"
	       "\"exited\":%u,\"reaped\":%u,\"freed\":%llu,\"failed\":%d},"
	       "\"exit_status\":%d}\n",
	       nproc, (unsigned long long)tot_held, nkilled, nexited, nreaped,
	       (unsigned long long)tot_freed, failures, status);
}

static void print_text(void)
{
	uint64_t tot_held = 0, tot_freed = 0;
	unsigned int nproc = 0, nkilled = 0, nreaped = 0;
	char h[32], f[32], tm[32];
	size_t i;

	for (i = 0; i < ntargets; i++) {
		const struct target *t = &targets[i];

		if (t->outcome == O_ERROR || t->outcome == O_NONE ||
		    t->outcome == O_SKIPPED)
			continue;
		print_target(t);
		nproc++;
		tot_held += held(t);
		nkilled += t->outcome == O_KILLED;
		if (t->res.status & MRELEASE_REAPED) {
			nreaped++;
			tot_freed += t->res.freed;
		}
	}
	if (opt.cgroup && cg_called) {
		printf("cgroup %s: %u killed%s, %u reaped, %u already gone, %u failed; "
		       "%s freed in %s\n", opt.cgroup, cgres.killed,
		       cgres.status & MRELEASE_KILLFILE ? " (cgroup.kill)" : "",
		       cgres.reaped, cgres.gone, cgres.failed,
		       mr_format_size(cgres.freed, f, sizeof(f)),
		       fmt_time(cgres.time_ns, tm, sizeof(tm)));
	} else if (opt.cgroup && !cg_msg[0] && ntargets == 0) {
		printf("cgroup %s: no processes\n", opt.cgroup);
	}
	if (nproc > 1 && opt.dry_run)
		printf("total: %u processes hold %s; none was signalled\n", nproc,
		       mr_format_size(tot_held, h, sizeof(h)));
	else if (nproc > 1 && !opt.cgroup)
		printf("total: %u processes held %s; %u killed, %u reaped, %s freed\n",
		       nproc, mr_format_size(tot_held, h, sizeof(h)), nkilled,
		       nreaped, mr_format_size(tot_freed, f, sizeof(f)));
	else if (nproc > 1)
		printf("total: %u processes held %s\n", nproc,
		       mr_format_size(tot_held, h, sizeof(h)));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, have_signal = 0, status, i;
	size_t k;

	while ((c = getopt_long(argc, argv, "+s:t:c:njqfhV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (mr_parse_signal(optarg, strlen(optarg), &opt.sig) < 0)
				usage_error("invalid signal '%s': a name (TERM, SIGKILL) or a number 1-64",
					    optarg);
			have_signal = 1;
			break;
		case 't':
			if (mr_parse_duration(optarg, strlen(optarg), &opt.timeout_ns) < 0)
				usage_error("invalid duration '%s': a number with an optional unit ms, s, m (at most 24h)",
					    optarg);
			opt.have_timeout = 1;
			break;
		case 'c':
			if (opt.cgroup)
				usage_error("--cgroup given twice");
			opt.cgroup = optarg;
			break;
		case 'n':
			opt.dry_run = 1;
			break;
		case 'j':
			opt.json = 1;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'f':
			opt.force = 1;
			break;
		case 'h':
			usage();
			break;
		case 'V':
			version();
			break;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (opt.cgroup && optind < argc)
		usage_error("give either PIDs or --cgroup, not both");
	if (!opt.cgroup && optind == argc)
		usage_error("no PID given");
	if (opt.cgroup && !opt.cgroup[0])
		usage_error("--cgroup needs a path");
	if (opt.have_timeout && !have_signal)
		usage_error("--timeout needs --signal (the default, KILL, needs no timeout)");
	if (opt.have_timeout && opt.sig == SIGKILL)
		usage_error("--timeout with --signal KILL: nothing to wait for");
	if (opt.have_timeout && opt.timeout_ns == 0)
		usage_error("--timeout must be more than 0");
	if (opt.sig == SIGSTOP || opt.sig == SIGTSTP || opt.sig == SIGTTIN ||
	    opt.sig == SIGTTOU)
		/* a stopped process never exits: a timeout would always expire */
		if (opt.have_timeout)
			usage_error("--timeout with a stop signal: it would never exit");

	if (opt.cgroup) {
		int ok = cg_prepare() == 0;

		if (!ok) {
			/* refused or unreadable: nothing is listed as acted on */
			for (k = 0; k < ntargets; k++)
				if (targets[k].outcome == O_NONE)
					targets[k].outcome = O_SKIPPED;
		} else if (!opt.dry_run) {
			if (opt.sig != SIGKILL) {
				cg_signal();
				if (opt.have_timeout)
					wait_exits();
			}
			if (opt.sig == SIGKILL || opt.have_timeout)
				cg_kill();
		}
		if (opt.dry_run)
			for (k = 0; k < ntargets; k++)
				if (targets[k].outcome == O_NONE)
					targets[k].outcome = O_WOULD;
	} else {
		for (i = optind; i < argc; i++) {
			struct target *t;
			pid_t pid = 0;

			if (mr_parse_pid(argv[i], strlen(argv[i]), &pid) < 0) {
				t = new_target(argv[i], 0);
				fail_target(t, "not a process ID (a number from 1 to 4194304)");
				continue;
			}
			for (k = 0; k < ntargets; k++)
				if (targets[k].pid == pid)
					break;
			if (k < ntargets)
				continue;	/* listed twice: once is enough */
			t = new_target(argv[i], pid);
			prepare(t);
		}
		if (opt.dry_run) {
			for (k = 0; k < ntargets; k++)
				if (targets[k].outcome == O_NONE)
					targets[k].outcome = O_WOULD;
		} else if (opt.sig == SIGKILL) {
			for (k = 0; k < ntargets; k++)
				if (targets[k].outcome == O_NONE)
					sigkill_target(&targets[k]);
		} else {
			send_signal_all();
			if (opt.have_timeout) {
				wait_exits();
				for (k = 0; k < ntargets; k++) {
					if (targets[k].outcome != O_SIGNALLED)
						continue;
					targets[k].escalated = 1;
					sigkill_target(&targets[k]);
				}
			}
		}
	}

	status = failures ? EXIT_SOME_FAILED : 0;
	if (opt.json)
		print_json(status);
	else if (!opt.quiet)
		print_text();
	for (k = 0; k < ntargets; k++)
		if (targets[k].pidfd >= 0)
			close(targets[k].pidfd);
	free(targets);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_SOME_FAILED;
	return status;
}
