/*
 * explore_int.h -- what the files of `layerace explore` share: the tally of an exploration and
 * its report (explore_report.c). Names: lr_exp_*.
 */
#ifndef LR_EXPLORE_INT_H
#define LR_EXPLORE_INT_H

#include <stdio.h>

#include "cli/explore.h"
#include "cli/stress_int.h"
#include "options/options.h"

#define LR_EXP_KINDS 5    /* lr_sched_kind values, FREE included */
#define LR_EXP_POLICIES 6 /* lt_policy values */

/* The tally of an exploration so far. */
typedef struct {
    uint64_t runs;                       /* runs ended (clean or not) */
    uint64_t by_kind[LR_EXP_KINDS];      /* runs per strategy */
    uint64_t by_policy[LR_EXP_POLICIES]; /* runs per policy */
    uint64_t k_sum, k_max;               /* scheduling points per run */
    uint64_t choices_sum;                /* steps with more than one runnable thread */
    uint64_t ops_sum;                    /* worker operations */
    uint64_t unmatched;                  /* runs with violations that --match passed over */
    uint64_t limited;                    /* runs stopped by --run-limit short of --ops */
    int n;                               /* controlled threads of a run */
    double elapsed_s;
    int stop_signal;          /* a stop signal ended the exploration */
    bool env_error;           /* an error of the environment or usage ended it (said above) */
    char dbpath[LR_PATH_MAX]; /* the current run's database: OUT/db-SEED or SCRATCH/db-SEED */

    /* The first failing run (found): its number, configuration, result and replay command. */
    bool found;
    int found_rc; /* lr_stress_finish's: 1 violation, 2 error */
    int found_v;  /* the violation that made it fail (--match), an index in fres->v */
    uint64_t found_run;
    lr_options *fo;
    lr_result *fres;
    char replay[8192];
} lr_exp_tally;

/* The seed, policy and strategy of run i. */
uint64_t lr_exp_run_seed(const lr_exp_options *e, uint64_t i);
int lr_exp_run_policy(const lr_exp_options *e, uint64_t i);
int lr_exp_run_kind(const lr_exp_options *e, uint64_t i);

/* The knob table (explore.c). */
const lr_knob_table *lr_exp_table(void);

/* The name of a policy. */
const char *lr_exp_policy_name(int policy);

/* The progress line on a terminal (once a second). */
void lr_exp_progress(const lr_exp_options *e, const lr_exp_tally *t);

/* The summary on fp: runs, runs/s, n, mean k, PCT's bound, and the first failing run. */
void lr_exp_summary(FILE *fp, const lr_exp_options *e, const lr_exp_tally *t);

/* The JSON report (e->json). Returns 0 or LR_EXIT_ENV after a message. */
int lr_exp_json(const lr_exp_options *e, const lr_exp_tally *t, const char *cmdline, int rc);

#endif /* LR_EXPLORE_INT_H */
