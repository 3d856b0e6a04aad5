#!/bin/sh
# smoke.sh - the benchmark runs and its output is well formed.
# Tiny sizes and one repetition of every scenario (the cgroup's patterns
# and floors, lmkd's case, the scale of one reap); asserts no time.
# Without root it runs what it can (idle, floor, the cost of a call) and
# says what it skipped.
set -u
bin=${top_builddir:-.}/bench/mrelease-bench
out=bench-smoke.$$
fail() { echo "FAIL: $*"; exit 1; }

rm -rf "$out"
"$bin" --smoke --out "$out" >"$out.stdout" 2>&1
rc=$?
cat "$out.stdout"
rm -f "$out.stdout"
[ $rc -eq 77 ] && { rm -rf "$out"; exit 77; }
[ $rc -eq 0 ] || fail "mrelease-bench exited $rc"

# The table: its sections, and the terminal copy in table.txt.
t=$out/table.txt
[ -s "$t" ] || fail "no $t"
for s in 'estimated duration: ' 'Time to free, killer view' \
	 'Ratios of the killer view' \
	 'Scenario 5: CPU time charged' 'Scenario 6: the cost of one call' \
	 'Targets' 'Results:'; do
	grep -q "$s" "$t" || fail "table lacks '$s'"
done
# Root with a cgroup v2: scenarios 4, 7 and 8 ran.
root=0
# (log.txt names every cgroup made; the v2 one is not under /memory/)
[ "$(id -u)" = 0 ] && grep '^cgroup: ' "$out/log.txt" | grep -qv '/memory/' &&
	root=1
if [ $root = 1 ]; then
	for s in 'Scenario 4: a cgroup' 'Scenario 4b: a cgroup' \
		 'Scenario 7: lmkd' 'Scenario 7b: lmkd'; do
		grep -q "$s" "$t" || fail "table lacks '$s'"
	done
	# Every pattern of the cgroup tables: 2 sizes, idle and loaded.
	for p in 'cgroup.kill + wait' "oomd's pattern" 'cgroup.kill first' \
		 'mrelease_kill_cgroup, P=[0-9]* threads' 'MRELEASE_NO_FREEZE' \
		 'mrelease_kill_cgroup, 1 thread' \
		 'mrelease_kill_cgroup, 4 threads' \
		 'munmap floor, P=[0-9]* tasks' 'munmap floor, 1 task'; do
		[ "$(grep -c "^[^ ]*.*$p" "$t")" -ge 4 ] ||
			fail "cgroup tables lack '$p'"
	done
	for p in 'reaper, 1 worker' 'reaper, 2 workers' 'reaper, 4 workers'; do
		[ "$(grep -c "^$p" "$t")" -eq 2 ] || fail "lmkd tables lack '$p'"
	done
	# Scenario 8 (without the SCHED_FIFO hold a victim may exit first).
	if ! grep -q 'no SCHED_FIFO hold' "$t"; then
		grep -q 'Scenario 8: one' "$t" || fail "table lacks scenario 8"
		grep -q 'processes sharing one mm' "$t" ||
			fail "no shared-mm reap"
	fi
fi

# CSV: exact headers, the same number of fields on every row.
check_csv() {	# file header
	[ -s "$1" ] || fail "no $1"
	[ "$(head -n 1 "$1")" = "$2" ] || fail "$1: header is '$(head -n 1 "$1")'"
	awk -F, -v n="$(echo "$2" | awk -F, '{ print NF }')" \
		'NR > 1 && NF != n { print FILENAME ":" NR ": " NF " fields"; bad = 1 }
		 END { exit bad }' "$1" || fail "$1: ragged rows"
	[ "$(wc -l <"$1")" -ge 2 ] || fail "$1: no rows"
}
check_csv "$out/runs.csv" \
	'scenario,mode,size_mib,rep,sampled,ok,free_ms,exit_ms,empty_ms,memcg95_ms,killer_cpu_ms,killer_rusage_ms,victim_cpu_ms,lib_time_ms,killer_nivcsw,latency_p50_ms,latency_p99_ms,victims_per_s,reaped_frac,victims,idle_added,killed,reaped,gone,failed,status'
check_csv "$out/summary.csv" 'scenario,mode,size_mib,idle_added,sampled,metric,n,median,min,max'
check_csv "$out/targets.csv" 'target,measured,limit,verdict'
[ -s "$out/calls.csv" ] || fail "no calls.csv"

# Every target, in the table and in targets.csv, with a verdict; a MISS
# carries the figures that say why.
for n in 'mrelease_kill / raw syscalls' \
	 'busy [0-9]* MiB: mrelease_kill / munmap floor' \
	 'idle [0-9]* MiB: mrelease_kill / plain' \
	 'cgroup-busy [0-9]* MiB: kill_cgroup (P=[0-9]*) / P-thread floor' \
	 'cgroup-busy [0-9]* MiB: kill_cgroup (P=[0-9]*) reaped / killed' \
	 'cgroup [0-9]* MiB: kill_cgroup (P=[0-9]*) / cgroup.kill+wait' \
	 "cgroup [0-9]* MiB: kill_cgroup (P=[0-9]*) / oomd's pattern" \
	 'cgroup-busy [0-9]* MiB: kill_cgroup 2 threads / 1 thread'; do
	grep -q "^  \[\(PASS\|MISS\|SKIP\)\] $n" "$t" ||
		fail "table lacks target '$n'"
	# targets.csv quotes the name and writes ' as itself
	grep -q "^\"$n" "$out/targets.csv" || fail "targets.csv lacks '$n'"
done
if [ $root = 1 ]; then
	grep '^  \[SKIP\] cgroup' "$t" && fail "a cgroup target was not measured"
fi
grep '^  \[MISS\]' "$t" | grep -v ')  .*[0-9]' &&
	fail "a MISS without its measured reason"

# The idle kills and the floor need no privilege: they must have worked.
# On an idle CPU (and in a slow guest) the victim may run its own exit
# before the reap: "not reaped: No such process" is then the right answer.
grep -q "^idle,plain,16,0,0,1," "$out/runs.csv" || fail "no good idle plain run"
for m in mrelease_kill raw; do
	grep -q "^idle,$m,16,0,0,1," "$out/runs.csv" ||
	grep -q "^idle,$m,16,0,0,0,.*,not reaped: No such process\$" \
		"$out/runs.csv" || fail "no good idle $m run: $(grep "^idle,$m,16," \
			"$out/runs.csv" | sed 's/.*,//' | head -n 1)"
done
grep -q '^floor,munmap,16,0,0,1,' "$out/runs.csv" || fail "no good floor run"
# As root, every new mode had a good run.
if [ $root = 1 ]; then
	for m in cgroup.kill+wait oomd cgroup.kill-then-reap kill_cgroup/P \
		 kill_cgroup/P-nofreeze kill_cgroup/1 kill_cgroup/4 floor/P \
		 floor/1; do
		for sc in cgroup cgroup-busy; do
			grep -q "^$sc,$m,[0-9]*,0,[01],1," "$out/runs.csv" ||
				fail "no good $sc $m run"
		done
	done
	for sc in lmkd lmkd-busy; do
		for m in reaper/1 reaper/2 reaper/4; do
			grep -q "^$sc,$m,[0-9]*,0,0,1," "$out/runs.csv" ||
				fail "no good $sc $m run"
		done
	done
	# Without the SCHED_FIFO hold a victim may exit before its reap.
	grep -q 'no SCHED_FIFO hold' "$t" ||
	for m in one pair shared; do
		grep -q "^scale,$m,[0-9]*,0,0,1," "$out/runs.csv" ||
			fail "no good scale $m run"
	done
	# The plots, where gnuplot and the memory group are there.
	if command -v gnuplot >/dev/null &&
	   grep -q '^cgroup: .*/memory/' "$out/log.txt"; then
		for p in time-to-free cgroup-time-to-free over-time \
			 over-time-cgroup over-time-cgroup-idle; do
			[ -s "$out/$p.png" ] || fail "no $p.png"
		done
	fi
fi
# Every verdict is one of three words.
awk -F, 'NR > 1 && $NF !~ /^(PASS|MISS|SKIP)$/ { bad = 1 } END { exit bad }' \
	"$out/targets.csv" || fail "targets.csv: a verdict is not PASS/MISS/SKIP"
# The cgroups it made are gone.
for d in $(sed -n 's/^cgroup: //p' "$out/log.txt"); do
	[ -e "$d" ] && fail "left behind: $d"
done
rm -rf "$out"
exit 0
