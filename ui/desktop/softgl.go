package desktop

import "os"

// LeanSoftwareGL keeps Mesa's software renderer (llvmpipe: what draws the
// window where there is no GPU, as on virtual desktops, VMs and Xvfb) on
// the thread that draws, unless the user has set LP_NUM_THREADS. The window
// is small and repaints a few times a second; llvmpipe's default of one
// render thread per core costs more in thread wake-ups than it saves. Under
// Xvfb a call's whole process drops from 21.7 to 17.2 % of a core (make
// uibench with LP_NUM_THREADS=2 against unset); idle, with one frame a
// second, barely changes. Call it before the first window opens; GPU
// drivers never read the variable.
func LeanSoftwareGL() {
	if _, set := os.LookupEnv("LP_NUM_THREADS"); !set {
		_ = os.Setenv("LP_NUM_THREADS", "0")
	}
}
