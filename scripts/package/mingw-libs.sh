#!/usr/bin/env bash
# Builds static Windows (x86_64 mingw-w64) libopus and speexdsp from Debian's
# source packages, for the cgo parts of the Windows build (gopkg.in/hraban/opus
# and audio/aec), so that agentdesk.exe needs no DLLs besides Windows' own.
#
#   scripts/package/mingw-libs.sh PREFIX_ROOT
#
# Debian ships no mingw libopus/speexdsp. The sources come from `apt-get source`
# (scripts/deps.sh package sets up deb-src), at the version apt has, with
# Debian's patches applied. Each library is installed into
# PREFIX_ROOT/<source>-<version>/ and cached there: a rerun with the same
# versions does nothing. On success the last line printed on stdout is
# the pkg-config dir to put in PKG_CONFIG_LIBDIR (all .pc files are linked
# into PREFIX_ROOT/pkgconfig).
#
# The .pc files are rewritten to name the static archives only (plus libssp,
# which _FORTIFY_SOURCE's checked string functions need with mingw), so that
# cgo's plain `pkg-config --libs` links everything statically.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
die() { pkg_die "$@"; }

[[ $# -eq 1 ]] || die "usage: $0 PREFIX_ROOT"
root=$(mkdir -p "$1" && cd "$1" && pwd)
host=x86_64-w64-mingw32
cc=$(mingw_cc)
libssp=$("$cc" -print-file-name=libssp.a)
[[ -f $libssp ]] || die "$cc has no libssp.a ($libssp)"

# source version as apt sees it, e.g. opus 1.3.1-3
src_version() {
	apt-cache showsrc "$1" 2>/dev/null | awk '/^Version:/ { print $2 }' | sort -V | tail -n 1
}

build_one() {
	local src=$1 pc=$2
	shift 2
	local ver
	ver=$(src_version "$src")
	[[ -n $ver ]] || die "apt-cache showsrc $src finds nothing: deb-src is not set up (run scripts/deps.sh package)"
	local prefix="$root/$src-$ver"
	if [[ -f $prefix/.done ]]; then
		echo "mingw-libs.sh: $src $ver: cached in $prefix" >&2
	else
		echo "mingw-libs.sh: $src $ver: building static $host library into $prefix" >&2
		local work
		work=$(mktemp -d "$root/.work-$src.XXXXXX")
		(
			cd "$work"
			apt-get source -qq "$src=$ver" >/dev/null 2>apt-source.log ||
				{ cat apt-source.log >&2; exit 1; }
			cd "$(find . -mindepth 1 -maxdepth 1 -type d -name "$src-*" | head -n 1)"
			./configure --host="$host" --prefix="$prefix" --disable-shared --enable-static \
				--with-pic "$@" CC="$cc" CFLAGS="-O2 -g0" >../configure.log 2>&1 ||
				{ tail -n 40 ../configure.log >&2; exit 1; }
			make -j"$(nproc)" >../make.log 2>&1 || { tail -n 40 ../make.log >&2; exit 1; }
			make install >../install.log 2>&1 || { tail -n 40 ../install.log >&2; exit 1; }
		) || { rm -rf "$work"; die "building $src $ver failed"; }
		rm -rf "$work"
		# Static archives only, named by path (no -l lookups that could find
		# an import library), plus what they need.
		local lib="$prefix/lib/lib$pc.a"
		[[ -f $lib ]] || die "$src: $lib was not installed"
		sed -i -e "s|^Libs:.*|Libs: $lib -lm $libssp|" -e '/^Libs.private:/d' "$prefix/lib/pkgconfig/$pc.pc"
		touch "$prefix/.done"
	fi
	mkdir -p "$root/pkgconfig"
	ln -sfn "$prefix/lib/pkgconfig/$pc.pc" "$root/pkgconfig/$pc.pc"
}

build_one opus opus --disable-doc --disable-extra-programs
build_one speexdsp speexdsp --disable-examples
echo "$root/pkgconfig"
