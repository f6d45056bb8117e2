/*
 * scenario_run_int.h -- between `layerace run` (scenario_run.c) and its must-detect runs through
 * layerace-faults (scenario_faults.c).
 */
#ifndef LR_SCENARIO_RUN_INT_H
#define LR_SCENARIO_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "catalogue.h"
#include "sched/sched.h"

#define LR_RUN_PATH 4096

typedef struct {
    bool want_pass, want_detect;
    uint64_t seed, seeds;
    const char *out; /* NULL: a temporary directory under $TMPDIR */
    bool quiet;
    const char *faults_bin; /* layerace-faults beside this binary, or NULL */
    lr_sched_config sched;  /* kind LR_SCHED_FREE: the threads run free */
    const char *schedule;   /* --schedule: replay it */
    bool check;             /* --check-determinism */
    lt_policy policy;       /* --policy: the must-pass run's [reject] */
    const char *trace;      /* --trace FILE: each run's trace (FILE.NAME.EXPECT.SEED.json if
                               more than one run) */
    bool trace_one;         /* exactly one run: the trace is FILE itself */
} lr_run_opts;

typedef struct {
    int runs, as_expected, not_expected, cannot, not_run, not_tsan;
} lr_tally;

/* The path of layerace-faults in the directory of the running binary, if it is there and
 * executable. */
bool lr_run_faults_beside(char *buf, size_t len);
/* One must-detect run through layerace-faults, counted in t. */
void lr_run_faults_bin(const lr_run_opts *o, const lr_scenario *scn, uint64_t seed, lr_tally *t);
/* scenario_usage.c: the usage text. */
void lr_run_usage(FILE *fp);

#endif /* LR_SCENARIO_RUN_INT_H */
