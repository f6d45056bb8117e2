/*
 * clock.h -- the harness's one clock: monotonic time in nanoseconds, milliseconds and seconds,
 * absolute deadlines for timed waits (pthread_cond_timedwait uses CLOCK_REALTIME), and sleeps.
 * Leaf module: calls nothing else in the harness.
 */
#ifndef LR_CLOCK_H
#define LR_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic nanoseconds since an arbitrary origin. Async-signal-safe (one clock_gettime). */
uint64_t lr_now_ns(void);
/* Monotonic milliseconds since an arbitrary origin. */
uint64_t lr_now_ms(void);
/* Monotonic seconds since an arbitrary origin, as a double (for durations in reports). */
double lr_now_s(void);
/* Seconds between an lr_now_ns() reading and now, as a double. */
double lr_seconds_since(uint64_t start_ns);
/* The CLOCK_REALTIME instant ms milliseconds from now (a pthread_cond_timedwait deadline). */
void lr_deadline_ms(struct timespec *ts, uint64_t ms);
/* Sleep ms milliseconds (restarted after a signal). */
void lr_sleep_ms(uint64_t ms);
/* Sleep us microseconds (restarted after a signal). */
void lr_sleep_us(uint64_t us);

#endif /* LR_CLOCK_H */
