/*
 * parse.c - the values of mrelease(1)'s arguments (see parse.h)
 *
 * SPDX-License-Identifier: MIT
 *
 * Buffers are (pointer, length) and need not be NUL-terminated; nothing
 * here allocates or reads past len.  See parse.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

#define NSEC_PER_SEC 1000000000ULL
#define MAX_DURATION_NS (24ULL * 3600 * NSEC_PER_SEC)
#define PID_MAX_LIMIT 4194304

static int fail(int err)
{
	errno = err;
	return -1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* s[0..len) equals word (NUL-terminated, lower case), ignoring case. */
static int eq_nocase(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] == '\0' || to_lower(s[i]) != word[i])
			return 0;
	return word[len] == '\0';
}

/*
 * "12", "1.5", ".25": *end is set after the number; the value times mult,
 * rounded down, in *out.  At most 9 fraction digits count (more are
 * accepted and ignored), which keeps the arithmetic exact in 64 bits on
 * every arch: with mult = q * scale + r, frac * mult / scale is
 * frac * q + frac * r / scale, where frac * q < mult and frac * r < 10^18.
 */
static int parse_scaled(const char *s, size_t len, size_t *end,
			uint64_t mult, uint64_t *out)
{
	uint64_t ip = 0, frac = 0, scale = 1, v, f;
	size_t i = 0, ndig = 0;

	while (i < len && is_digit(s[i])) {
		if (__builtin_mul_overflow(ip, 10, &ip) ||
		    __builtin_add_overflow(ip, (uint64_t)(s[i] - '0'), &ip))
			return fail(ERANGE);
		i++;
		ndig++;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i])) {
			if (scale < 1000000000ULL) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				scale *= 10;
			}
			i++;
			ndig++;
		}
	}
	if (ndig == 0)
		return fail(EINVAL);
	if (__builtin_mul_overflow(ip, mult, &v))
		return fail(ERANGE);
	f = frac * (mult / scale) + frac * (mult % scale) / scale;
	if (__builtin_add_overflow(v, f, &v))
		return fail(ERANGE);
	*end = i;
	*out = v;
	return 0;
}

struct unit {
	const char *name;
	uint64_t mult;
};

/* A decimal number, maybe with a fraction, then one of units (matched
 * without regard to case; "" for none): the value times the unit, at most
 * max (ERANGE beyond). */
static int parse_with_unit(const char *s, size_t len, const struct unit *units,
			   size_t nunits, uint64_t max, uint64_t *out)
{
	size_t end, i, n = 0;
	uint64_t v;

	if (!s || !out)
		return fail(EINVAL);
	/* find where the number ends first, to pick the unit */
	while (n < len && (is_digit(s[n]) || s[n] == '.'))
		n++;
	for (i = 0; i < nunits; i++) {
		if (!eq_nocase(s + n, len - n, units[i].name))
			continue;
		if (parse_scaled(s, n, &end, units[i].mult, &v) < 0)
			return -1;
		if (end != n)
			return fail(EINVAL);
		if (v > max)
			return fail(ERANGE);
		*out = v;
		return 0;
	}
	return fail(EINVAL);
}

int mr_parse_duration(const char *s, size_t len, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "", NSEC_PER_SEC }, { "ns", 1 }, { "us", 1000 },
		{ "ms", 1000000 }, { "s", NSEC_PER_SEC },
		{ "m", 60 * NSEC_PER_SEC }, { "h", 3600 * NSEC_PER_SEC },
	};

	return parse_with_unit(s, len, units, sizeof(units) / sizeof(units[0]),
			       MAX_DURATION_NS, ns);
}

int mr_parse_size(const char *s, size_t len, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1ULL << 10 }, { "kib", 1ULL << 10 }, { "kb", 1ULL << 10 },
		{ "m", 1ULL << 20 }, { "mib", 1ULL << 20 }, { "mb", 1ULL << 20 },
		{ "g", 1ULL << 30 }, { "gib", 1ULL << 30 }, { "gb", 1ULL << 30 },
		{ "t", 1ULL << 40 }, { "tib", 1ULL << 40 }, { "tb", 1ULL << 40 },
	};

	return parse_with_unit(s, len, units, sizeof(units) / sizeof(units[0]),
			       UINT64_MAX, bytes);
}

/* Parses decimal digits only into *out (<= max). */
static int parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return fail(EINVAL);
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return fail(EINVAL);
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return fail(ERANGE);
	}
	*out = v;
	return 0;
}

int mr_parse_pid(const char *s, size_t len, pid_t *pid)
{
	uint64_t v;

	if (!s || !pid)
		return fail(EINVAL);
	if (parse_uint(s, len, PID_MAX_LIMIT, &v) < 0)
		return -1;
	if (v == 0)
		return fail(ERANGE);
	*pid = (pid_t)v;
	return 0;
}

static const struct { const char *name; int sig; } signames[] = {
	{ "hup", SIGHUP }, { "int", SIGINT }, { "quit", SIGQUIT },
	{ "ill", SIGILL }, { "trap", SIGTRAP }, { "abrt", SIGABRT },
	{ "iot", SIGIOT }, { "bus", SIGBUS }, { "fpe", SIGFPE },
	{ "kill", SIGKILL }, { "usr1", SIGUSR1 }, { "segv", SIGSEGV },
	{ "usr2", SIGUSR2 }, { "pipe", SIGPIPE }, { "alrm", SIGALRM },
	{ "term", SIGTERM },
#ifdef SIGSTKFLT
	{ "stkflt", SIGSTKFLT },
#endif
	{ "chld", SIGCHLD }, { "cld", SIGCHLD }, { "cont", SIGCONT },
	{ "stop", SIGSTOP }, { "tstp", SIGTSTP }, { "ttin", SIGTTIN },
	{ "ttou", SIGTTOU }, { "urg", SIGURG }, { "xcpu", SIGXCPU },
	{ "xfsz", SIGXFSZ }, { "vtalrm", SIGVTALRM }, { "prof", SIGPROF },
	{ "winch", SIGWINCH }, { "io", SIGIO }, { "poll", SIGPOLL },
#ifdef SIGPWR
	{ "pwr", SIGPWR },
#endif
	{ "sys", SIGSYS },
};

#define MR_NSIG 64

int mr_parse_signal(const char *s, size_t len, int *sig)
{
	uint64_t v;
	size_t i;

	if (!s || !sig || len == 0)
		return fail(EINVAL);
	if (is_digit(s[0])) {
		if (parse_uint(s, len, MR_NSIG, &v) < 0)
			return -1;
		if (v == 0)
			return fail(ERANGE);
		*sig = (int)v;
		return 0;
	}
	if (len > 3 && eq_nocase(s, 3, "sig")) {
		s += 3;
		len -= 3;
	}
	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++) {
		if (eq_nocase(s, len, signames[i].name)) {
			*sig = signames[i].sig;
			return 0;
		}
	}
	/* RTMIN, RTMIN+n, RTMAX, RTMAX-n */
	if (len >= 5 && (eq_nocase(s, 5, "rtmin") || eq_nocase(s, 5, "rtmax"))) {
		int max = to_lower(s[4]) == 'x';
		int base = max ? SIGRTMAX : SIGRTMIN;

		v = 0;
		if (len > 5) {
			if (s[5] != (max ? '-' : '+'))
				return fail(EINVAL);
			if (parse_uint(s + 6, len - 6, MR_NSIG, &v) < 0)
				return -1;
		}
		if (v > (uint64_t)(SIGRTMAX - SIGRTMIN))
			return fail(ERANGE);
		*sig = max ? base - (int)v : base + (int)v;
		return 0;
	}
	return fail(EINVAL);
}

const char *mr_signal_name(int sig)
{
	static char names[MR_NSIG + 1][24];
	size_t i;

	if (sig < 1 || sig > MR_NSIG)
		return "?";
	if (names[sig][0])
		return names[sig];
	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++) {
		if (signames[i].sig == sig) {
			size_t j;

			/* the first entry wins over its aliases */
			for (j = 0; signames[i].name[j] && j < 15; j++) {
				char ch = signames[i].name[j];

				names[sig][j] = (ch >= 'a' && ch <= 'z') ?
					(char)(ch - 'a' + 'A') : ch;
			}
			return names[sig];
		}
	}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(names[sig], sizeof(names[sig]), "RTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(names[sig], sizeof(names[sig]), "%d", sig);
	return names[sig];
}

char *mr_format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%u B", (unsigned int)bytes);
		return buf;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u >= 2 ? "%.2f %s" : "%.1f %s", v, unit[u]);
	return buf;
}
