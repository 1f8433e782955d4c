#include "cring.h"

#include <stdlib.h>
#include <string.h>

// The head of miniaudio 0.11's struct ma_device (malgo ships miniaudio.h
// but not where another module's cgo can include it). ad_bind checks that
// a freshly initialised device reads back as expected before using it.
typedef struct ad_ma_device_head {
	void *pContext;
	int32_t type;        // ma_device_type: playback 1, capture 2
	uint32_t sampleRate;
	uint32_t state;      // ma_atomic_device_state: stopped (1) after init
	void (*onData)(void *device, void *out, const void *in, uint32_t frames);
	void *onNotification;
	void *onStop;
	void *pUserData;
} ad_ma_device_head;

enum { ad_playback = 1, ad_capture = 2, ad_duplex = 3, ad_state_stopped = 1 };

ad_stream *ad_stream_new(int capacity, int capture) {
	ad_stream *s = calloc(1, sizeof *s);
	if (!s) {
		return NULL;
	}
	s->buf = calloc((size_t)capacity, sizeof(int16_t));
	if (!s->buf) {
		free(s);
		return NULL;
	}
	s->mask = (uint64_t)capacity - 1;
	s->capture = capture;
	return s;
}

void ad_stream_free(ad_stream *s) {
	if (s) {
		free(s->buf);
		free(s);
	}
}

void ad_set_live(ad_stream *s, uintptr_t device) { __atomic_store_n(&s->live, device, __ATOMIC_RELEASE); }

int ad_write(ad_stream *s, const int16_t *src, int n) {
	uint64_t head = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
	uint64_t size = s->mask + 1;
	uint64_t free_ = size - (head - __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE));
	uint64_t want = (uint64_t)n;
	if (want > free_) {
		__atomic_fetch_add(&s->overflow, want - free_, __ATOMIC_RELAXED);
		want = free_;
	}
	if (want == 0) {
		return 0;
	}
	uint64_t start = head & s->mask;
	uint64_t first = size - start < want ? size - start : want;
	memcpy(s->buf + start, src, first * sizeof *src);
	memcpy(s->buf, src + first, (want - first) * sizeof *src);
	__atomic_store_n(&s->head, head + want, __ATOMIC_RELEASE);
	return (int)want;
}

int ad_read(ad_stream *s, int16_t *dst, int n) {
	uint64_t tail = __atomic_load_n(&s->tail, __ATOMIC_RELAXED);
	uint64_t avail = __atomic_load_n(&s->head, __ATOMIC_ACQUIRE) - tail;
	uint64_t want = (uint64_t)n;
	if (want > avail) {
		__atomic_fetch_add(&s->underrun, want - avail, __ATOMIC_RELAXED);
		want = avail;
	}
	if (want == 0) {
		return 0;
	}
	uint64_t size = s->mask + 1;
	uint64_t start = tail & s->mask;
	uint64_t first = size - start < want ? size - start : want;
	memcpy(dst, s->buf + start, first * sizeof *dst);
	memcpy(dst + first, s->buf, (want - first) * sizeof *dst);
	__atomic_store_n(&s->tail, tail + want, __ATOMIC_RELEASE);
	return (int)want;
}

static void meter(ad_stream *s, const int16_t *buf, uint32_t n) {
	int32_t peak = 0;
	int64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		int32_t v = buf[i] < 0 ? -(int32_t)buf[i] : buf[i];
		if (v > peak) {
			peak = v;
		}
		sum += (int64_t)v * v;
	}
	__atomic_store_n(&s->peak, (uint32_t)peak, __ATOMIC_RELAXED);
	uint32_t held = __atomic_load_n(&s->held_peak, __ATOMIC_RELAXED);
	while ((uint32_t)peak > held &&
	       !__atomic_compare_exchange_n(&s->held_peak, &held, (uint32_t)peak, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
	}
	double ms = n ? (double)sum / n : 0;
	uint64_t bits;
	memcpy(&bits, &ms, sizeof bits);
	__atomic_store_n(&s->mean_square, bits, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->callbacks, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->frames, n, __ATOMIC_RELAXED);
}

void ad_serve(ad_stream *s, uintptr_t device, void *out, const void *in, uint32_t frames) {
	if (__atomic_load_n(&s->live, __ATOMIC_ACQUIRE) != device) {
		if (out) {
			memset(out, 0, frames * sizeof(int16_t));
		}
		return;
	}
	if (s->capture) {
		if (!in) {
			return;
		}
		ad_write(s, in, (int)frames);
		meter(s, in, frames);
		return;
	}
	if (!out) {
		return;
	}
	int16_t *buf = out;
	int got = ad_read(s, buf, (int)frames);
	memset(buf + got, 0, (frames - (uint32_t)got) * sizeof *buf);
	meter(s, buf, frames);
}

static void on_data(void *device, void *out, const void *in, uint32_t frames) {
	ad_serve(((ad_ma_device_head *)device)->pUserData, (uintptr_t)device, out, in, frames);
}

static void on_data_duplex(void *device, void *out, const void *in, uint32_t frames) {
	ad_stream *cap = ((ad_ma_device_head *)device)->pUserData;
	ad_serve(cap, (uintptr_t)device, NULL, in, frames);
	ad_serve(cap->partner, (uintptr_t)device, out, NULL, frames);
}

// looks_fresh is whether device reads back as a miniaudio device of type
// just initialised by malgo.
static int looks_fresh(ad_ma_device_head *d, int32_t type, uint32_t sample_rate) {
	return d->type == type && d->sampleRate == sample_rate &&
	       __atomic_load_n(&d->state, __ATOMIC_ACQUIRE) == ad_state_stopped && d->onData != NULL &&
	       d->pUserData == NULL;
}

int ad_bind(void *device, ad_stream *s, int capture, uint32_t sample_rate) {
	ad_ma_device_head *d = device;
	if (!looks_fresh(d, capture ? ad_capture : ad_playback, sample_rate)) {
		return -1;
	}
	d->pUserData = s;
	d->onData = on_data;
	return 0;
}

int ad_bind_duplex(void *device, ad_stream *cap, ad_stream *play, uint32_t sample_rate) {
	ad_ma_device_head *d = device;
	if (!looks_fresh(d, ad_duplex, sample_rate) || !cap->capture || play->capture) {
		return -1;
	}
	cap->partner = play;
	d->pUserData = cap;
	d->onData = on_data_duplex;
	return 0;
}
