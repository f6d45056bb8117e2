/*
 * crash.c -- a life of a run with --crash-every after a kill (harness/cli/crash.c kills the
 * previous one with SIGKILL). Before any thread starts: the cluster is reopened with recover=1
 * (every node a follower at the newest durable checkpoint); the durable operation log
 * (durlog.c) rebuilds the oracle, which holds exactly the acknowledged operations, and the
 * in-memory operation log (oplog.c); every node replays the records above the newest checkpoint
 * the application saw published (or above the recovered one if newer: a publication killed
 * before its acknowledgement) and is checked against the oracle (I1, I7, replay.c); node 0 steps
 * up. A write in flight at the kill was never acknowledged: its timestamp was above every
 * checkpoint the kill left (lr_safe_ts), so it is gone, and the oracle never had it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stress/engine_int.h"

/* A load of the durable log: its newest timestamps (first pass), then the oracle and log. */
typedef struct {
    lr_run *run;
    WT_SESSION *wt;
    uint64_t ack, max;
} lr_load;

static int
__newest(void *arg, const lr_durrec *r)
{
    lr_load *l = arg;

    if (r->rec.ts > l->max)
        l->max = r->rec.ts;
    if (r->kind == LR_DURLOG_CKPT && r->rec.ts > l->ack)
        l->ack = r->rec.ts;
    return (0);
}

/*
 * One record into the oracle (every acknowledged operation) and the operation log: only those
 * above the newest publication the application saw, the replay's lower bound (lr_crash_recover),
 * so a recovery's memory does not grow with the run's length.
 */
static int
__apply_rec(void *arg, const lr_durrec *r)
{
    lr_load *l = arg;
    lr_run *run = l->run;
    int t = r->table;

    if (r->kind == LR_DURLOG_CKPT)
        return (0);
    if (t >= run->ntables)
        return (EINVAL);
    if (r->kind == LR_DURLOG_ROW) /* a compaction's: the oracle's row */
        return (lr_oracle_apply(run, l->wt, run->names[t], r->rec.key, r->rec.value, false));
    if (r->kind > LR_LOG_TRUNCATE)
        return (EINVAL);
    if (r->rec.ts > l->ack)
        lr_oplog_add(run, t, r->rec.kind, r->rec.ts, r->rec.key, r->rec.value);
    else
        lr_oplog_note_schema(run, t, r->rec.kind);
    if (r->logged) /* a compaction's: the oracle's rows hold it already */
        return (0);
    if (r->kind == LR_LOG_WRITE || r->kind == LR_LOG_REMOVE)
        return (lr_oracle_apply(run, l->wt, run->names[t], r->rec.key, r->rec.value,
          r->kind == LR_LOG_REMOVE));
    return (r->kind != LR_LOG_CREATE ? lr_oracle_clear(run, run->names[t]) : 0);
}

/* Rebuild the oracle and the operation log from the durable log; the newest timestamps. */
static int
__load(lr_run *run, WT_SESSION *wt, uint64_t *ackp, uint64_t *maxp)
{
    lr_load l = {run, wt, 0, 0};
    int rc, t;

    if ((rc = lr_durlog_scan(run->cfg.durlog, __newest, &l)) != 0)
        return (rc);
    for (t = 0; t < run->ntables && rc == 0; t++)
        rc = lr_oracle_clear(run, run->names[t]); /* what the oracle held at the kill */
    run->durlog_loading = true;
    if (rc == 0)
        rc = lr_durlog_scan(run->cfg.durlog, __apply_rec, &l);
    run->durlog_loading = false;
    *ackp = l.ack;
    *maxp = l.max;
    return (rc);
}

/*
 * The compacted log, in an order a load rebuilds exactly: the operation log's records (flagged,
 * so the oracle does not take them twice: it holds them already), each table's existence
 * (flagged: the oracle is empty there) and its rows (at ack: the operation log takes neither),
 * then ack.
 */
static int
__compact(void *arg, FILE *fp)
{
    lr_load *l = arg;
    lr_run *run = l->run;
    const lr_logrec *recs;
    bool present[LR_KEYS];
    char val[LR_KEYS][48], key[16];
    size_t i, n;
    int rc = 0, t, k;

    for (t = 0; t < run->ntables && rc == 0; t++) {
        n = lr_oplog_records(run, t, &recs);
        for (i = 0; i < n && rc == 0; i++)
            rc = lr_durlog_put(fp, (unsigned)recs[i].kind | LR_DURLOG_LOGGED, t, recs[i].ts,
              recs[i].key, recs[i].value);
    }
    for (t = 0; t < run->ntables && rc == 0; t++) {
        if ((rc = lr_durlog_put(fp,
               (lr_oplog_exists(run, t) ? LR_LOG_CREATE : LR_LOG_DROP) | LR_DURLOG_LOGGED, t,
               l->ack, NULL, NULL)) != 0 ||
          (rc = lr_oracle_keys(l->wt, run->names[t], present, val)) != 0)
            break;
        for (k = 0; k < LR_KEYS && rc == 0; k++)
            if (present[k]) {
                (void)snprintf(key, sizeof(key), "k%03d", k);
                rc = lr_durlog_put(fp, LR_DURLOG_ROW, t, l->ack, key, val[k]);
            }
    }
    return (rc != 0 ? rc : lr_durlog_put(fp, LR_DURLOG_CKPT, -1, l->ack, NULL, NULL));
}

int
lr_crash_recover(lr_run *run)
{
    WT_CONNECTION *conn = lt_cluster_connection(run->cl);
    WT_SESSION *wt;
    lt_node_info info;
    lr_worker w;
    uint64_t ack = 0, max = 0, above;
    int node, rc;

    if ((rc = conn->open_session(conn, NULL, NULL, &wt)) != 0)
        return (rc);
    /* A log that cannot be compacted (a full disk) stays whole, and the run goes on with it. */
    if ((rc = __load(run, wt, &ack, &max)) == 0) {
        lr_load l = {run, wt, ack, max};
        int crc;

        if ((crc = lr_durlog_rewrite(run, __compact, &l)) != 0)
            (void)fprintf(stderr, "layerace: cannot compact the durable log %s: %s\n",
              run->cfg.durlog, strerror(crc));
    }
    (void)wt->close(wt, NULL);
    if (rc != 0 || (rc = lt_node_get_info(run->cl, 0, &info)) != 0)
        return (rc);
    /* Replayed writes commit at their own timestamps; new ones above all of them. */
    atomic_store(&run->ts, (max > info.checkpoint_ts ? max : info.checkpoint_ts) + 1);
    /* The rebuilt oracle has no history: history reads start above the recovery (reads.c). */
    for (node = 0; node < run->ntables; node++)
        run->schema_ts[node] = atomic_load(&run->ts);
    above = ack > info.checkpoint_ts ? ack : info.checkpoint_ts;
    memset(&w, 0, sizeof(w));
    w.run = run;
    w.id = -2;
    lr_rng_init(&w.rng, run->cfg.seed, 1000u + run->cfg.crash_kills);
    /*
     * All nodes together, record by record: the recovered cluster knows no drop from before the
     * kill, so a replayed drop of a table a node created in the replay (no known life) covers
     * every number so far; one node's drop after another's replayed create of the next life
     * would mark that life dropped there, and the table would split between two stable objects
     * (layered/DESIGN.md, "Drop marks and replays").
     */
    if ((rc = lr_worker_open(&w)) == 0)
        atomic_fetch_add(&run->rows_checked,
          lr_replay_nodes(&w, 0, run->cfg.nodes - 1, above, "a kill and recovery"));
    lr_worker_close(&w);
    return (rc);
}
