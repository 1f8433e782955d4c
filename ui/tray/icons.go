package tray

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"fyne.io/fyne/v2"
)

const iconSize = 64

var lookColors = map[Look]color.NRGBA{
	LookAvailable: {R: 0x2e, G: 0xa0, B: 0x43, A: 0xff},
	LookBusy:      {R: 0x1f, G: 0x6f, B: 0xeb, A: 0xff},
	LookRinging:   {R: 0xe0, G: 0x9b, B: 0x00, A: 0xff},
	LookOffline:   {R: 0x8c, G: 0x95, B: 0x9f, A: 0xff},
}

// DefaultIcons draws the four looks as 64x64 PNGs: a coloured disc with a
// white glyph, so they differ by shape as well as by colour.
func DefaultIcons() map[Look]fyne.Resource {
	out := make(map[Look]fyne.Resource, len(lookColors))
	for l := range lookColors {
		out[l] = drawIcon(l)
	}
	return out
}

func drawIcon(l Look) fyne.Resource {
	img := image.NewNRGBA(image.Rect(0, 0, iconSize, iconSize))
	white := color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	const c = iconSize/2 - 0.5
	for y := range iconSize {
		for x := range iconSize {
			dx, dy := float64(x)-c, float64(y)-c
			r2 := dx*dx + dy*dy
			if r2 > 30*30 {
				continue
			}
			px := lookColors[l]
			if glyph(l, dx, dy, r2) {
				px = white
			}
			img.SetNRGBA(x, y, px)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic("tray: encode icon: " + err.Error()) // an in-memory NRGBA always encodes
	}
	return fyne.NewStaticResource("agentdesk-"+l.String()+".png", buf.Bytes())
}

// glyph reports whether the point (dx, dy) from the centre is white.
func glyph(l Look, dx, dy, r2 float64) bool {
	switch l {
	case LookAvailable: // a tick
		return near(dx, dy, -12, 0, -4, 8) || near(dx, dy, -4, 8, 12, -10)
	case LookBusy: // a bar
		return dx >= -14 && dx <= 14 && dy >= -4 && dy <= 4
	case LookRinging: // a ring with a dot
		return (r2 >= 14*14 && r2 <= 19*19) || r2 <= 6*6
	}
	ax, ay := abs(dx), abs(dy) // offline: a hollow square
	return ax <= 14 && ay <= 14 && (ax >= 9 || ay >= 9)
}

// near reports whether (x, y) lies within 3 px of the segment (x1,y1)-(x2,y2).
func near(x, y, x1, y1, x2, y2 float64) bool {
	vx, vy := x2-x1, y2-y1
	t := ((x-x1)*vx + (y-y1)*vy) / (vx*vx + vy*vy)
	t = max(0, min(1, t))
	ex, ey := x1+t*vx-x, y1+t*vy-y
	return ex*ex+ey*ey <= 9
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
