/*
 * stats.c - the runs, their medians and paired ratios, number formats
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* ---- the results ---------------------------------------------------------- */

struct run *runs;
int nruns;
static int maxruns;

struct run *new_run(int sc, int mode, size_t n, int rep, bool sampled)
{
	struct run *r;

	if (nruns == maxruns) {
		maxruns = maxruns ? 2 * maxruns : 256;
		runs = realloc(runs, (size_t)maxruns * sizeof(*runs));
		if (!runs) {
			perror("realloc");
			cleanup_all();
			exit(1);
		}
	}
	r = &runs[nruns++];
	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->mode = mode;
	r->n = n;
	r->rep = rep;
	r->sampled = sampled;
	r->free_ms = r->exit_ms = r->empty_ms = r->sys95_ms = NAN;
	r->kcpu_ms = r->kru_ms = r->vcpu_ms = r->lib_ms = r->nivcsw = NAN;
	r->lat50_ms = r->lat99_ms = r->vps = NAN;
	r->killed = r->reaped = r->gone = r->failed = -1;
	return r;
}

void size_str(char *buf, size_t len, size_t n)
{
	if (n >= (size_t)GiB && n % (size_t)GiB == 0)
		strf(buf, len, "%zu GiB", n / (size_t)GiB);
	else
		strf(buf, len, "%zu MiB", n / (size_t)MiB);
}

void progress(const struct run *r)
{
	char sz[32];

	if (r->sc == SC_SCALE)
		strf(sz, sizeof(sz), "+%zu", r->n);
	else
		size_str(sz, sizeof(sz), r->n);
	logf_("%7.1f s %-6s %-18s %8s rep %d%s: free %.2f ms exit %.2f empty %.2f "
	      "memcg95 %.2f kcpu %.2f kru %.2f vcpu %.2f lib %.2f "
	      "lat50 %.2f lat99 %.2f vps %.1f procs %d "
	      "killed %d reaped %d gone %d failed %d %s\n",
	      (now_ns() - start_ns) / 1e9, sc_name[r->sc], m_name[r->mode],
	      sz, r->rep,
	      r->sampled ? " (sampled)" : "", r->free_ms, r->exit_ms,
	      r->empty_ms, r->sys95_ms, r->kcpu_ms, r->kru_ms, r->vcpu_ms,
	      r->lib_ms, r->lat50_ms, r->lat99_ms, r->vps, r->procs,
	      r->killed, r->reaped, r->gone, r->failed, r->status);
	fputc('.', stderr);
}

/* The end of a run of a scenario: the killer back on its CPU, the status
 * "ok" or the first failure's (else "failed"), and the progress line. */
void run_done(struct run *r)
{
	pin_to(g.killer_cpu);
	if (r->ok)
		strf(r->status, sizeof(r->status), "ok");
	else if (!r->status[0])
		strf(r->status, sizeof(r->status), "failed");
	progress(r);
}

/* ---- statistics --------------------------------------------------------- */

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* a[0..n) without its NaNs (the runs that failed), sorted; their count. */
static int sorted_numbers(double *a, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(a[i]))
			a[k++] = a[i];
	qsort(a, (size_t)k, sizeof(double), cmp_double);
	return k;
}

struct stat3 stat_of(double *a, int n)
{
	struct stat3 s = { 0, NAN, NAN, NAN };
	int k = sorted_numbers(a, n);

	if (!k)
		return s;
	s.n = k;
	s.min = a[0];
	s.max = a[k - 1];
	s.med = k % 2 ? a[k / 2] : (a[k / 2 - 1] + a[k / 2]) / 2;
	return s;
}

double percentile(double *a, int n, double p)
{
	int i, k = sorted_numbers(a, n);
	double x;

	if (!k)
		return NAN;
	/* Linear between the closest ranks. */
	x = p / 100.0 * (k - 1);
	i = (int)x;
	if (i >= k - 1)
		return a[k - 1];
	return a[i] + (x - i) * (a[i + 1] - a[i]);
}

const char *const f_name[] = {
	"free_ms", "exit_ms", "empty_ms", "memcg95_ms", "killer_cpu_ms",
	"killer_rusage_ms", "victim_cpu_ms", "lib_time_ms", "killer_nivcsw",
	"latency_p50_ms", "latency_p99_ms", "victims_per_s", "reaped_frac"
};

double field(const struct run *r, int f)
{
	switch (f) {
	case F_FREE: return r->free_ms;
	case F_EXIT: return r->exit_ms;
	case F_EMPTY: return r->empty_ms;
	case F_SYS95: return r->sys95_ms;
	case F_KCPU: return r->kcpu_ms;
	case F_KRU: return r->kru_ms;
	case F_VCPU: return r->vcpu_ms;
	case F_NIVCSW: return r->nivcsw;
	case F_LAT50: return r->lat50_ms;
	case F_LAT99: return r->lat99_ms;
	case F_VPS: return r->vps;
	case F_REAPED:
		return r->killed > 0 && r->reaped >= 0 ?
		       (double)r->reaped / r->killed : NAN;
	default: return r->lib_ms;
	}
}

struct stat3 summarize(int sc, int mode, size_t n, int sampled, int f)
{
	double *a = malloc(sizeof(double) * (size_t)(nruns + 1));
	struct stat3 s;
	int i, k = 0;

	if (!a)
		return (struct stat3){ 0, NAN, NAN, NAN };
	if (IS_CG_MODE(mode))
		mode = cg_mode(mode);
	for (i = 0; i < nruns; i++) {
		const struct run *r = &runs[i];

		if (r->sc != sc || r->mode != mode || r->n != n || !r->ok)
			continue;
		if (sampled != 2 && (int)r->sampled != sampled)
			continue;
		a[k++] = field(r, f);
	}
	s = stat_of(a, k);
	free(a);
	return s;
}

const struct run *find_run(int sc, int mode, size_t n, int rep,
				  bool sampled)
{
	int i;

	for (i = 0; i < nruns; i++)
		if (runs[i].sc == sc && runs[i].mode == mode &&
		    runs[i].n == n && runs[i].rep == rep &&
		    runs[i].sampled == sampled && runs[i].ok)
			return &runs[i];
	return NULL;
}

/* Paired ratio a/b of a field, per repetition; n == 0: every size (the
 * cgroup's: its total sizes). */
struct stat3 paired(int sca, int ma, int scb, int mb, size_t n,
			   bool sampled, int f)
{
	double a[512];
	int i, k = 0, rep, ns = IS_CG(sca) ? opt.cg_nsizes : opt.nsizes;

	if (IS_CG_MODE(ma))
		ma = cg_mode(ma);
	if (IS_CG_MODE(mb))
		mb = cg_mode(mb);
	for (i = 0; i < ns; i++) {
		size_t sz = IS_CG(sca) ?
			    (size_t)opt.cg_procs * opt.cg_sizes[i] :
			    opt.sizes[i];

		if (n && sz != n)
			continue;
		int nrep = IS_CG(sca) ? opt.cg_reps :
			   opt.reps + opt.sampled_reps;

		for (rep = 0; rep < nrep && k < 512; rep++) {
			const struct run *x, *y;

			x = find_run(sca, ma, sz, rep, sampled);
			y = find_run(scb, mb, sz, rep, sampled);
			if (x && y && field(y, f) > 0)
				a[k++] = field(x, f) / field(y, f);
		}
	}
	return stat_of(a, k);
}

void fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		strf(buf, len, "-");
	else if (v >= 100)
		strf(buf, len, "%.0f", v);
	else if (v >= 10)
		strf(buf, len, "%.1f", v);
	else
		strf(buf, len, "%.2f", v);
}

void fmt_stat(char *buf, size_t len, struct stat3 s, const char *unit)
{
	char a[32], b[32], c[32];

	if (!s.n) {
		strf(buf, len, "-");
		return;
	}
	fmt_num(a, sizeof(a), s.med);
	fmt_num(b, sizeof(b), s.min);
	fmt_num(c, sizeof(c), s.max);
	if (s.n == 1)
		strf(buf, len, "%s%s", a, unit);
	else
		strf(buf, len, "%s%s [%s-%s]", a, unit, b, c);
}
