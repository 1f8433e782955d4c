#!/usr/bin/env bash
# Installs the system packages AgentDesk needs, idempotently.
#
#   scripts/deps.sh build   # C toolchain + X11/GL/Opus/SpeexDSP headers (cgo, Fyne),
#                           # CJK fonts for the Japanese, Korean and Chinese UI
#   scripts/deps.sh test    # build + Xvfb, xdotool, xev (x11-utils), ImageMagick, D-Bus, dunst,
#                           # PulseAudio, espeak-ng, sox (GUI/audio tests, screenshots, uibench)
#
# Only packages that dpkg does not report as installed are installed, with one
# `apt-get update` before. When nothing is missing it prints nothing and
# returns immediately. Uses sudo when not running as root.
set -euo pipefail

# Fyne's own font has no CJK glyphs and falls back to the system's: Droid
# Sans Fallback (Japanese, Chinese) and Nanum (Korean) for those translations.
FONT_PKGS=(fonts-droid-fallback fonts-nanum)
BUILD_PKGS=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev libopus-dev libspeexdsp-dev
	"${FONT_PKGS[@]}")
TEST_PKGS=("${BUILD_PKGS[@]}" xvfb xauth xdotool x11-utils imagemagick dbus-x11 dunst pulseaudio
	pulseaudio-utils espeak-ng sox)

REQUIRED_GO_MINOR=26 # Go 1.26, see go.mod

die() {
	printf 'deps.sh: error: %s\n' "$*" >&2
	exit 1
}

usage() {
	echo "usage: $0 build|test" >&2
	exit 2
}

[[ $# -eq 1 ]] || usage
case "$1" in
build) pkgs=("${BUILD_PKGS[@]}") ;;
test) pkgs=("${TEST_PKGS[@]}") ;;
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

((${#missing[@]} == 0)) && exit 0 # fast path: everything is there

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

echo "deps.sh: installing missing packages: ${missing[*]}" >&2
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
"${APT[@]}" update -qq || die "apt-get update failed"
"${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" ||
	die "apt-get install failed for: ${missing[*]}"

# Verify.
still=()
for p in "${missing[@]}"; do
	[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) == "install ok installed" ]] || still+=("$p")
done
((${#still[@]} == 0)) || die "still not installed after apt-get install: ${still[*]}"
echo "deps.sh: done." >&2
