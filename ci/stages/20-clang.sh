# clang, -Werror: build and make check.
set -eux
top=$1 dir=$2
cd "$dir"
"$top/configure" CC=clang CXX=clang++ --enable-werror
make
make check
