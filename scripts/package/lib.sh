# shellcheck shell=bash
# Shared helpers for the scripts in scripts/package (sourced, not run).
#
# Versions: FyneApp.toml's Details.Version (e.g. 0.1.0) is the app's version.
# VERSION (from `git describe --tags --always --dirty`, as the Makefile sets
# it) is what `agentdesk --version` prints; the Debian version is derived from
# both, so that they always agree:
#
#   VERSION            Debian version
#   v0.1.0             0.1.0
#   v0.1.0-5-gabc1234  0.1.0+git5.gabc1234
#   abc1234[-dirty]    0.1.0~gitabc1234[.dirty]   (no tag yet: before 0.1.0)
#
# A tag that names another version than FyneApp.toml is an error.

# The fyne CLI, pinned to the release that matches fyne.io/fyne/v2 in go.mod.
FYNE_TOOLS_VERSION=v1.7.4
GO=${GO:-go}

pkg_die() {
	printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2
	exit 1
}

# repo_root: the repository's top directory.
repo_root() {
	cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

# app_version: Details.Version from FyneApp.toml.
app_version() {
	local v
	v=$(awk -F'"' '/^\[/ { sec = $0 } sec ~ /Details/ && $1 ~ /^[[:space:]]*Version[[:space:]]*=/ { print $2; exit }' \
		"$(repo_root)/FyneApp.toml")
	[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || pkg_die "FyneApp.toml: Details.Version \"$v\" is not MAJOR.MINOR.PATCH"
	echo "$v"
}

# deb_version VERSION: the Debian package version for a git-describe VERSION.
deb_version() {
	local v=$1 app
	app=$(app_version)
	local dirty=""
	if [[ $v == *-dirty ]]; then
		dirty=.dirty
		v=${v%-dirty}
	fi
	if [[ $v =~ ^v?([0-9]+\.[0-9]+\.[0-9]+)(-([0-9]+)-(g[0-9a-f]+))?$ ]]; then
		local tag=${BASH_REMATCH[1]}
		[[ $tag == "$app" ]] ||
			pkg_die "git tag v$tag and FyneApp.toml's Version $app disagree: bump FyneApp.toml or tag v$app"
		if [[ -n ${BASH_REMATCH[2]} ]]; then
			echo "$tag+git${BASH_REMATCH[3]}.${BASH_REMATCH[4]}$dirty"
		else
			echo "$tag${dirty:++local}"
		fi
	elif [[ $v =~ ^[0-9a-f]{4,40}$ ]]; then
		echo "$app~git$v$dirty"
	elif [[ $v == dev ]]; then
		echo "$app~dev"
	else
		pkg_die "cannot derive a Debian version from VERSION=\"$1\" (want vX.Y.Z[-N-gHASH][-dirty] or a commit hash)"
	fi
}

# mingw_cc: the mingw-w64 C compiler, with win32 threads (Debian's default;
# the posix variant would pull in libwinpthread-1.dll).
mingw_cc() {
	local cc
	for cc in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-gcc-win32; do
		command -v "$cc" >/dev/null || continue
		[[ $("$cc" -v 2>&1) == *$'\nThread model: win32'* ]] && { echo "$cc"; return; }
	done
	pkg_die "no x86_64-w64-mingw32-gcc with win32 threads: run scripts/deps.sh package"
}

# fyne_cli ARGS...: runs the pinned fyne CLI, installed once into
# build/tools/fyne-VERSION. The environment (GOOS, CC, PKG_LDFLAGS for extra
# linker flags, see go-ldflags.sh) goes to the go build that `fyne package` runs.
fyne_cli() {
	local bin
	bin="$(repo_root)/build/tools/fyne-$FYNE_TOOLS_VERSION"
	if [[ ! -x $bin/fyne ]]; then
		echo "==> installing fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION into $bin" >&2
		env -u GOOS -u GOARCH -u CC -u CGO_ENABLED -u PKG_CONFIG_LIBDIR GOFLAGS= GOBIN="$bin" \
			"$GO" install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION" >&2
	fi
	# fyne runs $GO; go-ldflags.sh adds PKG_LDFLAGS to its builds and builds
	# with the patched Fyne's go.mod, as make build does.
	local real_go modfile
	real_go=$(command -v "$GO") || pkg_die "$GO not found"
	modfile=$("$(repo_root)/scripts/fynepatch.sh") || pkg_die "scripts/fynepatch.sh failed"
	PKG_REAL_GO=$real_go PKG_MODFILE=$modfile GO="$(repo_root)/scripts/package/go-ldflags.sh" "$bin/fyne" "$@"
}

# with_fyneapp_toml_restored CMD...: `fyne package` bumps Details.Build in
# FyneApp.toml on every run; keep the committed file as it is.
with_fyneapp_toml_restored() {
	local toml
	toml="$(repo_root)/FyneApp.toml"
	cp "$toml" "$toml.pkg-save"
	local rc=0
	"$@" || rc=$?
	mv -f "$toml.pkg-save" "$toml"
	return "$rc"
}
