// Package callquality is the live call-quality panel of a voice contact:
// sparklines of jitter, packet loss and round-trip time over the last
// minute, the microphone and speaker levels, and a warning on one-way
// audio. It reads the softphone through Source and does not import the
// audio packages; the caller redraws it once a second while the call is up
// (Update) and moves the level meters about ten times a second (Levels).
package callquality

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/ui/levelmeter"
)

// Sample is one second of a call's quality.
type Sample struct {
	Jitter          time.Duration // interarrival jitter of what the agent hears
	RTT             time.Duration // round-trip time
	PacketsReceived uint64        // since the call began
	PacketsLost     int64         // since the call began
	OneWay          bool          // connected, but nothing heard for a few seconds
}

// Source is the softphone as the panel reads it.
type Source interface {
	// Quality is a contact's call quality, one sample a second, oldest
	// first: at most the last n seconds. Nil when it has no call.
	Quality(contactID string, n int) []Sample
	// InputLevel and OutputLevel are the microphone and speaker levels in
	// dBFS (0 is full scale): the loudest since the previous read.
	InputLevel() float64
	OutputLevel() float64
}

// Window is how many seconds the sparklines show.
const Window = 60

// Thresholds above which a figure is shown as a warning.
const (
	jitterWarn = 30 * time.Millisecond
	lossWarn   = 3.0 // percent
	rttWarn    = 300 * time.Millisecond
)

// View is one call's panel.
type View struct {
	Jitter, Loss, RTT             *Sparkline
	JitterText, LossText, RTTText *widget.Label
	Mic, Speaker                  *levelmeter.Meter
	Warning                       *widget.Label
	Toggle                        *widget.Button // shows or hides the details
	Details                       *fyne.Container
	// OnToggle, when set, is called with the new state after the agent
	// opens or folds the details with Toggle.
	OnToggle  func(open bool)
	src       Source
	contactID string
	content   fyne.CanvasObject
}

// New builds the panel of a contact's call; details start open.
func New(src Source, contactID string) *View {
	v := &View{src: src, contactID: contactID}
	v.Jitter = NewSparkline(Window, float64(jitterWarn/time.Millisecond))
	v.Loss = NewSparkline(Window, lossWarn)
	v.RTT = NewSparkline(Window, float64(rttWarn/time.Millisecond))
	v.JitterText, v.LossText, v.RTTText = widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{v.JitterText, v.LossText, v.RTTText} {
		l.SizeName = theme.SizeNameCaptionText
	}
	v.Mic, v.Speaker = levelmeter.New(), levelmeter.New()
	v.Warning = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Warning.Importance = widget.DangerImportance
	v.Warning.Wrapping = fyne.TextWrapWord
	v.Warning.Hide()
	cell := func(label *widget.Label, s *Sparkline) fyne.CanvasObject {
		return container.NewVBox(label, s)
	}
	caption := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.SizeName = theme.SizeNameCaptionText
		return l
	}
	meters := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, caption(lang.L("Mic")), nil, v.Mic),
		container.NewBorder(nil, nil, caption(lang.L("Speaker")), nil, v.Speaker))
	v.Details = container.NewVBox(
		container.NewGridWithColumns(3, cell(v.JitterText, v.Jitter), cell(v.LossText, v.Loss), cell(v.RTTText, v.RTT)),
		meters)
	v.Toggle = widget.NewButtonWithIcon(lang.L("Call quality"), theme.MenuDropUpIcon(), v.toggle)
	v.Toggle.Importance = widget.LowImportance
	v.Toggle.Alignment = widget.ButtonAlignLeading
	v.content = container.NewVBox(v.Warning, v.Toggle, v.Details)
	v.Update()
	v.Levels(0)
	return v
}

// Content is the panel.
func (v *View) Content() fyne.CanvasObject { return v.content }

func (v *View) toggle() {
	v.SetOpen(!v.Open())
	if v.OnToggle != nil {
		v.OnToggle(v.Open())
	}
}

// Open reports whether the details (graphs and level meters) show.
func (v *View) Open() bool { return v.Details.Visible() }

// SetOpen shows or folds the details. Folded, the panel is the Call
// quality button and the one-way warning, and Update draws no graphs:
// the window then has nothing to redraw between its one-second timers.
// Opened, the details show the call as it is now.
func (v *View) SetOpen(open bool) {
	if open == v.Open() {
		return
	}
	if open {
		v.Details.Show()
		v.Toggle.SetIcon(theme.MenuDropUpIcon())
		v.Update()
		v.Levels(0)
	} else {
		v.Details.Hide()
		v.Toggle.SetIcon(theme.MenuDropDownIcon())
	}
}

// Update reads the source and redraws what changed: the one-way warning
// always, the graphs and figures while the details are open. Call it on
// the UI thread, once a second while the call is up, and not otherwise.
func (v *View) Update() {
	samples := v.src.Quality(v.contactID, Window+1) // one more, for the first loss figure
	oneWay := len(samples) > 0 && samples[len(samples)-1].OneWay
	if oneWay {
		v.Warning.SetText(lang.L("One-way audio: nothing heard from the other side for a few seconds. They may not hear you either; check your network, or call back."))
		v.Warning.Show()
	} else if v.Warning.Visible() {
		v.Warning.Hide()
	}
	if !v.Open() {
		return
	}
	jitter, loss, rtt := Series(samples)
	v.Jitter.SetValues(jitter)
	v.Loss.SetValues(loss)
	v.RTT.SetValues(rtt)
	setFigure(v.JitterText, lang.L("Jitter"), jitter, "%.0f ms", float64(jitterWarn/time.Millisecond))
	setFigure(v.LossText, lang.L("Loss"), loss, "%.1f %%", lossWarn)
	// No round trip is 0 ms: a zero is RTT not measured yet (the far end
	// has sent no receiver report), shown as a dash.
	rttShown := rtt
	if len(rtt) > 0 && rtt[len(rtt)-1] == 0 {
		rttShown = nil
	}
	setFigure(v.RTTText, lang.L("RTT"), rttShown, "%.0f ms", float64(rttWarn/time.Millisecond))
}

// LevelInterval is how often the caller should call Levels: four redraws a
// second keep speech moving on the meters; each redraw of the window costs
// CPU for the whole call.
const LevelInterval = 250 * time.Millisecond

// Levels reads the microphone and speaker levels, elapsed after the last
// read. The meters rise at once and fall back slowly, so that speech shows
// as a moving level.
func (v *View) Levels(elapsed time.Duration) {
	v.Mic.Fall(v.src.InputLevel(), elapsed)
	v.Speaker.Fall(v.src.OutputLevel(), elapsed)
}

// Series turns samples into the sparklines' values, oldest first: jitter
// and RTT in milliseconds, and the share of packets lost in each second, in
// percent (one value fewer than samples).
func Series(samples []Sample) (jitter, loss, rtt []float64) {
	if len(samples) == 0 {
		return nil, nil, nil
	}
	// The first sample only serves as the base of the first loss figure,
	// unless it is all there is.
	from := 1
	if len(samples) == 1 {
		from = 0
	}
	for i := from; i < len(samples); i++ {
		s := samples[i]
		jitter = append(jitter, float64(s.Jitter)/float64(time.Millisecond))
		rtt = append(rtt, float64(s.RTT)/float64(time.Millisecond))
		if i == 0 {
			continue
		}
		p := samples[i-1]
		got := float64(s.PacketsReceived) - float64(p.PacketsReceived)
		lost := float64(s.PacketsLost - p.PacketsLost)
		pct := 0.0
		if lost > 0 && got+lost > 0 {
			pct = 100 * lost / (got + lost)
		}
		loss = append(loss, pct)
	}
	return jitter, loss, rtt
}

// setFigure shows a series' latest value, as a warning above warn.
func setFigure(l *widget.Label, name string, values []float64, format string, warn float64) {
	text := name + " –"
	imp := widget.MediumImportance
	if len(values) > 0 {
		last := values[len(values)-1]
		text = name + " " + fmt.Sprintf(format, last)
		if last > warn {
			imp = widget.WarningImportance
		}
	}
	if l.Text != text || l.Importance != imp {
		l.Importance = imp
		l.SetText(text)
	}
}
