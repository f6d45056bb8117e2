/*
 * explore.h -- `layerace explore`: many short controlled stress runs of one small workload, each
 * with its own seed, policy and strategy, until one finds a violation, the runs are used up or
 * the time is. The failing run is left as an ordinary stress repro file with its recorded
 * schedule, so that `layerace replay FILE` repeats it exactly. Names: lr_explore_*, lr_exp_*.
 */
#ifndef LR_EXPLORE_H
#define LR_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/explore_knobs.h"
#include "common/vmatch.h"
#include "options/knob.h"

enum {
#define LR_EXP_KNOB_ENUM(id, ...) LR_EXP_KNOB_##id,
    LR_EXP_KNOBS(LR_EXP_KNOB_ENUM)
#undef LR_EXP_KNOB_ENUM
      LR_EXP_KNOB_COUNT
};

typedef struct {
    uint64_t seed;
    uint64_t runs;             /* --runs N; 0: until --duration */
    uint64_t duration_ms;      /* --duration SEC; 0: until --runs */
    unsigned scheds;           /* --sched: bit (1 << lr_sched_kind) per strategy */
    int depth;                 /* --depth D */
    unsigned policies;         /* --policy: bit (1 << lt_policy) per policy */
    int threads;               /* schema workers */
    int data_threads;          /* data workers */
    uint64_t ops;              /* worker operations per run */
    uint64_t liveness_ms;      /* each run's cfg.liveness_ms */
    uint64_t run_limit_ms;     /* a run's virtual time limit (the stress run's --duration) */
    int tables, nodes;         /* the workload's table pool and cluster size */
    int redeliver;             /* chance a follower's copy of a write is applied twice */
    int lag;                   /* chance a follower's copy of a write is held back */
    int bg;                    /* chance a leader's maintenance round is the background round */
    unsigned faults;           /* test-only defects */
    char out[LR_PATH_MAX];     /* --out DIR */
    char db_dir[LR_PATH_MAX];  /* --db-dir: "auto", "out" or a directory */
    char scratch[LR_PATH_MAX]; /* where db-SEED goes: "" under out (__finish resolves db_dir) */
    char json[LR_PATH_MAX];
    char match[LR_PATH_MAX]; /* --match TEXT: "" any violation */
    lr_vmatch match_re;      /* match compiled by __finish */
    char trace[LR_PATH_MAX]; /* --trace FILE: the failing run's trace */
    bool shrink;             /* --shrink */
    bool quiet;
    bool given[LR_EXP_KNOB_COUNT];
} lr_exp_options;

/* The entry point; argv[0] is "explore". Returns 0 clean, 1 a run failed, 2 usage or env. */
int lr_explore_main(int argc, char **argv);

#endif /* LR_EXPLORE_H */
