/*
 * cgroup.c - mrelease(1)'s cgroup mode: the library's mrelease_signal_cgroup()
 * and mrelease_kill_cgroup(), and each process listed to report on it
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "parse.h"
#include "tool.h"
#include "util.h"

/* mr_cg_walk() visitor: adds the pids of one cgroup of the subtree. */
static int add_pids(int dirfd, const char *path, unsigned int depth, void *arg)
{
	struct tool *tl = arg;
	pid_t *pids;
	size_t n, i;
	int r = mr_cg_read_pids(dirfd, &pids, &n);

	(void)path;
	(void)depth;
	if (r == -ENOENT || r == -ENODEV)
		return 0;	/* removed meanwhile */
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (pids[i] > 0 && !tool_find_target(tl, pids[i]))
			tool_new_target(tl, NULL, pids[i]);
	free(pids);
	return 0;
}

/* The library's errno for the cgroup path, as words. */
static const char *errmsg(int err)
{
	switch (err) {
	case ENOENT: return "no such cgroup";
	case ENOTDIR: return "not a directory";
	case EMEDIUMTYPE: return "not a cgroup v2 directory";
	case EINVAL: return "refusing a root cgroup: it holds the whole system (or cgroup namespace)";
	case EACCES: return "permission denied: cannot read its cgroup.procs";
	case EPERM: return "operation not permitted";
	case ETIMEDOUT: return "still not empty when the wait ended";
	default: return strerror(err);
	}
}

/* The message for the whole cgroup, said on stderr. */
static void cg_say(struct tool *tl)
{
	fprintf(stderr, "%s: %s: %s\n", TOOL_NAME, tl->opt.cgroup, tl->cg.msg);
}

/* Why it cannot list the cgroup's processes: 0, or -1 with cg.msg set. */
static int list(struct tool *tl)
{
	struct cgroup_run *cg = &tl->cg;
	int fd, r;

	/* signal 0 through the library: its errno says whether the path is
	 * a cgroup it would act on (no such, not v2, a root) */
	memset(&cg->sig, 0, sizeof(cg->sig));
	if (mrelease_signal_cgroup(AT_FDCWD, tl->opt.cgroup, 0, 0, &cg->sig,
				   sizeof(cg->sig)) < 0 &&
	    cg->sig.killed + cg->sig.gone + cg->sig.failed == 0) {
		cg->err = errno;
		snprintf(cg->msg, sizeof(cg->msg), "%s", errmsg(errno));
		return -1;
	}
	fd = open(tl->opt.cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(cg->msg, sizeof(cg->msg), "%s", errmsg(errno));
		return -1;
	}
	r = mr_cg_walk(fd, add_pids, tl);
	close(fd);
	if (r < 0) {
		snprintf(cg->msg, sizeof(cg->msg), "cannot list its processes: %s",
			 strerror(-r));
		return -1;
	}
	return 0;
}

/* Lists the cgroup's processes into targets, each prepared; -1 after
 * saying why not (unreadable, or a process it must refuse). */
static int prepare(struct tool *tl)
{
	size_t i;

	if (list(tl) < 0) {
		tl->failures++;
		cg_say(tl);
		return -1;
	}
	tl->collecting = 1;
	for (i = 0; i < tl->ntargets; i++) {
		struct target *t = &tl->targets[i];
		int r = tool_prepare(tl, t);

		/* a process that exited meanwhile is not a problem here */
		if (r > 0) {
			if (t->pidfd >= 0)
				close(t->pidfd);
			memmove(t, t + 1, (tl->ntargets - i - 1) * sizeof(*t));
			tl->ntargets--;
			i--;
			continue;
		}
		if (r < 0 && t->kind == K_REFUSED) {
			char pidstr[32] = "";

			if (t->pid != 1)
				snprintf(pidstr, sizeof(pidstr), " (PID %d)", (int)t->pid);
			snprintf(tl->cg.msg, sizeof(tl->cg.msg),
				 "refusing the whole cgroup: it holds %s%s; "
				 "--force would kill it too", t->what, pidstr);
			tl->cg.err = EPERM;
			tl->collecting = 0;
			cg_say(tl);
			return -1;
		}
	}
	tl->collecting = 0;
	return 0;
}

/* The signal to the whole subtree, through the library. */
static void cg_signal(struct tool *tl)
{
	struct cgroup_run *cg = &tl->cg;
	uint64_t now = mr_now_ns();
	size_t i;

	memset(&cg->sig, 0, sizeof(cg->sig));
	cg->signalled = 1;
	if (mrelease_signal_cgroup(AT_FDCWD, tl->opt.cgroup, tl->opt.sig, 0,
				   &cg->sig, sizeof(cg->sig)) < 0) {
		cg->err = errno;
		snprintf(cg->msg, sizeof(cg->msg), "%u of its processes could not be sent %s: %s",
			 cg->sig.failed, mr_signal_name(tl->opt.sig), errmsg(cg->err));
		cg_say(tl);
		tl->failures++;
	}
	for (i = 0; i < tl->ntargets; i++) {
		if (tl->targets[i].outcome != O_NONE)
			continue;
		tl->targets[i].outcome = O_SIGNALLED;
		tl->targets[i].sent_ns = now;
	}
}

static void cg_kill(struct tool *tl)
{
	struct cgroup_run *cg = &tl->cg;
	size_t i;
	int alive = 0;

	for (i = 0; i < tl->ntargets; i++)
		if (tl->targets[i].outcome == O_NONE ||
		    tl->targets[i].outcome == O_SIGNALLED)
			alive = 1;
	if (tl->opt.sig != SIGKILL && !alive && tl->ntargets)
		return;		/* all exited on the signal: nothing to kill */
	cg->called = 1;
	if (mrelease_kill_cgroup(AT_FDCWD, tl->opt.cgroup, MRELEASE_MEASURE,
				 &cg->res, sizeof(cg->res)) < 0 || cg->res.failed) {
		cg->err = errno;
		snprintf(cg->msg, sizeof(cg->msg), "%u of its processes survived: %s",
			 cg->res.failed, errmsg(cg->err));
		cg_say(tl);
		tl->failures++;
	}
	/* per process: did it die?  Give the kill a moment to land. */
	for (i = 0; i < tl->ntargets; i++) {
		struct target *t = &tl->targets[i];

		if (t->outcome == O_EXITED || t->outcome == O_ERROR)
			continue;
		t->escalated = t->outcome == O_SIGNALLED;
		if (tool_exited(t, 1000)) {
			t->outcome = O_KILLED;
			t->res.status = MRELEASE_KILLED;
		} else {
			tool_fail(tl, t, K_FAILED,
				  "still alive after the cgroup was killed");
		}
	}
}

void tool_run_cgroup(struct tool *tl)
{
	if (prepare(tl) < 0) {
		/* refused or unreadable: nothing is listed as acted on */
		tool_mark_pending(tl, O_SKIPPED);
		return;
	}
	if (tl->opt.dry_run) {
		tool_mark_pending(tl, O_WOULD);
		return;
	}
	if (tl->opt.sig != SIGKILL) {
		cg_signal(tl);
		if (tl->opt.have_timeout)
			tool_wait_exits(tl);
	}
	if (tl->opt.sig == SIGKILL || tl->opt.have_timeout)
		cg_kill(tl);
}
