/*
 * bench_ops.c -- the operations both sides of the benchmark run: loads in BENCH_BATCH-row
 * transactions with commit timestamps, full scans, point searches, through liblayered and
 * through a plain WiredTiger table; and the helpers that time and record them.
 */
#include "bench/bench_int.h"
#include "common/clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int
lr_bench_pick(int i, int filter)
{
    return (filter == PICK_ALL || (filter == PICK_TENTH) == (i % 10 == 0));
}

void
lr_bench_record(bench_metric *m, int r, double base, double lay)
{
    m->baseline[r] = base;
    m->layered[r] = lay;
    m->n = r + 1;
}

/*
 * Between measured phases (untimed): the leader publishes a checkpoint at the newest commit
 * timestamp and the follower picks it up, so the library moves WiredTiger's stable and oldest
 * timestamps past everything written so far. Until a follower has picked up a checkpoint the
 * library sets no oldest timestamp, and WiredTiger 3.2.1 then keeps every timestamped update in
 * cache (eviction can only push it to lookaside): the phase after a large write would pay for it.
 */
int
lr_bench_settle(bench_ctx *ctx, lt_cluster *cl, int leader, int follower)
{
    uint64_t id;
    int ret;

    ret = 0;
    BENCH_LT(lt_checkpoint(cl, leader, ctx->ts, &id));
    BENCH_LT(lt_pickup(cl, follower, id));
err:
    return (ret);
}

/* Insert keys [from, n) that pass filter through a layered session, BENCH_BATCH per transaction. */
int
lr_bench_lt_load_range(bench_ctx *ctx, lt_session *s, const char *table, int from, int n,
  int filter)
{
    lt_cursor *c;
    lt_txn_config tc;
    int i, inbatch, ret;

    c = NULL;
    inbatch = ret = 0;
    memset(&tc, 0, sizeof(tc));
    BENCH_LT(lt_cursor_open(s, table, NULL, &c));
    for (i = from; i < n; i++) {
        if (!lr_bench_pick(i, filter))
            continue;
        if (inbatch == 0) {
            tc.commit_ts = ++ctx->ts;
            BENCH_LT(lt_txn_begin(s, &tc));
        }
        lt_cursor_set_key(c, ctx->keys[i]);
        lt_cursor_set_value(c, ctx->value, BENCH_VALUE_LEN);
        BENCH_LT(lt_cursor_insert(c));
        if (++inbatch == BENCH_BATCH) {
            inbatch = 0;
            BENCH_LT(lt_txn_commit(s, 0));
        }
    }
    if (inbatch != 0) {
        inbatch = 0;
        BENCH_LT(lt_txn_commit(s, 0));
    }
err:
    if (ret != 0 && lt_txn_active(s))
        (void)lt_txn_rollback(s);
    if (c != NULL && lt_cursor_close(c) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

int
lr_bench_lt_load(bench_ctx *ctx, lt_session *s, const char *table, int n, int filter)
{
    return (lr_bench_lt_load_range(ctx, s, table, 0, n, filter));
}

/* The same load into a plain table. */
int
lr_bench_wt_load_range(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int from, int n, int filter)
{
    WT_CURSOR *c;
    WT_ITEM k, v;
    char cfg[64];
    int i, inbatch, intxn, ret;

    c = NULL;
    inbatch = intxn = ret = 0;
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    BENCH_WT(ws->open_cursor(ws, uri, NULL, NULL, &c));
    for (i = from; i < n; i++) {
        if (!lr_bench_pick(i, filter))
            continue;
        if (inbatch == 0) {
            BENCH_WT(ws->begin_transaction(ws, NULL));
            intxn = 1;
            (void)snprintf(cfg, sizeof(cfg), "commit_timestamp=%" PRIx64, ++ctx->ts);
            BENCH_WT(ws->timestamp_transaction(ws, cfg));
        }
        k.data = ctx->keys[i];
        k.size = BENCH_KEY_LEN;
        v.data = ctx->value;
        v.size = BENCH_VALUE_LEN;
        c->set_key(c, &k);
        c->set_value(c, &v);
        BENCH_WT(c->insert(c));
        if (++inbatch == BENCH_BATCH) {
            inbatch = intxn = 0;
            BENCH_WT(ws->commit_transaction(ws, NULL));
        }
    }
    if (intxn) {
        inbatch = intxn = 0;
        BENCH_WT(ws->commit_transaction(ws, NULL));
    }
err:
    if (ret != 0 && intxn)
        (void)ws->rollback_transaction(ws, NULL);
    if (c != NULL && c->close(c) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

int
lr_bench_wt_load(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int n, int filter)
{
    return (lr_bench_wt_load_range(ctx, ws, uri, 0, n, filter));
}

/*
 * Full forward scan through a layered cursor; *rowsp = rows seen. With verify, also check that
 * the rows are exactly keys [0, ctx->nkeys) in order (up to the row count) with the bench value.
 */
int
lr_bench_lt_scan(bench_ctx *ctx, lt_session *s, const char *table, int verify, uint64_t *rowsp,
  uint64_t *sump)
{
    lt_cursor *c;
    const char *key;
    const void *val;
    size_t vsize;
    uint64_t rows, sum;
    int rc, ret;

    c = NULL;
    rows = sum = 0;
    ret = 0;
    BENCH_LT(lt_cursor_open(s, table, NULL, &c));
    while ((rc = lt_cursor_next(c)) == 0) {
        BENCH_LT(lt_cursor_get_key(c, &key));
        BENCH_LT(lt_cursor_get_value(c, &val, &vsize));
        sum += (unsigned char)key[BENCH_KEY_LEN - 1] + vsize;
        if (verify)
            BENCH_EXPECT(rows < (uint64_t)ctx->nkeys && strcmp(key, ctx->keys[rows]) == 0 &&
                vsize == BENCH_VALUE_LEN && memcmp(val, ctx->value, vsize) == 0,
              "layered scan of %s: row %" PRIu64 " is key \"%s\" (%zu-byte value), expected "
              "\"%s\"",
              table, rows, key, vsize, rows < (uint64_t)ctx->nkeys ? ctx->keys[rows] : "(end)");
        rows++;
    }
    if (rc != WT_NOTFOUND)
        BENCH_LT(rc);
err:
    if (c != NULL && lt_cursor_close(c) != 0 && ret == 0)
        ret = 1;
    *rowsp = rows;
    *sump = sum;
    return (ret);
}

int
lr_bench_wt_scan(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int verify, uint64_t *rowsp,
  uint64_t *sump)
{
    WT_CURSOR *c;
    WT_ITEM k, v;
    uint64_t rows, sum;
    int rc, ret;

    c = NULL;
    rows = sum = 0;
    ret = 0;
    BENCH_WT(ws->open_cursor(ws, uri, NULL, NULL, &c));
    while ((rc = c->next(c)) == 0) {
        BENCH_WT(c->get_key(c, &k));
        BENCH_WT(c->get_value(c, &v));
        sum += ((const unsigned char *)k.data)[BENCH_KEY_LEN - 1] + v.size;
        if (verify)
            BENCH_EXPECT(rows < (uint64_t)ctx->nkeys && k.size == BENCH_KEY_LEN &&
                memcmp(k.data, ctx->keys[rows], BENCH_KEY_LEN) == 0 && v.size == BENCH_VALUE_LEN &&
                memcmp(v.data, ctx->value, v.size) == 0,
              "plain scan of %s: row %" PRIu64 " is wrong", uri, rows);
        rows++;
    }
    if (rc != WT_NOTFOUND)
        BENCH_WT(rc);
err:
    if (c != NULL && c->close(c) != 0 && ret == 0)
        ret = 1;
    *rowsp = rows;
    *sump = sum;
    return (ret);
}

/* ---------------------------------------------------------------------------------------------
 * 2. Leader insert and point search vs a plain table; fresh tables every round.
 */
int
lr_bench_lt_search(bench_ctx *ctx, lt_session *s, const char *table, int n)
{
    lt_cursor *c;
    const void *val;
    size_t vsize;
    int i, ret;

    c = NULL;
    ret = 0;
    BENCH_LT(lt_cursor_open(s, table, NULL, &c));
    for (i = 0; i < n; i++) {
        lt_cursor_set_key(c, ctx->keys[ctx->perm[i]]);
        BENCH_LT(lt_cursor_search(c));
        BENCH_LT(lt_cursor_get_value(c, &val, &vsize));
        BENCH_EXPECT(vsize == BENCH_VALUE_LEN, "layered search: %zu-byte value", vsize);
    }
err:
    if (c != NULL && lt_cursor_close(c) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

int
lr_bench_wt_search(bench_ctx *ctx, WT_SESSION *ws, const char *uri, int n)
{
    WT_CURSOR *c;
    WT_ITEM k, v;
    int i, ret;

    c = NULL;
    ret = 0;
    memset(&k, 0, sizeof(k));
    BENCH_WT(ws->open_cursor(ws, uri, NULL, NULL, &c));
    for (i = 0; i < n; i++) {
        k.data = ctx->keys[ctx->perm[i]];
        k.size = BENCH_KEY_LEN;
        c->set_key(c, &k);
        BENCH_WT(c->search(c));
        BENCH_WT(c->get_value(c, &v));
        BENCH_EXPECT(v.size == BENCH_VALUE_LEN, "plain search: %zu-byte value", v.size);
    }
err:
    if (c != NULL && c->close(c) != 0 && ret == 0)
        ret = 1;
    return (ret);
}
