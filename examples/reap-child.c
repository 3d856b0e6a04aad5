/*
 * reap-child.c - kill a child and give its memory back now
 *
 * SPDX-License-Identifier: MIT
 *
 * Spawns a child that holds SIZE bytes of touched anonymous memory (1 GiB
 * unless --size says otherwise), then does what a low-memory killer does:
 *
 *	pidfd = pidfd_open(pid, 0);		before the kill: no pid reuse
 *	pidfd_kill(pidfd, SIGKILL, 0);
 *	process_mrelease(pidfd, 0);		free its memory on our CPU, now
 *
 * and prints the child's RssAnon (from /proc/<pid>/statm) before and
 * after the reap and how long it took from the kill to the end of the reap.
 *
 *	cc -o reap-child reap-child.c $(pkg-config --cflags --libs libmrelease)
 *
 *	reap-child [--size SIZE[K|M|G]]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mrelease.h>

/*
 * The child's RssAnon in kB, from /proc/<pid>/statm: its resident pages
 * less the shared ones (file and shmem) are its anonymous ones.  -1 once it
 * has no memory left to count (it finished exiting).
 */
static long rss_anon_kb(pid_t pid)
{
	long size, resident, shared, kb = -1;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld %ld", &size, &resident, &shared) == 3 && size)
		kb = (resident - shared) * (sysconf(_SC_PAGESIZE) / 1024);
	fclose(f);
	return kb;
}

static void print_kb(const char *what, long kb)
{
	if (kb < 0)
		printf("%s: (gone: the child finished exiting)\n", what);
	else
		printf("%s: %ld kB (%.1f MiB)\n", what, kb, kb / 1024.0);
}

static int parse_size(const char *s, size_t *size)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; end++; break;
	case 0: break;
	default: return -1;
	}
	if (*end || v == 0 || v > (size_t)-1 / 2)
		return -1;
	*size = (size_t)v;
	return 0;
}

static pid_t spawn_child(size_t size)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *m;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		m = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(1);
		memset(m, 0x5a, size);	/* touch every page */
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		close(p[0]);
		waitpid(pid, NULL, 0);
		fprintf(stderr, "reap-child: the child could not map %zu bytes\n",
			size);
		return -1;
	}
	close(p[0]);
	return pid;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
	size_t size = 1UL << 30;
	struct timespec t0;
	long before, after;
	int pidfd, r, err, status;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "--size")) {
		if (parse_size(argv[2], &size) < 0) {
			fprintf(stderr, "reap-child: bad size '%s'\n", argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: reap-child [--size SIZE[K|M|G]]\n");
		return 2;
	}
	printf("libmrelease %s: a child holds %zu MiB, we kill and reap it\n",
	       mrelease_version(), size >> 20);
	pid = spawn_child(size);
	if (pid < 0) {
		perror("reap-child: spawning the child");
		return 1;
	}
	printf("child %d\n", (int)pid);

	/* The pidfd first: from now on the pid cannot be reused under us. */
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0) {
		err = errno;
		printf("pidfd_open: %s%s\n", strerror(err), err == ENOSYS ?
		       " (kernel < 5.3 or a sandbox): plain kill(2), no reap" : "");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err == ENOSYS || err == EPERM ? 0 : 1;
	}

	before = rss_anon_kb(pid);
	print_kb("RssAnon before the kill", before);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (pidfd_kill(pidfd, SIGKILL, 0) < 0) {
		err = errno;
		printf("pidfd_kill: %s\n", strerror(err));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(pidfd);
		return err == ENOSYS || err == EPERM ? 0 : 1;
	}
	r = process_mrelease(pidfd, 0);
	err = errno;
	if (r == 0) {
		double ms = ms_since(&t0);

		after = rss_anon_kb(pid);
		printf("reaped: process_mrelease freed the child's memory\n");
		print_kb("RssAnon after the reap", after);
		printf("kill to end of reap: %.3f ms\n", ms);
	} else if (err == ESRCH) {
		printf("not reaped: the child got to its own exit first (ESRCH);"
		       " its exit frees the memory\n");
	} else if (err == ENOSYS || err == EPERM) {
		printf("not reaped: process_mrelease unavailable (%s: kernel"
		       " < 5.15 or a sandbox); the child's exit frees the"
		       " memory\n", strerror(err));
	} else {
		printf("process_mrelease: %s\n", strerror(err));
	}
	close(pidfd);

	if (waitpid(pid, &status, 0) != pid) {
		perror("reap-child: waitpid");
		return 1;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		printf("child %d gone (killed by SIGKILL, waited for)\n", (int)pid);
	else
		printf("child %d ended with status 0x%x\n", (int)pid, status);
	return r == 0 || err == ESRCH || err == ENOSYS || err == EPERM ? 0 : 1;
}
