/*
 * lmkd.c - scenario 7: many small victims (lmkd's case) through the
 * asynchronous reaper on 1, 2 and 4 workers
 *
 * SPDX-License-Identifier: MIT
 *
 * opt.lmkd_procs victims of opt.lmkd_size each are submitted at once to a
 * reaper made by mrelease_reaper_new_attr() (MRELEASE_ATTR_THREADS), as a
 * daemon's main loop would: the submit returns at once and the completions
 * come back through the reaper's fd, polled by the same loop.  Reported:
 * victims per second (all of them over the time from the first submit to
 * the last completion) and each victim's latency from its submit to the
 * moment the loop read its completion, median and 99th percentile.  Idle
 * (7), and loaded as 4b (7b): a nice-0 busy loop on each CPU, the victims
 * at nice 19, the killer and so its workers at nice -10.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static int lmkd_threads(int mode)
{
	return mode == M_LMKD1 ? 1 : mode == M_LMKD2 ? 2 : 4;
}

/* Read every completion waiting; lat[cookie] and the counts. */
static void drain(struct mrelease_reaper *rp, const int64_t *sub,
		  double *lat, int *done, struct run *r)
{
	struct mrelease_completion c;

	while (mrelease_reaper_read(rp, &c, sizeof(c)) == 0) {
		int64_t t = now_ns();

		if (c.cookie < (uint64_t)opt.lmkd_procs) {
			lat[c.cookie] = (t - sub[c.cookie]) / 1e6;
			if (c.error)
				r->failed++;
			else if (c.result.status & MRELEASE_REAPED)
				r->reaped++;
			else
				r->gone++;
			if (!c.error)
				r->killed++;
		}
		(*done)++;
	}
}

static void measure_lmkd(int sc, int mode, int rep)
{
	int nv = opt.lmkd_procs, nt = lmkd_threads(mode);
	struct run *r = new_run(sc, mode, (size_t)nv * opt.lmkd_size, rep,
				false);
	struct loadenv env = { { -1, -1 }, false };
	struct mrelease_reaper *rp = NULL;
	struct mrelease_attr a;
	struct victim *v = calloc((size_t)nv, sizeof(*v));
	int64_t *sub = calloc((size_t)nv, sizeof(*sub));
	double *lat = calloc((size_t)nv, sizeof(*lat));
	int i, started = 0, done = 0, next = 0;
	int64_t t0, t1;
	double c0;

	r->procs = nv;
	if (!v || !sub || !lat)
		goto out;
	pin_to(-1);
	for (i = 0; i < nv; i++, started++)
		if (victim_start(&v[i], opt.lmkd_size, -1,
				 sc == SC_LMKDBUSY ? 19 : 0, NULL))
			break;
	for (i = 0; i < started; i++)
		if (victim_ready(&v[i], opt.lmkd_size))
			break;
	if (started < nv || i < nv) {
		strf(r->status, sizeof(r->status), "victims not ready");
		goto out;
	}
	sleep_ms(opt.settle_ms);
	if (load_start(sc == SC_LMKDBUSY, &env, r->status, sizeof(r->status)))
		goto out;
	/* After load_start(): the workers inherit the killer's nice. */
	memset(&a, 0, sizeof(a));
	a.mask = MRELEASE_ATTR_THREADS;
	a.threads = (uint32_t)nt;
	rp = mrelease_reaper_new_attr((unsigned int)nv, 0, &a, sizeof(a));
	if (!rp) {
		strf(r->status, sizeof(r->status), "reaper: %s",
		     strerror(errno));
		goto out;
	}
	r->killed = r->reaped = r->gone = r->failed = 0;
	for (i = 0; i < nv; i++)
		lat[i] = NAN;
	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now_ns();
	while (done < nv) {
		struct pollfd p = { mrelease_reaper_fd(rp), POLLIN, 0 };

		while (next < nv) {
			sub[next] = now_ns();
			if (mrelease_reaper_submit(rp, v[next].pidfd,
						   (uint64_t)next, 0) == 0) {
				next++;
				continue;
			}
			if (errno != EAGAIN) {
				strf(r->status, sizeof(r->status),
				     "submit: %s", strerror(errno));
				goto out;
			}
			break;	/* full: take completions first */
		}
		if (poll(&p, 1, 60000) <= 0) {
			strf(r->status, sizeof(r->status), "no completion");
			goto out;
		}
		drain(rp, sub, lat, &done, r);
	}
	t1 = now_ns();
	r->kcpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	r->free_ms = (t1 - t0) / 1e6;
	r->vps = nv / (r->free_ms / 1e3);
	r->lat50_ms = percentile(lat, nv, 50);
	r->lat99_ms = percentile(lat, nv, 99);
	r->ok = r->failed == 0;
out:
	if (rp)
		mrelease_reaper_destroy(rp);
	load_stop(&env);
	for (i = 0; v && i < started; i++) {
		kill(v[i].pid, SIGKILL);
		victim_finish(&v[i], NULL);
	}
	free(v);
	free(sub);
	free(lat);
	run_done(r);
}

void run_lmkd(void)
{
	static const int modes[] = { M_LMKD1, M_LMKD2, M_LMKD4 };
	int sc, rep, i;

	for (sc = SC_LMKD; sc <= SC_LMKDBUSY; sc++) {
		if (!want(sc))
			continue;
		for (rep = 0; rep < opt.lmkd_reps; rep++)
			for (i = 0; i < 3; i++)
				measure_lmkd(sc, modes[(i + rep) % 3], rep);
	}
}
