#!/usr/bin/env bash
# Captures every view of the real app as a PNG in docs/screenshots/ (or DIR):
#
#   scripts/screenshots.sh [DIR]          (make screenshots)
#
#   idle.png           Available, no contacts
#   ringing.png        a voice call ringing, with Accept and Reject
#   notification.png   the ring notification, as shown by dunst
#   on-call.png        a connected call (End, Mute, Hold, Keypad)
#   chat.png           a chat with a short exchange of messages
#   dialpad.png        the dial pad with a number typed in
#   quick-connects.png the quick connect list
#   settings.png       the settings window
#   tray-menu.png      the tray menu the app exports over D-Bus, drawn by
#                      scripts/trayhost (a StatusNotifierWatcher and host)
#
# Everything runs in a private session: Xvfb, a session bus
# (dbus-run-session), PulseAudio with a null sink, and dunst as the
# notification server; throw-away HOME/XDG dirs, LANG=en_US.UTF-8. Each view
# is a fresh run of bin/agentdesk on scripts/screenshots/instance.toml with a
# fixed --seed, so the same customers appear each time.
#
# The views are opened with the app's keyboard shortcuts (Ctrl+Shift+D dial
# pad, Ctrl+Shift+K quick connects, Ctrl+Comma settings); when a shortcut
# changes nothing (a build without them), the script clicks the header
# button instead. A ring is detected from the Notify call on the bus, not by
# waiting a fixed time.
#
# Environment: AGENTDESK_BIN (skip `make build`), AGENTDESK_KEEP_TMP=1 (keep
# logs), AGENTDESK_SEED (default 7).
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
repo="$(cd "$(dirname "$self")/.." && pwd)"
xs_name=screenshots.sh
# shellcheck source=scripts/xsession.sh
source "$repo/scripts/xsession.sh"

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH" # as the Makefile does

if [[ -z ${_AGENTDESK_SHOTS_INNER:-} ]]; then
	[[ $# -le 1 ]] || {
		echo "usage: $0 [DIR]" >&2
		exit 2
	}
	out=${1:-$repo/docs/screenshots}
	[[ $out == /* ]] || out="$PWD/$out"
	cd "$repo"
	"$repo/scripts/deps.sh" test
	if [[ -z ${AGENTDESK_BIN:-} ]]; then
		xs_log "building bin/agentdesk (make build)"
		make --no-print-directory build >&2
		AGENTDESK_BIN="$repo/bin/agentdesk"
	fi
	[[ $AGENTDESK_BIN == /* ]] || AGENTDESK_BIN="$repo/$AGENTDESK_BIN"
	[[ -x $AGENTDESK_BIN ]] || xs_die "no executable at $AGENTDESK_BIN"
	xs_log "building bin/trayhost"
	go build -o "$repo/bin/trayhost" ./scripts/trayhost
	export AGENTDESK_BIN _AGENTDESK_SHOTS_INNER=1
	exec dbus-run-session -- "$self" "$out"
fi

out=$1
mkdir -p "$out"
cd "$repo"
instance="$repo/scripts/screenshots/instance.toml"
seed=${AGENTDESK_SEED:-7}

xs_init
xs_xvfb 1280x800
# shellcheck disable=SC2119 # no extra sinks
xs_pulse
xs_dunst

# The bus's Notify calls, to know when a contact rings.
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
	>"$xs_tmp/notify.log" 2>&1 &
xs_pids+=("$!")

wid="" view=""

# start_view VIEW AGENT TRAFFIC [ARGS...]: a fresh app for VIEW; sets wid.
start_view() {
	view=$1
	local agent=$2 traffic=$3
	shift 3
	xs_stop "$app_pid"
	app_pid=""
	xs_app "$xs_tmp/$view.log" --instance "$instance" --agent "$agent" --traffic "$traffic" --seed "$seed" "$@"
	wid=$(xs_window "$app_pid" "AgentDesk" 60) || {
		xs_show_log "app output" "$xs_tmp/$view.log"
		xs_die "$view: the window did not appear"
	}
	# No window manager: give the window the keyboard; keep the pointer off
	# it, so that nothing shows as hovered.
	xdotool windowfocus --sync "$wid" mousemove 1270 790 2>/dev/null || true
	sleep 1 # first frames
}

# wait_log PATTERN [S]: waits until the view's app log has a line matching PATTERN.
wait_log() {
	local deadline=$((SECONDS + ${2:-30}))
	until grep -q -- "$1" "$xs_tmp/$view.log"; do
		((SECONDS < deadline)) || {
			xs_show_log "app output" "$xs_tmp/$view.log"
			xs_die "$view: no log line matching '$1'"
		}
		sleep 0.05
	done
}

# grab WID FILE: captures a window; fails on a blank (single colour) image.
grab() {
	import -window "$1" "$2" 2>"$xs_tmp/import.log" || {
		xs_show_log import "$xs_tmp/import.log"
		xs_die "$view: import -window $1 failed"
	}
	local sd
	sd=$("${convert[@]}" "$2" -format '%[fx:standard_deviation]' info:)
	awk -v s="$sd" 'BEGIN { exit !(s + 0 > 0.01) }' || xs_die "$view: the capture of window $1 is blank"
}

# save [WID] NAME: captures into $out/NAME.png (the main window by default).
save() {
	local w=$wid
	[[ $# -eq 2 ]] && { w=$1 && shift; }
	grab "$w" "$out/$1.png"
	xs_log "$1.png ($("${convert[@]}" "$out/$1.png" -format '%wx%h' info:))"
}

# shortcut KEYS X Y: presses KEYS; if the window below the header (where
# panels open; no timers there while idle) did not change, clicks (X, Y).
shortcut() {
	grab "$wid" "$xs_tmp/before.png"
	xdotool key --clearmodifiers "$1"
	sleep 0.5
	grab "$wid" "$xs_tmp/after.png"
	if [[ $(xs_below_header "$xs_tmp/before.png") == $(xs_below_header "$xs_tmp/after.png") ]]; then
		xs_log "$view: $1 changed nothing; clicking at $2,$3 instead"
		xdotool mousemove --window "$wid" "$2" "$3" click 1 mousemove 1270 790
		sleep 0.5
	fi
}


# window_shortcut KEYS X Y NAME: like shortcut, for a key that opens window NAME; prints its id.
window_shortcut() {
	local w
	xdotool key --clearmodifiers "$1"
	if ! w=$(xs_window "$app_pid" "$4" 1); then
		xs_log "$view: $1 opened no window; clicking at $2,$3 instead"
		xdotool mousemove --window "$wid" "$2" "$3" click 1 mousemove 1270 790
		w=$(xs_window "$app_pid" "$4" 10) || xs_die "$view: no window '$4'"
	fi
	echo "$w"
}

# find_colour RGB: the bounding box (WxH+X+Y) of the pixels of that colour in
# the window now; "0x0+..." when there are none.
find_colour() { # find_colour R,G,B [BELOW_Y]: the bounding box of that colour, below y
	grab "$wid" "$xs_tmp/find.png"
	"${convert[@]}" "$xs_tmp/find.png" -fill black -draw "rectangle 0,0 10000,$((${2:-0} - 1))" \
		-fuzz 12% +opaque "rgb($1)" -format '%@' info: 2>/dev/null
}

# ring_count: how many Notify calls the bus has seen.
ring_count() { grep -c 'member=Notify' "$xs_tmp/notify.log" || true; }

# Header buttons of the 420 px wide window (Dial, quick connects, recent
# contacts, settings), for builds without the shortcuts.
dial_xy=(262 61) quick_xy=(317 61) gear_xy=(398 61)

# --- idle ------------------------------------------------------------------
start_view idle alice 0
wait_log 'agent logged in'
sleep 1
save idle

# --- dial pad ----------------------------------------------------------------
shortcut ctrl+shift+d "${dial_xy[@]}"
xdotool type --delay 40 "2025550142"
sleep 0.5
save dialpad

# --- quick connects ------------------------------------------------------------
start_view quick-connects alice 0
shortcut ctrl+shift+k "${quick_xy[@]}"
sleep 0.5
save quick-connects

# --- settings ----------------------------------------------------------------
start_view settings alice 0
swid=$(window_shortcut ctrl+comma "${gear_xy[@]}" Settings)
sleep 1 # device list and level meter
save "$swid" settings

# --- ringing and its notification ---------------------------------------------
rings=$(ring_count)
start_view ringing alice 30
deadline=$((SECONDS + 60))
until (($(ring_count) > rings)); do
	((SECONDS < deadline)) || xs_die "ringing: no notification within 60 s"
	sleep 0.05
done
dwid=""
for ((i = 0; i < 100; i++)); do
	dwid=$(xdotool search --onlyvisible --class Dunst 2>/dev/null | head -n 1) || true
	[[ -n $dwid ]] && break
	sleep 0.05
done
[[ -n $dwid ]] || xs_die "ringing: dunst showed no popup"
sleep 1
save ringing
save "$dwid" notification

# --- tray menu -------------------------------------------------------------------
# trayhost becomes the StatusNotifierWatcher; the app (started after it)
# registers its tray icon with it, and trayhost draws the exported menu.
"$repo/bin/trayhost" >"$xs_tmp/trayhost.log" 2>&1 &
tray_pid=$!
xs_pids+=("$tray_pid")
sleep 0.5
start_view tray-menu alice 30
twid=$(xs_window "$tray_pid" "Tray menu" 30) || {
	xs_show_log "trayhost" "$xs_tmp/trayhost.log"
	xs_die "tray-menu: trayhost showed no menu"
}
# Wait for the ring so the menu shows Accept and Reject enabled.
deadline=$((SECONDS + 60))
until (($(ring_count) > rings + 1)); do
	((SECONDS < deadline)) || xs_die "tray-menu: no ring within 60 s"
	sleep 0.05
done
sleep 1.5
save "$twid" tray-menu
xs_stop "$tray_pid"

# --- on call ---------------------------------------------------------------------
# Dana opened Call quality on an earlier call (its details start folded, and
# stay as the agent leaves them), so the graphs and level meters show.
prefs="$XDG_CONFIG_HOME/fyne/io.agentdesk.app/preferences.json"
mkdir -p "$(dirname "$prefs")"
if [[ -s $prefs ]] && ! grep -q '^{ *}$' "$prefs"; then
	sed -i '1s/^{/{"callquality.open":true,/' "$prefs"
else
	echo '{"callquality.open":true}' >"$prefs"
fi
start_view on-call dana 30
wait_log 'msg="contact accepted"' 60
sleep 6 # connected, the timer running and a few seconds of call quality
# The customer pauses between sentences: wait (up to 5 s) for the level
# meters to show them speaking, a green bar (the theme's success colour)
# most of a meter long below the header, whose link indicator is green
# too. Any green at all would also catch a meter's falling tail.
for ((i = 0; i < 25; i++)); do
	box=$(find_colour 67,244,54 200)
	width=${box%%x*}
	((${width:-0} > 300)) && break
	sleep 0.2
done
save on-call

# --- chat ------------------------------------------------------------------------
start_view chat chris 30
wait_log 'msg="contact accepted"' 60
sleep 1
# The reply box sits right above the card's red End button.
box=$(find_colour 244,67,54)
[[ $box =~ ^([0-9]+)x([0-9]+)\+([0-9]+)\+([0-9]+)$ && ${BASH_REMATCH[1]} -gt 0 ]] || xs_die "chat: no End button"
xdotool mousemove --window "$wid" 170 $((BASH_REMATCH[4] - 24)) click 1 mousemove 1270 790
sleep 0.3
xdotool type --delay 20 "Sorry about that! Let me look at your account."
xdotool key Return
sleep 2.5 # the customer answers after chat_reply (1 s)
save chat

xs_log "OK: screenshots in $out"
