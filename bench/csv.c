/*
 * csv.c - the CSV files of the runs, the summary and the calls
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

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
