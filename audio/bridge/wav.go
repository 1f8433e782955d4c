package bridge

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
)

// decodeWAV reads a RIFF WAVE file of 16-bit mono PCM and returns its samples
// and sample rate. Anything else is refused: the prompts are made that way.
func decodeWAV(data []byte) (samples []int16, sampleRate int, err error) {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a RIFF WAVE file")
	}
	var haveFmt bool
	rest := data[12:]
	for len(rest) >= 8 {
		id, size := string(rest[0:4]), binary.LittleEndian.Uint32(rest[4:8])
		rest = rest[8:]
		if uint64(size) > uint64(len(rest)) {
			return nil, 0, fmt.Errorf("WAVE chunk %q claims %d bytes but only %d remain: the file is truncated", id, size, len(rest))
		}
		body := rest[:size]
		switch id {
		case "fmt ":
			if size < 16 {
				return nil, 0, fmt.Errorf("WAVE fmt chunk is %d bytes, want at least 16", size)
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			channels := binary.LittleEndian.Uint16(body[2:4])
			rate := binary.LittleEndian.Uint32(body[4:8])
			bits := binary.LittleEndian.Uint16(body[14:16])
			if format != 1 || channels != 1 || bits != 16 {
				return nil, 0, fmt.Errorf("WAVE is format %d, %d channel(s), %d bits; want 16-bit mono PCM (format 1): convert it with `sox in.wav -r 16000 -c 1 -b 16 out.wav`", format, channels, bits)
			}
			if rate == 0 || rate > 192000 {
				return nil, 0, fmt.Errorf("WAVE sample rate %d Hz is not usable", rate)
			}
			sampleRate, haveFmt = int(rate), true
		case "data":
			if !haveFmt {
				return nil, 0, errors.New("WAVE data chunk comes before its fmt chunk")
			}
			samples = make([]int16, size/2)
			for i := range samples {
				samples[i] = int16(binary.LittleEndian.Uint16(body[2*i:]))
			}
			return samples, sampleRate, nil
		}
		rest = rest[size:]
		if size%2 == 1 && len(rest) > 0 { // chunks are padded to even sizes
			rest = rest[1:]
		}
	}
	return nil, 0, errors.New("WAVE file has no data chunk")
}

// upsample3 triples the sample rate (16 kHz to 48 kHz) with a windowed-sinc
// interpolator: the original samples pass unchanged and the new ones are
// band-limited to the input's Nyquist frequency, so no images are added.
func upsample3(x []int16) []int16 {
	const (
		factor = 3
		half   = 16 * factor // taps each side of the centre
	)
	var h [2*half + 1]float64
	for i := range h {
		t := float64(i-half) / factor
		sinc := 1.0
		if t != 0 {
			sinc = math.Sin(math.Pi*t) / (math.Pi * t)
		}
		// Blackman window.
		w := 0.42 + 0.5*math.Cos(math.Pi*float64(i-half)/(half+1)) + 0.08*math.Cos(2*math.Pi*float64(i-half)/(half+1))
		h[i] = sinc * w
	}
	y := make([]int16, factor*len(x))
	for m := range y {
		// y[m] = Σ x[k]·h[m - factor·k + half] over the taps that exist.
		var acc float64
		kFrom := 0
		if m > half {
			kFrom = (m - half + factor - 1) / factor
		}
		kTo := min(len(x)-1, (m+half)/factor)
		for k := kFrom; k <= kTo; k++ {
			acc += float64(x[k]) * h[m-factor*k+half]
		}
		y[m] = saturate(int32(math.Round(acc)))
	}
	return y
}

// loadPrompts decodes every prompt in fsys (16 kHz WAV files, in name
// order) and returns them at 48 kHz.
func loadPrompts(fsys fs.FS) ([][]int16, error) {
	names, err := fs.Glob(fsys, "prompts/*.wav")
	if err != nil {
		return nil, fmt.Errorf("list prompts: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("no prompts/*.wav in the embedded assets")
	}
	slices.Sort(names)
	var out [][]int16
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read prompt %s: %w", name, err)
		}
		pcm, rate, err := decodeWAV(data)
		if err != nil {
			return nil, fmt.Errorf("prompt %s: %w", path.Base(name), err)
		}
		if rate != 16000 {
			return nil, fmt.Errorf("prompt %s is %d Hz; prompts must be 16 kHz", path.Base(name), rate)
		}
		out = append(out, upsample3(pcm))
	}
	return out, nil
}
