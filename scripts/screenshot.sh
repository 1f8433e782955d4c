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
# not a single flat colour). Everything started is stopped on exit.
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

if command -v magick >/dev/null 2>&1; then
	convert=(magick) # ImageMagick 7
elif [[ -x /usr/bin/convert ]]; then
	convert=(/usr/bin/convert) # Debian's ImageMagick 6, whatever else is on PATH
else
	convert=(convert)
fi

tmp="$(mktemp -d -t agentdesk-shot.XXXXXX)"
app_pid="" xvfb_pid="" pulse_pid=""

stop() { # stop PID: TERM, wait up to 5 s, then KILL; always reap
	local pid=$1 i
	[[ -n $pid ]] || return 0
	if kill -TERM "$pid" 2>/dev/null; then
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop "$app_pid"
	stop "$pulse_pid"
	stop "$xvfb_pid"
	if [[ ${AGENTDESK_KEEP_TMP:-0} == 1 ]]; then
		log "kept temp dir $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() { # show_log TITLE FILE
	if [[ -s $2 ]]; then
		echo "----- $1 (last 40 lines) -----" >&2
		tail -n 40 "$2" >&2
		echo "-----" >&2
	fi
}

# Private HOME / XDG dirs and locale.
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache"
mkdir -m 0700 "$tmp/runtime"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
	XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
unset LC_ALL LC_MESSAGES LANGUAGE WAYLAND_DISPLAY DISPLAY
export LANG=en_US.UTF-8

# --- Xvfb on a free display (-displayfd: the server picks it and tells us) ---
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
display=""
for ((i = 0; i < 100; i++)); do # up to 10 s
	if [[ -s $tmp/display ]]; then read -r display <"$tmp/display" || true; fi
	[[ -n $display ]] && break
	kill -0 "$xvfb_pid" 2>/dev/null || {
		show_log "Xvfb log" "$tmp/xvfb.log"
		die "Xvfb exited at startup"
	}
	sleep 0.1
done
[[ -n $display ]] || {
	show_log "Xvfb log" "$tmp/xvfb.log"
	die "Xvfb did not report a display within 10 s"
}
export DISPLAY=":$display"
xdotool getdisplaygeometry >/dev/null 2>&1 || die "cannot talk to Xvfb on $DISPLAY"
log "Xvfb running on $DISPLAY (1280x800x24)"

# --- PulseAudio with a null sink (best effort; the app may want audio devices) ---
if [[ ${AGENTDESK_PULSE:-1} != 0 ]] && command -v pulseaudio >/dev/null 2>&1; then
	pulseaudio --daemonize=no --exit-idle-time=-1 -n --use-pid-file=no \
		--load=module-native-protocol-unix --load=module-null-sink --load=module-always-sink \
		--log-target=stderr >"$tmp/pulse.log" 2>&1 &
	pulse_pid=$!
	pulse_ok=""
	for ((i = 0; i < 50; i++)); do # up to 5 s
		if [[ -S $XDG_RUNTIME_DIR/pulse/native ]] && { ! command -v pactl >/dev/null 2>&1 || pactl info >/dev/null 2>&1; }; then
			pulse_ok=1
			break
		fi
		kill -0 "$pulse_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [[ -z $pulse_ok ]]; then
		log "warning: private PulseAudio did not come up; continuing without it"
		show_log "pulseaudio log" "$tmp/pulse.log"
		stop "$pulse_pid"
		pulse_pid=""
	fi
fi

# --- The app ---
log "starting $AGENTDESK_BIN ${app_args[*]}"
"$AGENTDESK_BIN" "${app_args[@]}" >"$tmp/app.log" 2>&1 &
app_pid=$!

wid=""
deadline=$((SECONDS + timeout))
while :; do
	if ! kill -0 "$app_pid" 2>/dev/null; then
		wait "$app_pid" && rc=0 || rc=$?
		app_pid=""
		show_log "app output" "$tmp/app.log"
		die "the app exited (status $rc) before its window '$name' appeared"
	fi
	wid=$(xdotool search --onlyvisible --name "$name" 2>/dev/null | head -n 1) || true
	[[ -n $wid ]] && break
	if ((SECONDS >= deadline)); then
		show_log "app output" "$tmp/app.log"
		die "no visible window matching '$name' appeared within ${timeout}s (set AGENTDESK_WINDOW_NAME if the title differs)"
	fi
	sleep 0.25
done
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
