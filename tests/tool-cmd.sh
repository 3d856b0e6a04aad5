#!/bin/sh
# tool-cmd.sh - mrelease(1) against real victims
#
# SPDX-License-Identifier: MIT

. "${top_srcdir:-..}/tests/tool-lib.sh"

[ -x "$MRELEASE" ] || { echo "no $MRELEASE"; exit 99; }
OUT="$TMPD/out"
ERR="$TMPD/err"
J="$TMPD/json"

# run ARGS...: runs mrelease, $RC its exit status, output in $OUT/$ERR
run() {
	"$MRELEASE" "$@" >"$OUT" 2>"$ERR"
	RC=$?
	sed 's/^/  out: /' "$OUT"
	sed 's/^/  err: /' "$ERR"
}
rc_is() { [ "$RC" -eq "$1" ]; }
out_has() { grep -q -- "$1" "$OUT"; }
err_has() { grep -q -- "$1" "$ERR"; }

# bytes printed as "NN.N MiB" back to kB (within the rounding of the print)
held_kb() {
	sed -n "s/^$1 ([^)]*): \(held\|holds\) \([0-9.]*\) \([KMG]\)iB.*/\2 \3/p" "$OUT" |
	awk '{ m = $2 == "K" ? 1 : $2 == "M" ? 1024 : 1048576; printf "%d\n", $1 * m }'
}

have=$("$MRELEASE" -V)
echo "$have"
# Without process_mrelease (before Linux 5.15) every kill still kills, and
# says why nothing was reaped: what a reap would say is then $reaped_re.
if echo "$have" | grep -q 'process_mrelease *yes'; then
	reaped_re='(reaped .* MiB in .*s|not reaped: it freed its memory itself before the reap)'
	reaped_py='j["processes"][0]["reaped"] or j["processes"][0]["reap_error"] == "ESRCH"'
else
	echo "no process_mrelease (Linux 5.15): kills are not reaped, and say so"
	reaped_re='not reaped: process_mrelease\(2\) is missing \(Linux 5\.15\+\)'
	reaped_py='not j["processes"][0]["reaped"] and j["processes"][0]["reap_error"] == "ENOSYS"'
fi

echo "== one pid, text"
victim 64; v=$V; kb=$(vmrss_kb $v)
run $v
check "one pid: exit 0" rc_is 0
# a reap can lose the race with the victim's own exit_mm (ESRCH): both are
# a kill whose memory came back, and the line says which
check "one pid: line with pid, name, killed, reaped or why not" \
	grep -Eq "^$v \(tool-victim\): held .* MiB; killed, $reaped_re$" "$OUT"
check "one pid: held within 5% of VmRSS $kb kB" within5 "$(held_kb $v)" "$kb"
death $v; check "one pid: victim died of SIGKILL" [ $? -eq 137 ]

echo "== one pid, --json"
victim 128; v=$V; kb=$(vmrss_kb $v)
run --json $v
cp "$OUT" "$J"
check "json: exit 0" rc_is 0
check "json: parses" python3 -m json.tool "$J" >/dev/null
check "json: one process, killed and reaped (or gone first: ESRCH)" \
	[ "$(json "(len(j['processes']), j['processes'][0]['pid'], j['processes'][0]['killed'], $reaped_py, j['exit_status'])" "$J")" = "(1, $v, True, True, 0)" ]
check "json: held within 5% of VmRSS $kb kB" within5 "$(json 'j["processes"][0]["held"] // 1024' "$J")" "$kb"
check "json: held >= 128 MiB" [ "$(json 'j["processes"][0]["held"] >= 128 << 20' "$J")" = True ]
check "json: totals match" [ "$(json 'j["totals"]["held"] == j["processes"][0]["held"] and j["totals"]["killed"] == 1' "$J")" = True ]
death $v; check "json: victim died of SIGKILL" [ $? -eq 137 ]

echo "== --dry-run, text and json carry the same numbers"
victim 32; v=$V; kb=$(vmrss_kb $v)
run -n $v
check "dry-run: exit 0" rc_is 0
check "dry-run: says would be sent KILL" out_has "^$v (tool-victim): holds .*; would be sent KILL"
text=$(sed -n "s/^$v ([^)]*): holds \([0-9.]* [KMG]iB\);.*/\1/p" "$OUT")
run -n -j $v
cp "$OUT" "$J"
fromjson=$(json '"%.1f MiB" % (j["processes"][0]["held"] / 1048576.0)' "$J")
check "dry-run: json $fromjson = text $text" [ "$fromjson" = "$text" ]
check "dry-run: json says would_kill" [ "$(json 'j["processes"][0]["result"]' "$J")" = would_kill ]
check "dry-run: held within 5% of VmRSS" within5 "$(json 'j["processes"][0]["held"] // 1024' "$J")" "$kb"
sleep 0.2
check "dry-run: victim still alive" alive $v
kill -KILL $v

echo "== several pids, bad ones among them"
victim 32; a=$V
victim 64; b=$V
victim 8; gone=$V; kill -KILL $gone; wait $gone 2>/dev/null
run $a notapid $gone 0 $b 99999999
check "several: exit 1" rc_is 1
check "several: not a number named" err_has "^mrelease: notapid: not a process ID"
check "several: 0 named" err_has "^mrelease: 0: not a process ID"
check "several: out of range named" err_has "^mrelease: 99999999: not a process ID"
check "several: gone pid named" err_has "^mrelease: $gone: no such process"
check "several: first killed" out_has "^$a (tool-victim): held .*; killed, "
check "several: last killed" out_has "^$b (tool-victim): held .*; killed, "
check "several: total line" out_has "^total: 2 processes held"
death $a; check "several: first died of SIGKILL" [ $? -eq 137 ]
death $b; check "several: last died of SIGKILL" [ $? -eq 137 ]
run --json $gone x
cp "$OUT" "$J"
check "several json: exit 1" rc_is 1
check "several json: errors listed" [ "$(json '[e["arg"] for e in j["errors"]]' "$J")" = "['$gone', 'x']" ]
check "several json: exit_status 1" [ "$(json 'j["exit_status"]' "$J")" = 1 ]

echo "== a zombie is gone"
victim 8 zombie; zp=$V; z=$(cat "$rdy")
run $z
check "zombie: exit 1" rc_is 1
check "zombie: said already exited" err_has "^mrelease: $z: already exited"
kill -KILL $zp

echo "== another user's process"
# Run as nobody from a copy installed under $TMPD: the build tree may not
# be reachable by nobody (a checkout under /root).
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "SKIP: another user (needs root and setpriv)"
else
	DEST="$TMPD/dest"
	${MAKE:-make} -s -C "$top_builddir" DESTDIR="$DEST" \
		install-libLTLIBRARIES install-binPROGRAMS >"$TMPD/install.log" 2>&1 ||
		{ cat "$TMPD/install.log"; echo "make install failed"; exit 99; }
	chmod -R a+rX "$DEST"
	imr=$(find "$DEST" -type f -name mrelease -perm -u+x | head -1)
	ilib=$(dirname "$(find "$DEST" -name 'libmrelease.so*' | head -1)")
	cp "$VICTIM" "$TMPD/tool-victim"
	mkdir "$TMPD/nobody" && chmod 777 "$TMPD/nobody"
	asnobody() { LD_LIBRARY_PATH=$ilib setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	victim 16; v=$V
	# not through the function: $! must be the victim, not a subshell
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TMPD/tool-victim" 16 "$TMPD/nobody/ready" &
	nob=$!; VICTIMS="$VICTIMS $nob"
	i=0
	while [ ! -s "$TMPD/nobody/ready" ] && [ $i -lt 600 ] && kill -0 $nob 2>/dev/null; do
		sleep 0.05; i=$((i + 1))
	done
	[ -s "$TMPD/nobody/ready" ] || { echo "nobody's victim did not start"; exit 99; }
	RC=0
	asnobody "$imr" $v $nob >"$OUT" 2>"$ERR" || RC=$?
	cat "$OUT" "$ERR"
	check "other user: exit 1" rc_is 1
	check "other user: not permitted, owner named" err_has "^mrelease: $v: operation not permitted (owned by uid 0, not by uid 65534)"
	check "other user: own process still killed" out_has "^$nob (tool-victim): held .*; killed"
	check "other user: root's victim alive" alive $v
	death $nob; check "other user: nobody's victim died of SIGKILL" [ $? -eq 137 ]
	kill -KILL $v
fi

echo "== --signal TERM --timeout: exits on TERM, no SIGKILL"
victim 32; v=$V
run -s TERM --timeout 10s $v
check "timeout: exit 0" rc_is 0
check "timeout: says exited on TERM" out_has "^$v (tool-victim): held .*; exited on TERM after .*, no SIGKILL needed"
death $v; check "timeout: victim died of SIGTERM" [ $? -eq 143 ]

echo "== --signal TERM --timeout: ignores TERM, escalated"
victim 64 ignore-term; v=$V
run -j -s SIGTERM -t 300ms $v
cp "$OUT" "$J"
check "escalate: exit 0" rc_is 0
check "escalate: json escalated, killed" \
	[ "$(json '[j["processes"][0][k] for k in ("escalated", "killed", "result")]' "$J")" = "[True, True, 'killed']" ]
death $v; check "escalate: victim died of SIGKILL" [ $? -eq 137 ]
victim 16 ignore-term; v=$V
run -s 15 -t 0.2 $v
check "escalate text: says still alive after TERM" out_has "^$v (tool-victim): held .*; still alive 200.0 ms after TERM: killed, "
death $v; check "escalate text: victim died of SIGKILL" [ $? -eq 137 ]

echo "== --signal TERM without --timeout: no reap"
victim 16 ignore-term; v=$V
run -s term $v
check "no timeout: exit 0" rc_is 0
check "no timeout: says not reaped" out_has "^$v (tool-victim): held .*; sent TERM; not reaped: only a process killed by SIGKILL can be reaped"
check "no timeout: victim ignoring TERM alive" alive $v
kill -KILL $v

echo "== --quiet, --version"
victim 16; v=$V
run -q $v notapid
check "quiet: exit 1" rc_is 1
check "quiet: nothing on stdout" [ ! -s "$OUT" ]
check "quiet: errors still said" err_has "^mrelease: notapid: not a process ID"
death $v; check "quiet: victim died of SIGKILL" [ $? -eq 137 ]
run -V
check "version: exit 0" rc_is 0
check "version: library version" out_has "^mrelease [0-9.]* (libmrelease [0-9.]*)$"
check "version: the three calls" sh -c "grep -c '^  \(pidfd_open\|pidfd_send_signal\|process_mrelease\) ' '$OUT' | grep -qx 3"

echo "== no pidfd_open (seccomp ENOSYS, as before Linux 5.3): kill(2)"
NOPIDFD="$top_builddir/tests/tool-nopidfd"
victim 32; v=$V
"$NOPIDFD" "$MRELEASE" $v >"$OUT" 2>"$ERR"; RC=$?
cat "$OUT" "$ERR"
if [ $RC -eq 77 ]; then
	echo "SKIP: no pidfd_open (seccomp unavailable)"
	kill -KILL $v
else
	check "no pidfd: exit 0" rc_is 0
	check "no pidfd: killed with kill(2)" out_has "^$v (tool-victim): held .*; killed (with kill(2)), "
	death $v; check "no pidfd: victim died of SIGKILL" [ $? -eq 137 ]
	victim 16 ignore-term; v=$V; victim 16; w=$V
	"$NOPIDFD" "$MRELEASE" -s TERM -t 300ms $v $w >"$OUT" 2>"$ERR"; RC=$?
	cat "$OUT" "$ERR"
	check "no pidfd timeout: exit 0" rc_is 0
	check "no pidfd timeout: escalated" out_has "^$v (tool-victim): held .*; still alive 300.0 ms after TERM: killed (with kill(2))"
	check "no pidfd timeout: exited on TERM" out_has "^$w (tool-victim): held .*; exited on TERM"
	death $v; r1=$?; death $w; r2=$?
	check "no pidfd timeout: KILL and TERM" [ "$r1 $r2" = "137 143" ]
fi

echo "== refusals"
run 1
check "pid 1: exit 1" rc_is 1
check "pid 1: refused" err_has "^mrelease: 1: refusing to kill PID 1 (init) without --force"
run -n 1
check "pid 1 dry-run: refused" err_has "refusing to kill PID 1"
kt=$(grep -l '^Name:[[:space:]]*kthreadd' /proc/[0-9]*/status 2>/dev/null | head -1 | cut -d/ -f3)
if [ -n "$kt" ]; then
	run $kt
	check "kthread: exit 1" rc_is 1
	check "kthread: refused" err_has "^mrelease: $kt: refusing to kill kernel thread kthreadd without --force"
fi
sh -c 'exec "$1" $$' sh "$MRELEASE" >"$OUT" 2>"$ERR"; RC=$?
cat "$ERR"
check "self: exit 1" rc_is 1
check "self: refused" err_has "refusing to kill mrelease itself without --force"
sh -c 'exec "$1" --force $$' sh "$MRELEASE" >"$OUT" 2>"$ERR"; RC=$?
check "self --force: it killed itself (137)" rc_is 137

echo "== usage errors: exit 2"
usage() {	# usage MESSAGE ARGS...
	m=$1; shift
	run "$@"
	check "usage '$*': exit 2" rc_is 2
	check "usage '$*': says '$m'" err_has "$m"
}
usage "no PID given"
usage "unrecognized option" --bogus 1234
usage "invalid signal 'NOPE'" -s NOPE 1234
usage "invalid signal '0'" -s 0 1234
usage "invalid signal '65'" -s 65 1234
usage "invalid duration '5x'" -s TERM -t 5x 1234
usage "invalid duration '25h'" -s TERM -t 25h 1234
usage "--timeout needs --signal" -t 5s 1234
usage "nothing to wait for" -s KILL -t 1s 1234
usage "must be more than 0" -s TERM -t 0 1234
usage "either PIDs or --cgroup" --cgroup /nonexistent 1234
usage "requires an argument" -s
usage "--timeout with a stop signal" -s STOP -t 1s 1234
run --help
check "--help: exit 0 with usage" [ $RC -eq 0 ] && grep -q "^Usage: mrelease" "$OUT"
check "--help: documents the exit status" out_has "Exit status: 0 all killed, 1 some could not be killed, 2 usage error"

echo "== cgroup"
if new_cgroup cmd; then
	victim 32; c1=$V; victim 64; c2=$V; victim 128; c3=$V
	mkdir "$CG/sub"
	echo $c1 >"$CG/cgroup.procs"; echo $c2 >"$CG/cgroup.procs"; echo $c3 >"$CG/sub/cgroup.procs"
	kb=$(( $(vmrss_kb $c1) + $(vmrss_kb $c2) + $(vmrss_kb $c3) ))
	run -n --cgroup "$CG"
	check "cgroup dry-run: exit 0" rc_is 0
	check "cgroup dry-run: lists three" [ "$(grep -c 'would be sent KILL' "$OUT")" -eq 3 ]
	sleep 0.2
	check "cgroup dry-run: all alive" alive $c1 && alive $c2 && alive $c3
	run --json --cgroup "$CG"
	cp "$OUT" "$J"
	check "cgroup: exit 0" rc_is 0
	check "cgroup: json parses" python3 -m json.tool "$J" >/dev/null
	check "cgroup: three processes killed" [ "$(json '(sorted(p["pid"] for p in j["processes"] if p["killed"]), j["cgroup"]["killed"], j["cgroup"]["failed"])' "$J")" = "($(printf '%s\n' $c1 $c2 $c3 | sort -n | paste -sd, | sed 's/,/, /g' | sed 's/^/[/;s/$/]/'), 3, 0)" ]
	check "cgroup: held within 5% of VmRSS sum $kb kB" within5 "$(json 'j["totals"]["held"] // 1024' "$J")" "$kb"
	death $c1; r1=$?; death $c2; r2=$?; death $c3; r3=$?
	check "cgroup: all three died of SIGKILL" [ "$r1 $r2 $r3" = "137 137 137" ]
	check "cgroup: empty after" [ -z "$(cat "$CG/cgroup.procs" "$CG/sub/cgroup.procs")" ]
	run --cgroup "$CG"
	check "cgroup empty: exit 0" rc_is 0
	victim 16; c1=$V; victim 16 ignore-term; c2=$V
	echo $c1 >"$CG/cgroup.procs"; echo $c2 >"$CG/sub/cgroup.procs"
	run -s TERM -t 300ms --cgroup "$CG"
	check "cgroup timeout: exit 0" rc_is 0
	check "cgroup timeout: one exited on TERM" out_has "^$c1 (tool-victim): held .*; exited on TERM"
	check "cgroup timeout: one escalated" out_has "^$c2 (tool-victim): held .*; still alive 300.0 ms after TERM: killed"
	death $c1; r1=$?; death $c2; r2=$?
	check "cgroup timeout: TERM and KILL" [ "$r1 $r2" = "143 137" ]
	victim 8; c1=$V; echo $c1 >"$CG/cgroup.procs"
	sh -c 'echo $$ >"$2/cgroup.procs" && exec "$1" --cgroup "$2"' sh "$MRELEASE" "$CG" >"$OUT" 2>"$ERR"; RC=$?
	cat "$ERR"
	check "cgroup with mrelease in it: exit 1" rc_is 1
	check "cgroup with mrelease in it: refused" err_has "refusing the whole cgroup: it holds mrelease itself (PID "
	check "cgroup with mrelease in it: nothing killed" alive $c1
	kill -KILL $c1; death $c1
	run --cgroup "$CG/nonexistent"
	check "cgroup missing: exit 1" rc_is 1
	check "cgroup missing: says so" err_has "no such cgroup"
	run --cgroup "$TMPD"
	check "cgroup not v2: exit 1" rc_is 1
	check "cgroup not v2: says so" err_has "not a cgroup v2 directory"
	run --cgroup "$CG/cgroup.procs"
	check "cgroup file: exit 1" rc_is 1
	check "cgroup file: says so" err_has "not a directory"
	run -n --cgroup "$(cgroup2_root)"
	check "cgroup v2 root: exit 1" rc_is 1
	check "cgroup v2 root: refused by the library (EINVAL)" err_has "refusing a root cgroup"
elif [ "$(id -u)" -ne 0 ] || [ -z "$(cgroup2_root)" ]; then
	echo "SKIP: cgroup (needs root and a cgroup v2 mount)"
else
	echo "SKIP: cgroup (cannot create a cgroup under $(cgroup2_root): read-only?)"
fi

echo "== nothing left behind"
for p in $VICTIMS; do
	if alive $p; then fail "victim $p still alive"; kill -KILL $p; fi
done
finish
