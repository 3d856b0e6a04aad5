/*
 * tool-victim.c - a victim for the mrelease(1) and daemon tests
 *
 * SPDX-License-Identifier: MIT
 *
 * tool-victim MIB READYFILE [ignore-term|zombie]
 * Maps and touches MIB MiB of private anonymous memory, optionally ignores
 * SIGTERM, writes its pid to READYFILE (atomically, through a rename) and
 * waits for a signal.  With zombie, it forks a child that exits at once and
 * is never waited for, and writes the child's pid instead.  It dies with
 * its parent (PR_SET_PDEATHSIG), so a test that is killed leaves nothing
 * behind.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t parent = getppid();
	char tmp[4096];
	size_t bytes, i;
	pid_t report = getpid();
	char *p;
	FILE *f;

	if (argc < 3 || argc > 4 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 256) {
		fprintf(stderr, "usage: tool-victim MIB(1-256) READYFILE [ignore-term]\n");
		return 2;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		return 1;
	if (argc == 4 && !strcmp(argv[3], "ignore-term"))
		signal(SIGTERM, SIG_IGN);
	bytes = (size_t)atoi(argv[1]) << 20;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (i = 0; i < bytes; i += 4096)
		p[i] = (char)(i >> 12 | 1);
	if (argc == 4 && !strcmp(argv[3], "zombie")) {
		report = fork();
		if (report < 0)
			return 1;
		if (report == 0)
			_exit(0);
		/* ready once the child is a zombie */
		for (;;) {
			char path[64], st[256];
			FILE *z;

			snprintf(path, sizeof(path), "/proc/%d/stat", (int)report);
			z = fopen(path, "r");
			if (!z)
				return 1;
			if (!fgets(st, sizeof(st), z))
				st[0] = '\0';
			fclose(z);
			if (strstr(st, ") Z "))
				break;
			usleep(10000);
		}
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)report) < 0 || fclose(f) != 0 ||
	    rename(tmp, argv[2]) != 0)
		return 1;
	for (;;)
		pause();
}
