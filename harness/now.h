/* now.h - the monotonic clock, for durations and deadlines. */
#ifndef WM_NOW_H
#define WM_NOW_H

double now_seconds(void);	/* monotonic, in seconds */

#endif
