# ASan+UBSan (-fno-sanitize-recover=all): build everything, make check, with
# gcc and with clang (both run; either failing fails the stage).  Any
# sanitizer report fails the test that provoked it.
set -ux
top=$1 dir=$2
rc=0
for cc in gcc clang; do
	case $cc in gcc) cxx=g++ ;; clang) cxx=clang++ ;; esac
	mkdir -p "$dir/$cc"
	(cd "$dir/$cc" &&
	 "$top/configure" CC=$cc CXX=$cxx --enable-werror --enable-sanitizers &&
	 make && make check) || rc=1
done
exit $rc
