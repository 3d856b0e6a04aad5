/*
 * mrelease-oomd.c - a small OOM daemon built on libmrelease
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 *
 * Every 100 ms it measures one of
 *   --min-available SIZE: MemAvailable of /proc/meminfo, acting below SIZE;
 *   --max-held SIZE:      the memory the processes of --cgroup hold, acting
 *                         above SIZE;
 * and when it must act, kills the largest process (of --cgroup, or of the
 * whole system without one: any process but PID 1, itself and kernel
 * threads, so give it a cgroup) and has its memory reaped by the library's
 * asynchronous reaper, so the loop never blocks on a reap.  It logs what was
 * freed when the completion arrives, and picks no new victim while a kill is
 * in flight.
 *
 * "The memory a process holds" is its resident pages, the second field of
 * /proc/<pid>/statm (RssAnon + RssFile + RssShmem of its status), summed
 * over the cgroup's processes: it needs no memory controller (this also
 * works where cgroup v2 has none enabled, where memory.current does not
 * exist), at the price of counting a page shared by two processes twice.
 * A kernel thread or a zombie holds none and is never chosen.
 *
 * Build it against the installed library, with nothing else:
 *   cc -o mrelease-oomd mrelease-oomd.c $(pkg-config --cflags --libs libmrelease)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <mrelease.h>

static struct {
	const char *cgroup;
	uint64_t min_available, max_held, interval_ns;
	unsigned long max_kills;
	int oneshot, dry_run;
} opt = { .interval_ns = 100000000ULL };

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("[%5lld.%03ld] ", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* "200M", "1G", "4096": a number and an optional K, M, G or T (powers of
 * 1024).  0, or -1 when it is no such size. */
static int parse_size(const char *arg, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	unsigned long long v;
	const char *u;
	char *end;
	int shift;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || !isdigit((unsigned char)arg[0]))
		return -1;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u || (end[1] && strcasecmp(end + 1, "iB") &&
			   strcasecmp(end + 1, "B")))
			return -1;
		shift = 10 * (int)(u - units + 1);
		if (v > UINT64_MAX >> shift)
			return -1;
		v <<= shift;
	}
	*bytes = v;
	return 0;
}

/* "250ms", "2s", "1": milliseconds or seconds (no unit: seconds). */
static int parse_interval(const char *arg, uint64_t *ns)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || !isdigit((unsigned char)arg[0]) ||
	    v > 86400000)
		return -1;
	if (!strcmp(end, "ms"))
		*ns = v * 1000000;
	else if (!strcmp(end, "s") || !*end)
		*ns = v * 1000000000;
	else
		return -1;
	return 0;
}

static const char *mib(uint64_t bytes, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f MiB", bytes / 1048576.0);
	return buf;
}

/* MemAvailable of /proc/meminfo in bytes: 0, or -1. */
static int mem_available(uint64_t *bytes)
{
	unsigned long long kb = 0;
	char line[256];
	int found = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "MemAvailable: %llu kB", &kb) == 1;
	fclose(f);
	*bytes = kb * 1024;
	return found ? 0 : -1;
}

/* The candidates of one scan. */
struct proc {
	pid_t pid;
	uint64_t held;
	char name[64];
};
struct scan {
	struct proc *p;
	size_t n, alloc;
	uint64_t total;
};

/* What pid holds (resident pages of its statm, in bytes) and its name. */
static uint64_t held_by(pid_t pid, char *name, size_t size)
{
	unsigned long long resident = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%*u %llu", &resident) != 1)
		resident = 0;
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f || !fgets(name, (int)size, f))
		snprintf(name, size, "?");
	if (f)
		fclose(f);
	name[strcspn(name, "\n")] = '\0';
	return resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void scan_pid(struct scan *s, pid_t pid)
{
	char name[64];
	uint64_t held;

	if (pid <= 1 || pid == getpid())
		return;
	held = held_by(pid, name, sizeof(name));
	if (held == 0)
		return;		/* gone, a zombie or a kernel thread */
	if (s->n == s->alloc) {
		size_t a = s->alloc ? 2 * s->alloc : 64;
		struct proc *p = realloc(s->p, a * sizeof(*p));

		if (!p)
			return;
		s->p = p;
		s->alloc = a;
	}
	s->p[s->n].pid = pid;
	s->p[s->n].held = held;
	memcpy(s->p[s->n].name, name, sizeof(name));
	s->total += held;
	s->n++;
}

/* nftw() has no argument for its callback: the scan it fills. */
static struct scan *scanning;
static int scan_failed;

/* Each cgroup of the subtree: the processes of its cgroup.procs. */
static int scan_cgroup(const char *dir, const struct stat *sb, int type,
		       struct FTW *ftw)
{
	char path[PATH_MAX];
	FILE *f;
	int pid;

	(void)sb;
	if (type != FTW_D)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f) {
		scan_failed |= ftw->level == 0;
		return 0;
	}
	while (fscanf(f, "%d", &pid) == 1)
		scan_pid(scanning, pid);
	fclose(f);
	return 0;
}

static int scan_all(struct scan *s)
{
	struct dirent *de;
	DIR *d;

	s->n = 0;
	s->total = 0;
	if (opt.cgroup) {
		scanning = s;
		scan_failed = 0;
		if (nftw(opt.cgroup, scan_cgroup, 16, FTW_PHYS) < 0 || scan_failed)
			return -1;
		return 0;
	}
	d = opendir("/proc");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			scan_pid(s, (pid_t)atoi(de->d_name));
	closedir(d);
	return 0;
}

/* Is the pid still a candidate (in the cgroup, same name)? */
static int still_candidate(const struct proc *victim)
{
	struct scan s = { 0 };
	size_t i;
	int found = 0;

	if (scan_all(&s) == 0)
		for (i = 0; i < s.n; i++)
			if (s.p[i].pid == victim->pid &&
			    !strcmp(s.p[i].name, victim->name))
				found = 1;
	free(s.p);
	return found;
}

static int exited(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* The last victim's pidfd, until it has exited: its memory is still
 * counted, so nothing is chosen again before it is gone (at most
 * DYING_WAITS intervals). */
#define DYING_WAITS 100
static int dying_fd = -1;
static int dying_waits;

static void dying_set(int pidfd)
{
	if (dying_fd >= 0)
		close(dying_fd);
	dying_fd = pidfd;
	dying_waits = 0;
}

/* 1 while the last victim is still exiting. */
static int still_dying(void)
{
	if (dying_fd < 0)
		return 0;
	if (!exited(dying_fd) && ++dying_waits <= DYING_WAITS)
		return 1;
	dying_set(-1);
	return 0;
}

/* Kill the largest candidate: 1 when a kill is in flight, 2 when it was
 * done here, 0 if none. */
static int act(struct mrelease_reaper *reaper, struct scan *s, const char *why)
{
	struct mrelease_result res;
	struct proc *victim = NULL;
	char h[32], f[32];
	size_t i;
	int pidfd;

	for (i = 0; i < s->n; i++)
		if (!victim || s->p[i].held > victim->held)
			victim = &s->p[i];
	if (!victim) {
		logmsg("%s, but there is no process to kill", why);
		return 0;
	}
	logmsg("%s: killing pid %d (%s), which holds %s%s", why, (int)victim->pid,
	       victim->name, mib(victim->held, h, sizeof(h)),
	       opt.dry_run ? " (dry run: not killed)" : "");
	if (opt.dry_run)
		return 0;
	/* the pidfd first, then check that it is still the process we chose */
	pidfd = mrelease_pidfd_open(victim->pid, 0);
	if (pidfd < 0) {
		logmsg("pid %d: pidfd_open: %s", (int)victim->pid, strerror(errno));
		return 0;
	}
	if (!still_candidate(victim) || exited(pidfd)) {
		logmsg("pid %d exited or changed meanwhile: not killed", (int)victim->pid);
		close(pidfd);
		return 0;
	}
	if (mrelease_reaper_submit(reaper, pidfd, (uint64_t)victim->pid,
				   MRELEASE_MEASURE) == 0) {
		dying_set(pidfd);	/* the reaper holds its own dup() */
		return 1;
	}
	if (errno != EAGAIN) {
		logmsg("pid %d: reaper: %s", (int)victim->pid, strerror(errno));
		close(pidfd);
		return 0;
	}
	/* every worker busy: kill and reap here, as lmkd does */
	if (mrelease_kill(pidfd, MRELEASE_MEASURE, &res, sizeof(res)) < 0)
		logmsg("pid %d: kill: %s", (int)victim->pid, strerror(errno));
	else
		logmsg("killed pid %d synchronously: freed %s", (int)victim->pid,
		       mib(res.freed, f, sizeof(f)));
	dying_set(pidfd);
	return 2;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: mrelease-oomd [options]\n"
		"  -m, --min-available SIZE  act when MemAvailable is below SIZE\n"
		"  -M, --max-held SIZE       act when --cgroup's processes hold more\n"
		"  -c, --cgroup PATH         choose victims in this cgroup v2 subtree\n"
		"  -i, --interval DURATION   how often to look (default 100ms)\n"
		"  -k, --max-kills N         exit after N kills\n"
		"  -1, --oneshot             exit once the threshold holds after a kill\n"
		"  -n, --dry-run             log, but kill nothing\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "min-available", required_argument, NULL, 'm' },
		{ "max-held", required_argument, NULL, 'M' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "max-kills", required_argument, NULL, 'k' },
		{ "oneshot", no_argument, NULL, '1' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mrelease_reaper *reaper;
	struct scan s = { 0 };
	unsigned long kills = 0;
	int c, inflight = 0, have_min = 0, status = 0;
	uint64_t kills64;

	while ((c = getopt_long(argc, argv, "m:M:c:i:k:1nh", longopts, NULL)) != -1) {
		const char *a = optarg;

		switch (c) {
		case 'm':
			if (parse_size(a, &opt.min_available) < 0)
				usage(2);
			have_min = 1;
			break;
		case 'M':
			if (parse_size(a, &opt.max_held) < 0 ||
			    opt.max_held == 0)
				usage(2);
			break;
		case 'c':
			opt.cgroup = a;
			break;
		case 'i':
			if (parse_interval(a, &opt.interval_ns) < 0 ||
			    opt.interval_ns < 1000000)
				usage(2);
			break;
		case 'k':
			if (parse_size(a, &kills64) < 0)
				usage(2);
			opt.max_kills = (unsigned long)kills64;
			break;
		case '1':
			opt.oneshot = 1;
			break;
		case 'n':
			opt.dry_run = 1;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (optind < argc || have_min == !!opt.max_held ||
	    (opt.max_held && !opt.cgroup))
		usage(2);
	if (!(mrelease_probe() & MRELEASE_HAVE_PROCESS_MRELEASE))
		logmsg("process_mrelease(2) unavailable: kills will not be reaped");
	reaper = mrelease_reaper_new(1, 0, 0);
	if (!reaper) {
		fprintf(stderr, "mrelease-oomd: reaper: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	logmsg("watching %s every %llu ms", opt.cgroup ? opt.cgroup : "the system",
	       (unsigned long long)(opt.interval_ns / 1000000));

	while (!stop) {
		struct pollfd p = { .fd = mrelease_reaper_fd(reaper), .events = POLLIN };
		struct mrelease_completion done;
		char b1[32], b2[32], why[128];
		int low;

		if (poll(&p, 1, (int)(opt.interval_ns / 1000000)) < 0 && errno != EINTR)
			break;
		while (mrelease_reaper_read(reaper, &done, sizeof(done)) == 0) {
			inflight = 0;
			kills++;
			if (done.error)
				logmsg("pid %llu: kill failed: %s",
				       (unsigned long long)done.cookie, strerror(done.error));
			else if (done.result.status & MRELEASE_REAPED)
				logmsg("killed pid %llu: held %s, reaped %s in %.1f ms",
				       (unsigned long long)done.cookie,
				       mib(done.result.rss_anon + done.result.rss_file +
						      done.result.rss_shmem, b1, sizeof(b1)),
				       mib(done.result.freed, b2, sizeof(b2)),
				       done.result.time_ns / 1e6);
			else	/* ESRCH: it freed its memory itself, first */
				logmsg("killed pid %llu: held %s, not reaped: %s",
				       (unsigned long long)done.cookie,
				       mib(done.result.rss_anon + done.result.rss_file +
						      done.result.rss_shmem, b1, sizeof(b1)),
				       done.result.reap_errno == ESRCH ?
				       "it exited and freed it itself first" :
				       strerror(done.result.reap_errno));
		}
		if (opt.max_kills && kills >= opt.max_kills)
			break;
		if (inflight || still_dying())
			continue;
		if (scan_all(&s) < 0) {
			logmsg("%s: cannot read: %s", opt.cgroup ? opt.cgroup : "/proc",
			       strerror(errno));
			status = 1;
			break;
		}
		if (opt.max_held) {
			low = s.total > opt.max_held;
			snprintf(why, sizeof(why), "%s holds %s > %s", opt.cgroup,
				 mib(s.total, b1, sizeof(b1)),
				 mib(opt.max_held, b2, sizeof(b2)));
		} else {
			uint64_t avail;

			if (mem_available(&avail) < 0) {
				logmsg("/proc/meminfo: no MemAvailable");
				status = 1;
				break;
			}
			low = avail < opt.min_available;
			snprintf(why, sizeof(why), "MemAvailable %s < %s",
				 mib(avail, b1, sizeof(b1)),
				 mib(opt.min_available, b2, sizeof(b2)));
		}
		if (!low) {
			if (opt.oneshot && kills)
				break;
			continue;
		}
		inflight = act(reaper, &s, why);
		if (inflight == 2) {
			inflight = 0;
			kills++;
		}
		if (!inflight && opt.dry_run && opt.oneshot)
			break;
	}
	dying_set(-1);
	logmsg("exiting after %lu kill%s", kills, kills == 1 ? "" : "s");
	mrelease_reaper_destroy(reaper);
	free(s.p);
	return status;
}
