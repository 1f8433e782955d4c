package tone

import "fmt"

// DTMF returns the row (low) and column (high) frequencies of a keypad digit:
// 0-9, *, #, and A-D (a-d accepted). For any other rune it returns 0, 0.
func DTMF(digit rune) (low, high float64) {
	rows := [4]float64{697, 770, 852, 941}
	cols := [4]float64{1209, 1336, 1477, 1633}
	keys := [4]string{"123A", "456B", "789C", "*0#D"}
	if digit >= 'a' && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for r, row := range keys {
		for c, k := range row {
			if k == digit {
				return rows[r], cols[c]
			}
		}
	}
	return 0, 0
}

// DTMFTone returns a continuous dual tone for digit, for local key feedback.
// amplitude is the peak of the sum as a fraction of full scale.
func DTMFTone(digit rune, amplitude float64, sampleRate int) (*Generator, error) {
	low, high := DTMF(digit)
	if low == 0 {
		return nil, fmt.Errorf("tone: %q is not a DTMF digit; use 0-9, *, #, or A-D", digit)
	}
	return DualTone(low, high, amplitude, sampleRate), nil
}
