# Static analysis of shared/, lib/ and tools/: cppcheck and clang-tidy (with the
# clang static analyzer's checks); anything reported fails.  Suppressions
# only inline (cppcheck-suppress / NOLINT), each with a comment saying why.
# By hand: bash ci/stages/45-static.sh "$PWD" /tmp/static
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
# It asks for C11 Annex K (memset_s...), which glibc and musl do not have.
tidy_checks="$tidy_checks,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling"
# Kernel style tests memcmp()/strcmp() as a truth value.
tidy_checks="$tidy_checks,-bugprone-suspicious-string-compare"
# Every unchecked snprintf/fprintf: ours format into buffers sized for the
# largest value, or to stderr.
tidy_checks="$tidy_checks,-cert-err33-c"
# The build has -Wno-unused-parameter: callbacks keep their signature.
tidy_checks="$tidy_checks,-misc-unused-parameters"
# Flags the int that ?: promotes a char to, and byte counts made double
# only to be printed; -Wconversion is not part of the build either.
tidy_checks="$tidy_checks,-bugprone-narrowing-conversions,-cppcoreguidelines-narrowing-conversions"
# Per file, false positives of the analyzer (remove when the code says
# NOLINT or is restructured):
#  tools/parse.c: mr_format_size() indexes unit[u] only after the loop ran
#   at least once (bytes >= 1024 implies (double)bytes >= 1024).
tidy_extra_tools_parse_c="-clang-analyzer-core.CallAndMessage"
cflags="-std=gnu11 -D_GNU_SOURCE -include $dir/config.h -I$dir -I$dir/include -I$top/shared -I$top/lib -I$top/tools"

# cppcheck's suppressions, each with why.  Global: variableScope (kernel
# style declares at the top of a block), readdirCalled (readdir_r is
# deprecated; readdir on a DIR of one's own is thread-safe).  The rest are
# false positives, as narrow as cppcheck allows:
cat >"$dir/cppcheck-suppressions.xml" <<'XML'
<?xml version="1.0"?>
<suppressions>
  <suppress><id>variableScope</id></suppress>
  <suppress><id>readdirCalled</id></suppress>
  <!-- reap_all(): tid[] is read only for the `started' threads created. -->
  <suppress><id>uninitvar</id><fileName>*lib/cgroup-batch.c</fileName><symbolName>tid</symbolName></suppress>
  <!-- mr_result_copy(): n = min(size, src_size), so size > n can hold. -->
  <suppress><id>knownConditionTrueFalse</id><fileName>*lib/result.c</fileName></suppress>
  <!-- mr_read_at(): buf is realloc()ed before the first buf + len. -->
  <suppress><id>nullPointerArithmeticRedundantCheck</id><fileName>*shared/util.c</fileName></suppress>
  <!-- parse_kb(): "n - i != 2" is false for "RssAnon: 4 kB". -->
  <suppress><id>knownConditionTrueFalse</id><fileName>*shared/procparse.c</fileName></suppress>
  <!-- parse_kb(): the same "n - i != 2" as lib/procfs.c. -->
  <suppress><id>knownConditionTrueFalse</id><fileName>*tools/parse.c</fileName></suppress>
  <!-- SIGRTMAX - SIGRTMIN: glibc's are function calls, not constants. -->
  <suppress><id>unsignedLessThanZero</id><fileName>*tools/parse.c</fileName></suppress>
  <!-- mr_signal_name(): name[j] && j < 15 reads inside the literal (the
       names are shorter than 15); reported to tools/ to swap the tests. -->
  <suppress><id>arrayIndexThenCheck</id><fileName>*tools/parse.c</fileName></suppress>
</suppressions>
XML

files=$(cd "$top" && ls shared/*.c lib/*.c tools/*.c 2>/dev/null || true)
pass=0 fail=0
for f in $files; do
	echo "=== cppcheck $f"
	if cppcheck -q --std=c11 --enable=warning,style,performance,portability \
		--inline-suppr --error-exitcode=1 --library=posix \
		--suppress-xml="$dir/cppcheck-suppressions.xml" \
		-D__linux__ -D__x86_64__ -D__GNUC__ -D_GNU_SOURCE \
		--include="$dir/config.h" -I"$dir/include" -I"$top/shared" -I"$top/lib" -I"$top/tools" \
		"$top/$f"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	echo "=== clang-tidy $f"
	extra_var=tidy_extra_$(echo "$f" | tr '/.-' '___')
	eval "extra=\${$extra_var:-}"
	if clang-tidy -quiet --warnings-as-errors='*' \
		--checks="$tidy_checks${extra:+,$extra}" \
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
