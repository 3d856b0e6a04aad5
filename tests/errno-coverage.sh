#!/bin/sh
# errno-coverage.sh - the man pages' ERRORS sections against the tests
#
# Usage: errno-coverage.sh [-m MAP] [-t TESTDIR] [-n NOT_PROVOKED] PAGE...
#   MAP           the version script (default $top_srcdir/lib/libmrelease.map)
#   TESTDIR       where the Check programs are (default $top_srcdir/tests)
#   NOT_PROVOKED  default TESTDIR/errno-not-provoked.txt (may be absent)
#
# A page documents the exported functions its NAME section names: a name
# that is not exported itself stands for mrelease_<name> (pidfd_kill ->
# mrelease_pidfd_kill).  Its ERRORS section lists errnos as the tags of
# ".TP" paragraphs.  Each errno E listed on a page must be
#  - provoked by a Check test START_TEST(t_<F>__<E>__<what>) in TESTDIR/*.c,
#    F one of the functions the page documents, or
#  - listed in NOT_PROVOKED as "<F> <E> <reason>" (# starts a comment line).
# And the other way round, so that neither side drifts alone: every such
# test and every NOT_PROVOKED line must name an exported function and an
# errno that a page documenting that function lists, and no errno may be
# both provoked and listed as not provoked.  ".so" alias pages are skipped.
# Prints every match; exits 1 on any mismatch, 2 on bad usage.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
map=$top_srcdir/lib/libmrelease.map
testdir=$top_srcdir/tests
np=

while getopts m:t:n: opt; do
	case $opt in
	m) map=$OPTARG ;;
	t) testdir=$OPTARG ;;
	n) np=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$np" ] || np=$testdir/errno-not-provoked.txt
if [ $# -eq 0 ]; then
	echo "usage: $0 [-m MAP] [-t TESTDIR] [-n NOT_PROVOKED] PAGE..." >&2
	exit 2
fi
if [ ! -r "$map" ]; then
	echo "errno-coverage: cannot read $map" >&2
	exit 2
fi
for page in "$@"; do
	if [ ! -r "$page" ]; then
		echo "errno-coverage: cannot read $page" >&2
		exit 2
	fi
done

# awk's arguments: each file after the role it plays.
for page in "$@"; do
	set -- "$@" role=page "$page"
	shift
done
set -- "$@" role=map "$map"
for f in "$testdir"/*.c; do
	[ -f "$f" ] && set -- "$@" role=tests "$f"
done
[ -f "$np" ] && set -- "$@" role=np "$np"

exec awk '
function base(p) { sub(/.*\//, "", p); return p }
# A test or a line of errno-not-provoked.txt (where) names function f and
# errno e: 1 after a FAIL unless f is exported and a page documenting f
# lists e (what: what where says of it; e_word: e, as the message names it)
function undocumented(where, f, e, what, e_word) {
	if (!(f in exported))
		printf "FAIL %s: %s is not an exported function\n", where, f
	else if (!((f, e) in doc))
		printf "FAIL %s: %s, but no ERRORS section of a page documenting %s lists %s\n", where, what, f, e_word
	else
		return 0
	fail++
	return 1
}

FNR == 1 {
	incomment = 0; section = ""; aftertp = 0
	if (role == "page") {
		npages++; page[npages] = FILENAME
	}
}

# The version script: the names of every "global:" part.
role == "map" {
	line = $0; out = ""
	while (length(line)) {
		if (incomment) {
			p = index(line, "*/")
			if (!p) { line = ""; break }
			line = substr(line, p + 2); incomment = 0
		} else {
			p = index(line, "/*")
			if (!p) { out = out line; line = ""; break }
			out = out substr(line, 1, p - 1)
			line = substr(line, p + 2); incomment = 1
		}
	}
	if (out ~ /global:/) { inglobal = 1; sub(/.*global:/, "", out) }
	if (out ~ /local:/ || out ~ /}/) inglobal = 0
	if (inglobal) {
		n = split(out, w, /[ \t;]+/)
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^[A-Za-z_][A-Za-z0-9_]*$/)
				exported[w[i]] = 1
	}
	next
}

# Check tests: START_TEST(t_<function>__<ERRNO>__<what>).
role == "tests" {
	s = $0
	while (match(s, /START_TEST[ \t]*\([ \t]*t_[A-Za-z0-9_]+/)) {
		m = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		sub(/^START_TEST[ \t]*\([ \t]*/, "", m)
		name = m; rest = substr(m, 3)
		i = index(rest, "__")
		if (!i)
			continue
		f = substr(rest, 1, i - 1); rest = substr(rest, i + 2)
		j = index(rest, "__")
		e = j ? substr(rest, 1, j - 1) : rest
		if (e !~ /^E[A-Z0-9]+$/)
			continue	# a test of something other than an errno
		key = f SUBSEP e
		if (!(key in tests)) { ntests++; tkey[ntests] = key }
		tests[key] = tests[key] (tests[key] != "" ? ", " : "") name " (" base(FILENAME) ")"
	}
	next
}

# errno-not-provoked.txt: <function> <ERRNO> <reason>
role == "np" {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	f = $1; e = $2; reason = $0
	sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", reason)
	where = base(FILENAME) ":" FNR
	if (f !~ /^[A-Za-z_][A-Za-z0-9_]*$/ || e !~ /^E[A-Z0-9]+$/ || reason == "") {
		printf "FAIL %s: not \"<function> <ERRNO> <reason>\": %s\n", where, $0
		fail++
		next
	}
	key = f SUBSEP e
	if (!(key in np)) { nnp++; npkey[nnp] = key }
	np[key] = reason; npwhere[key] = where
	next
}

# Pages: the names of NAME, the ".TP" tags of ERRORS.
role == "page" {
	if (FNR == 1 && $0 ~ /^\.so[ \t]/)
		alias[FILENAME] = 1
	if (alias[FILENAME] || $0 ~ /^\.\\"/)
		next
	if ($0 ~ /^\.SH([ \t]|$)/) {
		section = $0
		sub(/^\.SH[ \t]*/, "", section); gsub(/"/, "", section)
		aftertp = 0
		next
	}
	if (section == "NAME") {
		names[FILENAME] = names[FILENAME] " " $0
	} else if (section == "ERRORS") {
		if ($0 ~ /^\.TP/) {
			aftertp = 1
		} else if (aftertp) {
			aftertp = 0
			t = $0
			sub(/^\.[A-Za-z]+[ \t]+/, "", t); gsub(/"/, "", t)
			split(t, w, /[ \t]+/)
			if (w[1] ~ /^E[A-Z0-9]+$/ && !((FILENAME, w[1]) in listed)) {
				listed[FILENAME, w[1]] = 1
				nerr[FILENAME]++
				err[FILENAME, nerr[FILENAME]] = w[1]
			}
		}
	}
	next
}

END {
	for (k = 1; k <= npages; k++) {
		p = page[k]
		if (alias[p])
			continue
		# The functions this page documents.
		nm = names[p]
		i = index(nm, "\\-")
		if (i)
			nm = substr(nm, 1, i - 1)
		gsub(/\\f[BIRP]|\\&|,/, " ", nm)
		n = split(nm, w, /[ \t]+/)
		funcs = ""; nf = 0
		for (i = 1; i <= n; i++) {
			f = ""
			if (w[i] in exported)
				f = w[i]
			else if (("mrelease_" w[i]) in exported)
				f = "mrelease_" w[i]
			if (f != "" && !((p, f) in pf)) {
				pf[p, f] = 1; nf++; pfunc[nf] = f
				funcs = funcs (funcs == "" ? "" : "|") f
			}
		}
		if (nerr[p] && !nf) {
			printf "FAIL %s: has ERRORS but its NAME section names no exported function\n", base(p)
			fail++
			continue
		}
		for (j = 1; j <= nerr[p]; j++) {
			e = err[p, j]
			for (i = 1; i <= nf; i++)
				doc[pfunc[i], e] = doc[pfunc[i], e] (doc[pfunc[i], e] == "" ? "" : ", ") base(p)
			found = ""
			for (i = 1; i <= nf; i++)
				if ((pfunc[i], e) in tests && tests[pfunc[i], e] != "")
					found = found (found == "" ? "" : ", ") tests[pfunc[i], e]
			if (found != "") {
				printf "ok   %s %s: provoked by %s\n", base(p), e, found
				provoked++
				continue
			}
			for (i = 1; i <= nf; i++)
				if ((pfunc[i], e) in np) {
					found = pfunc[i]
					break
				}
			if (found != "") {
				printf "ok   %s %s: not provoked here (%s): %s\n", base(p), e, npwhere[found, e], np[found, e]
				notprovoked++
				continue
			}
			printf "FAIL %s %s: no test t_%s__%s__* in tests/*.c and no \"%s %s <reason>\" in errno-not-provoked.txt\n", base(p), e, (nf > 1 ? "{" funcs "}" : funcs), e, pfunc[1], e
			missing++
			fail++
		}
	}
	for (k = 1; k <= ntests; k++) {
		split(tkey[k], w, SUBSEP); f = w[1]; e = w[2]
		undocumented(tests[f, e], f, e, "provokes " e, "it")
	}
	for (k = 1; k <= nnp; k++) {
		split(npkey[k], w, SUBSEP); f = w[1]; e = w[2]
		if (undocumented(npwhere[f, e], f, e, f " " e " is listed as not provoked", e))
			continue
		if ((f, e) in tests) {
			printf "FAIL %s: %s %s is listed as not provoked, but %s provokes it\n", npwhere[f, e], f, e, tests[f, e]
			fail++
		}
	}
	printf "errno-coverage: %d provoked by a test, %d listed as not provoked, %d missing; %d problem(s)\n", provoked, notprovoked, missing, fail
	exit fail ? 1 : 0
}
' "$@"
