#!/usr/bin/env bash
# Cross-compiles the 64-bit Windows AgentDesk into OUTDIR with Debian's
# mingw-w64 and checks it:
#
#   agentdesk-VERSION-windows-amd64.exe
#
#   scripts/package/windows.sh VERSION OUTDIR
#
# - libopus and speexdsp are built static from Debian's source packages
#   (scripts/package/mingw-libs.sh, cached in ~/.cache/agentdesk/mingw64); miniaudio is
#   compiled in by malgo; so the .exe needs no DLLs besides Windows' own.
# - `fyne package -os windows` embeds the icon, a version resource
#   (FyneApp.toml's version) and a manifest (a .syso made with goversioninfo),
#   and builds a GUI (-H=windowsgui) binary as scripts/package/linux.sh does:
#   release tag, fyneDo migration, -s -w, -X main.version=VERSION.
# - Signing: when SIGN_CERT and SIGN_KEY are set (PEM or DER certificate chain
#   and private key; SIGN_PASS for an encrypted key, or SIGN_PKCS12 with
#   SIGN_PASS instead of both; SIGN_TIMESTAMP_URL for an RFC 3161 timestamp
#   server), the .exe is Authenticode-signed with osslsigncode
#   (scripts/package/sign.sh).
# - scripts/package/pecheck then fails unless it is a valid PE32+ GUI
#   executable whose imports are all Windows system DLLs, with icon, version
#   and manifest resources (and a signature when one was asked for).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || pkg_die "usage: $0 VERSION OUTDIR"
version=$1
root=$(repo_root)
mkdir -p "$2"
out=$(cd "$2" && pwd)
app_ver=$(app_version)
cc=$(mingw_cc)
cd "$root"
# fyne package appends its own C flags to these: start from none, as `make build` expects.
unset CGO_CFLAGS CGO_CPPFLAGS CGO_LDFLAGS

# The static libraries live at one path per user, not per checkout: Go's
# build cache keeps what pkg-config said when it compiled a dependency such
# as gopkg.in/hraban/opus.v2 (the path to libopus.a), and a checkout at
# another path would otherwise link against a path that is gone.
pcdir=$(scripts/package/mingw-libs.sh "${AGENTDESK_MINGW_LIBS:-${XDG_CACHE_HOME:-$HOME/.cache}/agentdesk/mingw64}" | tail -n 1)
# Go does hash the C preprocessor flags: naming the libraries' place in them
# makes a cached binding that points elsewhere get rebuilt.
libs_key=$(printf '%s' "$(readlink -f "$pcdir")" | sha256sum | cut -c1-16)

echo "==> fyne package -os windows (version $version, app $app_ver)" >&2
rm -f AgentDesk.exe
# PKG_CONFIG_LIBDIR: only the static mingw .pc files, never the host's.
(
	export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$cc" \
		PKG_CONFIG_LIBDIR="$pcdir" PKG_CONFIG_PATH='' PKG_CONFIG_SYSROOT_DIR='' \
		CGO_CPPFLAGS="-DAGENTDESK_MINGW_LIBS_$libs_key" \
		PKG_LDFLAGS="-s -w -X main.version=$version"
	with_fyneapp_toml_restored fyne_cli package -os windows -tags nolibopusfile,release -app-version "$app_ver"
)
[[ -f AgentDesk.exe ]] || pkg_die "fyne package made no AgentDesk.exe"
exe="$out/agentdesk-$version-windows-amd64.exe"
mv -f AgentDesk.exe "$exe"

signed=()
if [[ -n ${SIGN_PKCS12:-} || -n ${SIGN_CERT:-} || -n ${SIGN_KEY:-} ]]; then
	scripts/package/sign.sh "$exe"
	signed=(-signed)
fi

echo "==> $exe" >&2
"$GO" run ./scripts/package/pecheck -version "$app_ver" "${signed[@]}" "$exe"
