/*
 * syscall-table.c - the syscall numbers the library calls are the kernel's
 *
 * SPDX-License-Identifier: MIT
 *
 * shared/syscall-nr.h takes the numbers of pidfd_send_signal, pidfd_open and
 * process_mrelease from the build's headers when they have them, else from
 * its fallback table (MRELEASE_FALLBACK_NR).  This program checks, for the
 * architecture it is compiled for:
 *
 *  - at compile time (_Static_assert): wherever <asm/unistd.h> (or the
 *    libc's <sys/syscall.h>) defines __NR_x / SYS_x as a number >= 0, the
 *    fallback table's number equals it, and so does MRELEASE_NR_x, the
 *    number the library calls.  A cross compiler with its arch's
 *    linux-libc-dev headers thus fails to compile this file on a mismatch;
 *  - at run time: prints every number (table, header, used) and checks the
 *    same again, then calls the wrappers built into this executable (or the
 *    library linked with it) and checks that each reached the right system
 *    call: pidfd_open(getpid()) returns an fd whose /proc/self/fdinfo shows
 *    our pid, pidfd_kill(fd, 0) probes a live child, SIGKILLs it and the
 *    child dies of SIGKILL, process_mrelease() on a live child gives EINVAL
 *    and on the killed one 0 (or ESRCH when it won the race), on fd -1
 *    EBADF.  A wrong number would give ENOSYS or another call's answer.
 *
 * Built three ways:
 *  - tests/syscall-table: Check program linked with the library (make check);
 *  - tests/syscall-table-fallback: the same with -DMRELEASE_IGNORE_HEADER_NR
 *    and lib/syscall.c compiled into it, so the wrappers use the fallback
 *    table alone, as a build against headers older than the calls would;
 *  - -DSYSCALL_TABLE_STANDALONE: no Check, no testlib (cross compilers have
 *    neither): ci/stages/70-cross.sh compiles it for each arch and
 *    runs it under qemu-user.  Exit 0 pass, 1 fail, 77 skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The kernel's numbers for this arch: its uapi header, straight. */
#include <asm/unistd.h>

#include "mrelease.h"
#include "syscall-nr.h"

#ifndef SYSCALL_TABLE_STANDALONE
# include <check.h>
# include "testlib.h"
#endif

/* The unified-table numbers the fallback table is indexed by. */
#define UNI_pidfd_send_signal 424
#define UNI_pidfd_open 434
#define UNI_process_mrelease 448

/* ---- compile time -------------------------------------------------- */

#if MRELEASE_FALLBACK_NR(0) < 0 && !defined(SYSCALL_TABLE_UNKNOWN_ARCH_OK)
# error "shared/syscall-nr.h has no fallback numbers for this architecture"
#endif

#define CHECK_NR(name)							\
	_Static_assert(MRELEASE_FALLBACK_NR(UNI_##name) == __NR_##name,	\
		       "shared/syscall-nr.h: fallback number of " #name	\
		       " differs from <asm/unistd.h>");			\
	_Static_assert(MRELEASE_NR_##name == __NR_##name,		\
		       "shared/syscall-nr.h: MRELEASE_NR_" #name		\
		       " differs from <asm/unistd.h>")

#if defined(__NR_pidfd_send_signal) && __NR_pidfd_send_signal >= 0
CHECK_NR(pidfd_send_signal);
# define HDR_pidfd_send_signal ((long)__NR_pidfd_send_signal)
#else
# define HDR_pidfd_send_signal (-1L)
#endif
#if defined(__NR_pidfd_open) && __NR_pidfd_open >= 0
CHECK_NR(pidfd_open);
# define HDR_pidfd_open ((long)__NR_pidfd_open)
#else
# define HDR_pidfd_open (-1L)
#endif
#if defined(__NR_process_mrelease) && __NR_process_mrelease >= 0
CHECK_NR(process_mrelease);
# define HDR_process_mrelease ((long)__NR_process_mrelease)
#else
# define HDR_process_mrelease (-1L)
#endif

/* The libc's SYS_x (glibc: from the same header; musl: its own table). */
#if defined(SYS_pidfd_send_signal) && SYS_pidfd_send_signal >= 0
_Static_assert(MRELEASE_FALLBACK_NR(UNI_pidfd_send_signal) ==
	       SYS_pidfd_send_signal, "SYS_pidfd_send_signal differs");
# define LIBC_pidfd_send_signal ((long)SYS_pidfd_send_signal)
#else
# define LIBC_pidfd_send_signal (-1L)
#endif
#if defined(SYS_pidfd_open) && SYS_pidfd_open >= 0
_Static_assert(MRELEASE_FALLBACK_NR(UNI_pidfd_open) == SYS_pidfd_open,
	       "SYS_pidfd_open differs");
# define LIBC_pidfd_open ((long)SYS_pidfd_open)
#else
# define LIBC_pidfd_open (-1L)
#endif
#if defined(SYS_process_mrelease) && SYS_process_mrelease >= 0
_Static_assert(MRELEASE_FALLBACK_NR(UNI_process_mrelease) ==
	       SYS_process_mrelease, "SYS_process_mrelease differs");
# define LIBC_process_mrelease ((long)SYS_process_mrelease)
#else
# define LIBC_process_mrelease (-1L)
#endif

/* Under MRELEASE_IGNORE_HEADER_NR the numbers used are the table's. */
#ifdef MRELEASE_IGNORE_HEADER_NR
_Static_assert(MRELEASE_NR_pidfd_send_signal ==
	       MRELEASE_FALLBACK_NR(UNI_pidfd_send_signal), "not the table");
_Static_assert(MRELEASE_NR_pidfd_open ==
	       MRELEASE_FALLBACK_NR(UNI_pidfd_open), "not the table");
_Static_assert(MRELEASE_NR_process_mrelease ==
	       MRELEASE_FALLBACK_NR(UNI_process_mrelease), "not the table");
#endif

/* ---- run time ------------------------------------------------------ */

struct nr_row {
	const char *name;
	long table, header, libc, used;
};

static const struct nr_row rows[] = {
	{ "pidfd_send_signal", MRELEASE_FALLBACK_NR(UNI_pidfd_send_signal),
	  HDR_pidfd_send_signal, LIBC_pidfd_send_signal,
	  MRELEASE_NR_pidfd_send_signal },
	{ "pidfd_open", MRELEASE_FALLBACK_NR(UNI_pidfd_open),
	  HDR_pidfd_open, LIBC_pidfd_open, MRELEASE_NR_pidfd_open },
	{ "process_mrelease", MRELEASE_FALLBACK_NR(UNI_process_mrelease),
	  HDR_process_mrelease, LIBC_process_mrelease,
	  MRELEASE_NR_process_mrelease },
};

static const char *arch_name(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return "x32";
#elif defined(__x86_64__)
	return "x86_64";
#elif defined(__i386__)
	return "i386";
#elif defined(__aarch64__)
	return "aarch64";
#elif defined(__arm__)
	return "arm";
#elif defined(__mips__) && defined(_ABIO32) && _MIPS_SIM == _ABIO32
	return "mips o32";
#elif defined(__mips__) && defined(_ABI64) && _MIPS_SIM == _ABI64
	return "mips n64";
#elif defined(__mips__) && defined(_ABIN32) && _MIPS_SIM == _ABIN32
	return "mips n32";
#elif defined(__powerpc64__)
	return "powerpc64";
#elif defined(__powerpc__)
	return "powerpc";
#elif defined(__riscv)
	return "riscv";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__alpha__)
	return "alpha";
#else
	return "other";
#endif
}

/* Prints the table; returns the number of mismatches (the compile-time
 * checks again, so that a run shows them too). */
static int print_and_compare(void)
{
	unsigned int i;
	int bad = 0;

	printf("arch %s, numbers from %s\n", arch_name(),
#ifdef MRELEASE_IGNORE_HEADER_NR
	       "the fallback table only (MRELEASE_IGNORE_HEADER_NR)"
#else
	       "the headers where defined"
#endif
	       );
	printf("%-18s %8s %8s %8s %8s\n", "syscall", "table", "__NR_",
	       "SYS_", "used");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct nr_row *r = &rows[i];
		int ok = r->used >= 0 && r->table >= 0 &&
			 (r->header < 0 || (r->header == r->table &&
					    r->header == r->used)) &&
			 (r->libc < 0 || r->libc == r->table);

		printf("%-18s %8ld %8ld %8ld %8ld  %s\n", r->name, r->table,
		       r->header, r->libc, r->used, ok ? "ok" : "MISMATCH");
		if (!ok)
			bad++;
	}
	printf("(-1: not defined by that header)\n");
	fflush(stdout);
	return bad;
}

/* The pid that /proc/self/fdinfo/<fd> names for a pidfd, -1 if none. */
static long fdinfo_pid(int fd)
{
	char path[64], line[256];
	long pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Pid:", 4) == 0)
			pid = strtol(line + 4, NULL, 10);
	fclose(f);
	return pid;
}

/* A child that waits in pause() until it is killed. */
static pid_t spawn_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/*
 * The wrappers, called for real.  Each step returns 0 when the wrapper
 * reached its system call, 77 when the kernel (or qemu-user) lacks it, else
 * 1; msg says what went wrong.
 */
#define SAY(...) snprintf(msg, len, __VA_ARGS__)

/* pidfd_open(getpid()): an fd whose fdinfo names our pid. */
static int step_pidfd_open(char *msg, size_t len)
{
	long named;
	int fd;

	fd = pidfd_open(getpid(), 0);
	if (fd < 0 && errno == ENOSYS) {
		SAY("pidfd_open: ENOSYS (Linux 5.3)");
		return 77;
	}
	if (fd < 0) {
		SAY("pidfd_open(self): %s", strerror(errno));
		return 1;
	}
	named = fdinfo_pid(fd);
	close(fd);
	/* qemu-user may show the host's fdinfo without a Pid: line (-1). */
	if (named != -1 && named != (long)getpid()) {
		SAY("pidfd_open's fd names pid %ld, not %ld", named,
		    (long)getpid());
		return 1;
	}
	return 0;
}

/* process_mrelease(-1): EBADF, not ENOSYS nor another call's errno. */
static int step_mrelease_ebadf(char *msg, size_t len)
{
	int rc, err;

	errno = 0;
	rc = process_mrelease(-1, 0);
	err = errno;
	if (rc == -1 && err == ENOSYS) {
		SAY("process_mrelease: ENOSYS (Linux 5.15)");
		return 77;
	}
	if (rc != -1 || err != EBADF) {
		SAY("process_mrelease(-1, 0) = %d, %s; want EBADF", rc,
		    strerror(err));
		return 1;
	}
	return 0;
}

/*
 * A child: pidfd_kill(fd, 0) probes it, process_mrelease refuses it while
 * it lives (EINVAL), pidfd_kill(fd, SIGKILL) kills it (it dies of SIGKILL)
 * and process_mrelease then gives 0, or ESRCH when the child's own exit
 * freed the memory first.  live_only: stop after the EINVAL.
 */
static int step_kill_and_reap(int live_only, char *msg, size_t len)
{
	int fd, rc, status = 0, no_mrelease = 0;
	pid_t child;

	child = spawn_child();
	if (child < 0) {
		SAY("fork: %s", strerror(errno));
		return 1;
	}
	fd = pidfd_open(child, 0);
	if (fd < 0) {
		SAY("pidfd_open(child): %s", strerror(errno));
		rc = errno == ENOSYS ? 77 : 1;
		goto out;
	}
	rc = pidfd_kill(fd, 0, 0);
	if (rc == -1 && errno == ENOSYS) {
		SAY("pidfd_send_signal: ENOSYS (Linux 5.1)");
		rc = 77;
		goto out;
	}
	if (rc != 0) {
		SAY("pidfd_kill(child, 0): %s", strerror(errno));
		rc = 1;
		goto out;
	}
	errno = 0;
	rc = process_mrelease(fd, 0);
	if (rc == -1 && errno == ENOSYS) {
		/* qemu-user 7.2 lacks it: still check the kill. */
		SAY("pidfd_kill worked; process_mrelease: ENOSYS "
		    "(Linux 5.15, or qemu-user)");
		no_mrelease = 1;
	} else if (rc != -1 || errno != EINVAL) {
		SAY("process_mrelease(live child) = %d, %s; want EINVAL", rc,
		    strerror(errno));
		rc = 1;
		goto out;
	}
	if (live_only) {
		rc = 0;
		goto out;
	}
	if (pidfd_kill(fd, SIGKILL, 0) != 0) {
		SAY("pidfd_kill(child, SIGKILL): %s", strerror(errno));
		rc = 1;
		goto out;
	}
	rc = no_mrelease ? 0 : process_mrelease(fd, 0);
	if (rc != 0 && errno != ESRCH) {
		SAY("process_mrelease(killed child) = %d, %s", rc,
		    strerror(errno));
		rc = 1;
		goto out;
	}
	close(fd);
	if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGKILL) {
		SAY("the child did not die of SIGKILL (status %#x)", status);
		return 1;
	}
	return no_mrelease ? 77 : 0;
out:
	if (fd >= 0)
		close(fd);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return rc;
}

#ifdef SYSCALL_TABLE_STANDALONE

static int merge(int rc, int step, const char *what, const char *msg)
{
	printf("%s: %s%s%s\n", step == 0 ? "ok" : step == 77 ? "SKIP" : "FAIL",
	       what, step ? ": " : "", step ? msg : "");
	if (rc == 1 || step == 1)
		return 1;
	return rc == 77 || step == 77 ? 77 : 0;
}

int main(void)
{
	char msg[256] = "";
	int rc;

	if (print_and_compare() != 0) {
		printf("FAIL: a number differs\n");
		return 1;
	}
	printf("ok: numbers\n");
	/* Every step, so that a qemu lacking one call still tests the rest:
	 * fail if any failed, else skip if any was skipped. */
	rc = 0;
	rc = merge(rc, step_pidfd_open(msg, sizeof(msg)), "pidfd_open", msg);
	rc = merge(rc, step_mrelease_ebadf(msg, sizeof(msg)),
		   "process_mrelease(-1)", msg);
	rc = merge(rc, step_kill_and_reap(0, msg, sizeof(msg)),
		   "kill and reap a child", msg);
	printf("%s\n", rc == 0 ? "PASS" : rc == 77 ? "SKIP" : "FAIL");
	return rc;
}

#else /* Check: tl_require() has skipped a kernel that lacks pidfd_open or
       * pidfd_send_signal, so ENOSYS from them is a wrong number, a
       * failure; process_mrelease's tests are added only where the kernel
       * has it. */

#define STEP(call)							\
	do {								\
		char msg[256] = "";					\
		int before = tl_fd_count();				\
		ck_assert_msg((call) == 0, "%s", msg);			\
		ck_assert_int_eq(tl_fd_count(), before);		\
	} while (0)

START_TEST(t_syscall_table_matches_headers)
{
	ck_assert_int_eq(print_and_compare(), 0);
}
END_TEST

START_TEST(t_syscall_table_pidfd_open_self)
{
	STEP(step_pidfd_open(msg, sizeof(msg)));
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EBADF__table_number)
{
	STEP(step_mrelease_ebadf(msg, sizeof(msg)));
}
END_TEST

START_TEST(t_mrelease_process_mrelease__EINVAL__live_child_table_number)
{
	STEP(step_kill_and_reap(1, msg, sizeof(msg)));
}
END_TEST

START_TEST(t_syscall_table_kill_and_reap)
{
	char msg[256] = "";
	int before = tl_fd_count();
	int rc = step_kill_and_reap(0, msg, sizeof(msg));

	/* Without process_mrelease (Linux 5.15): the kill still reached
	 * pidfd_send_signal and the child died of it (77, not 1). */
	ck_assert_msg(rc == (tl_reap_missing() ? 77 : 0), "%d: %s", rc, msg);
	ck_assert_int_eq(tl_fd_count(), before);
}
END_TEST

int main(void)
{
	/* A kernel without process_mrelease answers ENOSYS to any number:
	 * its number cannot be told right there. */
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EBADF__table_number);
	tl_skip_test_without_reap(
		t_mrelease_process_mrelease__EINVAL__live_child_table_number);
	return TL_RUN("syscall-table", "numbers", TL_CALLS_KILL, NULL, 0, 0);
}

#endif
