# valgrind memcheck over the whole suite: make check-valgrind (errors,
# leaks and fds left open fail; tests/valgrind-wrap.sh).
set -eux
top=$1 dir=$2
command -v valgrind || { echo "valgrind is not installed (.ci/packages)"; exit 1; }
cd "$dir"
"$top/configure" CC=gcc CXX=g++ --enable-werror
make
make check-valgrind
