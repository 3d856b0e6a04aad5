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

/* Every option, once: its letter, long name, argument (NULL: none) and
 * help; usage() and getopt_long() both read it. */
static const struct tool_opt {
	char c;
	const char *name, *arg, *help;
} opts[] = {
	{ 's', "signal", "SIG", "send SIG first (name or number; default KILL)" },
	{ 't', "timeout", "DURATION", "after SIG, wait this long (500ms, 5s) for the\n"
	  "exit, then SIGKILL and reap what is left" },
	{ 'c', "cgroup", "PATH", "the whole cgroup v2 subtree at PATH" },
	{ 'n', "dry-run", NULL, "show what would be killed; signal nothing" },
	{ 'j', "json", NULL, "print one JSON object for the whole run" },
	{ 'q', "quiet", NULL, "print only errors" },
	{ 'f', "force", NULL, "allow PID 1, mrelease itself, kernel threads" },
	{ 'h', "help", NULL, "show this help" },
	{ 'V', "version", NULL, "show the version and what the kernel supports" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static void usage(void)
{
	size_t i;

	printf("Usage: %s [options] PID...\n"
	       "       %s [options] --cgroup PATH\n"
	       "Kill processes, or every process of a cgroup v2 subtree, and give\n"
	       "their memory back at once with process_mrelease(2).\n\n"
	       "Options:\n", TOOL_NAME, TOOL_NAME);
	for (i = 0; i < NOPTS; i++) {
		const char *nl = strchr(opts[i].help, '\n');
		char word[32];

		snprintf(word, sizeof(word), "--%s%s%s", opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		printf("  -%c, %-20s%.*s\n", opts[i].c, word,
		       nl ? (int)(nl - opts[i].help) : (int)strlen(opts[i].help),
		       opts[i].help);
		if (nl)
			printf("%26s%s\n", "", nl + 1);
	}
	printf("\nExit status: 0 all killed, 1 some could not be killed, 2 usage error.\n"
	       "See mrelease(1).\n");
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
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2] = "+", *p = shortopts + 1;
	size_t i;
	struct options *o = &tl->opt;
	/* the options that only set a flag */
	static const char flag_opts[] = "njqf";
	int *const flags[] = { &o->dry_run, &o->json, &o->quiet, &o->force };
	int c;

	for (i = 0; i < NOPTS; i++) {
		longopts[i] = (struct option){ opts[i].name,
			opts[i].arg ? required_argument : no_argument, NULL, opts[i].c };
		*p++ = opts[i].c;
		if (opts[i].arg)
			*p++ = ':';
	}
	longopts[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
	*p = '\0';
	o->sig = SIGKILL;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
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
