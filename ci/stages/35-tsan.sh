# ThreadSanitizer (clang): the threaded parts - every test program whose
# name says reaper, cgroup or thread - plus the hostile-argument table.
# Any report fails the test (TSAN_OPTIONS in Makefile.am).
set -eux
top=$1 dir=$2
pattern=${TSAN_TESTS:-reaper|cgroup|thread|hostile}
cd "$dir"
"$top/configure" CC=clang CXX=clang++ --enable-werror --enable-tsan
make
tests=$(make -s print-tests | tr ' ' '\n' | grep -E "$pattern" | tr '\n' ' ')
[ -n "$tests" ] || { echo "no test matches $pattern"; exit 1; }
echo "TSan runs: $tests"
make check TESTS="$tests"
