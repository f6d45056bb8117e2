/*
 * engine.h -- the stress engine: schema workers, data workers and a controller running against
 * liblayered, a seeded perturbation of the library's yield points, the history of events, the
 * oracle, and the checker. The command line (main.c, options, report) drives it through this
 * interface; names start with lr_ (harness) rather than lt_ (library).
 */
#ifndef LR_ENGINE_H
#define LR_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "layered.h"
#include "sched/sched.h"

#define LR_THREAD_OPS_MAX 64

/* The counters a --crash-every life notes to its parent ("c" notes) and the next life adds to
 * its own: what the run did across all its lives. */
enum {
    LR_PRIOR_OPS,
    LR_PRIOR_SCHEMA_OPS,
    LR_PRIOR_SCHEMA_OK,
    LR_PRIOR_DATA_OPS,
    LR_PRIOR_DATA_OK,
    LR_PRIOR_STEP_UPS,
    LR_PRIOR_STEP_DOWNS,
    LR_PRIOR_CHECKPOINTS,
    LR_PRIOR_PICKUPS,
    LR_PRIOR_GCS,
    LR_PRIOR_REJECTED,
    LR_PRIOR_WAITED,
    LR_PRIOR_RESTARTS,
    LR_PRIOR_REPLAYED,
    LR_PRIOR_HANDLED,
    LR_PRIOR_ELAPSED_MS,
    LR_PRIOR_TIMED_OUT,
    LR_PRIOR_OVERLAPPED,
    LR_PRIOR_RETRIES,
    LR_PRIOR_HISTORY_READS,
    LR_PRIOR_HISTORY_WINDOWS,
    LR_PRIOR_CHECKS,
    LR_PRIOR_EVENTS,
    LR_PRIOR_HOOK_ADMITTED,
    LR_PRIOR_HOOK_TRANSITIONS,
    LR_PRIOR_HOOK_WAIT_NS,
    LR_PRIOR_REDELIVERED,
    LR_PRIOR_LAGGED,
    LR_PRIOR_LAG_LATE,
    LR_PRIOR_LAG_COVERED,
    LR_PRIOR_BG_CHECKPOINTS,
    LR_PRIOR_INJECTED, /* LT_WTF_KINDS values, by lt_wtf_kind */
    LR_PRIOR_N = LR_PRIOR_INJECTED + LT_WTF_KINDS
};

/* One run's configuration: every field has a knob (knobs.h) read from defaults, CLI or repro. */
typedef struct {
    int threads;             /* schema workers [2 x cores] */
    int data_threads;        /* data workers [2] */
    uint64_t duration_ms;    /* run time [60000]; 0 with ops != 0: until ops */
    uint64_t ops;            /* stop after this many worker operations [0: use duration] */
    uint64_t seed;           /* the run's seed; every thread's stream derives from (seed, id) */
    lt_policy policy;        /* the RTI policy of every node, or LR_POLICY_ROTATE [rotate] */
    int nodes;               /* cluster size [3] */
    int tables;              /* table-name pool size [4] */
    int perturb_pct;         /* chance of a seeded delay at each yield point [10] */
    int history_pct;         /* chance a judged leader scan reads at an older timestamp [20] */
    int redeliver_pct;       /* chance a follower's copy of a write is applied twice [2] */
    int lag_pct;             /* chance a follower's copy of a write is held back [10] */
    int bg_pct;              /* chance a leader's maintenance round is the background round [30] */
    unsigned faults;         /* LT_FAULT_* and LR_FAULT_* (test-only build) [0] */
    const char *dir;         /* where the cluster's database goes (created; must not exist) */
    bool keep_going;         /* go on after the first violation [false: stop the run there] */
    const char *stop_on;     /* stop only at a violation matching this regex [NULL: any] */
    const char *wt_faults;   /* injected WiredTiger errors (lt_cluster_config.wt_faults) [NULL] */
    uint64_t check_every_ms; /* a quiescent check (settle, I1/I7) this often [10000; 0: none] */
    /* A seeded node restart about this often, then a replay of the node's operation log and a
     * check of the node against the oracle (replay.c) [0: none] */
    uint64_t restart_every_ms;
    /* An operation still retried (rejected, busy) this long is a liveness violation; virtual time
     * in a controlled run [60000; 0 here means the default] */
    uint64_t liveness_ms;
    int wt_cache_mb; /* WiredTiger's cache_size [256] */
    /* --crash-every: the run's lives in children killed with SIGKILL (harness/cli/crash.c) [0].
     * Set by the parent for each life: durlog, the durable operation log (NULL: none); recover,
     * reopen dir and recover from it (crash.c); crash_fd, a pipe for notes to the parent; the
     * kills survived (panics: those an injected panic ended) and rows checked by the earlier
     * lives, and their counters (crash_prior, LR_PRIOR_*: the last a life noted), for the report.
     */
    uint64_t crash_every_ms;
    const char *durlog;
    bool recover;
    int crash_fd;
    uint64_t crash_kills, crash_panics, crash_rows;
    uint64_t crash_prior[LR_PRIOR_N];
    bool quiet;
    /* The scheduler [free]. Controlled: the run ends after ops operations (no time limit, no
     * quiescent checks while running: both are wall-clock); sched.seed is set from seed. */
    lr_sched_config sched;
    /* Thread i (0 the controller, then the workers) stops after thread_ops[i] rounds of its loop,
     * for i < nthread_ops (a shrunk run); the others as above. */
    int nthread_ops;
    uint32_t thread_ops[LR_THREAD_OPS_MAX];
    /* Free mode: record the threads' order (sched/sched_order.h) and write it here if the run
     * finds a violation, for --sched follow [NULL: not recorded]. */
    const char *order_out;
} lr_config;

/*
 * A defect of the harness itself, for the test-only build: a logical drop or truncate leaves the
 * oracle's rows, so the layered tables no longer match it. Proves that the I1 comparison, and
 * the quiescent checks that run it while the run goes on, fire. Never passed to the library.
 */
#define LR_FAULT_ORACLE_KEEPS 0x80000000u

/*
 * --policy rotate: every node gets one of the policies that must end clean (reject, wait,
 * upstream, boundary), in turn from a seeded offset, so a run with as many nodes exercises all of
 * them at once and a replay of the seed gives each node the same one.
 */
#define LR_POLICY_ROTATE ((lt_policy)16)
static inline lt_policy
lr_node_policy(const lr_config *cfg, int node)
{
    static const lt_policy clean[] = {LT_POLICY_REJECT, LT_POLICY_WAIT, LT_POLICY_UPSTREAM,
      LT_POLICY_BOUNDARY};
    uint64_t h = cfg->seed * 0x9e3779b97f4a7c15ull;

    if (cfg->policy != LR_POLICY_ROTATE)
        return (cfg->policy);
    return (clean[((h >> 32) + (uint64_t)node) % (sizeof(clean) / sizeof(clean[0]))]);
}

/* History reads with an odd seed: the application (the maintenance threads) moves the nodes'
 * oldest timestamps, as upstream's does; otherwise the library moves them. */
static inline int
lr_app_oldest(const lr_config *cfg)
{
    return (cfg->history_pct > 0 && (cfg->seed & 1) != 0);
}

/* Counters, readable while the run goes on (lr_stress_progress). */
typedef struct {
    uint64_t ops; /* worker operations attempted (schema + data) */
    uint64_t schema_ops, schema_ok;
    uint64_t data_ops, data_ok;
    uint64_t transitions, step_ups, step_downs;
    uint64_t checkpoints, pickups, gcs;
    uint64_t bg_checkpoints;  /* of the checkpoints, published by the library's background round */
    uint64_t history_reads;   /* judged leader scans at an older read timestamp (--history) */
    uint64_t history_windows; /* history windows checked and cut at quiescent checks */
    uint64_t rejected;        /* schema ops the hook rejected (EBUSY) */
    uint64_t waited;          /* schema ops that waited for a transition */
    uint64_t timed_out;
    uint64_t overlapped;  /* schema ops that ran during a transition (policy off) */
    uint64_t retries;     /* WT_ROLLBACK / EBUSY retries of logical operations */
    uint64_t redelivered; /* follower copies of a write applied twice (--redeliver) */
    uint64_t lagged;      /* follower copies held back (--lag); of them: */
    uint64_t lag_late;    /* applied late */
    uint64_t lag_covered; /* skipped: the node's checkpoint held the write by then */
    uint64_t violations;  /* found so far (the checker also runs at the end) */
    uint64_t events;      /* library events recorded */
    uint64_t elapsed_ms;
    uint64_t first_violation_ms;  /* when the first violation was seen (0: none) */
    uint64_t first_drain_drop_ms; /* when a drop first took effect during a step-up (0: never) */
    uint64_t checks; /* quiescent checks done while running (the final one not counted) */
    /* Injected WiredTiger errors (--wt-faults): by lt_wtf_kind, and the failed operations the
     * harness saw come back with one and accepted as handled (retried, not a violation). */
    uint64_t wtf_injected[LT_WTF_KINDS], wtf_handled;
    uint64_t restarts, replayed;  /* node restarts (--restart-every); log records replayed */
    uint64_t kills, rows_checked; /* --crash-every: kills survived; rows checked after them */
    uint64_t panics;              /* --crash-every: lives an injected panic ended (in kills) */
    /* The hook's own counters the report's hook line adds across lives (lt_hook_stats). */
    uint64_t hook_admitted, hook_transitions, hook_wait_ns;
} lr_counters;

#define LR_VIOL_MAX 32

/* A violation: the invariant it breaks (docs/CONTRACT.md#invariants), the first events. */
typedef struct {
    char invariant[16]; /* "I1", "I4", "I5", "I7", "hook", "crash", ... */
    char what[384];     /* one line: what was seen, on which node and table */
    uint64_t seq[2];    /* the offending events' sequence numbers (0: none) */
    int thread[2];      /* the threads that caused them (-1: library-internal or unknown) */
    int node;
    char table[LT_NAME_MAX + 1];
    uint64_t before_seq; /* found by a quiescent check: only events before this one led to it */
} lr_violation;

/* All violations found, by invariant: the first kept show only what came first. */
#define LR_VIOL_KINDS 16
typedef struct {
    char invariant[16]; /* "" ends the list; the last slot also counts any later kind */
    int n;
} lr_viol_tally;

typedef struct {
    lr_counters c;
    int nviolations; /* all found; the first LR_VIOL_MAX are kept */
    lr_violation v[LR_VIOL_MAX];
    lr_viol_tally tally[LR_VIOL_KINDS];
    uint64_t elapsed_ns;
    double ops_per_sec;
    lt_hook_stats hook; /* the library's own counters, summed over nodes */
    char sched[384];    /* a controlled run's scheduler summary (n, k, trace hash), "" free */
    uint64_t order_items, order_lost; /* cfg.order_out: items recorded, lost to the bound */
    bool order_written;               /* cfg.order_out was written */
    char error[512];                  /* environment error (exit 2), "" if none */
} lr_result;

typedef struct lr_run lr_run;

/*
 * lr_stress_start --
 *     Open a cluster in cfg->dir and start the threads. Returns 0, or 2 with a message in
 *     res->error-style text available from lr_stress_error().
 */
int lr_stress_start(const lr_config *cfg, lr_run **runp);
/* A snapshot of the counters; any thread, any time before lr_stress_finish. */
void lr_stress_progress(lr_run *run, lr_counters *c);
/* --crash-every (counters.c): add the earlier lives' counters; a life's note of its totals to the
 * parent (once a second); the parent's reading of one (false: not a "c" note). */
void lr_counters_add_prior(lr_counters *c, const uint64_t *prior);
/* The hook's counters of the earlier lives into h (the longest transition stays this life's). */
void lr_hook_add_prior(lt_hook_stats *h, const uint64_t *prior);
void lr_stress_note_counts(lr_run *run, const lr_counters *now); /* now: this life's, or NULL */
bool lr_counts_parse(const char *line, uint64_t *prior);
/* Ask the run to stop early (async-signal-safe: one atomic store). */
void lr_stress_stop(lr_run *run);
/* True once the run reached its duration or op count (the caller may then finish). */
bool lr_stress_done(lr_run *run);
/*
 * lr_stress_tick --
 *     The driver's periodic call (once a tick from the thread that started the run): when a
 *     quiescent check is due (cfg.check_every_ms), park every worker and the controller between
 *     two operations, settle the cluster, compare every table with the oracle (I1, I7), report
 *     what differs as violations, and let them go on. Returns true if a check ran.
 */
bool lr_stress_tick(lr_run *run);
/*
 * lr_stress_finish --
 *     Stop and join the threads, settle the cluster (a leader, a final checkpoint picked up by
 *     every follower), run the checker, close the cluster, free the run. Returns 0 clean, 1 a
 *     violation was found, 2 an environment error (res->error says which).
 */
int lr_stress_finish(lr_run *run, lr_result *res);
const char *lr_stress_error(void);

/* The number of online cores (for the threads default). */
int lr_cores(void);

#endif /* LR_ENGINE_H */
