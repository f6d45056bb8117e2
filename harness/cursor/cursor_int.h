/*
 * cursor_int.h -- `layerace cursor`: seeded operation chains on long-lived layered cursors,
 * compared at every step with an oracle (a plain WiredTiger table in the same connection).
 *
 * Files, one concern each:
 *   cursor_gen.c     the generator: a seeded stream of operations (lrc_op), pure data
 *   cursor_exec.c    the executor: one cluster, three sides (leader node, follower node, oracle),
 *                    every operation run on each side and the results compared
 *   cursor_oracle.c  the oracle side of each operation (a plain WiredTiger table)
 *   cursor_inject.c  the extreme injections (GC, tombstones, truncate, bulk growth, checkpoint
 *                    advance, step-down + step-up) and the second session's prepared transactions
 *   cursor_repro.c   operation names, the readable form, repro files (write and read)
 *   cursor_shrink.c  delta debugging to a 1-minimal sequence, each candidate on a fresh database
 *   cursor_cli.c     lr_cursor_main and lr_replay_main
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

#include "layered.h"

#define LRC_CURSORS 3    /* cursors per session on each side; cursor 2 has overwrite=false */
#define LRC_VAL_MAX 1024 /* values compared in full up to this size, then by length */
#define LRC_TABLE "ctab"

typedef enum {
    LRC_SEARCH = 0, /* key */
    LRC_SEARCH_NEAR, /* key */
    LRC_NEXT,
    LRC_PREV,
    LRC_RESET,
    LRC_INSERT,     /* key, val */
    LRC_UPDATE,     /* key or positioned, val */
    LRC_REMOVE,     /* key or positioned */
    LRC_MODIFY,     /* key or positioned, val seeds one modify entry */
    LRC_REOPEN,     /* close the cursor and open it again */
    LRC_BEGIN,      /* iso, arg = read-timestamp distance (0: none) */
    LRC_COMMIT,
    LRC_ROLLBACK,
    LRC_S2_PREPARE, /* second session: write key = val, prepare */
    LRC_S2_COMMIT,
    LRC_S2_ROLLBACK,
    LRC_INJ_GC,     /* ingest GC on every node */
    LRC_INJ_TOMB,   /* remove every row through the cursor (tombstones on a follower) */
    LRC_INJ_TRUNC,  /* truncate the table */
    LRC_INJ_BULK,   /* insert arg rows after key */
    LRC_INJ_CKPT,   /* leader checkpoint, follower pickup */
    LRC_INJ_SWAP,   /* with a leader: checkpoint, step-down; without: step-up of node key%2 */
    LRC_NTYPES
} lrc_type;

/* Injection bits, in --inject order. */
#define LRC_INJ_BIT(t) (1u << ((t) - LRC_INJ_GC))
#define LRC_INJ_ALL 0x3fu
#define LRC_INJ_PREPARE 0x40u /* the second session's prepared transactions */

typedef struct {
    uint8_t type; /* lrc_type */
    uint8_t cur;  /* cursor index */
    uint8_t pos;  /* 1: positioned write (no set_key) */
    uint8_t iso;  /* LRC_BEGIN: lt_isolation */
    uint32_t key; /* key index */
    uint32_t val; /* value seed */
    uint32_t arg; /* read-timestamp distance, bulk row count */
} lrc_op;

typedef struct {
    lrc_op *ops;
    size_t n, cap;
} lrc_seq;

/* Which layered sides are compared (both are always run: the follower needs the leader's rows). */
#define LRC_NODE_LEADER 1
#define LRC_NODE_FOLLOWER 2

typedef struct {
    uint64_t seed;
    uint64_t ops;      /* operations to run */
    double duration;   /* seconds, 0: no limit */
    uint32_t keys;     /* key-space size */
    int node;          /* LRC_NODE_* mask */
    unsigned inject;   /* LRC_INJ_* mask */
    unsigned faults;   /* LT_FAULT_* (test-only builds) */
    bool shrink;       /* shrink a failing sequence */
    bool quiet;
    const char *out;   /* directory for repro files and databases */
    const char *json;  /* summary file or NULL */
    FILE *trace;       /* operation/result trace or NULL */
} lrc_config;

/* The outcome of a run. */
typedef struct {
    bool diverged;
    bool setup_error;  /* the run could not start or an injection failed outright */
    size_t fail_index; /* index of the diverging operation */
    char what[2048];   /* readable description of the divergence */
    uint64_t executed; /* operations executed (including skipped ones) */
    uint64_t compared; /* operations compared on at least one layered side */
    double seconds;
    double oracle_seconds; /* time spent in the oracle's own calls */
    double role_seconds[2]; /* the same operations on the leader [0] and the follower [1] */
} lrc_result;

/* cursor_gen.c */
typedef struct lrc_gen lrc_gen;
lrc_gen *lrc_gen_new(const lrc_config *cfg);
void lrc_gen_free(lrc_gen *g);
void lrc_gen_next(lrc_gen *g, lrc_op *op);

/* cursor_repro.c */
const char *lrc_type_name(int type);
int lrc_type_parse(const char *name);
void lrc_key(uint32_t key, char *buf, size_t len);
size_t lrc_value(uint32_t val, char *buf, size_t len);
void lrc_op_format(const lrc_op *op, char *buf, size_t len);
int lrc_op_parse(const char *line, lrc_op *op);
int lrc_seq_push(lrc_seq *s, const lrc_op *op);
void lrc_seq_free(lrc_seq *s);
int lrc_repro_write(const char *path, const lrc_config *cfg, const lrc_seq *seq,
  const char *comment);
int lrc_repro_read(const char *path, lrc_config *cfg, lrc_seq *seq);
bool lrc_is_repro(const char *path);

/* cursor_exec.c: one run, from a fresh database under cfg->out. With seq->n == 0 the
 * generator produces cfg->ops operations (or runs for cfg->duration) and appends them to seq. */
int lrc_run(const lrc_config *cfg, lrc_seq *seq, bool generate, lrc_result *res);
int lrc_rm_tree(const char *path);

/* Parse an --inject list ("all", "none", or names joined by commas). 0 or EINVAL. */
int lrc_inject_parse(const char *s, unsigned *maskp);

/* ---------------------------------------------------------------------------------------------
 * The executor's state, shared by cursor_exec.c and cursor_inject.c. One thread owns it.
 */
#include <wiredtiger.h>

typedef struct { /* one layered side: the same logical client on node `node` */
    int node;
    lt_session *s, *s2;            /* the first session; the second one (prepared txns) */
    lt_cursor *c[LRC_CURSORS], *u, *c2; /* test cursors; utility cursor; second session's */
} lrc_lside;

typedef struct { /* the oracle: a plain table in the same connection */
    WT_SESSION *s, *s2;
    WT_CURSOR *c[LRC_CURSORS], *u, *c2;
    bool positioned[LRC_CURSORS];
    bool virt[LRC_CURSORS]; /* released position: re-seek from vkey at the next move */
    char vkey[LRC_CURSORS][64];
} lrc_oside;

typedef struct {
    const lrc_config *cfg;
    lt_cluster *cl;
    lrc_lside l[2];        /* l[i] runs on node i */
    lrc_oside o;
    int leader;            /* the node that leads, -1 between a step-down and a step-up */
    bool check_armed;      /* check reads at the step-up's drain.entry yield point */
    int stepping;          /* the node stepping up */
    int check_rc;          /* that check's outcome: 0 or 1 (x->err written) */
    bool in_txn;           /* the first session's transaction */
    uint64_t commit_ts;    /* its commit timestamp */
    bool can_write;        /* snapshot isolation and no read timestamp (see cursor_exec.c) */
    bool s2_prep;          /* the second session holds a prepared transaction */
    uint32_t s2_key;
    uint64_t s2_ts;
    uint64_t clock;        /* the last timestamp handed out */
    uint64_t committed;    /* the newest committed timestamp */
    uint64_t ckpt_ts;      /* the newest checkpoint's timestamp */
    uint64_t moved, seen;  /* data moved / the oracle session's view of it (outside txns) */
    char err[1024];        /* an injection's failure */
} lrc_ctx;

/* cursor_inject.c: 0, or nonzero after writing ctx->err (a divergence or a failure). */
int lrc_inject(lrc_ctx *x, const lrc_op *op, bool *skipped);
int lrc_s2(lrc_ctx *x, const lrc_op *op, bool *skipped);
int lrc_txn_begin_all(lrc_ctx *x, int iso, uint64_t read_ts, uint64_t commit_ts);
int lrc_txn_end_all(lrc_ctx *x, bool commit, int rcs[3]);
void lrc_yield(void *arg, const char *site, int node);
/* cursor_exec.c: release the oracle's positions, keeping their keys (see there). */
/* One side's result of one operation: return code, and the row it is on. */
typedef struct {
    int rc, exact;
    bool haskey;
    char key[64];
    size_t vlen;
    char val[LRC_VAL_MAX];
} lrc_res;

void lrc_oracle_park(lrc_ctx *x);
void lrc_oracle_release(lrc_ctx *x);
void lrc_oracle_op(lrc_ctx *x, const lrc_op *op, const char *key, const char *val, size_t vlen,
  lrc_res *r);
void lrc_modify_entry(uint32_t val, WT_MODIFY *m, char *buf, size_t len);

/* cursor_shrink.c */
int lrc_shrink(const lrc_config *cfg, const lrc_seq *in, lrc_seq *out, double *secondsp);
extern unsigned lrc_shrink_runs; /* candidates the last lrc_shrink ran */

/* cursor_cli.c */
int lr_cursor_main(int argc, char **argv);
int lr_replay_main(int argc, char **argv);

#endif /* LR_CURSOR_INT_H */
