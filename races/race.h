/*
 * race.h -- what the scenarios of races/ share: a script's sticky error, the usual set-up, and
 * small reads and writes through the public API (include/layered.h). Names start with rr_.
 *
 * The sticky error (SQLite's threadtest style): RR(x, call) runs call only while every earlier
 * step of the script succeeded; the first failure is logged with its line, the call's text and
 * the library's message, and every later RR step is skipped. A scenario returns rr_end(&x): 0,
 * or the first failure's code (the run is then an error, neither clean nor detected).
 * Steps whose failure is an expected outcome (the racing drop gets EBUSY, the commit gets
 * WT_ROLLBACK) are plain calls: the script looks at their result itself.
 */
#ifndef LR_RACE_H
#define LR_RACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

/* Every scenario of the catalogue: races/NAME.c defines lr_race_NAME. */
#define RACE(name, ms, faults, summary) int lr_race_##name(lr_sc *sc);
#include "races.def"
#undef RACE

typedef struct {
    lr_sc *sc;
    int rc;   /* the first failed step's code; 0 while every step succeeded */
    int line; /* its line */
} rr_script;

void rr_begin(rr_script *x, lr_sc *sc);
int rr_failed(rr_script *x, int rc, const char *call, int line);
#define RR(x, call) ((x)->rc != 0 ? (x)->rc : rr_failed((x), (call), #call, __LINE__))
/* Expect a condition: a failed step (EINVAL) with the message when it does not hold. */
#define RR_TRUE(x, cond, ...) \
    ((x)->rc != 0 ? (x)->rc : (cond) ? 0 : rr_false((x), __LINE__, __VA_ARGS__))
int rr_false(rr_script *x, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rr_end(rr_script *x);

/* How many rows the set-up writes: a few, varied by the seed. */
int rr_rows(lr_sc *sc);

/*
 * rr_setup --
 *     The usual start: the leader (node 0) creates table, writes rows rows "s0".."sN" = "S" at
 *     timestamp 10, publishes checkpoint 20, which both followers pick up.
 */
int rr_setup(lr_sc *sc, const char *table, int rows);

/* Follower node writes rows "iN" = "I" at ts into its ingest (one committed transaction). */
int rr_ingest(lr_sc *sc, lt_session *s, const char *table, uint64_t ts, int rows);

/* Write "key=value" or "-key" (remove), space-separated, in the session's open transaction. */
int rr_write_in(lt_session *s, const char *table, const char *ops);
/* The same in its own transaction at commit timestamp ts. */
int rr_write(lt_session *s, const char *table, uint64_t ts, const char *ops);

/* Point read: 0 and the value (NUL-terminated, truncated to len), WT_NOTFOUND, or an error. */
int rr_get(lt_session *s, const char *table, const char *key, char *val, size_t len);
/* Count the rows of a forward scan into *np. */
int rr_count(lt_session *s, const char *table, int *np);
/* Every key of the set-up's and rr_ingest's rows is readable on s (0), or the first missing. */
int rr_missing(lt_session *s, const char *table, char prefix, int rows, char *key, size_t len);

/* Thread bodies for lr_sc_spawn; arg is the node, (void *)(intptr_t)node. They log failures. */
int rr_step_up_fn(lr_sc *sc, void *arg);
int rr_step_down_fn(lr_sc *sc, void *arg);
int rr_pickup_fn(lr_sc *sc, void *arg); /* lt_pickup of the newest checkpoint */
int rr_gc_fn(lr_sc *sc, void *arg);     /* lt_gc */

int rr_checkpoint_fn(lr_sc *sc, void *arg); /* lt_checkpoint at the newest commit */

/*
 * rr_walk --
 *     Move c (next for dir > 0, else prev) from key after (NULL: the start) and compare the keys
 *     with expect, the rows the cursor's view must serve next, in order, space-separated; with
 *     to_end, one more move must end the walk. A key out of order or a walk that does not end is
 *     I2; a row skipped, or served though the view does not hold it, is I1 (violations; what
 *     names the walk). Returns 0, or the error of a move that failed otherwise (a script error).
 */
int rr_walk(lr_sc *sc, lt_cursor *c, int dir, const char *after, const char *expect, bool to_end,
  const char *what);
/* "P<from> .. P<to - 1>" without P<skip> (-1: none), space-separated, into buf. */
void rr_keys(char *buf, size_t len, char prefix, int from, int to, int skip);

/* A schema operation on its own thread: fill it, pass it to lr_sc_spawn(sc, rr_schema_fn, op). */
typedef struct {
    lt_session *s;
    const char *table;
    bool drop;     /* drop, else create */
    char err[256]; /* the library's message when it failed */
} rr_schema_op;
int rr_schema_fn(lr_sc *sc, void *arg);

/* Commit the session's transaction (logged); roll it back if it is still active. */
int rr_commit(lr_sc *sc, lt_session *s);
/* After a commit that failed (commit_rc): x must not be served (get_rc: its read). */
void rr_unserved(rr_script *x, int commit_rc, int get_rc);
/*
 * A leader transaction on node 0 writes x at ts 30 (after rr_setup of t); node 0 steps down on a
 * second thread, held at site, where the transaction commits (*commit_rcp); then node 1 steps up
 * and reads x (*get_rcp). Returns x's sticky error.
 */
int rr_commit_across_stepdown(lr_sc *sc, rr_script *x, const char *site, int *commit_rcp,
  int *get_rcp);

/*
 * The usual start of a follower-transaction race: rr_setup of t, sessions *sp and *srp on node
 * 1, rr_ingest of rows at ts 30 through *srp, node 0 steps down, and a transaction on *sp with
 * commit timestamp ts writes ops (rr_write_in) and stays open. Returns x's sticky error.
 */
int rr_follower_txn(lr_sc *sc, rr_script *x, int rows, uint64_t ts, const char *ops,
  lt_session **sp, lt_session **srp);

/* The library's name of an error code ("0", "EBUSY", "WT_ROLLBACK", ...). */
const char *rr_rc(int rc);
/*
 * What the calling thread's last library call said about rc: "0", or the library's message
 * ("EBUSY: drop of table t on node 1 rejected: ..."), or just the code's name if the last message
 * is about something else.
 */
const char *rr_said(int rc);

#endif /* LR_RACE_H */
