/*
 * plots.c - the gnuplot plots and the data files they read
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bench.h"

/* " median min max" of s (NAN when it has no run): whether it has one. */
static int put_med_min_max(FILE *f, struct stat3 s)
{
	fprintf(f, " %.3f %.3f %.3f", s.n ? s.med : NAN, s.n ? s.min : NAN,
		s.n ? s.max : NAN);
	return s.n != 0;
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
		for (k = 0; k < 5; k++)
			any |= put_med_min_max(f, summarize(cols[k][0],
							    cols[k][1],
							    opt.sizes[i], 0,
							    F_FREE));
		fputc('\n', f);
	}
	fclose(f);
	return any ? 0 : -1;
}

/* The cgroup series of the plots, each measured loaded and idle (sc is
 * set where it is used).  The time-to-free plot keeps the four that the
 * targets compare; the over-time plots show all. */
static const struct series cg_ser[] = {
	{ 0, M_CG_KILLWAIT, "cgroup.kill + wait" },
	{ 0, M_CG_OOMD, "oomd's pattern" },
	{ 0, M_CG_KILLFIRST, "cgroup.kill, then reap" },
	{ 0, M_CG_LIB, "mrelease_kill_cgroup, P threads" },
	{ 0, M_CG_NOFREEZE, "mrelease_kill_cgroup, no freeze" },
	{ 0, M_CG_FLOOR, "munmap floor, P tasks" },
};

static bool in_size_plot(int mode)
{
	return mode != M_CG_KILLFIRST && mode != M_CG_NOFREEZE;
}

/* The cgroup plot's data: per total size, median/min/max of the time to
 * memcg -95% (the call's return when nothing was sampled) of each series,
 * loaded then idle. */
static int write_cg_plot_dat(void)
{
	static const int scs[] = { SC_CGBUSY, SC_CGROUP };
	bool smp = g.memcg_usage[0] != 0;
	FILE *f = out_open("cgroup-plot.dat");
	const char *sep = "";
	size_t j, k;
	int i, any = 0;

	if (!f)
		return -1;
	fprintf(f, "# total GiB, then median min max (ms to %s) of:",
		smp ? "memcg -95%" : "the call's return");
	for (j = 0; j < MR_ARRAY_SIZE(scs); j++)
		for (k = 0; k < MR_ARRAY_SIZE(cg_ser); k++) {
			if (!in_size_plot(cg_ser[k].mode))
				continue;
			fprintf(f, "%s %s: %s", sep, scs[j] == SC_CGBUSY ?
				"loaded" : "idle", cg_ser[k].what);
			sep = ",";
		}
	fputc('\n', f);
	for (i = 0; i < opt.cg_nsizes; i++) {
		size_t n = (size_t)opt.cg_procs * opt.cg_sizes[i];

		fprintf(f, "%.4f", n / GiB);
		for (j = 0; j < MR_ARRAY_SIZE(scs); j++)
			for (k = 0; k < MR_ARRAY_SIZE(cg_ser); k++)
				if (in_size_plot(cg_ser[k].mode))
					any |= put_med_min_max(f, summarize(
						scs[j], cg_ser[k].mode, n, smp,
						smp ? F_SYS95 : F_FREE));
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
	struct series cgs[MR_ARRAY_SIZE(cg_ser)];
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
		for (k = 0; k < MR_ARRAY_SIZE(cg_ser); k++) {
			cgs[k] = cg_ser[k];
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
