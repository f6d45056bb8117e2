/*
 * watchdog.c -- the free-mode watchdog (watchdog.h): a thread that watches the run's progress
 * (lr_trace_beat: every operation, yield point and wait of a named thread) and, when nothing
 * moved for --watchdog seconds, reports a hang: every thread's operation, last point, wait and
 * held ranked locks, the trace if one is recorded, the repro file; then exit 1. A deadlock the
 * library's lock ranks cannot see (a condition wait against a grace period) ends here, in the run
 * or in its finish (joining a stuck thread), instead of hanging a CI job.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/watchdog.h"
#include "common/clock.h"
#include "common/exit.h"
#include "trace/trace.h"

/* Set by lr_watchdog_start before the thread starts; stop is the only field written after. */
static struct {
    pthread_t th;
    bool running;
    _Atomic bool stop;
    uint64_t limit_ms;
    const lr_options *o;
} __wd;

static void *
__watch(void *arg)
{
    uint64_t beat, last_beat = (uint64_t)-1;
    double last = lr_now_s();
    int err;

    (void)arg;
    while (!atomic_load(&__wd.stop)) {
        lr_sleep_ms(50);
        beat = atomic_load_explicit(&lr_trace_beat, memory_order_relaxed);
        if (beat != last_beat) {
            last_beat = beat;
            last = lr_now_s();
            continue;
        }
        if ((lr_now_s() - last) * 1000.0 < (double)__wd.limit_ms)
            continue;
        fflush(stdout);
        fprintf(stderr,
          "%s: watchdog: no progress for %.1f s: the run hangs (a deadlock, or a thread that "
          "never returns); every thread now:\n",
          LR_PROG, lr_now_s() - last);
        lr_trace_status_dump(stderr);
        if (lr_tracer != NULL) {
            err = lr_trace_write(__wd.o->trace_out);
            fprintf(stderr, "%s: watchdog: trace %s%s%s\n", LR_PROG, __wd.o->trace_out,
              err != 0 ? ": " : "", err != 0 ? strerror(err) : "");
        }
        fprintf(stderr, "%s: watchdog: repro file: %s (replay: %s replay %s)\n", LR_PROG,
          __wd.o->repro, LR_PROG, __wd.o->repro);
        fflush(stderr);
        _exit(LR_EXIT_FOUND);
    }
    return (NULL);
}

void
lr_watchdog_start(const lr_options *o)
{
    if (o->watchdog_ms == 0 || o->cfg.sched.kind != LR_SCHED_FREE || __wd.running)
        return;
    __wd.o = o;
    __wd.limit_ms = o->watchdog_ms;
    atomic_store(&__wd.stop, false);
    __wd.running = pthread_create(&__wd.th, NULL, __watch, NULL) == 0;
}

void
lr_watchdog_stop(void)
{
    if (!__wd.running)
        return;
    atomic_store(&__wd.stop, true);
    (void)pthread_join(__wd.th, NULL);
    __wd.running = false;
}
