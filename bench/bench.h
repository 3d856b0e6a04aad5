/*
 * bench.h - what the files of mrelease-bench share
 *
 * SPDX-License-Identifier: MIT
 *
 * The benchmark, one job per file (see bench/README for the method):
 *   mrelease-bench.c  options, setup (CPUs, FIFO, cgroups), main
 *   victims.c         children (registry, so nothing is left), victims,
 *                     the busy loop, raw syscalls
 *   meter.c           clocks, CPU time, the memory-cgroup sampler and the
 *                     memory-over-time curves it records
 *   scenarios.c       scenarios 1-3: one victim, the floor
 *   cgkill.c          scenario 4: a cgroup, its P-thread floor, the patterns
 *   lmkd.c            scenario 7: many small victims through the reaper
 *   scale.c           scenario 8: one reap among many processes
 *   calls.c           scenario 6: the cost of one call
 *   stats.c           the runs, medians, paired ratios, number formats
 *   report.c          the tables, the targets, the CSV files, the plots
 */
#ifndef MRELEASE_BENCH_H
#define MRELEASE_BENCH_H

#include <time.h>

#define MRELEASE_NO_SHORT_NAMES
#include "mrelease.h"
#include "syscall-nr.h"
#include "util.h"
#include "procparse.h"
#include "cgroup.h"

#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

/* glibc's own wrappers, to compare against (glibc 2.36+). */
#if defined(__GLIBC__)
# if __GLIBC_PREREQ(2, 36)
#  define HAVE_GLIBC_PIDFD 1
# endif
#endif
#ifndef HAVE_GLIBC_PIDFD
# define HAVE_GLIBC_PIDFD 0
#endif

#if defined(__has_include)
# if __has_include(<valgrind/callgrind.h>)
#  define HAVE_CALLGRIND_H 1
# endif
#endif
#ifndef HAVE_CALLGRIND_H
# define HAVE_CALLGRIND_H 0
#endif

#define MiB (1024.0 * 1024.0)
#define GiB (1024.0 * MiB)

/* ---- options and global state (mrelease-bench.c) ------------------------ */

enum { SC_IDLE, SC_BUSY, SC_FLOOR, SC_CGROUP, SC_CGBUSY, SC_LMKD,
       SC_LMKDBUSY, SC_SCALE, SC_CALLS, SC_N };
extern const char *const sc_name[SC_N];
#define IS_CG(sc) ((sc) == SC_CGROUP || (sc) == SC_CGBUSY)

enum { M_PLAIN, M_MRELEASE, M_RAW, M_MUNMAP,
       /* scenario 4: the patterns of killing a cgroup, and the floor */
       M_CG_KILLWAIT, M_CG_OOMD, M_CG_KILLFIRST, M_CG_LIB, M_CG_NOFREEZE,
       M_CG_LIB1, M_CG_LIB2, M_CG_LIB4, M_CG_FLOOR, M_CG_FLOOR1,
       /* scenario 7: the reaper with 1, 2 and 4 workers */
       M_LMKD1, M_LMKD2, M_LMKD4,
       /* scenario 8: one process, two sharing an mm, many sharing one */
       M_SC_ONE, M_SC_PAIR, M_SC_SHARED,
       M_N };
extern const char *const m_name[M_N];
extern const char *const m_label[M_N];
#define IS_CG_MODE(m) ((m) >= M_CG_KILLWAIT && (m) <= M_CG_FLOOR1)
/* The thread count of a kill_cgroup mode (M_CG_LIB: P), 0 for others. */
int cg_mode_threads(int m);
/* M_CG_LIB<n> is M_CG_LIB when n is P: measured once, under that name. */
int cg_mode(int m);

struct bench_opt {
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
	size_t cg_sizes[4];	/* per process; the cgroup holds procs x size */
	int cg_nsizes;
	int cg_reps;
	int lmkd_procs, lmkd_reps;
	size_t lmkd_size;
	int scale_levels[4];	/* idle processes added, e.g. 1k, 10k, 30k */
	int scale_nlevels;
	int scale_sharers, scale_reps;
	size_t scale_size;
	long call_iters, call_rounds;
	int plain_timeout_ms;
};
extern struct bench_opt opt;

struct bench_state {
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
	unsigned int cg_threads;	/* P: the cgroup kill's default count */
	FILE *log;			/* results/log.txt */
};
extern struct bench_state g;

extern char skipped[4096];
extern int64_t start_ns;

/* snprintf() that truncates silently (paths and notes here are short). */
void strf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line of the "Skipped:" list at the end of the table. */
void note_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A line of results/log.txt. */
void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool want(int sc);

/* ---- children and victims (victims.c) ----------------------------------- */

static inline int64_t now_ns(void)
{
	return (int64_t)mr_now_ns();
}
int write_str(const char *path, const char *s);
ssize_t read_str(const char *path, char *buf, size_t len);
void sleep_ms(int ms);
/* Pin the caller to cpu, or to every CPU when cpu < 0. */
int pin_to(int cpu);
int write_all(int fd, const void *p, size_t len);
/* Read exactly len bytes within timeout_ms; 0, or -1 (EOF, timeout). */
int read_all(int fd, void *p, size_t len, int timeout_ms);
int poll_in(int fd, int timeout_ms);
int mkdir_p(const char *dir);

int raw_pidfd_open(pid_t pid);
int raw_pidfd_kill(int pidfd, int sig);
int raw_process_mrelease(int pidfd);
/* The sequence mrelease_kill() makes, written with raw syscalls: 1 when
 * reaped, 0 when killed but not reaped, -1 when the kill failed. */
int raw_kill_and_reap(int pidfd);

void kid_add(pid_t pid);
void kid_del(pid_t pid);
/* SIGKILL a child by its pid and wait for it. */
void kid_kill(pid_t pid);
void remove_cgroups(void);
/* Async-signal-safe: kill, waitpid, close and rmdir only. */
void cleanup_all(void);
void on_signal(int sig);
/* fork() a child that dies with us. */
pid_t fork_child(void);
pid_t spawn_ready(int (*prep)(void *), void (*hold)(void *), void *arg,
		  int timeout_ms);

struct victim {
	pid_t pid;
	int pidfd;
	int rfd;
	double setup_cpu_ms;
};
/* In a child: join the cgroup dir (cgroup.procs), or _exit(2). */
void child_join(const char *dir);
void *map_and_touch(size_t bytes);
int victim_start(struct victim *v, size_t bytes, int cpu, int niceval,
		 const char *cg2);
int victim_ready(struct victim *v, size_t bytes);
/* The state letter of /proc/<pid>/stat, 0 if unknown. */
char proc_state(pid_t pid);
void victim_finish(struct victim *v, double *exit_cpu_ms);
void victim_abort(struct victim *v);
/* A busy loop pinned to cpu: SCHED_FIFO 50 (fifo), else nice 0. */
pid_t hog_start(int cpu, bool fifo, int *err);
/* The loaded machine (scenarios 4b, 7b): a nice-0 busy loop on each CPU
 * and the calling thread at nice -10 (the victims set nice 19), so that
 * the victims can hardly run and the killer's threads, which inherit its
 * nice value, can.  Nothing when !loaded.  0, or -1 with the reason. */
struct loadenv {
	pid_t hogs[2];
	bool niced;
};
int load_start(bool loaded, struct loadenv *e, char *why, size_t len);
void load_stop(struct loadenv *e);

/* ---- meter: clocks and the memory-cgroup sampler (meter.c) -------------- */

double clock_ms(clockid_t c);
double rusage_ms(const struct rusage *ru);
extern long self_nivcsw;
/* getrusage(RUSAGE_SELF) in ms; sets self_nivcsw. */
double self_rusage_ms(void);
struct run;
struct cost {
	double cpu0, ru0;
	long iv0;
};
void cost_start(struct cost *c);
/* Sets r's free_ms (t1 - t0), kcpu_ms, kru_ms and nivcsw. */
void cost_end(const struct cost *c, struct run *r, int64_t t0, int64_t t1);

#define MAX_SAMPLES (1 << 16)
struct sampbuf {
	volatile int stop;
	volatile int ready;
	volatile int n;
	int pad;
	struct { int64_t t, v; } s[MAX_SAMPLES];
};
extern struct sampbuf *sb;	/* MAP_SHARED, set up by main() */

/* A SCHED_FIFO 60 child on the killer's CPU reading usage_path every ms. */
pid_t sampler_start(const char *usage_path);
void sampler_stop(pid_t pid);
/* ms from t0 until the charge fell by frac of bytes; NAN if it never did. */
double sampler_drop_ms(int64_t t0, double bytes, double frac);

/* The charge over time of one sampled run: ms after t0, MiB. */
struct curve {
	int n;
	float *ms, *mib;
};
/* A copy of the samples from 5 ms before t0 on; NULL if none. */
struct curve *sampler_curve(int64_t t0);
void curve_free(struct curve *c);

/* ---- the runs and their statistics (stats.c) ---------------------------- */

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
	double lat50_ms;	/* the reaper: submit to completion, median */
	double lat99_ms;	/* and 99th percentile */
	double vps;		/* victims per second */
	int procs;		/* victims (scale: idle processes added) */
	int killed, reaped, gone, failed;
	int reap_errno;		/* the cgroup kill's: why one was not reaped */
	char status[48];
	struct curve *curve;	/* sampled runs: the charge over time */
};
extern struct run *runs;
extern int nruns;

struct run *new_run(int sc, int mode, size_t n, int rep, bool sampled);
void size_str(char *buf, size_t len, size_t n);
/* The run's line in log.txt, a dot on stderr. */
void progress(const struct run *r);
void run_done(struct run *r);

struct stat3 {
	int n;
	double med, min, max;
};
int cmp_double(const void *a, const void *b);
/* Median, min, max of the non-NAN values of a (which it reorders). */
struct stat3 stat_of(double *a, int n);

enum { F_FREE, F_EXIT, F_EMPTY, F_SYS95, F_KCPU, F_KRU, F_VCPU, F_LIB,
       F_NIVCSW, F_LAT50, F_LAT99, F_VPS, F_REAPED, F_LAST = F_REAPED };
extern const char *const f_name[];
double field(const struct run *r, int f);
/* A field over the runs of (sc, mode, n) that succeeded; sampled: 0 the
 * killer-view runs, 1 the sampled ones, 2 both. */
struct stat3 summarize(int sc, int mode, size_t n, int sampled, int f);
const struct run *find_run(int sc, int mode, size_t n, int rep,
			   bool sampled);
/* The p-th percentile (0..100) of the non-NAN values of a (reordered). */
double percentile(double *a, int n, double p);
/* Paired ratio a/b of a field, per repetition; n == 0: every size. */
struct stat3 paired(int sca, int ma, int scb, int mb, size_t n,
		    bool sampled, int f);
void fmt_num(char *buf, size_t len, double v);
void fmt_stat(char *buf, size_t len, struct stat3 s, const char *unit);

/* ---- scenarios 1-3 (scenarios.c) ---------------------------------------- */

void measure_kill(int sc, int mode, size_t n, int rep, bool sampled);
void measure_floor(size_t n, int rep, bool sampled);
/* One repetition of scenarios 1-3 at size n, the order rotating. */
void rotate_run(int rep, bool sampled, size_t n);
/* The modes of one repetition of scenarios 1-3 (for the estimate). */
int rotate_modes(bool sampled, int *order);

/* ---- scenario 4: a cgroup (cgkill.c) ------------------------------------ */

/* The modes measured, in the order of the first repetition. */
int cg_modes(int *modes);
/* A cgroup of opt.cg_procs x size, killed by mode (or the floor). */
void measure_cgroup(int sc, int mode, size_t size, int rep, bool sampled);
void run_cgroup_reps(void);
/* cgroup.kill, or SIGKILL of each process listed where it is missing. */
int cg_killfile(const char *dir);

/* ---- scenario 7: lmkd's case (lmkd.c) ----------------------------------- */

void run_lmkd(void);

/* ---- scenario 8: scale (scale.c) ---------------------------------------- */

void run_scale(void);
/* The cgroups of the idle processes and of the victims, removed by
 * cleanup_all() ("" if none). */
extern char scale_cg[PATH_MAX], scale_vcg[PATH_MAX];

/* ---- scenario 6: the cost of one call (calls.c) ------------------------- */

enum { C_LOOP, C_GETPPID,
       C_MR_RAW, C_MR_LIB, C_MR_GLIBC,
       C_OPEN_RAW, C_OPEN_LIB, C_OPEN_GLIBC,
       C_KILL_RAW, C_KILL_LIB, C_KILL_GLIBC, C_N };
extern const char *const c_name[C_N];
extern double instr[C_N];	/* per iteration, NAN if not counted */
extern double cns_med[C_N], cns_min[C_N], cns_max[C_N];
extern char callgrind_note[256];

bool call_available(int c);
/* Under valgrind --tool=callgrind (--callgrind-child): one dump per
 * variant. */
int callgrind_child(long iters);
void run_callgrind(void);
void run_calls(void);

/* ---- the CSV files (csv.c) ---------------------------------------------- */

FILE *out_open(const char *name);
void csv_num(FILE *f, double v);
void write_runs_csv(void);
void write_summary_csv(void);
void write_calls_csv(void);

/* ---- the plots and their data (plots.c) --------------------------------- */

int write_plot_dat(void);
/* time-to-free.png, cgroup-time-to-free.png and the memory-over-time
 * plots; note: what was written, or why not. */
void make_plot(char *note, size_t len);
/* gnuplot script with datafile=dat and outfile=png (names in opt.outdir)
 * and, when not NULL, more -e settings (extra); 0, or -1 with the reason
 * in note.  The hook for more plots. */
int run_gnuplot(const char *script, const char *dat, const char *png,
		const char *extra, char *note, size_t len);
/* One series of an over-time plot: the first sampled run of (sc, mode)
 * at size n that has a curve. */
struct series {
	int sc, mode;
	const char *what;
};
/* name: the sampled charge after SIGKILL of each series at size n, one
 * gnuplot index block per series, its title first; -1 if no curve. */
int write_over_time_dat(const char *name, const struct series *ser,
			int nser, size_t n);

/* ---- the tables (report.c) ---------------------------------------------- */

/* Both to the terminal and to results/table.txt (once report_open()). */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_open(void);
void report_close(void);
void print_header(void);
void print_kill_table(const char *title, int f, int sampled,
		      const char *unit);
void print_ratios(void);
void print_prekill(void);
void print_cgroup(int sc, size_t size);
void print_lmkd(void);
void print_scale(void);
/* The estimated duration of the whole run, in seconds. */
double estimate_seconds(void);
void print_calls(void);
void print_demo(void);
/* "reaped/killed" of the cgroup runs of (sc, m) at size n: their medians. */
void fmt_reaped(char *buf, size_t len, int sc, int m, size_t n, int smp);
/* The reap_errno names of those runs, each once ("ESRCH"), or "-". */
void fmt_reap_errnos(char *buf, size_t len, int sc, int m, size_t n,
		     int smp);

/* ---- the targets (targets.c) -------------------------------------------- */

void print_targets(void);

#endif /* MRELEASE_BENCH_H */
