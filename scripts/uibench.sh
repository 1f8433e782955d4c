#!/usr/bin/env bash
# Measures the real app (scripts/uibench) in a private desktop and prints one
# `name: value unit` line per figure:
#
#   scripts/uibench.sh          (make uibench; also part of make bench)
#
#   launch_to_window_*      process start until its window is mapped (xev on the root window)
#   idle_cpu, idle_pss      Available, no contacts, --traffic 0, over 20 s
#   idle_no_audio_*         the same with --no-audio (no audio engine, no ringer)
#   in_call_cpu, in_call_pss  agent dana (auto-accept) on a connected Opus call, over 20 s;
#                           includes the embedded center's simulated customer (same process)
#   in_call_pss_software_gl the part of in_call_pss that is Mesa's software OpenGL (llvmpipe:
#                           libLLVM + swrast), needed only without a GPU (Xvfb)
#   in_call_agent_only_*    the same call with the center in its own process (agentdesk serve,
#                           the app logged in with --center): the app holds only the window
#                           and the agent's softphone; call-quality details folded, as a
#                           first call shows them
#   in_call_agent_only_details_open_*  the same with the details opened (the agent's saved
#                           choice): the level meters redraw the window four times a second
#   offer_to_notification_* the center's "contact offered" log line to the Notify call on the bus
#   offer_to_ringtone_*     the same to the first 10 ms of ringtone in the ringer sink's monitor
#   fyne_one_label_pss*     scripts/uibench/fyneref: a window with one label on the same Fyne,
#                           the floor any Fyne window starts from here
#
# The desktop: Xvfb, a session bus (dbus-run-session), PulseAudio with null
# sinks "speaker" (default) and "ringer" (the app's ringer device, set in its
# saved preferences), dunst; throw-away HOME/XDG dirs. The app runs on
# scripts/screenshots/instance.toml with fixed seeds.
#
# Environment: AGENTDESK_BIN (skip `make build`), AGENTDESK_KEEP_TMP=1 (keep
# logs), UIBENCH_FLAGS (extra uibench flags, e.g. "-idle 60s -rings 9").
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
repo="$(cd "$(dirname "$self")/.." && pwd)"
xs_name=uibench.sh
# shellcheck source=scripts/xsession.sh
source "$repo/scripts/xsession.sh"

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH" # as the Makefile does

if [[ -z ${_AGENTDESK_UIBENCH_INNER:-} ]]; then
	cd "$repo"
	"$repo/scripts/deps.sh" test
	if [[ -z ${AGENTDESK_BIN:-} ]]; then
		xs_log "building bin/agentdesk (make build)"
		make --no-print-directory build >&2
		AGENTDESK_BIN="$repo/bin/agentdesk"
	fi
	[[ $AGENTDESK_BIN == /* ]] || AGENTDESK_BIN="$repo/$AGENTDESK_BIN"
	[[ -x $AGENTDESK_BIN ]] || xs_die "no executable at $AGENTDESK_BIN"
	go build -o "$repo/bin/uibench" ./scripts/uibench
	go build -modfile "$(scripts/fynepatch.sh)" -tags migrated_fynedo -o "$repo/bin/fyneref" ./scripts/uibench/fyneref
	export AGENTDESK_BIN _AGENTDESK_UIBENCH_INNER=1
	exec dbus-run-session -- "$self"
fi

cd "$repo"
xs_init
xs_xvfb 1280x800
xs_pulse ringer
xs_dunst
# The ringer on its own sink, so its sound can be told from the call's.
mkdir -p "$XDG_CONFIG_HOME/fyne/io.agentdesk.app"
echo '{"device.ringer":"ringer"}' >"$XDG_CONFIG_HOME/fyne/io.agentdesk.app/preferences.json"

read -r -a flags <<<"${UIBENCH_FLAGS:-}"
"$repo/bin/uibench" -bin "$AGENTDESK_BIN" -reference "$repo/bin/fyneref" -instance "$repo/scripts/screenshots/instance.toml" \
	-tmp "$xs_tmp" "${flags[@]}"
