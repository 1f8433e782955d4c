// Command trayhost is a minimal system tray for a desktop that has none (a
// bare Xvfb): it owns org.kde.StatusNotifierWatcher on the session bus,
// takes the registration of a StatusNotifierItem such as AgentDesk's tray
// icon, reads the icon and the menu the item exports (com.canonical.dbusmenu)
// and draws them, as a panel with the icon and the menu open below it, in a
// window titled "Tray menu". scripts/screenshots.sh uses it to capture the
// real exported tray menu. It is a tool, not part of the app.
//
//	trayhost [-v]
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

const (
	watcherName = "org.kde.StatusNotifierWatcher"
	watcherPath = "/StatusNotifierWatcher"
	itemIface   = "org.kde.StatusNotifierItem"
	menuIface   = "com.canonical.dbusmenu"
)

// watcher is the StatusNotifierWatcher: it remembers the last item that
// registered.
type watcher struct {
	mu    sync.Mutex
	items []string // "busname/path"
	added chan string
}

// RegisterStatusNotifierItem is called by an item with its object path (or
// bus name); the item is the caller.
func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	id := string(sender) + service
	if !strings.HasPrefix(service, "/") {
		id = service + "/StatusNotifierItem"
	}
	w.mu.Lock()
	w.items = append(w.items, id)
	w.mu.Unlock()
	select {
	case w.added <- id:
	default:
	}
	return nil
}

// RegisterStatusNotifierHost accepts any host.
func (w *watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// entry is one node of a dbusmenu layout.
type entry struct {
	id       int32
	props    map[string]dbus.Variant
	children []entry
}

func parseLayout(v any) (entry, error) {
	s, ok := v.([]any)
	if !ok || len(s) != 3 {
		return entry{}, fmt.Errorf("layout node is %T, not (ia{sv}av)", v)
	}
	var e entry
	e.id, _ = s[0].(int32)
	e.props, _ = s[1].(map[string]dbus.Variant)
	kids, _ := s[2].([]dbus.Variant)
	for _, k := range kids {
		c, err := parseLayout(k.Value())
		if err != nil {
			return e, err
		}
		e.children = append(e.children, c)
	}
	return e, nil
}

func (e entry) str(key string) string {
	s, _ := e.props[key].Value().(string)
	return s
}

func (e entry) flag(key string, def bool) bool {
	v, ok := e.props[key]
	if !ok {
		return def
	}
	b, ok := v.Value().(bool)
	if !ok {
		return def
	}
	return b
}

// menu turns the layout into a Fyne menu, as a desktop's tray would show it.
func (e entry) menu() *fyne.Menu {
	var items []*fyne.MenuItem
	for _, c := range e.children {
		if !c.flag("visible", true) {
			continue
		}
		if c.str("type") == "separator" {
			items = append(items, fyne.NewMenuItemSeparator())
			continue
		}
		label := strings.ReplaceAll(strings.ReplaceAll(c.str("label"), "__", "\x00"), "_", "")
		label = strings.ReplaceAll(label, "\x00", "_")
		it := fyne.NewMenuItem(label, func() {})
		it.Disabled = !c.flag("enabled", true)
		if st, ok := c.props["toggle-state"].Value().(int32); ok && st == 1 {
			it.Checked = true
		}
		if len(c.children) > 0 {
			it.ChildMenu = c.menu()
		}
		items = append(items, it)
	}
	return fyne.NewMenu("", items...)
}

func (e entry) String() string {
	var b strings.Builder
	var walk func(e entry, depth int)
	walk = func(e entry, depth int) {
		fmt.Fprintf(&b, "%s%d %q type=%q enabled=%v toggle=%v\n", strings.Repeat("  ", depth), e.id,
			e.str("label"), e.str("type"), e.flag("enabled", true), e.props["toggle-state"])
		for _, c := range e.children {
			walk(c, depth+1)
		}
	}
	walk(e, 0)
	return b.String()
}

// icon reads the item's IconPixmap (ARGB32, network byte order), largest first.
func icon(obj dbus.BusObject) image.Image {
	v, err := obj.GetProperty(itemIface + ".IconPixmap")
	if err != nil {
		return nil
	}
	var best image.Image
	pix, _ := v.Value().([][]any)
	for _, p := range pix {
		if len(p) != 3 {
			continue
		}
		w, _ := p[0].(int32)
		h, _ := p[1].(int32)
		data, _ := p[2].([]byte)
		if w <= 0 || h <= 0 || len(data) < int(w*h*4) {
			continue
		}
		img := image.NewNRGBA(image.Rect(0, 0, int(w), int(h)))
		for i := 0; i < int(w*h); i++ {
			a, r, g, b := data[4*i], data[4*i+1], data[4*i+2], data[4*i+3]
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = r, g, b, a
		}
		if best == nil || img.Bounds().Dx() > best.Bounds().Dx() {
			best = img
		}
	}
	return best
}

func main() {
	verbose := flag.Bool("v", false, "print the menu layout each time it changes")
	flag.Parse()
	log.SetFlags(log.Lmicroseconds)
	log.SetPrefix("trayhost: ")

	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		log.Fatalf("no session bus: %v", err)
	}
	defer conn.Close()
	w := &watcher{added: make(chan string, 1)}
	if err := conn.Export(w, watcherPath, watcherName); err != nil {
		log.Fatal(err)
	}
	props, err := prop.Export(conn, watcherPath, prop.Map{watcherName: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
	}})
	if err != nil {
		log.Fatal(err)
	}
	node := &introspect.Node{Name: watcherPath, Interfaces: []introspect.Interface{
		introspect.IntrospectData, prop.IntrospectData,
		{Name: watcherName, Methods: introspect.Methods(w), Properties: props.Introspection(watcherName)},
	}}
	if err := conn.Export(introspect.NewIntrospectable(node), watcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		log.Fatal(err)
	}
	reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		log.Fatalf("cannot own %s (another tray is running?): %v", watcherName, err)
	}
	log.Printf("owning %s; waiting for a tray item", watcherName)

	a := app.NewWithID("io.agentdesk.trayhost")
	win := a.NewWindow("Tray menu")
	go func() {
		id := <-w.added
		if err := props.Set(watcherName, "RegisteredStatusNotifierItems", dbus.MakeVariant([]string{id})); err != nil {
			log.Printf("set RegisteredStatusNotifierItems: %v", err)
		}
		bus, path, _ := strings.Cut(id, "/")
		item := conn.Object(bus, dbus.ObjectPath("/"+path))
		log.Printf("item registered: %s", id)
		follow(conn, item, win, *verbose)
	}()
	a.Run()
}

// follow redraws the window whenever the item's menu or icon changes.
func follow(conn *dbus.Conn, item dbus.BusObject, win fyne.Window, verbose bool) {
	var last string
	for ; ; time.Sleep(300 * time.Millisecond) {
		mp, err := item.GetProperty(itemIface + ".Menu")
		if err != nil {
			log.Printf("read the item's Menu: %v", err)
			os.Exit(1)
		}
		path, _ := mp.Value().(dbus.ObjectPath)
		var rev uint32
		var raw any
		call := conn.Object(item.Destination(), path).Call(menuIface+".GetLayout", 0, int32(0), int32(-1), []string{})
		if call.Err != nil {
			log.Printf("GetLayout: %v", call.Err)
			continue
		}
		var lay struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
		if err := call.Store(&rev, &lay); err != nil {
			log.Printf("GetLayout reply: %v", err)
			continue
		}
		raw = []any{lay.ID, lay.Props, lay.Children}
		root, err := parseLayout(raw)
		if err != nil {
			log.Print(err)
			continue
		}
		img := icon(item)
		sig := root.String() + fmt.Sprint(img != nil && img.Bounds().Dx() > 0)
		if img != nil {
			sig += fmt.Sprint(img.At(img.Bounds().Dx()/2, img.Bounds().Dy()/2))
		}
		if sig == last {
			continue
		}
		last = sig
		if verbose {
			log.Printf("menu (revision %d):\n%s", rev, root)
		}
		m := root.menu()
		fyne.Do(func() { show(win, img, m) })
	}
}

// show draws a panel with the tray icon, and the menu open below it.
func show(win fyne.Window, img image.Image, m *fyne.Menu) {
	var ic fyne.CanvasObject = layout.NewSpacer()
	if img != nil {
		ci := canvas.NewImageFromImage(img)
		ci.FillMode = canvas.ImageFillContain
		ci.SetMinSize(fyne.NewSize(22, 22))
		ic = ci
	}
	panelBg := canvas.NewRectangle(color.NRGBA{0x10, 0x10, 0x12, 0xff})
	pad := canvas.NewRectangle(color.Transparent)
	pad.SetMinSize(fyne.NewSize(8, 32))
	panel := container.NewStack(panelBg, container.NewHBox(layout.NewSpacer(), container.NewCenter(ic), pad))
	menu := widget.NewMenu(m)
	body := container.NewBorder(panel, nil, nil, nil, container.NewHBox(layout.NewSpacer(), container.NewVBox(menu, layout.NewSpacer())))
	win.SetContent(body)
	size := menu.MinSize()
	win.Resize(fyne.NewSize(size.Width+120, size.Height+panel.MinSize().Height+16))
	win.Show()
}
