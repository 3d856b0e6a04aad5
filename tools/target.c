/*
 * target.c - one process of mrelease(1): its pidfd, what /proc says of it,
 * the signal, the kill and the wait for its exit
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "tool.h"
#include "util.h"

static void out_of_memory(void) __attribute__((noreturn));
static void out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", TOOL_NAME);
	exit(EXIT_SOME_FAILED);
}

struct target *tool_new_target(struct tool *tl, const char *arg, pid_t pid)
{
	struct target *t;

	if (tl->ntargets == tl->atargets) {
		size_t n = tl->atargets ? tl->atargets * 2 : 16;
		struct target *p = realloc(tl->targets, n * sizeof(*p));

		if (!p)
			out_of_memory();
		tl->targets = p;
		tl->atargets = n;
	}
	t = &tl->targets[tl->ntargets++];
	memset(t, 0, sizeof(*t));
	t->arg = arg;
	t->pid = pid;
	t->pidfd = -1;
	return t;
}

struct target *tool_find_target(struct tool *tl, pid_t pid)
{
	size_t i;

	for (i = 0; i < tl->ntargets; i++)
		if (tl->targets[i].pid == pid)
			return &tl->targets[i];
	return NULL;
}

/* K_REFUSED: fmt says what --force would allow killing ("PID 1 (init)"). */
void tool_fail(struct tool *tl, struct target *t, enum err_kind kind,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (kind == K_REFUSED) {
		vsnprintf(t->what, sizeof(t->what), fmt, ap);
		snprintf(t->msg, sizeof(t->msg),
			 "refusing to kill %s without --force", t->what);
	} else {
		vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	}
	va_end(ap);
	t->outcome = O_ERROR;
	t->kind = kind;
	tl->failures++;
	if (tl->collecting && kind == K_REFUSED)
		return;		/* cgroup.c says it for the whole cgroup */
	if (t->arg)
		fprintf(stderr, "%s: %s: %s\n", TOOL_NAME, t->arg, t->msg);
	else
		fprintf(stderr, "%s: %d: %s\n", TOOL_NAME, (int)t->pid, t->msg);
}

/* Without a pidfd: 1 when /proc says the pid is gone or a zombie. */
static int proc_exited(pid_t pid)
{
	struct mr_stat st;
	int r = mr_proc_stat(pid, &st);

	if (r == -ENOENT || r == -ESRCH)
		return 1;
	return r == 0 && (st.state == 'Z' || st.state == 'X');
}

/* 1 when the target has exited (a zombie counts) within timeout_ms. */
int tool_exited(const struct target *t, int timeout_ms)
{
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };
	int r;

	if (t->nopidfd) {
		/* no pidfd to poll: look at /proc every 10 ms */
		for (;;) {
			if (proc_exited(t->pid))
				return 1;
			if (timeout_ms <= 0)
				return 0;
			nanosleep(&(struct timespec){ .tv_nsec = 10000000 },
				  NULL);
			timeout_ms -= 10;
		}
	}
	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

/* A signal (0: the check) to t, by pidfd or, without one, by pid. */
static int send_to(const struct target *t, int sig)
{
	return t->nopidfd ? kill(t->pid, sig) :
	       mrelease_pidfd_kill(t->pidfd, sig, 0);
}

/* A signal or kill that failed with err; gone says it for ESRCH. */
static void signal_failed(struct tool *tl, struct target *t, int err,
			  const char *gone, const char *call)
{
	if (err == EPERM && (t->st.have & MR_ST_UID))
		tool_fail(tl, t, K_FAILED,
			  "operation not permitted (owned by uid %u, not by uid %u)",
			  (unsigned int)t->st.ruid, (unsigned int)geteuid());
	else if (err == EPERM)
		tool_fail(tl, t, K_FAILED, "operation not permitted");
	else if (err == ESRCH)
		tool_fail(tl, t, K_FAILED, "%s", gone);
	else
		tool_fail(tl, t, K_FAILED, "%s: %s", call, strerror(err));
}

/* Opens the pidfd; 0, 1 (gone while collecting) or -1 after tool_fail(). */
static int open_pidfd(struct tool *tl, struct target *t)
{
	t->pidfd = mrelease_pidfd_open(t->pid, 0);
	if (t->pidfd >= 0)
		return 0;
	if (errno == ESRCH && tl->collecting)
		return 1;
	if (errno == ENOSYS || errno == EPERM) {
		/* no pidfds (Linux < 5.3, or a sandbox): fall back to kill(2)
		 * as mrelease_kill_pid() does; a reused pid is possible */
		t->nopidfd = 1;
		if (kill(t->pid, 0) == 0 || errno != ESRCH)
			return 0;
		if (tl->collecting)
			return 1;
		tool_fail(tl, t, K_FAILED, "no such process");
		return -1;
	}
	if (errno == ESRCH)
		tool_fail(tl, t, K_FAILED, "no such process");
	else if (errno == EINVAL)
		tool_fail(tl, t, K_FAILED, "not a process (a thread ID?): pidfd_open: %s",
			  strerror(errno));
	else
		tool_fail(tl, t, K_FAILED, "pidfd_open: %s", strerror(errno));
	return -1;
}

/* PID 1, mrelease itself and kernel threads need --force: -1 if refused. */
static int refused(struct tool *tl, struct target *t)
{
	if (tl->opt.force)
		return 0;
	if (t->pid == 1)
		tool_fail(tl, t, K_REFUSED, "PID 1 (init)");
	else if (t->pid == getpid())
		tool_fail(tl, t, K_REFUSED, "mrelease itself");
	else if (t->kthread)
		tool_fail(tl, t, K_REFUSED, "kernel thread %s",
			  t->st.name[0] ? t->st.name : "?");
	else
		return 0;
	return -1;
}

/*
 * Opens the pidfd, reads what /proc says, and checks the process is alive,
 * may be signalled and is not protected.
 */
int tool_prepare(struct tool *tl, struct target *t)
{
	struct mr_stat stat;
	int r = open_pidfd(tl, t);

	if (r)
		return r;
	if (mr_proc_status(t->pid, &t->st) < 0)
		memset(&t->st, 0, sizeof(t->st));
	if (mr_proc_stat(t->pid, &stat) == 0 &&
	    (stat.flags & MR_PF_KTHREAD))
		t->kthread = 1;
	if ((t->st.have & MR_ST_KTHREAD) && t->st.kthread)
		t->kthread = 1;
	t->rss_anon = t->st.rss_anon;
	t->rss_file = t->st.rss_file;
	t->rss_shmem = t->st.rss_shmem;
	/* alive after /proc was read: what it said is this process's */
	if (tool_exited(t, 0)) {
		if (tl->collecting)
			return 1;
		tool_fail(tl, t, K_FAILED,
			  "already exited (a zombie waiting for its parent)");
		return -1;
	}
	if (refused(tl, t) < 0)
		return -1;
	/* signal 0: may we signal it at all? */
	if (send_to(t, 0) < 0) {
		signal_failed(tl, t, errno, "no such process", "pidfd_send_signal");
		return -1;
	}
	return 0;
}

static void sigkill(struct tool *tl, struct target *t)
{
	int r = t->nopidfd ?
		mrelease_kill_pid(t->pid, MRELEASE_MEASURE, &t->res, sizeof(t->res)) :
		mrelease_kill(t->pidfd, MRELEASE_MEASURE, &t->res, sizeof(t->res));

	if (r < 0) {
		if (errno == ESRCH && t->outcome == O_SIGNALLED) {
			/* exited on the signal just after the timeout */
			t->outcome = O_EXITED;
			t->exit_ns = mr_now_ns() - t->sent_ns;
			t->escalated = 0;
			return;
		}
		signal_failed(tl, t, errno, "exited before it could be killed",
			      "kill failed");
		return;
	}
	if (t->kthread) {
		tool_fail(tl, t, K_FAILED, "a kernel thread ignores SIGKILL: not killed");
		return;
	}
	t->outcome = O_KILLED;
	if (t->res.status & MRELEASE_MEASURED) {
		t->rss_anon = t->res.rss_anon;
		t->rss_file = t->res.rss_file;
		t->rss_shmem = t->res.rss_shmem;
	}
}

/* Waits, up to the timeout, for every signalled target to exit. */
void tool_wait_exits(struct tool *tl)
{
	uint64_t deadline = mr_now_ns() + tl->opt.timeout_ns;
	size_t cap = tl->ntargets ? tl->ntargets : 1;
	struct pollfd *p = calloc(cap, sizeof(*p));
	size_t *idx = calloc(cap, sizeof(*idx));

	if (!p || !idx)
		out_of_memory();
	for (;;) {
		size_t i, n = 0;
		uint64_t now = mr_now_ns();
		int r, ms, slow = 0;

		for (i = 0; i < tl->ntargets; i++) {
			const struct target *t = &tl->targets[i];

			if (t->outcome != O_SIGNALLED)
				continue;
			slow |= t->nopidfd;
			p[n].fd = t->pidfd;	/* -1: poll skips it */
			p[n].events = POLLIN;
			p[n].revents = 0;
			idx[n++] = i;
		}
		if (n == 0 || now >= deadline)
			break;
		ms = (int)((deadline - now + 999999) / 1000000);
		if (slow && ms > 10)
			ms = 10;	/* no pidfd for some: look at /proc */
		r = poll(p, n, ms);
		if (r < 0 && errno != EINTR)
			break;
		now = mr_now_ns();
		for (i = 0; i < n; i++) {
			struct target *t = &tl->targets[idx[i]];

			if (t->nopidfd ? !proc_exited(t->pid) : !(r > 0 && p[i].revents))
				continue;
			t->outcome = O_EXITED;
			t->exit_ns = now - t->sent_ns;
		}
	}
	free(p);
	free(idx);
}

void tool_mark_pending(struct tool *tl, enum outcome outcome)
{
	size_t i;

	for (i = 0; i < tl->ntargets; i++)
		if (tl->targets[i].outcome == O_NONE)
			tl->targets[i].outcome = outcome;
}

/* The PID words into targets, each prepared; a PID listed twice once. */
static void add_pids(struct tool *tl)
{
	int i;

	for (i = 0; i < tl->opt.npids; i++) {
		const char *arg = tl->opt.pids[i];
		pid_t pid = 0;

		if (mr_parse_pid(arg, strlen(arg), &pid) < 0) {
			tool_fail(tl, tool_new_target(tl, arg, 0), K_FAILED,
				  "not a process ID (a number from 1 to 4194304)");
			continue;
		}
		if (!tool_find_target(tl, pid))
			tool_prepare(tl, tool_new_target(tl, arg, pid));
	}
}

/* Sends the signal to every prepared target. */
static void signal_all(struct tool *tl)
{
	size_t i;

	for (i = 0; i < tl->ntargets; i++) {
		struct target *t = &tl->targets[i];

		if (t->outcome != O_NONE)
			continue;
		t->sent_ns = mr_now_ns();
		if (send_to(t, tl->opt.sig) < 0) {
			signal_failed(tl, t, errno, "exited before it could be killed",
				      "kill failed");
			continue;
		}
		t->outcome = O_SIGNALLED;
	}
}

/* The PID mode: the signal, the wait, the kill. */
void tool_run_pids(struct tool *tl)
{
	size_t i;

	add_pids(tl);
	if (tl->opt.dry_run) {
		tool_mark_pending(tl, O_WOULD);
		return;
	}
	if (tl->opt.sig == SIGKILL) {
		for (i = 0; i < tl->ntargets; i++)
			if (tl->targets[i].outcome == O_NONE)
				sigkill(tl, &tl->targets[i]);
		return;
	}
	signal_all(tl);
	if (!tl->opt.have_timeout)
		return;
	tool_wait_exits(tl);
	for (i = 0; i < tl->ntargets; i++) {
		if (tl->targets[i].outcome != O_SIGNALLED)
			continue;
		tl->targets[i].escalated = 1;
		sigkill(tl, &tl->targets[i]);
	}
}
