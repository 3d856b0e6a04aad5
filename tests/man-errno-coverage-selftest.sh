#!/bin/sh
# man-errno-coverage-selftest.sh - tests/errno-coverage.sh on fixtures
#
# A fake version script, page, test file and errno-not-provoked.txt in a
# temporary directory: the script must pass when every errno is covered,
# and fail on each kind of drift between pages and tests.
: "${top_srcdir:?run me from make check}"
cov=$top_srcdir/tests/errno-coverage.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mrelease-cov.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tests"

cat > "$tmp/fake.map" <<'MAP'
/* a fake version script
 * with a comment */
FAKE_1.0 {
global:
	mrelease_fake;
local:
	*;
};
FAKE_1.1 {
global:
	mrelease_other;	/* a later node */
} FAKE_1.0;
MAP

# page NAME-LINE ERRNO...: write $tmp/fake.3.
page() {
	{
		printf '.TH fake 3\n.SH NAME\n%s \\- a fake function\n' "$1"
		printf '.SH ERRORS\n'
		shift
		for e in "$@"; do
			printf '.TP\n.B %s\nWhy it happens.\n' "$e"
		done
		printf '.SH SEE ALSO\n.BR libmrelease (7)\n'
	} > "$tmp/fake.3"
}
# tests NAME...: write $tmp/tests/t.c with these Check tests.
tests() {
	: > "$tmp/tests/t.c"
	for t in "$@"; do
		printf 'START_TEST(%s)\n{\n}\nEND_TEST\n' "$t" >> "$tmp/tests/t.c"
	done
}
# np LINE...: write $tmp/tests/errno-not-provoked.txt.
np() {
	printf '# function errno reason\n' > "$tmp/tests/errno-not-provoked.txt"
	for l in "$@"; do
		printf '%s\n' "$l" >> "$tmp/tests/errno-not-provoked.txt"
	done
}

n=0 fail=0
# expect STATUS WHAT: run the script on the fixture, want exit STATUS.
expect() {
	n=$((n + 1))
	sh "$cov" -m "$tmp/fake.map" -t "$tmp/tests" "$tmp/fake.3" "$tmp/alias.3" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -eq "$1" ]; then
		echo "ok   $n - $2 (exit $rc)"
	else
		echo "FAIL $n - $2: exit $rc, want $1; its output:"
		fail=1
	fi
	sed 's/^/        /' "$tmp/out"
}
# expect_out TEXT: the last run printed TEXT.
expect_out() {
	if ! grep -qF -- "$1" "$tmp/out"; then
		echo "FAIL $n - the output lacks: $1"
		fail=1
	fi
}

printf '.so man3/fake.3\n' > "$tmp/alias.3"

page 'mrelease_fake, fake' EBADF EINVAL EINTR
tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags \
	t_mrelease_fake__reaps_memory
np 'mrelease_fake EINTR needs the caller killed while it waits'
expect 0 "every errno provoked by a test or listed as not provoked"
expect_out "ok   fake.3 EBADF: provoked by t_mrelease_fake__EBADF__minus_one (t.c)"
expect_out "ok   fake.3 EINTR: not provoked here (errno-not-provoked.txt:2): needs the caller"

tests t_mrelease_fake__EBADF__minus_one
expect 1 "a missing test fails"
expect_out "FAIL fake.3 EINVAL: no test t_mrelease_fake__EINVAL__*"

tests t_mrelease_fake__EBADF__minus_one
printf '/* to do: t_mrelease_fake__EINVAL__flags */\n' >> "$tmp/tests/t.c"
printf 'tcase_add_test(tc, t_mrelease_fake__EINVAL__flags);\n' >> "$tmp/tests/t.c"
expect 1 "a test named but not defined with START_TEST does not count"

page 'fake' EBADF EINVAL EINTR
tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags
expect 0 "a short name in NAME stands for its mrelease_ function"

page 'mrelease_fake' EBADF EINVAL EINTR
tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags \
	t_mrelease_fake__ENOMEM__no_memory
expect 1 "a test provoking an errno the page does not list fails"
expect_out "provokes ENOMEM, but no ERRORS section"

tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags
np 'mrelease_fake EINTR needs the caller killed while it waits' \
	'mrelease_fake ENOENT not on the page'
expect 1 "a not-provoked line for an errno the page does not list fails"
expect_out "mrelease_fake ENOENT is listed as not provoked, but no ERRORS section"

np 'mrelease_fake EINTR'
expect 1 "a not-provoked line without a reason fails"

np 'mrelease_fake EINTR needs the caller killed' 'mrelease_fake EBADF it is provoked'
expect 1 "a not-provoked errno that a test provokes fails"

np 'mrelease_fake EINTR needs the caller killed'
tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags \
	t_mrelease_nosuch__EBADF__x
expect 1 "a test of a function that is not exported fails"

tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags
page 'fake_thing' EBADF
expect 1 "ERRORS on a page that documents no exported function fails"

page 'mrelease_fake, mrelease_other' EBADF EINVAL EINTR ESRCH
tests t_mrelease_fake__EBADF__minus_one t_mrelease_fake__EINVAL__flags \
	t_mrelease_other__ESRCH__gone
expect 0 "a page of two functions: a test of either covers an errno (later nodes parsed)"

exit $fail
