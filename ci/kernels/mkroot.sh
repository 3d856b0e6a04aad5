#!/bin/bash
# mkroot.sh - the kernels stage's guest: one initramfs with the built test
# suite and what it runs with.
#
# Usage: mkroot.sh SRCDIR BUILDDIR STAGEDIR
#
# Writes STAGEDIR/initramfs.cpio.  STAGEDIR/guest/ holds tests.list (the
# tests to run, as make names them), env.sh and probe (written by the
# stage); they go to /mr-guest/, guest-init.sh to /init.  Nothing else of STAGEDIR but
# BUILDDIR goes in.  The image holds, at the same paths as here:
#  - the source tree (without .git and check-all's _check/) and the build
#    tree, so that libtool's wrappers, the scripts' $top_srcdir and a
#    `make install` from the build tree work as they do here;
#  - every header the build's dependency files (.deps/) name, so that make
#    finds the tree up to date and does not try to rebuild it;
#  - the Debian packages that hold the programs the tests run (the shells,
#    coreutils, util-linux's setpriv, make, python3 for json.tool,
#    pkg-config, gcc and binutils for the example daemon's build, busybox
#    for the init), whole but for their documentation, with every shared
#    library they need (mkinitramfs.py adds those);
#  - /etc/passwd and /etc/group with root and nobody.
#
# SPDX-License-Identifier: MIT
set -eu
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd) stage=$(cd "$3" && pwd)
guest=$stage/guest out=$stage/initramfs.cpio
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
[ -x $python ] || python=python3

# The programs the suite runs, by name; the Debian packages that own them.
commands="sh dash bash env cat cp mv rm mkdir rmdir ln chmod chown ls sed grep
	egrep awk find xargs sort uniq head tail wc tr cut paste comm diff cmp
	timeout base64 sleep kill setpriv nproc id make python3 pkg-config gcc
	cc cpp as ld install mktemp dirname basename readlink realpath stat touch
	date printf test expr seq tee busybox true false
	uname nice taskset prlimit unshare nsenter chrt"
sys_path=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
list=$guest/image.list
anchors=""
missing=""
for c in $commands; do
	p=$(PATH=$sys_path command -v "$c" 2>/dev/null) || { missing="$missing $c"; continue; }
	case $p in /*) anchors="$anchors $p" ;; esac
done
# what gcc runs and links with: cc1, collect2, the LTO plugin collect2
# loads, libgcc, the C library's start files and linker scripts
for f in cc1 collect2 lto-wrapper; do
	anchors="$anchors $(gcc -print-prog-name=$f)"
done
for f in liblto_plugin.so crt1.o crti.o crtbeginS.o libgcc.a libgcc_s.so libc.so libc_nonshared.a; do
	anchors="$anchors $(gcc -print-file-name=$f)"
done
for m in json encodings; do
	anchors="$anchors $($python -c "import $m, os; print(os.path.dirname($m.__file__))")"
done
anchors="$anchors $($python -c 'import os; print(os.__file__)')"
[ -z "$missing" ] || echo "mkroot.sh: not on this machine (the guest will lack them too):$missing" >&2

# Their packages, from one dpkg -S (it reads every file list): each file by
# its name and its target's, and for a merged /usr also by the /bin, /sbin
# and /lib names dpkg knows them by.
names=$(for a in $anchors; do
	[ -e "$a" ] || continue
	for f in "$a" "$(readlink -f "$a")"; do
		echo "$f"
		echo "$f" | sed -n 's,^/usr/\(bin\|sbin\|lib\)/,/\1/,p'
	done
done | sort -u)
# shellcheck disable=SC2086
pkgs=$(dpkg -S $names 2>/dev/null | grep -v '^diversion by' | sed 's/: .*//' |
	tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep . | sort -u)
{
	echo "# packages:" $pkgs
	# the guest's own directories first: a tree below one of them (a
	# clone in /tmp) must not be shadowed by its entry
	for d in proc sys dev run tmp root var/tmp etc; do
		echo "dir /$d 755"
	done
	# what no test uses of them: LTO, the sanitizers' runtimes, static C
	# libraries, other linkers
	for p in '*/lto1' '*/lto-dump*' '*/lib[atlu]san.*' \
		'*/libhwasan.*' '*/libc.a' '*/libm-*.a' '*/libmvec.a' '*/ld.gold' \
		'*/*-ld.gold' '*/*-dwp' '*/libgprofng*' '*/gp-*' '*/*-gp-*'; do
		echo "skip $p"
	done
	for p in $pkgs; do
		dpkg -L "$p" 2>/dev/null | grep -Ev '^/usr/share/(doc|doc-base|man|info|locale|lintian|bug|bash-completion|zsh|fish)(/|$)' |
			while read -r f; do
				if [ -f "$f" ] || [ -L "$f" ]; then echo "path $f"; fi
			done
	done
	for a in $anchors; do
		if [ -e "$a" ]; then echo "path $a"; fi
	done
	# the headers make's dependency files name (outside the trees)
	find "$build" -path '*/.deps/*' -type f -print0 |
		xargs -0 -r cat | tr ' \\:' '\n\n\n' | grep '^/' | sort -u |
		while read -r f; do
			case $f in "$src"/*|"$build"/*) continue ;; esac
			if [ -f "$f" ]; then echo "path $f"; fi
		done
	echo "path $build"
	echo "skip $src/.git"
	echo "skip $src/_check"
	echo "skip $stage"
	echo "path $src"
	echo "file /init $here/guest-init.sh 755"
	echo "file /mr-guest/env.sh $guest/env.sh 644"
	echo "file /mr-guest/tests.list $guest/tests.list 644"
	if [ -f "$guest/probe" ]; then echo "file /mr-guest/probe $guest/probe 755"; fi
	echo "file /etc/passwd $guest/passwd 644"
	echo "file /etc/group $guest/group 644"
} >"$list"
# python's compiled modules, which are no package's files: without them
# each python3 under TCG compiles what it imports, again and again
pycache=$(sed -n 's|^path \(/usr/lib/python3[^ ]*\)/[^/ ]*\.py$|\1/__pycache__|p' "$list" | sort -u)
for d in $pycache; do
	if [ -d "$d" ]; then echo "path $d"; fi
done >>"$list"
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
	'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$guest/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$guest/group"
$python "$here/mkinitramfs.py" "$out" <"$list"
