#!/bin/sh
# man-syscalls.sh - libmrelease(7) SANDBOXES says what lib/syscalls.txt
# says: the list of each function, the systemd lines (the union of the
# glibc lines) and the OCI fragment (the union of all, valid JSON)
#
# SPDX-License-Identifier: MIT
: "${top_srcdir:?run me from make check}"
page=$top_srcdir/man/libmrelease.7
data=$top_srcdir/lib/syscalls.txt
tmp=${TMPDIR:-/tmp}/man-syscalls.$$
trap 'rm -f "$tmp".*' EXIT
fails=0

block() {	# block NAME: the lines between .\" NAME BEGIN and END
	sed -n "/^\\.\\\\\" $1 BEGIN\$/,/^\\.\\\\\" $1 END\$/p" "$page" | sed '1d;$d'
}

# "FUNCTION LIBC call..." from the page's .B lines and "libc: a, b." lines.
block SYSCALLS | awk '
	/^\.B / { fn = $2; next }
	/^(glibc|musl): / {
		libc = $1; sub(":", "", libc); $1 = ""
		gsub(/[,.]/, ""); gsub(/^ +/, "")
		if ($0 == "none") $0 = ""
		print fn, libc, $0
	}' | sed 's/ *$//' | sort > "$tmp.page"
grep -v '^#' "$data" | sed 's/ *$//' | sort > "$tmp.data"
if diff -u "$tmp.data" "$tmp.page"; then
	echo "ok   the SYSCALLS list of libmrelease(7) is lib/syscalls.txt"
else
	echo "FAIL the SYSCALLS list of libmrelease(7) differs from lib/syscalls.txt (above)"
	fails=$((fails + 1))
fi

union() {	# union AWK-CONDITION: the calls of the lines that match
	awk "!/^#/ && ($1) { for (i = 3; i <= NF; i++) print \$i }" "$data" | sort -u
}
block SYSTEMD | sed 's/^SystemCallFilter=//' | tr ' ' '\n' | sed '/^$/d' | sort > "$tmp.sd"
if union '$2 == "glibc"' | diff -u - "$tmp.sd"; then
	echo "ok   the SystemCallFilter= lines are the union of the glibc lines"
else
	echo "FAIL the SystemCallFilter= lines are not the union of the glibc lines"
	fails=$((fails + 1))
fi
block OCI | sed 's/\\(dq/"/g' > "$tmp.json"
grep -o '"[a-z0-9_]*"' "$tmp.json" | tr -d '"' | grep -vx 'names\|action\|SCMP_ACT_ALLOW' |
	sort > "$tmp.oci"
if union 1 | diff -u - "$tmp.oci"; then
	echo "ok   the OCI fragment names the union of every line"
else
	echo "FAIL the OCI fragment does not name the union of every line"
	fails=$((fails + 1))
fi
if command -v python3 >/dev/null 2>&1; then
	if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp.json"; then
		echo "ok   the OCI fragment is JSON"
	else
		echo "FAIL the OCI fragment is not JSON"
		fails=$((fails + 1))
	fi
fi
[ $fails -eq 0 ]
