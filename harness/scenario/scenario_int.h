/*
 * scenario_int.h -- between the scenario runtime (scenario.c: what include/scenario.h promises a
 * scenario) and the runner (scenario_run.c: `layerace run`, one forked child per run).
 *
 * The child calls lr_sc_run_one and sends the lr_sc_report back through a pipe in one write; the
 * parent classifies the run from the report, or from the child's death when it sent none.
 */
#ifndef LR_SCENARIO_INT_H
#define LR_SCENARIO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "sched/sched.h"

/* What a run ended with, as the child saw it. */
typedef enum {
    LR_SC_CLEAN = 0, /* no violation */
    LR_SC_DETECTED,  /* at least one violation recorded */
    LR_SC_ERROR      /* the scenario could not run its script (set-up, a step, a hung thread) */
} lr_sc_status;

typedef struct {
    int status; /* lr_sc_status */
    int nviolations;
    char invariant[16]; /* of the first violation */
    char what[384];
    char error[512]; /* LR_SC_ERROR: what failed, with the library's message */
    uint64_t elapsed_ns;
    char sched[256]; /* a controlled run: the scheduler's summary (strategy, n, k, trace) */
    char check[192]; /* --check-determinism: the verdict */
    int sched_exit;  /* nonzero: the scheduler stopped the run (1 deadlock, 2 divergence) */
} lr_sc_report;

typedef struct {
    const lr_scenario *scn;
    bool hazard;      /* the must-detect run */
    lt_policy policy; /* of the must-pass run [reject] */
    uint64_t seed;
    const char *dir; /* the run's directory (exists, empty); the cluster goes in DIR/db */
    bool quiet;      /* no step log */
    /* Controlled (docs/SCHEDULER.md): NULL or kind LR_SCHED_FREE runs the threads free. */
    const lr_sched_config *sched;
    bool check_determinism; /* controlled: run twice, compare the two step traces */
    int report_fd;          /* controlled: where a run the scheduler stops sends its report */
} lr_sc_params;

/* In the run's directory when a step promised an abort (lr_sc_expect_abort). */
#define LR_SC_ABORT_FILE "expect-abort"

/*
 * lr_sc_run_one --
 *     Open the cluster (3 nodes, node 0 stepped up; policy reject, or the hazard: policy off or
 *     the scenario's faults), run the scenario, release what it left held, join its threads,
 *     check the events, close the cluster. Returns false if a thread could not be joined: the
 *     process must then exit without tearing anything down. Controlled (p->sched): the script
 *     and its threads run under the scheduler; with check_determinism twice, in DIR/db each
 *     time, the second run's steps compared with the first's (a difference stops the process
 *     after its report to report_fd).
 */
bool lr_sc_run_one(const lr_sc_params *p, lr_sc_report *rep);

/* The fault names of a LT_FAULT_* mask, comma-separated ("none" for 0). */
const char *lr_sc_fault_names(unsigned faults, char *buf, size_t len);

#endif /* LR_SCENARIO_INT_H */
