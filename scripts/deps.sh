#!/usr/bin/env bash
# Installs the system packages AgentDesk needs, idempotently.
#
#   scripts/deps.sh build   # C toolchain + X11/GL/Opus/SpeexDSP headers (cgo, Fyne), patch,
#                           # CJK fonts for the Japanese, Korean and Chinese UI
#   scripts/deps.sh test    # build + Xvfb, xdotool, xev (x11-utils), ImageMagick, D-Bus, dunst,
#                           # PulseAudio, espeak-ng, sox (GUI/audio tests, screenshots, uibench)
#   scripts/deps.sh package # test + the packaging tools (make package / package-check):
#                           # mingw-w64 cross compiler, dpkg-dev, xz-utils, osslsigncode,
#                           # and deb-src access so that `apt-get source opus speexdsp`
#                           # works (the Windows build links them statically)
#
# Only packages that dpkg does not report as installed are installed, with one
# `apt-get update` before. When nothing is missing it prints nothing and
# returns immediately. Uses sudo when not running as root.
set -euo pipefail

# Fyne's own font has no CJK glyphs and falls back to the system's: Droid
# Sans Fallback (Japanese, Chinese) and Nanum (Korean) for those translations.
FONT_PKGS=(fonts-droid-fallback fonts-nanum)
BUILD_PKGS=(gcc libc6-dev pkg-config patch libgl-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev libopus-dev libspeexdsp-dev
	"${FONT_PKGS[@]}")
TEST_PKGS=("${BUILD_PKGS[@]}" xvfb xauth xdotool x11-utils imagemagick dbus-x11 dunst pulseaudio
	pulseaudio-utils espeak-ng sox)
PACKAGE_PKGS=("${TEST_PKGS[@]}" gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 dpkg-dev
	xz-utils make file openssl osslsigncode desktop-file-utils appstream)

REQUIRED_GO_MINOR=26 # Go 1.26, see go.mod

die() {
	printf 'deps.sh: error: %s\n' "$*" >&2
	exit 1
}

usage() {
	echo "usage: $0 build|test|package" >&2
	exit 2
}

[[ $# -eq 1 ]] || usage
case "$1" in
build) pkgs=("${BUILD_PKGS[@]}") ;;
test) pkgs=("${TEST_PKGS[@]}") ;;
package) pkgs=("${PACKAGE_PKGS[@]}") ;;
-h | --help) usage ;;
*) usage ;;
esac

# --- Go ---------------------------------------------------------------------
check_go() {
	local go_bin
	if ! go_bin=$(command -v go 2>/dev/null); then
		if [[ -x /usr/local/go/bin/go ]]; then
			go_bin=/usr/local/go/bin/go
		else
			die "Go 1.${REQUIRED_GO_MINOR} or newer is required but 'go' is not on PATH (nor in /usr/local/go/bin).
Install it from https://go.dev/dl/ (e.g. unpack go1.${REQUIRED_GO_MINOR}.x.linux-amd64.tar.gz into /usr/local) and re-run."
		fi
	fi
	# Version of the installed toolchain itself (GOTOOLCHAIN=local: do not let
	# the go command switch/download a toolchain just to answer this).
	local ver minor
	# Run from / so that go.mod's go line does not get in the way.
	ver=$(cd / && GOTOOLCHAIN=local "$go_bin" env GOVERSION 2>/dev/null) || ver=""
	if [[ $ver =~ ^go1\.([0-9]+) ]]; then
		minor=${BASH_REMATCH[1]}
		if ((minor < 21)); then
			die "Go 1.${REQUIRED_GO_MINOR} is required, found ${ver} at ${go_bin} (too old to fetch a newer toolchain by itself). Install Go 1.${REQUIRED_GO_MINOR} from https://go.dev/dl/."
		elif ((minor < REQUIRED_GO_MINOR)); then
			case "$(cd / && "$go_bin" env GOTOOLCHAIN 2>/dev/null)" in
			local | *+path | path)
				die "Go 1.${REQUIRED_GO_MINOR} is required, found ${ver} at ${go_bin} and GOTOOLCHAIN forbids downloading a newer one. Install Go 1.${REQUIRED_GO_MINOR} from https://go.dev/dl/."
				;;
			*)
				echo "deps.sh: note: ${go_bin} is ${ver}; the go command will download the go1.${REQUIRED_GO_MINOR} toolchain required by go.mod." >&2
				;;
			esac
		fi
	fi
	# Anything unparsable (devel builds etc.) is accepted as is.
}
check_go

# --- System packages ----------------------------------------------------------
other_systems() {
	die "AgentDesk's make targets install packages on Debian/Ubuntu (apt-get + dpkg); $1.
On other systems install the equivalents of these packages yourself:
  ${pkgs[*]}"
}

command -v dpkg-query >/dev/null 2>&1 || other_systems "this system has no dpkg-query"

# One dpkg-query call for all packages; unknown packages only print to stderr.
declare -A installed=()
while IFS=$'\t' read -r name status; do
	[[ $status == "install ok installed" ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package}\t${Status}\n' "${pkgs[@]}" 2>/dev/null || true)

missing=()
for p in "${pkgs[@]}"; do
	[[ -n ${installed[$p]:-} ]] || missing+=("$p")
done

# `make package` builds libopus and speexdsp for Windows from Debian's source
# packages: that needs deb-src lines, which Debian's default sources lack.
need_src=0
has_src() { [[ $(apt-cache showsrc speexdsp 2>/dev/null || true) == *"Package: speexdsp"* ]]; }
if [[ $1 == package ]] && ! has_src; then
	need_src=1
fi

((${#missing[@]} == 0 && need_src == 0)) && exit 0 # fast path: everything is there

command -v apt-get >/dev/null 2>&1 || other_systems "this system has no apt-get"

if [[ $(id -u) -eq 0 ]]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1; then
	if sudo -n true 2>/dev/null; then
		SUDO=(sudo -n)
	elif [[ -t 0 ]]; then
		SUDO=(sudo)
	else
		die "missing packages: ${missing[*]}
Installing them needs root: sudo is available but asks for a password and there is no terminal.
Run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
	fi
else
	die "missing packages: ${missing[*]}
Installing them needs root, and this is neither root nor has sudo.
As root run:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
fi

# deb-src twins of the configured deb sources (deb822 stanzas and one-line
# entries), so that the mirror is the one this machine already uses.
add_deb_src() {
	if grep -rqsE '^(Types:.*deb-src|deb-src[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return # configured, only not fetched yet: apt-get update below does it
	fi
	local f src="" list=""
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -e $f ]] || continue
		src+=$(awk 'BEGIN { RS = ""; ORS = "\n\n" } /(^|\n)Types:[ \t]*deb[ \t]*(\n|$)/' "$f" |
			sed -e 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/')$'\n\n'
	done
	[[ -e /etc/apt/sources.list ]] && list=$(sed -n -e 's/^deb[[:space:]]/deb-src /p' /etc/apt/sources.list)
	[[ -n ${src//[[:space:]]/} || -n $list ]] ||
		die "no Debian 'deb' sources found to derive deb-src sources from; add deb-src lines to /etc/apt/sources.list and re-run"
	echo "deps.sh: adding deb-src sources to /etc/apt/sources.list.d/agentdesk-deb-src.* (for apt-get source opus speexdsp)" >&2
	[[ -n ${src//[[:space:]]/} ]] && printf '%s\n' "$src" | "${SUDO[@]}" tee /etc/apt/sources.list.d/agentdesk-deb-src.sources >/dev/null
	[[ -n $list ]] && printf '%s\n' "$list" | "${SUDO[@]}" tee /etc/apt/sources.list.d/agentdesk-deb-src.list >/dev/null
	return 0
}

APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
((need_src)) && add_deb_src
"${APT[@]}" update -qq || die "apt-get update failed"
if ((${#missing[@]} > 0)); then
	echo "deps.sh: installing missing packages: ${missing[*]}" >&2
	"${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" ||
		die "apt-get install failed for: ${missing[*]}"
fi
if ((need_src)) && ! has_src; then
	die "deb-src sources were added but 'apt-cache showsrc speexdsp' still finds nothing"
fi

# Verify.
still=()
for p in "${missing[@]}"; do
	[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || still+=("$p")
done
((${#still[@]} == 0)) || die "still not installed after apt-get install: ${still[*]}"
echo "deps.sh: done." >&2
