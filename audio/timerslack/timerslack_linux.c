// The process's timer slack, set before the Go runtime starts.
//
// Go's sysmon thread polls every 20 µs while any goroutine runs, and in a
// call goroutines run (encoding, echo cancelling, pion's packet path) a few
// hundred times a second. Each poll is a sleep and a wake-up, and on a
// virtual machine a wake-up is expensive. The kernel's default slack is
// 50 µs; at 1 ms it may fire those sleeps late and together, and a call's
// context switches fall by about 40 %. Nothing in the app needs a timer to
// be finer than that: the audio itself is clocked by the sound server.
//
// A thread takes its slack from the thread that creates it, and sysmon is
// the Go runtime's first thread, started before any Go code runs. So the
// slack is set here, in a constructor, which the C runtime calls before it
// starts Go. Real-time threads ignore slack.
#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "timerslack.h"

#define AD_DEFAULT_SLACK_US 1000UL
#define AD_MAX_SLACK_US 100000UL

int ad_timer_slack_env_rejected;

__attribute__((constructor)) static void ad_set_timer_slack(void) {
	unsigned long us = AD_DEFAULT_SLACK_US;
	const char *env = getenv("AGENTDESK_TIMER_SLACK_US");
	if (env != NULL && *env != '\0') {
		char *end;
		errno = 0;
		unsigned long v = strtoul(env, &end, 10);
		if (errno != 0 || *end != '\0' || *env == '-' || v > AD_MAX_SLACK_US) {
			ad_timer_slack_env_rejected = 1;
		} else {
			us = v;
		}
	}
	if (us != 0) { // 0: keep the slack the app was started with
		prctl(PR_SET_TIMERSLACK, us * 1000UL, 0, 0, 0);
	}
}

long ad_timer_slack_ns(void) { return (long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0); }
