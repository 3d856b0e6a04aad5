/*
 * output.c - mrelease(1)'s report: a line a process and totals, or one
 * JSON object for the whole run
 *
 * SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The libmrelease developers
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "tool.h"

static char *fmt_time(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000000)
		snprintf(buf, size, "%.0f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, size, "%.2f s", ns / 1e9);
	return buf;
}

static uint64_t held(const struct target *t)
{
	return t->rss_anon + t->rss_file + t->rss_shmem;
}

/* A target the report lists: acted on, or would be. */
static int listed(const struct target *t)
{
	return t->outcome != O_ERROR && t->outcome != O_NONE &&
	       t->outcome != O_SKIPPED;
}

struct totals {
	unsigned int nproc, nkilled, nreaped, nexited;
	uint64_t held, freed;
};

static void count(const struct tool *tl, struct totals *tot)
{
	size_t i;

	memset(tot, 0, sizeof(*tot));
	for (i = 0; i < tl->ntargets; i++) {
		const struct target *t = &tl->targets[i];

		if (!listed(t))
			continue;
		tot->nproc++;
		tot->held += held(t);
		tot->nkilled += t->outcome == O_KILLED;
		tot->nexited += t->outcome == O_EXITED;
		if (t->res.status & MRELEASE_REAPED) {
			tot->nreaped++;
			tot->freed += t->res.freed;
		}
	}
}

static const char *reap_why(int err)
{
	switch (err) {
	case 0:
		return "reaped";
	case ESRCH:
		return "it freed its memory itself before the reap";
	case ENOSYS:
		return "process_mrelease(2) is missing (Linux 5.15+)";
	case EPERM:
		return "process_mrelease(2) is blocked by a sandbox";
	case EINVAL:
		return "its memory is shared with a live process";
	default:
		return strerror(err);
	}
}

static const char *errno_name(int err)
{
	switch (err) {
	case 0: return NULL;
	case ESRCH: return "ESRCH";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case EBADF: return "EBADF";
	default: return "EIO";
	}
}

static void print_killed(const struct tool *tl, const struct target *t)
{
	const char *sig = mr_signal_name(tl->opt.sig);
	char f[32], tm[32];

	if (t->escalated)
		printf("still alive %s after %s: ",
		       fmt_time(tl->opt.timeout_ns, tm, sizeof(tm)), sig);
	if (tl->opt.cgroup) {
		printf("killed\n");
		return;
	}
	printf("killed%s, ", t->res.status & MRELEASE_FALLBACK_KILL ?
	       " (with kill(2))" : "");
	if (t->res.status & MRELEASE_REAPED)
		printf("reaped %s in %s\n",
		       mr_format_size(t->res.freed, f, sizeof(f)),
		       fmt_time(t->res.time_ns, tm, sizeof(tm)));
	else if (t->res.status & MRELEASE_FALLBACK_KILL)
		printf("not reaped: no pidfd to reap it through\n");
	else
		printf("not reaped: %s\n", reap_why(t->res.reap_errno));
}

static void print_target(const struct tool *tl, const struct target *t)
{
	const char *sig = mr_signal_name(tl->opt.sig);
	char h[32], tm[32];

	printf("%d (%s): %s %s; ", (int)t->pid,
	       t->st.name[0] ? t->st.name : "?",
	       t->outcome == O_WOULD ? "holds" : "held",
	       mr_format_size(held(t), h, sizeof(h)));
	switch (t->outcome) {
	case O_WOULD:
		printf("would be sent %s%s\n", sig,
		       tl->opt.have_timeout ? ", then KILL if still alive" : "");
		break;
	case O_SIGNALLED:
		printf("sent %s; not reaped: only a process killed by SIGKILL can be reaped"
		       " (add --timeout to escalate)\n", sig);
		break;
	case O_EXITED:
		printf("exited on %s after %s, no SIGKILL needed\n", sig,
		       fmt_time(t->exit_ns, tm, sizeof(tm)));
		break;
	case O_KILLED:
		print_killed(tl, t);
		break;
	default:
		break;
	}
}

void tool_print_text(const struct tool *tl)
{
	const struct cgroup_run *cg = &tl->cg;
	const char *path = tl->opt.cgroup;
	struct totals tot;
	char h[32], f[32], tm[32];
	size_t i;

	for (i = 0; i < tl->ntargets; i++)
		if (listed(&tl->targets[i]))
			print_target(tl, &tl->targets[i]);
	count(tl, &tot);
	if (path && cg->called)
		printf("cgroup %s: %u killed%s, %u reaped, %u already gone, %u failed; "
		       "%s freed in %s\n", path, cg->res.killed,
		       cg->res.status & MRELEASE_KILLFILE ? " (cgroup.kill)" : "",
		       cg->res.reaped, cg->res.gone, cg->res.failed,
		       mr_format_size(cg->res.freed, f, sizeof(f)),
		       fmt_time(cg->res.time_ns, tm, sizeof(tm)));
	else if (path && !cg->msg[0] && tl->ntargets == 0)
		printf("cgroup %s: no processes\n", path);
	if (tot.nproc > 1 && tl->opt.dry_run)
		printf("total: %u processes hold %s; none was signalled\n", tot.nproc,
		       mr_format_size(tot.held, h, sizeof(h)));
	else if (tot.nproc > 1 && !path)
		printf("total: %u processes held %s; %u killed, %u reaped, %s freed\n",
		       tot.nproc, mr_format_size(tot.held, h, sizeof(h)), tot.nkilled,
		       tot.nreaped, mr_format_size(tot.freed, f, sizeof(f)));
	else if (tot.nproc > 1)
		printf("total: %u processes held %s\n", tot.nproc,
		       mr_format_size(tot.held, h, sizeof(h)));
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);	/* bytes as Latin-1: valid JSON */
		else
			putchar(c);
	}
	putchar('"');
}

static const char *json_bool(int b)
{
	return b ? "true" : "false";
}

static const char *outcome_name(enum outcome o)
{
	switch (o) {
	case O_WOULD: return "would_kill";
	case O_KILLED: return "killed";
	case O_SIGNALLED: return "signalled";
	case O_EXITED: return "exited";
	default: return "error";
	}
}

static void json_process(const struct tool *tl, const struct target *t)
{
	int reaped = !!(t->res.status & MRELEASE_REAPED);
	const char *why = errno_name(t->res.reap_errno);
	int cgroup = tl->opt.cgroup != NULL;

	printf("{\"pid\":%d,\"comm\":", (int)t->pid);
	json_string(t->st.name);
	printf(",\"held\":%llu,\"rss_anon\":%llu,\"rss_file\":%llu,"
	       "\"rss_shmem\":%llu,\"result\":\"%s\",\"killed\":%s,"
	       "\"escalated\":%s,\"reaped\":%s,\"reap_error\":",
	       (unsigned long long)held(t),
	       (unsigned long long)t->rss_anon,
	       (unsigned long long)t->rss_file,
	       (unsigned long long)t->rss_shmem,
	       outcome_name(t->outcome),
	       json_bool(t->outcome == O_KILLED),
	       json_bool(t->escalated),
	       /* cgroup: the library counts reaps per cgroup only */
	       cgroup && t->outcome == O_KILLED ? "null" : json_bool(reaped));
	if (t->outcome == O_KILLED && !cgroup && !reaped && why)
		json_string(why);
	else
		printf("null");
	printf(",\"freed\":%llu,\"time_ns\":%llu}",
	       (unsigned long long)(reaped ? t->res.freed : 0),
	       (unsigned long long)(t->outcome == O_EXITED ? t->exit_ns :
				    t->res.time_ns));
}

static void json_cgroup(const struct tool *tl)
{
	const struct cgroup_run *cg = &tl->cg;

	printf("{\"path\":");
	json_string(tl->opt.cgroup);
	printf(",\"called\":%s,\"killed\":%u,\"reaped\":%u,\"gone\":%u,"
	       "\"failed\":%u,\"killfile\":%s,\"freed\":%llu,\"time_ns\":%llu}",
	       json_bool(cg->called), cg->res.killed, cg->res.reaped,
	       cg->res.gone, cg->res.failed,
	       json_bool(cg->res.status & MRELEASE_KILLFILE),
	       (unsigned long long)cg->res.freed,
	       (unsigned long long)cg->res.time_ns);
}

/* {"arg":..., "pid":..., "message":...}; arg NULL and pid 0 are null. */
static void json_error(const char *arg, pid_t pid, const char *msg)
{
	printf("{\"arg\":");
	if (arg)
		json_string(arg);
	else
		printf("null");
	if (pid > 0)
		printf(",\"pid\":%d,\"message\":", (int)pid);
	else
		printf(",\"pid\":null,\"message\":");
	json_string(msg);
	printf("}");
}

void tool_print_json(const struct tool *tl, int status)
{
	const struct options *o = &tl->opt;
	struct totals tot;
	const char *sep = "";
	size_t i;

	count(tl, &tot);
	printf("{\"version\":\"%s\",\"mode\":\"%s\",\"dry_run\":%s,"
	       "\"signal\":\"%s\",\"timeout_ns\":",
	       mrelease_version(), o->cgroup ? "cgroup" : "pids",
	       json_bool(o->dry_run), mr_signal_name(o->sig));
	if (o->have_timeout)
		printf("%llu", (unsigned long long)o->timeout_ns);
	else
		printf("null");
	printf(",\"processes\":[");
	for (i = 0; i < tl->ntargets; i++) {
		if (!listed(&tl->targets[i]))
			continue;
		printf("%s", sep);
		sep = ",";
		json_process(tl, &tl->targets[i]);
	}
	printf("],\"cgroup\":");
	if (o->cgroup) {
		json_cgroup(tl);
		tot.nreaped = tl->cg.res.reaped;
		tot.freed = tl->cg.res.freed;
	} else {
		printf("null");
	}
	printf(",\"errors\":[");
	sep = "";
	if (tl->cg.msg[0]) {
		json_error(o->cgroup, 0, tl->cg.msg);
		sep = ",";
	}
	for (i = 0; i < tl->ntargets; i++) {
		const struct target *t = &tl->targets[i];

		if (t->outcome != O_ERROR)
			continue;
		printf("%s", sep);
		sep = ",";
		json_error(t->arg, t->pid, t->msg);
	}
	printf("],\"totals\":{\"processes\":%u,\"held\":%llu,\"killed\":%u,"
	       "\"exited\":%u,\"reaped\":%u,\"freed\":%llu,\"failed\":%d},"
	       "\"exit_status\":%d}\n",
	       tot.nproc, (unsigned long long)tot.held, tot.nkilled, tot.nexited,
	       tot.nreaped, (unsigned long long)tot.freed, tl->failures, status);
}
