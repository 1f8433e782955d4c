#!/usr/bin/env bash
# A `go` for `fyne package` (which runs $GO): adds $PKG_LDFLAGS to the
# -ldflags of every `go build`, e.g. "-s -w -X main.version=v1.2.3", and
# builds with -modfile $PKG_MODFILE when that is set (the patched Fyne of
# scripts/fynepatch.sh).
#
# fyne package reads extra linker flags only from GOFLAGS' -ldflags=..., and
# then deletes them from its own environment: on Windows, where it builds twice
# (the second time with the icon/version .syso), the final build would lose
# them, and agentdesk.exe would be unstripped and say "dev".
set -euo pipefail
go=${PKG_REAL_GO:-go}
[[ ${1:-} == build ]] || exec "$go" "$@"
shift
modfile=()
[[ -z ${PKG_MODFILE:-} ]] || modfile=(-modfile "$PKG_MODFILE")
[[ -n ${PKG_LDFLAGS:-} ]] || exec "$go" build "${modfile[@]}" "$@"
args=()
seen=0
while (($#)); do
	case $1 in
	-ldflags)
		args+=(-ldflags "$2 $PKG_LDFLAGS")
		seen=1
		shift 2
		;;
	-ldflags=*)
		args+=("$1 $PKG_LDFLAGS")
		seen=1
		shift
		;;
	*)
		args+=("$1")
		shift
		;;
	esac
done
((seen)) || args=(-ldflags "$PKG_LDFLAGS" "${args[@]}")
exec "$go" build "${modfile[@]}" "${args[@]}"
