// Package dialpad holds the dial pad (number entry, keypad, country picker,
// live validation) and the DTMF keypad. It imports Fyne and phonenumbers,
// never core: the caller passes the dialable countries, the permission and
// what to do with a number.
package dialpad

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/nyaruka/phonenumbers"
)

// Options configure a dial pad.
type Options struct {
	// Countries are the ISO codes the agent may dial; the first is picked.
	Countries []string
	// CanCall is whether the agent may place outbound calls.
	CanCall bool
	// OnCall receives the E.164 number when Call is pressed; it runs on the
	// UI thread and must not block.
	OnCall func(e164 string)
}

// Pad is the dial pad view.
type Pad struct {
	Entry   *widget.Entry
	Country *widget.Select
	Keypad  *Keypad
	Call    *widget.Button
	Status  *widget.Label // the formatted number, or why it cannot be called
	Denied  *widget.Label // shown when the agent may not call

	countries []string
	isoByOpt  map[string]string
	canCall   bool
	onCall    func(string)
	check     Check
	content   fyne.CanvasObject
}

// New builds a dial pad.
func New(o Options) *Pad {
	p := &Pad{canCall: o.CanCall, onCall: o.OnCall, isoByOpt: map[string]string{}}
	var opts []string
	for _, iso := range o.Countries {
		if label, ok := CountryOption(iso); ok {
			opts = append(opts, label)
			p.isoByOpt[label] = iso
			p.countries = append(p.countries, iso)
		}
	}
	p.Entry = widget.NewEntry()
	p.Entry.SetPlaceHolder(lang.L("Number, e.g. 202 555 0123 or +44 20 7946 0000"))
	p.Entry.OnChanged = p.typed
	p.Entry.OnSubmitted = func(string) { p.call() }
	p.Country = widget.NewSelect(opts, func(string) { p.validate() })
	p.Country.PlaceHolder = lang.L("Country")
	p.Status = widget.NewLabel("")
	p.Status.Wrapping = fyne.TextWrapWord
	p.Denied = widget.NewLabel(lang.L("Your security profile does not allow outbound calls."))
	p.Denied.Importance = widget.WarningImportance
	p.Denied.Wrapping = fyne.TextWrapWord
	p.Call = widget.NewButtonWithIcon(lang.L("Call"), theme.MediaPlayIcon(), p.call)
	p.Call.Importance = widget.SuccessImportance
	p.Keypad = NewKeypad(func(key string) { p.Entry.Append(key) })
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { p.Entry.SetText("") })
	p.content = container.NewVBox(
		container.NewBorder(nil, nil, p.Country, clear, p.Entry),
		p.Status,
		p.Keypad.Content(),
		p.Denied,
		p.Call,
	)
	if len(opts) > 0 {
		p.Country.SetSelected(opts[0])
	}
	p.validate()
	return p
}

// Content is the pad's canvas object.
func (p *Pad) Content() fyne.CanvasObject { return p.content }

// Number is the number the Call button would dial.
func (p *Pad) Number() (e164 string, ok bool) { return p.check.E164, p.check.Valid }

// SetCanCall updates the outbound-call permission.
func (p *Pad) SetCanCall(can bool) {
	if can != p.canCall {
		p.canCall = can
		p.validate()
	}
}

// typed turns letters into keypad digits as they are typed or pasted.
func (p *Pad) typed(text string) {
	if digits := phonenumbers.ConvertAlphaCharactersInNumber(text); digits != text {
		p.Entry.SetText(digits) // calls typed again with no letters left
		return
	}
	p.validate()
}

func (p *Pad) validate() {
	p.check = CheckNumber(p.Entry.Text, p.isoByOpt[p.Country.Selected], p.countries)
	switch {
	case p.check.Valid:
		p.Status.Importance = widget.SuccessImportance
		p.Status.SetText(p.check.Formatted)
	case p.check.Problem != "":
		p.Status.Importance = widget.DangerImportance
		p.Status.SetText(p.check.Problem)
	default:
		p.Status.Importance = widget.MediumImportance
		p.Status.SetText("")
	}
	if p.Status.Text == "" {
		p.Status.Hide()
	} else {
		p.Status.Show()
	}
	if p.canCall {
		p.Denied.Hide()
	} else {
		p.Denied.Show()
	}
	if p.canCall && p.check.Valid {
		p.Call.Enable()
	} else {
		p.Call.Disable()
	}
}

func (p *Pad) call() {
	if !p.canCall || !p.check.Valid || p.onCall == nil {
		return
	}
	p.onCall(p.check.E164)
}

// Keys are the keypad's keys, in reading order.
var Keys = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"}

var letters = map[string]string{
	"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV", "9": "WXYZ", "0": "+",
}

// Keypad is a 12-key telephone keypad with letters under the digits.
type Keypad struct {
	buttons map[string]*widget.Button
	content *fyne.Container
}

// NewKeypad builds a keypad that calls onKey with the key's digit.
func NewKeypad(onKey func(key string)) *Keypad {
	k := &Keypad{buttons: map[string]*widget.Button{}}
	var cells []fyne.CanvasObject
	for _, key := range Keys {
		b := widget.NewButton("", func() { onKey(key) })
		k.buttons[key] = b
		digit := widget.NewLabelWithStyle(key, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		sub := widget.NewLabelWithStyle(letters[key], fyne.TextAlignCenter, fyne.TextStyle{})
		sub.SizeName = theme.SizeNameCaptionText
		face := container.NewVBox(digit, sub)
		cells = append(cells, container.NewStack(b, container.NewCenter(compact(face))))
	}
	k.content = container.NewGridWithColumns(3, cells...)
	return k
}

// compact drops the VBox's padding between the digit and its letters.
func compact(box *fyne.Container) fyne.CanvasObject {
	box.Layout = compactVBox{}
	return box
}

type compactVBox struct{}

func (compactVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - theme.InnerPadding()
	}
	return s
}

func (compactVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		m := o.MinSize()
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, m.Height))
		y += m.Height - theme.InnerPadding()
	}
}

// Button is the key's button, for tests and focus.
func (k *Keypad) Button(key string) *widget.Button { return k.buttons[key] }

// Content is the keypad's canvas object.
func (k *Keypad) Content() fyne.CanvasObject { return k.content }
