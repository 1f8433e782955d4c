// Package quickconnect is a searchable list of quick connects (phone
// numbers, agents and queues) to call, transfer to or consult.
package quickconnect

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/agentdesk/agentdesk/core"
	"github.com/agentdesk/agentdesk/ui/i18n"
)

// Options configures a List.
type Options struct {
	// OnPick is called with the endpoint whose row was tapped.
	OnPick func(core.Endpoint)
}

// List is a search box over a list of quick connects.
type List struct {
	Search *widget.Entry
	List   *widget.List
	Status *widget.Label

	opts         Options
	all          []core.Endpoint
	transferring bool
	shown        []core.Endpoint
	content      fyne.CanvasObject
}

// New builds an empty list.
func New(opts Options) *List {
	l := &List{opts: opts}
	l.Search = widget.NewEntry()
	l.Search.SetPlaceHolder(lang.L("Search quick connects"))
	l.Search.OnChanged = func(string) { l.filter() }
	l.Status = widget.NewLabel("")
	l.Status.Hide()
	l.List = widget.NewList(
		func() int { return len(l.shown) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewLabel(""), name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(l.shown) {
				return
			}
			name, kind := rowLabels(o)
			e := l.shown[id]
			name.SetText(e.Name)
			kind.SetText(Describe(e))
		},
	)
	l.List.OnSelected = func(id widget.ListItemID) {
		l.List.UnselectAll()
		if id < 0 || id >= len(l.shown) {
			return
		}
		if l.opts.OnPick != nil {
			l.opts.OnPick(l.shown[id])
		}
	}
	// The list scrolls within a fixed height, under its search box.
	list := container.New(fixedHeight(200), l.List)
	l.content = container.NewVBox(l.Search, l.Status, list)
	return l
}

func rowLabels(o fyne.CanvasObject) (name, kind *widget.Label) {
	c := o.(*fyne.Container)
	for _, obj := range c.Objects {
		lb := obj.(*widget.Label)
		if name == nil {
			name = lb
		} else {
			kind = lb
		}
	}
	return name, kind
}

// Content is the view: search box and list.
func (l *List) Content() fyne.CanvasObject { return l.content }

// Set replaces the endpoints. Unless transferring an active contact, only
// phone numbers are listed: agents and queues are transfer targets.
func (l *List) Set(endpoints []core.Endpoint, transferring bool) {
	l.all = l.all[:0:0]
	seen := map[core.Endpoint]bool{}
	for _, e := range endpoints {
		if !seen[e] { // a quick connect of two queues comes twice
			seen[e] = true
			l.all = append(l.all, e)
		}
	}
	l.transferring = transferring
	l.filter()
}

// SetStatus shows a line above the list (loading, or what went wrong); ""
// hides it.
func (l *List) SetStatus(text string) {
	l.Status.SetText(text)
	if text == "" {
		l.Status.Hide()
	} else {
		l.Status.Show()
	}
}

// Shown is the endpoints listed now, in order.
func (l *List) Shown() []core.Endpoint { return append([]core.Endpoint(nil), l.shown...) }

// Pick acts as tapping the listed row at i.
func (l *List) Pick(i int) { l.List.Select(i) }

// PickName acts as tapping the listed row named name; it reports whether
// there was one.
func (l *List) PickName(name string) bool {
	for i, e := range l.shown {
		if e.Name == name {
			l.Pick(i)
			return true
		}
	}
	return false
}

func (l *List) filter() {
	q := strings.ToLower(strings.TrimSpace(l.Search.Text))
	l.shown = l.shown[:0:0]
	for _, e := range l.all {
		if !l.transferring && e.Type != core.EndpointPhoneNumber {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(e.Name), q) {
			continue
		}
		l.shown = append(l.shown, e)
	}
	l.List.UnselectAll()
	l.List.Refresh()
}

// Describe is a row's type column: "phone" and its number, "agent" or "queue".
func Describe(e core.Endpoint) string {
	switch e.Type {
	case core.EndpointPhoneNumber:
		if e.PhoneNumber != "" {
			return lang.L("phone") + " " + i18n.PhoneNumber(e.PhoneNumber)
		}
		return lang.L("phone")
	case core.EndpointAgent:
		return lang.L("agent")
	case core.EndpointQueue:
		return lang.L("queue")
	}
	return string(e.Type)
}

// fixedHeight lays its objects over its whole area and asks for this
// height, and only as much width as they need, so a narrow window fits.
type fixedHeight float32

func (h fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, float32(h))
}

func (fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
