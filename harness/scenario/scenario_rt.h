/*
 * scenario_rt.h -- the scenario runtime's state, shared by scenario_ctx.c (context, the calling
 * thread, log, errors, violations), scenario_sync.c (holds, threads, the library's yield and
 * wait hooks), scenario.c (one run, the event check) and scenario_sched.c (a run under the
 * controlled scheduler, the determinism check). Calls go down that list, never up.
 * Nothing outside those files includes it. Names: lr_sc_ is the scenario API
 * (include/scenario.h), lr_sc_ the runtime's own cross-file functions (here and in
 * scenario_int.h).
 *
 * Protocol of lr_sc.mu, the one lock of a run (a leaf: nothing is called under it that takes a
 * library lock, and the library may call into the runtime while holding its own locks):
 *   holds          armed by the script (lr_sc_hold), taken by the first thread that reaches the
 *                  site (the yield hook), released by the script (lr_sc_release); common/hold.h
 *                  under mu and cv; holds.parked counts the threads parked at them;
 *   live, blocked  how many scenario threads are not finished, blocked in a library wait (the
 *                  wait hooks); changed_ns is the last time one of them, or a hold, moved.
 *                  lr_sc_wait_held uses them to give up early when no thread can get anywhere;
 *   threads        every spawned thread, for the final join;
 *   res, error     violations and the first runtime error (any thread may record one);
 *   the step log   printed under mu so lines never interleave.
 * cv is broadcast on every change of the above. Controlled, a thread waits in the scheduler
 * instead of on cv (its predicate reads the above under mu): mu is never held across a
 * scheduling point.
 */
#ifndef LR_SCENARIO_RT_H
#define LR_SCENARIO_RT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/hold.h"
#include "sched/sched.h"
#include "scenario/scenario_int.h"
#include "stress/engine.h"
#include "stress/history.h"

struct lr_sc_thread {
    lr_sc *sc;
    int (*fn)(lr_sc *sc, void *arg);
    void *arg;
    pthread_t th;
    int id; /* its history thread id (the script is 0) */
    int rc;
    bool done, joined;
    bool waiting; /* inside a library wait (between before_block and after_block) */
    struct lr_sc_thread *next;
};

struct lr_sc {
    const lr_scenario *scn;
    bool hazard;
    lt_policy policy;
    unsigned faults;
    uint64_t seed;
    bool quiet;
    lt_cluster *cl;
    lr_history *hist;
    uint64_t start_ns;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    lr_holds holds;
    int live, blocked;
    uint64_t changed_ns;
    lr_sc_thread *threads;
    int next_id;
    lr_result res;
    char error[512];

    /* Controlled (scenario_sched.c): the scheduler of the run, NULL when free. */
    lr_sched *sched;
    const lr_sc_params *params;
    bool settled; /* the script thread's lr_sc_settle */
    char sched_summary[256];
};

/* scenario_ctx.c */
/* Record the first runtime error (the scenario then ends as an error). Takes mu. */
void lr_sc_error(lr_sc *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The calling scenario thread, or NULL for the script's own thread. */
lr_sc_thread *lr_sc_self(void);
void lr_sc_set_self(lr_sc_thread *t);

/* scenario_sync.c */
void lr_sc_yield_hook(void *arg, const char *site, int node);
void lr_sc_before_block(void *arg, const char *what, int node);
void lr_sc_after_block(void *arg, const char *what, int node);
/* Release every hold; join every thread not yet joined. False if one did not end in time. */
bool lr_sc_settle(lr_sc *sc, int timeout_ms);

/* scenario.c */
/* The report of the run so far. */
void lr_sc_report_fill(lr_sc *sc, lr_sc_report *rep);
/* One run (lr_sc_run_one) under cfg (NULL or kind free: threads run free). */
bool lr_sc_run_cfg(const lr_sc_params *p, const lr_sched_config *cfg, lr_sc_report *rep);

/* scenario_sched.c */
/* Run the script and settle on a controlled thread under a scheduler made from cfg; false if
 * the settle failed. */
bool lr_sc_run_controlled(lr_sc *sc, const lr_sched_config *cfg);

#endif /* LR_SCENARIO_RT_H */
