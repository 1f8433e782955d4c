package desktop

import "os"

// LeanSoftwareGL keeps Mesa's software renderer (llvmpipe: what draws the
// window where there is no GPU, as on virtual desktops, VMs and Xvfb) on
// the thread that draws, unless the user has set LP_NUM_THREADS. The window
// is small and repaints a few times a second; llvmpipe's default of one
// render thread per core costs more in thread wake-ups than it saves. Under
// Xvfb it takes the idle window from 2.6 to 1.7 % of a core and a call's
// from 13.7 to 10.6 % (make uibench). Call it before the first window
// opens; GPU drivers never read the variable.
func LeanSoftwareGL() {
	if _, set := os.LookupEnv("LP_NUM_THREADS"); !set {
		_ = os.Setenv("LP_NUM_THREADS", "0")
	}
}
