/*
 * missing.h - what the kernel and libc headers of a build may lack
 *
 * SPDX-License-Identifier: MIT
 *
 * Constants and structures of the kernel ABI, defined here only where the
 * build's headers do not have them, with the kernel's own values.  The
 * system call numbers are in syscall-nr.h.
 */
#ifndef MRELEASE_SHARED_MISSING_H
#define MRELEASE_SHARED_MISSING_H

#include <stdint.h>
#include <sys/ioctl.h>

#include "syscall-nr.h"

#ifndef CGROUP2_SUPER_MAGIC
# define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* pidfd_open(2) and pidfd_send_signal(2) flags: <mrelease.h> has them. */

/*
 * PIDFD_GET_INFO (Linux 6.13): what a pidfd refers to, without /proc.  The
 * kernel fills what it knows of the mask asked for and says so in mask;
 * older kernels answer ENOTTY (or EINVAL).  Size 64 is the first version.
 */
#define MR_PIDFS_IOCTL_MAGIC	0xFF
#define MR_PIDFD_INFO_PID	(1ULL << 0)
#define MR_PIDFD_INFO_CREDS	(1ULL << 1)
#define MR_PIDFD_INFO_CGROUPID	(1ULL << 2)
struct mr_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid;
	uint32_t tgid;
	uint32_t ppid;
	uint32_t ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t  exit_code;	/* 6.15+: PIDFD_INFO_EXIT */
};
#define MR_PIDFD_GET_INFO _IOWR(MR_PIDFS_IOCTL_MAGIC, 11, struct mr_pidfd_info)

#endif /* MRELEASE_SHARED_MISSING_H */
