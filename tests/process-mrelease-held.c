/*
 * process-mrelease-held.c - process_mrelease(2) on victims held so that
 * they cannot run their own exit: the memory really goes, a second call
 * reaps again, and an mm shared with a live process is refused.
 *
 * SPDX-License-Identifier: MIT
 *
 * The hold (tl_hold_start): the cgroup v1 freezer, where a SIGKILLed task
 * stays in D state with its mm; else the caller runs SCHED_FIFO on the
 * victim's CPU.  Without either (not root) the program exits 77.
 */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mrelease.h"
#include "testlib.h"

#define VICTIM_SIZE (128 * MiB)
#define VICTIM_KB ((long)(VICTIM_SIZE / 1024))
/* "Near 0": what is left of a reaped 128 MiB victim, in kB. */
#define NEAR_ZERO_KB 1024L

static void hold(struct tl_hold *h, pid_t pid)
{
	ck_assert_msg(tl_hold_start(h, pid) == 0, "holding %d: %s", (int)pid,
		      strerror(errno));
}

/* The hold alone does not make a process dying. */
START_TEST(t_mrelease_process_mrelease__EINVAL__held_not_killed)
{
	struct tl_hold h;
	int pidfd;
	pid_t pid = tl_victim(4 * MiB, -1, &pidfd);

	hold(&h, pid);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EINVAL);
	ck_assert_int_ge(tl_status_kb(pid, "RssAnon"), 4 * 1024 * 9 / 10);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	tl_hold_end(&h);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

/* SIGKILL, reap: RssAnon of the still present victim falls to near 0. */
START_TEST(t_process_mrelease_frees_memory)
{
	struct tl_hold h;
	long before, killed, after;
	int pidfd;
	pid_t pid = tl_victim(VICTIM_SIZE, -1, &pidfd);

	before = tl_status_kb(pid, "RssAnon");
	ck_assert_int_ge(before, VICTIM_KB * 9 / 10);
	hold(&h, pid);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	/* Dying but held: it still has all of its memory. */
	killed = tl_status_kb(pid, "RssAnon");
	ck_assert_int_ge(killed, VICTIM_KB * 9 / 10);
	ck_assert_int_eq(process_mrelease(pidfd, 0), 0);
	after = tl_status_kb(pid, "RssAnon");
	printf("t_process_mrelease_frees_memory: RssAnon %ld kB -> %ld kB "
	       "(hold: %s)\n", killed, after,
	       h.method == TL_HOLD_FREEZER ? "freezer" : "SCHED_FIFO");
	/* Read while still held: -1 would mean it exited on its own. */
	ck_assert_int_ge(after, 0);
	ck_assert_int_le(after, NEAR_ZERO_KB);
	tl_hold_end(&h);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

/* A second call on the same dying process reaps again: 0. */
START_TEST(t_process_mrelease_twice)
{
	struct tl_hold h;
	int pidfd;
	pid_t pid = tl_victim(16 * MiB, -1, &pidfd);

	hold(&h, pid);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	ck_assert_int_eq(process_mrelease(pidfd, 0), 0);
	ck_assert_int_ge(tl_status_kb(pid, "RssAnon"), 0);	/* still there */
	ck_assert_int_eq(process_mrelease(pidfd, 0), 0);
	ck_assert_int_eq(process_mrelease(pidfd, 0), 0);
	ck_assert_int_le(tl_status_kb(pid, "RssAnon"), NEAR_ZERO_KB);
	tl_hold_end(&h);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

static int ready_pipe = -1;

static int clone_vm_child(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (write(ready_pipe, "r", 1) != 1)
		_exit(3);
	for (;;)
		pause();
	return 0;
}

/* pid held, then SIGKILLed through a new pidfd: process_mrelease() says
 * EINVAL while another process shares its mm.  Returns the pidfd. */
static int killed_sharing_mm(struct tl_hold *h, pid_t pid)
{
	int pidfd = pidfd_open(pid, 0);

	ck_assert_int_ge(pidfd, 0);
	hold(h, pid);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), EINVAL);
	return pidfd;
}

/* A killed CLONE_VM child whose mm this (live) test process shares. */
START_TEST(t_mrelease_process_mrelease__EINVAL__clone_vm_sharer_alive)
{
	const size_t stack_size = 256 * 1024;
	struct tl_hold h;
	int p[2], pidfd;
	char *stack, c;
	pid_t pid;

	stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	ck_assert(stack != MAP_FAILED);
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ready_pipe = p[1];
	pid = clone(clone_vm_child, stack + stack_size, CLONE_VM | SIGCHLD, NULL);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	pidfd = killed_sharing_mm(&h, pid);
	tl_hold_end(&h);
	tl_victim_died(pid, pidfd, SIGKILL);
	munmap(stack, stack_size);
}
END_TEST

/* In the middle process: vfork a child that reports its pid and waits;
 * once the child is gone, exit 0 if SIGKILL took it. */
static void __attribute__((noreturn)) vfork_parent(int wfd)
{
	int status;
	pid_t c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	c = vfork();
	if (c == 0) {
		pid_t me = getpid();

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (write(wfd, &me, sizeof(me)) != (ssize_t)sizeof(me))
			_exit(3);
		for (;;)
			pause();
	}
	if (c < 0 || waitpid(c, &status, 0) != c)
		_exit(2);
	_exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1);
}

/* A killed vfork child whose vfork parent still lives. */
START_TEST(t_mrelease_process_mrelease__EINVAL__vfork_parent_alive)
{
	struct tl_hold h;
	int p[2], pidfd, status;
	pid_t parent, child;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	parent = fork();
	ck_assert_int_ge(parent, 0);
	if (parent == 0) {
		close(p[0]);
		vfork_parent(p[1]);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &child, sizeof(child)), sizeof(child));
	close(p[0]);
	pidfd = killed_sharing_mm(&h, child);
	/* The vfork parent is alive (waiting for the child). */
	ck_assert_int_ne(tl_state(parent), 'Z');
	ck_assert_int_ne(tl_state(parent), 0);
	tl_hold_end(&h);
	ck_assert_int_eq(waitpid(parent, &status, 0), parent);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(pidfd);
}
END_TEST

/* Before Linux 5.15: ENOSYS, and the dying, held victim keeps all of its
 * memory until it runs its own exit. */
START_TEST(t_mrelease_process_mrelease__ENOSYS__held_keeps_memory)
{
	struct tl_hold h;
	long killed, after;
	int pidfd;
	pid_t pid = tl_victim(VICTIM_SIZE, -1, &pidfd);

	hold(&h, pid);
	ck_assert_int_eq(pidfd_kill(pidfd, SIGKILL, 0), 0);
	killed = tl_status_kb(pid, "RssAnon");
	ck_assert_int_ge(killed, VICTIM_KB * 9 / 10);
	TL_ASSERT_ERRNO(process_mrelease(pidfd, 0), ENOSYS);
	after = tl_status_kb(pid, "RssAnon");
	ck_assert_int_ge(after, killed);
	tl_hold_end(&h);
	tl_victim_died(pid, pidfd, SIGKILL);
}
END_TEST

/* Before the run: what these tests need beside the calls. */
static void need(void)
{
	switch (tl_hold_init("core-tests")) {
	case TL_HOLD_FREEZER:
		printf("holding victims with the cgroup v1 freezer at %s\n",
		       tl_freezer_root());
		break;
	case TL_HOLD_FIFO:
		printf("holding victims with SCHED_FIFO (no cgroup v1 freezer, or TL_HOLD=fifo)\n");
		break;
	default:
		tl_skip("no way to hold a dying victim: cgroup v1 freezer or "
			"SCHED_FIFO (needs root)", NULL);
	}
}

int main(void)
{
	if (tl_under_valgrind()) {
		tl_skip_test(t_mrelease_process_mrelease__EINVAL__clone_vm_sharer_alive,
			     "valgrind refuses clone(CLONE_VM)");
		tl_skip_test(t_mrelease_process_mrelease__EINVAL__vfork_parent_alive,
			     "valgrind turns vfork() into fork()");
	} else {
		tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__clone_vm_sharer_alive);
		tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__vfork_parent_alive);
	}
	tl_skip_test_without_reap(t_mrelease_process_mrelease__EINVAL__held_not_killed);
	tl_skip_test_without_reap(t_process_mrelease_frees_memory);
	tl_skip_test_without_reap(t_process_mrelease_twice);
	tl_skip_test_with_reap(t_mrelease_process_mrelease__ENOSYS__held_keeps_memory);
	return TL_RUN("process_mrelease_held", "held",
		     TL_CALLS_KILL, need, 0, TL_CHECK_FDS);
}
