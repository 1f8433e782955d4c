#!/usr/bin/env bash
# Smoke-tests the real AgentDesk window and captures it as a PNG.
#
#   scripts/screenshot.sh [OUT_PNG]        (default: docs/screenshots/main.png)
#
# Builds bin/agentdesk (`make build`, incremental), starts a private Xvfb
# (1280x800x24) on a free display, a private D-Bus session (dbus-run-session)
# and, best effort, a private PulseAudio with a null sink, all with a throw-away
# HOME/XDG dirs and LANG=en_US.UTF-8. Launches the app, waits (polling, up to
# AGENTDESK_WINDOW_TIMEOUT s) for its window, lets it render, captures it with
# ImageMagick `import`, and fails unless the image has some contrast (i.e. is
# not a single flat colour). Then it checks the idle window: its timer still
# moves, and a key press (Ctrl+Shift+D, the dial pad) shows within 1 s.
# Everything started is stopped on exit.
#
# Environment:
#   AGENTDESK_ARGS            flags for bin/agentdesk (split on whitespace; default none)
#   AGENTDESK_WINDOW_NAME     xdotool --name regex of the window (default AgentDesk)
#   AGENTDESK_WINDOW_TIMEOUT  seconds to wait for the window (default 60)
#   AGENTDESK_SETTLE          seconds to let it render once mapped (default 2)
#   AGENTDESK_MIN_STDDEV      minimum normalised pixel std-dev (default 0.01)
#   AGENTDESK_BIN             use this binary instead of running `make build`
#   AGENTDESK_PULSE=0         do not start a private PulseAudio
#   AGENTDESK_KEEP_TMP=1      keep the temp dir (app/Xvfb logs) for debugging
#   AGENTDESK_IDLE_CHECK=0    skip the idle-window checks that follow the capture
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
repo="$(cd "$(dirname "$self")/.." && pwd)"

log() { printf 'screenshot.sh: %s\n' "$*" >&2; }
die() {
	printf 'screenshot.sh: FAILED: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------------------
# Outer part: deps, build, then re-run this script inside a D-Bus session.
# ---------------------------------------------------------------------------
if [[ -z ${_AGENTDESK_SHOT_INNER:-} ]]; then
	[[ $# -le 1 ]] || {
		echo "usage: $0 [OUT_PNG]" >&2
		exit 2
	}
	if [[ $# -eq 1 ]]; then
		out=$1
		[[ $out == /* ]] || out="$PWD/$out" # relative to the caller's directory
	else
		out="$repo/docs/screenshots/main.png"
	fi
	cd "$repo"
	"$repo/scripts/deps.sh" test
	if [[ -z ${AGENTDESK_BIN:-} ]]; then
		log "building bin/agentdesk (make build)"
		# Called from make (e.g. `make test`)? MAKEFLAGS is inherited; keep output quiet.
		make --no-print-directory build >&2
		AGENTDESK_BIN="$repo/bin/agentdesk"
	fi
	[[ $AGENTDESK_BIN == /* ]] || AGENTDESK_BIN="$repo/$AGENTDESK_BIN"
	[[ -x $AGENTDESK_BIN ]] || die "no executable at $AGENTDESK_BIN"
	export AGENTDESK_BIN _AGENTDESK_SHOT_INNER=1
	exec dbus-run-session -- "$self" "$out"
fi

# ---------------------------------------------------------------------------
# Inner part: runs under dbus-run-session.
# ---------------------------------------------------------------------------
out=$1
cd "$repo"

name=${AGENTDESK_WINDOW_NAME:-AgentDesk}
timeout=${AGENTDESK_WINDOW_TIMEOUT:-60}
settle=${AGENTDESK_SETTLE:-2}
min_stddev=${AGENTDESK_MIN_STDDEV:-0.01}
read -r -a app_args <<<"${AGENTDESK_ARGS:-}"
xs_name=screenshot.sh
# shellcheck source=scripts/xsession.sh
source "$repo/scripts/xsession.sh"
xs_init
tmp=$xs_tmp
show_log() { xs_show_log "$@"; }
xs_xvfb 1280x800
[[ ${AGENTDESK_PULSE:-1} == 0 ]] || xs_pulse

log "starting $AGENTDESK_BIN ${app_args[*]}"
xs_app "$tmp/app.log" "${app_args[@]}"
wid=$(xs_window "$app_pid" "$name" "$timeout") || {
	show_log "app output" "$tmp/app.log"
	die "no visible window matching '$name' appeared within ${timeout}s, or the app exited (set AGENTDESK_WINDOW_NAME if the title differs)"
}
log "window $wid ('$(xdotool getwindowname "$wid" 2>/dev/null || true)') is up; letting it render for ${settle}s"
sleep "$settle"
kill -0 "$app_pid" 2>/dev/null || {
	show_log "app output" "$tmp/app.log"
	die "the app exited right after showing its window"
}

shot="$tmp/shot.png"
import -window "$wid" "$shot" 2>"$tmp/import.log" || {
	show_log "import" "$tmp/import.log"
	die "import -window $wid failed"
}
size=$("${convert[@]}" "$shot" -format '%wx%h' info:)
stddev=$("${convert[@]}" "$shot" -format '%[fx:standard_deviation]' info:)
if ! awk -v s="$stddev" -v m="$min_stddev" 'BEGIN { exit !(s + 0 > m + 0) }'; then
	mkdir -p "$repo/bin"
	cp "$shot" "$repo/bin/screenshot-blank.png"
	show_log "app output" "$tmp/app.log"
	die "the window capture ($size) looks blank: std-dev $stddev <= $min_stddev (kept as bin/screenshot-blank.png)"
fi

mkdir -p "$(dirname "$out")"
cp "$shot" "$out"
log "OK: $out ($size, std-dev $stddev)"

# --- The idle window (ui/desktop/fyne-*-idle-loop.patch) ----------------------
# An idle window sleeps between changes instead of ticking at 60 Hz. What the
# agent must still see: the header's timer moves each second, and a key press
# is answered at once, not when the loop's 2 s safety net would wake it.
[[ ${AGENTDESK_IDLE_CHECK:-1} == 1 ]] || exit 0
capture() {
	import -window "$wid" "$1" 2>"$tmp/import.log" || {
		show_log "import" "$tmp/import.log"
		die "import -window $wid failed"
	}
}
capture "$tmp/idle-a.png"
sleep 1.5
capture "$tmp/idle-b.png"
if [[ $("${convert[@]}" "$tmp/idle-a.png" -format '%#' info:) == $("${convert[@]}" "$tmp/idle-b.png" -format '%#' info:) ]]; then
	cp "$tmp/idle-a.png" "$repo/bin/screenshot-idle-a.png"
	cp "$tmp/idle-b.png" "$repo/bin/screenshot-idle-b.png"
	die "the idle window did not redraw in 1.5 s: its status timer stood still (bin/screenshot-idle-{a,b}.png)"
fi
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 0.3 # past the last timer redraw: the loop sleeps
before=$(xs_below_header "$tmp/idle-b.png")
start=$(date +%s%N)
xdotool key --clearmodifiers ctrl+shift+d # the dial pad
while :; do
	capture "$tmp/idle-c.png"
	waited=$((($(date +%s%N) - start) / 1000000))
	[[ $(xs_below_header "$tmp/idle-c.png") == "$before" ]] || break
	if ((waited > 1000)); then
		cp "$tmp/idle-c.png" "$repo/bin/screenshot-idle-key.png"
		show_log "app output" "$tmp/app.log"
		die "the idle window showed no dial pad ${waited} ms after Ctrl+Shift+D (bin/screenshot-idle-key.png)"
	fi
done
log "OK: while idle the timer moves, and Ctrl+Shift+D showed the dial pad within ${waited} ms"
