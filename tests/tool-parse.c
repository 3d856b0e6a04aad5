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

START_TEST(t_duration)
{
	uint64_t ns;

	ck_assert_int_eq(mr_parse_duration(S("500ms"), &ns), 0);
	ck_assert_uint_eq(ns, 500000000ULL);
	ck_assert_int_eq(mr_parse_duration(S("5s"), &ns), 0);
	ck_assert_uint_eq(ns, 5000000000ULL);
	ck_assert_int_eq(mr_parse_duration(S("1.5"), &ns), 0);
	ck_assert_uint_eq(ns, 1500000000ULL);
	ck_assert_int_eq(mr_parse_duration(S("2m"), &ns), 0);
	ck_assert_uint_eq(ns, 120000000000ULL);
	ck_assert_int_eq(mr_parse_duration(S("250US"), &ns), 0);
	ck_assert_uint_eq(ns, 250000ULL);
	ck_assert_int_eq(mr_parse_duration(S(".5s"), &ns), 0);
	ck_assert_uint_eq(ns, 500000000ULL);
	ck_assert_int_eq(mr_parse_duration(S("24h"), &ns), 0);
	/* digits beyond the ninth are accepted and ignored */
	ck_assert_int_eq(mr_parse_duration(S("0.1234567891s"), &ns), 0);
	ck_assert_uint_eq(ns, 123456789ULL);
	ck_assert_int_eq(mr_parse_duration(S("0.999999999999999999999h"), &ns), 0);
	ck_assert_uint_eq(ns, 3599999996400ULL);	/* 0.999999999 h */
	/* not a prefix of the buffer: the length counts */
	ck_assert_int_eq(mr_parse_duration("5sXX", 2, &ns), 0);
	ck_assert_uint_eq(ns, 5000000000ULL);
	ck_assert_int_eq(mr_parse_duration(S("24.001h"), &ns), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(mr_parse_duration(S("99999999999999999999s"), &ns), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(mr_parse_duration(S(""), &ns), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mr_parse_duration(S("ms"), &ns), -1);
	ck_assert_int_eq(mr_parse_duration(S("."), &ns), -1);
	ck_assert_int_eq(mr_parse_duration(S("5x"), &ns), -1);
	ck_assert_int_eq(mr_parse_duration(S("-5s"), &ns), -1);
	ck_assert_int_eq(mr_parse_duration(S("5 s"), &ns), -1);
	ck_assert_int_eq(mr_parse_duration(S("1.2.3s"), &ns), -1);
}
END_TEST

START_TEST(t_signal)
{
	int sig;

	ck_assert_int_eq(mr_parse_signal(S("KILL"), &sig), 0);
	ck_assert_int_eq(sig, SIGKILL);
	ck_assert_int_eq(mr_parse_signal(S("sigterm"), &sig), 0);
	ck_assert_int_eq(sig, SIGTERM);
	ck_assert_int_eq(mr_parse_signal(S("9"), &sig), 0);
	ck_assert_int_eq(sig, 9);
	ck_assert_int_eq(mr_parse_signal(S("RTMIN+3"), &sig), 0);
	ck_assert_int_eq(sig, SIGRTMIN + 3);
	ck_assert_int_eq(mr_parse_signal(S("SIGRTMAX-1"), &sig), 0);
	ck_assert_int_eq(sig, SIGRTMAX - 1);
	ck_assert_int_eq(mr_parse_signal(S("rtmax"), &sig), 0);
	ck_assert_int_eq(sig, SIGRTMAX);
	ck_assert_int_eq(mr_parse_signal(S("0"), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S("65"), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S("SIG"), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S("KILLX"), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S("RTMIN-1"), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S("RTMIN+99"), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S(""), &sig), -1);
	ck_assert_int_eq(mr_parse_signal(S("-9"), &sig), -1);
	ck_assert_str_eq(mr_signal_name(SIGKILL), "KILL");
	ck_assert_str_eq(mr_signal_name(SIGUSR1), "USR1");
	ck_assert_str_eq(mr_signal_name(SIGRTMIN + 2), "RTMIN+2");
	ck_assert_str_eq(mr_signal_name(0), "?");
}
END_TEST

START_TEST(t_pid)
{
	pid_t pid;

	ck_assert_int_eq(mr_parse_pid(S("1"), &pid), 0);
	ck_assert_int_eq(pid, 1);
	ck_assert_int_eq(mr_parse_pid(S("4194304"), &pid), 0);
	ck_assert_int_eq(mr_parse_pid(S("4194305"), &pid), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(mr_parse_pid(S("0"), &pid), -1);
	ck_assert_int_eq(mr_parse_pid(S("-1"), &pid), -1);
	ck_assert_int_eq(mr_parse_pid(S("12a"), &pid), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mr_parse_pid(S(" 12"), &pid), -1);
	ck_assert_int_eq(mr_parse_pid(S(""), &pid), -1);
	ck_assert_int_eq(mr_parse_pid(S("99999999999999999999999"), &pid), -1);
}
END_TEST

START_TEST(t_size)
{
	uint64_t b;

	ck_assert_int_eq(mr_parse_size(S("200M"), &b), 0);
	ck_assert_uint_eq(b, 200ULL << 20);
	ck_assert_int_eq(mr_parse_size(S("1.5GiB"), &b), 0);
	ck_assert_uint_eq(b, 3ULL << 29);
	ck_assert_int_eq(mr_parse_size(S("4096"), &b), 0);
	ck_assert_uint_eq(b, 4096);
	ck_assert_int_eq(mr_parse_size(S("20000000T"), &b), -1);
	ck_assert_int_eq(mr_parse_size(S("1Q"), &b), -1);
	ck_assert_int_eq(mr_parse_size(S("M"), &b), -1);
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
