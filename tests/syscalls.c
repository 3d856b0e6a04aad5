/*
 * syscalls.c - every public function under a seccomp filter that allows
 * exactly the system calls lib/syscalls.txt (installed as
 * share/libmrelease/syscalls.txt, documented in libmrelease(7) SANDBOXES)
 * lists for it on this C library, plus this harness's own (harness[]
 * below), with SCMP_ACT_KILL_PROCESS for everything else: a call missing
 * from the list kills the child with SIGSYS and fails the test.  Then the
 * same filters with process_mrelease(2) alone answering EPERM, then ENOSYS:
 * the caller lives on, the kill is done and reported not reaped.
 *
 * SPDX-License-Identifier: MIT
 *
 * The list is read from the data file itself, so the file, the manual
 * that prints it and this test cannot drift apart; every symbol of
 * lib/libmrelease.map must have a line, and every line a scenario here.
 * Each scenario sets up unfiltered (victims, a cgroup, a reaper), then
 * loads the filter and calls, in a forked child (tl_env_run).  Filters on a
 * reaper made before them are synchronised to its threads (TSYNC).
 *
 * MR_SYSCALLS_TRACE=1 runs every scenario unfiltered instead, between the
 * markers write(-1, "mrelease-syscalls begin NAME") and write(-1,
 * "mrelease-syscalls end NAME"), for strace -f to say what each makes:
 * how the lists were made (tests/syscalls-trace.sh), on any C library.
 *
 * libseccomp is this test's alone (never the library's): without it at
 * configure time, the program skips, naming it.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef HAVE_LIBSECCOMP
# include <seccomp.h>
#endif

#include "mrelease.h"
#include "syscall-nr.h"
#include "testlib.h"

#if defined(__GLIBC__)
# define LIBC "glibc"
#else
# define LIBC "musl"
#endif

#ifdef HAVE_LIBSECCOMP
/* What the harness itself calls once the filter is loaded: reporting a
 * failure (write), waiting for its victims (poll, waitid, wait4, and
 * restart_syscall when a SIGCHLD interrupts the wait), killing what a
 * failed check left (kill) and leaving (exit_group). */
static const char *const harness[] = {
	"write", "poll", "waitid", "wait4", "restart_syscall", "kill",
	"exit_group",
};
#endif

#define VICTIM_BYTES (4 * MiB)
#define NVICTIMS 3

/* What a scenario works on. */
struct env {
	char cg[256];		/* a cgroup of the victims, made by the test */
	pid_t pid[NVICTIMS];
	int pidfd[NVICTIMS];
	int nv;
	struct mrelease_reaper *rp;
	cpu_set_t cpus;		/* the caller's affinity, read unfiltered */
	int err;		/* EPERM, ENOSYS: process_mrelease answers it */
};

struct scenario {
	const char *name;	/* as syscalls.txt names it */
	int cgroup;		/* the victims in e->cg */
	int tsync;		/* threads exist before the filter */
	long nosys;		/* >= 0: this call answers ENOSYS */
	void (*setup)(struct env *e);
	void (*call)(struct env *e);
};

#define ASSERT TL_ENV_ASSERT

/* MR_SYSCALLS_TRACE runs outside Check's tests, where a ck_assert (even
 * one that holds: it marks the point) cannot report. */
static int tracing;
#define REQUIRE(cond, ...) do {						\
	if (cond)							\
		break;							\
	if (!tracing)							\
		ck_abort_msg(__VA_ARGS__);				\
	fprintf(stderr, __VA_ARGS__);					\
	fputc('\n', stderr);						\
	exit(99);							\
} while (0)

/* ---- victims ------------------------------------------------------- */

static void victims(struct env *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		e->pid[i] = tl_victim(VICTIM_BYTES, -1, &e->pidfd[i]);
		if (e->cg[0])
			ASSERT(tl_cg_move(e->cg, e->pid[i]) == 0,
			       "move %d into %s", (int)e->pid[i], e->cg);
	}
	e->nv = n;
}

static void one_victim(struct env *e)
{
	victims(e, 1);
}

static void all_victims(struct env *e)
{
	victims(e, NVICTIMS);
}

/* Every victim died of SIGKILL (and is reaped). */
static void all_killed(struct env *e)
{
	int i, sig;

	for (i = 0; i < e->nv; i++) {
		sig = tl_pidfd_killed(e->pidfd[i]);
		ASSERT(sig == SIGKILL, "victim %d: %d, not SIGKILL",
		       (int)e->pid[i], sig);
	}
}

/* A kill of one process, as the result says it: done, and reaped unless
 * a filter answered e->err for process_mrelease. */
static void killed_one(struct env *e, int rc, const struct mrelease_result *r)
{
	ASSERT(rc == 0, "rc %d errno %d", rc, errno);
	ASSERT(r->status & MRELEASE_KILLED, "status 0x%x", r->status);
	if (e->err) {
		ASSERT(!(r->status & MRELEASE_REAPED), "reaped under %d",
		       e->err);
		ASSERT(r->reap_errno == e->err, "reap_errno %d, not %d",
		       r->reap_errno, e->err);
	} else {
		/* ESRCH: it freed its memory itself first. */
		ASSERT((r->status & MRELEASE_REAPED) || r->reap_errno == ESRCH,
		       "status 0x%x reap_errno %d", r->status, r->reap_errno);
	}
}

static void killed_n(struct env *e, int rc, const struct mrelease_result *r,
		     unsigned int n)
{
	ASSERT(rc == 0, "rc %d errno %d", rc, errno);
	ASSERT(r->killed == n && r->failed == 0, "killed %u failed %u of %u",
	       r->killed, r->failed, n);
	if (e->err)
		ASSERT(r->reaped == 0 && r->reap_errno == e->err,
		       "reaped %u reap_errno %d under %d", r->reaped,
		       r->reap_errno, e->err);
}

static void killed_cgroup(struct env *e, int rc,
			  const struct mrelease_result *r)
{
	killed_n(e, rc, r, (unsigned int)e->nv);
	all_killed(e);
}

/* ---- the scenarios: 1.0 -------------------------------------------- */

static void call_version(struct env *e)
{
	ASSERT(mrelease_version()[0] != '\0', "empty version");
}

static void call_pidfd_open(struct env *e)
{
	int fd = mrelease_pidfd_open(e->pid[0], 0);

	ASSERT(fd >= 0, "pidfd_open: errno %d", errno);
	ASSERT(mrelease_pidfd_open(e->pid[0], PIDFD_NONBLOCK) >= 0,
	       "pidfd_open(PIDFD_NONBLOCK): errno %d", errno);
}

static void call_pidfd_kill(struct env *e)
{
	ASSERT(mrelease_pidfd_kill(e->pidfd[0], 0, 0) == 0, "errno %d", errno);
	ASSERT(mrelease_pidfd_kill(e->pidfd[0], SIGKILL, 0) == 0, "errno %d",
	       errno);
	all_killed(e);
}

static void setup_dying(struct env *e)
{
	one_victim(e);
	ASSERT(tl_raw_pidfd_kill(e->pidfd[0], SIGKILL, 0) == 0, "kill");
}

static void call_process_mrelease(struct env *e)
{
	int r = mrelease_process_mrelease(e->pidfd[0], 0);

	ASSERT(r == 0 || errno == ESRCH, "errno %d", errno);
	all_killed(e);
}

/* ---- 1.1 ----------------------------------------------------------- */

static void call_probe(struct env *e)
{
	unsigned int want = MRELEASE_HAVE_PIDFD_OPEN |
			    MRELEASE_HAVE_PIDFD_KILL |
			    MRELEASE_HAVE_PROCESS_MRELEASE;

	if (e->err)
		want &= ~MRELEASE_HAVE_PROCESS_MRELEASE;
	ASSERT(mrelease_probe() == want, "probe 0x%x, not 0x%x",
	       mrelease_probe(), want);
}

/* The victim killed by pidfd or by pid. */
static void kill_one(struct env *e, int by_pid)
{
	struct mrelease_result r;
	int rc = by_pid ? mrelease_kill_pid(e->pid[0], 0, &r, sizeof(r)) :
			  mrelease_kill(e->pidfd[0], 0, &r, sizeof(r));

	killed_one(e, rc, &r);
	all_killed(e);
}

static void call_kill(struct env *e)
{
	kill_one(e, 0);
}

static void setup_two(struct env *e)
{
	victims(e, 2);
}

/* Every victim killed with MRELEASE_MEASURE, by pidfd or by pid. */
static void kill_each_measured(struct env *e, int by_pid)
{
	struct mrelease_result r;
	int i;

	for (i = 0; i < e->nv; i++) {
		int rc = by_pid ?
			mrelease_kill_pid(e->pid[i], MRELEASE_MEASURE, &r,
					  sizeof(r)) :
			mrelease_kill(e->pidfd[i], MRELEASE_MEASURE, &r,
				      sizeof(r));

		killed_one(e, rc, &r);
		ASSERT(r.status & MRELEASE_MEASURED, "status 0x%x", r.status);
	}
	all_killed(e);
}

static void call_kill_measure(struct env *e)
{
	kill_each_measured(e, 0);
}

static void call_kill_pid(struct env *e)
{
	kill_one(e, 1);
}

static void call_kill_pid_measure(struct env *e)
{
	kill_each_measured(e, 1);
}

/* pidfd_open(2) answers ENOSYS: kill(2) of a child, never reaped. */
static void call_kill_pid_fallback(struct env *e)
{
	static const unsigned int flags[] = { 0, MRELEASE_MEASURE };
	struct mrelease_result r;
	int i;

	for (i = 0; i < e->nv; i++) {
		int rc = mrelease_kill_pid(e->pid[i], flags[i], &r, sizeof(r));

		ASSERT(rc == 0, "rc %d errno %d", rc, errno);
		ASSERT((r.status & (MRELEASE_KILLED | MRELEASE_FALLBACK_KILL)) ==
		       (MRELEASE_KILLED | MRELEASE_FALLBACK_KILL),
		       "status 0x%x", r.status);
	}
	all_killed(e);
}

/* Victims 0 and 1 in e->cg/a, 2 in e->cg/b: for two calls. */
static void two_cgroups(struct env *e)
{
	char a[300], b[300];
	int i;

	snprintf(a, sizeof(a), "%s/a", e->cg);
	snprintf(b, sizeof(b), "%s/b", e->cg);
	ASSERT(mkdir(a, 0755) == 0 && mkdir(b, 0755) == 0, "mkdir");
	for (i = 0; i < NVICTIMS; i++) {
		e->pid[i] = tl_victim(VICTIM_BYTES, -1, &e->pidfd[i]);
		ASSERT(tl_cg_move(i < 2 ? a : b, e->pid[i]) == 0, "move");
	}
	e->nv = NVICTIMS;
}

/* The cgroup kill, each way it can go: frozen, with cgroup.kill,
 * measured, on three threads; then neither frozen nor cgroup.kill, on
 * the default threads. */
static void call_kill_cgroup(struct env *e)
{
	struct mrelease_result r;
	char path[300];
	int rc;

	snprintf(path, sizeof(path), "%s/a", e->cg);
	rc = mrelease_kill_cgroup(AT_FDCWD, path, MRELEASE_MEASURE |
				  MRELEASE_THREADS(3), &r, sizeof(r));
	killed_n(e, rc, &r, 2);
	snprintf(path, sizeof(path), "%s/b", e->cg);
	rc = mrelease_kill_cgroup(AT_FDCWD, path, MRELEASE_NO_KILLFILE |
				  MRELEASE_NO_FREEZE, &r, sizeof(r));
	killed_n(e, rc, &r, 1);
	all_killed(e);
}

static void call_kill_cgroup_attr(struct env *e)
{
	struct mrelease_attr a;
	struct mrelease_result r;
	int rc;

	memset(&a, 0, sizeof(a));
	a.mask = MRELEASE_ATTR_THREADS | MRELEASE_ATTR_CPUS |
		 MRELEASE_ATTR_SCHED | MRELEASE_ATTR_NICE |
		 MRELEASE_ATTR_TIMEOUT;
	a.threads = 2;
	a.policy = SCHED_OTHER;
	a.priority = 0;
	a.nice = 0;
	a.timeout_ms = 10000;
	a.cpuset_size = sizeof(e->cpus);
	a.cpuset = (uint64_t)(uintptr_t)&e->cpus;
	rc = mrelease_kill_cgroup_attr(AT_FDCWD, e->cg, MRELEASE_MEASURE,
				       &a, sizeof(a), &r, sizeof(r));
	killed_cgroup(e, rc, &r);
}

static void call_signal_cgroup(struct env *e)
{
	struct mrelease_result r;
	int rc;

	rc = mrelease_signal_cgroup(AT_FDCWD, e->cg, SIGKILL, 0, &r,
				    sizeof(r));
	ASSERT(rc == 0 && r.killed == (uint32_t)e->nv, "rc %d killed %u",
	       rc, r.killed);
	all_killed(e);
}

/* ---- the reaper ---------------------------------------------------- */

static void wait_completion(struct env *e)
{
	struct pollfd p = { .fd = mrelease_reaper_fd(e->rp), .events = POLLIN };

	ASSERT(poll(&p, 1, 30000) == 1, "no completion");
}

static void call_reaper_new(struct env *e)
{
	e->rp = mrelease_reaper_new(2, 0, 0);
	ASSERT(e->rp, "reaper_new: errno %d", errno);
}

static void call_reaper_new_attr(struct env *e)
{
	struct mrelease_attr a;

	memset(&a, 0, sizeof(a));
	a.mask = MRELEASE_ATTR_THREADS | MRELEASE_ATTR_CPUS |
		 MRELEASE_ATTR_SCHED | MRELEASE_ATTR_NICE;
	a.threads = 2;
	a.policy = SCHED_OTHER;
	a.nice = 0;
	a.cpuset_size = sizeof(e->cpus);
	a.cpuset = (uint64_t)(uintptr_t)&e->cpus;
	e->rp = mrelease_reaper_new_attr(0, 0, &a, sizeof(a));
	ASSERT(e->rp, "reaper_new_attr: errno %d", errno);
}

static void setup_reaper(struct env *e)
{
	all_victims(e);
	e->rp = mrelease_reaper_new(2, 0, 0);
	ASSERT(e->rp, "reaper_new: errno %d", errno);
}

static void call_reaper_fd(struct env *e)
{
	ASSERT(mrelease_reaper_fd(e->rp) >= 0, "reaper_fd");
}

static void call_reaper_submit(struct env *e)
{
	struct mrelease_completion c;
	int i, got = 0;

	for (i = 0; i < e->nv; i++)
		ASSERT(mrelease_reaper_submit(e->rp, e->pidfd[i], (uint64_t)i,
					      i ? MRELEASE_MEASURE : 0) == 0,
		       "submit: errno %d", errno);
	all_killed(e);
	if (!e->err)
		return;
	/* Refused reaps: each completion says killed, not reaped. */
	while (got < e->nv) {
		wait_completion(e);
		while (mrelease_reaper_read(e->rp, &c, sizeof(c)) == 0) {
			ASSERT(c.error == 0, "completion error %d", c.error);
			killed_one(e, 0, &c.result);
			got++;
		}
	}
}

static void setup_reaper_cgroup(struct env *e)
{
	all_victims(e);
	e->rp = mrelease_reaper_new(1, 0, 0);
	ASSERT(e->rp, "reaper_new: errno %d", errno);
}

static void call_reaper_submit_cgroup(struct env *e)
{
	ASSERT(mrelease_reaper_submit_cgroup(e->rp, AT_FDCWD, e->cg, 1,
					     MRELEASE_MEASURE) == 0,
	       "submit_cgroup: errno %d", errno);
	all_killed(e);
	wait_completion(e);
}

/* A completion waiting, before the filter. */
static void setup_completed(struct env *e)
{
	setup_reaper(e);
	ASSERT(mrelease_reaper_submit(e->rp, e->pidfd[0], 7, 0) == 0,
	       "submit");
	wait_completion(e);
}

static void call_reaper_read(struct env *e)
{
	struct mrelease_completion c;

	ASSERT(mrelease_reaper_read(e->rp, &c, sizeof(c)) == 0,
	       "read: errno %d", errno);
	ASSERT(c.cookie == 7 && c.error == 0, "cookie %llu error %d",
	       (unsigned long long)c.cookie, c.error);
	ASSERT(mrelease_reaper_read(e->rp, &c, sizeof(c)) == -1 &&
	       errno == EAGAIN, "second read: errno %d", errno);
}

static void call_reaper_destroy(struct env *e)
{
	mrelease_reaper_destroy(e->rp);
	e->rp = NULL;
}

static const struct scenario scenarios[] = {
	{ "mrelease_version", 0, 0, -1, NULL, call_version },
	{ "mrelease_pidfd_open", 0, 0, -1, one_victim, call_pidfd_open },
	{ "mrelease_pidfd_kill", 0, 0, -1, one_victim, call_pidfd_kill },
	{ "mrelease_process_mrelease", 0, 0, -1, setup_dying,
	  call_process_mrelease },
	{ "mrelease_probe", 0, 0, -1, NULL, call_probe },
	{ "mrelease_kill", 0, 0, -1, one_victim, call_kill },
	{ "mrelease_kill/MEASURE", 0, 0, -1, setup_two, call_kill_measure },
	{ "mrelease_kill_pid", 0, 0, -1, one_victim, call_kill_pid },
	{ "mrelease_kill_pid/MEASURE", 0, 0, -1, setup_two,
	  call_kill_pid_measure },
	{ "mrelease_kill_pid/FALLBACK", 0, 0, MRELEASE_NR_pidfd_open,
	  setup_two, call_kill_pid_fallback },
	{ "mrelease_kill_cgroup", 1, 0, -1, two_cgroups, call_kill_cgroup },
	{ "mrelease_kill_cgroup_attr", 1, 0, -1, all_victims,
	  call_kill_cgroup_attr },
	{ "mrelease_signal_cgroup", 1, 0, -1, all_victims, call_signal_cgroup },
	{ "mrelease_reaper_new", 0, 0, -1, NULL, call_reaper_new },
	{ "mrelease_reaper_new_attr", 0, 0, -1, NULL, call_reaper_new_attr },
	{ "mrelease_reaper_fd", 0, 1, -1, setup_reaper, call_reaper_fd },
	{ "mrelease_reaper_submit", 0, 1, -1, setup_reaper,
	  call_reaper_submit },
	{ "mrelease_reaper_submit_cgroup", 1, 1, -1, setup_reaper_cgroup,
	  call_reaper_submit_cgroup },
	{ "mrelease_reaper_read", 0, 1, -1, setup_completed, call_reaper_read },
	{ "mrelease_reaper_destroy", 0, 1, -1, setup_completed,
	  call_reaper_destroy },
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* The kills whose reap a sandbox can refuse: they must kill anyway. */
static const char *const refusable[] = {
	"mrelease_probe", "mrelease_kill", "mrelease_kill/MEASURE",
	"mrelease_kill_pid", "mrelease_kill_cgroup", "mrelease_reaper_submit",
};

static const struct scenario *scenario(const char *name)
{
	size_t i;

	for (i = 0; i < NSCENARIOS; i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

/* ---- syscalls.txt -------------------------------------------------- */

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d && *d ? d : "..";
}

/* The words of the line "NAME LIBC word...", into words[] (strdup'd),
 * or -1 when there is none. */
static int list_of(const char *name, const char *libc, char **words,
		   int max)
{
	char path[4096], line[4096];
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "%s/lib/syscalls.txt", srcdir());
	f = fopen(path, "re");
	REQUIRE(f != NULL, "%s: %s", path, strerror(errno));
	while (n < 0 && fgets(line, sizeof(line), f)) {
		char *save = NULL, *w = strtok_r(line, " \t\n", &save);

		if (!w || w[0] == '#' || strcmp(w, name))
			continue;
		w = strtok_r(NULL, " \t\n", &save);
		if (!w || strcmp(w, libc))
			continue;
		n = 0;
		while ((w = strtok_r(NULL, " \t\n", &save)) && n < max)
			words[n++] = strdup(w);
	}
	fclose(f);
	return n;
}

#ifdef HAVE_LIBSECCOMP
/* The number of a name: libseccomp's, or for the three calls it may not
 * know yet (libseccomp before 2.5.2: process_mrelease), the library's. */
static int nr_of(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr != __NR_SCMP_ERROR && nr >= 0)
		return nr;
	if (!strcmp(name, "pidfd_open"))
		return MRELEASE_NR_pidfd_open;
	if (!strcmp(name, "pidfd_send_signal"))
		return MRELEASE_NR_pidfd_send_signal;
	if (!strcmp(name, "process_mrelease"))
		return MRELEASE_NR_process_mrelease;
	return nr;
}

/* In the child: the KILL_PROCESS filter allowing words[] and harness[]. */
static void load_filter(char **words, int n, int tsync)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	size_t i;
	int j, r;

	ASSERT(ctx != NULL, "seccomp_init");
	for (j = 0; j < n; j++) {
		int nr = nr_of(words[j]);

		ASSERT(nr != __NR_SCMP_ERROR, "libseccomp does not know %s",
		       words[j]);
		/* A negative pseudo-number: no such call on this arch. */
		if (nr < 0)
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		ASSERT(r == 0, "allow %s: %d", words[j], r);
	}
	for (i = 0; i < sizeof(harness) / sizeof(harness[0]); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				     seccomp_syscall_resolve_name(harness[i]), 0);
		ASSERT(r == 0, "allow %s: %d", harness[i], r);
	}
	if (tsync)
		ASSERT(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) == 0,
		       "TSYNC");
	r = seccomp_load(ctx);
	ASSERT(r == 0, "seccomp_load: %d", r);
	/* Not released: free() may call what the filter refuses. */
}
#endif

/* ---- running one ---------------------------------------------------- */

struct run {
	const struct scenario *sc;
	struct env *e;
	char **words;
	int nwords;
	int trace;
};

static void marker(const char *what, const char *name)
{
	char m[160];
	int n = snprintf(m, sizeof(m), "mrelease-syscalls %s %s", what, name);

	if (write(-1, m, (size_t)n) < 0)
		errno = 0;
}

static int run_child(void *arg)
{
	struct run *r = arg;
	struct env *e = r->e;

	ASSERT(sched_getaffinity(0, sizeof(e->cpus), &e->cpus) == 0,
	       "affinity");
	/* Before the setup, so that a reaper's threads have it too. */
	if (e->err)
		ASSERT(tl_seccomp_errno(MRELEASE_NR_process_mrelease,
					e->err) == 0, "errno filter");
	if (r->sc->setup)
		r->sc->setup(e);
	if (r->sc->nosys >= 0)
		ASSERT(tl_seccomp_errno(r->sc->nosys, ENOSYS) == 0, "nosys");
	fflush(stdout);
	fflush(stderr);
	if (r->trace) {
		marker("begin", r->sc->name);
	} else {
#ifdef HAVE_LIBSECCOMP
		load_filter(r->words, r->nwords, r->sc->tsync);
#endif
	}
	r->sc->call(e);
	if (r->trace)
		marker("end", r->sc->name);
	return 0;
}

/* Runs scenario name in a child, filtered (or traced); its exit code. */
static int run_one(const char *name, int err, int trace)
{
	const struct scenario *sc = scenario(name);
	char *words[256];
	struct env e;
	struct run r = { sc, &e, words, 0, trace };
	int rc, i;

	REQUIRE(sc != NULL, "no scenario %s", name);
	memset(&e, 0, sizeof(e));
	e.err = err;
	r.nwords = list_of(name, LIBC, words, 256);
	REQUIRE(r.nwords >= 0 || trace,
		      "lib/syscalls.txt has no line \"%s " LIBC "\"", name);
	if (sc->cgroup)
		REQUIRE(tl_cg_make("syscalls", e.cg, sizeof(e.cg)) == 0,
			      "cgroup: %s", strerror(errno));
	rc = tl_env_run(run_child, &r);
	if (sc->cgroup)
		tl_cg_destroy(e.cg);
	for (i = 0; i < r.nwords; i++)
		free(words[i]);
	return rc;
}

static void expect(const char *name, int err)
{
	int rc = run_one(name, err, 0);

	ck_assert_msg(rc != 128 + SIGSYS, "%s%s: killed by SIGSYS: it made a "
		      "system call lib/syscalls.txt does not list for " LIBC
		      " (strace -f, or MR_SYSCALLS_TRACE=1: "
		      "tests/syscalls-trace.sh)", name,
		      err == EPERM ? " (EPERM)" : err == ENOSYS ? " (ENOSYS)" : "");
	ck_assert_msg(rc == 0, "%s: child exit %d", name, rc);
}

/* ---- the tests ------------------------------------------------------ */

START_TEST(t_allowed)
{
	expect(scenarios[_i].name, 0);
}
END_TEST

START_TEST(t_reap_eperm)
{
	expect(refusable[_i], EPERM);
}
END_TEST

START_TEST(t_reap_enosys)
{
	expect(refusable[_i], ENOSYS);
}
END_TEST

/* Every line names a scenario; every line is "NAME glibc|musl CALL...". */
START_TEST(t_lines_have_scenarios)
{
	char path[4096], line[4096];
	FILE *f;
	int lines = 0;

	snprintf(path, sizeof(path), "%s/lib/syscalls.txt", srcdir());
	f = fopen(path, "re");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *w = strtok_r(line, " \t\n", &save), *libc;

		if (!w || w[0] == '#')
			continue;
		libc = strtok_r(NULL, " \t\n", &save);
		ck_assert_msg(scenario(w) != NULL, "%s: no scenario in "
			      "tests/syscalls.c", w);
		ck_assert_msg(libc && (!strcmp(libc, "glibc") ||
				       !strcmp(libc, "musl")),
			      "%s: libc \"%s\"", w, libc ? libc : "");
		lines++;
	}
	fclose(f);
	ck_assert_int_eq(lines, 2 * (int)NSCENARIOS);
}
END_TEST

/* Every exported symbol has a line, on each C library. */
START_TEST(t_every_symbol_listed)
{
	char path[4096], line[512], *words[256];
	FILE *f;
	int n, symbols = 0;

	snprintf(path, sizeof(path), "%s/lib/libmrelease.map", srcdir());
	f = fopen(path, "re");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char sym[128];
		int i;

		if (sscanf(line, " %127[a-z_0-9];", sym) != 1 ||
		    strncmp(sym, "mrelease_", 9))
			continue;
		n = list_of(sym, "glibc", words, 256);
		ck_assert_msg(n >= 0, "%s: no glibc line", sym);
		for (i = 0; i < n; i++)
			free(words[i]);
		n = list_of(sym, "musl", words, 256);
		ck_assert_msg(n >= 0, "%s: no musl line", sym);
		for (i = 0; i < n; i++)
			free(words[i]);
		symbols++;
	}
	fclose(f);
	ck_assert_int_gt(symbols, 15);
}
END_TEST

static void need(void)
{
#ifndef HAVE_LIBSECCOMP
	tl_skip("libseccomp (libseccomp-dev) not found by configure", NULL);
#endif
	if (!tl_cgroup2_root() || access(tl_cgroup2_root(), W_OK) < 0)
		tl_skip("a writable cgroup v2 hierarchy (root)", "Linux 4.5");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	tl_skip("the sanitizers' runtimes make system calls of their own", NULL);
#endif
#if defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	tl_skip("the sanitizers' runtimes make system calls of their own", NULL);
# endif
#endif
	if (tl_under_valgrind())
		tl_skip("seccomp filters under valgrind", NULL);
}

/* MR_SYSCALLS_TRACE=1: every scenario unfiltered, between markers. */
static int trace_all(void)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < NSCENARIOS; i++) {
		int rc = run_one(scenarios[i].name, 0, 1);

		if (rc) {
			fprintf(stderr, "%s: exit %d\n", scenarios[i].name, rc);
			bad = 1;
		}
	}
	return bad;
}

int main(void)
{
	Suite *s;
	TCase *tc;

	if (getenv("MR_SYSCALLS_TRACE")) {
		tracing = 1;
		tl_require(MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL |
			   MRELEASE_HAVE_PROCESS_MRELEASE);
		return trace_all();
	}
	s = suite_create("syscalls");
	tc = tcase_create("syscalls");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_lines_have_scenarios);
	tcase_add_test(tc, t_every_symbol_listed);
	tcase_add_loop_test(tc, t_allowed, 0, (int)NSCENARIOS);
	tcase_add_loop_test(tc, t_reap_eperm, 0,
			    (int)(sizeof(refusable) / sizeof(refusable[0])));
	tcase_add_loop_test(tc, t_reap_enosys, 0,
			    (int)(sizeof(refusable) / sizeof(refusable[0])));
	suite_add_tcase(s, tc);
	return tl_main(s, MRELEASE_HAVE_PIDFD_OPEN | MRELEASE_HAVE_PIDFD_KILL |
			  MRELEASE_HAVE_PROCESS_MRELEASE, need);
}
