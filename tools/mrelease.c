/*
 * mrelease(1) - kill processes or a cgroup and give their memory back now
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 *
 * main(): the command line (args.c), the PID mode (target.c) or the
 * cgroup mode (cgroup.c), then the report (output.c) and the exit status.
 * tool.h maps the pieces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tool.h"

int main(int argc, char **argv)
{
	struct tool tl = { 0 };
	int status;
	size_t i;

	tool_parse_args(&tl, argc, argv);
	if (tl.opt.cgroup)
		tool_run_cgroup(&tl);
	else
		tool_run_pids(&tl);

	status = tl.failures ? EXIT_SOME_FAILED : 0;
	if (tl.opt.json)
		tool_print_json(&tl, status);
	else if (!tl.opt.quiet)
		tool_print_text(&tl);
	for (i = 0; i < tl.ntargets; i++)
		if (tl.targets[i].pidfd >= 0)
			close(tl.targets[i].pidfd);
	free(tl.targets);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_SOME_FAILED;
	return status;
}
