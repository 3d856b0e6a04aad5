/*
 * calls.c - scenario 6: the cost of one call (callgrind instructions, ns)
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench.h"

#if HAVE_GLIBC_PIDFD
# include <sys/pidfd.h>
#endif
#if HAVE_CALLGRIND_H
# include <valgrind/callgrind.h>
#endif

/* ---- scenario 6: the cost of one call ------------------------------------- */

const char *const c_name[C_N] = {
	"empty loop", "getppid()",
	"syscall(SYS_process_mrelease, -1, 0)",
	"mrelease_process_mrelease(-1, 0)",
	"glibc process_mrelease(-1, 0)",
	"syscall(SYS_pidfd_open, self, 0) + close",
	"mrelease_pidfd_open(self, 0) + close",
	"glibc pidfd_open(self, 0) + close",
	"syscall(SYS_pidfd_send_signal, self, 0, NULL, 0)",
	"mrelease_pidfd_kill(self, 0, 0)",
	"glibc pidfd_send_signal(self, 0, NULL, 0)",
};

static volatile int sink;

bool call_available(int c)
{
	return HAVE_GLIBC_PIDFD ||
	       (c != C_MR_GLIBC && c != C_OPEN_GLIBC && c != C_KILL_GLIBC);
}

/* iters calls of variant c; noinline so that callgrind sees one loop */
#define REPEAT(stmt) \
	do { \
		for (long i_ = 0; i_ < iters; i_++) \
			stmt; \
	} while (0)

static __attribute__((noinline)) void call_loop(int c, long iters, pid_t self,
						int selffd)
{
	switch (c) {
	case C_LOOP:
		REPEAT(__asm__ __volatile__("" ::: "memory"));
		break;
	case C_GETPPID:
		REPEAT(sink = getppid());
		break;
	case C_MR_RAW:
		REPEAT(sink = (int)syscall(MRELEASE_NR_process_mrelease, -1, 0));
		break;
	case C_MR_LIB:
		REPEAT(sink = mrelease_process_mrelease(-1, 0));
		break;
	case C_OPEN_RAW:
		REPEAT(close((int)syscall(MRELEASE_NR_pidfd_open, self, 0)));
		break;
	case C_OPEN_LIB:
		REPEAT(close(mrelease_pidfd_open(self, 0)));
		break;
	case C_KILL_RAW:
		REPEAT(sink = (int)syscall(MRELEASE_NR_pidfd_send_signal,
					   selffd, 0, NULL, 0));
		break;
	case C_KILL_LIB:
		REPEAT(sink = mrelease_pidfd_kill(selffd, 0, 0));
		break;
#if HAVE_GLIBC_PIDFD
	case C_MR_GLIBC:
		REPEAT(sink = process_mrelease(-1, 0));
		break;
	case C_OPEN_GLIBC:
		REPEAT(close(pidfd_open(self, 0)));
		break;
	case C_KILL_GLIBC:
		REPEAT(sink = pidfd_send_signal(selffd, 0, NULL, 0));
		break;
#endif
	default:
		break;
	}
}
#undef REPEAT

/* Under valgrind --tool=callgrind --collect-atstart=no: one dump per
 * variant, named after it. */
int callgrind_child(long iters)
{
#if HAVE_CALLGRIND_H
	pid_t self = getpid();
	int selffd = raw_pidfd_open(self), c;
	char name[16];

	for (c = 0; c < C_N; c++) {
		if (!call_available(c))
			continue;
		call_loop(c, 100, self, selffd);	/* warm the PLT */
		CALLGRIND_ZERO_STATS;
		CALLGRIND_TOGGLE_COLLECT;
		call_loop(c, iters, self, selffd);
		CALLGRIND_TOGGLE_COLLECT;
		strf(name, sizeof(name), "variant-%d", c);
		CALLGRIND_DUMP_STATS_AT(name);
	}
	return 0;
#else
	(void)iters;
	fprintf(stderr, "built without <valgrind/callgrind.h>\n");
	return 77;
#endif
}

double instr[C_N];
double cns_med[C_N], cns_min[C_N], cns_max[C_N];
char callgrind_note[256];

void run_callgrind(void)
{
	char dir[PATH_MAX], out[PATH_MAX + 32], logp[PATH_MAX + 32];
	char file[PATH_MAX + 64], line[512], iters[32];
	pid_t pid;
	int st, k, c;
	long n = opt.smoke ? 2000 : 100000;

	for (c = 0; c < C_N; c++)
		instr[c] = NAN;
	if (!opt.callgrind) {
		strf(callgrind_note, sizeof(callgrind_note),
			 "not run (--no-callgrind)");
		return;
	}
	if (!HAVE_CALLGRIND_H) {
		strf(callgrind_note, sizeof(callgrind_note),
			 "not run: built without <valgrind/callgrind.h>");
		return;
	}
	strf(dir, sizeof(dir), "%s/callgrind", opt.outdir);
	mkdir(dir, 0755);
	strf(out, sizeof(out), "--callgrind-out-file=%s/cg.out", dir);
	strf(logp, sizeof(logp), "--log-file=%s/valgrind.log", dir);
	strf(iters, sizeof(iters), "%ld", n);
	/* Old dumps would be read as this run's. */
	for (k = 1; k < 64; k++) {
		strf(file, sizeof(file), "%s/cg.out.%d", dir, k);
		unlink(file);
	}
	pid = fork_child();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 1);
		dup2(devnull, 2);
		execlp("valgrind", "valgrind", "--tool=callgrind",
		       "--collect-atstart=no", out, logp, g.self_exe,
		       "--callgrind-child", iters, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		strf(callgrind_note, sizeof(callgrind_note), "fork failed");
		return;
	}
	kid_del(pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		strf(callgrind_note, sizeof(callgrind_note),
			 "valgrind failed (exit %d; not installed?): see %s",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1, dir);
		return;
	}
	for (k = 1; k < 64; k++) {
		FILE *f;
		int var = -1;
		double total = NAN;

		strf(file, sizeof(file), "%s/cg.out.%d", dir, k);
		f = fopen(file, "re");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			char *s = strstr(line, "variant-");

			if (!strncmp(line, "desc: Trigger:", 14) && s)
				var = atoi(s + 8);
			else if (!strncmp(line, "summary:", 8) ||
				 !strncmp(line, "totals:", 7))
				total = strtod(strchr(line, ':') + 1, NULL);
		}
		fclose(f);
		if (var >= 0 && var < C_N)
			instr[var] = total / (double)n;
	}
	strf(callgrind_note, sizeof(callgrind_note),
		 "valgrind --tool=callgrind, %ld calls per variant", n);
}

void run_calls(void)
{
	pid_t self = getpid();
	int selffd = raw_pidfd_open(self);
	long iters = opt.call_iters, rounds = opt.call_rounds, k;
	double *ns = calloc((size_t)(C_N * rounds), sizeof(double));
	int c;

	run_callgrind();
	if (!ns || selffd < 0) {
		note_skip("calls: %s", selffd < 0 ? "no pidfd_open" : "ENOMEM");
		free(ns);
		return;
	}
	for (c = 0; c < C_N; c++)
		call_loop(c, 1000, self, selffd);
	for (k = 0; k < rounds; k++)
		for (c = 0; c < C_N; c++) {
			int64_t t0;

			if (!call_available(c))
				continue;
			t0 = now_ns();
			call_loop(c, iters, self, selffd);
			ns[c * rounds + k] = (double)(now_ns() - t0) / iters;
		}
	for (c = 0; c < C_N; c++) {
		double *a = ns + c * rounds;

		if (!call_available(c)) {
			cns_med[c] = cns_min[c] = cns_max[c] = NAN;
			continue;
		}
		qsort(a, (size_t)rounds, sizeof(double), cmp_double);
		cns_min[c] = a[0];
		cns_max[c] = a[rounds - 1];
		cns_med[c] = rounds % 2 ? a[rounds / 2] :
			     (a[rounds / 2 - 1] + a[rounds / 2]) / 2;
	}
	free(ns);
	close(selffd);
}
