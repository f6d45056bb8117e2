/*
 * cursor_inject.c -- transactions on the three sides, the second session's prepared
 * transactions, and the extreme injections, all run under the test cursors' positions.
 *
 * Each injection applies where it is valid and is skipped on every side alike where it is not:
 *   gc          ingest GC on both nodes (with the application's oldest timestamps, moved first)
 *   checkpoint  the leader checkpoints at the newest committed timestamp (below an open
 *               transaction's commit timestamp), the follower picks it up; not while a prepared
 *               transaction is outstanding
 *   swap        checkpoint everything, the leader steps down, the other node steps up; only with
 *               no transaction open (a role change rolls back a layered transaction that wrote,
 *               which a plain table has no counterpart for)
 *   tombstones  remove every visible row through a utility cursor, counting them on each side
 *   truncate    lt_truncate; the oracle removes every row
 *   bulk        insert `rows` rows right after one key
 * Rows written by an injection go into the open transaction, or into one of their own.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "cursor/cursor_int.h"

static const char *const lr_cur_iso_wt[] = {"snapshot", "read-committed", "read-uncommitted"};

/* Compare the three sides' return codes: 0 if equal, else 1 with x->err written. */
static int
__rcs(lr_cur_ctx *x, const char *what, const int rc[3])
{
    if (rc[0] == rc[2] && rc[1] == rc[2])
        return (0);
    (void)snprintf(x->err, sizeof(x->err), "%s: node 0 rc=%s, node 1 rc=%s, oracle rc=%s (%s)",
      what, lt_strerror(rc[0]), lt_strerror(rc[1]), lt_strerror(rc[2]), lt_last_error());
    return (1);
}

static int
__fail(lr_cur_ctx *x, const char *what, int rc)
{
    (void)snprintf(x->err, sizeof(x->err), "%s failed: %s (%s)", what, lt_strerror(rc),
      lt_last_error());
    return (1);
}

int
lr_cur_txn_begin_all(lr_cur_ctx *x, int iso, uint64_t read_ts, uint64_t commit_ts)
{
    WT_SESSION *o = x->o.s;
    lt_txn_config tc;
    char buf[128];
    int i, rc[3];

    memset(&tc, 0, sizeof(tc));
    tc.isolation = (lt_isolation)(iso % 3);
    tc.read_ts = read_ts;
    tc.commit_ts = commit_ts;
    for (i = 0; i < 2; i++)
        rc[i] = lt_txn_begin(x->l[i].s, &tc);
    if (read_ts != 0)
        (void)snprintf(buf, sizeof(buf), "isolation=%s,read_timestamp=%" PRIx64,
          lr_cur_iso_wt[iso % 3], read_ts);
    else
        (void)snprintf(buf, sizeof(buf), "isolation=%s", lr_cur_iso_wt[iso % 3]);
    rc[2] = o->begin_transaction(o, buf); /* the commit timestamp is set at commit, as lt does */
    if (rc[0] == 0 && rc[1] == 0 && rc[2] == 0) {
        x->in_txn = true;
        x->commit_ts = x->clock = commit_ts;
        x->can_write = iso % 3 == LT_ISO_SNAPSHOT && read_ts == 0;
        return (0);
    }
    for (i = 0; i < 2; i++)
        if (rc[i] == 0)
            (void)lt_txn_rollback(x->l[i].s);
    if (rc[2] == 0)
        (void)o->rollback_transaction(o, NULL);
    return (__rcs(x, "begin", rc));
}

int
lr_cur_txn_end_all(lr_cur_ctx *x, bool commit, int rc[3])
{
    WT_SESSION *o = x->o.s;
    char buf[64];
    int i;

    lr_cur_oracle_park(x);
    for (i = 0; i < 2; i++)
        rc[i] = commit ? lt_txn_commit(x->l[i].s, 0) : lt_txn_rollback(x->l[i].s);
    if (commit) {
        (void)snprintf(buf, sizeof(buf), "commit_timestamp=%" PRIx64, x->commit_ts);
        if ((rc[2] = o->timestamp_transaction(o, buf)) == 0)
            rc[2] = o->commit_transaction(o, NULL);
        else
            (void)o->rollback_transaction(o, NULL);
    } else
        rc[2] = o->rollback_transaction(o, NULL);
    x->in_txn = false;
    x->moved++;
    if (commit && rc[2] == 0 && x->commit_ts > x->committed)
        x->committed = x->commit_ts;
    return (__rcs(x, commit ? "commit" : "rollback", rc));
}

/* ---------------------------------------------------------------------------------------------
 * The second session: a prepared transaction the first session runs into.
 */
int
lr_cur_s2(lr_cur_ctx *x, const lr_cur_op *op, bool *skipped)
{
    WT_SESSION *o = x->o.s2;
    WT_CURSOR *oc = x->o.c2;
    lt_txn_config tc;
    WT_ITEM v;
    char key[LR_CUR_KEY_LEN], val[LR_CUR_VAL_LEN], buf[96];
    size_t vlen;
    int i, rc[3];
    bool commit = op->type == LR_CUR_S2_COMMIT;

    if (op->type == LR_CUR_S2_PREPARE) {
        if (x->s2_prep || x->in_txn) {
            *skipped = true;
            return (0);
        }
        x->s2_ts = ++x->clock;
        lr_cur_key(op->key, key, sizeof(key));
        vlen = lr_cur_value(op->val, val, sizeof(val));
        memset(&tc, 0, sizeof(tc));
        tc.commit_ts = x->s2_ts;
        for (i = 0; i < 2; i++) {
            lr_cur_lside *L = &x->l[i];

            if ((rc[i] = lt_txn_begin(L->s2, &tc)) == 0) {
                lt_cursor_set_key(L->c2, key);
                lt_cursor_set_value(L->c2, val, vlen);
                if ((rc[i] = lt_cursor_insert(L->c2)) == 0)
                    rc[i] = lt_txn_prepare(L->s2, x->s2_ts);
            }
        }
        if ((rc[2] = o->begin_transaction(o, "isolation=snapshot")) == 0) {
            v.data = val;
            v.size = vlen;
            oc->set_key(oc, key);
            oc->set_value(oc, &v);
            if ((rc[2] = oc->insert(oc)) == 0) {
                (void)snprintf(buf, sizeof(buf), "prepare_timestamp=%" PRIx64, x->s2_ts);
                rc[2] = o->prepare_transaction(o, buf);
            }
        }
        if (rc[0] == 0 && rc[1] == 0 && rc[2] == 0) {
            x->s2_prep = true;
            x->s2_key = op->key;
            /*
             * A prepared write is data that moved: the layered cursors read it at their next
             * operation (a WT_PREPARE_CONFLICT), while a positioned oracle cursor outside a
             * transaction would keep its session on the older snapshot. Release the oracle's
             * positions as after a commit (see cursor_exec.c).
             */
            x->moved++;
            return (0);
        }
        for (i = 0; i < 2; i++)
            if (lt_txn_active(x->l[i].s2))
                (void)lt_txn_rollback(x->l[i].s2);
        (void)o->rollback_transaction(o, NULL);
        return (__rcs(x, "prepare in the second session", rc));
    }
    if (!x->s2_prep || x->in_txn) {
        *skipped = true;
        return (0);
    }
    for (i = 0; i < 2; i++)
        rc[i] = commit ? lt_txn_commit(x->l[i].s2, 0) : lt_txn_rollback(x->l[i].s2);
    if (commit) {
        (void)snprintf(buf, sizeof(buf), "commit_timestamp=%" PRIx64, x->s2_ts);
        if ((rc[2] = o->timestamp_transaction(o, buf)) == 0) {
            (void)snprintf(buf, sizeof(buf), "durable_timestamp=%" PRIx64, x->s2_ts);
            rc[2] = o->commit_transaction(o, buf);
        } else
            (void)o->rollback_transaction(o, NULL);
        if (rc[2] == 0 && x->s2_ts > x->committed)
            x->committed = x->s2_ts;
    } else
        rc[2] = o->rollback_transaction(o, NULL);
    for (i = 0; i < 2; i++) /* idle until the next prepare: it pins nothing meanwhile */
        (void)lt_cursor_reset(x->l[i].c2);
    x->s2_prep = false;
    x->moved++;
    return (__rcs(x,
      commit ? "commit of the prepared transaction" : "rollback of the prepared transaction", rc));
}

/* ---------------------------------------------------------------------------------------------
 * Injections.
 */
static int
__checkpoint(lr_cur_ctx *x, uint64_t ts)
{
    int rc;

    if (x->leader < 0)
        return (0); /* no leader: nothing to checkpoint */
    if ((rc = lt_checkpoint(x->cl, x->leader, ts, NULL)) != 0)
        return (__fail(x, "checkpoint", rc));
    if ((rc = lt_pickup(x->cl, 1 - x->leader, 0)) != 0)
        return (__fail(x, "pickup", rc));
    x->ckpt_ts = ts;
    return (0);
}

/* Remove every visible row through the utility cursors; the counts must agree. */
static int
__remove_all(lr_cur_ctx *x, bool layered, const char *what)
{
    WT_CURSOR *oc = x->o.u;
    uint64_t n[3] = {0, 0, 0};
    int i, rc[3];

    for (i = 0; layered && i < 2; i++) {
        lt_cursor *u = x->l[i].u;

        (void)lt_cursor_reset(u);
        while ((rc[i] = lt_cursor_next(u)) == 0 && (rc[i] = lt_cursor_remove(u)) == 0)
            n[i]++;
        if (rc[i] == WT_NOTFOUND)
            rc[i] = 0;
        (void)lt_cursor_reset(u);
    }
    (void)oc->reset(oc);
    while ((rc[2] = oc->next(oc)) == 0 && (rc[2] = oc->remove(oc)) == 0)
        n[2]++;
    if (rc[2] == WT_NOTFOUND)
        rc[2] = 0;
    (void)oc->reset(oc);
    if (!layered) {
        rc[0] = rc[1] = rc[2];
        n[0] = n[1] = n[2];
    }
    if (__rcs(x, what, rc) != 0)
        return (1);
    if (n[0] != n[2] || n[1] != n[2]) {
        (void)snprintf(x->err, sizeof(x->err),
          "%s: removed %" PRIu64 " rows on node 0, %" PRIu64 " on node 1, %" PRIu64
          " in the oracle",
          what, n[0], n[1], n[2]);
        return (1);
    }
    return (0);
}

static int
__bulk(lr_cur_ctx *x, const lr_cur_op *op)
{
    WT_CURSOR *oc = x->o.u;
    WT_ITEM v;
    char key[64], val[32];
    uint32_t j;
    int i, rc[3] = {0, 0, 0};

    for (j = 0; j < op->arg && rc[0] == 0 && rc[1] == 0 && rc[2] == 0; j++) {
        (void)snprintf(key, sizeof(key), "k%04" PRIu32 ".%05" PRIu32, op->key, j);
        (void)snprintf(val, sizeof(val), "b%" PRIu32, j);
        for (i = 0; i < 2; i++) {
            lt_cursor_set_key(x->l[i].u, key);
            lt_cursor_set_value(x->l[i].u, val, strlen(val));
            rc[i] = lt_cursor_insert(x->l[i].u);
        }
        v.data = val;
        v.size = strlen(val);
        oc->set_key(oc, key);
        oc->set_value(oc, &v);
        rc[2] = oc->insert(oc);
    }
    /* An idle utility cursor pins nothing (a follower's view would hold back GC). */
    for (i = 0; i < 2; i++)
        (void)lt_cursor_reset(x->l[i].u);
    return (__rcs(x, "bulk insert", rc));
}

/*
 * With the application's oldest timestamps: move node's oldest to the newest checkpoint's
 * timestamp (every read timestamp the executor hands out is at or above it), outside a
 * transaction (an open one's read timestamp may be older). Positioned cursors keep older views.
 */
static int
__move_oldest(lr_cur_ctx *x, int node)
{
    uint64_t oldest, stable, to = x->ckpt_ts;
    char cfg[64];
    int rc;

    if (!lr_cur_app_oldest(x->cfg) || x->in_txn)
        return (0);
    if ((rc = lt_node_get_timestamps(x->cl, node, &oldest, &stable)) != 0)
        return (rc);
    if (stable != 0 && to > stable)
        to = stable;
    if (to <= oldest)
        return (0);
    (void)snprintf(cfg, sizeof(cfg), "oldest_timestamp=%" PRIx64, to);
    return (lt_node_set_timestamp(x->cl, node, cfg));
}

int
lr_cur_inject(lr_cur_ctx *x, const lr_cur_op *op, bool *skipped)
{
    uint64_t ts;
    bool own;
    int i, rc, rcs[3];

    switch (op->type) {
    case LR_CUR_INJ_GC:
        for (i = 0; i < 2; i++) {
            if ((rc = __move_oldest(x, i)) != 0)
                return (__fail(x, "moving the oldest timestamp", rc));
            if ((rc = lt_gc(x->cl, i, NULL)) != 0)
                return (__fail(x, "gc", rc));
            if (getenv("DBGO")) {
                uint64_t o, st;
                int j;
                if (getenv("DBGR"))
                    for (j = 0; j < 3; j++) {
                        (void)lt_cursor_reset(x->l[0].c[j]);
                        (void)lt_cursor_reset(x->l[1].c[j]);
                    }
                if (getenv("DBGR2")) {
                    (void)lt_cursor_reset(x->l[0].c2);
                    (void)lt_cursor_reset(x->l[1].c2);
                }
                (void)lt_node_get_timestamps(x->cl, i, &o, &st);
                fprintf(stderr, "GC node %d oldest %lu stable %lu clock %lu leader %d\n", i,
                  (unsigned long)o, (unsigned long)st, (unsigned long)x->clock, x->leader);
            }
        }
        x->moved++;
        return (0);
    case LR_CUR_INJ_CKPT:
        ts = x->committed;
        if (x->in_txn && ts >= x->commit_ts)
            ts = x->commit_ts - 1;
        if (x->s2_prep || ts == 0 || ts < x->ckpt_ts) {
            *skipped = true;
            return (0);
        }
        x->moved++;
        return (__checkpoint(x, ts));
    case LR_CUR_INJ_SWAP:
        if (x->in_txn || x->s2_prep) {
            *skipped = true;
            return (0);
        }
        x->moved++;
        if (x->leader >= 0) {
            if (x->committed > x->ckpt_ts && __checkpoint(x, x->committed) != 0)
                return (1);
            if ((rc = lt_step_down(x->cl, x->leader)) != 0)
                return (__fail(x, "step-down", rc));
            x->leader = -1;
            return (0);
        }
        x->stepping = (int)(op->key % 2);
        x->check_armed = true;
        x->check_rc = 0;
        rc = lt_step_up(x->cl, x->stepping);
        x->check_armed = false;
        if (rc != 0)
            return (__fail(x, "step-up", rc));
        x->leader = x->stepping;
        return (x->check_rc);
    default:
        break;
    }
    /* Tombstones, truncate, bulk: rows written in a transaction. */
    if (x->s2_prep || (x->in_txn && !x->can_write)) {
        *skipped = true;
        return (0);
    }
    own = !x->in_txn;
    if (own && lr_cur_txn_begin_all(x, LT_ISO_SNAPSHOT, 0, x->clock + 1) != 0)
        return (1);
    if (op->type == LR_CUR_INJ_TOMB)
        rc = __remove_all(x, true, "removing every row");
    else if (op->type == LR_CUR_INJ_TRUNC) {
        for (i = 0; i < 2; i++)
            rcs[i] = lt_truncate(x->l[i].s, LR_CUR_TABLE);
        rcs[2] = 0;
        rc = __rcs(x, "truncate", rcs);
        if (rc == 0)
            rc = __remove_all(x, false, "truncate (oracle)");
    } else
        rc = __bulk(x, op);
    x->moved++;
    if (own) {
        if (rc != 0) {
            (void)lr_cur_txn_end_all(x, false, rcs);
            return (rc);
        }
        return (lr_cur_txn_end_all(x, true, rcs));
    }
    return (rc);
}

/* ---------------------------------------------------------------------------------------------
 * The step-up check: at drain.entry the new leader still reads its ingest (the drain has not
 * moved it yet); point reads of every key and a full scan must agree with the oracle. It reads
 * through the second sessions, which hold no transaction here.
 */
static int
__midcheck(lr_cur_ctx *x, int node)
{
    lt_cursor *c = x->l[node].c2;
    WT_CURSOR *oc = x->o.c2;
    const char *lk, *ok;
    const void *lv;
    size_t lvl;
    WT_ITEM ov;
    char key[LR_CUR_KEY_LEN], shown[128];
    uint32_t k;
    int lrc, orc;

    for (k = 0; k < x->cfg->keys; k++) {
        lr_cur_key(k, key, sizeof(key));
        lt_cursor_set_key(c, key);
        oc->set_key(oc, key);
        lrc = lt_cursor_search(c);
        orc = oc->search(oc);
        if (lrc == 0 && orc == 0 && lt_cursor_get_value(c, &lv, &lvl) == 0 &&
          oc->get_value(oc, &ov) == 0 && (lvl != ov.size || memcmp(lv, ov.data, lvl) != 0))
            lrc = -1;
        if (lrc != orc) {
            lr_cur_key_show(key, shown, sizeof(shown));
            (void)snprintf(x->err, sizeof(x->err),
              "during the step-up of node %d (drain.entry): "
              "search %s: node %d rc=%s, oracle rc=%s",
              node, shown, node, lt_strerror(lrc), lt_strerror(orc));
            return (1);
        }
    }
    (void)lt_cursor_reset(c);
    (void)oc->reset(oc);
    for (;;) {
        lrc = lt_cursor_next(c);
        orc = oc->next(oc);
        if (lrc != orc ||
          (lrc == 0 &&
            (lt_cursor_get_key(c, &lk) != 0 || oc->get_key(oc, &ok) != 0 || strcmp(lk, ok) != 0))) {
            (void)snprintf(x->err, sizeof(x->err),
              "during the step-up of node %d (drain.entry): "
              "scan: node %d rc=%s, oracle rc=%s",
              node, node, lt_strerror(lrc), lt_strerror(orc));
            return (1);
        }
        if (lrc != 0)
            break;
    }
    (void)lt_cursor_reset(c);
    (void)oc->reset(oc);
    return (0);
}

void
lr_cur_yield(void *arg, const char *site, int node)
{
    lr_cur_ctx *x = arg;

    if (x->check_armed && node == x->stepping && strcmp(site, "drain.entry") == 0) {
        x->check_armed = false;
        x->check_rc = __midcheck(x, node);
    }
}
