/*
 * cgkill.c - scenario 4: a cgroup of processes killed by each pattern, and
 * the P-thread munmap floor of the same memory
 *
 * SPDX-License-Identifier: MIT
 *
 * The patterns (bench/README defines them):
 *   cgroup.kill + wait        systemd-oomd: cgroup.kill, wait until empty
 *   oomd's pattern            oomd's BaseKillPlugin (kernelkill, reap_memory):
 *                             cgroup.freeze 1, cgroup.kill, then pidfd_open +
 *                             process_mrelease of each pid cgroup.procs lists
 *   cgroup.kill, then reap    the same without the freeze (1.1's "oomd" row)
 *   mrelease_kill_cgroup      the library: freeze, SIGKILL + process_mrelease
 *                             of each process through its pidfd on P threads,
 *                             the largest first, then the cgroup.kill sweep;
 *                             with MRELEASE_NO_FREEZE; on 1, 2 and 4 threads
 *   P-thread floor            the same total munmap()ed by P tasks at the
 *                             killer's priority (P = the cgroup kill's default
 *                             thread count: online CPUs, at most 4); also on 1
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "bench.h"

int cg_mode_threads(int m)
{
	switch (m) {
	case M_CG_LIB:
	case M_CG_NOFREEZE:
	case M_CG_FLOOR:
		return (int)g.cg_threads;
	case M_CG_LIB1:
	case M_CG_FLOOR1:
	case M_CG_OOMD:
	case M_CG_KILLFIRST:
		return 1;
	case M_CG_LIB2:
		return 2;
	case M_CG_LIB4:
		return 4;
	default:
		return 0;
	}
}

int cg_mode(int m)
{
	if ((m == M_CG_LIB1 || m == M_CG_LIB2 || m == M_CG_LIB4) &&
	    cg_mode_threads(m) == (int)g.cg_threads)
		return M_CG_LIB;
	if (m == M_CG_FLOOR1 && g.cg_threads == 1)
		return M_CG_FLOOR;
	return m;
}

int cg_modes(int *modes)
{
	static const int all[] = {
		M_CG_KILLWAIT, M_CG_OOMD, M_CG_KILLFIRST, M_CG_LIB,
		M_CG_NOFREEZE, M_CG_LIB1, M_CG_LIB2, M_CG_LIB4, M_CG_FLOOR,
		M_CG_FLOOR1,
	};
	size_t i;
	int k = 0;

	for (i = 0; i < MR_ARRAY_SIZE(all); i++)
		if (cg_mode(all[i]) == all[i])
			modes[k++] = all[i];
	return k;
}

static int open_dir(const char *dir)
{
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cg_killfile(const char *dir)
{
	char path[PATH_MAX + 32];
	pid_t *pids;
	size_t n, i;
	int fd, e;

	strf(path, sizeof(path), "%s/cgroup.kill", dir);
	if (!write_str(path, "1"))
		return 0;
	/* No cgroup.kill (before 5.14): SIGKILL each process listed. */
	fd = open_dir(dir);
	if (fd < 0)
		return -1;
	e = mr_cg_read_pids(fd, &pids, &n);
	close(fd);
	if (e < 0) {
		errno = -e;
		return -1;
	}
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	free(pids);
	return 0;
}

/* oomd's reapCgroupRecursively() for one cgroup: pidfd_open and
 * process_mrelease of every pid listed now, one after the other. */
static int reap_listed(int dirfd, struct run *r)
{
	pid_t *pids;
	size_t n, i;
	int e = mr_cg_read_pids(dirfd, &pids, &n);

	if (e < 0) {
		errno = -e;
		return -1;
	}
	r->killed = (int)n;
	r->reaped = r->gone = r->failed = 0;
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
	free(pids);
	return 0;
}

static void finish_sampled(struct run *r, pid_t samp, int64_t t0)
{
	if (samp <= 0)
		return;
	sleep_ms(30);	/* pages a racing exit still holds */
	sampler_stop(samp);
	r->sys95_ms = sampler_drop_ms(t0, (double)r->n, 0.95);
	r->curve = sampler_curve(t0);
}

/* ---- the P-thread floor ---------------------------------------------------- */

/*
 * P tasks at the killer's priority, each with its own mm holding 1/P of
 * the cgroup's memory, munmap() it at once.  Tasks, not threads of one
 * process: munmap() takes the mmap_lock of the mm for writing, so threads
 * of one mm would free one after the other, while the library's threads
 * each reap a different victim's mm.
 */
struct flmsg {
	int err;
	int64_t t1;
	double cpu_ms;
};

static void measure_cg_floor(int sc, int mode, size_t size, int rep,
			     bool sampled)
{
	int nt = cg_mode_threads(mode), i, ready = 0;
	size_t total = (size_t)opt.cg_procs * size, chunk;
	struct run *r = new_run(sc, mode, total, rep, sampled);
	struct loadenv env = { { -1, -1 }, false };
	int res[2] = { -1, -1 }, go[2] = { -1, -1 };
	pid_t pids[8], samp = -1;
	int64_t t0 = 0, t1 = 0;
	double cpu = 0;
	char gobuf[8];

	r->procs = nt;
	chunk = (total / (size_t)nt) & ~(size_t)4095;
	for (i = 0; i < nt; i++)
		pids[i] = -1;
	pin_to(-1);
	if (pipe2(res, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		strf(r->status, sizeof(r->status), "pipe");
		goto out;
	}
	for (i = 0; i < nt; i++) {
		pids[i] = fork_child();
		if (pids[i] == 0) {
			struct flmsg m = { 0, 0, 0 };
			void *p;
			char c;

			close(res[0]);
			close(go[1]);
			child_join(g.memcg_dir);
			p = map_and_touch(chunk);
			if (!p)
				m.err = errno;
			else if (sc == SC_CGBUSY &&
				 setpriority(PRIO_PROCESS, 0, -10))
				m.err = errno;
			write_all(res[1], &m, sizeof(m));
			if (m.err || read_all(go[0], &c, 1, 600000))
				_exit(1);
			m.cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
			munmap(p, chunk);
			m.t1 = now_ns();
			m.cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - m.cpu_ms;
			write_all(res[1], &m, sizeof(m));
			_exit(0);
		}
		if (pids[i] < 0) {
			strf(r->status, sizeof(r->status), "fork: %s",
			     strerror(errno));
			goto out;
		}
	}
	close(go[0]);
	go[0] = -1;
	for (ready = 0; ready < nt; ready++) {
		struct flmsg m;

		if (read_all(res[0], &m, sizeof(m), 300000) || m.err) {
			strf(r->status, sizeof(r->status), "setup: %s",
			     strerror(m.err ? m.err : errno));
			goto out;
		}
	}
	sleep_ms(opt.settle_ms);
	if (load_start(sc == SC_CGBUSY, &env, r->status, sizeof(r->status)))
		goto out;
	if (sampled && g.memcg_usage[0] &&
	    (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");
	memset(gobuf, 1, sizeof(gobuf));
	t0 = now_ns();
	if (write_all(go[1], gobuf, (size_t)nt)) {
		strf(r->status, sizeof(r->status), "go");
		goto out;
	}
	for (i = 0; i < nt; i++) {
		struct flmsg m;

		if (read_all(res[0], &m, sizeof(m), 600000)) {
			strf(r->status, sizeof(r->status), "no result");
			goto out;
		}
		if (m.t1 > t1)
			t1 = m.t1;
		cpu += m.cpu_ms;
	}
	r->free_ms = r->empty_ms = (t1 - t0) / 1e6;
	r->kcpu_ms = cpu;
	r->ok = true;
	finish_sampled(r, samp, t0);
	samp = -1;
out:
	if (samp > 0)
		sampler_stop(samp);
	load_stop(&env);
	for (i = 0; i < 2; i++) {
		if (res[i] >= 0)
			close(res[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
	for (i = 0; i < nt; i++)
		if (pids[i] > 0)
			kid_kill(pids[i]);
	run_done(r);
}

/* ---- the kills ------------------------------------------------------------ */

/* Kill the cgroup g.cg2_dir (open as dirfd) the way mode does: 0 or -1. */
static int kill_by(int mode, int dirfd, struct run *r)
{
	struct mrelease_result res;
	struct mrelease_attr a;
	char path[PATH_MAX + 32];
	int rc;

	switch (mode) {
	case M_CG_KILLWAIT:
		if (cg_killfile(g.cg2_dir))
			return -1;
		rc = mr_cg_wait_empty(dirfd, 60000);
		if (rc < 0) {
			errno = -rc;
			return -1;
		}
		return 0;
	case M_CG_OOMD:
		/* Freeze without waiting for "frozen 1", as oomd does. */
		strf(path, sizeof(path), "%s/cgroup.freeze", g.cg2_dir);
		write_str(path, "1");
		/* fall through */
	case M_CG_KILLFIRST:
		if (cg_killfile(g.cg2_dir))
			return -1;
		return reap_listed(dirfd, r);
	default:
		break;
	}
	memset(&res, 0, sizeof(res));
	if (mode == M_CG_LIB || mode == M_CG_NOFREEZE) {
		rc = mrelease_kill_cgroup(AT_FDCWD, g.cg2_dir,
					  mode == M_CG_NOFREEZE ?
					  MRELEASE_NO_FREEZE : 0,
					  &res, sizeof(res));
	} else {
		memset(&a, 0, sizeof(a));
		a.mask = MRELEASE_ATTR_THREADS;
		a.threads = (uint32_t)cg_mode_threads(mode);
		rc = mrelease_kill_cgroup_attr(AT_FDCWD, g.cg2_dir, 0, &a,
					       sizeof(a), &res, sizeof(res));
	}
	r->killed = (int)res.killed;
	r->reaped = (int)res.reaped;
	r->gone = (int)res.gone;
	r->failed = (int)res.failed;
	r->reap_errno = res.reap_errno;
	r->lib_ms = res.time_ns / 1e6;
	return rc;
}

void measure_cgroup(int sc, int mode, size_t size, int rep, bool sampled)
{
	int nv = opt.cg_procs;
	struct run *r;
	struct loadenv env = { { -1, -1 }, false };
	struct victim *v;
	char path[PATH_MAX + 32];
	pid_t samp = -1;
	int i, started = 0, dirfd = -1, rc = 0;
	int64_t t0, t1;
	struct cost cost;

	if (mode == M_CG_FLOOR || mode == M_CG_FLOOR1) {
		measure_cg_floor(sc, mode, size, rep, sampled);
		return;
	}
	r = new_run(sc, mode, (size_t)nv * size, rep, sampled);
	r->procs = nv;
	v = calloc((size_t)nv, sizeof(*v));
	if (!v)
		goto out;
	/* The victims and the killer's threads may use every CPU. */
	pin_to(-1);
	for (i = 0; i < nv; i++, started++)
		if (victim_start(&v[i], size, -1, sc == SC_CGBUSY ? 19 : 0,
				 g.cg2_dir))
			break;
	for (i = 0; i < started; i++)
		if (victim_ready(&v[i], size))
			break;
	if (started < nv || i < nv) {
		strf(r->status, sizeof(r->status), "victims not ready");
		goto out;
	}
	dirfd = open_dir(g.cg2_dir);
	sleep_ms(opt.settle_ms);
	if (dirfd < 0 ||
	    load_start(sc == SC_CGBUSY, &env, r->status, sizeof(r->status)))
		goto out;
	if (sampled && g.memcg_usage[0] &&
	    (samp = sampler_start(g.memcg_usage)) < 0)
		strf(r->status, sizeof(r->status), "no sampler");

	cost_start(&cost);
	t0 = now_ns();
	rc = kill_by(mode, dirfd, r);
	t1 = now_ns();
	if (mode == M_CG_OOMD || mode == M_CG_KILLFIRST)
		r->killed = nv;	/* cgroup.kill took them all */
	cost_end(&cost, r, t0, t1);
	if (rc) {
		strf(r->status, sizeof(r->status), "failed: %s",
		     strerror(errno));
		cg_killfile(g.cg2_dir);
	}
	if (mr_cg_wait_empty(dirfd, 60000) == 0)
		r->empty_ms = (now_ns() - t0) / 1e6;
	finish_sampled(r, samp, t0);
	r->ok = rc == 0 && !isnan(r->empty_ms);
out:
	if (mode == M_CG_OOMD) {
		/* oomd leaves the cgroup frozen; the next run must not be. */
		strf(path, sizeof(path), "%s/cgroup.freeze", g.cg2_dir);
		write_str(path, "0");
	}
	load_stop(&env);
	r->vcpu_ms = 0;
	for (i = 0; v && i < started; i++) {
		double cpu = 0;

		kill(v[i].pid, SIGKILL);
		victim_finish(&v[i], &cpu);
		r->vcpu_ms += cpu;
	}
	if (!r->ok)
		r->vcpu_ms = NAN;
	if (dirfd >= 0)
		close(dirfd);
	free(v);
	run_done(r);
}

void run_cgroup_reps(void)
{
	int modes[16], nm = cg_modes(modes), rep, i, k, sc;

	/* Every repetition sampled when there is a memory group: the
	 * sampler costs every pattern alike, and the charge is the only
	 * view that compares them fairly (oomd's loop returns before the
	 * processes that it found gone have finished freeing). */
	for (sc = SC_CGROUP; sc <= SC_CGBUSY; sc++) {
		if (!want(sc))
			continue;
		for (k = 0; k < opt.cg_nsizes; k++)
			for (rep = 0; rep < opt.cg_reps; rep++)
				for (i = 0; i < nm; i++)
					measure_cgroup(sc, modes[(i + rep) % nm],
						       opt.cg_sizes[k], rep,
						       g.memcg_usage[0] != 0);
	}
}
