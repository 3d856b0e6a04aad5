/*
 * meter.c - clocks, CPU time and the memory-cgroup sampler (the system view)
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench.h"

double clock_ms(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double rusage_ms(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec * 1e3 + ru->ru_utime.tv_usec / 1e3 +
	       ru->ru_stime.tv_sec * 1e3 + ru->ru_stime.tv_usec / 1e3;
}

long self_nivcsw;

double self_rusage_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	self_nivcsw = ru.ru_nivcsw;
	return rusage_ms(&ru);
}

/* The killer's cost of one kill: its CPU time (clock and rusage) and its
 * involuntary context switches between cost_start() and cost_end(). */
void cost_start(struct cost *c)
{
	c->cpu0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	c->ru0 = self_rusage_ms();
	c->iv0 = self_nivcsw;
}

void cost_end(const struct cost *c, struct run *r, int64_t t0, int64_t t1)
{
	double cpu1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), ru1 = self_rusage_ms();

	r->nivcsw = (double)(self_nivcsw - c->iv0);
	r->free_ms = (double)(t1 - t0) / 1e6;
	r->kcpu_ms = cpu1 - c->cpu0;
	r->kru_ms = ru1 - c->ru0;
}

/* ---- the memory-cgroup sampler (system view) ----------------------------- */

struct sampbuf *sb;

pid_t sampler_start(const char *usage_path)
{
	pid_t pid;
	int i;

	sb->stop = 0;
	sb->ready = 0;
	sb->n = 0;
	pid = fork_child();
	if (pid == 0) {
		struct timespec next;
		int fd = open(usage_path, O_RDONLY | O_CLOEXEC);
		char buf[64];

		pin_to(g.killer_cpu);
		mr_sched_set(SCHED_FIFO, 60);
		if (fd < 0)
			_exit(1);
		clock_gettime(CLOCK_MONOTONIC, &next);
		while (!sb->stop && sb->n < MAX_SAMPLES) {
			ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);
			int n = sb->n;

			if (r <= 0)
				_exit(1);
			buf[r] = 0;
			sb->s[n].t = now_ns();
			sb->s[n].v = strtoll(buf, NULL, 10);
			sb->n = n + 1;
			sb->ready = 1;
			next.tv_nsec += 1000000;
			if (next.tv_nsec >= 1000000000) {
				next.tv_nsec -= 1000000000;
				next.tv_sec++;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
					NULL);
		}
		_exit(0);
	}
	for (i = 0; pid > 0 && i < 1000 && !sb->ready; i++)
		sleep_ms(1);
	if (pid > 0 && !sb->ready) {
		kid_kill(pid);
		return -1;
	}
	sleep_ms(5);
	return pid;
}

void sampler_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	sb->stop = 1;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	kid_del(pid);
}

double sampler_drop_ms(int64_t t0, double bytes, double frac)
{
	int i, n = sb->n;
	int64_t base = -1;

	for (i = 0; i < n && sb->s[i].t <= t0; i++)
		base = sb->s[i].v;
	if (base < 0)
		return NAN;
	for (; i < n; i++)
		if ((double)(base - sb->s[i].v) >= frac * bytes)
			return (sb->s[i].t - t0) / 1e6;
	return NAN;
}

struct curve *sampler_curve(int64_t t0)
{
	struct curve *c = calloc(1, sizeof(*c));
	int i, n = sb->n, k = 0;

	if (!c)
		return NULL;
	c->ms = malloc(sizeof(float) * (size_t)(n + 1));
	c->mib = malloc(sizeof(float) * (size_t)(n + 1));
	if (!c->ms || !c->mib) {
		curve_free(c);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		double ms = (sb->s[i].t - t0) / 1e6;

		if (ms < -5)
			continue;
		c->ms[k] = (float)ms;
		c->mib[k] = (float)(sb->s[i].v / MiB);
		k++;
	}
	c->n = k;
	if (!k) {
		curve_free(c);
		return NULL;
	}
	return c;
}

void curve_free(struct curve *c)
{
	if (!c)
		return;
	free(c->ms);
	free(c->mib);
	free(c);
}
