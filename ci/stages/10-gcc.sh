# gcc, -Werror: build, make check, make distcheck.  20-clang.sh runs the
# same steps with clang, but the distcheck: one is enough.
set -eux
top=$1 dir=$2
cc=${STAGE_CC:-gcc} cxx=${STAGE_CXX:-g++}
cd "$dir"
"$top/configure" CC="$cc" CXX="$cxx" --enable-werror
make
make check
if [ -z "${STAGE_NO_DISTCHECK:-}" ]; then
	make distcheck DISTCHECK_CONFIGURE_FLAGS="CC=$cc CXX=$cxx --enable-werror"
fi
