/*
 * syscall-nr.h - the numbers of the three system calls, in one place
 *
 * SPDX-License-Identifier: MIT
 *
 * MRELEASE_NR_pidfd_send_signal, MRELEASE_NR_pidfd_open and
 * MRELEASE_NR_process_mrelease are the numbers this build calls.  They come
 * from the build's <sys/syscall.h> / <asm/unistd.h> when those define them
 * as a number >= 0 (libseccomp defines negative pseudo-numbers), else from
 * the fallback table below.  An architecture in neither gets -1, and the
 * wrappers answer ENOSYS at run time.
 *
 * Fallback table (Linux's syscall*.tbl; musl's arch/<arch>/bits/syscall.h.in
 * and systemd's syscalls-<arch>.txt agree):
 *
 *                         pidfd_send_signal  pidfd_open  process_mrelease
 *   unified table               424             434           448
 *   alpha                       534             544           558
 *   MIPS o32 / n64 / n32   4000/5000/6000 + the unified number
 *   x32                    __X32_SYSCALL_BIT (0x40000000) | unified
 *   ia64 (gone in 6.7)         1448            1458          1472
 *   ARM OABI               0x900000 + unified
 *
 * tests/syscall-table.c checks this table against <asm/unistd.h> wherever
 * that header has the number.
 */
#ifndef MRELEASE_SYSCALL_NR_H
#define MRELEASE_SYSCALL_NR_H

#include <sys/syscall.h>

/* The fallback: MRELEASE_FALLBACK_NR(unified number), or -1. */
#if defined(__alpha__)
# define MRELEASE_FALLBACK_NR(n) ((n) + 110)
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABIO32) && _MIPS_SIM == _ABIO32
# define MRELEASE_FALLBACK_NR(n) (4000 + (n))
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABI64) && _MIPS_SIM == _ABI64
# define MRELEASE_FALLBACK_NR(n) (5000 + (n))
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABIN32) && _MIPS_SIM == _ABIN32
# define MRELEASE_FALLBACK_NR(n) (6000 + (n))
#elif defined(__x86_64__) && defined(__ILP32__)
# define MRELEASE_FALLBACK_NR(n) (0x40000000 | (n))
#elif defined(__ia64__)
# define MRELEASE_FALLBACK_NR(n) (1024 + (n))
#elif defined(__arm__) && !defined(__ARM_EABI__)
# define MRELEASE_FALLBACK_NR(n) (0x900000 + (n))
#elif defined(__x86_64__) || defined(__i386__) || defined(__arm__) || \
	defined(__aarch64__) || defined(__riscv) || defined(__loongarch__) || \
	defined(__powerpc__) || defined(__powerpc64__) || defined(__s390__) || \
	defined(__s390x__) || defined(__sparc__) || defined(__hppa__) || \
	defined(__m68k__) || defined(__sh__) || defined(__microblaze__) || \
	defined(__xtensa__) || defined(__arc__) || defined(__csky__) || \
	defined(__nios2__) || defined(__or1k__) || defined(__hexagon__)
# define MRELEASE_FALLBACK_NR(n) (n)
#else
# define MRELEASE_FALLBACK_NR(n) (-1)
#endif

/* Tests define MRELEASE_IGNORE_HEADER_NR to see the fallback alone, as a
 * build against headers older than the calls would. */
#if defined(__NR_pidfd_send_signal) && !defined(MRELEASE_IGNORE_HEADER_NR)
# if __NR_pidfd_send_signal >= 0
#  define MRELEASE_NR_pidfd_send_signal __NR_pidfd_send_signal
# endif
#endif
#ifndef MRELEASE_NR_pidfd_send_signal
# define MRELEASE_NR_pidfd_send_signal MRELEASE_FALLBACK_NR(424)
#endif

#if defined(__NR_pidfd_open) && !defined(MRELEASE_IGNORE_HEADER_NR)
# if __NR_pidfd_open >= 0
#  define MRELEASE_NR_pidfd_open __NR_pidfd_open
# endif
#endif
#ifndef MRELEASE_NR_pidfd_open
# define MRELEASE_NR_pidfd_open MRELEASE_FALLBACK_NR(434)
#endif

#if defined(__NR_process_mrelease) && !defined(MRELEASE_IGNORE_HEADER_NR)
# if __NR_process_mrelease >= 0
#  define MRELEASE_NR_process_mrelease __NR_process_mrelease
# endif
#endif
#ifndef MRELEASE_NR_process_mrelease
# define MRELEASE_NR_process_mrelease MRELEASE_FALLBACK_NR(448)
#endif

#endif /* MRELEASE_SYSCALL_NR_H */
