#!/bin/sh
# smoke.sh - the benchmark runs and its output is well formed.
# A tiny N and one repetition; asserts no time.  Without root it runs what
# it can (idle, floor, the cost of a call) and says what it skipped.
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
for s in 'Time to free, killer view' 'Ratios of the killer view' \
	 'Scenario 5: CPU time charged' 'Scenario 6: the cost of one call' \
	 'Targets' 'Results:'; do
	grep -q "$s" "$t" || fail "table lacks '$s'"
done

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
	'scenario,mode,size_mib,rep,sampled,ok,free_ms,exit_ms,empty_ms,memcg95_ms,killer_cpu_ms,killer_rusage_ms,victim_cpu_ms,lib_time_ms,killer_nivcsw,killed,reaped,gone,failed,status'
check_csv "$out/summary.csv" 'scenario,mode,size_mib,sampled,metric,n,median,min,max'
check_csv "$out/targets.csv" 'target,measured,limit,verdict'
[ -s "$out/calls.csv" ] || fail "no calls.csv"

# The idle kills and the floor need no privilege: they must have worked.
for m in plain mrelease_kill raw; do
	grep -q "^idle,$m,16,0,0,1," "$out/runs.csv" || fail "no good idle $m run"
done
grep -q '^floor,munmap,16,0,0,1,' "$out/runs.csv" || fail "no good floor run"
# Every verdict is one of three words.
awk -F, 'NR > 1 && $NF !~ /^(PASS|MISS|SKIP)$/ { bad = 1 } END { exit bad }' \
	"$out/targets.csv" || fail "targets.csv: a verdict is not PASS/MISS/SKIP"
# The cgroups it made are gone.
for d in $(sed -n 's/^cgroup: //p' "$out/log.txt"); do
	[ -e "$d" ] && fail "left behind: $d"
done
rm -rf "$out"
exit 0
