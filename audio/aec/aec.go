package aec

/*
#cgo pkg-config: speexdsp
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>
#include <speex/speex_resampler.h>

// The ctl calls take void*; these keep Go from passing pointers to its own
// stack variables into C.
static int aec_set_rate(SpeexEchoState *st, int rate) {
	return speex_echo_ctl(st, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
}
static int aec_pp_set_int(SpeexPreprocessState *pp, int request, int value) {
	return speex_preprocess_ctl(pp, request, &value);
}
static int aec_pp_set_echo_state(SpeexPreprocessState *pp, SpeexEchoState *st) {
	return speex_preprocess_ctl(pp, SPEEX_PREPROCESS_SET_ECHO_STATE, st);
}
// aec_resample converts one whole frame and returns how many samples it
// wrote, so Go never passes pointers to its own length variables.
static int aec_resample(SpeexResamplerState *st, const spx_int16_t *in, int n, spx_int16_t *out, int cap) {
	spx_uint32_t in_len = n, out_len = cap;
	if (speex_resampler_process_int(st, 0, in, &in_len, out, &out_len) != RESAMPLER_ERR_SUCCESS) {
		return -1;
	}
	return (int)out_len;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// Defaults: 48 kHz frames of 20 ms (one Opus frame), a 200 ms echo tail,
// and the filter run at 16 kHz: wideband speech, and a third of the work
// of running it at 48 kHz.
const (
	DefaultSampleRate   = 48000
	DefaultFrameSamples = 960
	DefaultFilterLength = 9600
	DefaultProcessRate  = 16000
)

// resampleQuality is speexdsp's "VoIP" resampler quality.
const resampleQuality = C.SPEEX_RESAMPLER_QUALITY_VOIP

// Suppression levels handed to the preprocessor, in dB (negative).
const (
	noiseSuppressDB      = -15
	echoSuppressDB       = -40
	echoSuppressActiveDB = -15
)

var (
	// ErrFrameSize reports a mic, speaker or out buffer that is not one frame.
	ErrFrameSize = errors.New("aec: buffer must hold exactly one frame")
	// ErrClosed reports use of a Canceller after Close.
	ErrClosed = errors.New("aec: canceller is closed")
)

// Config sets up a Canceller. Zero numeric fields take the defaults;
// Enabled has no default, so start from DefaultConfig to get it on.
type Config struct {
	SampleRate   int // Hz of the frames passed to Process
	FrameSamples int // samples per Process call, mono, at SampleRate
	FilterLength int // echo tail the adaptive filter covers, in samples at SampleRate
	// ProcessRate is the rate the filter and the preprocessor run at. When
	// it is below SampleRate the frames are resampled down and the result
	// back up, so the agent is sent speech band-limited to ProcessRate/2.
	ProcessRate int
	Enabled     bool // false passes the mic through untouched
}

// DefaultConfig returns 48 kHz, 20 ms frames, a 200 ms tail, the filter at
// 16 kHz, enabled.
func DefaultConfig() Config {
	return Config{
		SampleRate:   DefaultSampleRate,
		FrameSamples: DefaultFrameSamples,
		FilterLength: DefaultFilterLength,
		ProcessRate:  DefaultProcessRate,
		Enabled:      true,
	}
}

func (c Config) withDefaults() (Config, error) {
	if c.SampleRate == 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.FrameSamples == 0 {
		c.FrameSamples = DefaultFrameSamples
	}
	if c.FilterLength == 0 {
		c.FilterLength = DefaultFilterLength
	}
	if c.ProcessRate == 0 {
		c.ProcessRate = min(DefaultProcessRate, c.SampleRate)
	}
	switch {
	case c.SampleRate < 8000 || c.SampleRate > 48000:
		return c, fmt.Errorf("aec: sample rate %d Hz out of range 8000..48000", c.SampleRate)
	case c.FrameSamples <= 0 || c.FrameSamples > c.SampleRate/10:
		return c, fmt.Errorf("aec: frame of %d samples out of range 1..%d (100 ms)", c.FrameSamples, c.SampleRate/10)
	case c.FilterLength < c.FrameSamples || c.FilterLength > c.SampleRate:
		return c, fmt.Errorf("aec: filter length %d samples out of range %d (one frame)..%d (1 s)",
			c.FilterLength, c.FrameSamples, c.SampleRate)
	case c.ProcessRate < 8000 || c.ProcessRate > c.SampleRate:
		return c, fmt.Errorf("aec: process rate %d Hz out of range 8000..%d (the sample rate)", c.ProcessRate, c.SampleRate)
	case c.FrameSamples*c.ProcessRate%c.SampleRate != 0:
		return c, fmt.Errorf("aec: a frame of %d samples at %d Hz is not a whole number of samples at %d Hz",
			c.FrameSamples, c.SampleRate, c.ProcessRate)
	}
	return c, nil
}

// speexState is the C side, kept apart from Canceller so a cleanup can free
// it without holding the Canceller alive.
type speexState struct {
	echo *C.SpeexEchoState
	pre  *C.SpeexPreprocessState
	// Resamplers to ProcessRate and back; nil when it is the sample rate.
	micDown, spkDown, outUp *C.SpeexResamplerState
}

func (s speexState) destroy() {
	for _, r := range []*C.SpeexResamplerState{s.micDown, s.spkDown, s.outUp} {
		if r != nil {
			C.speex_resampler_destroy(r)
		}
	}
	if s.pre != nil {
		C.speex_preprocess_state_destroy(s.pre)
	}
	if s.echo != nil {
		C.speex_echo_state_destroy(s.echo)
	}
}

// Canceller removes the far-end signal played on the speaker from the mic
// signal. Process and Close belong to the audio goroutine; SetEnabled and
// Enabled may be called from any goroutine.
type Canceller struct {
	cfg     Config
	st      speexState
	cleanup runtime.Cleanup
	enabled atomic.Bool
	// wasEnabled is the audio goroutine's view, to reset the filter when
	// cancellation is switched back on after a pause.
	wasEnabled bool
	mic        []int16 // copy of the mic frame, so out may alias mic
	// The frames at ProcessRate, when resampling.
	micLo, spkLo, outLo []int16
}

// New allocates a Canceller; Close frees it.
func New(cfg Config) (*Canceller, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	frame := cfg.FrameSamples * cfg.ProcessRate / cfg.SampleRate
	filter := cfg.FilterLength * cfg.ProcessRate / cfg.SampleRate
	var st speexState
	st.echo = C.speex_echo_state_init(C.int(frame), C.int(filter))
	if st.echo == nil {
		return nil, fmt.Errorf("aec: speex_echo_state_init(%d, %d) failed", frame, filter)
	}
	st.pre = C.speex_preprocess_state_init(C.int(frame), C.int(cfg.ProcessRate))
	if st.pre == nil {
		st.destroy()
		return nil, fmt.Errorf("aec: speex_preprocess_state_init(%d, %d) failed", frame, cfg.ProcessRate)
	}
	if cfg.ProcessRate != cfg.SampleRate {
		for _, r := range []struct {
			st       **C.SpeexResamplerState
			from, to int
		}{
			{&st.micDown, cfg.SampleRate, cfg.ProcessRate},
			{&st.spkDown, cfg.SampleRate, cfg.ProcessRate},
			{&st.outUp, cfg.ProcessRate, cfg.SampleRate},
		} {
			var rc C.int
			*r.st = C.speex_resampler_init(1, C.spx_uint32_t(r.from), C.spx_uint32_t(r.to), resampleQuality, &rc)
			if *r.st == nil {
				st.destroy()
				return nil, fmt.Errorf("aec: resampler %d to %d Hz: speexdsp returned %d", r.from, r.to, int(rc))
			}
		}
	}
	steps := []struct {
		what string
		rc   C.int
	}{
		{"set echo sample rate", C.aec_set_rate(st.echo, C.int(cfg.ProcessRate))},
		{"attach echo state", C.aec_pp_set_echo_state(st.pre, st.echo)},
		{"enable noise suppression", C.aec_pp_set_int(st.pre, C.SPEEX_PREPROCESS_SET_DENOISE, 1)},
		{"set noise suppression", C.aec_pp_set_int(st.pre, C.SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, noiseSuppressDB)},
		{"set echo suppression", C.aec_pp_set_int(st.pre, C.SPEEX_PREPROCESS_SET_ECHO_SUPPRESS, echoSuppressDB)},
		{"set active echo suppression", C.aec_pp_set_int(st.pre, C.SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE, echoSuppressActiveDB)},
		{"disable AGC", C.aec_pp_set_int(st.pre, C.SPEEX_PREPROCESS_SET_AGC, 0)},
		{"disable dereverb", C.aec_pp_set_int(st.pre, C.SPEEX_PREPROCESS_SET_DEREVERB, 0)},
	}
	for _, s := range steps {
		if s.rc != 0 {
			st.destroy()
			return nil, fmt.Errorf("aec: %s: speexdsp returned %d", s.what, int(s.rc))
		}
	}
	c := &Canceller{cfg: cfg, st: st, mic: make([]int16, cfg.FrameSamples), wasEnabled: cfg.Enabled}
	if st.micDown != nil {
		c.micLo, c.spkLo, c.outLo = make([]int16, frame), make([]int16, frame), make([]int16, frame)
	}
	c.enabled.Store(cfg.Enabled)
	c.cleanup = runtime.AddCleanup(c, speexState.destroy, st)
	return c, nil
}

// Config returns the settings with defaults filled in; Enabled is the
// value at New.
func (c *Canceller) Config() Config { return c.cfg }

// SetEnabled switches cancellation on or off from the next frame on.
// Switching it back on restarts adaptation.
func (c *Canceller) SetEnabled(on bool) { c.enabled.Store(on) }

// Enabled reports whether Process cancels echo.
func (c *Canceller) Enabled() bool { return c.enabled.Load() }

// Process writes to out the mic frame with the echo of speaker removed.
// speaker is the far-end frame played out at the time mic was captured.
// All three hold exactly FrameSamples; out may be mic itself.
func (c *Canceller) Process(mic, speaker, out []int16) error {
	n := c.cfg.FrameSamples
	if len(mic) != n || len(speaker) != n || len(out) != n {
		return fmt.Errorf("%w of %d samples: mic %d, speaker %d, out %d",
			ErrFrameSize, n, len(mic), len(speaker), len(out))
	}
	if c.st.echo == nil {
		return ErrClosed
	}
	on := c.enabled.Load()
	if !on {
		c.wasEnabled = false
		copy(out, mic)
		return nil
	}
	if c.st.micDown == nil {
		c.restart()
		copy(c.mic, mic)
		c.cancel(c.mic, speaker, out)
		return nil
	}
	c.cancelDown(mic, speaker, c.outLo)
	resample(c.st.outUp, c.outLo, out)
	return nil
}

// DownFrameSamples is the length of the frames ProcessDown writes: one
// frame at ProcessRate.
func (c *Canceller) DownFrameSamples() int {
	return c.cfg.FrameSamples * c.cfg.ProcessRate / c.cfg.SampleRate
}

// ProcessDown is Process leaving the result at ProcessRate, in
// DownFrameSamples samples, for an encoder that takes that rate: the frame
// is not resampled back up, and the encoder does not resample it down
// again. mic and speaker hold FrameSamples, and out must not overlap mic.
// With cancellation off it only resamples the mic.
func (c *Canceller) ProcessDown(mic, speaker, out []int16) error {
	n, low := c.cfg.FrameSamples, c.DownFrameSamples()
	if len(mic) != n || len(speaker) != n || len(out) != low {
		return fmt.Errorf("%w of %d samples in and %d out: mic %d, speaker %d, out %d",
			ErrFrameSize, n, low, len(mic), len(speaker), len(out))
	}
	if c.st.echo == nil {
		return ErrClosed
	}
	if c.st.micDown == nil {
		return c.Process(mic, speaker, out)
	}
	if !c.enabled.Load() {
		c.wasEnabled = false
		resample(c.st.micDown, mic, out)
		return nil
	}
	c.cancelDown(mic, speaker, out)
	return nil
}

// cancelDown takes mic and speaker down to ProcessRate and writes the
// cancelled frame, still at ProcessRate, to out.
func (c *Canceller) cancelDown(mic, speaker, out []int16) {
	c.restart()
	resample(c.st.micDown, mic, c.micLo)
	resample(c.st.spkDown, speaker, c.spkLo)
	c.cancel(c.micLo, c.spkLo, out)
}

// restart resets the filter and the resamplers when cancellation has just
// been switched back on, so it adapts afresh.
func (c *Canceller) restart() {
	if !c.wasEnabled {
		C.speex_echo_state_reset(c.st.echo)
		for _, r := range []*C.SpeexResamplerState{c.st.micDown, c.st.spkDown, c.st.outUp} {
			if r != nil {
				C.speex_resampler_reset_mem(r)
			}
		}
		c.wasEnabled = true
	}
}

// cancel runs the filter and the preprocessor on one frame at ProcessRate.
func (c *Canceller) cancel(mic, speaker, out []int16) {
	C.speex_echo_cancellation(c.st.echo,
		(*C.spx_int16_t)(unsafe.Pointer(&mic[0])),
		(*C.spx_int16_t)(unsafe.Pointer(&speaker[0])),
		(*C.spx_int16_t)(unsafe.Pointer(&out[0])))
	C.speex_preprocess_run(c.st.pre, (*C.spx_int16_t)(unsafe.Pointer(&out[0])))
}

// resample converts in to exactly len(out) samples. At a whole-number
// ratio speexdsp writes exactly that many; should it ever write fewer, the
// rest is silence rather than a stale sample.
func resample(st *C.SpeexResamplerState, in, out []int16) {
	n := C.aec_resample(st, (*C.spx_int16_t)(unsafe.Pointer(&in[0])), C.int(len(in)),
		(*C.spx_int16_t)(unsafe.Pointer(&out[0])), C.int(len(out)))
	clear(out[max(int(n), 0):])
}

// Close frees the speexdsp state. It is safe to call more than once but
// not concurrently with Process.
func (c *Canceller) Close() error {
	if c.st.echo == nil {
		return nil
	}
	c.cleanup.Stop()
	c.st.destroy()
	c.st = speexState{}
	return nil
}
