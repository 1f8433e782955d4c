#!/usr/bin/env bash
# ok() always succeeds, so "test && ok ... || bad ..." is an if-then-else here.
# shellcheck disable=SC2015
# Checks the packages `make package` built for VERSION in DIST, as a user
# installing them would find them:
#
#   scripts/package/check.sh VERSION DIST
#
# .deb:  control fields (name, version derived from VERSION, architecture,
#        Depends on libopus0, libspeexdsp1, libc6 and the dlopen'ed X11/GL/audio
#        libraries), contents (/usr/bin/agentdesk executable and root-owned,
#        the desktop entry, hicolor icons 48/128/256/scalable, nothing outside
#        /usr), the desktop entry validates, apt can resolve its Depends here,
#        `dpkg --root` installs it into an empty root, `agentdesk --version` run
#        from there prints VERSION, it opens its window under Xvfb, and it
#        removes cleanly.
# .tar.xz: fyne's tree with the same binary and its desktop file.
# .exe:  scripts/package/pecheck (PE32+ GUI, system-DLL imports only, icon,
#        version and manifest resources), and sign.sh signs a copy with a
#        throw-away certificate that osslsigncode then verifies.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || pkg_die "usage: $0 VERSION DIST"
version=$1
dist=$(cd "$2" && pwd)
root=$(repo_root)
cd "$root"
deb_ver=$(deb_version "$version")
app_ver=$(app_version)
arch=$(dpkg --print-architecture)
deb="$dist/agentdesk_${deb_ver}_$arch.deb"
tarball="$dist/agentdesk-$version-linux-$arch.tar.xz"
exe="$dist/agentdesk-$version-windows-amd64.exe"
work=$(mktemp -d -t agentdesk-pkg-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

pass=0 fail=0
ok() {
	pass=$((pass + 1))
	echo "  ok: $*"
}
bad() {
	fail=$((fail + 1))
	echo "  FAIL: $*" >&2
}
check() { # check DESCRIPTION CMD...
	local what=$1
	shift
	if "$@" >/dev/null 2>"$work/err"; then ok "$what"; else
		# Enough lines for a crash's message and the stack above main.main.
		bad "$what: $(tail -n 40 "$work/err")"
	fi
}

# --- versions --------------------------------------------------------------------
echo "==> version mapping (lib.sh deb_version, FyneApp.toml $app_ver)"
for row in "v$app_ver=$app_ver" "v$app_ver-5-gabc1234=$app_ver+git5.gabc1234" \
	"abc1234=$app_ver~gitabc1234" "abc1234-dirty=$app_ver~gitabc1234.dirty" \
	"v$app_ver-2-g0123abc-dirty=$app_ver+git2.g0123abc.dirty"; do
	got=$(deb_version "${row%%=*}" 2>&1 || true)
	[[ $got == "${row#*=}" ]] && ok "${row%%=*} -> $got" || bad "${row%%=*} -> '$got', want ${row#*=}"
done
if (deb_version v99.0.0 >/dev/null 2>&1); then bad "a tag other than FyneApp.toml's version was accepted"; else
	ok "tag v99.0.0 vs FyneApp.toml $app_ver is refused"
fi
dpkg --compare-versions "$app_ver~gitabc1234" lt "$app_ver" && dpkg --compare-versions "$app_ver" lt "$app_ver+git5.gabc1234" &&
	ok "untagged < tagged < after the tag, in dpkg's order" || bad "dpkg orders the derived versions wrongly"

# --- .deb ----------------------------------------------------------------------
echo "==> $deb"
[[ -f $deb ]] || pkg_die "no $deb: run make package VERSION=$version first"
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == agentdesk ]] && ok "Package: agentdesk" || bad "Package is '$(field Package)'"
[[ $(field Version) == "$deb_ver" ]] && ok "Version: $deb_ver (from $version)" || bad "Version is '$(field Version)', want $deb_ver"
[[ $(field Architecture) == "$arch" ]] && ok "Architecture: $arch" || bad "Architecture is '$(field Architecture)'"
[[ -n $(field Maintainer) && -n $(field Description) ]] && ok "Maintainer and Description set" || bad "Maintainer or Description missing"
[[ $(field Installed-Size) =~ ^[0-9]+$ ]] && ok "Installed-Size: $(field Installed-Size) KiB" || bad "Installed-Size is '$(field Installed-Size)'"
depends=$(field Depends)
# Depends as a list of alternatives, versions stripped: "libc6", "libpulse0 | libasound2", ...
mapfile -t deps < <(tr ',' '\n' <<<"$depends" | sed -e 's/([^)]*)//g' -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//')
has_dep() {
	local d
	for d in "${deps[@]}"; do [[ $d == "$1" ]] && return 0; done
	return 1
}
for want in libc6 libopus0 libspeexdsp1 libgl1 libx11-6 libxcursor1 libxrandr2 libxinerama1 libxi6 \
	libxxf86vm1 "libpulse0 | libasound2"; do
	has_dep "$want" && ok "Depends: $want" || bad "Depends lacks '$want': $depends"
done
grep -q 'libwayland-cursor0' <<<"$(field Recommends)" && ok "Recommends: the Wayland libraries" ||
	bad "Recommends lacks libwayland-cursor0: $(field Recommends)"

dpkg-deb -c "$deb" >"$work/contents"
# "-rwxr-xr-x root/root 12345 2026-11-23 22:00 ./usr/bin/agentdesk"
entry() { awk -v p="./$1" '$6 == p { print $1, $2 }' "$work/contents"; }
[[ $(entry usr/bin/agentdesk) == "-rwxr-xr-x root/root" ]] && ok "/usr/bin/agentdesk, 0755 root/root" ||
	bad "/usr/bin/agentdesk is '$(entry usr/bin/agentdesk)'"
for f in usr/share/applications/io.agentdesk.app.desktop \
	usr/share/icons/hicolor/48x48/apps/io.agentdesk.app.png \
	usr/share/icons/hicolor/128x128/apps/io.agentdesk.app.png \
	usr/share/icons/hicolor/256x256/apps/io.agentdesk.app.png \
	usr/share/icons/hicolor/512x512/apps/io.agentdesk.app.png \
	usr/share/icons/hicolor/scalable/apps/io.agentdesk.app.svg; do
	[[ $(entry "$f") == "-rw-r--r-- root/root" ]] && ok "/$f" || bad "/$f is '$(entry "$f")'"
done
f=usr/share/metainfo/io.agentdesk.app.metainfo.xml
[[ $(entry "$f") == "-rw-r--r-- root/root" ]] && ok "/$f" || bad "/$f is '$(entry "$f")'"
outside=$(awk '$6 !~ /^\.\/(usr\/.*)?$/ { print $6 }' "$work/contents")
[[ -z $outside ]] && ok "installs nothing outside /usr" || bad "files outside /usr: $outside"

mkdir "$work/x"
dpkg-deb -x "$deb" "$work/x"
for s in 48 128 256; do
	dim=$(file -b "$work/x/usr/share/icons/hicolor/${s}x$s/apps/io.agentdesk.app.png" | grep -o '[0-9]* x [0-9]*' || true)
	[[ $dim == "$s x $s" ]] && ok "${s}x$s icon is $dim" || bad "${s}x$s icon is '$dim'"
done
desktop="$work/x/usr/share/applications/io.agentdesk.app.desktop"
if command -v desktop-file-validate >/dev/null; then
	check "desktop entry validates (desktop-file-validate)" desktop-file-validate "$desktop"
fi
if command -v appstreamcli >/dev/null; then
	check "AppStream metainfo validates (appstreamcli validate --no-net)" \
		appstreamcli validate --no-net "$work/x/usr/share/metainfo/io.agentdesk.app.metainfo.xml"
fi
grep -q "<release version=\"$app_ver\"" "$work/x/usr/share/metainfo/io.agentdesk.app.metainfo.xml" &&
	ok "metainfo release is $app_ver" || bad "metainfo does not name release $app_ver"
grep -qx 'Exec=agentdesk' "$desktop" && grep -qx 'Icon=io.agentdesk.app' "$desktop" &&
	ok "desktop entry runs agentdesk with the io.agentdesk.app icon" || bad "desktop entry Exec/Icon wrong"
check "apt can resolve the Depends (apt-get install --simulate)" \
	apt-get install --simulate --no-install-recommends -o Debug::NoLocking=1 "$deb"

# Install into an empty root: dpkg's database there starts empty, so its
# Depends are not installed there (--force-depends); the binary itself runs
# with this machine's libraries.
r="$work/root"
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/log"
: >"$r/var/lib/dpkg/status"
: >"$r/var/lib/dpkg/available"
dpkgr=(dpkg --root="$r" --log=/dev/null --force-not-root --force-depends --force-script-chrootless)
check "dpkg --root installs it into an empty root" "${dpkgr[@]}" -i "$deb"
status=$(dpkg-query --root="$r" -W -f='${Status} ${Version}' agentdesk 2>/dev/null || true)
[[ $status == "install ok installed $deb_ver" ]] && ok "dpkg status: $status" || bad "dpkg status is '$status'"
got=$("$r/usr/bin/agentdesk" --version 2>&1 || true)
[[ $got == "agentdesk $version" ]] && ok "installed agentdesk --version: $got" ||
	bad "installed agentdesk --version printed '$got', want 'agentdesk $version'"
# The packaged build differs from `make build` (Fyne's release tag, the fyneDo
# migration, FyneApp.toml metadata): the installed binary must open its window.
check "installed agentdesk opens and renders its window (scripts/screenshot.sh under Xvfb)" \
	env AGENTDESK_BIN="$r/usr/bin/agentdesk" scripts/screenshot.sh "$work/installed.png"
check "dpkg --root removes it" "${dpkgr[@]}" --purge agentdesk
left=$(find "$r/usr" -type f 2>/dev/null | head -n 3 || true)
[[ -z $left ]] && ok "no files left after purge" || bad "left after purge: $left"

# --- tar.xz ----------------------------------------------------------------------
echo "==> $tarball"
if [[ -f $tarball ]]; then
	mkdir "$work/t"
	tar -xJf "$tarball" -C "$work/t"
	tbin=$(find "$work/t" -path '*/bin/agentdesk' -type f | head -n 1)
	[[ -n $tbin ]] && cmp -s "$tbin" "$work/x/usr/bin/agentdesk" && ok "holds the .deb's agentdesk binary" ||
		bad "no bin/agentdesk identical to the .deb's"
	[[ -n $(find "$work/t" -name 'io.agentdesk.app.desktop') ]] && ok "has the desktop file" || bad "no desktop file"
	[[ -n $(find "$work/t" -name Makefile) ]] && ok "has fyne's install Makefile" || bad "no Makefile"
else
	bad "no $tarball"
fi

# --- Windows .exe ------------------------------------------------------------------
echo "==> $exe"
if [[ -f $exe ]]; then
	if "$GO" run ./scripts/package/pecheck -version "$app_ver" "$exe" >"$work/pe" 2>&1; then
		ok "$(head -n 1 "$work/pe" | sed "s|$dist/||")"
	else
		bad "pecheck: $(cat "$work/pe")"
	fi
	# -X main.version=VERSION reached the final (second) fyne build
	grep -qaF "$version" "$exe" && ok "the .exe carries main.version $version" ||
		bad "the .exe does not contain $version: -X main.version was lost"
	# The signing path, with a throw-away self-signed code-signing certificate.
	if command -v openssl >/dev/null && command -v osslsigncode >/dev/null; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=AgentDesk test signing" \
			-addext extendedKeyUsage=codeSigning -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
		cp "$exe" "$work/signed.exe"
		check "sign.sh signs it (SIGN_CERT/SIGN_KEY)" env SIGN_CERT="$work/cert.pem" SIGN_KEY="$work/key.pem" \
			scripts/package/sign.sh "$work/signed.exe"
		check "the signed exe passes pecheck -signed" "$GO" run ./scripts/package/pecheck -signed "$work/signed.exe"
		check "osslsigncode verifies the signature" osslsigncode verify -CAfile "$work/cert.pem" -in "$work/signed.exe"
	else
		bad "openssl or osslsigncode missing: run scripts/deps.sh package"
	fi
else
	bad "no $exe"
fi

echo "package-check: $pass passed, $fail failed"
((fail == 0))
