#!/bin/bash
# fetch.sh - Debian's cloud kernels for the kernels stage, from the archive
# this machine already uses, into a cache that outlives the run.
#
# Usage: fetch.sh CACHE SERIES...        (e.g. fetch.sh /var/cache/x 5.10 6.1)
#
# For each series, the newest cloud-amd64 kernel of the suite that carries
# it (the table below) is fetched with `apt-get download` through a private
# apt configuration under CACHE/apt (the suites are added there, never to
# the system's sources), unpacked with `dpkg-deb -x` (never installed) and
# kept as CACHE/SERIES/vmlinuz with CACHE/SERIES/package ("NAME VERSION").
# A series whose kernel is in the cache is not fetched again while the
# private package lists are younger than MR_KERNEL_REFRESH_DAYS (default
# 7); after that the lists are refreshed and a newer kernel replaces it.
# When the archive cannot be reached, a cached kernel is used as it is.
#
# The archive is the one the system's apt uses for its own release and
# that release's security suite (apt-get indextargets); MR_DEBIAN_ARCHIVE
# and MR_DEBIAN_SECURITY override them.
#
# Prints one line a series: SERIES NAME VERSION.  Exit 1 when a series has
# no kernel (a missing package is a failure, not a skip).
#
# SPDX-License-Identifier: MIT
set -u
cache=$1
shift

# series -> suites that carry it (first the newest) and the binary package
# name pattern (an extended regex).  From 7.x Debian's image package is an
# empty stub and linux-binary-* holds the kernel.
suites_of() {
	case $1 in
	5.10) echo "bullseye-security bullseye" ;;
	6.1) echo "bookworm-security bookworm" ;;
	6.12) echo "trixie-security trixie" ;;
	*) echo "trixie-backports" ;;
	esac
}
pattern_of() {
	local v=${1//./\\.}
	case $1 in
	5.10|6.1) echo "^linux-image-$v\\.0-[0-9]+-cloud-amd64\$" ;;
	6.*) echo "^linux-image-$v\\.[0-9]+\\+deb13-cloud-amd64\$" ;;
	*) echo "^linux-binary-$v\\.[0-9]+\\+deb13-cloud-amd64\$" ;;
	esac
}

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
# shellcheck disable=SC2016
targets=$(apt-get indextargets --no-release-info --format '$(RELEASE) $(REPO_URI)' 2>/dev/null)
repo_of() {	# the system's URI for one of its own suites
	awk -v r="$1" '$1 == r { print $2; exit }' <<<"$targets"
}
archive=${MR_DEBIAN_ARCHIVE:-$(repo_of "$codename")}
security=${MR_DEBIAN_SECURITY:-$(repo_of "$codename-security")}
[ -n "$security" ] || security=${archive%/}-security/

apt=$cache/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/debs"
key=/usr/share/keyrings/debian-archive-keyring.gpg
{
	for s in bullseye bookworm trixie trixie-backports; do
		echo "deb [signed-by=$key] $archive $s main"
	done
	for s in bullseye-security bookworm-security trixie-security; do
		echo "deb [signed-by=$key] $security $s main"
	done
} >"$apt/sources.list"
APT_OPTS=(-o Dir::Etc::sourcelist="$apt/sources.list"
	-o Dir::Etc::sourceparts=/nonexistent
	-o Dir::State::Lists="$apt/lists"
	-o Dir::State::status=/dev/null
	-o Dir::Cache="$apt/cache"
	-o Dir::Cache::pkgcache="$apt/cache/pkgcache.bin"
	-o Dir::Cache::srcpkgcache="$apt/cache/srcpkgcache.bin"
	-o APT::Architectures::=amd64
	-o Acquire::Languages=none
	-o APT::Sandbox::User=root)

have_all=yes
for s in "$@"; do
	[ -s "$cache/$s/vmlinuz" ] && [ -s "$cache/$s/package" ] || have_all=no
done
stamp=$apt/updated
days=${MR_KERNEL_REFRESH_DAYS:-7}
if [ $have_all = no ] || [ -z "$(find "$stamp" -mtime -"$days" 2>/dev/null)" ] ||
   ! cmp -s "$apt/sources.list" "$apt/sources.list.used"; then
	echo "fetch.sh: apt-get update (private lists in $apt; archive $archive, security $security)" >&2
	if apt-get "${APT_OPTS[@]}" -q update >"$apt/update.log" 2>&1 &&
	   ! grep -q '^[WE]: ' "$apt/update.log"; then
		touch "$stamp"
		cp "$apt/sources.list" "$apt/sources.list.used"
	else
		sed 's/^/fetch.sh: /' "$apt/update.log" >&2
		echo "fetch.sh: the archive could not be read in full; using what the cache has" >&2
	fi
fi

# "NAME VERSION SUITE" of every kernel package the lists have (one
# apt-cache run: each one reads all the lists)
pats=$(for s in "$@"; do pattern_of "$s"; done | paste -sd'|')
names=$(apt-cache "${APT_OPTS[@]}" pkgnames 2>/dev/null | grep -E "$pats")
table=""
if [ -n "$names" ]; then
	# shellcheck disable=SC2086
	table=$(apt-cache "${APT_OPTS[@]}" madison $names 2>/dev/null |
		awk -F' *[|] *' '{ sub(/^ */, "", $1); split($3, w, " "); sub(/\/.*/, "", w[2]);
			print $1, $2, w[2] }')
fi

# candidate SERIES -> "NAME VERSION" of the newest kernel in its suites
candidate() {
	local best="" bestv="" n v suite re suites
	re=$(pattern_of "$1") suites=" $(suites_of "$1") "
	while read -r n v suite; do
		[[ $n =~ $re ]] || continue
		[[ $suites == *" $suite "* ]] || continue
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$bestv"; then
			best=$n bestv=$v
		fi
	done <<<"$table"
	[ -n "$best" ] && echo "$best $bestv"
}

rc=0
for s in "$@"; do
	want=$(candidate "$s")
	have=$(cat "$cache/$s/package" 2>/dev/null)
	if [ -z "$want" ]; then
		if [ -n "$have" ] && [ -s "$cache/$s/vmlinuz" ]; then
			echo "fetch.sh: $s: not in the package lists; the cached $have stays" >&2
			echo "$s $have"
		else
			echo "fetch.sh: $s: no package matches $(pattern_of "$s") in $(suites_of "$s")" >&2
			rc=1
		fi
		continue
	fi
	if [ "$want" = "$have" ] && [ -s "$cache/$s/vmlinuz" ]; then
		echo "$s $have"
		continue
	fi
	read -r name version <<<"$want"
	echo "fetch.sh: $s: apt-get download $name=$version" >&2
	rm -rf "$cache/debs/$s" "$cache/$s.new"
	mkdir -p "$cache/debs/$s" "$cache/$s.new/x"
	if ! (cd "$cache/debs/$s" && apt-get "${APT_OPTS[@]}" -q download "$name=$version") >&2; then
		echo "fetch.sh: $s: apt-get download $name=$version failed" >&2
		rc=1
		continue
	fi
	dpkg-deb -x "$cache/debs/$s"/*.deb "$cache/$s.new/x"
	image=$(find "$cache/$s.new/x/boot" "$cache/$s.new/x/usr/lib/modules" \
		\( -name 'vmlinuz-*' -o -name vmlinuz \) -type f 2>/dev/null | head -n 1)
	if [ -z "$image" ]; then
		echo "fetch.sh: $s: $name has no vmlinuz" >&2
		rc=1
		continue
	fi
	mv "$image" "$cache/$s.new/vmlinuz"
	rm -rf "$cache/$s.new/x" "$cache/debs/$s"
	echo "$name $version" >"$cache/$s.new/package"
	rm -rf "${cache:?}/$s"
	mv "$cache/$s.new" "$cache/$s"
	echo "$s $name $version"
done
exit $rc
