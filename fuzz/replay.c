/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput() over its
 * committed seed corpus, with any compiler: the corpus as a regression
 * test in every `make check' (sanitizer and valgrind builds included).
 *
 * SPDX-License-Identifier: MIT
 *
 * Usage: replay-TARGET [FILE|DIR]...; without arguments, the directory
 * $top_srcdir/fuzz/corpus/TARGET (TARGET from argv[0]).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *p = realloc(buf, cap ? cap * 2 : 4096);

			if (!p) {
				free(buf);
				close(fd);
				return -1;
			}
			buf = p;
			cap = cap ? cap * 2 : 4096;
		}
		n = read(fd, buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0) {
		perror(path);
		free(buf);
		return -1;
	}
	/* Exactly len bytes, so that a read past the end is caught. */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (!exact) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

static int run_path(const char *path, int *count)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int ret = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d))) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (run_path(sub, count))
			ret = -1;
	}
	closedir(d);
	return ret;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/'), *top = getenv("top_srcdir");
	char dir[4096];
	int i, count = 0, ret = 0;

	name = name ? name + 1 : argv[0];
	if (!strncmp(name, "lt-", 3))
		name += 3;
	if (!strncmp(name, "replay-", 7))
		name += 7;
	if (argc < 2) {
		snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", top ? top : ".",
			 name);
		ret = run_path(dir, &count);
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count))
			ret = -1;
	printf("%s: %d inputs replayed\n", name, count);
	if (!ret && !count) {
		fprintf(stderr, "%s: no input found\n", name);
		ret = -1;
	}
	return ret ? 1 : 0;
}
