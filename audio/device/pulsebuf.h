// Playback buffering on PulseAudio. miniaudio asks PulseAudio for a total
// playback latency (tlength) of one period and leaves the request size
// (minreq) to the server, which takes a quarter of it: at 10 ms periods the
// client thread wakes every 2.5 ms, 400 times a second, for the speaker
// alone. ad_pulse_set_playback sets the target the way libwebrtc's own
// PulseAudio module does (a 20 ms floor), so requests come every 5 ms.
#ifndef AGENTDESK_PULSEBUF_H
#define AGENTDESK_PULSEBUF_H

#include <stdint.h>

enum {
	ad_pulse_ok = 0,
	ad_pulse_not_pulse = 1, // another backend, or a platform without the layout below
	ad_pulse_layout = -1,   // the device does not read back as a PulseAudio one
	ad_pulse_failed = -2,   // the server refused or the connection failed
};

// ad_pulse_set_playback asks the server for a playback target of tlength
// bytes, requested minreq bytes at a time, on the playback stream of
// device (a miniaudio playback or duplex device, initialised and not yet
// started), and waits for the answer on the device's main loop. It then
// stores the attributes the server granted in *got_tlength and *got_minreq.
int ad_pulse_set_playback(void *device, uint32_t tlength, uint32_t minreq, uint32_t *got_tlength,
                          uint32_t *got_minreq);

// ad_pulse_playback reads the playback stream's granted attributes.
int ad_pulse_playback(void *device, uint32_t *tlength, uint32_t *minreq);

// ad_pulse_layout_offsets reports the miniaudio offsets this build uses,
// for the test that compiles them from malgo's miniaudio.h. It returns 0
// where the build has none.
int ad_pulse_layout_offsets(long *context_backend, long *device_pulse, int *backend_pulseaudio);

#endif
