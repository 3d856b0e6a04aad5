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
 * call (callgrind instructions and nanoseconds).  See bench/README; the
 * files and their jobs are listed in bench/bench.h.
 *
 * This file: the options, the setup (CPUs, SCHED_FIFO, cgroups) and main().
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
#include "bench.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* ---- options and global state ----------------------------------------- */

const char *const sc_name[SC_N] = {
	"idle", "busy", "floor", "cgroup", "cgroup-busy", "lmkd", "lmkd-busy",
	"scale", "calls"
};
const char *const m_name[M_N] = {
	"plain", "mrelease_kill", "raw", "munmap",
	"cgroup.kill+wait", "oomd", "cgroup.kill-then-reap", "kill_cgroup/P",
	"kill_cgroup/P-nofreeze", "kill_cgroup/1", "kill_cgroup/2",
	"kill_cgroup/4", "floor/P", "floor/1",
	"reaper/1", "reaper/2", "reaper/4",
	"one", "pair", "shared"
};
const char *const m_label[M_N] = {
	"plain kill+wait", "mrelease_kill()", "raw kill+mrelease", "munmap floor",
	"cgroup.kill + wait (systemd-oomd)",
	"oomd's pattern: freeze, cgroup.kill, reap each",
	"cgroup.kill first, reap after (no freeze)",
	"mrelease_kill_cgroup, P threads",
	"mrelease_kill_cgroup, P, MRELEASE_NO_FREEZE",
	"mrelease_kill_cgroup, 1 thread", "mrelease_kill_cgroup, 2 threads",
	"mrelease_kill_cgroup, 4 threads",
	"munmap floor, P tasks", "munmap floor, 1 task",
	"reaper, 1 worker", "reaper, 2 workers", "reaper, 4 workers",
	"one process (its mm has 1 user)", "two processes sharing the mm",
	"N processes sharing the mm"
};

struct bench_opt opt;
struct bench_state g;
char skipped[4096];
int64_t start_ns;

void strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

void note_skip(const char *fmt, ...)
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

void logf_(const char *fmt, ...)
{
	va_list ap;

	if (!g.log)
		return;
	va_start(ap, fmt);
	vfprintf(g.log, fmt, ap);
	va_end(ap);
	fflush(g.log);
}

bool want(int sc)
{
	return !opt.only || (opt.only & (1U << sc));
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

/* ---- the estimate ---------------------------------------------------------- */

/* Seconds to map and touch bytes (the first touch of a lazily
 * initialised guest is slower: not counted). */
static double touch_s(double bytes)
{
	return bytes / GiB * 0.7;	/* 0.5-0.9 s/GiB measured, quiet */
}

double estimate_seconds(void)
{
	double t = 0, settle = opt.settle_ms / 1e3;
	int i, k, rep, sc, order[8], modes[16], nm;

	for (i = 0; i < opt.nsizes; i++)
		for (rep = 0; rep < opt.reps + opt.sampled_reps; rep++) {
			int n = rotate_modes(rep >= opt.reps, order);
			double gib = opt.sizes[i] / GiB;

			for (k = 0; k < n; k++) {
				t += settle + touch_s(opt.sizes[i]) + 0.05;
				if ((order[k] >> 8) == SC_BUSY)
					/* the victim exits in its next slice */
					t += 0.2 + 0.8 + ((order[k] & 0xff) ==
						M_PLAIN ? 0.55 * gib : 0);
				else
					t += 0.04 * gib;
			}
		}
	nm = cg_modes(modes);
	for (sc = SC_CGROUP; sc <= SC_CGBUSY && !opt.demo; sc++) {
		if (!want(sc))
			continue;
		for (i = 0; i < opt.cg_nsizes; i++) {
			double total = (double)opt.cg_procs * opt.cg_sizes[i];

			t += opt.cg_reps * nm *
			     (settle + touch_s(total) + opt.cg_procs * 0.004 +
			      0.1 + 0.05 * total / GiB +
			      (sc == SC_CGBUSY ? 0.2 + 0.8 : 0));
		}
	}
	for (sc = SC_LMKD; sc <= SC_LMKDBUSY && !opt.demo; sc++)
		if (want(sc))
			t += opt.lmkd_reps * 3 *
			     (settle + touch_s((double)opt.lmkd_procs *
					       opt.lmkd_size) +
			      opt.lmkd_procs * 0.005 + 0.2 +
			      (sc == SC_LMKDBUSY ? 0.2 + 1.0 : 0));
	if (!opt.demo && want(SC_SCALE)) {
		double per = 0.1 + 0.05 + touch_s(opt.scale_size);

		t += (1 + opt.scale_nlevels) * opt.scale_reps * 2 * per;
		t += opt.scale_reps * (per + opt.scale_sharers * 0.0002);
		for (k = 0, i = 0; i < opt.scale_nlevels; i++)
			if (opt.scale_levels[i] > k)
				k = opt.scale_levels[i];
		t += opt.scale_nlevels ? k * 0.0003 + 2 : 0;
	}
	if (!opt.demo && want(SC_CALLS))
		t += C_N * opt.call_rounds * opt.call_iters * 400e-9 +
		     (opt.callgrind ? 30 : 0);
	return t;
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

/* "1k,10k,30k" or "1000,10000": counts; 0 when malformed. */
static int parse_counts(const char *list, int *v, int max)
{
	char *dup = strdup(list), *tok, *save = NULL, *e;
	int n = 0;

	for (tok = strtok_r(dup, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save)) {
		double x = strtod(tok, &e);

		if (*e == 'k' || *e == 'K')
			x *= 1000, e++;
		if (e == tok || *e || x < 1 || x > 1e6) {
			n = 0;
			break;
		}
		v[n++] = (int)x;
	}
	free(dup);
	return n;
}

static int parse_sizes(const char *list, size_t *v, int max)
{
	char *dup = strdup(list), *tok, *save = NULL;
	int n = 0;

	for (tok = strtok_r(dup, ",", &save); tok && n < max;
	     tok = strtok_r(NULL, ",", &save))
		if (!(v[n++] = parse_size(tok))) {
			n = 0;
			break;
		}
	free(dup);
	return n;
}

static void usage(FILE *f)
{
	fputs("usage: mrelease-bench [options]\n"
	      "  --sizes LIST      victim sizes, e.g. 1G,4G,8G (default)\n"
	      "  --reps N          repetitions (default 3)\n"
	      "  --sampled-reps N  extra repetitions with the memcg sampler "
	      "(default 1)\n"
	      "  --settle MS       pause before each kill (default 500)\n"
	      "  --only LIST       idle,busy,floor,cgroup,cgroup-busy,lmkd,\n"
	      "                    lmkd-busy,scale,calls\n"
	      "  --cgroup-procs N  --cgroup-sizes LIST  (default 32 x 32M,128M)\n"
	      "  --cgroup-reps N   repetitions of scenario 4 (default 2)\n"
	      "  --lmkd-procs N  --lmkd-size SIZE  --lmkd-reps N  (200 x 8M, 2)\n"
	      "  --scale-levels LIST  idle processes added (default 1k,10k,30k)\n"
	      "  --scale-sharers N  --scale-size SIZE  --scale-reps N\n"
	      "                    (default 1000, 4M, 3)\n"
	      "  --out DIR         results directory (default bench-results)\n"
	      "  --plot-script F   the gnuplot script\n"
	      "  --no-callgrind    do not count instructions\n"
	      "  --demo            busy victim, 1 GiB: plain vs mrelease_kill "
	      "vs munmap\n"
	      "  --smoke           tiny sizes, one repetition (make check)\n"
	      "  --estimate        print the estimated duration and exit\n",
	      f);
}

/* An option the command line left unset (-1, NULL) takes d. */
static void def_int(int *v, int d)
{
	if (*v < 0)
		*v = d;
}

static void def_str(const char **v, const char *d)
{
	if (!*v)
		*v = d;
}

/* "idle,busy,...": a bit per scenario of sc_name into *only; -1 when a
 * name is unknown. */
static int parse_only(const char *list, unsigned int *only)
{
	char *dup = strdup(list), *tok, *save = NULL;
	int k = 0;

	for (tok = strtok_r(dup, ",", &save); tok && k < SC_N;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < SC_N; k++)
			if (!strcmp(tok, sc_name[k]))
				break;
		if (k == SC_N)
			fprintf(stderr, "unknown scenario: %s\n", tok);
		else
			*only |= 1U << k;
	}
	free(dup);
	return k == SC_N ? -1 : 0;
}

/* The command line, one row per option: what its argument is, and where
 * it goes. */
enum arg_kind { A_INT, A_SIZE, A_STR, A_TRUE, A_FALSE, A_ONLY, A_CHILD,
		A_HELP };
struct arg {
	const char *name;
	enum arg_kind kind;
	void *to;
};

/* One argument into a->to: 0, 1 for --help, -1 when malformed. */
static int take_arg(const struct arg *a, const char *v)
{
	char *e;
	long n;

	switch (a->kind) {
	case A_INT:
		errno = 0;
		n = strtol(v, &e, 10);
		if (e == v || *e || errno || n < 0 || n > INT_MAX)
			return -1;
		*(int *)a->to = (int)n;
		return 0;
	case A_SIZE:
		return (*(size_t *)a->to = parse_size(v)) ? 0 : -1;
	case A_STR:
		*(const char **)a->to = v;
		return 0;
	case A_TRUE:
	case A_FALSE:
		*(bool *)a->to = a->kind == A_TRUE;
		return 0;
	case A_ONLY:
		return parse_only(v, &opt.only);
	case A_CHILD:
		*(const char **)a->to = v;
		return 0;
	case A_HELP:
		return 1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *sizes = NULL, *cg_sizes = NULL, *levels = NULL;
	const char *child = NULL;
	bool estimate_only = false;
	const struct arg args[] = {
		{ "sizes", A_STR, &sizes },
		{ "reps", A_INT, &opt.reps },
		{ "sampled-reps", A_INT, &opt.sampled_reps },
		{ "settle", A_INT, &opt.settle_ms },
		{ "only", A_ONLY, NULL },
		{ "cgroup-procs", A_INT, &opt.cg_procs },
		{ "cgroup-size", A_STR, &cg_sizes },
		{ "cgroup-sizes", A_STR, &cg_sizes },
		{ "cgroup-reps", A_INT, &opt.cg_reps },
		{ "lmkd-procs", A_INT, &opt.lmkd_procs },
		{ "lmkd-size", A_SIZE, &opt.lmkd_size },
		{ "lmkd-reps", A_INT, &opt.lmkd_reps },
		{ "scale-levels", A_STR, &levels },
		{ "scale-sharers", A_INT, &opt.scale_sharers },
		{ "scale-size", A_SIZE, &opt.scale_size },
		{ "scale-reps", A_INT, &opt.scale_reps },
		{ "out", A_STR, &opt.outdir },
		{ "plot-script", A_STR, &opt.plot_script },
		{ "no-callgrind", A_FALSE, &opt.callgrind },
		{ "demo", A_TRUE, &opt.demo },
		{ "smoke", A_TRUE, &opt.smoke },
		{ "estimate", A_TRUE, &estimate_only },
		{ "callgrind-child", A_CHILD, &child },
		{ "help", A_HELP, NULL },
	};
	struct option lo[MR_ARRAY_SIZE(args) + 1];
	char plot_note[PATH_MAX + 64] = "";
	int c, i, rep, r;
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
	opt.cg_reps = -1;
	opt.lmkd_procs = 200;
	opt.lmkd_size = 8 << 20;
	opt.lmkd_reps = -1;
	opt.scale_sharers = 1000;
	opt.scale_size = 4 << 20;
	opt.scale_reps = -1;
	memset(lo, 0, sizeof(lo));
	for (i = 0; i < (int)MR_ARRAY_SIZE(args); i++) {
		lo[i].name = args[i].name;
		lo[i].has_arg = args[i].kind == A_TRUE ||
				args[i].kind == A_FALSE ||
				args[i].kind == A_HELP ? no_argument :
				required_argument;
	}
	while ((c = getopt_long(argc, argv, "h", lo, &i)) != -1) {
		if (c == 'h')
			r = 1;
		else if (c == 0)
			r = take_arg(&args[i], optarg);
		else
			r = -1;
		if (r) {
			usage(r > 0 ? stdout : stderr);
			return r > 0 ? 0 : 2;
		}
		if (child)
			return callgrind_child(atol(child));
	}
	if (optind != argc || opt.cg_procs < 1 || opt.cg_procs > 256 ||
	    opt.lmkd_procs < 1 || opt.lmkd_procs > 400 || !opt.lmkd_size ||
	    opt.scale_sharers < 3 || opt.scale_sharers > 10000 ||
	    !opt.scale_size) {
		usage(stderr);
		return 2;
	}
	if (opt.smoke) {
		def_str(&sizes, "16M");
		def_int(&opt.reps, 1);
		def_int(&opt.sampled_reps, 1);
		def_int(&opt.settle_ms, 0);
		opt.cg_procs = 4;
		def_str(&cg_sizes, "2M,4M");
		def_int(&opt.cg_reps, 1);
		opt.lmkd_procs = 8;
		opt.lmkd_size = 1 << 20;
		def_int(&opt.lmkd_reps, 1);
		def_str(&levels, "20,50");
		opt.scale_sharers = 10;
		opt.scale_size = 1 << 20;
		def_int(&opt.scale_reps, 1);
		opt.call_iters = 2000;
		opt.call_rounds = 3;
		opt.plain_timeout_ms = 20000;
	}
	if (opt.demo) {
		def_str(&sizes, "1G");
		def_int(&opt.reps, 5);
		def_int(&opt.sampled_reps, 1);
		def_int(&opt.settle_ms, 300);
		opt.only = 1U << SC_BUSY | 1U << SC_FLOOR;
	}
	def_str(&sizes, "1G,4G,8G");
	def_str(&cg_sizes, "32M,128M");
	def_str(&levels, "1k,10k,30k");
	def_int(&opt.cg_reps, 2);
	def_int(&opt.lmkd_reps, 2);
	def_int(&opt.scale_reps, 3);
	if (!(opt.cg_nsizes = parse_sizes(cg_sizes, opt.cg_sizes, 4)) ||
	    !(opt.scale_nlevels = parse_counts(levels, opt.scale_levels, 4)) ||
	    opt.cg_reps < 1 || opt.cg_reps > 100 || opt.lmkd_reps < 1 ||
	    opt.lmkd_reps > 100 || opt.scale_reps < 1 ||
	    opt.scale_reps > 100) {
		usage(stderr);
		return 2;
	}
	def_int(&opt.reps, 3);
	def_int(&opt.sampled_reps, 1);
	def_int(&opt.settle_ms, 500);
	if (!opt.call_iters) {
		opt.call_iters = 200000;
		opt.call_rounds = 11;
	}
	if (!opt.plain_timeout_ms)
		opt.plain_timeout_ms = 60000;
	if (!(opt.nsizes = parse_sizes(sizes, opt.sizes, 8))) {
		fprintf(stderr, "bad --sizes: %s\n", sizes);
		return 2;
	}
	if (opt.reps < 1 || opt.reps > 100 || opt.sampled_reps > 100) {
		usage(stderr);
		return 2;
	}

	if (estimate_only) {
		/* As if everything were allowed: root, FIFO, both cgroups. */
		unsigned int n = mr_online_cpus();

		g.cg_threads = n > 4 ? 4 : n;
		g.fifo_ok = true;
		printf("estimated duration: %.1f min\n",
		       estimate_seconds() / 60);
		return 0;
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
	}
	report_open();

	setup_cpus();
	{
		/* The library's default (mr_default_threads()): the
		 * online CPUs, not those of this pinned thread. */
		unsigned int n = mr_online_cpus();

		g.cg_threads = n > 4 ? 4 : n;
	}
	if (want(SC_BUSY) || want(SC_SCALE) || opt.demo)
		setup_fifo();
	if (!g.fifo_ok && (want(SC_BUSY) || opt.demo))
		note_skip("busy victim CPU (scenario 2): %s", g.fifo_why);
	if (!g.fifo_ok && opt.demo)
		opt.only |= 1U << SC_IDLE;	/* show what can be shown */
	/* The demo too: its plot is the memory cgroup's charge over time. */
	setup_memcg();
	if (!g.memcg_dir[0])
		note_skip("system view (memcg -95%%, memory over time): %s",
			  g.memcg_why);
	if (!opt.demo) {
		if (want(SC_CGROUP) || want(SC_CGBUSY) || want(SC_SCALE)) {
			setup_cg2();
			if (!g.cg2_dir[0])
				note_skip("cgroup of %d (scenario 4), scale "
					  "(8): %s", opt.cg_procs, g.cg2_why);
		}
	}
	if (!g.memcg_dir[0])
		opt.sampled_reps = 0;

	print_header();
	out("estimated duration: %.1f min (a quiet 2-CPU machine: the "
	    "victims' setup, the settle pauses, the kills and the waits)\n",
	    estimate_seconds() / 60);
	fprintf(stderr, "measuring");
	for (i = 0; i < opt.nsizes; i++)
		for (rep = 0; rep < opt.reps + opt.sampled_reps; rep++)
			rotate_run(rep, rep >= opt.reps, opt.sizes[i]);
	if (!opt.demo && (want(SC_CGROUP) || want(SC_CGBUSY)) && g.cg2_dir[0])
		run_cgroup_reps();
	if (!opt.demo && (want(SC_LMKD) || want(SC_LMKDBUSY)))
		run_lmkd();
	if (!opt.demo && want(SC_SCALE))
		run_scale();
	if (!opt.demo && want(SC_CALLS))
		run_calls();
	fprintf(stderr, " %.0f s\n", (now_ns() - start_ns) / 1e9);
	out("measured in %.1f min\n", (now_ns() - start_ns) / 60e9);
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
		for (i = 0; i < opt.cg_nsizes; i++)
			print_cgroup(SC_CGROUP, opt.cg_sizes[i]);
		for (i = 0; i < opt.cg_nsizes; i++)
			print_cgroup(SC_CGBUSY, opt.cg_sizes[i]);
		print_lmkd();
		print_scale();
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
	report_close();
	if (g.log)
		fclose(g.log);
	return 0;
}
