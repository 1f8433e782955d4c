// Package desktop holds AgentDesk's place on the desktop: one running
// instance per user (a second launch brings the window forward), starting
// at login, and what closing the window does. Only closing.go uses Fyne;
// the rest imports nothing of the app.
package desktop
