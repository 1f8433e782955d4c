#!/usr/bin/env bash
# Prepares the Fyne that AgentDesk ships: the module of go.mod's version with
# the patches ui/desktop/fyne-VERSION-*.patch applied (each one's header says
# why and how):
#   idle-loop   an idle window sleeps instead of ticking at 60 Hz
#   flat-fill   large rectangles fill their inside with one flat colour, not
#               their shape shader (software OpenGL draws several times less)
#   fonts       each font is parsed once, and a fallback font only when a
#               rune needs it
#   lazy-programs  the shader programs most windows never draw with are
#               compiled the first time one is drawn with, not at start
#
#   scripts/fynepatch.sh        prints the path of a go.mod to build with:
#                               go build -modfile "$(scripts/fynepatch.sh)" ...
#
# It copies the module from Go's module cache to build/fyne/src, applies the
# patches there, and writes build/fyne/go.mod (go.mod plus a replace of Fyne by
# that copy) and build/fyne/go.sum. It redoes this only when go.mod, go.sum
# or a patch changed. It fails, saying so, when no patch matches go.mod's
# Fyne version or when a patch does not apply.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/build/fyne"
die() {
	printf 'fynepatch.sh: error: %s\n' "$*" >&2
	exit 1
}
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH" # as the Makefile does

cd "$repo"
read -r version dir < <(go list -m -f '{{.Version}} {{.Dir}}' fyne.io/fyne/v2) ||
	die "go list cannot find fyne.io/fyne/v2 (run make deps)"
[[ -n $dir && -d $dir ]] || die "fyne.io/fyne/v2 $version is not in the module cache (run make deps)"
patches=()
for want in idle-loop flat-fill fonts lazy-programs; do
	f="ui/desktop/fyne-$version-$want.patch"
	if [[ ! -f $f ]]; then
		have=$(cd ui/desktop && ls fyne-*.patch 2>/dev/null | tr '\n' ' ')
		die "go.mod has Fyne $version but there is no $f (have: ${have:-none}): port the patches to $version"
	fi
	patches+=("$f")
done

stamp=$(cat go.mod go.sum "${patches[@]}" | sha256sum | cut -c1-32)
if [[ -f $out/stamp && $(<"$out/stamp") == "$stamp" && -f $out/go.mod ]]; then
	echo "$out/go.mod"
	exit 0
fi

rm -rf "$out"
mkdir -p "$out"
cp -R "$dir" "$out/src"
chmod -R u+w "$out/src"
for f in "${patches[@]}"; do
	patch --quiet --batch --forward -p1 -d "$out/src" <"$f" >"$out/patch.log" 2>&1 || {
		cat "$out/patch.log" >&2
		die "$f does not apply to Fyne $version"
	}
done
{
	cat go.mod
	printf '\n// scripts/fynepatch.sh: Fyne with %s\nreplace fyne.io/fyne/v2 %s => %s\n' "${patches[*]}" "$version" "$out/src"
} >"$out/go.mod"
cp go.sum "$out/go.sum"
echo "$stamp" >"$out/stamp"
echo "$out/go.mod"
