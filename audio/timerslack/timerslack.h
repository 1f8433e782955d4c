#ifndef AGENTDESK_TIMERSLACK_H
#define AGENTDESK_TIMERSLACK_H

// 1 when AGENTDESK_TIMER_SLACK_US held something other than a whole number
// of microseconds from 0 to 100000, and the default was used.
extern int ad_timer_slack_env_rejected;

// The calling thread's timer slack in nanoseconds.
long ad_timer_slack_ns(void);

#endif
