#!/usr/bin/env bash
# Checks ui/desktop/fyne-v2.8.1-flat-fill.patch on the real OpenGL painter:
# draws scripts/flatfill's window of rectangles with the patch's split on and
# off (FYNE_NO_FLAT_FILL=1), at scales 1 and 1.25, under Xvfb (Mesa's
# llvmpipe), and fails unless each pair of captures is equal pixel for pixel.
#
#   scripts/flatfill.sh        (part of make test)
#
# Environment: AGENTDESK_KEEP_TMP=1 keeps the captures and logs.
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
repo="$(cd "$(dirname "$self")/.." && pwd)"
xs_name=flatfill.sh
# shellcheck source=scripts/xsession.sh
source "$repo/scripts/xsession.sh"

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH" # as the Makefile does

if [[ -z ${_AGENTDESK_FLATFILL_INNER:-} ]]; then
	cd "$repo"
	"$repo/scripts/deps.sh" test
	xs_log "building bin/flatfill with the patched Fyne"
	go build -modfile "$(scripts/fynepatch.sh)" -o "$repo/bin/flatfill" ./scripts/flatfill
	export _AGENTDESK_FLATFILL_INNER=1
	exec dbus-run-session -- "$self"
fi

xs_init
xs_xvfb 1280x800

# start MODE SCALE LOG: the flatfill window with the split on or off.
start() {
	if [[ $1 == off ]]; then
		FYNE_SCALE=$2 FYNE_NO_FLAT_FILL=1 "$repo/bin/flatfill" >"$3" 2>&1 &
	else
		FYNE_SCALE=$2 "$repo/bin/flatfill" >"$3" 2>&1 &
	fi
	app_pid=$!
}

# capture MODE SCALE: the window drawn with the split on or off, once two
# captures in a row agree (the first frames may still be coming).
capture() {
	local mode=$1 scale=$2 out="$xs_tmp/$1-$2.png" log="$xs_tmp/$1-$2.log" prev="" sum i wid
	start "$mode" "$scale" "$log"
	if ! wid=$(xs_window "$app_pid" '^flatfill$' 30) && grep -q "failed to initialise GLFW" "$log"; then
		# Once in many CI runs GLFW could not open the display that
		# xdotool had just reached: say what the server says, try once more.
		xs_show_log "flatfill, first try" "$log"
		xs_show_log "Xvfb log" "$xs_tmp/xvfb.log"
		xdotool getdisplaygeometry >&2 || xs_log "Xvfb on $DISPLAY does not answer"
		xs_stop "$app_pid"
		start "$mode" "$scale" "$log"
		wid=$(xs_window "$app_pid" '^flatfill$' 30) || wid=""
	fi
	[[ -n ${wid:-} ]] || {
		xs_show_log "flatfill" "$log"
		xs_die "no flatfill window (split $mode, scale $scale)"
	}
	for ((i = 0; i < 20; i++)); do
		sleep 0.25
		import -window "$wid" "$out"
		sum=$(md5sum <"$out")
		[[ $sum == "$prev" ]] && break
		prev=$sum
	done
	xs_stop "$app_pid"
	app_pid=""
	echo "$out"
}

for scale in 1 1.25; do
	on=$(capture on "$scale")
	off=$(capture off "$scale")
	colours=$("${convert[@]}" "$on" -format '%k' info:)
	((colours >= 20)) || xs_die "the scene at scale $scale has $colours colours: nothing was drawn? ($on)"
	diff=$(compare -metric AE "$on" "$off" null: 2>&1) || true
	[[ $diff == 0 ]] || xs_die "at scale $scale the split draws $diff pixels unlike the shape shaders alone (keep them with AGENTDESK_KEEP_TMP=1)"
	xs_log "scale $scale: $("${convert[@]}" "$on" -format '%wx%h' info:), $colours colours, split and whole equal pixel for pixel"
done
