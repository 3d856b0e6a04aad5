/*
 * cgroupfs.c - a cgroup directory as the cgroup kill meets it: opened and
 * checked (cgroup v2, never a root that holds every process), and frozen
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* ---- the root ------------------------------------------------------- */

/*
 * 1 when top is a root that must not be killed: the hierarchy's root (it
 * alone has no cgroup.events), or the root of a cgroup2 mount whose root is
 * "/" (the root of the cgroup namespace that mounted it: every process of
 * that namespace).  A bind mount of a cgroup below is no root.  Where
 * mountinfo cannot tell (no /proc), a mount's root counts as a root.
 */
static int is_root(int top)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[128];
	} h;
	struct stat st, up;
	const char *root;
	size_t rlen;
	char *buf;
	ssize_t n;
	int fd, mnt_id = -1, r;

	if (faccessat(top, "cgroup.events", F_OK, 0) < 0)
		return errno == ENOENT ? 1 : -errno;
	if (fstat(top, &st) < 0)
		return -errno;
	fd = openat(top, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = fstat(fd, &up) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	if (st.st_dev == up.st_dev && st.st_ino != up.st_ino)
		return 0;	/* not the root of its mount */
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(h.bytes);
	if (name_to_handle_at(top, "", &h.fh, &mnt_id, AT_EMPTY_PATH) < 0 &&
	    errno != EOVERFLOW)
		mnt_id = -1;
	if (mnt_id < 0)
		return 1;
	n = mr_read_at(AT_FDCWD, "/proc/self/mountinfo", &buf);
	if (n < 0)
		return 1;
	r = mr_parse_mountinfo_root(buf, (size_t)n, mnt_id, &root, &rlen);
	r = r < 0 || (rlen == 1 && root[0] == '/');
	free(buf);
	return r;
}

int mr_cgroup_open(int dirfd, const char *path)
{
	int top, r;

	if (!path)
		return -EINVAL;
	if (path[0] != '/' && dirfd < 0 && dirfd != AT_FDCWD)
		return -EBADF;
	top = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return -errno;
	if (!mr_cg_is_v2(top)) {
		close(top);
		return -EMEDIUMTYPE;
	}
	r = is_root(top);
	if (r) {
		close(top);
		return r < 0 ? r : -EINVAL;
	}
	return top;
}

/* cgroup.freeze: what it was (0 or 1), or -errno when it cannot be used. */
int mr_cgroup_freeze(int top)
{
	char *buf;
	ssize_t n = mr_read_at(top, "cgroup.freeze", &buf);
	int was, e;

	if (n < 0)
		return (int)n;
	was = n > 0 && buf[0] == '1';
	free(buf);
	if (was)
		return 1;
	e = mr_write_at(top, "cgroup.freeze", "1");
	return e < 0 ? e : 0;
}
