#!/usr/bin/env bash
# Builds the Linux packages of AgentDesk into OUTDIR:
#
#   agentdesk-VERSION-linux-amd64.tar.xz   what `fyne package -os linux` makes
#                                          (usr/local tree + Makefile to install)
#   agentdesk_DEBVERSION_amd64.deb          /usr/bin/agentdesk, desktop entry,
#                                          hicolor icons, AppStream metainfo,
#                                          computed Depends
#
#   scripts/package/linux.sh VERSION OUTDIR
#
# Both hold the same binary: `fyne package` builds it with FyneApp.toml's
# metadata and fyneDo migration, Fyne's release tag, stripped (-s -w), and
# -X main.version=VERSION so that `agentdesk --version` prints VERSION. (Not
# `fyne package --release`: its -trimpath would rebuild everything, the
# standard library included, where this shares go's cache with `make build`.)
# Depends = dpkg-shlibdeps' view of the linked libraries + the checked list of
# dlopen'ed ones in scripts/package/linux/dlopen-depends.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || pkg_die "usage: $0 VERSION OUTDIR"
version=$1
root=$(repo_root)
mkdir -p "$2"
out=$(cd "$2" && pwd)
deb_ver=$(deb_version "$version")
app_ver=$(app_version)
arch=$(dpkg --print-architecture)
[[ $arch == amd64 ]] || echo "linux.sh: note: building for $arch" >&2
tmpl="$root/scripts/package/linux"

cd "$root"
# fyne package appends its own C flags to these: start from none, as `make build` expects.
unset CGO_CFLAGS CGO_CPPFLAGS CGO_LDFLAGS
work=$(mktemp -d -t agentdesk-linux-pkg.XXXXXX)
trap 'rm -rf "$work"' EXIT

# --- fyne package: the tar.xz ------------------------------------------------
echo "==> fyne package -os linux (version $version, app $app_ver, deb $deb_ver)" >&2
rm -f AgentDesk.tar.xz
PKG_LDFLAGS="-s -w -X main.version=$version" with_fyneapp_toml_restored \
	fyne_cli package -os linux -tags nolibopusfile,release -app-version "$app_ver"
[[ -f AgentDesk.tar.xz ]] || pkg_die "fyne package made no AgentDesk.tar.xz"
tarball="$out/agentdesk-$version-linux-$arch.tar.xz"
mv -f AgentDesk.tar.xz "$tarball"

mkdir "$work/tar"
tar -xJf "$tarball" -C "$work/tar"
bin=$(find "$work/tar" -path '*/bin/agentdesk' -type f | head -n 1)
[[ -n $bin ]] || pkg_die "no bin/agentdesk in $tarball"
got=$("$bin" --version)
[[ $got == "agentdesk $version" ]] || pkg_die "the packaged binary says '$got', want 'agentdesk $version'"

# --- the .deb tree -------------------------------------------------------------
pkg="$work/deb"
install -D -m 0755 "$bin" "$pkg/usr/bin/agentdesk"
install -D -m 0644 "$tmpl/io.agentdesk.app.desktop" "$pkg/usr/share/applications/io.agentdesk.app.desktop"
for s in 48 128 256; do
	install -D -m 0644 "$tmpl/icons/agentdesk-$s.png" "$pkg/usr/share/icons/hicolor/${s}x$s/apps/io.agentdesk.app.png"
done
install -D -m 0644 assets/icon.png "$pkg/usr/share/icons/hicolor/512x512/apps/io.agentdesk.app.png"
install -D -m 0644 assets/icon.svg "$pkg/usr/share/icons/hicolor/scalable/apps/io.agentdesk.app.svg"
release_date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
mkdir -p "$pkg/usr/share/metainfo"
sed -e "s/@APP_VERSION@/$app_ver/" -e "s/@RELEASE_DATE@/$release_date/" "$tmpl/io.agentdesk.app.metainfo.xml" \
	>"$pkg/usr/share/metainfo/io.agentdesk.app.metainfo.xml"
chmod 0644 "$pkg/usr/share/metainfo/io.agentdesk.app.metainfo.xml"
install -D -m 0644 README.md "$pkg/usr/share/doc/agentdesk/README.md"
gzip -9n "$pkg/usr/share/doc/agentdesk/README.md"

# --- Depends -----------------------------------------------------------------
# Linked libraries: dpkg-shlibdeps needs a debian/control to run in.
mkdir -p "$work/shlibs/debian"
printf 'Source: agentdesk\n\nPackage: agentdesk\nArchitecture: any\n' >"$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$pkg/usr/bin/agentdesk" 2>"$work/shlibdeps.log") ||
	{ cat "$work/shlibdeps.log" >&2; pkg_die "dpkg-shlibdeps failed"; }
shlibs=${shlibs#shlibs:Depends=}
[[ -n $shlibs ]] || pkg_die "dpkg-shlibdeps found no dependencies"

# dlopen'ed libraries: every soname in the list must still be in the binary.
depends=$shlibs recommends=""
while read -r field pkgs sonames; do
	[[ -z $field || $field == \#* ]] && continue
	for so in ${sonames//|/ }; do
		grep -qaF "$so" "$pkg/usr/bin/agentdesk" ||
			pkg_die "dlopen-depends names $so ($pkgs) but agentdesk does not load it any more: update $tmpl/dlopen-depends"
	done
	dep=${pkgs//|/ | }
	# already there through dpkg-shlibdeps (a library both linked and loaded)
	[[ $pkgs != *'|'* && ", $depends," =~ ,\ ${pkgs}[\ ,] ]] && continue
	case $field in
	Depends) depends+=", $dep" ;;
	Recommends) recommends+="${recommends:+, }$dep" ;;
	*) pkg_die "dlopen-depends: unknown field $field" ;;
	esac
done <"$tmpl/dlopen-depends"

installed_size=$(du -sk --apparent-size "$pkg" | cut -f1)
mkdir -p "$pkg/DEBIAN"
sed -e "s/@DEB_VERSION@/$deb_ver/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
	-e "s/@DEPENDS@/$depends/" -e "s/@RECOMMENDS@/$recommends/" "$tmpl/control.in" >"$pkg/DEBIAN/control"
(cd "$pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"

deb="$out/agentdesk_${deb_ver}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "==> $tarball" >&2
echo "==> $deb" >&2
mib() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1048576 }'; }
echo "linux_tar_xz_size: $(mib "$(stat -c %s "$tarball")") MiB"
echo "linux_deb_size: $(mib "$(stat -c %s "$deb")") MiB"
echo "linux_deb_installed_size: $(mib $((installed_size * 1024))) MiB"
