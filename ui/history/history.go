// Package history is the list of the agent's recent contacts of this
// session (channel, customer, queue, outcome, duration), fed by a
// core/recent Recorder. It calls no fyne.Do itself: the caller passes it.
package history

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/core/recent"
	"github.com/agentdesk/agentdesk/ui/i18n"
	"github.com/agentdesk/agentdesk/ui/namenumber"
)

// Options configure a View.
type Options struct {
	// Do runs UI work from other goroutines; fyne.Do when nil.
	Do func(func())
}

// View lists the recorder's entries, newest first.
type View struct {
	List  *widget.List
	Empty *widget.Label

	rec     *recent.Recorder
	do      func(func())
	entries []recent.Entry
	unsub   func()
	listBox *fyne.Container // the list at a fixed height; hidden while empty
	content fyne.CanvasObject
}

// Row is what one row of the list shows.
type Row struct {
	Who      string // the customer's name (their number when they have none), or a task's name
	Number   string // the customer's number beside their name; empty for chats and tasks
	Detail   string // channel, queue and the time it ended
	Outcome  string
	Duration string
	Bad      bool // missed, rejected, failed or abandoned: shown in red
}

// New builds the list and follows rec.
func New(rec *recent.Recorder, opts Options) *View {
	v := &View{rec: rec, do: opts.Do}
	if v.do == nil {
		v.do = fyne.Do
	}
	v.Empty = widget.NewLabel(lang.L("No contacts yet in this session."))
	v.List = widget.NewList(
		func() int { return len(v.entries) },
		newRowObject,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(v.entries) {
				setRowObject(o, RowOf(v.entries[id]))
			}
		},
	)
	v.List.OnSelected = func(widget.ListItemID) { v.List.UnselectAll() }
	// The list is as wide as the panel and shows about three rows.
	tall := canvas.NewRectangle(color.Transparent)
	tall.SetMinSize(fyne.NewSize(0, 220))
	v.listBox = container.NewStack(tall, v.List)
	v.content = container.NewVBox(v.Empty, v.listBox)
	v.unsub = rec.OnChange(func() { v.do(v.Reload) })
	v.Reload()
	return v
}

// Content is the view.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Close stops following the recorder.
func (v *View) Close() { v.unsub() }

// Reload shows the recorder's entries as they are now. Call it on the UI
// thread.
func (v *View) Reload() {
	v.entries = v.rec.Entries()
	if len(v.entries) == 0 {
		v.Empty.Show()
		v.listBox.Hide()
	} else {
		v.Empty.Hide()
		v.listBox.Show()
	}
	v.List.Refresh()
}

// Rows are the rows listed now, newest first, as rendered.
func (v *View) Rows() []Row {
	out := make([]Row, 0, len(v.entries))
	for i := range v.entries {
		o := v.List.CreateItem()
		v.List.UpdateItem(i, o)
		out = append(out, rowFromObject(o))
	}
	return out
}

// RowOf is how an entry reads in the list.
func RowOf(e recent.Entry) Row {
	who, number := e.Customer, ""
	// A chat has no phone number to show, whatever its endpoint held.
	if n := i18n.PhoneNumber(e.Number); n != "" && (e.Channel != core.ContactTypeChat || who == "") {
		if who == "" {
			who = n
		} else {
			number = n
		}
	}
	if who == "" {
		who = lang.L("Unknown")
	}
	detail := channelName(e.Channel, e.Inbound)
	if e.Queue != "" {
		detail += " · " + e.Queue
	}
	if !e.End.IsZero() {
		detail += " · " + e.End.Local().Format("15:04")
	}
	outcome := OutcomeName(e.Outcome)
	if e.Outcome == recent.Transferred && e.TransferredTo != "" {
		outcome = lang.L("Transferred to {{.Name}}", map[string]any{"Name": e.TransferredTo})
	}
	return Row{Who: who, Number: number, Detail: detail, Outcome: outcome, Duration: i18n.Duration(e.Duration),
		Bad: e.Outcome != recent.Handled && e.Outcome != recent.Transferred}
}

// OutcomeName is an outcome as the agent reads it.
func OutcomeName(o recent.Outcome) string {
	switch o {
	case recent.Handled:
		return lang.L("Handled")
	case recent.Transferred:
		return lang.L("Transferred")
	case recent.Missed:
		return lang.L("Missed")
	case recent.Rejected:
		return lang.L("Rejected")
	case recent.Failed:
		return lang.L("Failed")
	case recent.Abandoned:
		return lang.L("Caller hung up")
	}
	return string(o)
}

func channelName(t core.ContactType, inbound bool) string {
	switch t {
	case core.ContactTypeVoice:
		if inbound {
			return lang.L("Inbound call")
		}
		return lang.L("Outbound call")
	}
	return i18n.Channel(t)
}

// A row is two lines: who and their number, and on the right the
// duration; then channel, queue and time, and on the right the outcome.
func newRowObject() fyne.CanvasObject {
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	dur := widget.NewLabel("")
	outcome := widget.NewLabel("")
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, dur, namenumber.New()),
		container.NewBorder(nil, nil, nil, outcome, detail),
	)
}

func rowLabels(o fyne.CanvasObject) (who *fyne.Container, dur, detail, outcome *widget.Label) {
	lines := o.(*fyne.Container).Objects
	l1, l2 := lines[0].(*fyne.Container).Objects, lines[1].(*fyne.Container).Objects
	// A Border container keeps its centre object first.
	return l1[0].(*fyne.Container), l1[1].(*widget.Label), l2[0].(*widget.Label), l2[1].(*widget.Label)
}

func setRowObject(o fyne.CanvasObject, r Row) {
	who, dur, detail, outcome := rowLabels(o)
	namenumber.Set(who, r.Who, r.Number)
	dur.SetText(r.Duration)
	detail.SetText(r.Detail)
	outcome.Importance = widget.MediumImportance
	if r.Bad {
		outcome.Importance = widget.DangerImportance
	}
	outcome.SetText(r.Outcome)
}

func rowFromObject(o fyne.CanvasObject) Row {
	who, dur, detail, outcome := rowLabels(o)
	name, number := namenumber.Texts(who)
	return Row{Who: name, Number: number, Duration: dur.Text, Detail: detail.Text, Outcome: outcome.Text,
		Bad: outcome.Importance == widget.DangerImportance}
}
