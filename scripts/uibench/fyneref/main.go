// Command fyneref is the smallest Fyne app: one window with one label, on
// the same patched Fyne and GL settings as AgentDesk. uibench measures its
// memory beside the app's, as the floor any Fyne window starts from on the
// machine (with Mesa's software OpenGL, most of it is llvmpipe). It is a
// measuring tool, not part of the app.
package main

import (
	"os"

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	if _, set := os.LookupEnv("LP_NUM_THREADS"); !set {
		_ = os.Setenv("LP_NUM_THREADS", "0") // as the app does (ui/desktop.LeanSoftwareGL)
	}
	a := app.NewWithID("io.agentdesk.fyneref")
	w := a.NewWindow("AgentDesk reference")
	w.SetContent(widget.NewLabel("A Fyne window with one label"))
	w.ShowAndRun()
}
