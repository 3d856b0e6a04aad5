/*
 * parse.h - the values of mrelease(1)'s arguments: PIDs, signals,
 * durations, sizes (the text of /proc is shared/procparse.h's job).
 *
 * SPDX-License-Identifier: MIT
 *
 * Each parser takes a buffer and its length (not NUL-terminated), depends
 * on nothing but libc, never allocates, and returns 0 or -1 with errno
 * (EINVAL: malformed; ERANGE: out of range), so that
 * it can be fuzzed on its own (fuzz/).
 */
#ifndef MRELEASE_TOOLS_PARSE_H
#define MRELEASE_TOOLS_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A duration: a decimal number (fractions allowed) with an optional unit
 * ns, us, ms, s, m, h; no unit means seconds (like sleep(1)).  At most 24h.
 * "500ms", "5s", "1.5", "2m". */
int mr_parse_duration(const char *s, size_t len, uint64_t *ns);

/* A signal: a number 1..64, or a name with or without SIG, any case
 * ("KILL", "sigterm", "9", "RTMIN+3", "SIGRTMAX-1"). */
int mr_parse_signal(const char *s, size_t len, int *sig);
/* "KILL", "TERM", "RTMIN+3"...: the name without SIG; a static string. */
const char *mr_signal_name(int sig);

/* A PID argument: decimal digits only, 1..4194304 (PID_MAX_LIMIT). */
int mr_parse_pid(const char *s, size_t len, pid_t *pid);

/* A size: a number (fractions allowed) with an optional unit B, K, KiB,
 * M, MiB, G, GiB, T, TiB (all powers of 1024); no unit means bytes. */
int mr_parse_size(const char *s, size_t len, uint64_t *bytes);

/* Formats bytes as "812 B", "4.0 KiB", "128.3 MiB", "2.00 GiB".  Returns
 * buf. */
char *mr_format_size(uint64_t bytes, char *buf, size_t size);

#endif /* MRELEASE_TOOLS_PARSE_H */
