/*
 * tool.h - what the pieces of mrelease(1) share: one context, no globals
 *
 * SPDX-License-Identifier: MIT
 *
 *   args.c     the command line into struct options (usage, --version)
 *   parse.c    the values of arguments: PIDs, signals, durations, sizes
 *   target.c   one process: pidfd, what /proc says, signal, kill, wait
 *   cgroup.c   the cgroup mode, through the library's cgroup calls
 *   output.c   the report: text or one JSON object
 *   mrelease.c main(): which mode, then the report and the exit status
 *
 * Every pidfd is opened before anything else is looked at or sent, so a
 * reused pid is never killed; /proc is read after the pidfd is open and the
 * process is checked to be alive after that, so what /proc said belongs to
 * the process the pidfd names.
 */
#ifndef MRELEASE_TOOLS_TOOL_H
#define MRELEASE_TOOLS_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mrelease.h>

#include "procparse.h"

#define TOOL_NAME "mrelease"
#define EXIT_SOME_FAILED 1
#define EXIT_USAGE 2

enum outcome {
	O_NONE,		/* not acted on yet */
	O_ERROR,	/* could not be acted on: see kind and msg */
	O_WOULD,	/* dry run */
	O_KILLED,	/* SIGKILLed (and maybe reaped) */
	O_SIGNALLED,	/* sent a signal other than KILL, no timeout */
	O_EXITED,	/* exited on that signal before the timeout */
	O_SKIPPED,	/* cgroup refused as a whole: not acted on, not listed */
};

/* Why a target could not be acted on: decisions look at this, never at the
 * text of the message. */
enum err_kind {
	K_NONE,
	K_REFUSED,	/* PID 1, mrelease itself, a kernel thread: --force */
	K_FAILED,	/* anything else */
};

struct target {
	const char *arg;	/* the command-line word, or NULL (cgroup) */
	pid_t pid;
	int pidfd;
	struct mr_status st;
	uint64_t rss_anon, rss_file, rss_shmem;	/* held */
	enum outcome outcome;
	enum err_kind kind;
	char what[96];		/* K_REFUSED: what --force would kill */
	char msg[160];		/* why it could not be acted on */
	int escalated;		/* still alive after --timeout: SIGKILLed */
	int kthread;		/* a kernel thread (only with --force) */
	int nopidfd;		/* pidfd_open missing: kill(2), as the library */
	struct mrelease_result res;
	uint64_t exit_ns;	/* O_EXITED: from the signal to the exit */
	uint64_t sent_ns;
};

struct options {
	int sig;		/* SIGKILL unless --signal */
	int have_signal;
	uint64_t timeout_ns;
	int have_timeout;
	const char *cgroup;
	int dry_run, json, quiet, force;
	char **pids;		/* the PID words */
	int npids;
};

/* The cgroup mode's outcome, beside its processes' targets. */
struct cgroup_run {
	struct mrelease_result res;	/* mrelease_kill_cgroup() */
	struct mrelease_result sig;	/* mrelease_signal_cgroup() */
	int called, signalled;
	int err;			/* the library's errno */
	char msg[512];			/* why, for the whole cgroup */
};

struct tool {
	struct options opt;
	struct target *targets;
	size_t ntargets, atargets;
	int failures;
	int collecting;		/* cgroup: a process gone meanwhile is no error */
	struct cgroup_run cg;
};

/* args.c: fills tl->opt from the command line; exits on a usage error,
 * --help and --version. */
void tool_parse_args(struct tool *tl, int argc, char **argv);

/* target.c */
struct target *tool_new_target(struct tool *tl, const char *arg, pid_t pid);
struct target *tool_find_target(struct tool *tl, pid_t pid);
void tool_fail(struct tool *tl, struct target *t, enum err_kind kind,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* 0 when t can be acted on, 1 when it exited meanwhile (collecting), -1
 * after tool_fail(). */
int tool_prepare(struct tool *tl, struct target *t);
int tool_exited(const struct target *t, int timeout_ms);
void tool_wait_exits(struct tool *tl);
/* Every target still O_NONE becomes outcome. */
void tool_mark_pending(struct tool *tl, enum outcome outcome);
void tool_run_pids(struct tool *tl);

/* cgroup.c */
void tool_run_cgroup(struct tool *tl);

/* output.c */
void tool_print_text(const struct tool *tl);
void tool_print_json(const struct tool *tl, int status);

#endif /* MRELEASE_TOOLS_TOOL_H */
