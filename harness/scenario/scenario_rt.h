/*
 * scenario_rt.h -- the scenario runtime's state, shared by scenario.c (context, catalogue,
 * violations, events, log, one run) and scenario_sync.c (holds, threads, the library's yield and
 * wait hooks). Nothing outside those two files includes it. Names: lr_sc_ is the scenario API
 * (include/scenario.h), lr_sc_ the runtime's own cross-file functions (here and in
 * scenario_int.h).
 *
 * Protocol of lr_sc.mu, the one lock of a run (a leaf: nothing is called under it that takes a
 * library lock, and the library may call into the runtime while holding its own locks):
 *   holds[]        armed by the script (lr_sc_hold), taken by the first thread that reaches the
 *                  site (the yield hook), released by the script (lr_sc_release);
 *   live, parked,  how many scenario threads are not finished, parked at a hold, blocked in a
 *   blocked        library wait (the wait hooks); changed_ns is the last time one of them moved.
 *                  lr_sc_wait_held uses them to give up early when no thread can get anywhere;
 *   threads        every spawned thread, for the final join;
 *   res, error     violations and the first runtime error (any thread may record one);
 *   the step log   printed under mu so lines never interleave.
 * cv is broadcast on every change of the above.
 */
#ifndef LR_SCENARIO_RT_H
#define LR_SCENARIO_RT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "stress/engine.h"
#include "stress/history.h"
#include "common/rng.h"
#include "scenario/scenario_int.h"

#define LR_SC_HOLDS 8
#define LR_SC_SITE_MAX 48

typedef struct {
    char site[LR_SC_SITE_MAX]; /* "" when the slot is free */
    int node;                  /* -1: any node */
    bool armed;                /* the next thread at (site, node) parks */
    bool parked;               /* a thread is parked here */
    unsigned arm_gen;          /* bumped by every lr_sc_hold of the slot */
    unsigned rel_gen;          /* a thread parked under arm_gen g goes once rel_gen >= g */
} lr_sc_hold_slot;

struct lr_sc_thread {
    lr_sc *sc;
    int (*fn)(lr_sc *sc, void *arg);
    void *arg;
    pthread_t th;
    int id;            /* its history thread id (the script is 0) */
    int rc;
    bool done, joined;
    bool waiting;      /* inside a library wait (between before_block and after_block) */
    lr_rng rng;        /* its perturbation stream, from (seed, id) */
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
    lr_sc_hold_slot holds[LR_SC_HOLDS];
    int live, parked, blocked;
    uint64_t changed_ns;
    lr_sc_thread *threads;
    int next_id;
    lr_rng main_rng;   /* the script thread's perturbation stream */
    lr_result res;
    char error[512];
};

uint64_t lr_sc_now_ns(void);
/* Record the first runtime error (the scenario then ends as an error). Takes mu. */
void lr_sc_error(lr_sc *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* scenario_sync.c */
void lr_sc_yield_hook(void *arg, const char *site, int node);
void lr_sc_before_block(void *arg, const char *what, int node);
void lr_sc_after_block(void *arg, const char *what, int node);
/* Release every hold; join every thread not yet joined. False if one did not end in time. */
bool lr_sc_settle(lr_sc *sc, int timeout_ms);
/* The calling scenario thread, or NULL for the script's own thread. */
lr_sc_thread *lr_sc_self(void);

#endif /* LR_SCENARIO_RT_H */
