/*
 * bench_work.c -- the benchmark's workloads. Each one opens its own 2-node cluster (a fresh
 * WiredTiger connection in its own directory), does the same work through liblayered and through
 * plain WiredTiger tables of the same connection, alternately for ctx->rounds rounds (the side
 * that goes first swaps every round), and records one figure per side per round.
 *
 * Both sides write with the same keys ("k%09u", 10 bytes), the same 100-byte values, in
 * transactions of BENCH_BATCH writes, each transaction with its own commit timestamp from one
 * counter (ctx->ts), so timestamps grow across sides, rounds and clusters. The loads, scans and
 * searches both sides share are in bench_ops.c.
 */
#include "bench/bench_int.h"
#include "common/clock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * 1. Create + drop pairs on the leader vs plain create + drop in the same connection.
 */
int
lr_bench_create_drop(bench_ctx *ctx)
{
    WT_CONNECTION *conn;
    WT_SESSION *ws;
    lt_cluster *cl;
    lt_session *s;
    bench_metric *m;
    uint64_t t0;
    double secs[2] = {0, 0};
    char name[64], uri[96];
    int follower, i, lay, leader, n, r, ret, side;

    m = &ctx->m[BM_CREATE_DROP];
    s = NULL;
    ws = NULL;
    if ((ret = lr_bench_cluster_open(ctx, NULL, NULL, &cl, &leader, &follower)) != 0)
        return (ret);
    conn = lt_cluster_connection(cl);
    BENCH_LT(lt_session_open(cl, leader, &s));
    BENCH_WT(conn->open_session(conn, NULL, "isolation=snapshot", &ws));

    /* Round -1 is a short warm-up, not recorded. */
    for (r = -1; r < ctx->rounds; r++) {
        n = r < 0 ? 3 : ctx->cd_pairs;
        for (side = 0; side < 2; side++) {
            lay = side ^ (r & 1);
            t0 = lr_now_ns();
            for (i = 0; i < n; i++) {
                if (lay) {
                    (void)snprintf(name, sizeof(name), "cd%d_%d", r + 1, i);
                    BENCH_LT(lt_create(s, name));
                    BENCH_LT(lt_drop(s, name));
                } else {
                    (void)snprintf(uri, sizeof(uri), "table:bench_cd%d_%d", r + 1, i);
                    BENCH_WT(ws->create(ws, uri, BENCH_PLAIN_CONFIG));
                    BENCH_WT(ws->drop(ws, uri, BENCH_PLAIN_DROP));
                }
            }
            secs[lay] = lr_seconds_since(t0);
        }
        if (r >= 0)
            lr_bench_record(m, r, n / secs[0], n / secs[1]);
    }
    (void)snprintf(m->note, sizeof(m->note),
      "%d pairs per side per round on the leader; a layered create makes 2 WiredTiger tables "
      "(stable + the leader's ingest), the plain one 1 (\"%s\", dropped with \"%s\", as the "
      "library does)",
      ctx->cd_pairs, BENCH_PLAIN_CONFIG, BENCH_PLAIN_DROP);

err:
    if (ws != NULL)
        (void)ws->close(ws, NULL);
    (void)lt_session_close(s);
    if (lr_bench_cluster_close(ctx, cl) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

int
lr_bench_insert_search(bench_ctx *ctx)
{
    WT_CONNECTION *conn;
    WT_SESSION *ws;
    lt_cluster *cl;
    lt_session *s;
    uint64_t t0, rows, sum;
    double ins[2] = {0, 0}, srch[2] = {0, 0}, ins_s, srch_s;
    char name[64], uri[96];
    int follower, k, lay, leader, n, r, ret, side;

    s = NULL;
    ws = NULL;
    n = ctx->ins_rows;
    if ((ret = lr_bench_cluster_open(ctx, NULL, NULL, &cl, &leader, &follower)) != 0)
        return (ret);
    conn = lt_cluster_connection(cl);
    BENCH_LT(lt_session_open(cl, leader, &s));
    BENCH_WT(conn->open_session(conn, NULL, "isolation=snapshot", &ws));
    if ((ret = lr_bench_settle(ctx, cl, leader, follower)) != 0)
        goto err;

    /*
     * Round -1 is a warm-up (cache memory first touched, allocator arenas grown), not recorded.
     * A measurement is ins_reps fresh tables in a row; the timed parts are summed.
     */
    for (r = -1; r < ctx->rounds; r++) {
        for (side = 0; side < 2; side++) {
            lay = side ^ (r & 1);
            ins_s = srch_s = 0;
            for (k = 0; k < ctx->ins_reps; k++) {
                if (lay) {
                    (void)snprintf(name, sizeof(name), "ins%d_%d", r + 1, k);
                    BENCH_LT(lt_create(s, name));
                    t0 = lr_now_ns();
                    if ((ret = lr_bench_lt_load(ctx, s, name, n, PICK_ALL)) != 0)
                        goto err;
                    ins_s += lr_seconds_since(t0);
                    t0 = lr_now_ns();
                    if ((ret = lr_bench_lt_search(ctx, s, name, n)) != 0)
                        goto err;
                    srch_s += lr_seconds_since(t0);
                    if (r < 0 && k == 0) {
                        if ((ret = lr_bench_lt_scan(ctx, s, name, 1, &rows, &sum)) != 0)
                            goto err;
                        BENCH_EXPECT(rows == (uint64_t)n,
                          "leader table holds %" PRIu64 " rows, expected %d", rows, n);
                    }
                    BENCH_LT(lt_drop(s, name));
                } else {
                    (void)snprintf(uri, sizeof(uri), "table:bench_ins%d_%d", r + 1, k);
                    BENCH_WT(ws->create(ws, uri, BENCH_PLAIN_CONFIG));
                    t0 = lr_now_ns();
                    if ((ret = lr_bench_wt_load(ctx, ws, uri, n, PICK_ALL)) != 0)
                        goto err;
                    ins_s += lr_seconds_since(t0);
                    t0 = lr_now_ns();
                    if ((ret = lr_bench_wt_search(ctx, ws, uri, n)) != 0)
                        goto err;
                    srch_s += lr_seconds_since(t0);
                    BENCH_WT(ws->drop(ws, uri, BENCH_PLAIN_DROP));
                }
                if ((ret = lr_bench_settle(ctx, cl, leader, follower)) != 0)
                    goto err;
            }
            ins[lay] = (double)n * ctx->ins_reps / ins_s;
            srch[lay] = (double)n * ctx->ins_reps / srch_s;
        }
        if (r >= 0) {
            lr_bench_record(&ctx->m[BM_INSERT], r, ins[0], ins[1]);
            lr_bench_record(&ctx->m[BM_SEARCH], r, srch[0], srch[1]);
        }
    }
    (void)snprintf(ctx->m[BM_INSERT].note, sizeof(ctx->m[BM_INSERT].note),
      "%d x %d sequential keys, each time into a fresh table, per side per round, %d inserts "
      "per transaction, each with a commit timestamp; after each table (untimed) it is dropped, "
      "the leader checkpoints and the follower picks up, so the oldest timestamp follows; %d "
      "rows stay under WiredTiger's dirty-eviction target, so eviction threads do not compete",
      ctx->ins_reps, n, BENCH_BATCH, n);
    (void)snprintf(ctx->m[BM_SEARCH].note, sizeof(ctx->m[BM_SEARCH].note),
      "%d x %d searches of existing keys in one random order (same on both sides), right after "
      "each load, no explicit transaction, cursor kept open",
      ctx->ins_reps, n);

err:
    if (ws != NULL)
        (void)ws->close(ws, NULL);
    (void)lt_session_close(s);
    if (lr_bench_cluster_close(ctx, cl) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

/* ---------------------------------------------------------------------------------------------
 * 3. Follower merged full scan: 90% of the rows in a picked-up checkpoint of stable, 10% (every
 * tenth key) in the follower's ingest, vs a plain table holding the same rows. Each measurement is
 * scan_repeat full scans, each with a fresh cursor and no explicit transaction.
 */
int
lr_bench_scan(bench_ctx *ctx)
{
    WT_CONNECTION *conn;
    WT_SESSION *ws;
    lt_cluster *cl;
    lt_node_info info;
    lt_session *sl, *sf;
    uint64_t id, t0, rows[2], sum[2], total;
    double rate[2] = {0, 0};
    const char *uri = "table:bench_scan";
    int follower, k, lay, leader, n, r, ret, side;

    sl = sf = NULL;
    ws = NULL;
    n = ctx->scan_rows;
    if ((ret = lr_bench_cluster_open(ctx, NULL, NULL, &cl, &leader, &follower)) != 0)
        return (ret);
    conn = lt_cluster_connection(cl);
    BENCH_LT(lt_session_open(cl, leader, &sl));
    BENCH_LT(lt_session_open(cl, follower, &sf));
    BENCH_WT(conn->open_session(conn, NULL, "isolation=snapshot", &ws));

    /* Load in chunks, settling between them, so the set-up does not drown in lookaside. */
    BENCH_LT(lt_create(sl, "scan"));
    BENCH_WT(ws->create(ws, uri, BENCH_PLAIN_CONFIG));
    for (k = 0; k < n; k += BENCH_CHUNK) {
        if ((ret = lr_bench_lt_load_range(ctx, sl, "scan", k, BENCH_MIN(n, k + BENCH_CHUNK),
               PICK_NOT_TENTH)) != 0 ||
          (ret = lr_bench_wt_load_range(ctx, ws, uri, k, BENCH_MIN(n, k + BENCH_CHUNK),
             PICK_ALL)) != 0 ||
          (ret = lr_bench_settle(ctx, cl, leader, follower)) != 0)
            goto err;
    }
    BENCH_LT(lt_node_get_info(cl, follower, &info));
    id = info.checkpoint_id;
    if ((ret = lr_bench_lt_load(ctx, sf, "scan", n, PICK_TENTH)) != 0)
        goto err;
    /* Write the plain table's pages, as the leader's checkpoint wrote stable's. */
    BENCH_WT(ws->checkpoint(ws, "target=(\"table:bench_scan\")"));

    /* One verifying pass per side, untimed: every key once, in order. */
    if ((ret = lr_bench_lt_scan(ctx, sf, "scan", 1, &rows[1], &sum[1])) != 0 ||
      (ret = lr_bench_wt_scan(ctx, ws, uri, 1, &rows[0], &sum[0])) != 0)
        goto err;
    BENCH_EXPECT(rows[1] == (uint64_t)n && rows[0] == (uint64_t)n,
      "scans returned %" PRIu64 " (layered) and %" PRIu64 " (plain) rows, expected %d", rows[1],
      rows[0], n);
    BENCH_EXPECT(sum[0] == sum[1], "scan checksums differ: %" PRIu64 " vs %" PRIu64, sum[0],
      sum[1]);

    for (r = 0; r < ctx->rounds; r++) {
        for (side = 0; side < 2; side++) {
            lay = side ^ (r & 1);
            total = 0;
            t0 = lr_now_ns();
            for (k = 0; k < ctx->scan_repeat; k++) {
                if (lay)
                    ret = lr_bench_lt_scan(ctx, sf, "scan", 0, &rows[1], &sum[1]);
                else
                    ret = lr_bench_wt_scan(ctx, ws, uri, 0, &rows[0], &sum[0]);
                if (ret != 0)
                    goto err;
                BENCH_EXPECT(rows[lay] == (uint64_t)n,
                  "%s scan returned %" PRIu64 " rows, expected %d", lay ? "layered" : "plain",
                  rows[lay], n);
                total += rows[lay];
            }
            rate[lay] = (double)total / lr_seconds_since(t0);
        }
        lr_bench_record(&ctx->m[BM_SCAN], r, rate[0], rate[1]);
    }
    (void)snprintf(ctx->m[BM_SCAN].note, sizeof(ctx->m[BM_SCAN].note),
      "%d rows: %d in stable (checkpoint %" PRIu64 " picked up by the follower), %d in the "
      "follower's ingest (every tenth key); plain: the same %d rows in one live table, "
      "checkpointed; %d full scans per measurement, each returned all %d rows (the first pass "
      "was checked key by key against the plain table)",
      n, n - (n + 9) / 10, id, (n + 9) / 10, n, ctx->scan_repeat, n);

err:
    if (ws != NULL)
        (void)ws->close(ws, NULL);
    (void)lt_session_close(sl);
    (void)lt_session_close(sf);
    if (lr_bench_cluster_close(ctx, cl) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

/* ---------------------------------------------------------------------------------------------
 * 4. Step-up drain of drain_rows follower ingest rows vs plain insert of the same rows.
 *
 * Each side of each round gets a fresh cluster with the same set-up (the leader creates the
 * layered table, publishes a checkpoint, the follower picks it up), so both write above the same
 * stable timestamp and neither pays for the other's leftovers: in one connection, 100 k rows
 * written above the stable timestamp cannot be evicted without lookaside, and whichever side ran
 * second paid for the first side's dirty pages (10-100x swings).
 */
typedef struct {
    uint64_t drained;
    int drain_events;
} bench_drain_obs;

static void
__bench_drain_observer(void *arg, const lt_event *ev)
{
    bench_drain_obs *o = arg;

    if (ev->type == LT_EV_DRAIN_TABLE) {
        o->drained += ev->count;
        o->drain_events++;
    }
}

static int
__bench_stepup_side(bench_ctx *ctx, int lay, double *secsp)
{
    WT_CONNECTION *conn;
    WT_SESSION *ws;
    bench_drain_obs obs;
    lt_cluster *cl;
    lt_session *sl, *sf;
    uint64_t id, rows, sum, t0;
    const char *uri = "table:bench_drain";
    int follower, leader, n, ret;

    sl = sf = NULL;
    ws = NULL;
    n = ctx->drain_rows;
    memset(&obs, 0, sizeof(obs));
    if ((ret = lr_bench_cluster_open(ctx, __bench_drain_observer, &obs, &cl, &leader, &follower)) !=
      0)
        return (ret);
    conn = lt_cluster_connection(cl);
    BENCH_LT(lt_session_open(cl, leader, &sl));
    BENCH_LT(lt_session_open(cl, follower, &sf));
    BENCH_WT(conn->open_session(conn, NULL, "isolation=snapshot", &ws));
    BENCH_LT(lt_create(sl, "drain"));
    BENCH_LT(lt_checkpoint(cl, leader, ctx->ts, &id));
    BENCH_LT(lt_pickup(cl, follower, id));

    if (lay) {
        if ((ret = lr_bench_lt_load(ctx, sf, "drain", n, PICK_ALL)) != 0)
            goto err;
        BENCH_LT(lt_step_down(cl, leader));
        obs.drained = 0;
        obs.drain_events = 0;
        t0 = lr_now_ns();
        BENCH_LT(lt_step_up(cl, follower));
        *secsp = lr_seconds_since(t0);
        BENCH_EXPECT(obs.drained == (uint64_t)n,
          "step-up drained %" PRIu64 " rows in %d table(s), expected %d", obs.drained,
          obs.drain_events, n);
        /* The new leader serves every row. */
        if ((ret = lr_bench_lt_scan(ctx, sf, "drain", 1, &rows, &sum)) != 0)
            goto err;
        BENCH_EXPECT(rows == (uint64_t)n,
          "after step-up the table holds %" PRIu64 " rows, expected %d", rows, n);
    } else {
        BENCH_WT(ws->create(ws, uri, BENCH_PLAIN_CONFIG));
        t0 = lr_now_ns();
        if ((ret = lr_bench_wt_load(ctx, ws, uri, n, PICK_ALL)) != 0)
            goto err;
        *secsp = lr_seconds_since(t0);
    }

err:
    if (ws != NULL)
        (void)ws->close(ws, NULL);
    (void)lt_session_close(sl);
    (void)lt_session_close(sf);
    if (lr_bench_cluster_close(ctx, cl) != 0 && ret == 0)
        ret = 1;
    return (ret);
}

int
lr_bench_stepup(bench_ctx *ctx)
{
    double secs[2] = {0, 0};
    int lay, r, ret, side;

    for (r = 0; r < ctx->rounds; r++) {
        for (side = 0; side < 2; side++) {
            lay = side ^ (r & 1);
            if ((ret = __bench_stepup_side(ctx, lay, &secs[lay])) != 0)
                return (ret);
        }
        lr_bench_record(&ctx->m[BM_STEPUP], r, secs[0], secs[1]);
    }
    (void)snprintf(ctx->m[BM_STEPUP].note, sizeof(ctx->m[BM_STEPUP].note),
      "time of lt_step_up of a follower holding %d rows in its ingest (written in %d-row "
      "transactions above the picked-up checkpoint; the leader stepped down first, untimed), "
      "vs inserting the same rows into a plain table in %d-row transactions; each side in a "
      "fresh cluster with the same set-up; the drain event reported every row moved and the new "
      "leader scanned all %d",
      ctx->drain_rows, BENCH_BATCH, BENCH_BATCH, ctx->drain_rows);
    return (0);
}

/* ---------------------------------------------------------------------------------------------
 * 5. The hook's admission cost, uncontended: the library's admission probe admits and releases a
 * schema operation exactly as create/drop/truncate do (read-side section, state check, counters,
 * admission event), without the operation itself. Policy reject; policy off in the baseline
 * column for comparison.
 */
int __lt_bench_admission(lt_cluster *cl, int node, uint64_t n, uint64_t *nsp);

int
lr_bench_admission(bench_ctx *ctx)
{
    lt_cluster *cl;
    lt_session *s;
    bench_metric *m;
    uint64_t took;
    double ns[2] = {0, 0};
    int follower, lay, leader, r, ret, side;

    m = &ctx->m[BM_ADMISSION];
    s = NULL;
    if ((ret = lr_bench_cluster_open(ctx, NULL, NULL, &cl, &leader, &follower)) != 0)
        return (ret);
    BENCH_LT(lt_session_open(cl, leader, &s));

    /* Round -1 is a warm-up, not recorded. */
    for (r = -1; r < ctx->adm_rounds; r++) {
        for (side = 0; side < 2; side++) {
            lay = side ^ (r & 1);
            BENCH_LT(lt_set_policy(cl, leader, lay ? LT_POLICY_REJECT : LT_POLICY_OFF));
            BENCH_LT(__lt_bench_admission(cl, leader, (uint64_t)ctx->adm_iters, &took));
            ns[lay] = (double)took / ctx->adm_iters;
        }
        if (r >= 0)
            lr_bench_record(m, r, ns[0], ns[1]);
    }
    BENCH_LT(lt_set_policy(cl, leader, LT_POLICY_REJECT));
    (void)snprintf(m->note, sizeof(m->note),
      "method: the library's admission probe admits and releases %d schema operations per "
      "batch on the leader, uncontended, as create/drop/truncate do (read-side section, state "
      "check, in-flight and admitted counters, admission event); layered column = policy "
      "reject, baseline column = policy off; %d rounds, median",
      ctx->adm_iters, ctx->adm_rounds);

err:
    (void)lt_session_close(s);
    if (lr_bench_cluster_close(ctx, cl) != 0 && ret == 0)
        ret = 1;
    return (ret);
}
