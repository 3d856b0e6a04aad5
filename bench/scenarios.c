/*
 * scenarios.c - scenarios 1-4: one victim and one kill, the munmap floor, a cgroup
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
	double c0, c1, u0, u1;
	long iv0;
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

	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u0 = self_rusage_ms();
	iv0 = self_nivcsw;
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
	c1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u1 = self_rusage_ms();
	r->nivcsw = (double)(self_nivcsw - iv0);
	r->free_ms = (t1 - t0) / 1e6;
	r->kcpu_ms = c1 - c0;
	r->kru_ms = u1 - u0;

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

/* ---- scenario 4: a cgroup of processes ----------------------------------- */

static int cg_populated(int fd)
{
	char buf[256], *s;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	s = strstr(buf, "populated ");
	return s ? s[10] == '1' : -1;
}

/* Wait until cgroup.events says "populated 0"; ms waited, or -1. */
static int cg_wait_empty(int evfd, int timeout_ms)
{
	int64_t end = now_ns() + (int64_t)timeout_ms * 1000000LL;

	while (cg_populated(evfd) == 1) {
		struct pollfd pfd = { evfd, POLLPRI, 0 };

		if (now_ns() > end)
			return -1;
		poll(&pfd, 1, 5);
	}
	return 0;
}

static int cg_read_pids(const char *dir, pid_t *pids, int max)
{
	char path[PATH_MAX + 32], buf[8192], *s, *e;
	int n = 0;

	strf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (read_str(path, buf, sizeof(buf)) < 0)
		return -1;
	for (s = buf; *s && n < max; s = e) {
		long v = strtol(s, &e, 10);

		if (e == s)
			break;
		pids[n++] = (pid_t)v;
	}
	return n;
}

static int cg_killfile(const char *dir)
{
	char path[PATH_MAX + 32];
	pid_t pids[512];
	int i, n;

	strf(path, sizeof(path), "%s/cgroup.kill", dir);
	if (!write_str(path, "1"))
		return 0;
	/* No cgroup.kill (before 5.14): SIGKILL each process listed. */
	n = cg_read_pids(dir, pids, 512);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	return n < 0 ? -1 : 0;
}

/* sc: SC_CGROUP (idle), or SC_CGBUSY: a nice-0 busy loop on every CPU,
 * the victims at nice 19 and the killer at nice -10, as an OOM daemon on a
 * loaded machine (the victims get ~2% of a CPU, the killer's threads ~90%). */
void measure_cgroup(int sc, int mode, int rep, bool sampled)
{
	int nv = opt.cg_procs;
	struct run *r = new_run(sc, mode, (size_t)nv * opt.cg_size,
				rep, sampled);
	pid_t hogs[2] = { -1, -1 };
	bool niced = false;
	struct victim *v = calloc((size_t)nv, sizeof(*v));
	struct mrelease_result res;
	char path[PATH_MAX + 32];
	pid_t samp = -1, pids[512];
	int i, started = 0, evfd = -1, rc = 0;
	int64_t t0, t1;
	double c0, c1, u0, u1;
	long iv0;

	if (!v)
		goto out;
	/* The victims and the killer's threads may use every CPU. */
	pin_to(-1);
	for (i = 0; i < nv; i++, started++)
		if (victim_start(&v[i], opt.cg_size, -1,
				 sc == SC_CGBUSY ? 19 : 0, g.cg2_dir))
			break;
	for (i = 0; i < started; i++)
		if (victim_ready(&v[i], opt.cg_size))
			break;
	if (started < nv || i < nv) {
		strf(r->status, sizeof(r->status), "victims not ready");
		goto out;
	}
	strf(path, sizeof(path), "%s/cgroup.events", g.cg2_dir);
	evfd = open(path, O_RDONLY | O_CLOEXEC);
	sleep_ms(opt.settle_ms);
	if (sc == SC_CGBUSY) {
		int err = 0;

		hogs[0] = hog_start(g.killer_cpu, false, &err);
		if (g.victim_cpu != g.killer_cpu)
			hogs[1] = hog_start(g.victim_cpu, false, &err);
		if (hogs[0] < 0 || setpriority(PRIO_PROCESS, 0, -10)) {
			strf(r->status, sizeof(r->status), "hog or nice: %s",
			     strerror(err ? err : errno));
			goto out;
		}
		niced = true;
		sleep_ms(200);
	}
	if (sampled && g.memcg_usage[0] &&
	    (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");

	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u0 = self_rusage_ms();
	iv0 = self_nivcsw;
	t0 = now_ns();
	switch (mode) {
	case M_CG_KILLWAIT:	/* systemd-oomd: cgroup.kill, wait for empty */
		rc = cg_killfile(g.cg2_dir);
		if (!rc)
			rc = cg_wait_empty(evfd, 60000);
		break;
	case M_CG_OOMD: {	/* oomd: kill, then pidfd + reap each */
		int n;

		rc = cg_killfile(g.cg2_dir);
		n = rc ? 0 : cg_read_pids(g.cg2_dir, pids, 512);
		r->reaped = r->gone = r->failed = 0;
		r->killed = n;
		for (i = 0; i < n; i++) {
			int fd = raw_pidfd_open(pids[i]);

			if (fd < 0) {
				r->gone++;
				continue;
			}
			if (raw_process_mrelease(fd) == 0)
				r->reaped++;
			else if (errno == ESRCH)
				r->gone++;
			else
				r->failed++;
			close(fd);
		}
		break;
	}
	default:
		memset(&res, 0, sizeof(res));
		rc = mrelease_kill_cgroup(AT_FDCWD, g.cg2_dir,
					  MRELEASE_THREADS(mode == M_CG_LIB1 ?
							   1 : 2),
					  &res, sizeof(res));
		r->killed = (int)res.killed;
		r->reaped = (int)res.reaped;
		r->gone = (int)res.gone;
		r->failed = (int)res.failed;
		r->lib_ms = res.time_ns / 1e6;
		break;
	}
	t1 = now_ns();
	c1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	u1 = self_rusage_ms();
	r->nivcsw = (double)(self_nivcsw - iv0);
	r->free_ms = (t1 - t0) / 1e6;
	r->kcpu_ms = c1 - c0;
	r->kru_ms = u1 - u0;
	if (rc) {
		strf(r->status, sizeof(r->status), "failed: %s",
			 strerror(errno));
		cg_killfile(g.cg2_dir);
	}
	if (cg_wait_empty(evfd, 60000) == 0)
		r->empty_ms = (now_ns() - t0) / 1e6;
	if (samp > 0) {
		sleep_ms(30);
		sampler_stop(samp);
		r->sys95_ms = sampler_drop_ms(t0, (double)r->n, 0.95);
	}
	r->ok = rc == 0 && !isnan(r->empty_ms);
out:
	if (niced)
		setpriority(PRIO_PROCESS, 0, 0);
	for (i = 0; i < 2; i++)
		if (hogs[i] > 0)
			kid_kill(hogs[i]);
	r->vcpu_ms = 0;
	for (i = 0; v && i < started; i++) {
		double cpu = 0;

		kill(v[i].pid, SIGKILL);
		victim_finish(&v[i], &cpu);
		r->vcpu_ms += cpu;
	}
	if (!r->ok)
		r->vcpu_ms = NAN;
	if (evfd >= 0)
		close(evfd);
	free(v);
	pin_to(g.killer_cpu);
	if (r->ok)
		strf(r->status, sizeof(r->status), "ok");
	else if (!r->status[0])
		strf(r->status, sizeof(r->status), "failed");
	progress(r);
}

/* ---- the run ------------------------------------------------------------ */

void rotate_run(int rep, bool sampled, size_t n)
{
	int order[8], k = 0, i;

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
	for (i = 0; i < k; i++) {
		int o = order[(i + rep) % k];

		if ((o >> 8) == SC_FLOOR)
			measure_floor(n, rep, sampled);
		else
			measure_kill(o >> 8, o & 0xff, n, rep, sampled);
	}
}

void run_cgroup_reps(void)
{
	static const int modes[] = {
		M_CG_KILLWAIT, M_CG_OOMD, M_CG_LIB1, M_CG_LIB2
	};
	int rep, i;

	/* Every repetition sampled when there is a memory group: the
	 * sampler costs all four patterns alike, and the charge is the only
	 * view that compares them fairly (oomd's loop returns before the
	 * processes that it found gone have finished freeing). */
	int sc;

	for (sc = SC_CGROUP; sc <= SC_CGBUSY; sc++) {
		if (!want(sc))
			continue;
		for (rep = 0; rep < opt.reps; rep++)
			for (i = 0; i < 4; i++)
				measure_cgroup(sc, modes[(i + rep) % 4], rep,
					       g.memcg_usage[0] != 0);
	}
}
