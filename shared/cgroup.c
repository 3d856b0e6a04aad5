/*
 * cgroup.c - cgroup v2 directories (see cgroup.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "missing.h"
#include "procparse.h"
#include "util.h"

int mr_cg_is_v2(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 &&
	       (unsigned long)sfs.f_type == (unsigned long)CGROUP2_SUPER_MAGIC;
}

int mr_cg_read_pids(int dirfd, pid_t **pids, size_t *n)
{
	size_t cap = 0;
	char *buf;
	ssize_t len = mr_read_at(dirfd, "cgroup.procs", &buf);
	int r;

	*pids = NULL;
	*n = 0;
	if (len < 0)
		return (int)len;
	r = mr_parse_pids(buf, (size_t)len, pids, n, &cap);
	free(buf);
	if (r < 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
	}
	return r;
}

/* One level of the walk: the directory being read and where its path
 * ends in the path buffer. */
struct level {
	DIR *d;
	size_t plen;
};

struct walker {
	struct level *lv;
	size_t nlv, caplv;
	char *path;
	size_t cap;
};

static int path_set(struct walker *w, size_t at, const char *name)
{
	size_t l = strlen(name), need = at + (at ? 1 : 0) + l + 1;

	if (need > w->cap) {
		size_t ncap = w->cap ? w->cap : 256;
		char *p;

		while (ncap < need)
			ncap *= 2;
		p = realloc(w->path, ncap);
		if (!p)
			return -ENOMEM;
		w->path = p;
		w->cap = ncap;
	}
	if (at)
		w->path[at++] = '/';
	memcpy(w->path + at, name, l + 1);
	return 0;
}

/* Opens the directory fd as a new deepest level and visits it. */
static int push(struct walker *w, int fd, size_t plen, mr_cg_visit_fn *visit,
		void *arg)
{
	struct level *l;
	int r;

	if (w->nlv == w->caplv) {
		size_t ncap = w->caplv ? w->caplv * 2 : 16;

		l = realloc(w->lv, ncap * sizeof(*l));
		if (!l) {
			close(fd);
			return -ENOMEM;
		}
		w->lv = l;
		w->caplv = ncap;
	}
	r = visit(fd, w->path, (unsigned int)w->nlv, arg);
	if (r) {
		close(fd);
		return r;
	}
	l = &w->lv[w->nlv];
	l->d = fdopendir(fd);
	if (!l->d) {
		r = -errno;
		close(fd);
		return r;
	}
	l->plen = plen;
	w->nlv++;
	return 0;
}

static int gone(int e)
{
	/* A cgroup removed under us: ENOENT, or ENODEV from kernfs. */
	return e == ENOENT || e == ENODEV;
}

int mr_cg_walk(int topfd, mr_cg_visit_fn *visit, void *arg)
{
	struct walker w;
	int fd, r = 0;

	memset(&w, 0, sizeof(w));
	/* A new open file, not a dup(): a dup shares the directory offset,
	 * and a second walk would find the top already read to its end. */
	fd = openat(topfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = path_set(&w, 0, "");
	if (r == 0)
		r = push(&w, fd, 0, visit, arg);
	else
		close(fd);
	while (r == 0 && w.nlv) {
		struct level *l = &w.lv[w.nlv - 1];
		struct dirent *de;
		struct stat st;

		errno = 0;
		de = readdir(l->d);
		if (!de) {
			if (errno && !gone(errno)) {
				r = -errno;
				break;
			}
			closedir(l->d);
			w.nlv--;
			continue;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_type == DT_UNKNOWN) {
			if (fstatat(dirfd(l->d), de->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) < 0) {
				if (gone(errno))
					continue;
				r = -errno;
				break;
			}
			if (!S_ISDIR(st.st_mode))
				continue;
		} else if (de->d_type != DT_DIR) {
			continue;
		}
		fd = openat(dirfd(l->d), de->d_name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (gone(errno) || errno == ENOTDIR)
				continue;
			r = -errno;
			break;
		}
		r = path_set(&w, l->plen, de->d_name);
		if (r < 0) {
			close(fd);
			break;
		}
		r = push(&w, fd, strlen(w.path), visit, arg);
	}
	while (w.nlv)
		closedir(w.lv[--w.nlv].d);
	free(w.lv);
	free(w.path);
	return r;
}

static int events_populated(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n == 11 && !memcmp(p, "populated ", 10) &&
		    (p[10] == '0' || p[10] == '1'))
			return p[10] - '0';
		p += n + 1;
	}
	return -EINVAL;
}

int mr_cg_populated(int dirfd)
{
	char *buf;
	ssize_t len = mr_read_at(dirfd, "cgroup.events", &buf);
	int r;

	if (len < 0)
		return (int)len;
	r = events_populated(buf, (size_t)len);
	free(buf);
	return r;
}

int mr_cg_wait_empty(int dirfd, int timeout_ms)
{
	uint64_t end = timeout_ms >= 0 ?
		mr_now_ns() + (uint64_t)timeout_ms * 1000000u : 0;
	int fd, r;

	fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		char buf[256];
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		int wait_ms = -1;

		if (n < 0) {
			r = -errno;
			break;
		}
		r = events_populated(buf, (size_t)n);
		if (r <= 0)
			break;
		if (timeout_ms >= 0) {
			uint64_t now = mr_now_ns();

			if (now >= end) {
				r = -ETIMEDOUT;
				break;
			}
			wait_ms = (int)((end - now + 999999u) / 1000000u);
		}
		/* kernfs wakes pollers of cgroup.events on every change. */
		if (poll(&p, 1, wait_ms) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
	}
	close(fd);
	return r;
}
