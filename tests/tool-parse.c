/*
 * tool-parse.c - the parsers mrelease(1) uses, case by case: its argument
 * values (tools/parse.c) and the /proc text (shared/procparse.c)
 *
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "procparse.h"
#include "../tools/parse.h"

#define S(str) str, strlen(str)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* One argument value: the text, then what it parses to, or the errno it
 * fails with (ANY: any). */
#define ANY (-1)
struct value_case {
	const char *s;
	int err;
	uint64_t v;
};

/* The parsers of tools/parse.c, each as one of uint64_t. */
typedef int parse_fn(const char *s, size_t len, uint64_t *v);

static int signal_u64(const char *s, size_t len, uint64_t *v)
{
	int sig = 0, r = mr_parse_signal(s, len, &sig);

	*v = (uint64_t)sig;
	return r;
}

static int pid_u64(const char *s, size_t len, uint64_t *v)
{
	pid_t pid = 0;
	int r = mr_parse_pid(s, len, &pid);

	*v = (uint64_t)pid;
	return r;
}

static void check_values(parse_fn *parse, const struct value_case *c,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = 0;
		int r;

		errno = 0;
		r = parse(c[i].s, strlen(c[i].s), &v);
		if (c[i].err == 0)
			ck_assert_msg(r == 0 && v == c[i].v,
				      "'%s': %d, %llu (want %llu)", c[i].s, r,
				      (unsigned long long)v,
				      (unsigned long long)c[i].v);
		else
			ck_assert_msg(r == -1 && (c[i].err == ANY || errno == c[i].err),
				      "'%s': %d, errno %d (want -1, %d)", c[i].s,
				      r, errno, c[i].err);
	}
}

START_TEST(t_duration)
{
	static const struct value_case c[] = {
		{ "500ms", 0, 500000000ULL }, { "5s", 0, 5000000000ULL },
		{ "1.5", 0, 1500000000ULL }, { "2m", 0, 120000000000ULL },
		{ "250US", 0, 250000ULL }, { ".5s", 0, 500000000ULL },
		{ "24h", 0, 86400000000000ULL },
		/* digits beyond the ninth are accepted and ignored */
		{ "0.1234567891s", 0, 123456789ULL },
		{ "0.999999999999999999999h", 0, 3599999996400ULL },
		{ "24.001h", ERANGE, 0 }, { "99999999999999999999s", ERANGE, 0 },
		{ "", EINVAL, 0 }, { "ms", ANY, 0 }, { ".", ANY, 0 },
		{ "5x", ANY, 0 }, { "-5s", ANY, 0 }, { "5 s", ANY, 0 },
		{ "1.2.3s", ANY, 0 },
	};
	uint64_t ns;

	check_values(mr_parse_duration, c, N(c));
	/* not a prefix of the buffer: the length counts */
	ck_assert_int_eq(mr_parse_duration("5sXX", 2, &ns), 0);
	ck_assert_uint_eq(ns, 5000000000ULL);
}
END_TEST

START_TEST(t_signal)
{
	/* SIGRTMIN is not a constant: not static */
	const struct value_case c[] = {
		{ "KILL", 0, SIGKILL }, { "sigterm", 0, SIGTERM }, { "9", 0, 9 },
		{ "RTMIN+3", 0, (uint64_t)(SIGRTMIN + 3) },
		{ "SIGRTMAX-1", 0, (uint64_t)(SIGRTMAX - 1) },
		{ "rtmax", 0, (uint64_t)SIGRTMAX },
		{ "0", ANY, 0 }, { "65", ANY, 0 }, { "SIG", ANY, 0 },
		{ "KILLX", ANY, 0 }, { "RTMIN-1", ANY, 0 }, { "RTMIN+99", ANY, 0 },
		{ "", ANY, 0 }, { "-9", ANY, 0 },
	};

	check_values(signal_u64, c, N(c));
	ck_assert_str_eq(mr_signal_name(SIGKILL), "KILL");
	ck_assert_str_eq(mr_signal_name(SIGUSR1), "USR1");
	ck_assert_str_eq(mr_signal_name(SIGRTMIN + 2), "RTMIN+2");
	ck_assert_str_eq(mr_signal_name(0), "?");
}
END_TEST

START_TEST(t_pid)
{
	static const struct value_case c[] = {
		{ "1", 0, 1 }, { "4194304", 0, 4194304 }, { "4194305", ERANGE, 0 },
		{ "0", ANY, 0 }, { "-1", ANY, 0 }, { "12a", EINVAL, 0 },
		{ " 12", ANY, 0 }, { "", ANY, 0 },
		{ "99999999999999999999999", ANY, 0 },
	};

	check_values(pid_u64, c, N(c));
}
END_TEST

START_TEST(t_size)
{
	static const struct value_case c[] = {
		{ "200M", 0, 200ULL << 20 }, { "1.5GiB", 0, 3ULL << 29 },
		{ "4096", 0, 4096 }, { "20000000T", ANY, 0 }, { "1Q", ANY, 0 },
		{ "M", ANY, 0 },
	};

	check_values(mr_parse_size, c, N(c));
}
END_TEST

START_TEST(t_meminfo)
{
	static const char mi[] = "MemTotal:       24000000 kB\n"
		"MemFree:         1000 kB\nMemAvailable:   12345678 kB\nBuffers: 1 kB\n";
	uint64_t b;

	ck_assert_int_eq(mr_parse_meminfo_available(S(mi), &b), 0);
	ck_assert_uint_eq(b, 12345678ULL * 1024);
	ck_assert_int_eq(mr_parse_meminfo_available(S("MemTotal: 1 kB\n"), &b), -ENOENT);
	ck_assert_int_eq(mr_parse_meminfo_available(S("MemAvailable: x kB\n"), &b), -EINVAL);
	ck_assert_int_eq(mr_parse_meminfo_available(S("MemAvailable: 12 MB\n"), &b), -EINVAL);
	/* cut in the middle of the line */
	ck_assert_int_lt(mr_parse_meminfo_available(mi, 60, &b), 0);
}
END_TEST

START_TEST(t_cpulist)
{
	unsigned int c = 99;

	ck_assert_int_eq(mr_parse_cpulist_count(S("0-1\n"), &c), 0);
	ck_assert_uint_eq(c, 2);
	ck_assert_int_eq(mr_parse_cpulist_count(S("0\n"), &c), 0);
	ck_assert_uint_eq(c, 1);
	ck_assert_int_eq(mr_parse_cpulist_count(S("0-3,6,8-9"), &c), 0);
	ck_assert_uint_eq(c, 7);
	ck_assert_int_eq(mr_parse_cpulist_count(S("\n"), &c), -EINVAL);
	ck_assert_int_eq(mr_parse_cpulist_count(S(""), &c), -EINVAL);
	ck_assert_int_eq(mr_parse_cpulist_count(S("3-1\n"), &c), -EINVAL);
	ck_assert_int_eq(mr_parse_cpulist_count(S("0-\n"), &c), -EINVAL);
	ck_assert_int_eq(mr_parse_cpulist_count(S("0,,1\n"), &c), -EINVAL);
	ck_assert_int_eq(mr_parse_cpulist_count(S("0-1\n\n"), &c), -EINVAL);
	ck_assert_int_eq(mr_parse_cpulist_count(S("0-65536\n"), &c), -EINVAL);
	/* cut short: nothing past len is read */
	ck_assert_int_eq(mr_parse_cpulist_count("0-3", 1, &c), 0);
	ck_assert_uint_eq(c, 1);
}
END_TEST

START_TEST(t_status)
{
	static const char st[] = "Name:\tmy (odd) name\nUmask:\t0022\nState:\tS\n"
		"Tgid:\t4242\nUid:\t1000\t1001\t1000\t1000\nRssAnon:\t  131072 kB\n"
		"RssFile:\t    1024 kB\nRssShmem:\t       0 kB\nKthread:\t0\n";
	struct mr_status s;

	ck_assert_int_eq(mr_parse_status(S(st), &s), 0);
	ck_assert_str_eq(s.name, "my (odd) name");
	ck_assert_uint_eq(s.have, MR_ST_NAME | MR_ST_UID | MR_ST_TGID |
			  MR_ST_RSS_ANON | MR_ST_RSS_FILE | MR_ST_RSS_SHMEM |
			  MR_ST_KTHREAD);
	ck_assert_int_eq(s.tgid, 4242);
	ck_assert_uint_eq(s.ruid, 1000);
	ck_assert_uint_eq(s.euid, 1001);
	ck_assert_uint_eq(s.rss_anon, 131072ULL * 1024);
	ck_assert_uint_eq(s.rss_file, 1024ULL * 1024);
	ck_assert_int_eq(s.kthread, 0);
	/* a zombie: no Rss lines */
	ck_assert_int_eq(mr_parse_status(S("Name:\tz\nUid:\t0\t0\t0\t0\n"), &s), 0);
	ck_assert_uint_eq(s.have, MR_ST_NAME | MR_ST_UID);
	ck_assert_int_eq(mr_parse_status(S("Uid:\t0\t0\n"), &s), -EINVAL);
	ck_assert_int_eq(mr_parse_status(S("Name:\tx\nRssAnon:\t12\n"), &s), -EINVAL);
	ck_assert_int_eq(mr_parse_status(S("Name:\tx\nUid:\tabc\n"), &s), -EINVAL);
	ck_assert_int_eq(mr_parse_status(S("Name:\tx\nKthread:\t7\n"), &s), -EINVAL);
	{	/* a long name is cut, not overrun */
		char big[200];

		memset(big, 'a', sizeof(big));
		memcpy(big, "Name:\t", 6);
		ck_assert_int_eq(mr_parse_status(big, sizeof(big), &s), 0);
		ck_assert_uint_eq(strlen(s.name), sizeof(s.name) - 1);
	}
}
END_TEST

START_TEST(t_stat)
{
	struct mr_stat st;

	ck_assert_int_eq(mr_parse_stat(S("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0"), &st), 0);
	ck_assert_uint_eq(st.flags, 2129984);
	ck_assert(st.flags & MR_PF_KTHREAD);
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(mr_parse_stat(S("7 (a) b) c) Z 1 7 7 0 -1 4194560 5"), &st), 0);
	ck_assert_uint_eq(st.flags, 4194560);
	ck_assert_int_eq(st.state, 'Z');
	ck_assert_int_eq(mr_parse_stat(S("7 (a) R 1 7"), &st), -EINVAL);
	ck_assert_int_eq(mr_parse_stat(S("no paren"), &st), -EINVAL);
	ck_assert_int_eq(mr_parse_stat(S("1 (x) S 0 0 0 0 -1 -5 0"), &st), -EINVAL);
	ck_assert_int_eq(mr_parse_stat(S("12 (x)"), &st), -EINVAL);
	ck_assert_int_eq(mr_parse_stat(S("12 (x) "), &st), -EINVAL);
	ck_assert_int_eq(mr_parse_stat(S("12 (x)Z 1 1 1 0 -1 0"), &st), -EINVAL);
}
END_TEST

START_TEST(t_pids)
{
	pid_t *pids = NULL;
	size_t n = 0, cap = 0;

	ck_assert_int_eq(mr_parse_pids(S("12\n34\n56\n"), &pids, &n, &cap), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(pids[2], 56);
	ck_assert_int_eq(mr_parse_pids(S(""), &pids, &n, &cap), 0);
	ck_assert_uint_eq(n, 3);
	/* 0: a process outside our pid namespace */
	ck_assert_int_eq(mr_parse_pids(S("0\n"), &pids, &n, &cap), 0);
	ck_assert_int_eq(pids[3], 0);
	ck_assert_int_eq(mr_parse_pids(S("12\nx\n"), &pids, &n, &cap), -EINVAL);
	ck_assert_int_eq(mr_parse_pids(S("12\n\n13\n"), &pids, &n, &cap), -EINVAL);
	free(pids);
}
END_TEST

START_TEST(t_format)
{
	char b[32];

	ck_assert_str_eq(mr_format_size(812, b, sizeof(b)), "812 B");
	ck_assert_str_eq(mr_format_size(4096, b, sizeof(b)), "4.0 KiB");
	ck_assert_str_eq(mr_format_size(128ULL << 20, b, sizeof(b)), "128.0 MiB");
	ck_assert_str_eq(mr_format_size(2ULL << 30, b, sizeof(b)), "2.00 GiB");
	ck_assert_str_eq(mr_format_size(UINT64_MAX, b, sizeof(b)), "16384.00 PiB");
}
END_TEST

TL_MAIN("tool-parse", "parse", 0, NULL, 0, 0)
