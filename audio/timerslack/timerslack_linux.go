package timerslack

/*
#include "timerslack.h"
*/
import "C"

import (
	"fmt"
	"os"
	"time"
)

// Current returns the calling thread's timer slack.
func Current() time.Duration { return time.Duration(C.ad_timer_slack_ns()) }

// Err says why Env was ignored, or is nil.
func Err() error {
	if C.ad_timer_slack_env_rejected == 0 {
		return nil
	}
	return fmt.Errorf("%s=%q is not a whole number of microseconds from 0 to 100000; the timer slack is %v",
		Env, os.Getenv(Env), Default)
}
