// Package desktop holds AgentDesk's place on the desktop: one running
// instance per user (a second launch asks the first to show its window)
// and starting at login. It imports no Fyne and nothing of the app, so it
// builds for every OS without cgo; ui/window does the Fyne side.
package desktop
