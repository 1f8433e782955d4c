// The device data path in C: miniaudio's callback thread copies to and from
// a lock-free single-producer single-consumer ring here and never enters Go.
// A Go callback from a foreign thread leaves a Go P parked in a "syscall"
// until the next period, which the runtime's sysmon keeps retaking: at 10 ms
// periods that cost several percent of a core in context switches alone.
#ifndef AGENTDESK_CRING_H
#define AGENTDESK_CRING_H

#include <stdint.h>

typedef struct ad_stream {
	int16_t *buf;
	uint64_t mask;
	int capture; // 1: the device writes, Go reads; 0: Go writes, the device reads

	// The device whose callbacks may touch the ring: a replaced device
	// still running its last period plays silence and leaves it alone.
	uintptr_t live;
	// For a capture ring served by a duplex device: the playback ring the
	// same device plays from.
	struct ad_stream *partner;

	char pad0[64];
	uint64_t head; // samples ever written; the producer stores
	char pad1[56];
	uint64_t tail; // samples ever read; the consumer stores
	char pad2[56];

	uint64_t overflow;    // samples a full ring dropped
	uint64_t underrun;    // samples an empty ring could not give
	uint32_t peak;        // last period's peak magnitude
	uint32_t held_peak;   // the loudest since ad_take_peak
	uint64_t mean_square; // last period's, as double bits
	uint64_t callbacks;   // periods served
	uint64_t frames;      // samples moved by the device
} ad_stream;

ad_stream *ad_stream_new(int capacity, int capture);
void ad_stream_free(ad_stream *s);
void ad_set_live(ad_stream *s, uintptr_t device);

int ad_write(ad_stream *s, const int16_t *src, int n);
int ad_read(ad_stream *s, int16_t *dst, int n);

// ad_serve is one period of the device at address device: the callback's body.
void ad_serve(ad_stream *s, uintptr_t device, void *out, const void *in, uint32_t frames);

// ad_bind makes device's callbacks run ad_serve on s instead of calling
// into Go. It returns 0, or -1 when device does not look like the
// miniaudio device this build knows (a malgo with a different miniaudio).
int ad_bind(void *device, ad_stream *s, int capture, uint32_t sample_rate);

// ad_bind_duplex does the same for a duplex device that captures into cap
// and plays from play.
int ad_bind_duplex(void *device, ad_stream *cap, ad_stream *play, uint32_t sample_rate);

#endif
