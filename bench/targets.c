/*
 * targets.c - the targets: each figure against its limit, PASS or MISS
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

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

/* The medians of every cgroup pattern in scenario sc at total size n:
 * the time (field f) and the killer's CPU time, by mode. */
struct cg_meds {
	double t[M_N], cpu[M_N];
};

static void cg_meds(int sc, size_t n, int smp, int f, struct cg_meds *m)
{
	int k;

	for (k = M_CG_KILLWAIT; k <= M_CG_FLOOR1; k++) {
		m->t[k] = med_of(sc, k, n, smp, f);
		m->cpu[k] = med_of(sc, k, n, smp, F_KCPU);
	}
}

/* The cgroup's targets, at its largest size, in the system's view when
 * it was sampled (else the call's return).  Each prints the figures that
 * explain it, so that a MISS carries its measured reason. */
static void print_cg_targets(void)
{
	bool smp = g.memcg_usage[0] != 0;
	int f = smp ? F_SYS95 : F_FREE, i;
	const char *view = smp ? "memcg -95%" : "call returns";
	size_t n = 0;
	char name[160], note[400], tot[32], r1[48], r2[48], r3[64];
	struct cg_meds b, d;	/* busy (loaded), idle */
	struct stat3 s;
	unsigned int P = g.cg_threads;

	for (i = 0; i < opt.cg_nsizes; i++)
		if ((size_t)opt.cg_procs * opt.cg_sizes[i] > n)
			n = (size_t)opt.cg_procs * opt.cg_sizes[i];
	size_str(tot, sizeof(tot), n);
	cg_meds(SC_CGBUSY, n, smp, f, &b);
	cg_meds(SC_CGROUP, n, smp, f, &d);

	/* Loaded: within 1.25x of the P-thread floor, 90% reaped. */
	s = paired(SC_CGBUSY, M_CG_LIB, SC_CGBUSY, M_CG_FLOOR, n, smp, f);
	strf(name, sizeof(name), "cgroup-busy %s: kill_cgroup (P=%u) / "
	     "P-thread floor (%s)", tot, P, view);
	strf(note, sizeof(note), "kill_cgroup %.0f ms, floor %.0f ms on P=%u"
	     " (%.0f ms on 1); CPU: kill_cgroup %.0f ms, floor %.0f ms",
	     b.t[M_CG_LIB], b.t[M_CG_FLOOR], P, b.t[M_CG_FLOOR1],
	     b.cpu[M_CG_LIB], b.cpu[M_CG_FLOOR]);
	target(name, s.n ? s.med : NAN, "x", 1.25, LE, s.n ? note : "");

	s = summarize(SC_CGBUSY, M_CG_LIB, n, smp, F_REAPED);
	strf(name, sizeof(name), "cgroup-busy %s: kill_cgroup (P=%u) reaped "
	     "/ killed", tot, P);
	fmt_reaped(r1, sizeof(r1), SC_CGBUSY, M_CG_LIB, n, smp);
	fmt_reaped(r2, sizeof(r2), SC_CGBUSY, M_CG_NOFREEZE, n, smp);
	fmt_reap_errnos(r3, sizeof(r3), SC_CGBUSY, M_CG_LIB, n, smp);
	strf(note, sizeof(note), "reaped/killed %s (no freeze: %s); not "
	     "reaped: %s%s", r1, r2, r3, strcmp(r3, "ESRCH") ? "" :
	     " (past exit_mm() before the reap: the kill and the reap "
	     "cannot be one step from user space)");
	target(name, s.n ? 100 * s.med : NAN, "%", 90, GE, s.n ? note : "");

	/* Idle: no slower than cgroup.kill + wait, nor than oomd. */
	s = paired(SC_CGROUP, M_CG_LIB, SC_CGROUP, M_CG_KILLWAIT, n, smp, f);
	strf(name, sizeof(name), "cgroup %s: kill_cgroup (P=%u) / "
	     "cgroup.kill+wait (%s)", tot, P, view);
	strf(note, sizeof(note), "kill_cgroup %.0f ms, cgroup.kill+wait "
	     "%.0f ms, floor on P=%u %.0f ms", d.t[M_CG_LIB],
	     d.t[M_CG_KILLWAIT], P, d.t[M_CG_FLOOR]);
	target(name, s.n ? s.med : NAN, "x", 1.0, LE, s.n ? note : "");
	s = paired(SC_CGROUP, M_CG_LIB, SC_CGROUP, M_CG_OOMD, n, smp, f);
	strf(name, sizeof(name), "cgroup %s: kill_cgroup (P=%u) / oomd's "
	     "pattern (%s)", tot, P, view);
	strf(note, sizeof(note), "kill_cgroup %.0f ms, oomd's pattern %.0f "
	     "ms", d.t[M_CG_LIB], d.t[M_CG_OOMD]);
	target(name, s.n ? s.med : NAN, "x", 1.0, LE, s.n ? note : "");

	/* Loaded, the killer above the victims: 2 threads faster than 1. */
	s = paired(SC_CGBUSY, M_CG_LIB2, SC_CGBUSY, M_CG_LIB1, n, smp, f);
	strf(name, sizeof(name), "cgroup-busy %s: kill_cgroup 2 threads / "
	     "1 thread (%s)", tot, view);
	strf(note, sizeof(note), "1 thread %.0f ms, 2 threads %.0f ms; "
	     "floor 1 task %.0f ms, P=%u tasks %.0f ms (x%.2f: what 2 CPUs "
	     "can win); killer CPU 1 thread %.0f ms, 2 threads %.0f ms",
	     b.t[M_CG_LIB1], b.t[M_CG_LIB2], b.t[M_CG_FLOOR1], P,
	     b.t[M_CG_FLOOR], b.t[M_CG_FLOOR1] / b.t[M_CG_FLOOR],
	     b.cpu[M_CG_LIB1], b.cpu[M_CG_LIB2]);
	target(name, s.n ? s.med : NAN, "x", 1.0, LT, s.n ? note : "");
}

/* "what size: mrelease_kill / base" in scenario sc at size n, per
 * repetition paired, within limit; always: a row even with no pair. */
static void kill_over(const char *what, int sc, int base, const char *bname,
		      size_t n, double limit, bool always)
{
	char name[128], note[160], sz[32];
	struct stat3 s;

	size_str(sz, sizeof(sz), n);
	s = paired(sc, M_MRELEASE, sc, base, n, false, F_FREE);
	strf(name, sizeof(name), "%s %s: mrelease_kill / %s", what, sz, bname);
	strf(note, sizeof(note), "mrelease_kill %.1f ms, %s %.1f ms",
	     med_of(sc, M_MRELEASE, n, 0, F_FREE), bname,
	     med_of(sc, base, n, 0, F_FREE));
	if (always || s.n)
		target(name, s.med, "x", limit, LE, s.n ? note : "");
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
	for (i = 0; i < opt.nsizes; i++)
		kill_over("  busy", SC_BUSY, M_RAW, "raw", opt.sizes[i], 1.05,
			  false);
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

		for (i = 0; i < 3; i++) {
			note[0] = 0;
			if (!isnan(instr[pairs[i][0]] - instr[pairs[i][1]]))
				strf(note, sizeof(note), "wrapper %.0f, "
				     "syscall() %.0f instructions a call",
				     instr[pairs[i][0]], instr[pairs[i][1]]);
			target(names[i],
			       instr[pairs[i][0]] - instr[pairs[i][1]], "",
			       5, LE, note);
		}
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
	for (i = 0; i < opt.nsizes; i++)
		kill_over("idle", SC_IDLE, M_PLAIN, "plain", opt.sizes[i], 1.0,
			  true);
	print_cg_targets();
	if (tgt)
		fclose(tgt);
	tgt = NULL;
}
