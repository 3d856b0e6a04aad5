# gcc, -Werror: build, make check, make distcheck.
set -eux
top=$1 dir=$2
cd "$dir"
"$top/configure" CC=gcc CXX=g++ --enable-werror
make
make check
make distcheck DISTCHECK_CONFIGURE_FLAGS="CC=gcc CXX=g++ --enable-werror"
