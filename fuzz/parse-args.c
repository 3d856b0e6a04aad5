/*
 * parse-args.c - libFuzzer target: the values of mrelease(1)'s arguments:
 * PIDs (mr_parse_pid), --signal (mr_parse_signal, mr_signal_name),
 * --timeout durations (mr_parse_duration), sizes (mr_parse_size,
 * mr_format_size)
 *
 * SPDX-License-Identifier: MIT
 *
 * The first byte picks the parser, the rest is the argument: one target,
 * one corpus, and the fuzzer learns which parser each input is for.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, out[64];
	size_t len;
	uint64_t u = 0;
	pid_t pid = 0;
	int sig = 0, r;

	if (size < 1 || !(s = fuzz_copy(data + 1, size - 1)))
		return 0;
	len = size - 1;
	errno = 0;
	switch (data[0] % 4) {
	case 0:
		r = mr_parse_pid(s, len, &pid);
		if (r == 0 && (pid < 1 || pid > 4194304))
			abort();
		break;
	case 1:
		r = mr_parse_signal(s, len, &sig);
		if (r == 0) {
			const char *name = mr_signal_name(sig);
			int again = 0;

			if (sig < 1 || sig > 64 || !name)
				abort();
			/* The name it prints parses back to the same signal. */
			if (mr_parse_signal(name, strlen(name), &again) || again != sig)
				abort();
		}
		break;
	case 2:
		r = mr_parse_duration(s, len, &u);
		if (r == 0 && u > 24ULL * 3600 * 1000000000ULL)
			abort();
		break;
	default:
		r = mr_parse_size(s, len, &u);
		if (r == 0) {
			/* Formatting never overruns, at any buffer size. */
			mr_format_size(u, out, sizeof(out));
			if (!memchr(out, '\0', sizeof(out)))
				abort();
			mr_format_size(u, out, (size_t)(data[0] / 4) % sizeof(out) + 1);
		}
		break;
	}
	if (r != 0 && r != -1)
		abort();
	if (r == -1 && errno == 0)
		abort();
	free(s);
	return 0;
}
