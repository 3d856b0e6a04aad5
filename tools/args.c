/*
 * args.c - mrelease(1)'s command line into struct options
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "parse.h"
#include "tool.h"

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", TOOL_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", TOOL_NAME);
	exit(EXIT_USAGE);
}

/* The value arg of an option is no such thing: what it must be. */
static void bad_value(const char *what, const char *arg, const char *must_be)
	__attribute__((noreturn));
static void bad_value(const char *what, const char *arg, const char *must_be)
{
	usage_error("invalid %s '%s': %s", what, arg, must_be);
}

static void usage(void)
{
	printf("Usage: %s [options] PID...\n"
	       "       %s [options] --cgroup PATH\n"
	       "Kill processes, or every process of a cgroup v2 subtree, and give\n"
	       "their memory back at once with process_mrelease(2).\n\n"
	       "Options:\n"
	       "  -s, --signal SIG        send SIG first (name or number; default KILL)\n"
	       "  -t, --timeout DURATION  after SIG, wait this long (500ms, 5s) for the\n"
	       "                          exit, then SIGKILL and reap what is left\n"
	       "  -c, --cgroup PATH       the whole cgroup v2 subtree at PATH\n"
	       "  -n, --dry-run           show what would be killed; signal nothing\n"
	       "  -j, --json              print one JSON object for the whole run\n"
	       "  -q, --quiet             print only errors\n"
	       "  -f, --force             allow PID 1, mrelease itself, kernel threads\n"
	       "  -h, --help              show this help\n"
	       "  -V, --version           show the version and what the kernel supports\n\n"
	       "Exit status: 0 all killed, 1 some could not be killed, 2 usage error.\n"
	       "See mrelease(1).\n", TOOL_NAME, TOOL_NAME);
	exit(0);
}

static void version(void)
{
	static const struct {
		unsigned int bit;
		const char *name, *missing;
	} calls[] = {
		{ MRELEASE_HAVE_PIDFD_OPEN, "pidfd_open", "no (Linux 5.3+)" },
		{ MRELEASE_HAVE_PIDFD_KILL, "pidfd_send_signal", "no (Linux 5.1+)" },
		{ MRELEASE_HAVE_PROCESS_MRELEASE, "process_mrelease",
		  "no (Linux 5.15+): memory is not reaped" },
	};
	unsigned int have = mrelease_probe();
	struct utsname u;
	size_t i;

	printf("mrelease %s (libmrelease %s)\n", PACKAGE_VERSION,
	       mrelease_version());
	if (uname(&u) == 0)
		printf("kernel %s:\n", u.release);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		printf("  %-19s %s\n", calls[i].name,
		       (have & calls[i].bit) ? "yes" : calls[i].missing);
	exit(0);
}

/* The combinations of options that make no sense. */
static void check_options(const struct options *o)
{
	if (o->cgroup && o->npids)
		usage_error("give either PIDs or --cgroup, not both");
	if (!o->cgroup && !o->npids)
		usage_error("no PID given");
	if (o->cgroup && !o->cgroup[0])
		usage_error("--cgroup needs a path");
	if (o->have_timeout && !o->have_signal)
		usage_error("--timeout needs --signal (the default, KILL, needs no timeout)");
	if (o->have_timeout && o->sig == SIGKILL)
		usage_error("--timeout with --signal KILL: nothing to wait for");
	if (o->have_timeout && o->timeout_ns == 0)
		usage_error("--timeout must be more than 0");
	/* a stopped process never exits: a timeout would always expire */
	if (o->have_timeout && (o->sig == SIGSTOP || o->sig == SIGTSTP ||
				o->sig == SIGTTIN || o->sig == SIGTTOU))
		usage_error("--timeout with a stop signal: it would never exit");
}

void tool_parse_args(struct tool *tl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options *o = &tl->opt;
	/* the options that only set a flag */
	static const char flag_opts[] = "njqf";
	int *const flags[] = { &o->dry_run, &o->json, &o->quiet, &o->force };
	int c;

	o->sig = SIGKILL;
	while ((c = getopt_long(argc, argv, "+s:t:c:njqfhV", longopts, NULL)) != -1) {
		/* never NULL for an option that takes one: say so */
		const char *arg = optarg ? optarg : "";

		switch (c) {
		case 's':
			o->have_signal = 1;
			if (mr_parse_signal(arg, strlen(arg), &o->sig) < 0)
				bad_value("signal", arg, "a name (TERM, SIGKILL) or a number 1-64");
			break;
		case 't':
			o->have_timeout = 1;
			if (mr_parse_duration(arg, strlen(arg), &o->timeout_ns) < 0)
				bad_value("duration", arg, "a number with an optional unit ms, s, m (at most 24h)");
			break;
		case 'c':
			if (o->cgroup)
				usage_error("--cgroup given twice");
			o->cgroup = arg;
			break;
		case 'n': case 'j': case 'q': case 'f':
			*flags[strchr(flag_opts, c) - flag_opts] = 1;
			break;
		case 'h':
			usage();
			break;
		case 'V':
			version();
			break;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n",
				TOOL_NAME);
			exit(EXIT_USAGE);
		}
	}
	o->pids = argv + optind;
	o->npids = argc - optind;
	check_options(o);
}
