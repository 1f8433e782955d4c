package main

import (
	"testing"

	"github.com/godbus/dbus/v5"
)

func node(id int32, props map[string]dbus.Variant, kids ...any) []any {
	vs := []dbus.Variant{}
	for _, k := range kids {
		vs = append(vs, dbus.MakeVariant(k))
	}
	return []any{id, props, vs}
}

// A layout as fyne.io/systray exports AgentDesk's tray menu becomes the menu
// a desktop would show: labels without mnemonics, the checked state, disabled
// items, separators, and hidden items left out.
func TestLayoutBecomesMenu(t *testing.T) {
	layout := node(0, map[string]dbus.Variant{},
		node(1, map[string]dbus.Variant{"label": dbus.MakeVariant("Available"), "enabled": dbus.MakeVariant(true),
			"toggle-type": dbus.MakeVariant("checkmark"), "toggle-state": dbus.MakeVariant(int32(1))}),
		node(2, map[string]dbus.Variant{"label": dbus.MakeVariant("_Break"), "toggle-state": dbus.MakeVariant(int32(0))}),
		node(3, map[string]dbus.Variant{"type": dbus.MakeVariant("separator")}),
		node(4, map[string]dbus.Variant{"label": dbus.MakeVariant("Accept"), "enabled": dbus.MakeVariant(false)}),
		node(5, map[string]dbus.Variant{"label": dbus.MakeVariant("Hidden"), "visible": dbus.MakeVariant(false)}),
		node(6, map[string]dbus.Variant{"label": dbus.MakeVariant("Save__As")}),
	)
	root, err := parseLayout(layout)
	if err != nil {
		t.Fatal(err)
	}
	m := root.menu()
	type want struct {
		label             string
		sep, on, disabled bool
	}
	wants := []want{{label: "Available", on: true}, {label: "Break"}, {sep: true}, {label: "Accept", disabled: true}, {label: "Save_As"}}
	if len(m.Items) != len(wants) {
		t.Fatalf("menu has %d items, want %d: %+v", len(m.Items), len(wants), m.Items)
	}
	for i, w := range wants {
		it := m.Items[i]
		if it.IsSeparator != w.sep || (!w.sep && (it.Label != w.label || it.Checked != w.on || it.Disabled != w.disabled)) {
			t.Errorf("item %d = {%q sep=%v checked=%v disabled=%v}, want %+v", i, it.Label, it.IsSeparator, it.Checked, it.Disabled, w)
		}
	}
}

func TestBadLayoutIsAnError(t *testing.T) {
	if _, err := parseLayout([]any{int32(0), "not props"}); err == nil {
		t.Fatal("a two-field node parsed without error")
	}
}
