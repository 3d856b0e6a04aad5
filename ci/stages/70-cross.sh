# Cross compilers: the library and tests/syscall-table.c for every arch
# Debian packages a cross gcc for, against that arch's kernel headers
# (linux-libc-dev-<arch>-cross); run under qemu-user with the cross libc.
#
# Per arch: (1) configure --host and build the library with -Werror (Check
# is not needed for the library: CHECK_CFLAGS/CHECK_LIBS are set empty),
# and the mrelease command where the tree has tools/mrelease.c;
# (2) the library calls no libc pidfd/mrelease symbol; (3) compile
# tests/syscall-table.c standalone, linked with the cross-built
# libmrelease.so: its _Static_asserts fail the compile when a number in
# shared/syscall-nr.h differs from <asm/unistd.h>; (4) the same with
# -DMRELEASE_IGNORE_HEADER_NR and lib/syscall.c built in (the fallback
# table alone); (5) run both under qemu-<arch> -L /usr/<triplet>.  qemu-user
# 7.2 passes pidfd_open and pidfd_send_signal to the kernel but answers
# ENOSYS for process_mrelease: those runs skip (77) after checking the
# table, pidfd_open and pidfd_kill.  Counts go to cross.counts.
set -u
top=$1 dir=$2
cd "$dir" || exit 2
counts=$dir/cross.counts
: >"$counts"
pass=0 fail=0 skip=0
result() {	# result PASS|FAIL|SKIP arch what
	echo "$1: $2: $3"
	case $1 in
	PASS) pass=$((pass + 1)) ;;
	FAIL) fail=$((fail + 1)) ;;
	SKIP) skip=$((skip + 1)) ;;
	esac
}

# triplet qemu Debian-arch
arches="aarch64-linux-gnu aarch64 arm64
arm-linux-gnueabihf arm armhf
mips64el-linux-gnuabi64 mips64el mips64el
mipsel-linux-gnu mipsel mipsel
powerpc64le-linux-gnu ppc64le ppc64el
riscv64-linux-gnu riscv64 riscv64
s390x-linux-gnu s390x s390x
alpha-linux-gnu alpha alpha"

while read -r triplet qemu darch; do
	echo "=== $triplet"
	if ! command -v "$triplet-gcc" >/dev/null ||
	   [ ! -e "/usr/$triplet/include/asm/unistd.h" ]; then
		# CI installs them (.ci/packages); elsewhere, say what is missing.
		if [ "${CI:-}" = true ]; then
			result FAIL "$triplet" "no $triplet-gcc or /usr/$triplet headers"
		else
			result SKIP "$triplet" "gcc-$triplet / libc6-dev-$darch-cross not installed"
		fi
		continue
	fi
	b=$dir/$triplet
	mkdir -p "$b"
	if ! (cd "$b" && "$top/configure" --host="$triplet" CC="$triplet-gcc" \
		CHECK_CFLAGS=" " CHECK_LIBS=" " --enable-werror \
		>configure.log 2>&1 && make lib/libmrelease.la >make.log 2>&1); then
		tail -n 20 "$b/configure.log" "$b/make.log" 2>/dev/null
		result FAIL "$triplet" "library build"
		continue
	fi
	result PASS "$triplet" "library build (-Werror)"
	# The command, where the tree has it (branch tool).
	if [ -f "$top/tools/mrelease.c" ]; then
		if (cd "$b" && make tools/mrelease >>make.log 2>&1); then
			result PASS "$triplet" "mrelease command build (-Werror)"
		else
			tail -n 20 "$b/make.log"
			result FAIL "$triplet" "mrelease command build"
		fi
	fi
	so=$b/lib/.libs/libmrelease.so
	if "$triplet-objdump" -T "$so" | awk '/^[0-9a-f]+ / { print $NF }' |
	   grep -E '^(pidfd_|process_mrelease)'; then
		result FAIL "$triplet" "the library imports a libc pidfd/mrelease symbol"
	else
		result PASS "$triplet" "exports only mrelease_*, imports no libc pidfd call"
	fi
	cflags="-std=gnu11 -O2 -Wall -Wextra -Werror -DSYSCALL_TABLE_STANDALONE
		-include $b/config.h -I$b/include -I$top/shared -I$top/lib"
	# shellcheck disable=SC2086
	if "$triplet-gcc" $cflags "$top/tests/syscall-table.c" \
		-L"$b/lib/.libs" -lmrelease -o "$b/syscall-table"; then
		result PASS "$triplet" "syscall-table compiles: table == <asm/unistd.h>"
	else
		result FAIL "$triplet" "syscall-table: a number differs from <asm/unistd.h>"
		continue
	fi
	# shellcheck disable=SC2086
	if "$triplet-gcc" $cflags -DMRELEASE_IGNORE_HEADER_NR \
		"$top/tests/syscall-table.c" "$top/lib/syscall.c" \
		-o "$b/syscall-table-fallback"; then
		result PASS "$triplet" "syscall-table-fallback compiles"
	else
		result FAIL "$triplet" "syscall-table-fallback does not compile"
		continue
	fi
	if ! command -v "qemu-$qemu" >/dev/null; then
		result SKIP "$triplet" "no qemu-$qemu (qemu-user)"
		continue
	fi
	for t in syscall-table syscall-table-fallback; do
		LD_LIBRARY_PATH=$b/lib/.libs timeout 120 \
			"qemu-$qemu" -L "/usr/$triplet" "$b/$t" >"$b/$t.log" 2>&1
		rc=$?
		sed 's/^/    /' "$b/$t.log"
		# One count per step the program reports (ok/SKIP/FAIL lines).
		while read -r kind what; do
			case $kind in
			ok:) result PASS "$triplet" "$t under qemu-$qemu: $what" ;;
			SKIP:) result SKIP "$triplet" "$t under qemu-$qemu: $what" ;;
			FAIL:) result FAIL "$triplet" "$t under qemu-$qemu: $what" ;;
			esac
		done < <(grep -E '^(ok|SKIP|FAIL): ' "$b/$t.log")
		case $rc in
		0|77) ;;
		*) grep -q '^FAIL: ' "$b/$t.log" ||
			result FAIL "$triplet" "$t under qemu-$qemu (exit $rc)" ;;
		esac
	done
done <<<"$arches"

printf 'PASS %d\nFAIL %d\nSKIP %d\n' $pass $fail $skip >"$counts"
echo "cross: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
