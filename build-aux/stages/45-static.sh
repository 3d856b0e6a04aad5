# Static analysis of lib/ and tools/: cppcheck and clang-tidy (with the
# clang static analyzer's checks); anything reported fails.  Suppressions
# only inline (cppcheck-suppress / NOLINT), each with a comment saying why.
# By hand: bash build-aux/stages/45-static.sh "$PWD" /tmp/static
set -eu
top=$1 dir=$2
mkdir -p "$dir"
cd "$dir"
"$top/configure" CC=clang CXX=clang++ >configure.log 2>&1 ||
	{ tail -n 30 configure.log; exit 1; }

# The checks; each left out one says why.
tidy_checks='-*,clang-analyzer-*,bugprone-*,cert-*,misc-*,performance-*,portability-*'
# Both flag every swap of two int parameters, i.e. every syscall wrapper.
tidy_checks="$tidy_checks,-bugprone-easily-swappable-parameters"
# Names like _GNU_SOURCE and __NR_x are the platform's, not ours.
tidy_checks="$tidy_checks,-bugprone-reserved-identifier,-cert-dcl37-c,-cert-dcl51-cpp"
# Kernel style leaves out the braces around one-line bodies on purpose.
tidy_checks="$tidy_checks,-readability-braces-around-statements"
cflags="-std=gnu11 -D_GNU_SOURCE -include $dir/config.h -I$dir -I$top/include -I$top/lib -I$top/tools"

files=$(cd "$top" && ls lib/*.c tools/*.c 2>/dev/null || true)
pass=0 fail=0
for f in $files; do
	echo "=== cppcheck $f"
	if cppcheck -q --std=c11 --enable=warning,style,performance,portability \
		--inline-suppr --error-exitcode=1 --library=posix \
		-D__linux__ -D__x86_64__ -D__GNUC__ -D_GNU_SOURCE \
		--include="$dir/config.h" -I"$top/include" -I"$top/lib" -I"$top/tools" \
		"$top/$f"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	echo "=== clang-tidy $f"
	if clang-tidy -quiet --warnings-as-errors='*' --checks="$tidy_checks" \
		"$top/$f" -- $cflags; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
[ -n "$files" ] || { echo "no sources under lib/ or tools/"; fail=1; }
printf 'PASS %d\nFAIL %d\n' $pass $fail >"$dir/static.counts"
echo "static analysis: $pass clean, $fail with findings"
[ $fail -eq 0 ]
