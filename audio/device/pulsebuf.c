#include "pulsebuf.h"

#include <stddef.h>

#if defined(__linux__) && defined(__x86_64__)

#include <dlfcn.h>
#include <pthread.h>

// Where miniaudio 0.11 (as malgo v0.11.24 builds it for linux/amd64) keeps
// the context's backend and the device's PulseAudio objects. malgo ships
// miniaudio.h but not where another module's cgo can include it, so
// TestMiniaudioOffsets compiles these from that header and fails when a
// malgo upgrade moves them.
enum {
	ad_off_context_backend = 104, // ma_context.backend
	ad_off_device_pulse = 3424,   // ma_device.pulse: main loop, context, playback and capture streams
	ad_backend_pulseaudio = 7,    // ma_backend_pulseaudio
};

typedef struct ad_ma_pulse {
	void *mainloop;
	void *context;
	void *playback;
	void *capture;
} ad_ma_pulse;

// libpulse's, which miniaudio has already loaded.
typedef struct ad_pa_buffer_attr {
	uint32_t maxlength, tlength, prebuf, minreq, fragsize;
} ad_pa_buffer_attr;

enum { ad_pa_stream_ready = 2, ad_pa_operation_running = 0, ad_pa_operation_done = 1 };

static struct {
	int loaded; // 1 loaded, -1 libpulse's functions are not in the process
	void *(*set_buffer_attr)(void *s, const ad_pa_buffer_attr *attr, void *cb, void *userdata);
	const ad_pa_buffer_attr *(*get_buffer_attr)(void *s);
	void *(*get_context)(void *s);
	int (*get_state)(void *s);
	int (*operation_get_state)(void *o);
	void (*operation_unref)(void *o);
	int (*iterate)(void *m, int block, int *retval);
} pa;

static pthread_once_t pa_once = PTHREAD_ONCE_INIT;

// find_pa fills pa from the libpulse miniaudio loaded.
static void find_pa(void) {
	pa.loaded = -1;
	void *h = dlopen("libpulse.so.0", RTLD_NOW | RTLD_NOLOAD);
	if (!h) {
		return;
	}
	pa.set_buffer_attr = dlsym(h, "pa_stream_set_buffer_attr");
	pa.get_buffer_attr = dlsym(h, "pa_stream_get_buffer_attr");
	pa.get_context = dlsym(h, "pa_stream_get_context");
	pa.get_state = dlsym(h, "pa_stream_get_state");
	pa.operation_get_state = dlsym(h, "pa_operation_get_state");
	pa.operation_unref = dlsym(h, "pa_operation_unref");
	pa.iterate = dlsym(h, "pa_mainloop_iterate");
	if (pa.set_buffer_attr && pa.get_buffer_attr && pa.get_context && pa.get_state && pa.operation_get_state &&
	    pa.operation_unref && pa.iterate) {
		pa.loaded = 1;
	}
}

// load finds libpulse's functions once per process: each engine has its
// own worker thread, and any of them may be first. Call it only for a
// device on miniaudio's PulseAudio backend, which has loaded libpulse.
static int load(void) {
	pthread_once(&pa_once, find_pa);
	return pa.loaded;
}

// playback finds device's PulseAudio playback stream, checks that it
// reads back as one (a ready stream of the device's own PulseAudio
// context), and reads the buffer attributes the server granted it.
static int playback(void *device, ad_ma_pulse **out, const ad_pa_buffer_attr **attr) {
	void *ctx = device ? *(void **)device : NULL; // ma_device.pContext
	if (!ctx || *(int32_t *)((char *)ctx + ad_off_context_backend) != ad_backend_pulseaudio) {
		return ad_pulse_not_pulse;
	}
	if (load() != 1) {
		return ad_pulse_not_pulse;
	}
	ad_ma_pulse *p = (ad_ma_pulse *)((char *)device + ad_off_device_pulse);
	if (!p->mainloop || !p->context || !p->playback || pa.get_context(p->playback) != p->context ||
	    pa.get_state(p->playback) != ad_pa_stream_ready) {
		return ad_pulse_layout;
	}
	*attr = pa.get_buffer_attr(p->playback);
	if (!*attr) {
		return ad_pulse_failed;
	}
	*out = p;
	return ad_pulse_ok;
}

int ad_pulse_playback(void *device, uint32_t *tlength, uint32_t *minreq) {
	ad_ma_pulse *p;
	const ad_pa_buffer_attr *a;
	int rc = playback(device, &p, &a);
	if (rc != ad_pulse_ok) {
		return rc;
	}
	*tlength = a->tlength;
	*minreq = a->minreq;
	return ad_pulse_ok;
}

int ad_pulse_set_playback(void *device, uint32_t tlength, uint32_t minreq, uint32_t *got_tlength,
                          uint32_t *got_minreq) {
	ad_ma_pulse *p;
	const ad_pa_buffer_attr *cur;
	int rc = playback(device, &p, &cur);
	if (rc != ad_pulse_ok) {
		return rc;
	}
	ad_pa_buffer_attr want = *cur;
	want.tlength = tlength;
	want.minreq = minreq;
	want.prebuf = (uint32_t)-1; // the server's default: start once the target less one request is queued
	if (want.maxlength < tlength) {
		want.maxlength = tlength;
	}
	void *op = pa.set_buffer_attr(p->playback, &want, NULL, NULL);
	if (!op) {
		return ad_pulse_failed;
	}
	// The device is not started, so nothing else runs its main loop: wait
	// here as miniaudio's own start does. A lost connection cancels the
	// operation, which ends the wait.
	while (pa.operation_get_state(op) == ad_pa_operation_running) {
		if (pa.iterate(p->mainloop, 1, NULL) < 0) {
			break;
		}
	}
	int done = pa.operation_get_state(op) == ad_pa_operation_done;
	pa.operation_unref(op);
	if (!done) {
		return ad_pulse_failed;
	}
	return ad_pulse_playback(device, got_tlength, got_minreq);
}

int ad_pulse_layout_offsets(long *context_backend, long *device_pulse, int *backend_pulseaudio) {
	*context_backend = ad_off_context_backend;
	*device_pulse = ad_off_device_pulse;
	*backend_pulseaudio = ad_backend_pulseaudio;
	return 1;
}

#else

int ad_pulse_set_playback(void *device, uint32_t tlength, uint32_t minreq, uint32_t *got_tlength,
                          uint32_t *got_minreq) {
	(void)device, (void)tlength, (void)minreq, (void)got_tlength, (void)got_minreq;
	return ad_pulse_not_pulse;
}

int ad_pulse_playback(void *device, uint32_t *tlength, uint32_t *minreq) {
	(void)device, (void)tlength, (void)minreq;
	return ad_pulse_not_pulse;
}

int ad_pulse_layout_offsets(long *context_backend, long *device_pulse, int *backend_pulseaudio) {
	(void)context_backend, (void)device_pulse, (void)backend_pulseaudio;
	return 0;
}

#endif
