# shellcheck shell=bash
# A private desktop session for scripts that drive the real app: sourced by
# scripts/screenshot.sh, scripts/screenshots.sh and scripts/uibench.sh, which run it inside
# dbus-run-session (a private session bus).
#
# xs_init                 temp dir ($xs_tmp), throw-away HOME/XDG dirs, LANG, cleanup trap
# xs_xvfb WxH             a private Xvfb on a free display; exports DISPLAY
# xs_pulse [SINK...]      a private PulseAudio with null sinks "speaker" (the default) and SINK...
# xs_dunst                dunst, the notification server, on the session bus
# xs_app LOG ARGS...      starts $AGENTDESK_BIN ARGS, output to LOG; sets app_pid
# xs_window PID NAME [S]  waits up to S s for a visible window NAME of PID; prints its id
# xs_stop PID             TERM, wait up to 5 s, KILL; reaps it
# xs_below_header PNG     a fingerprint of the window below its header (the panels,
#                         where no timer runs while idle)
# convert                 ImageMagick's convert as an array: "${convert[@]}" ...
#
# Every process started here is stopped when the script exits.

xs_tmp="" xs_pids=() app_pid=""

if command -v magick >/dev/null 2>&1; then
	convert=(magick) # ImageMagick 7
elif [[ -x /usr/bin/convert ]]; then
	convert=(/usr/bin/convert) # Debian's ImageMagick 6, whatever else is on PATH
else
	convert=(convert)
fi

xs_below_header() { "${convert[@]}" "$1" -crop +0+90 +repage -format '%#' info:; }

xs_log() { printf '%s: %s\n' "${xs_name:-xsession}" "$*" >&2; }
xs_die() {
	printf '%s: FAILED: %s\n' "${xs_name:-xsession}" "$*" >&2
	exit 1
}

xs_stop() {
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

xs_cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	xs_stop "$app_pid"
	for ((i = ${#xs_pids[@]} - 1; i >= 0; i--)); do
		xs_stop "${xs_pids[i]}"
	done
	if [[ -n $xs_tmp ]]; then
		if [[ ${AGENTDESK_KEEP_TMP:-0} == 1 ]]; then
			xs_log "kept temp dir $xs_tmp"
		else
			rm -rf "$xs_tmp"
		fi
	fi
	exit "$rc"
}

xs_show_log() { # xs_show_log TITLE FILE
	if [[ -s $2 ]]; then
		echo "----- $1 (last 40 lines) -----" >&2
		tail -n 40 "$2" >&2
		echo "-----" >&2
	fi
}

xs_init() {
	xs_tmp="$(mktemp -d -t agentdesk-xs.XXXXXX)"
	trap xs_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkdir -p "$xs_tmp/home" "$xs_tmp/config" "$xs_tmp/data" "$xs_tmp/cache"
	mkdir -m 0700 "$xs_tmp/runtime"
	export HOME="$xs_tmp/home" XDG_CONFIG_HOME="$xs_tmp/config" XDG_DATA_HOME="$xs_tmp/data" \
		XDG_CACHE_HOME="$xs_tmp/cache" XDG_RUNTIME_DIR="$xs_tmp/runtime"
	unset LC_ALL LC_MESSAGES LANGUAGE WAYLAND_DISPLAY DISPLAY
	export LANG=en_US.UTF-8
}

xs_xvfb() {
	local geometry=$1 display="" i pid
	Xvfb -displayfd 3 -screen 0 "${geometry}x24" -nolisten tcp 3>"$xs_tmp/display" >"$xs_tmp/xvfb.log" 2>&1 &
	pid=$!
	xs_pids+=("$pid")
	for ((i = 0; i < 100; i++)); do # up to 10 s
		if [[ -s $xs_tmp/display ]]; then read -r display <"$xs_tmp/display" || true; fi
		[[ -n $display ]] && break
		kill -0 "$pid" 2>/dev/null || {
			xs_show_log "Xvfb log" "$xs_tmp/xvfb.log"
			xs_die "Xvfb exited at startup"
		}
		sleep 0.1
	done
	[[ -n $display ]] || xs_die "Xvfb did not report a display within 10 s"
	export DISPLAY=":$display"
	xdotool getdisplaygeometry >/dev/null 2>&1 || xs_die "cannot talk to Xvfb on $DISPLAY"
	xs_log "Xvfb on $DISPLAY ($geometry)"
}

xs_pulse() {
	local pid i sinks=() s
	for s in "$@"; do sinks+=(--load="module-null-sink sink_name=$s"); done
	pulseaudio --daemonize=no --exit-idle-time=-1 -n --use-pid-file=no \
		--load=module-native-protocol-unix --load="module-null-sink sink_name=speaker" "${sinks[@]}" \
		--log-target=stderr >"$xs_tmp/pulse.log" 2>&1 &
	pid=$!
	xs_pids+=("$pid")
	for ((i = 0; i < 50; i++)); do # up to 5 s
		if [[ -S $XDG_RUNTIME_DIR/pulse/native ]] && pactl info >/dev/null 2>&1; then
			pactl set-default-sink speaker
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	xs_show_log "pulseaudio log" "$xs_tmp/pulse.log"
	xs_die "the private PulseAudio did not come up"
}

xs_dunst() {
	local pid i owner
	mkdir -p "$XDG_CONFIG_HOME/dunst"
	# A plain popup at the top right, as on a typical desktop.
	cat >"$XDG_CONFIG_HOME/dunst/dunstrc" <<-'EOF'
		[global]
		    origin = top-right
		    offset = 16x16
		    width = 360
		    font = Sans 11
		    frame_width = 1
		    frame_color = "#5c6370"
		    padding = 12
		    horizontal_padding = 14
		    corner_radius = 6
		    format = "<b>%s</b>\n%b"
		    show_indicators = no
		[urgency_normal]
		    background = "#2b2d31"
		    foreground = "#e6e6e6"
		    timeout = 0
	EOF
	dunst -config "$XDG_CONFIG_HOME/dunst/dunstrc" >"$xs_tmp/dunst.log" 2>&1 &
	pid=$!
	xs_pids+=("$pid")
	for ((i = 0; i < 50; i++)); do # up to 5 s
		owner=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | awk '/boolean/ {print $2}') || true
		[[ $owner == true ]] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	xs_show_log "dunst log" "$xs_tmp/dunst.log"
	xs_die "dunst did not take org.freedesktop.Notifications"
}

xs_app() {
	local log=$1
	shift
	"$AGENTDESK_BIN" "$@" >"$log" 2>&1 &
	app_pid=$!
}

xs_window() {
	local pid=$1 name=$2 timeout=${3:-60} wid deadline
	deadline=$((SECONDS + timeout))
	while :; do
		kill -0 "$pid" 2>/dev/null || return 1
		wid=$(xdotool search --all --onlyvisible --pid "$pid" --name "$name" 2>/dev/null | head -n 1) || true
		if [[ -n $wid ]]; then
			echo "$wid"
			return 0
		fi
		((SECONDS < deadline)) || return 1
		sleep 0.05
	done
}
