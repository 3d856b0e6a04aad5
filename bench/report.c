/*
 * report.c - the report: tables, targets, CSV files and the gnuplot plot
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "bench.h"

/* ---- output ------------------------------------------------------------- */

FILE *out_open(const char *name)
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

void csv_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(",", f);
	else
		fprintf(f, ",%.3f", v);
}

void write_runs_csv(void)
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
void write_summary_csv(void)
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

void write_calls_csv(void)
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
int write_plot_dat(void)
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

/* The sampled charge after SIGKILL, one index block per series (gnuplot
 * skips a series with no points); the first sampled repetition in which
 * the series has a curve. */
int write_over_time_dat(const char *name, size_t n)
{
	static const struct { int sc, mode; const char *what; } ser[] = {
		{ SC_BUSY, M_PLAIN, "busy plain kill + wait" },
		{ SC_BUSY, M_MRELEASE, "busy mrelease_kill" },
		{ SC_IDLE, M_PLAIN, "idle plain kill + wait" },
		{ SC_IDLE, M_MRELEASE, "idle mrelease_kill" },
		{ SC_FLOOR, M_MUNMAP, "munmap floor" },
	};
	FILE *f = out_open(name);
	size_t k;
	int i, j, any = 0;

	if (!f)
		return -1;
	fprintf(f, "# the victim's memory cgroup charge, sampled every 1 ms, "
		"at %zu MiB: ms after SIGKILL (floor: after munmap() began), "
		"MiB still held\n", n >> 20);
	for (k = 0; k < MR_ARRAY_SIZE(ser); k++) {
		const struct run *r = NULL;

		for (i = 0; i < nruns; i++)
			if (runs[i].sc == ser[k].sc &&
			    runs[i].mode == ser[k].mode && runs[i].n == n &&
			    runs[i].ok && runs[i].curve) {
				r = &runs[i];
				break;
			}
		fprintf(f, "%s# index %zu: %s%s\n", k ? "\n\n" : "", k,
			ser[k].what, r ? "" : " (not measured)");
		if (!r) {
			fputs("nan nan\n", f);
			continue;
		}
		fprintf(f, "# rep %d, the call returned at %.3f ms\n", r->rep,
			r->free_ms);
		any = 1;
		for (j = 0; j < r->curve->n; j++)
			fprintf(f, "%.3f %.2f\n", r->curve->ms[j],
				r->curve->mib[j]);
	}
	fclose(f);
	return any ? 0 : -1;
}

int run_gnuplot(const char *script, const char *dat, const char *png,
		char *note, size_t len)
{
	char e[3 * PATH_MAX + 64];
	pid_t pid;
	int st;

	if (access(script, R_OK)) {
		strf(note, len, "no plot: %s: %s", script, strerror(errno));
		return -1;
	}
	strf(e, sizeof(e), "datafile='%s/%s'; outfile='%s/%s'",
		 opt.outdir, dat, opt.outdir, png);
	pid = fork_child();
	if (pid == 0) {
		/* gnuplot's warnings (a series the demo does not measure has
		 * no points) go to a log, not over the table. */
		char logf[PATH_MAX + 16];
		int fd;

		strf(logf, sizeof(logf), "%s/gnuplot.log", opt.outdir);
		fd = open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			  0644);
		if (fd >= 0)
			dup2(fd, 2);
		execlp("gnuplot", "gnuplot", "-e", e, script, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		strf(note, len, "no plot: fork");
		return -1;
	}
	kid_del(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		strf(note, len, "no plot: gnuplot is not installed "
			 "(Debian: gnuplot-nox)");
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		strf(note, len, "no plot: gnuplot failed");
	else {
		strf(note, len, "%s/%s", opt.outdir, png);
		return 0;
	}
	return -1;
}

/* time-to-free.png (not for the demo's one size) and over-time.png: the
 * memory coming back at the largest N, from the sampled repetition. */
void make_plot(char *note, size_t len)
{
	char script[PATH_MAX + 32], a[PATH_MAX + 64] = "", b[PATH_MAX + 64] = "";
	const char *slash = strrchr(opt.plot_script, '/');
	size_t n = 0;
	int i;

	strf(a, sizeof(a), "%s/gnuplot.log", opt.outdir);
	unlink(a);
	a[0] = 0;
	if (!opt.demo) {
		if (write_plot_dat())
			strf(a, sizeof(a), "no plot: nothing measured");
		else
			run_gnuplot(opt.plot_script, "plot.dat",
				    "time-to-free.png", a, sizeof(a));
	}
	for (i = 0; i < opt.nsizes; i++)
		if (opt.sizes[i] > n)
			n = opt.sizes[i];
	strf(script, sizeof(script), "%.*s%sover-time.gp",
	     slash ? (int)(slash - opt.plot_script) : 0, opt.plot_script,
	     slash ? "/" : "");
	if (write_over_time_dat("over-time.dat", n))
		strf(b, sizeof(b), "no memory-over-time plot: %s",
		     g.memcg_why[0] ? g.memcg_why : "no sampled run");
	else
		run_gnuplot(script, "over-time.dat", "over-time.png", b,
			    sizeof(b));
	strf(note, len, "%s%s%s", a, a[0] && b[0] ? ", " : "", b);
}

/* Both to the terminal and to results/table.txt. */
static FILE *tbl;

void report_open(void)
{
	tbl = out_open("table.txt");
}

void report_close(void)
{
	if (tbl)
		fclose(tbl);
	tbl = NULL;
}

void out(const char *fmt, ...)
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

void print_header(void)
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

void print_kill_table(const char *title, int f, int sampled,
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

void print_ratios(void)
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
void print_prekill(void)
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

void print_cgroup(int sc)
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

void print_calls(void)
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

void print_targets(void)
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

void print_demo(void)
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
