/*
 * mrelease.h - kill a process and give its memory back now
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 *
 * The three system calls behind process_mrelease(2), as raw-syscall wrappers
 * that work on any libc and with any kernel headers, and helpers that kill a
 * process, a cgroup, or a queue of processes and reap their memory.
 *
 * Names.  The exported ELF symbols all start with mrelease_.  The short names
 * of the system calls (pidfd_open, pidfd_kill, process_mrelease) exist only
 * in this header: asm labels bind them to the prefixed symbols, so a program
 * that links -lmrelease never takes glibc's own pidfd_open or
 * process_mrelease away from it.  Define MRELEASE_NO_SHORT_NAMES before
 * including this header to get the prefixed names only.
 *
 * This header is C89 clean, needs no feature macro, and works from C++.
 * One exception in C++: glibc 2.36's <sys/pidfd.h> has no extern "C", so
 * when it comes first its pidfd_open has C++ linkage and clashes with the
 * short name here.  Include this header before it, or define
 * MRELEASE_NO_SHORT_NAMES and call mrelease_pidfd_open().
 * See libmrelease(7).
 */
#ifndef MRELEASE_H
#define MRELEASE_H

#include <sys/types.h>	/* pid_t, size_t */
#include <fcntl.h>	/* O_NONBLOCK, O_EXCL: their values differ per arch */
#include <stdint.h>	/* uint32_t, uint64_t */

#define MRELEASE_VERSION_MAJOR 1
#define MRELEASE_VERSION_MINOR 1
#define MRELEASE_VERSION_MICRO 0
/* Nonzero when this header is at least version major.minor.micro. */
#define MRELEASE_CHECK_VERSION(major, minor, micro)			\
	(MRELEASE_VERSION_MAJOR > (major) ||				\
	 (MRELEASE_VERSION_MAJOR == (major) &&				\
	  (MRELEASE_VERSION_MINOR > (minor) ||				\
	   (MRELEASE_VERSION_MINOR == (minor) &&			\
	    MRELEASE_VERSION_MICRO >= (micro)))))

/*
 * Flags of pidfd_open(2) and pidfd_send_signal(2), for kernel headers that
 * lack them.  The spellings are the kernel's own, so that <linux/pidfd.h> or
 * <sys/pidfd.h> included after this header redefines them identically.
 * P_PIDFD is deliberately not defined: it is an enum in glibc's <sys/wait.h>.
 */
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#ifndef PIDFD_SIGNAL_THREAD
#define PIDFD_SIGNAL_THREAD (1UL << 0)
#endif
#ifndef PIDFD_SIGNAL_THREAD_GROUP
#define PIDFD_SIGNAL_THREAD_GROUP (1UL << 1)
#endif
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1UL << 2)
#endif

/*
 * The exception specification glibc gives its own declarations, so that a
 * C++ file may see both ours and glibc's <sys/mman.h> process_mrelease.
 */
#if defined(__cplusplus) && __cplusplus >= 201103L
# define MRELEASE_NOEXCEPT noexcept(true)
#elif defined(__cplusplus)
# define MRELEASE_NOEXCEPT throw()
#else
# define MRELEASE_NOEXCEPT
#endif

#if defined(__GNUC__)
# define MRELEASE_WARN_UNUSED __attribute__((__warn_unused_result__))
#else
# define MRELEASE_WARN_UNUSED
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1.0: the system calls ------------------------------------------ */

/*
 * Each returns what the kernel returns: >= 0 on success, -1 with errno set
 * on failure.  ENOSYS when the kernel, the sandbox or the build lacks the
 * call.  Flags go to the kernel unchanged.  Thread- and async-signal-safe.
 */
extern int mrelease_pidfd_open(pid_t pid, unsigned int flags) MRELEASE_NOEXCEPT;
/* pidfd_send_signal(pidfd, sig, NULL, flags) */
extern int mrelease_pidfd_kill(int pidfd, int sig, unsigned int flags) MRELEASE_NOEXCEPT;
extern int mrelease_process_mrelease(int pidfd, unsigned int flags) MRELEASE_NOEXCEPT;

/* The library's version, "MAJOR.MINOR.MICRO"; a static string. */
extern const char *mrelease_version(void) MRELEASE_NOEXCEPT;

#if !defined(MRELEASE_NO_SHORT_NAMES)
# if defined(__GNUC__) || defined(__clang__)
extern int pidfd_open(pid_t pid, unsigned int flags)
	MRELEASE_NOEXCEPT __asm__("mrelease_pidfd_open");
extern int pidfd_kill(int pidfd, int sig, unsigned int flags)
	MRELEASE_NOEXCEPT __asm__("mrelease_pidfd_kill");
extern int process_mrelease(int pidfd, unsigned int flags)
	MRELEASE_NOEXCEPT __asm__("mrelease_process_mrelease");
# else
/* No asm labels: fall back to macros. */
#  define pidfd_open mrelease_pidfd_open
#  define pidfd_kill mrelease_pidfd_kill
#  define process_mrelease mrelease_process_mrelease
# endif
#endif

/* ---- 1.1: kill and reap --------------------------------------------- */

/* mrelease_probe(): which calls this kernel and sandbox allow. */
#define MRELEASE_HAVE_PIDFD_OPEN	0x1U
#define MRELEASE_HAVE_PIDFD_KILL	0x2U	/* pidfd_send_signal(2) */
#define MRELEASE_HAVE_PROCESS_MRELEASE	0x4U

/*
 * Probes each call with an argument that can only fail (lmkd's probe:
 * process_mrelease(-1, 0) answering EBADF means present; ENOSYS, or EPERM
 * from a seccomp filter, means absent).  Returns the mask of
 * MRELEASE_HAVE_* bits; never fails.  A seccomp filter that kills on an
 * unlisted syscall kills the caller here: allow all three in the sandbox.
 */
extern unsigned int mrelease_probe(void) MRELEASE_NOEXCEPT;

/* Flags of mrelease_kill(), mrelease_kill_pid(), mrelease_kill_cgroup()
 * and mrelease_reaper_submit().  Unknown bits give EINVAL. */
#define MRELEASE_MEASURE	0x1U	/* read RssAnon/RssFile/RssShmem before the
					   kill and compute the bytes freed */
#define MRELEASE_NO_KILLFILE	0x2U	/* cgroup: do not use cgroup.kill; signal
					   each process through its pidfd */
/* cgroup: reap on up to n threads (1..255); 0 means the default, the number
 * of online CPUs but at most 4. */
#define MRELEASE_THREADS(n)	((((unsigned int)(n)) & 0xffU) << 8)
#define MRELEASE_THREADS_MASK	0xff00U

/* struct mrelease_result.status bits */
#define MRELEASE_KILLED		0x1U	/* SIGKILL was delivered */
#define MRELEASE_REAPED		0x2U	/* process_mrelease(2) freed the memory */
#define MRELEASE_FALLBACK_KILL	0x4U	/* pidfds missing: kill(2) was used */
#define MRELEASE_MEASURED	0x8U	/* the rss_* and freed fields are valid */
#define MRELEASE_KILLFILE	0x10U	/* cgroup: cgroup.kill was used */

/*
 * The outcome of a kill.  The caller passes its size (the openat2(2) and
 * clone3(2) pattern): later releases append fields, and a caller built
 * against an older header still works.  The library writes only the first
 * `size` bytes; fields the caller's struct has and the library does not
 * know are zeroed.  Never shrinks: MRELEASE_RESULT_SIZE_VER0 is the least.
 */
struct mrelease_result {
	uint32_t status;	/* MRELEASE_KILLED | MRELEASE_REAPED | ... */
	int32_t  reap_errno;	/* 0 when reaped; else why not: ESRCH (it freed
				   its memory itself), ENOSYS, EPERM (sandbox),
				   EINVAL (memory shared with a live process) */
	int32_t  pid;		/* the pid, or 0 when unknown (cgroup: 0) */
	uint32_t killed;	/* processes killed */
	uint32_t reaped;	/* processes whose memory this call reaped */
	uint32_t gone;		/* processes that exited before the reap */
	uint32_t failed;	/* processes that could not be killed */
	uint32_t reserved0;	/* zero */
	uint64_t rss_anon;	/* bytes held when killed (MRELEASE_MEASURE) */
	uint64_t rss_file;
	uint64_t rss_shmem;
	uint64_t freed;		/* bytes the reap gave back (MRELEASE_MEASURE) */
	uint64_t time_ns;	/* CLOCK_MONOTONIC, from the kill to the end of
				   the reap */
};
#define MRELEASE_RESULT_SIZE_VER0 72

/*
 * SIGKILL through the pidfd, then process_mrelease(2), retrying a bounded
 * number of times on EINTR/EAGAIN.  Returns 0 when the process was killed
 * (reaped or not: see result->status and result->reap_errno), -1 with errno
 * when the kill failed (EBADF, EPERM, ESRCH: already reaped, EINVAL: bad
 * flags or result size).  result may be NULL with size 0.
 */
extern int mrelease_kill(int pidfd, unsigned int flags,
			 struct mrelease_result *result, size_t size)
	MRELEASE_NOEXCEPT;

/*
 * The same from a pid: the pidfd is opened before the kill and closed after.
 * Where pidfd_open or pidfd_send_signal is missing (ENOSYS, or EPERM from a
 * sandbox), falls back to kill(2) and sets MRELEASE_FALLBACK_KILL.
 */
extern int mrelease_kill_pid(pid_t pid, unsigned int flags,
			     struct mrelease_result *result, size_t size)
	MRELEASE_NOEXCEPT;

/*
 * Every process of a cgroup v2 subtree: dirfd/path as in openat(2) (path
 * relative to dirfd, or absolute).  Uses cgroup.kill where the kernel has
 * it, else SIGKILLs each process of cgroup.procs recursively, opening its
 * pidfd first and checking it is still in the cgroup and alive, so a reused
 * pid is never killed.  Then reaps them on MRELEASE_THREADS(n) threads.
 * Returns 0 when every process found was killed (an empty cgroup included),
 * -1 with errno otherwise; the counts in result say how many were killed,
 * reaped, already gone and failed.
 */
extern int mrelease_kill_cgroup(int dirfd, const char *path,
				unsigned int flags,
				struct mrelease_result *result, size_t size)
	MRELEASE_NOEXCEPT;

/*
 * The asynchronous reaper: worker threads that kill and reap pidfds handed
 * to them, for daemons whose main loop must not block.  Opaque.
 */
struct mrelease_reaper;

struct mrelease_completion {
	uint64_t cookie;	/* the caller's, from mrelease_reaper_submit() */
	int32_t  error;		/* 0, or the errno of mrelease_kill() */
	uint32_t reserved0;	/* zero */
	struct mrelease_result result;	/* last: grows with the result */
};
#define MRELEASE_COMPLETION_SIZE_VER0 (16 + MRELEASE_RESULT_SIZE_VER0)

/* threads: 1..64 workers (0: online CPUs, at most 4); queue: pending
 * submissions beyond the busy workers (0: 64).  flags: 0.  NULL + errno. */
extern struct mrelease_reaper *mrelease_reaper_new(unsigned int threads,
						   unsigned int queue,
						   unsigned int flags)
	MRELEASE_NOEXCEPT MRELEASE_WARN_UNUSED;
/* Readable (POLLIN) while completions are waiting.  Owned by the reaper. */
extern int mrelease_reaper_fd(const struct mrelease_reaper *reaper)
	MRELEASE_NOEXCEPT;
/* dup()s pidfd and queues it; returns at once.  -1 + EAGAIN when every
 * worker is busy and the queue is full: kill synchronously instead.
 * flags: MRELEASE_MEASURE. */
extern int mrelease_reaper_submit(struct mrelease_reaper *reaper, int pidfd,
				  uint64_t cookie, unsigned int flags)
	MRELEASE_NOEXCEPT;
/* Takes one completion: 0, or -1 + EAGAIN when none is waiting. */
extern int mrelease_reaper_read(struct mrelease_reaper *reaper,
				struct mrelease_completion *completion,
				size_t size) MRELEASE_NOEXCEPT;
/* Waits for the work in flight, discards unread completions, frees all. */
extern void mrelease_reaper_destroy(struct mrelease_reaper *reaper)
	MRELEASE_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* MRELEASE_H */
