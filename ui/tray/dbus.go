package tray

import (
	"github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the bus name Fyne's Linux tray registers with.
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// HasStatusNotifierWatcher reports whether the session D-Bus has a
// StatusNotifierWatcher, without which Fyne's Linux tray icon never appears.
// It is false when there is no session bus.
func HasStatusNotifierWatcher() bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has)
	return err == nil && has
}
