/*
 * clock.c -- see clock.h.
 */
#include <errno.h>

#include "common/clock.h"

uint64_t
lr_now_ns(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

uint64_t
lr_now_ms(void)
{
    return (lr_now_ns() / 1000000u);
}

double
lr_now_s(void)
{
    uint64_t ns = lr_now_ns();

    return ((double)ns / 1e9);
}

double
lr_seconds_since(uint64_t start_ns)
{
    return ((double)(lr_now_ns() - start_ns) / 1e9);
}

void
lr_deadline_ms(struct timespec *ts, uint64_t ms)
{
    (void)clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

void
lr_sleep_us(uint64_t us)
{
    struct timespec ts = {.tv_sec = (time_t)(us / 1000000u),
      .tv_nsec = (long)(us % 1000000u) * 1000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void
lr_sleep_ms(uint64_t ms)
{
    lr_sleep_us(ms * 1000u);
}
