#!/bin/sh
# syscalls-trace.sh - what each scenario of tests/syscalls makes, by strace:
# how the lines of lib/syscalls.txt were found (and are checked again when
# the code changes).  Not part of make check: the list is the code's and
# the filter test's; this shows where a new call came from.
#
# SPDX-License-Identifier: MIT
#
#   tests/syscalls-trace.sh BUILDDIR [LIBC [RUNS]]
#
# runs BUILDDIR/tests/syscalls RUNS times (default 3) with
# MR_SYSCALLS_TRACE=1 under strace -f and prints, per scenario, the union
# of the system calls its process and the threads it started made between
# the markers, as "NAME LIBC call...".  A musl build's program (ci stage
# 50-musl) gives the musl lines.  The lines are what one machine did: a
# call that this run's path did not take (brk or mremap of malloc, the
# kill(2) fallback) is added from the code, by hand.
set -eu
build=${1:?usage: syscalls-trace.sh BUILDDIR [LIBC [RUNS]]}
libc=${2:-glibc}
runs=${3:-3}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
export top_srcdir
command -v strace >/dev/null || { echo "no strace" >&2; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syscalls-trace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prog=$build/tests/syscalls
[ -x "$build/tests/.libs/syscalls" ] && prog=$build/tests/.libs/syscalls
i=0
while [ $i -lt "$runs" ]; do
	LD_LIBRARY_PATH="$build/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
	MR_SYSCALLS_TRACE=1 strace -f -qq -s 64 -o "$tmp/trace.$i" "$prog" >&2
	i=$((i + 1))
done
python3 - "$libc" "$tmp"/trace.* <<'PY'
import re, sys
libc, files = sys.argv[1], sys.argv[2:]
line_re = re.compile(r'^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*)$')
mark_re = re.compile(r'write\(-1, "mrelease-syscalls (begin|end) ([^"]+)"')
ret_re = re.compile(r'= (\d+)$')
calls, order = {}, []
for f in files:
    lines = open(f).read().splitlines()
    # the threads each task started, whenever (a reaper made before the
    # filter works for the scenario); clone's result is on its resumed
    # line when strace split it
    threads, pending = {}, {}
    for line in lines:
        m = line_re.match(line)
        if not m:
            continue
        pid, name = int(m.group(1)), m.group(2) or m.group(3)
        if name in ('clone', 'clone3'):
            if m.group(3):
                pending[pid] = 'CLONE_THREAD' in line
            r = ret_re.search(line)
            if r and pending.get(pid):
                threads.setdefault(pid, []).append(int(r.group(1)))
    def group(p):
        g, todo = set(), [p]
        while todo:
            q = todo.pop()
            if q not in g:
                g.add(q)
                todo.extend(threads.get(q, []))
        return g
    scen, pids = None, set()
    for line in lines:
        m = line_re.match(line)
        if not m:
            continue
        pid, name = int(m.group(1)), m.group(2) or m.group(3)
        mk = mark_re.search(line)
        if mk:
            if mk.group(1) == 'begin':
                scen, pids = mk.group(2), group(pid)
                if scen not in calls:
                    calls[scen] = set()
                    order.append(scen)
            elif scen == mk.group(2):
                scen = None
            continue
        if scen is None or pid not in pids:
            continue
        calls[scen].add(name)
        if name in ('clone', 'clone3'):
            pids |= group(pid)
for s in order:
    print(s, libc, ' '.join(sorted(calls[s])))
PY
