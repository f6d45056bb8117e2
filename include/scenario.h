/*
 * scenario.h -- the scenario API: what a race scenario in races/ uses to force one interleaving
 * of liblayered's threads and to state its outcome.
 *
 * Every scenario runs twice, and both runs are tests:
 *   must-pass   the library as designed, the hook on: the scenario ends with no violation;
 *   must-detect the hazard put back (policy off, or a test-only fault injection): the scenario
 *               records a violation naming the invariant, or the process dies (a crash of the
 *               system under test, caught by the runner, which runs each scenario in a child).
 *
 * A scenario forces its interleaving with holds at the library's named yield points: the runner
 * installs a yield function; lr_sc_hold() makes the next thread that reaches a site park there
 * until lr_sc_release(). Names start with lr_sc_.
 */
#ifndef LR_SCENARIO_H
#define LR_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "layered.h"

typedef struct lr_sc lr_sc;

/* A scenario's body: returns 0 when it ran to its end, or an error code (the run is an error). */
typedef int (*lr_sc_fn)(lr_sc *sc);

typedef struct {
    const char *name;
    int default_ms;  /* its budget: a must-detect run must detect within it */
    unsigned faults; /* LT_FAULT_* the hazard needs (0: the hazard is policy off) */
    const char *summary;
    lr_sc_fn fn;
} lr_scenario;

/* The catalogue of these (races/catalogue.h) is the runner's, not the scenarios'. */

/* The run's context. */
bool lr_sc_hazard(lr_sc *sc);         /* true in the must-detect run */
lt_cluster *lr_sc_cluster(lr_sc *sc); /* opened by the runner: 3 nodes, node 0 leader */
uint64_t lr_sc_seed(lr_sc *sc);
/* reject (or `run --policy`'s) for must-pass, off for must-detect (if no fault) */
lt_policy lr_sc_policy(lr_sc *sc);
/*
 * The policy promises the next step aborts the process (assert, upstream): the runner then takes
 * the run's SIGABRT for a clean run, as upstream runs such scenarios in a subprocess.
 */
void lr_sc_expect_abort(lr_sc *sc, const char *why);

/* Record a violation: the invariant ("I5", "I1", ...: docs/CONTRACT.md) and what was seen. */
void lr_sc_violation(lr_sc *sc, const char *invariant, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
int lr_sc_violations(lr_sc *sc);
/* Check the events recorded so far (I5 overlaps, I4 stable writes by followers). */
void lr_sc_check_events(lr_sc *sc);

/* Holds at yield points. */
void lr_sc_hold(lr_sc *sc, const char *site, int node); /* node -1: any node */
/* Wait until a thread is parked at site; false after timeout_ms. */
bool lr_sc_wait_held(lr_sc *sc, const char *site, int timeout_ms);
void lr_sc_release(lr_sc *sc, const char *site);

/* A second thread running fn(arg); its return value comes back from lr_sc_join. */
typedef struct lr_sc_thread lr_sc_thread;
lr_sc_thread *lr_sc_spawn(lr_sc *sc, int (*fn)(lr_sc *sc, void *arg), void *arg);
int lr_sc_join(lr_sc_thread *t, int timeout_ms); /* ETIMEDOUT if it did not end in time */

/* Say what the scenario does, step by step (printed with the run's output). */
void lr_sc_log(lr_sc *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* LR_SCENARIO_H */
