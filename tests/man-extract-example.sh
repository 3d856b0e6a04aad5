#!/bin/sh
# man-extract-example.sh PAGE NAME - print the C program of a man page
#
# The program sits between the man-pages project's markers
#	.\" SRC BEGIN (NAME)
#	.EX
#	...
#	.EE
#	.\" SRC END
# and is written in roff: "\e" is a backslash, "\-" a minus, "\&" nothing,
# "\(aq" and "\(dq" quotes.  Any other escape, or a request inside the
# block, is refused, so that what compiles is exactly what the reader sees.
set -eu
page=$1 name=$2

block=$(sed -n "/^\\.\\\\\" SRC BEGIN ($name)\$/,/^\\.\\\\\" SRC END\$/p" "$page")
if [ -z "$block" ]; then
	echo "$page: no SRC BEGIN ($name) ... SRC END block" >&2
	exit 1
fi
printf '%s\n' "$block" | awk -v page="$page" '
	NR == 1 || /^\.\\" SRC END$/ { next }
	/^\.EX$/ || /^\.EE$/ { next }
	/^[.'"'"']/ { printf "%s:%d: request inside the program: %s\n", page, NR, $0 > "/dev/stderr"; bad = 1 }
	{
		s = $0
		gsub(/\\e|\\-|\\&|\\\(aq|\\\(dq/, "", s)
		if (index(s, "\\")) {
			printf "%s: unknown escape in the program: %s\n", page, $0 > "/dev/stderr"
			bad = 1
		}
	}
	END { exit bad }
'
printf '%s\n' "$block" | sed -e '1d' -e '$d' -e '/^\.EX$/d' -e '/^\.EE$/d' \
	-e 's/\\&//g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
	-e 's/\\e/\\/g'
