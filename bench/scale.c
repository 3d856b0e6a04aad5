/*
 * scale.c - scenario 8: the time of one reap among many processes
 *
 * SPDX-License-Identifier: MIT
 *
 * The seed's worry: process_mrelease(2) asks task_will_free_mem() whether
 * the victim's mm will be freed, and when the mm has more than one user
 * that walks every process of the machine (for_each_process) looking for
 * another one that shares it.  So the time of one reap is measured with
 * 0 and then opt.scale_levels idle processes added to the machine (1k,
 * 10k, 30k: sleeping children of one spawner, in their own cgroup), for
 *   one     a single-threaded victim (its mm has one user: no walk);
 *   pair    a victim sharing its mm with one CLONE_VM child (the walk);
 * and, with none added, for
 *   shared  a victim sharing its mm with opt.scale_sharers - 1 CLONE_VM
 *           children, every one of them killed.
 * Each victim holds opt.scale_size; it is held where it cannot run (a
 * SCHED_FIFO busy loop on its CPU, as scenario 2) and killed by
 * cgroup.kill; the time is that of the process_mrelease() call alone.
 * The idle processes are bounded by pid_max and threads-max less the
 * tasks running and a margin for the machine, and by MemAvailable.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench.h"

#define SPARE_PIDS 2048			/* left to the rest of the machine */
#define IDLE_COST (256 * 1024)		/* bytes an idle process may take */

char scale_cg[PATH_MAX];	/* the idle processes */
char scale_vcg[PATH_MAX];	/* the victim and its sharers */
static pid_t spawner = -1;
static int cmd[2] = { -1, -1 }, ack[2] = { -1, -1 };
static int nidle;
static double idle_kib;		/* MemAvailable taken per idle process */
static int level_done[5];	/* idle processes present at each level */
static char cap_note[200];

/* ---- the idle processes ---------------------------------------------------- */

static void spawner_main(void)
{
	pid_t self = getpid();
	int n = 0, target;

	signal(SIGCHLD, SIG_IGN);	/* no zombies: the kernel reaps them */
	child_join(scale_cg);
	while (read_all(cmd[0], &target, sizeof(target), 3600000) == 0) {
		int e = 0;

		while (n < target) {
			pid_t pid = fork();

			if (pid == 0) {
				if (prctl(PR_SET_PDEATHSIG, SIGKILL) ||
				    getppid() != self)
					_exit(0);
				for (;;)
					pause();
			}
			if (pid < 0) {
				e = errno;
				break;
			}
			n++;
		}
		if (write_all(ack[1], e ? &e : &n, sizeof(n)))
			break;
		if (e)
			write_all(ack[1], &n, sizeof(n));
	}
	_exit(0);
}

static long read_long(const char *path)
{
	char buf[64];

	if (read_str(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/* Tasks on the machine: the 4th field of /proc/loadavg is running/total. */
static long tasks_now(void)
{
	char buf[128], *s;

	if (read_str("/proc/loadavg", buf, sizeof(buf)) <= 0)
		return -1;
	s = strchr(buf, '/');
	return s ? strtol(s + 1, NULL, 10) : -1;
}

static uint64_t mem_available(void)
{
	char *buf;
	uint64_t b = 0;
	ssize_t n = mr_read_at(AT_FDCWD, "/proc/meminfo", &buf);

	if (n < 0)
		return 0;
	if (mr_parse_meminfo_available(buf, (size_t)n, &b) < 0)
		b = 0;
	free(buf);
	return b;
}

/* How many idle processes may be added: the room under pid_max and
 * threads-max less SPARE_PIDS, and in MemAvailable less 2 GiB. */
static int idle_room(void)
{
	long pmax = read_long("/proc/sys/kernel/pid_max");
	long tmax = read_long("/proc/sys/kernel/threads-max");
	long tasks = tasks_now();
	long lim = pmax < tmax ? pmax : tmax;
	uint64_t avail = mem_available();
	long room = lim - tasks - SPARE_PIDS + nidle;
	long mroom = avail > 2 * (uint64_t)GiB ?
		     (long)((avail - 2 * (uint64_t)GiB) / IDLE_COST) + nidle : 0;

	if (mroom < room) {
		strf(cap_note, sizeof(cap_note), "MemAvailable %.1f GiB less "
		     "2 GiB at %d KiB a process", avail / GiB,
		     IDLE_COST / 1024);
		room = mroom;
	} else {
		strf(cap_note, sizeof(cap_note), "%s %ld less %ld tasks "
		     "running and %d spare", pmax < tmax ? "pid_max" :
		     "threads-max", lim, tasks - nidle, SPARE_PIDS);
	}
	return room < 0 ? 0 : (int)room;
}

static int grow_idle(int target)
{
	int got;

	if (write_all(cmd[1], &target, sizeof(target)) ||
	    read_all(ack[0], &got, sizeof(got), 600000))
		return -1;
	if (got < target) {	/* an errno, then the count */
		int e = got;

		if (read_all(ack[0], &got, sizeof(got), 1000) == 0)
			nidle = got;
		errno = e;
		return -1;
	}
	nidle = got;
	return 0;
}

static int idle_start(void)
{
	strf(scale_cg, sizeof(scale_cg), "%s/idle", g.cg2_dir);
	if (mkdir(scale_cg, 0755)) {
		scale_cg[0] = 0;
		return -1;
	}
	if (pipe2(cmd, O_CLOEXEC) || pipe2(ack, O_CLOEXEC))
		return -1;
	spawner = fork_child();
	if (spawner == 0) {
		close(cmd[1]);
		close(ack[0]);
		spawner_main();
	}
	close(cmd[0]);
	close(ack[1]);
	cmd[0] = ack[1] = -1;
	return spawner < 0 ? -1 : 0;
}

static void idle_stop(void)
{
	int fd;

	if (scale_cg[0]) {
		cg_killfile(scale_cg);
		fd = open(scale_cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			mr_cg_wait_empty(fd, 60000);
			close(fd);
		}
	}
	if (spawner > 0)
		kid_kill(spawner);
	spawner = -1;
	if (scale_cg[0] && rmdir(scale_cg) == 0)
		scale_cg[0] = 0;
	if (cmd[1] >= 0)
		close(cmd[1]);
	if (ack[0] >= 0)
		close(ack[0]);
	cmd[1] = ack[0] = -1;
	nidle = 0;
}

/* ---- the victim and its sharers ------------------------------------------- */

static int sharer(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
#ifdef SYS_ppoll
		syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
#else
		pause();
#endif
	return 0;
}

#define SHARER_STACK (64 * 1024)

struct share {
	size_t bytes;
	int nshare;
};

static int share_prep(void *arg)
{
	const struct share *sh = arg;
	char *stacks;
	int i;

	child_join(g.memcg_dir);
	child_join(scale_vcg);
	if (pin_to(g.victim_cpu) || !map_and_touch(sh->bytes))
		return errno;
	if (sh->nshare < 2)
		return 0;
	stacks = mmap(NULL, (size_t)sh->nshare * SHARER_STACK,
		      PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stacks == MAP_FAILED)
		return errno;
	for (i = 1; i < sh->nshare; i++)
		if (clone(sharer, stacks + (size_t)i * SHARER_STACK,
			  CLONE_VM | SIGCHLD, NULL) < 0)
			return errno;
	return 0;
}

static void share_hold(void *arg)
{
	(void)arg;
	for (;;)
		pause();
}

/* The victim: in g.cg2_dir (and the memory group), on the victim's CPU,
 * holding bytes, with nshare - 1 CLONE_VM children that share its mm. */
static pid_t share_victim(size_t bytes, int nshare, int *pidfd)
{
	struct share sh = { bytes, nshare };
	pid_t pid = spawn_ready(share_prep, share_hold, &sh, 120000);

	if (pid < 0)
		return -1;
	*pidfd = raw_pidfd_open(pid);
	if (*pidfd < 0) {
		kid_kill(pid);
		return -1;
	}
	return pid;
}

static void measure_reap(int mode, int rep)
{
	int nshare = mode == M_SC_ONE ? 1 : mode == M_SC_PAIR ? 2 :
		     opt.scale_sharers;
	struct run *r = new_run(SC_SCALE, mode, (size_t)nidle, rep, false);
	pid_t pid, hog = -1, *pids = NULL;
	int pidfd = -1, dirfd = -1, err = 0, i, rc;
	size_t n = 0;
	int64_t t0, t1;
	double c0;

	r->procs = nshare;
	pid = share_victim(opt.scale_size, nshare, &pidfd);
	if (pid < 0) {
		strf(r->status, sizeof(r->status), "victim: %s",
		     strerror(errno));
		goto out;
	}
	dirfd = open(scale_vcg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Every sharer listed (and so alive) before the kill. */
	for (i = 0; i < 2000 && dirfd >= 0; i++) {
		free(pids);
		pids = NULL;
		if (mr_cg_read_pids(dirfd, &pids, &n) == 0 &&
		    (int)n >= nshare)
			break;
		sleep_ms(1);
	}
	if ((int)n < nshare) {
		strf(r->status, sizeof(r->status), "%zu of %d listed", n,
		     nshare);
		goto out;
	}
	if (g.fifo_ok) {
		hog = hog_start(g.victim_cpu, true, &err);
		if (hog < 0) {
			strf(r->status, sizeof(r->status), "hog: %s",
			     strerror(err));
			goto out;
		}
		sleep_ms(100);
	}
	if (cg_killfile(scale_vcg)) {
		strf(r->status, sizeof(r->status), "kill: %s",
		     strerror(errno));
		goto out;
	}
	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now_ns();
	rc = raw_process_mrelease(pidfd);
	t1 = now_ns();
	r->kcpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	r->free_ms = (t1 - t0) / 1e6;
	r->killed = nshare;
	r->reaped = rc == 0;
	r->ok = rc == 0;
	if (rc)
		strf(r->status, sizeof(r->status), "process_mrelease: %s",
		     strerror(errno));
out:
	if (hog > 0)
		kid_kill(hog);
	if (pid > 0) {
		kill(pid, SIGKILL);
		cg_killfile(scale_vcg);
		if (dirfd >= 0)
			mr_cg_wait_empty(dirfd, 60000);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		kid_del(pid);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (dirfd >= 0)
		close(dirfd);
	free(pids);
	if (r->ok)
		strf(r->status, sizeof(r->status), "ok");
	else if (!r->status[0])
		strf(r->status, sizeof(r->status), "failed");
	progress(r);
}

static void reps_at_level(bool shared)
{
	int rep;

	for (rep = 0; rep < opt.scale_reps; rep++) {
		measure_reap(rep % 2 ? M_SC_PAIR : M_SC_ONE, rep);
		measure_reap(rep % 2 ? M_SC_ONE : M_SC_PAIR, rep);
		if (shared)
			measure_reap(M_SC_SHARED, rep);
	}
}

void run_scale(void)
{
	uint64_t before;
	int i, room;

	if (!g.cg2_dir[0]) {
		note_skip("scale (scenario 8): %s", g.cg2_why);
		return;
	}
	if (!g.fifo_ok)
		note_skip("scale (scenario 8): no SCHED_FIFO hold (%s): the "
			  "victims may exit while they are reaped",
			  g.fifo_why[0] ? g.fifo_why : "not set up");
	pin_to(g.killer_cpu);
	strf(scale_vcg, sizeof(scale_vcg), "%s/reap", g.cg2_dir);
	if (mkdir(scale_vcg, 0755)) {
		note_skip("scale (scenario 8): %s: %s", scale_vcg,
			  strerror(errno));
		scale_vcg[0] = 0;
		return;
	}
	level_done[0] = 0;
	reps_at_level(true);
	if (idle_start()) {
		note_skip("scale (scenario 8): no spawner: %s",
			  strerror(errno));
		idle_stop();
		return;
	}
	before = mem_available();
	for (i = 0; i < opt.scale_nlevels; i++) {
		int want_n = opt.scale_levels[i];

		room = idle_room();
		if (want_n > room) {
			note_skip("scale: %d idle processes asked, %d added "
				  "(%s)", want_n, room, cap_note);
			want_n = room;
		}
		if (want_n > nidle && grow_idle(want_n)) {
			note_skip("scale: fork stopped at %d idle processes "
				  "(%s)", nidle, strerror(errno));
		}
		level_done[i + 1] = nidle;
		if (nidle)
			idle_kib = (double)(before - mem_available()) / 1024 /
				   nidle;
		logf_("scale: %d idle processes, %.0f KiB each\n", nidle,
		      idle_kib);
		reps_at_level(false);
	}
	idle_stop();
	if (rmdir(scale_vcg) == 0)
		scale_vcg[0] = 0;
}

/* ---- its table ------------------------------------------------------------ */

void print_scale(void)
{
	struct stat3 one0, pair0, sh, shc, c1, c2;
	char a[96], b[96], c[96], d[96];
	int i;

	one0 = summarize(SC_SCALE, M_SC_ONE, 0, 0, F_FREE);
	pair0 = summarize(SC_SCALE, M_SC_PAIR, 0, 0, F_FREE);
	/* The cost per process from the killer's CPU time: exact, and not
	 * lengthened by the tasks that take the killer's CPU meanwhile. */
	c1 = summarize(SC_SCALE, M_SC_ONE, 0, 0, F_KCPU);
	c2 = summarize(SC_SCALE, M_SC_PAIR, 0, 0, F_KCPU);
	if (!one0.n && !pair0.n)
		return;
	out("\nScenario 8: one process_mrelease() among many processes "
	    "(victim %zu MiB, held by a SCHED_FIFO loop on its CPU, killed by "
	    "cgroup.kill; ms, median [min-max] of %d)\n",
	    opt.scale_size >> 20, opt.scale_reps);
	out("%-16s %-22s %-22s %-18s %-18s %s\n", "idle processes",
	    "one (mm: 1 user)", "pair (2 share the mm)", "one: +ns/process",
	    "pair: +ns/process", "grows? pair / none");
	out("%-16s %-22s %-22s %-18s %-18s %s\n", "added", "", "",
	    "(CPU time)", "(CPU time)", "(CPU time)");
	for (i = 0; i <= opt.scale_nlevels; i++) {
		size_t k = (size_t)level_done[i];
		struct stat3 o = summarize(SC_SCALE, M_SC_ONE, k, 0, F_FREE);
		struct stat3 p = summarize(SC_SCALE, M_SC_PAIR, k, 0, F_FREE);
		struct stat3 oc = summarize(SC_SCALE, M_SC_ONE, k, 0, F_KCPU);
		struct stat3 pc = summarize(SC_SCALE, M_SC_PAIR, k, 0, F_KCPU);
		char ks[32], g1[32] = "-", g2[32] = "-", gr[48] = "-";

		if (i && k == (size_t)level_done[i - 1])
			continue;
		if (!o.n && !p.n)
			continue;
		fmt_stat(a, sizeof(a), o, "");
		fmt_stat(b, sizeof(b), p, "");
		if (k && oc.n && c1.n)
			strf(g1, sizeof(g1), "%.1f",
			     (oc.med - c1.med) * 1e6 / (double)k);
		if (k && pc.n && c2.n) {
			double x = pc.med / c2.med;

			strf(g2, sizeof(g2), "%.1f",
			     (pc.med - c2.med) * 1e6 / (double)k);
			/* "yes" only beyond the spread of the runs */
			strf(gr, sizeof(gr), "%s (x%.2f)",
			     x > 1.2 && pc.min > c2.max ? "yes" : "no", x);
		}
		strf(ks, sizeof(ks), "+%zu", k);
		out("%-16s %-22s %-22s %-18s %-18s %s\n", ks, a, b, g1, g2, gr);
	}
	sh = summarize(SC_SCALE, M_SC_SHARED, 0, 0, F_FREE);
	shc = summarize(SC_SCALE, M_SC_SHARED, 0, 0, F_KCPU);
	if (sh.n) {
		fmt_stat(c, sizeof(c), sh, " ms");
		fmt_stat(d, sizeof(d), shc, " ms");
		out("%d processes sharing one mm (CLONE_VM children), all "
		    "killed: %s (CPU %s); +%.0f ns of CPU per sharing process "
		    "over the pair\n", opt.scale_sharers, c, d, c2.n ?
		    (shc.med - c2.med) * 1e6 / (opt.scale_sharers - 2) : NAN);
	}
	if (idle_kib > 0)
		out("(an idle process took %.0f KiB of MemAvailable)\n",
		    idle_kib);
}
