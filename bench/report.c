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
	for (k = F_FREE; k <= F_LAST; k++)
		fprintf(f, ",%s", f_name[k]);
	fputs(",victims,idle_added,killed,reaped,gone,failed,status\n", f);
	for (i = 0; i < nruns; i++) {
		const struct run *r = &runs[i];
		bool sc8 = r->sc == SC_SCALE;

		fprintf(f, "%s,%s,%zu,%d,%d,%d", sc_name[r->sc],
			m_name[r->mode], (sc8 ? opt.scale_size : r->n) >> 20,
			r->rep, r->sampled, r->ok);
		for (k = F_FREE; k <= F_LAST; k++)
			csv_num(f, field(r, k));
		fprintf(f, ",%d,%zu,%d,%d,%d,%d,", r->procs, sc8 ? r->n : 0,
			r->killed, r->reaped, r->gone, r->failed);
		for (k = 0; r->status[k]; k++)
			fputc(r->status[k] == ',' ? ';' : r->status[k], f);
		fputc('\n', f);
	}
	fclose(f);
}

/* The sizes a scenario was measured at (scale: the idle processes
 * added); their number. */
static int sc_sizes(int sc, size_t *v)
{
	int i, n = 0;

	if (IS_CG(sc)) {
		for (i = 0; i < opt.cg_nsizes; i++)
			v[n++] = (size_t)opt.cg_procs * opt.cg_sizes[i];
	} else if (sc == SC_LMKD || sc == SC_LMKDBUSY) {
		v[n++] = (size_t)opt.lmkd_procs * opt.lmkd_size;
	} else if (sc == SC_SCALE) {
		for (i = 0; i < nruns; i++) {
			int k;

			if (runs[i].sc != SC_SCALE)
				continue;
			for (k = 0; k < n && v[k] != runs[i].n; k++)
				;
			if (k == n && n < 8)
				v[n++] = runs[i].n;
		}
	} else {
		for (i = 0; i < opt.nsizes; i++)
			v[n++] = opt.sizes[i];
	}
	return n;
}

/* summary.csv: one row per (scenario, mode, size, view, field). */
void write_summary_csv(void)
{
	FILE *f = out_open("summary.csv");
	int i, sc, m, smp, k, nsz;
	size_t sz[8];

	if (!f)
		return;
	fputs("scenario,mode,size_mib,idle_added,sampled,metric,n,median,"
	      "min,max\n", f);
	for (sc = SC_IDLE; sc < SC_CALLS; sc++) {
		nsz = sc_sizes(sc, sz);
		for (m = 0; m < M_N; m++)
			for (i = 0; i < nsz; i++)
				for (smp = 0; smp < 2; smp++)
					for (k = F_FREE; k <= F_LAST; k++) {
						struct stat3 s;

						if (IS_CG_MODE(m) &&
						    cg_mode(m) != m)
							continue;
						s = summarize(sc, m, sz[i], smp,
							      k);
						if (!s.n)
							continue;
						fprintf(f, "%s,%s,%zu,%zu,%d,"
							"%s,%d", sc_name[sc],
							m_name[m],
							(sc == SC_SCALE ?
							 opt.scale_size :
							 sz[i]) >> 20,
							sc == SC_SCALE ? sz[i] :
							0, smp, f_name[k], s.n);
						csv_num(f, s.med);
						csv_num(f, s.min);
						csv_num(f, s.max);
						fputc('\n', f);
					}
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

/* The cgroup plot's data: per total size, median/min/max of the time to
 * memcg -95% (the call's return when nothing was sampled) of each series. */
static const struct series cg_plot_ser[] = {
	{ SC_CGBUSY, M_CG_KILLWAIT, "loaded: cgroup.kill + wait" },
	{ SC_CGBUSY, M_CG_OOMD, "loaded: oomd's pattern" },
	{ SC_CGBUSY, M_CG_LIB, "loaded: mrelease_kill_cgroup, P threads" },
	{ SC_CGBUSY, M_CG_FLOOR, "loaded: munmap floor, P tasks" },
	{ SC_CGROUP, M_CG_KILLWAIT, "idle: cgroup.kill + wait" },
	{ SC_CGROUP, M_CG_OOMD, "idle: oomd's pattern" },
	{ SC_CGROUP, M_CG_LIB, "idle: mrelease_kill_cgroup, P threads" },
	{ SC_CGROUP, M_CG_FLOOR, "idle: munmap floor, P tasks" },
};

static int write_cg_plot_dat(void)
{
	bool smp = g.memcg_usage[0] != 0;
	FILE *f = out_open("cgroup-plot.dat");
	size_t k;
	int i, any = 0;

	if (!f)
		return -1;
	fprintf(f, "# total GiB, then median min max (ms to %s) of:",
		smp ? "memcg -95%" : "the call's return");
	for (k = 0; k < MR_ARRAY_SIZE(cg_plot_ser); k++)
		fprintf(f, "%s %s", k ? "," : "", cg_plot_ser[k].what);
	fputc('\n', f);
	for (i = 0; i < opt.cg_nsizes; i++) {
		size_t n = (size_t)opt.cg_procs * opt.cg_sizes[i];

		fprintf(f, "%.4f", n / GiB);
		for (k = 0; k < MR_ARRAY_SIZE(cg_plot_ser); k++) {
			struct stat3 s = summarize(cg_plot_ser[k].sc,
						   cg_plot_ser[k].mode, n, smp,
						   smp ? F_SYS95 : F_FREE);

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
 * skips a series with no points), its title on its first line (the
 * script's columnheader); the first sampled repetition in which the
 * series has a curve. */
int write_over_time_dat(const char *name, const struct series *ser,
			int nser, size_t n)
{
	FILE *f = out_open(name);
	int i, j, k, any = 0;

	if (!f)
		return -1;
	fprintf(f, "# memory cgroup charge, sampled every 1 ms, at %zu MiB: "
		"ms after SIGKILL (floor: after munmap() began), MiB still "
		"held\n", n >> 20);
	for (k = 0; k < nser; k++) {
		const struct run *r = NULL;
		int mode = IS_CG_MODE(ser[k].mode) ? cg_mode(ser[k].mode) :
			   ser[k].mode;

		for (i = 0; i < nruns; i++)
			if (runs[i].sc == ser[k].sc && runs[i].mode == mode &&
			    runs[i].n == n && runs[i].ok && runs[i].curve) {
				r = &runs[i];
				break;
			}
		fprintf(f, "%s# index %d: %s%s\n", k ? "\n\n" : "", k,
			ser[k].what, r ? "" : " (not measured)");
		fprintf(f, "\"%s\" \"MiB\"\n", ser[k].what);
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
		const char *extra, char *note, size_t len)
{
	char e[3 * PATH_MAX + 512];
	pid_t pid;
	int st;

	if (access(script, R_OK)) {
		strf(note, len, "no plot: %s: %s", script, strerror(errno));
		return -1;
	}
	strf(e, sizeof(e), "datafile='%s/%s'; outfile='%s/%s'%s%s",
		 opt.outdir, dat, opt.outdir, png, extra ? "; " : "",
		 extra ? extra : "");
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

/* A script beside plot.gp. */
static void script_path(char *buf, size_t len, const char *name)
{
	const char *slash = strrchr(opt.plot_script, '/');

	strf(buf, len, "%.*s%s%s", slash ? (int)(slash - opt.plot_script) : 0,
	     opt.plot_script, slash ? "/" : "", name);
}

static void add_note(char *note, size_t len, const char *what)
{
	size_t used = strlen(note);

	if (!what[0])
		return;
	strf(note + used, len - used, "%s%s", used ? ", " : "", what);
}

/* An over-time plot of ser at size n: its png, or why not, into note. */
static void over_time_plot(const char *base, const struct series *ser,
			   int nser, size_t n, const char *title, char *note,
			   size_t len)
{
	char script[PATH_MAX + 32], dat[64], png[64], extra[400];
	char b[PATH_MAX + 64] = "";

	script_path(script, sizeof(script), "over-time.gp");
	strf(dat, sizeof(dat), "%s.dat", base);
	strf(png, sizeof(png), "%s.png", base);
	strf(extra, sizeof(extra), "nseries=%d; plottitle='%s'", nser, title);
	if (write_over_time_dat(dat, ser, nser, n))
		strf(b, sizeof(b), "no %s: %s", png,
		     g.memcg_why[0] ? g.memcg_why : "no sampled run");
	else
		run_gnuplot(script, dat, png, extra, b, sizeof(b));
	add_note(note, len, b);
}

/* time-to-free.png and cgroup-time-to-free.png (not for the demo's one
 * size), and the memory over time: at the largest N (over-time.png) and
 * for the largest cgroup, loaded and idle (over-time-cgroup*.png). */
void make_plot(char *note, size_t len)
{
	static const struct series one[] = {
		{ SC_BUSY, M_PLAIN, "victim CPU busy: kill + wait" },
		{ SC_BUSY, M_MRELEASE, "victim CPU busy: mrelease_kill" },
		{ SC_IDLE, M_PLAIN, "idle: kill + wait" },
		{ SC_IDLE, M_MRELEASE, "idle: mrelease_kill" },
		{ SC_FLOOR, M_MUNMAP, "munmap floor (1 thread)" },
	};
	static const struct series cg[] = {
		{ 0, M_CG_KILLWAIT, "cgroup.kill + wait" },
		{ 0, M_CG_OOMD, "oomd's pattern" },
		{ 0, M_CG_KILLFIRST, "cgroup.kill, then reap" },
		{ 0, M_CG_LIB, "mrelease_kill_cgroup, P threads" },
		{ 0, M_CG_NOFREEZE, "mrelease_kill_cgroup, no freeze" },
		{ 0, M_CG_FLOOR, "munmap floor, P tasks" },
	};
	struct series cgs[MR_ARRAY_SIZE(cg)];
	char script[PATH_MAX + 32], a[PATH_MAX + 64] = "", title[200];
	size_t n = 0, k;
	int i, sc;

	strf(a, sizeof(a), "%s/gnuplot.log", opt.outdir);
	unlink(a);
	a[0] = 0;
	note[0] = 0;
	if (!opt.demo) {
		if (write_plot_dat())
			strf(a, sizeof(a), "no plot: nothing measured");
		else
			run_gnuplot(opt.plot_script, "plot.dat",
				    "time-to-free.png", NULL, a, sizeof(a));
		add_note(note, len, a);
		a[0] = 0;
		script_path(script, sizeof(script), "plot-cgroup.gp");
		strf(title, sizeof(title), "P=%u; a cgroup of %d processes",
		     g.cg_threads, opt.cg_procs);
		if (!write_cg_plot_dat()) {
			char extra[300];

			strf(extra, sizeof(extra), "plottitle='%s'; "
			     "yview='%s'", title, g.memcg_usage[0] ?
			     "until its memory cgroup charge fell by 95%" :
			     "until the call returned");
			run_gnuplot(script, "cgroup-plot.dat",
				    "cgroup-time-to-free.png", extra, a,
				    sizeof(a));
			add_note(note, len, a);
		}
	}
	for (i = 0; i < opt.nsizes; i++)
		if (opt.sizes[i] > n)
			n = opt.sizes[i];
	strf(title, sizeof(title), "one victim of %zu MiB", n >> 20);
	if (want(SC_IDLE) || want(SC_BUSY) || want(SC_FLOOR))
		over_time_plot("over-time", one, (int)MR_ARRAY_SIZE(one), n,
			       title, note, len);
	if (opt.demo)
		return;
	n = 0;
	for (i = 0; i < opt.cg_nsizes; i++)
		if (opt.cg_sizes[i] > n)
			n = opt.cg_sizes[i];
	for (sc = SC_CGBUSY; sc >= SC_CGROUP; sc--) {
		if (!want(sc))
			continue;
		for (k = 0; k < MR_ARRAY_SIZE(cg); k++) {
			cgs[k] = cg[k];
			cgs[k].sc = sc;
		}
		strf(title, sizeof(title), "a cgroup of %d x %zu MiB, %s, P=%u",
		     opt.cg_procs, n >> 20, sc == SC_CGBUSY ? "loaded" : "idle",
		     g.cg_threads);
		over_time_plot(sc == SC_CGBUSY ? "over-time-cgroup" :
			       "over-time-cgroup-idle", cgs,
			       (int)MR_ARRAY_SIZE(cgs),
			       (size_t)opt.cg_procs * n, title, note, len);
	}
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

/* A mode's label, with P written out. */
static const char *mode_label(int m, char *buf, size_t len)
{
	const char *l = m_label[m], *p = strstr(l, ", P");

	if (!p || (m != M_CG_LIB && m != M_CG_NOFREEZE && m != M_CG_FLOOR))
		return l;
	strf(buf, len, "%.*s, P=%u%s", (int)(p - l), l, g.cg_threads,
	     p + 3);
	return buf;
}

/* "reaped/killed" of the runs: their medians. */
static void fmt_reaped(char *buf, size_t len, int sc, int m, size_t n,
		       int smp)
{
	double k[512], r[512];
	int i, c = 0;

	m = cg_mode(m);
	for (i = 0; i < nruns && c < 512; i++)
		if (runs[i].sc == sc && runs[i].mode == m && runs[i].n == n &&
		    runs[i].ok && (int)runs[i].sampled == smp &&
		    runs[i].killed >= 0 && runs[i].reaped >= 0) {
			k[c] = runs[i].killed;
			r[c++] = runs[i].reaped;
		}
	if (!c) {
		strf(buf, len, "-");
		return;
	}
	strf(buf, len, "%.0f/%.0f", stat_of(r, c).med, stat_of(k, c).med);
}

void print_cgroup(int sc, size_t size)
{
	int modes[16], nm = cg_modes(modes), i;
	size_t n = (size_t)opt.cg_procs * size;
	int smp = g.memcg_usage[0] != 0, f = smp ? F_SYS95 : F_FREE;
	char a[96], b[96], c[96], d[96], e[48], r1[48], r2[48], r3[48];
	char lbl[96], tot[32];
	bool any = false;

	for (i = 0; i < nm; i++)
		if (summarize(sc, modes[i], n, smp, F_FREE).n)
			any = true;
	if (!any)
		return;
	size_str(tot, sizeof(tot), n);
	out("\nScenario 4%s: a cgroup of %d processes x %zu MiB = %s, %s "
	    "(ms, median [min-max] of %d; ratios of %s, median of paired "
	    "per-repetition ratios; P=%u)\n",
	    sc == SC_CGBUSY ? "b" : "", opt.cg_procs, size >> 20, tot,
	    sc == SC_CGBUSY ? "loaded: a nice-0 busy loop on every CPU, "
	    "victims nice 19, killer nice -10" : "idle machine",
	    opt.cg_reps, smp ? "memcg -95%" : "the call's return",
	    g.cg_threads);
	out("%-46s %-17s %-17s %-17s %-7s %-7s %-7s %-9s %s\n", "pattern",
	    smp ? "memcg -95%" : "(not sampled)", "cgroup empty",
	    "call returns", "/floor", "/kill+w", "/oomd", "reaped", "killer CPU");
	for (i = 0; i < nm; i++) {
		int m = modes[i];
		struct stat3 x;

		if (!summarize(sc, m, n, smp, F_FREE).n)
			continue;
		fmt_stat(a, sizeof(a), summarize(sc, m, n, smp, F_SYS95), "");
		fmt_stat(b, sizeof(b), summarize(sc, m, n, smp, F_EMPTY), "");
		fmt_stat(c, sizeof(c), summarize(sc, m, n, smp, F_FREE), "");
		fmt_stat(d, sizeof(d), summarize(sc, m, n, smp, F_KCPU), "");
		x = paired(sc, m, sc, M_CG_FLOOR, n, smp, f);
		fmt_num(r1, sizeof(r1), x.n ? x.med : NAN);
		x = paired(sc, m, sc, M_CG_KILLWAIT, n, smp, f);
		fmt_num(r2, sizeof(r2), x.n ? x.med : NAN);
		x = paired(sc, m, sc, M_CG_OOMD, n, smp, f);
		fmt_num(r3, sizeof(r3), x.n ? x.med : NAN);
		fmt_reaped(e, sizeof(e), sc, m, n, smp);
		out("%-46s %-17s %-17s %-17s %-7s %-7s %-7s %-9s %s\n",
		    mode_label(m, lbl, sizeof(lbl)), a, b, c, r1, r2, r3, e, d);
	}
}

void print_lmkd(void)
{
	static const int modes[] = { M_LMKD1, M_LMKD2, M_LMKD4 };
	size_t n = (size_t)opt.lmkd_procs * opt.lmkd_size;
	char a[96], b[96], c[96], d[96], e[96], r[48];
	int sc, i;

	for (sc = SC_LMKD; sc <= SC_LMKDBUSY; sc++) {
		bool any = false;

		for (i = 0; i < 3; i++)
			if (summarize(sc, modes[i], n, 0, F_FREE).n)
				any = true;
		if (!any)
			continue;
		out("\nScenario 7%s: lmkd's case, %d processes x %zu MiB "
		    "submitted at once to the reaper (mrelease_reaper_new_attr"
		    "), %s (median [min-max] of %d)\n",
		    sc == SC_LMKDBUSY ? "b" : "", opt.lmkd_procs,
		    opt.lmkd_size >> 20, sc == SC_LMKDBUSY ?
		    "loaded as 4b (victims nice 19, killer and workers nice "
		    "-10)" : "idle machine", opt.lmkd_reps);
		out("%-20s %-20s %-20s %-20s %-20s %-9s %s\n", "workers",
		    "victims/s", "latency p50 ms", "latency p99 ms",
		    "all done ms", "reaped", "killer CPU ms");
		for (i = 0; i < 3; i++) {
			int m = modes[i];

			if (!summarize(sc, m, n, 0, F_FREE).n)
				continue;
			fmt_stat(a, sizeof(a), summarize(sc, m, n, 0, F_VPS), "");
			fmt_stat(b, sizeof(b), summarize(sc, m, n, 0, F_LAT50), "");
			fmt_stat(c, sizeof(c), summarize(sc, m, n, 0, F_LAT99), "");
			fmt_stat(d, sizeof(d), summarize(sc, m, n, 0, F_FREE), "");
			fmt_stat(e, sizeof(e), summarize(sc, m, n, 0, F_KCPU), "");
			fmt_reaped(r, sizeof(r), sc, m, n, 0);
			out("%-20s %-20s %-20s %-20s %-20s %-9s %s\n",
			    m_label[m], a, b, c, d, r, e);
		}
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

enum { LE, GE, LT };	/* how the measured figure must compare */

static void target(const char *name, double measured, const char *unit,
		   double limit, int cmp, const char *note)
{
	static const char *const op[] = { "<=", ">=", "<" };
	const char *verdict;
	bool ok;
	char m[32];

	ok = cmp == LE ? measured <= limit : cmp == GE ? measured >= limit :
	     measured < limit;
	if (isnan(measured))
		verdict = "SKIP";
	else
		verdict = ok ? "PASS" : "MISS";
	fmt_num(m, sizeof(m), measured);
	out("  [%s] %-58s %8s%s (target %s %.2f%s)%s%s\n", verdict, name, m,
	    unit, op[cmp], limit, unit, note && note[0] ? "  " : "",
	    note ? note : "");
	if (tgt) {
		const char *c;

		fputc('"', tgt);
		for (c = name; *c; c++)	/* one field, whatever reads it */
			fputc(*c == ',' ? ';' : *c == '"' ? '\'' : *c, tgt);
		fputc('"', tgt);
		csv_num(tgt, measured);
		fprintf(tgt, ",%s%.3f,%s\n", op[cmp], limit, verdict);
	}
}

/* A median over the runs, or NAN. */
static double med_of(int sc, int m, size_t n, int smp, int f)
{
	struct stat3 s = summarize(sc, m, n, smp, f);

	return s.n ? s.med : NAN;
}

/* The cgroup's targets, at its largest size, in the system's view when
 * it was sampled (else the call's return).  Each prints the figures that
 * explain it, so that a MISS carries its measured reason. */
static void print_cg_targets(void)
{
	int smp = g.memcg_usage[0] != 0, f = smp ? F_SYS95 : F_FREE, i;
	const char *view = smp ? "memcg -95%" : "call returns";
	size_t n = 0;
	char name[160], note[400], tot[32];
	struct stat3 s;
	double fl, fl1, lib, lib1, lib2, kw, oomd, cpu1, cpu2, fcpu, lcpu;

	for (i = 0; i < opt.cg_nsizes; i++)
		if ((size_t)opt.cg_procs * opt.cg_sizes[i] > n)
			n = (size_t)opt.cg_procs * opt.cg_sizes[i];
	size_str(tot, sizeof(tot), n);

	/* Loaded: within 1.25x of the P-thread floor, 90% reaped. */
	fl = med_of(SC_CGBUSY, M_CG_FLOOR, n, smp, f);
	fl1 = med_of(SC_CGBUSY, M_CG_FLOOR1, n, smp, f);
	lib = med_of(SC_CGBUSY, M_CG_LIB, n, smp, f);
	fcpu = med_of(SC_CGBUSY, M_CG_FLOOR, n, smp, F_KCPU);
	lcpu = med_of(SC_CGBUSY, M_CG_LIB, n, smp, F_KCPU);
	s = paired(SC_CGBUSY, M_CG_LIB, SC_CGBUSY, M_CG_FLOOR, n, smp, f);
	strf(name, sizeof(name), "cgroup-busy %s: kill_cgroup (P=%u) / "
	     "P-thread floor (%s)", tot, g.cg_threads, view);
	strf(note, sizeof(note), "kill_cgroup %.0f ms, floor %.0f ms on P=%u"
	     " (%.0f ms on 1); CPU: kill_cgroup %.0f ms, floor %.0f ms", lib,
	     fl, g.cg_threads, fl1, lcpu, fcpu);
	target(name, s.n ? s.med : NAN, "x", 1.25, LE, s.n ? note : "");

	s = summarize(SC_CGBUSY, M_CG_LIB, n, smp, F_REAPED);
	strf(name, sizeof(name), "cgroup-busy %s: kill_cgroup (P=%u) reaped "
	     "/ killed", tot, g.cg_threads);
	{
		char r1[48], r2[48];

		fmt_reaped(r1, sizeof(r1), SC_CGBUSY, M_CG_LIB, n, smp);
		fmt_reaped(r2, sizeof(r2), SC_CGBUSY, M_CG_NOFREEZE, n, smp);
		strf(note, sizeof(note), "reaped/killed %s (no freeze: %s)",
		     r1, r2);
	}
	target(name, s.n ? 100 * s.med : NAN, "%", 90, GE, s.n ? note : "");

	/* Idle: no slower than cgroup.kill + wait, nor than oomd. */
	lib = med_of(SC_CGROUP, M_CG_LIB, n, smp, f);
	kw = med_of(SC_CGROUP, M_CG_KILLWAIT, n, smp, f);
	oomd = med_of(SC_CGROUP, M_CG_OOMD, n, smp, f);
	fl = med_of(SC_CGROUP, M_CG_FLOOR, n, smp, f);
	s = paired(SC_CGROUP, M_CG_LIB, SC_CGROUP, M_CG_KILLWAIT, n, smp, f);
	strf(name, sizeof(name), "cgroup %s: kill_cgroup (P=%u) / "
	     "cgroup.kill+wait (%s)", tot, g.cg_threads, view);
	strf(note, sizeof(note), "kill_cgroup %.0f ms, cgroup.kill+wait "
	     "%.0f ms, floor on P=%u %.0f ms", lib, kw, g.cg_threads, fl);
	target(name, s.n ? s.med : NAN, "x", 1.0, LE, s.n ? note : "");
	s = paired(SC_CGROUP, M_CG_LIB, SC_CGROUP, M_CG_OOMD, n, smp, f);
	strf(name, sizeof(name), "cgroup %s: kill_cgroup (P=%u) / oomd's "
	     "pattern (%s)", tot, g.cg_threads, view);
	strf(note, sizeof(note), "kill_cgroup %.0f ms, oomd's pattern %.0f "
	     "ms", lib, oomd);
	target(name, s.n ? s.med : NAN, "x", 1.0, LE, s.n ? note : "");

	/* Loaded, the killer above the victims: 2 threads faster than 1. */
	lib1 = med_of(SC_CGBUSY, M_CG_LIB1, n, smp, f);
	lib2 = med_of(SC_CGBUSY, M_CG_LIB2, n, smp, f);
	cpu1 = med_of(SC_CGBUSY, M_CG_LIB1, n, smp, F_KCPU);
	cpu2 = med_of(SC_CGBUSY, M_CG_LIB2, n, smp, F_KCPU);
	fl = med_of(SC_CGBUSY, M_CG_FLOOR, n, smp, f);
	s = paired(SC_CGBUSY, M_CG_LIB2, SC_CGBUSY, M_CG_LIB1, n, smp, f);
	strf(name, sizeof(name), "cgroup-busy %s: kill_cgroup 2 threads / "
	     "1 thread (%s)", tot, view);
	strf(note, sizeof(note), "1 thread %.0f ms, 2 threads %.0f ms; "
	     "floor 1 task %.0f ms, P=%u tasks %.0f ms (x%.2f: what 2 CPUs "
	     "can win); killer CPU 1 thread %.0f ms, 2 threads %.0f ms",
	     lib1, lib2, fl1, g.cg_threads, fl, fl1 / fl, cpu1, cpu2);
	target(name, s.n ? s.med : NAN, "x", 1.0, LT, s.n ? note : "");
}

void print_targets(void)
{
	char name[128], note[160];
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
		strf(name, sizeof(name), "spread %.2f-%.2fx over %d pairs",
		     s.min, s.max, s.n);
		target("mrelease_kill / raw syscalls (idle+busy, all N)", s.med,
		       "x", 1.05, LE, s.n ? name : "");
	}
	for (i = 0; i < opt.nsizes; i++) {
		char sz[32];

		size_str(sz, sizeof(sz), opt.sizes[i]);
		s = paired(SC_BUSY, M_MRELEASE, SC_BUSY, M_RAW, opt.sizes[i],
			   false, F_FREE);
		strf(name, sizeof(name), "  busy %s: mrelease_kill / raw", sz);
		strf(note, sizeof(note), "mrelease_kill %.1f ms, raw %.1f ms",
		     med_of(SC_BUSY, M_MRELEASE, opt.sizes[i], 0, F_FREE),
		     med_of(SC_BUSY, M_RAW, opt.sizes[i], 0, F_FREE));
		if (s.n)
			target(name, s.med, "x", 1.05, LE, note);
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
			       5, LE, "");
	}
	/* Busy: within 1.15x of the floor, and the speed-up, at every N. */
	for (i = 0; i < opt.nsizes; i++) {
		char sz[32];
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
		target(name, s.med, "x", 1.15, LE, note);
	}
	/* Idle: no slower than plain. */
	for (i = 0; i < opt.nsizes; i++) {
		char sz[32];

		size_str(sz, sizeof(sz), opt.sizes[i]);
		s = paired(SC_IDLE, M_MRELEASE, SC_IDLE, M_PLAIN, opt.sizes[i],
			   false, F_FREE);
		strf(name, sizeof(name), "idle %s: mrelease_kill / plain", sz);
		strf(note, sizeof(note), "mrelease_kill %.1f ms, plain %.1f ms",
		     med_of(SC_IDLE, M_MRELEASE, opt.sizes[i], 0, F_FREE),
		     med_of(SC_IDLE, M_PLAIN, opt.sizes[i], 0, F_FREE));
		target(name, s.med, "x", 1.0, LE, s.n ? note : "");
	}
	print_cg_targets();
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
