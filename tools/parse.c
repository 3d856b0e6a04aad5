/*
 * parse.c - parsers of outside text for mrelease(1) and the example daemon
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
 * without regard to case; "" for none): the value times the unit. */
static int parse_with_unit(const char *s, size_t len, const struct unit *units,
			   size_t nunits, uint64_t *out)
{
	size_t end, i, n = 0;

	/* find where the number ends first, to pick the unit */
	while (n < len && (is_digit(s[n]) || s[n] == '.'))
		n++;
	for (i = 0; i < nunits; i++) {
		if (!eq_nocase(s + n, len - n, units[i].name))
			continue;
		if (parse_scaled(s, n, &end, units[i].mult, out) < 0)
			return -1;
		return end == n ? 0 : fail(EINVAL);
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
	uint64_t v;

	if (!s || !ns)
		return fail(EINVAL);
	if (parse_with_unit(s, len, units, sizeof(units) / sizeof(units[0]),
			    &v) < 0)
		return -1;
	if (v > MAX_DURATION_NS)
		return fail(ERANGE);
	*ns = v;
	return 0;
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
	uint64_t v;

	if (!s || !bytes)
		return fail(EINVAL);
	if (parse_with_unit(s, len, units, sizeof(units) / sizeof(units[0]),
			    &v) < 0)
		return -1;
	*bytes = v;
	return 0;
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

/* Calls cb on each line (without its '\n') until cb returns nonzero. */
static int each_line(const char *buf, size_t len,
		     int (*cb)(const char *line, size_t n, void *arg), void *arg)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		int r = cb(buf + pos, n, arg);

		if (r)
			return r;
		pos += n + 1;
	}
	return 0;
}

/* "Key:" at the start of line: the rest with leading blanks skipped. */
static int field(const char *line, size_t n, const char *key,
		 const char **val, size_t *vlen)
{
	size_t k = strlen(key), i;

	if (n <= k || memcmp(line, key, k) != 0 || line[k] != ':')
		return 0;
	for (i = k + 1; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	*val = line + i;
	*vlen = n - i;
	return 1;
}

/* "  1234 kB" -> bytes */
static int parse_kb(const char *v, size_t n, uint64_t *bytes)
{
	size_t i = 0;
	uint64_t kb;

	while (i < n && is_digit(v[i]))
		i++;
	if (parse_uint(v, i, UINT64_MAX / 10 / 1024, &kb) < 0)
		return -1;
	while (i < n && v[i] == ' ')
		i++;
	if (n - i != 2 || v[i] != 'k' || v[i + 1] != 'B')
		return fail(EINVAL);
	*bytes = kb * 1024;
	return 0;
}

struct meminfo_ctx {
	uint64_t bytes;
	int found, bad;
};

static int meminfo_line(const char *line, size_t n, void *arg)
{
	struct meminfo_ctx *c = arg;
	const char *v;
	size_t vn;

	if (!field(line, n, "MemAvailable", &v, &vn))
		return 0;
	if (parse_kb(v, vn, &c->bytes) < 0)
		c->bad = 1;
	c->found = 1;
	return 1;
}

int mr_parse_meminfo_available(const char *buf, size_t len, uint64_t *bytes)
{
	struct meminfo_ctx c = { 0, 0, 0 };

	if (!buf || !bytes)
		return fail(EINVAL);
	each_line(buf, len, meminfo_line, &c);
	if (!c.found)
		return fail(ENOENT);
	if (c.bad)
		return fail(EINVAL);
	*bytes = c.bytes;
	return 0;
}

/* The first whitespace-separated number of v, into *out. */
static int first_number(const char *v, size_t n, uint64_t max, uint64_t *out,
			size_t *used)
{
	size_t i = 0;

	while (i < n && is_digit(v[i]))
		i++;
	if (parse_uint(v, i, max, out) < 0)
		return -1;
	if (i < n && v[i] != ' ' && v[i] != '\t')
		return fail(EINVAL);
	if (used)
		*used = i;
	return 0;
}

struct status_ctx {
	struct mr_status *st;
	int bad;
};

static int status_line(const char *line, size_t n, void *arg)
{
	struct status_ctx *c = arg;
	struct mr_status *st = c->st;
	const char *v;
	size_t vn, used;
	uint64_t x;

	if (field(line, n, "Name", &v, &vn)) {
		if (vn >= sizeof(st->name))
			vn = sizeof(st->name) - 1;
		memcpy(st->name, v, vn);
		st->name[vn] = '\0';
		st->have |= MR_ST_NAME;
	} else if (field(line, n, "Uid", &v, &vn)) {
		uint64_t e;

		if (first_number(v, vn, UINT32_MAX, &x, &used) < 0)
			goto bad;
		v += used;
		vn -= used;
		while (vn && (*v == ' ' || *v == '\t')) {
			v++;
			vn--;
		}
		if (first_number(v, vn, UINT32_MAX, &e, NULL) < 0)
			goto bad;
		st->ruid = (uid_t)x;
		st->euid = (uid_t)e;
		st->have |= MR_ST_UID;
	} else if (field(line, n, "Tgid", &v, &vn)) {
		if (first_number(v, vn, PID_MAX_LIMIT, &x, NULL) < 0)
			goto bad;
		st->tgid = (pid_t)x;
		st->have |= MR_ST_TGID;
	} else if (field(line, n, "Kthread", &v, &vn)) {
		if (first_number(v, vn, 1, &x, NULL) < 0)
			goto bad;
		st->kthread = (int)x;
		st->have |= MR_ST_KTHREAD;
	} else if (field(line, n, "RssAnon", &v, &vn)) {
		if (parse_kb(v, vn, &st->rss_anon) < 0)
			goto bad;
		st->have |= MR_ST_RSS_ANON;
	} else if (field(line, n, "RssFile", &v, &vn)) {
		if (parse_kb(v, vn, &st->rss_file) < 0)
			goto bad;
		st->have |= MR_ST_RSS_FILE;
	} else if (field(line, n, "RssShmem", &v, &vn)) {
		if (parse_kb(v, vn, &st->rss_shmem) < 0)
			goto bad;
		st->have |= MR_ST_RSS_SHMEM;
	}
	return 0;
bad:
	c->bad = 1;
	return 1;
}

int mr_parse_status(const char *buf, size_t len, struct mr_status *st)
{
	struct status_ctx c;

	if (!buf || !st)
		return fail(EINVAL);
	memset(st, 0, sizeof(*st));
	c.st = st;
	c.bad = 0;
	each_line(buf, len, status_line, &c);
	if (c.bad || !(st->have & MR_ST_NAME))
		return fail(EINVAL);
	return 0;
}

int mr_parse_stat_flags(const char *buf, size_t len, unsigned long *flags)
{
	size_t i = len, tok = 0;
	uint64_t v;

	if (!buf || !flags)
		return fail(EINVAL);
	/* the comm may hold ')' and blanks: the last ')' ends it */
	while (i > 0 && buf[i - 1] != ')')
		i--;
	if (i == 0)
		return fail(EINVAL);
	/* after ") ": state ppid pgrp session tty_nr tpgid flags */
	for (;;) {
		size_t start;

		while (i < len && buf[i] == ' ')
			i++;
		start = i;
		while (i < len && buf[i] != ' ' && buf[i] != '\n')
			i++;
		if (start == i)
			return fail(EINVAL);
		if (++tok == 7) {
			if (parse_uint(buf + start, i - start, UINT32_MAX, &v) < 0)
				return -1;
			*flags = (unsigned long)v;
			return 0;
		}
	}
}

int mr_parse_stat_state(const char *buf, size_t len, char *state)
{
	size_t i = len;

	if (!buf || !state)
		return fail(EINVAL);
	while (i > 0 && buf[i - 1] != ')')
		i--;
	if (i == 0 || i + 2 > len || buf[i] != ' ' ||
	    buf[i + 1] < 'A' || buf[i + 1] > 'z')
		return fail(EINVAL);
	*state = buf[i + 1];
	return 0;
}

struct pidlist_ctx {
	int (*cb)(pid_t pid, void *arg);
	void *arg;
	int ret;
};

static int pidlist_line(const char *line, size_t n, void *arg)
{
	struct pidlist_ctx *c = arg;
	pid_t pid;

	if (n == 0)
		return 0;
	if (mr_parse_pid(line, n, &pid) < 0) {
		c->ret = fail(EINVAL);
		return 1;
	}
	c->ret = c->cb(pid, c->arg);
	return c->ret != 0;
}

int mr_parse_pid_list(const char *buf, size_t len,
		      int (*cb)(pid_t pid, void *arg), void *arg)
{
	struct pidlist_ctx c = { cb, arg, 0 };

	if (!buf || !cb)
		return fail(EINVAL);
	each_line(buf, len, pidlist_line, &c);
	return c.ret;
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
