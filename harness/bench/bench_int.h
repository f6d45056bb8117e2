/*
 * bench_int.h -- internals shared by the benchmark's files (bench.c: options and set-up;
 * bench_work.c: the workloads; bench_ops.c: the operations they time; bench_report.c:
 * statistics, table and JSON). Not part of the harness's interface: see bench.h.
 *
 * Everything here is single-threaded: one benchmark context, owned by lt_bench_main's thread.
 */
#ifndef LAYERACE_BENCH_INT_H
#define LAYERACE_BENCH_INT_H

#include <stdint.h>

#include "layered.h"
#include "stress/engine.h"

#define BENCH_MAX_ROUNDS 64
#define BENCH_PATH_MAX 4096 /* longest working directory path we build */
#define BENCH_KEY_LEN 10    /* "k%09u" */
#define BENCH_VALUE_LEN 100 /* bytes per value */
#define BENCH_BATCH 100     /* writes per transaction, both sides */

/*
 * Configuration of the plain (baseline) tables and how they are dropped: exactly what the library
 * uses for its constituents (layered/catalog.c: __lt_table_config, __lt_drop_uri).
 */
#define BENCH_PLAIN_CONFIG "key_format=u,value_format=u,log=(enabled=false),exclusive=true"
#define BENCH_PLAIN_DROP "force=true"

/* How a metric's ratio and goal read. */
typedef enum {
    BENCH_RATE_GE = 0, /* higher is better: ratio = layered / baseline, goal: ratio >= goal */
    BENCH_TIME_LE,     /* lower is better: ratio = layered / baseline, goal: ratio <= goal */
    BENCH_DIFF_LE /* cost in ns: the layered figure itself (baseline shown beside it), goal: <= goal
                   */
} bench_kind;

typedef struct {
    char name[64];    /* shown in the table */
    const char *key;  /* JSON name */
    const char *unit; /* unit of baseline and layered: "/s", "s", "ns" */
    bench_kind kind;
    double goal;
    int n; /* rounds measured */
    double baseline[BENCH_MAX_ROUNDS];
    double layered[BENCH_MAX_ROUNDS];
    /* Filled by __bench_metric_finish. */
    double base_med, lay_med;
    double ratio;              /* median of the per-round ratios (or differences) */
    double ratio_lo, ratio_hi; /* 25th and 75th percentile of the per-round ratios */
    int pass;
    int noisy; /* the spread makes the verdict unreliable */
    char note[1024];
} bench_metric;

enum {
    BM_CREATE_DROP = 0,
    BM_INSERT,
    BM_SEARCH,
    BM_SCAN,
    BM_STEPUP,
    BM_ADMISSION,
    BM_SCHEMA1, /* schema ops/s at 1, 2, 4, 8, 16 threads: hook on vs off */
    BM_SCHEMA2,
    BM_SCHEMA4,
    BM_SCHEMA8,
    BM_SCHEMA16,
    BM_DETECT,       /* time to detect a drop during a step-up, policy off */
    BM_CONTROLLED,   /* explore's workload: controlled vs free operations/s */
    BM_EXPLORE_RATE, /* explore's short controlled runs per second */
    BM_ORDER,        /* a free stress run's operations/s, --record-order on vs off */
    BM_COUNT
};

typedef struct {
    /* Options. */
    int quick;
    int keep;
    int rounds;
    const char *parent; /* --dir, or $TMPDIR, or /tmp */
    const char *json;
    const char *only;      /* --only: comma-separated workload names, NULL for all */
    const char *wt_config; /* --wt-config: extra wiredtiger_open configuration, or NULL */
    /* Sizes, from --quick. */
    int cd_pairs;
    int ins_rows;
    int ins_reps; /* tables loaded and searched per measurement */
    int scan_rows;
    int scan_repeat; /* full scans per measurement */
    int drain_rows;
    int adm_iters;
    int adm_rounds;
    int schema_ms;     /* per side and round of a schema throughput run */
    int detect_seeds;  /* seeds of the detection-time measurement */
    int detect_max_ms; /* a seed's budget */
    int explore_ops;   /* operations of the controlled-vs-free comparison */
    int explore_runs;  /* short runs timed per round */
    /* State. */
    char workdir[BENCH_PATH_MAX]; /* a temporary directory in parent; cluster homes go in it */
    int nclusters;
    char home[BENCH_PATH_MAX + 32]; /* the open cluster's home (one cluster at a time) */
    uint64_t ts; /* the one commit-timestamp counter (both sides, every cluster) */
    char (*keys)[BENCH_KEY_LEN + 1];
    uint32_t *perm; /* random search order over ins_rows keys */
    int nkeys;
    unsigned char value[BENCH_VALUE_LEN];
    bench_metric m[BM_COUNT];
} bench_ctx;

/* bench_cluster.c */
/* Report a failed operation (rc), from the library (lib != 0: adds lt_last_error) or WT. */
void lr_bench_fail(int rc, int lib, const char *what, const char *file, int line);
/* Open a fresh 2-node cluster in its own home under workdir; leader 0, follower 1. */
int lr_bench_cluster_open(bench_ctx *ctx, lt_observer_fn obs, void *obs_arg, lt_cluster **clp,
  int *leaderp, int *followerp);
/* Close it and remove its home. */
int lr_bench_cluster_close(bench_ctx *ctx, lt_cluster *cl);

/* bench_report.c */
void lr_bench_metric_finish(bench_metric *m);
double lr_bench_median(double *v, int n); /* v is sorted in place; NAN if n is 0 */
void lr_bench_print(bench_ctx *ctx);
int lr_bench_json(bench_ctx *ctx, const char *wtver); /* 0, or 2 if the file cannot be written */

/* bench_ops.c: the int functions return 0, or 1 after reporting a failed operation. */
#define BENCH_CHUNK 25000 /* set-up loads settle every this many keys */
#define BENCH_MIN(a, b) ((a) < (b) ? (a) : (b))
enum { PICK_ALL = 0, PICK_NOT_TENTH, PICK_TENTH }; /* which keys a load writes */
int lr_bench_pick(int i, int filter);
void lr_bench_record(bench_metric *m, int r, double base, double lay);
int lr_bench_settle(bench_ctx *ctx, lt_cluster *cl, int leader, int follower);
int lr_bench_lt_load_range(bench_ctx *ctx, lt_session *s, const char *table, int from, int n,
  int filter);
int lr_bench_lt_load(bench_ctx *ctx, lt_session *s, const char *table, int n, int filter);
int lr_bench_wt_load_range(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int from, int n,
  int filter);
int lr_bench_wt_load(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int n, int filter);
int lr_bench_lt_scan(bench_ctx *ctx, lt_session *s, const char *table, int verify, uint64_t *rowsp,
  uint64_t *sump);
int lr_bench_wt_scan(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int verify, uint64_t *rowsp,
  uint64_t *sump);
int lr_bench_lt_search(bench_ctx *ctx, lt_session *s, const char *table, int n);
int lr_bench_wt_search(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int n);

/* bench_work.c: each returns 0, or 1 after reporting a failed operation. */
int lr_bench_create_drop(bench_ctx *ctx);
int lr_bench_insert_search(bench_ctx *ctx);
int lr_bench_scan(bench_ctx *ctx);
int lr_bench_stepup(bench_ctx *ctx);
int lr_bench_admission(bench_ctx *ctx);
int lr_bench_schema_threads(bench_ctx *ctx);
int lr_bench_detect(bench_ctx *ctx);
/* bench_explore.c */
int lr_bench_explore(bench_ctx *ctx);
int lr_bench_order(bench_ctx *ctx);
/* bench_stress.c: the stress run's defaults (2 x cores schema workers, 2 data workers, 3 nodes,
 * 4 tables, perturb 10, quiet) with this seed, policy and directory. */
void lr_bench_stress_defaults(lr_config *cfg, uint64_t seed, lt_policy policy, const char *dir);

/* Sticky-error checks: on failure, report and jump to the function's err label with ret = 1. */
#define BENCH_LT(expr)                                         \
    do {                                                       \
        int __rc = (expr);                                     \
        if (__rc != 0) {                                       \
            lr_bench_fail(__rc, 1, #expr, __FILE__, __LINE__); \
            ret = 1;                                           \
            goto err;                                          \
        }                                                      \
    } while (0)
#define BENCH_WT(expr)                                         \
    do {                                                       \
        int __rc = (expr);                                     \
        if (__rc != 0) {                                       \
            lr_bench_fail(__rc, 0, #expr, __FILE__, __LINE__); \
            ret = 1;                                           \
            goto err;                                          \
        }                                                      \
    } while (0)
/* A check of a measured result (row counts and the like). */
#define BENCH_EXPECT(cond, ...)                                                              \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "layerace bench: %s:%d: check failed: %s: ", __FILE__, __LINE__, \
              #cond);                                                                        \
            fprintf(stderr, __VA_ARGS__);                                                    \
            fprintf(stderr, "\n");                                                           \
            ret = 1;                                                                         \
            goto err;                                                                        \
        }                                                                                    \
    } while (0)

#endif /* LAYERACE_BENCH_INT_H */
