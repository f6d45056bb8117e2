/*
 * cursor_int.h -- `layerace cursor`: seeded operation chains on long-lived layered cursors,
 * compared at every step with an oracle (a plain WiredTiger table in the same connection).
 *
 * Files, one concern each:
 *   cursor_gen.c     the generator: a seeded stream of operations (lr_cur_op), pure data
 *   cursor_exec.c    the executor: one cluster, three sides (leader node, follower node, oracle),
 *                    every operation run on each side and the results compared
 *   cursor_oracle.c  the oracle side of each operation (a plain WiredTiger table)
 *   cursor_inject.c  the extreme injections (GC, tombstones, truncate, bulk growth, checkpoint
 *                    advance, step-down + step-up) and the second session's prepared transactions
 *   cursor_repro.c   operation names, the readable form, repro files (write and read)
 *   cursor_options.c the knobs (cursor_knobs.h, cursor_options.h)
 *   cursor_shrink.c  delta debugging to a 1-minimal sequence, each candidate on a fresh database
 *   cursor_trace.c   the run as Chrome trace-event JSON: a track per side (cursor_trace.h)
 * The command line is cli/cursor_cli.c, above this folder; cursor.h is what else may call it.
 *
 * An operation is self-contained data: a repro file holds the sequence, and the executor decides
 * at run time what an operation means in the current state (timestamps are assigned from the
 * executor's clock, an operation that does not apply is skipped on every side alike), so any
 * subsequence is a valid run. That is what lets the shrinker delete freely.
 */
#ifndef LR_CURSOR_INT_H
#define LR_CURSOR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cursor/cursor.h"
#include "layered.h"

#define LR_CUR_CURSORS 3    /* cursors per session on each side; cursor 2 has overwrite=false */
#define LR_CUR_VAL_MAX 1024 /* values compared in full up to this size, then by length */
#define LR_CUR_KEY_LEN (LT_KEY_MAX + 1) /* a key buffer: the longest key and its NUL */
#define LR_CUR_VAL_LEN 320 /* a value buffer: the longest generated value (lr_cur_value) */
#define LR_CUR_TABLE "ctab"

typedef enum {
    LR_CUR_SEARCH = 0,  /* key */
    LR_CUR_SEARCH_NEAR, /* key */
    LR_CUR_NEXT,
    LR_CUR_PREV,
    LR_CUR_RESET,
    LR_CUR_INSERT, /* key, val */
    LR_CUR_UPDATE, /* key or positioned, val */
    LR_CUR_REMOVE, /* key or positioned */
    LR_CUR_MODIFY, /* key or positioned, val seeds one modify entry */
    LR_CUR_REOPEN, /* close the cursor and open it again */
    LR_CUR_BEGIN,  /* iso, arg = read-timestamp distance (0: none) */
    LR_CUR_COMMIT,
    LR_CUR_ROLLBACK,
    LR_CUR_S2_PREPARE, /* second session: write key = val, prepare */
    LR_CUR_S2_COMMIT,
    LR_CUR_S2_ROLLBACK,
    LR_CUR_INJ_GC,    /* ingest GC on every node */
    LR_CUR_INJ_TOMB,  /* remove every row through the cursor (tombstones on a follower) */
    LR_CUR_INJ_TRUNC, /* truncate the table */
    LR_CUR_INJ_BULK,  /* insert arg rows after key */
    LR_CUR_INJ_CKPT,  /* leader checkpoint, follower pickup */
    LR_CUR_INJ_SWAP,  /* with a leader: checkpoint, step-down; without: step-up of node key%2 */
    LR_CUR_NTYPES
} lr_cur_type;

/* Injection bits, in --inject order. */
#define LR_CUR_INJ_BIT(t) (1u << ((t)-LR_CUR_INJ_GC))
#define LR_CUR_INJ_ALL 0x3fu
#define LR_CUR_INJ_PREPARE 0x40u /* the second session's prepared transactions */

typedef struct {
    uint8_t type; /* lr_cur_type */
    uint8_t cur;  /* cursor index */
    uint8_t pos;  /* 1: positioned write (no set_key) */
    uint8_t iso;  /* LRC_BEGIN: lt_isolation */
    uint32_t key; /* key index */
    uint32_t val; /* value seed */
    uint32_t arg; /* read-timestamp distance, bulk row count */
} lr_cur_op;

typedef struct {
    lr_cur_op *ops;
    size_t n, cap;
} lr_cur_seq;

/* Which layered sides are compared (both are always run: the follower needs the leader's rows). */
#define LR_CUR_NODE_LEADER 1
#define LR_CUR_NODE_FOLLOWER 2

typedef struct {
    uint64_t seed;
    uint64_t ops;    /* operations to run */
    double duration; /* seconds, 0: no limit */
    uint32_t keys;   /* key-space size */
    int node;        /* LRC_NODE_* mask */
    unsigned inject; /* LRC_INJ_* mask */
    unsigned faults; /* LT_FAULT_* (test-only builds) */
    bool shrink;     /* shrink a failing sequence */
    bool quiet;
    const char *out;       /* directory for repro files and databases */
    const char *json;      /* summary file or NULL */
    FILE *listing;         /* every operation and its result as text, or NULL */
    const char *trace;     /* Chrome trace-event JSON of the run (cursor_trace.h), or NULL */
    uint64_t trace_events; /* events kept per track of the trace (0: LR_TRACE_EVENTS_DEFAULT) */
} lr_cur_config;

/* The outcome of a run. */
typedef struct {
    bool diverged;
    bool setup_error;  /* the run could not start or an injection failed outright */
    size_t fail_index; /* index of the diverging operation */
    char what[2048];   /* readable description of the divergence */
    uint64_t executed; /* operations executed (including skipped ones) */
    uint64_t compared; /* operations compared on at least one layered side */
    uint64_t parked;   /* follower steps that served a parked candidate, each re-read afresh */
    double seconds;
    double oracle_seconds;  /* time spent in the oracle's own calls */
    double role_seconds[2]; /* the same operations on the leader [0] and the follower [1] */
    int trace_err;          /* writing cfg->trace: 0 or an errno */
    uint64_t trace_kept, trace_dropped; /* its events, and those the bound dropped (the oldest) */
} lr_cur_result;

/* An odd seed runs with the application's oldest timestamps (lt_cluster_config.app_oldest, as
 * upstream's applications do): the GC injection moves them first (cursor_inject.c), so GC's
 * bound rests on the library's checkpoint pins alone, not on an oldest timestamp they hold back. */
static inline bool
lr_cur_app_oldest(const lr_cur_config *cfg)
{
    return ((cfg->seed & 1) != 0);
}

/* cursor_gen.c */
typedef struct lr_cur_gen lr_cur_gen;
lr_cur_gen *lr_cur_gen_new(const lr_cur_config *cfg);
void lr_cur_gen_free(lr_cur_gen *g);
void lr_cur_gen_next(lr_cur_gen *g, lr_cur_op *op);

/* cursor_repro.c */
const char *lr_cur_type_name(int type);
int lr_cur_type_parse(const char *name);
void lr_cur_key(uint32_t key, char *buf, size_t len);
size_t lr_cur_value(uint32_t val, char *buf, size_t len);
void lr_cur_key_show(const char *key, char *buf, size_t len);
void lr_cur_op_format(const lr_cur_op *op, char *buf, size_t len);
/* One operation's readable form, strictly: 0, or EINVAL with what was wrong in err. */
int lr_cur_op_parse(const char *line, lr_cur_op *op, char *err, size_t errlen);
int lr_cur_seq_push(lr_cur_seq *s, const lr_cur_op *op);
void lr_cur_seq_free(lr_cur_seq *s);
/* A repro file's run knobs into cfg (not out, json, listing, trace) and its operations into seq: 0
 * or nonzero after a message (the reader, the writer: cursor_options.h). */
int lr_cur_repro_read(const char *path, lr_cur_config *cfg, lr_cur_seq *seq);

/* cursor_exec.c: one run, from a fresh database under cfg->out. With seq->n == 0 the
 * generator produces cfg->ops operations (or runs for cfg->duration) and appends them to seq. */
int lr_cur_run(const lr_cur_config *cfg, lr_cur_seq *seq, bool generate, lr_cur_result *res);

/* ---------------------------------------------------------------------------------------------
 * The executor's state, shared by cursor_exec.c and cursor_inject.c. One thread owns it.
 */
#include <wiredtiger.h>

typedef struct { /* one layered side: the same logical client on node `node` */
    int node;
    lt_session *s, *s2;                    /* the first session; the second one (prepared txns) */
    lt_cursor *c[LR_CUR_CURSORS], *u, *c2; /* test cursors; utility cursor; second session's */
} lr_cur_lside;

typedef struct { /* the oracle: a plain table in the same connection */
    WT_SESSION *s, *s2;
    WT_CURSOR *c[LR_CUR_CURSORS], *u, *c2;
    bool positioned[LR_CUR_CURSORS];
    bool virt[LR_CUR_CURSORS]; /* released position: re-seek from vkey at the next move */
    char vkey[LR_CUR_CURSORS][LR_CUR_KEY_LEN];
    bool read_open[LR_CUR_CURSORS]; /* asked to read since opened: an update keeps a position */
    bool removed[LR_CUR_CURSORS];   /* its last operation was a positioned remove */
    WT_SESSION *sh;                 /* as-of reads of a follower's parked step (cursor_park.c) */
    WT_CURSOR *ch;
} lr_cur_oside;

#define LR_CUR_HIST 64 /* states a follower cursor's parked candidate may date from */

typedef struct {
    const lr_cur_config *cfg;
    lt_cluster *cl;
    lr_cur_lside l[2]; /* l[i] runs on node i */
    lr_cur_oside o;
    int leader;         /* the node that leads, -1 between a step-down and a step-up */
    bool check_armed;   /* check reads at the step-up's drain.entry yield point */
    int stepping;       /* the node stepping up */
    int check_rc;       /* that check's outcome: 0 or 1 (x->err written) */
    bool in_txn;        /* the first session's transaction */
    uint64_t commit_ts; /* its commit timestamp */
    bool can_write;     /* snapshot isolation and no read timestamp (see cursor_exec.c) */
    bool s2_prep;       /* the second session holds a prepared transaction */
    uint32_t s2_key;
    uint64_t s2_ts;
    uint64_t clock;       /* the last timestamp handed out */
    uint64_t committed;   /* the newest committed timestamp */
    uint64_t ckpt_ts;     /* the newest checkpoint's timestamp */
    uint64_t moved, seen; /* data moved / the oracle session's view of it (outside txns) */
    /* Per test cursor: the clock at each of its steps outside a transaction since it last read
     * afresh, the states its parked candidate may date from (cursor_park.c). */
    uint64_t hist[LR_CUR_CURSORS][LR_CUR_HIST];
    unsigned nhist[LR_CUR_CURSORS];
    uint64_t parked; /* follower steps served from a parked candidate (lr_cur_result.parked) */
    char err[1024];  /* an injection's failure */
} lr_cur_ctx;

/* cursor_inject.c: 0, or nonzero after writing ctx->err (a divergence or a failure). */
int lr_cur_inject(lr_cur_ctx *x, const lr_cur_op *op, bool *skipped);
int lr_cur_s2(lr_cur_ctx *x, const lr_cur_op *op, bool *skipped);
int lr_cur_txn_begin_all(lr_cur_ctx *x, int iso, uint64_t read_ts, uint64_t commit_ts);
int lr_cur_txn_end_all(lr_cur_ctx *x, bool commit, int rcs[3]);
void lr_cur_yield(void *arg, const char *site, int node);
/* One side's result of one operation: return code, and the row it is on. */
typedef struct {
    int rc, exact;
    bool haskey;
    char key[LR_CUR_KEY_LEN];
    size_t vlen;
    char val[LR_CUR_VAL_MAX];
} lr_cur_res;

/* cursor_repro.c: whether a type returns a row; a result's readable form ("rc=0 key=...
 * value=..."). */
bool lr_cur_returns_row(int type);
/* A layered cursor's row into r (when r->rc is 0). */
void lr_cur_l_fill(lt_cursor *c, lr_cur_res *r);
/* Two sides' results of one operation agree: return code, and row, value and exactness. */
bool lr_cur_res_equal(int type, const lr_cur_res *a, const lr_cur_res *b);
void lr_cur_res_format(int type, const lr_cur_res *r, char *buf, size_t len);

/* cursor_oracle.c */
void lr_cur_oracle_park(lr_cur_ctx *x);
void lr_cur_oracle_release(lr_cur_ctx *x);
void lr_cur_oracle_op(lr_cur_ctx *x, const lr_cur_op *op, const char *key, const char *val,
  size_t vlen, lr_cur_res *r);
void lr_cur_modify_entry(uint32_t val, WT_MODIFY *m, char *buf, size_t len);
/* A move from a released position: the nearest key past vkey in direction dir. */
int lr_cur_oracle_move_from(WT_CURSOR *c, const char *vkey, int dir);
/* The oracle cursor j's position key (a released one's too) into buf; false: none. */
bool lr_cur_oracle_where(lr_cur_ctx *x, int j, char *buf, size_t len);
/* That move as of timestamp ts (its own snapshot): 0 with r filled, or the begin's error. */
int lr_cur_oracle_asof(lr_cur_ctx *x, const char *from, int dir, uint64_t ts, lr_cur_res *r);

/* cursor_park.c: a follower's step that served its parked ingest candidate (layered/merge.c,
 * "Parked") reads as the oracle did at the step that computed the candidate. */
void lr_cur_park_note(lr_cur_ctx *x, const lr_cur_op *op, const lr_cur_res *rl);
bool lr_cur_park_accept(lr_cur_ctx *x, lr_cur_lside *L, const lr_cur_op *op, const char *from,
  const lr_cur_res *ro, const lr_cur_res *rl, char *why, size_t wlen);

/* cursor_shrink.c */
int lr_cur_shrink(const lr_cur_config *cfg, const lr_cur_seq *in, lr_cur_seq *out,
  double *secondsp);
extern unsigned lr_cur_shrink_runs; /* candidates the last lr_cur_shrink ran */

#endif /* LR_CURSOR_INT_H */
