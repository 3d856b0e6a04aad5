/*
 * scenarios.c - scenarios 1-3: one victim and one kill, the munmap floor
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "bench.h"

/* ---- scenarios 1-3: one victim, one kill -------------------------------- */

int poll_in(int fd, int timeout_ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	int r;

	while ((r = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	return r;
}

void measure_kill(int sc, int mode, size_t n, int rep, bool sampled)
{
	struct run *r = new_run(sc, mode, n, rep, sampled);
	struct mrelease_result res;
	struct victim v;
	pid_t hog = -1, samp = -1;
	int64_t t0, t1;
	struct cost cost;
	int err = 0, rc;

	if (victim_start(&v, n, g.victim_cpu, sc == SC_BUSY ? 19 : 0, NULL)) {
		strf(r->status, sizeof(r->status), "victim: %s",
			 strerror(errno));
		progress(r);
		return;
	}
	if (victim_ready(&v, n)) {
		strf(r->status, sizeof(r->status), "victim not ready");
		victim_abort(&v);
		progress(r);
		return;
	}
	sleep_ms(opt.settle_ms);
	if (sc == SC_BUSY) {
		hog = hog_start(g.victim_cpu, true, &err);
		if (hog < 0) {
			strf(r->status, sizeof(r->status), "hog: %s",
				 strerror(err));
			victim_abort(&v);
			progress(r);
			return;
		}
		sleep_ms(200);
	}
	if (sampled && (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");

	cost_start(&cost);
	t0 = now_ns();
	switch (mode) {
	case M_PLAIN:
		rc = raw_pidfd_kill(v.pidfd, SIGKILL) ? -1 :
		     poll_in(v.pidfd, opt.plain_timeout_ms);
		t1 = now_ns();
		if (rc == 0)
			strf(r->status, sizeof(r->status),
				 "not freed in %d ms", opt.plain_timeout_ms);
		else if (rc < 0)
			strf(r->status, sizeof(r->status), "kill: %s",
				 strerror(errno));
		r->ok = rc > 0;
		r->exit_ms = (t1 - t0) / 1e6;
		break;
	case M_MRELEASE:
		memset(&res, 0, sizeof(res));
		rc = mrelease_kill(v.pidfd, 0, &res, sizeof(res));
		t1 = now_ns();
		r->ok = rc == 0 && (res.status & MRELEASE_REAPED);
		r->reaped = !!(res.status & MRELEASE_REAPED);
		r->lib_ms = res.time_ns / 1e6;
		if (rc)
			strf(r->status, sizeof(r->status), "kill: %s",
				 strerror(errno));
		else if (!r->reaped)
			strf(r->status, sizeof(r->status),
				 "not reaped: %s", strerror(res.reap_errno));
		break;
	default:
		rc = raw_kill_and_reap(v.pidfd);
		t1 = now_ns();
		r->ok = rc == 1;
		r->reaped = rc == 1;
		if (rc < 0)
			strf(r->status, sizeof(r->status), "kill: %s",
				 strerror(errno));
		else if (rc == 0)
			strf(r->status, sizeof(r->status),
				 "not reaped: %s", strerror(errno));
		break;
	}
	cost_end(&cost, r, t0, t1);

	if (samp > 0) {
		sleep_ms(30);	/* pages a racing exit still holds */
		sampler_stop(samp);
		r->sys95_ms = sampler_drop_ms(t0, (double)n, 0.95);
		r->curve = sampler_curve(t0);
	}
	if (mode != M_PLAIN && sc == SC_IDLE && r->ok &&
	    poll_in(v.pidfd, 60000) > 0)
		r->exit_ms = (now_ns() - t0) / 1e6;
	if (hog > 0)
		kid_kill(hog);
	if (!r->ok)
		kill(v.pid, SIGKILL);
	victim_finish(&v, &r->vcpu_ms);
	if (!r->ok && !r->status[0])
		strf(r->status, sizeof(r->status), "failed");
	if (r->ok)
		strf(r->status, sizeof(r->status), "ok");
	progress(r);
}

/* The floor: a child on the killer's CPU maps, touches and munmap()s. */
struct floormsg {
	int err;
	int64_t t0, t1;
	double cpu_ms;
};

void measure_floor(size_t n, int rep, bool sampled)
{
	struct run *r = new_run(SC_FLOOR, M_MUNMAP, n, rep, sampled);
	struct floormsg m = { 0, 0, 0, 0 };
	int res[2], go[2];
	pid_t pid, samp = -1;
	char c = 1;

	if (pipe2(res, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		strf(r->status, sizeof(r->status), "pipe");
		progress(r);
		return;
	}
	pid = fork_child();
	if (pid == 0) {
		void *p;

		close(res[0]);
		close(go[1]);
		child_join(g.memcg_dir);
		pin_to(g.killer_cpu);
		p = map_and_touch(n);
		if (!p)
			m.err = errno;
		write_all(res[1], &m, sizeof(m));
		if (m.err || read_all(go[0], &c, 1, 600000))
			_exit(1);
		m.cpu_ms = clock_ms(CLOCK_THREAD_CPUTIME_ID);
		m.t0 = now_ns();
		munmap(p, n);
		m.t1 = now_ns();
		m.cpu_ms = clock_ms(CLOCK_THREAD_CPUTIME_ID) - m.cpu_ms;
		write_all(res[1], &m, sizeof(m));
		_exit(0);
	}
	close(res[1]);
	close(go[0]);
	if (pid < 0 || read_all(res[0], &m, sizeof(m), 300000) || m.err) {
		strf(r->status, sizeof(r->status), "setup: %s",
			 strerror(m.err ? m.err : errno));
		goto out;
	}
	sleep_ms(opt.settle_ms);
	if (sampled && (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");
	if (write_all(go[1], &c, 1) ||
	    read_all(res[0], &m, sizeof(m), 600000)) {
		strf(r->status, sizeof(r->status), "no result");
		sampler_stop(samp);
		goto out;
	}
	r->free_ms = (m.t1 - m.t0) / 1e6;
	r->kcpu_ms = m.cpu_ms;
	r->ok = true;
	strf(r->status, sizeof(r->status), "ok");
	if (samp > 0) {
		sleep_ms(30);
		sampler_stop(samp);
		r->sys95_ms = sampler_drop_ms(m.t0, (double)n, 0.95);
		r->curve = sampler_curve(m.t0);
	}
out:
	close(res[0]);
	close(go[1]);
	if (pid > 0)
		kid_kill(pid);
	progress(r);
}

/* ---- the run ------------------------------------------------------------ */

int rotate_modes(bool sampled, int *order)
{
	int k = 0;

	if (want(SC_IDLE)) {
		order[k++] = SC_IDLE << 8 | M_PLAIN;
		order[k++] = SC_IDLE << 8 | M_MRELEASE;
		if (!sampled && !opt.demo)
			order[k++] = SC_IDLE << 8 | M_RAW;
	}
	if (want(SC_BUSY) && g.fifo_ok) {
		order[k++] = SC_BUSY << 8 | M_PLAIN;
		order[k++] = SC_BUSY << 8 | M_MRELEASE;
		if (!sampled && !opt.demo)
			order[k++] = SC_BUSY << 8 | M_RAW;
	}
	if (want(SC_FLOOR))
		order[k++] = SC_FLOOR << 8 | M_MUNMAP;
	return k;
}

void rotate_run(int rep, bool sampled, size_t n)
{
	int order[8], k = rotate_modes(sampled, order), i;

	for (i = 0; i < k; i++) {
		int o = order[(i + rep) % k];

		if ((o >> 8) == SC_FLOOR)
			measure_floor(n, rep, sampled);
		else
			measure_kill(o >> 8, o & 0xff, n, rep, sampled);
	}
}

