#!/bin/sh
# run.sh SRCDIR BINDIR TARGET... - run each libFuzzer target for FUZZ_SECONDS
# (default 60) on a scratch copy of its seed corpus (SRCDIR/corpus/TARGET,
# which is never written).  Any crash, leak, sanitizer report or timeout
# fails the target; its input is kept as BINDIR/crash-TARGET-*.
# With FUZZ_COUNTS=FILE, writes "PASS n" / "FAIL n" there (check-all).
set -u
srcdir=$1 bindir=$2
shift 2
seconds=${FUZZ_SECONDS:-60}
pass=0 fail=0
for t; do
	work=$bindir/work/$t
	mkdir -p "$work"
	printf 'fuzz %-16s %ss ... ' "$t" "$seconds"
	if "$bindir/$t" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$bindir/crash-$t-" \
		"$work" "$srcdir/corpus/$t" >"$bindir/$t.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' \
			"$bindir/$t.log" | grep -o '[0-9]*$') runs)"
	else
		fail=$((fail + 1))
		echo FAILED
		tail -n 40 "$bindir/$t.log"
		for a in "$bindir"/crash-"$t"-*; do
			[ -f "$a" ] && echo "reproduce: $bindir/$t $a"
		done
	fi
done
[ -n "${FUZZ_COUNTS:-}" ] && printf 'PASS %d\nFAIL %d\n' $pass $fail >"$FUZZ_COUNTS"
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
