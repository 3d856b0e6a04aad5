/*
 * report.c - the report: its tables, on the terminal and in table.txt
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "bench.h"

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
	out("libmrelease %s benchmark: Linux %s %s, %u CPUs, %.1f GiB; "
	    "sched_rt_runtime_us %s\n", mrelease_version(), u.release,
	    u.machine, mr_online_cpus(), mem / MiB, rt);
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
void fmt_reaped(char *buf, size_t len, int sc, int m, size_t n, int smp)
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

static const char *errno_name(int e)
{
	switch (e) {
	case ESRCH: return "ESRCH";
	case EMFILE: return "EMFILE";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	default: return "another errno";
	}
}

void fmt_reap_errnos(char *buf, size_t len, int sc, int m, size_t n, int smp)
{
	int seen[8], ns = 0, i, k;

	strf(buf, len, "-");
	m = cg_mode(m);
	for (i = 0; i < nruns; i++) {
		const struct run *x = &runs[i];

		if (x->sc != sc || x->mode != m || x->n != n || !x->ok ||
		    (int)x->sampled != smp || !x->reap_errno)
			continue;
		for (k = 0; k < ns && seen[k] != x->reap_errno; k++)
			;
		if (k == ns && ns < 8) {
			seen[ns++] = x->reap_errno;
			strf(buf + (ns > 1 ? strlen(buf) : 0),
			     len - (ns > 1 ? strlen(buf) : 0), "%s%s",
			     ns > 1 ? ", " : "", errno_name(x->reap_errno));
		}
	}
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
