# libFuzzer: every parser of outside text for FUZZ_SECONDS (default here 10)
# each, from its committed seed corpus; any crash fails (Makefile.am, fuzz/).
set -eux
top=$1 dir=$2
cd "$dir"
"$top/configure" CC=clang CXX=clang++ FUZZ_CC=clang
make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}" FUZZ_COUNTS="$dir/fuzz.counts"
