/*
 * cursor_exec.c -- the executor: runs each operation on the leader node, the follower node and
 * the oracle, and compares return code, key, value and exactness at once.
 *
 * Both layered sides always run every operation (the follower reads the rows the leader
 * checkpoints, as it would from an operation log); --node only chooses which of them are
 * compared. Transactions and timestamps are the same on the three sides: one BEGIN opens a
 * transaction in each session with the same isolation, read timestamp and commit timestamp.
 *
 * Normalisations (WiredTiger behaviour that is not a layered semantic), documented in the README:
 *   - A positioned plain cursor outside a transaction pins its session's snapshot; the layered
 *     cursor releases its constituents when the node's data moved and re-seeks from its key. The
 *     oracle does the same: after a commit or an injection, at the session's next operation
 *     outside a transaction, each positioned oracle cursor remembers its key and is reset; its
 *     next move re-seeks from that key (search_near, then one step if needed). A prepared write
 *     of the second session counts as data that moved (a layered read meets it at once, as
 *     WT_PREPARE_CONFLICT, where the pinned oracle snapshot would not), and the release also
 *     runs before a BEGIN (the pinned snapshot would outlive the begin: a read-committed
 *     transaction would then miss a prepared write the layered side reports).
 *   - Remove follows upstream's layered cursor, not a plain one: by key (or from the position of
 *     the cursor's own remove) an absent key is WT_NOTFOUND on every cursor, so the oracle looks
 *     the key up first; from a position the cursor read, the remove has no lookup and a key
 *     removed since is no error, so the oracle counts WT_NOTFOUND as success.
 *   - An overwrite update through a cursor that never read (upstream's cursor then has no read
 *     constituents to hold a position) leaves it unpositioned: the oracle resets its cursor.
 *   - Writes run only in snapshot transactions without a read timestamp, and the second
 *     session's prepared transaction is resolved only outside the first session's transaction.
 *     Elsewhere WiredTiger reports write-write conflicts (WT_ROLLBACK) or refuses (modify outside
 *     snapshot isolation: ENOTSUP; a commit timestamp outside snapshot isolation: EINVAL at
 *     commit), and liblayered does not model write conflicts on a follower: each ingest version
 *     is its own row, so a follower write never conflicts. See the README.
 *   - A positioned update, modify or remove runs on the oracle by the cursor's key: WiredTiger
 *     3.2.1 applies a positioned modify to a key another cursor removed (from the cursor's
 *     copy).
 *   - search_near: WiredTiger may return the smaller neighbour while a larger key exists; the
 *     oracle then steps to the larger one (a leader's layered answer: larger first, exact > 0).
 *     A follower, as upstream's, may return the smaller one too (layered/search_near.c): its
 *     cursor then steps once, which must land on the oracle's key.
 *   - An overwrite=false insert the oracle refuses (WT_DUPLICATE_KEY) is not replayed on a
 *     follower: as upstream's, it checks only its own writes, so it would write.
 *   - Read timestamps only with snapshot isolation (read-committed with a read timestamp is not
 *     compared: the follower's checkpoint choice for it is not modelled yet).
 *   - A positioned write (no set_key) on a cursor the oracle holds unpositioned is skipped: the
 *     outcome would be an EINVAL that WiredTiger reports on stderr.
 *   - A follower's step outside a transaction may serve its parked ingest candidate (upstream's
 *     alternate constituent, layered/merge.c): it then reads as the oracle did at the step that
 *     computed the candidate. Such a step is checked against the oracle as of those states and
 *     the follower then reads the oracle's row afresh (cursor_park.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/fs.h"
#include "cursor/cursor_trace.h"

/* WiredTiger's own messages about expected errors (EINVAL, conflicts) are noise here. */
static int
__quiet_error(WT_EVENT_HANDLER *h, WT_SESSION *s, int error, const char *msg)
{
    (void)h;
    (void)s;
    (void)error;
    if (getenv("LRC_WT_VERBOSE") != NULL)
        fprintf(stderr, "oracle: %s\n", msg);
    return (0);
}
static WT_EVENT_HANDLER lr_cur_quiet = {__quiet_error, NULL, NULL, NULL};

/* ---------------------------------------------------------------------------------------------
 * One operation on a layered side.
 */
static void
__l_op(lr_cur_ctx *x, lr_cur_lside *L, const lr_cur_op *op, const char *key, const char *val,
  size_t vlen, lr_cur_res *r)
{
    lt_cursor *c = L->c[op->cur];
    WT_MODIFY m;
    char mbuf[16];

    memset(r, 0, sizeof(*r));
    switch (op->type) {
    case LR_CUR_SEARCH:
        lt_cursor_set_key(c, key);
        r->rc = lt_cursor_search(c);
        lr_cur_l_fill(c, r);
        break;
    case LR_CUR_SEARCH_NEAR:
        lt_cursor_set_key(c, key);
        r->rc = lt_cursor_search_near(c, &r->exact);
        lr_cur_l_fill(c, r);
        break;
    case LR_CUR_NEXT:
    case LR_CUR_PREV:
        r->rc = op->type == LR_CUR_NEXT ? lt_cursor_next(c) : lt_cursor_prev(c);
        lr_cur_l_fill(c, r);
        break;
    case LR_CUR_RESET:
        r->rc = lt_cursor_reset(c);
        break;
    case LR_CUR_INSERT:
        lt_cursor_set_key(c, key);
        lt_cursor_set_value(c, val, vlen);
        r->rc = lt_cursor_insert(c);
        break;
    case LR_CUR_UPDATE:
        if (!op->pos)
            lt_cursor_set_key(c, key);
        lt_cursor_set_value(c, val, vlen);
        r->rc = lt_cursor_update(c);
        break;
    case LR_CUR_REMOVE:
        if (!op->pos)
            lt_cursor_set_key(c, key);
        r->rc = lt_cursor_remove(c);
        break;
    case LR_CUR_MODIFY:
        if (!op->pos)
            lt_cursor_set_key(c, key);
        lr_cur_modify_entry(op->val, &m, mbuf, sizeof(mbuf));
        r->rc = lt_cursor_modify(c, &m, 1);
        break;
    case LR_CUR_REOPEN:
        (void)lt_cursor_close(c);
        L->c[op->cur] = NULL;
        r->rc = lt_cursor_open(L->s, LR_CUR_TABLE, op->cur == 2 ? "overwrite=false" : NULL,
          &L->c[op->cur]);
        break;
    }
    (void)x;
}

/*
 * __l_dup_skip --
 *     A follower's overwrite=false insert checks only its own writes, as upstream's (the leader
 *     validated the insert), so an insert the oracle refuses is not replayed there: it would write.
 *     The cursor is left as the refused insert leaves it, unpositioned with the key.
 */
static void
__l_dup_skip(lr_cur_lside *L, const lr_cur_op *op, const char *key, const lr_cur_res *ro,
  lr_cur_res *r)
{
    lt_cursor *c = L->c[op->cur];

    *r = *ro;
    if (lt_cursor_reset(c) != 0)
        r->rc = EINVAL;
    lt_cursor_set_key(c, key);
}

/*
 * __l_near_larger --
 *     search_near on a follower may return the smaller neighbour although a larger key exists
 *     (upstream's follower rule, layered/search_near.c). Then one step must land on the oracle's
 *     key: that checks the key was the nearest smaller one, and the sides stay in step.
 */
static void
__l_near_larger(lr_cur_lside *L, const lr_cur_op *op, const lr_cur_res *ro, lr_cur_res *r)
{
    lt_cursor *c = L->c[op->cur];

    if (r->rc != 0 || r->exact >= 0 || ro->rc != 0 || ro->exact <= 0)
        return;
    memset(r, 0, sizeof(*r));
    r->rc = lt_cursor_next(c);
    r->exact = 1;
    lr_cur_l_fill(c, r);
}

/* ---------------------------------------------------------------------------------------------
 * Comparison and reports.
 */
/* Is side i compared? */
static bool
__compared(lr_cur_ctx *x, int i)
{
    return ((x->cfg->node & (i == x->leader ? LR_CUR_NODE_LEADER : LR_CUR_NODE_FOLLOWER)) != 0);
}

/* ---------------------------------------------------------------------------------------------
 * Set-up and tear-down.
 */
static int
__open(lr_cur_ctx *x, const char *home)
{
    WT_CONNECTION *conn;
    lt_cluster_config cc;
    lt_session *s;
    int i, j, rc;

    lt_cluster_config_init(&cc);
    cc.home = home;
    cc.nodes = 2;
    cc.faults = x->cfg->faults;
    cc.app_oldest = lr_cur_app_oldest(x->cfg);
    cc.wt_config = "checkpoint_sync=false";
    cc.yield = lr_cur_yield;
    cc.yield_arg = x;
    if (x->cfg->trace != NULL) /* an untraced run has no observer */
        cc.observer = lr_cur_trace_observe;
    if ((rc = lt_cluster_open(&cc, &x->cl)) != 0)
        return (rc);
    if ((rc = lt_step_up(x->cl, 0)) != 0 || (rc = lt_session_open(x->cl, 0, &s)) != 0)
        return (rc);
    x->leader = 0;
    x->clock = x->ckpt_ts = 1; /* the set-up checkpoint's timestamp */
    rc = lt_create(s, LR_CUR_TABLE);
    (void)lt_session_close(s);
    if (rc != 0 || (rc = lt_checkpoint(x->cl, 0, 1, NULL)) != 0 ||
      (rc = lt_pickup(x->cl, 1, 0)) != 0)
        return (rc);
    for (i = 0; i < 2; i++) {
        lr_cur_lside *L = &x->l[i];

        L->node = i;
        if ((rc = lt_session_open(x->cl, i, &L->s)) != 0 ||
          (rc = lt_session_open(x->cl, i, &L->s2)) != 0 ||
          (rc = lt_cursor_open(L->s, LR_CUR_TABLE, NULL, &L->u)) != 0 ||
          (rc = lt_cursor_open(L->s2, LR_CUR_TABLE, NULL, &L->c2)) != 0)
            return (rc);
        for (j = 0; j < LR_CUR_CURSORS; j++)
            if ((rc = lt_cursor_open(L->s, LR_CUR_TABLE, j == 2 ? "overwrite=false" : NULL,
                   &L->c[j])) != 0)
                return (rc);
    }
    conn = lt_cluster_connection(x->cl);
    if ((rc = conn->open_session(conn, &lr_cur_quiet, "isolation=read-committed", &x->o.s)) != 0 ||
      (rc = conn->open_session(conn, &lr_cur_quiet, "isolation=snapshot", &x->o.s2)) != 0 ||
      (rc = x->o.s->create(x->o.s, "table:lr_cur_oracle",
         "key_format=S,value_format=u,log=(enabled=false)")) != 0 ||
      (rc = x->o.s->open_cursor(x->o.s, "table:lr_cur_oracle", NULL, NULL, &x->o.u)) != 0 ||
      (rc = x->o.s2->open_cursor(x->o.s2, "table:lr_cur_oracle", NULL, NULL, &x->o.c2)) != 0 ||
      (rc = conn->open_session(conn, &lr_cur_quiet, "isolation=snapshot", &x->o.sh)) != 0 ||
      (rc = x->o.sh->open_cursor(x->o.sh, "table:lr_cur_oracle", NULL, NULL, &x->o.ch)) != 0)
        return (rc);
    for (j = 0; j < LR_CUR_CURSORS; j++)
        if ((rc = x->o.s->open_cursor(x->o.s, "table:lr_cur_oracle", NULL,
               j == 2 ? "overwrite=false" : NULL, &x->o.c[j])) != 0)
            return (rc);
    return (0);
}

/* ---------------------------------------------------------------------------------------------
 * The run.
 */
static bool
__is_write(int t)
{
    return (t >= LR_CUR_INSERT && t <= LR_CUR_MODIFY);
}

/*
 * __driver_end --
 *     The end of a transaction's, an injection's or a second-session operation's slice on the
 *     driver track. Returns 0, or 1 on a divergence (desc filled from x->err).
 */
static int
__driver_end(lr_cur_ctx *x, int rc, bool skipped, char *desc, size_t dlen)
{
    if (rc == 0) {
        lr_cur_trace_end(skipped ? "skipped" : "ok");
        return (0);
    }
    (void)snprintf(desc, dlen, "%s", x->err);
    lr_cur_trace_end("divergence");
    lr_cur_trace_divergence(LR_TRACE_DRIVER, desc);
    return (1);
}

/*
 * __step --
 *     Run one operation everywhere. Returns 0, or 1 on a divergence (desc filled).
 */
static int
__step(lr_cur_ctx *x, const lr_cur_op *op, lr_cur_result *res, char *desc, size_t dlen,
  bool *skipped, const char **listp, char *lbuf, size_t llen)
{
    char key[LR_CUR_KEY_LEN], val[LR_CUR_VAL_LEN], from[LR_CUR_KEY_LEN], a[256], b[256], why[256];
    lr_cur_res ro, rl[2];
    size_t vlen;
    double t0;
    uint64_t parked;
    int i, rc, rcs[3];
    bool hasfrom;

    *skipped = false;
    *listp = NULL;
    if (op->type >= LR_CUR_INJ_GC ||
      (op->type >= LR_CUR_S2_PREPARE && op->type <= LR_CUR_S2_ROLLBACK)) {
        lr_cur_trace_begin(LR_TRACE_DRIVER, NULL);
        rc = op->type >= LR_CUR_INJ_GC ? lr_cur_inject(x, op, skipped) : lr_cur_s2(x, op, skipped);
        return (__driver_end(x, rc, *skipped, desc, dlen));
    }
    /* While a prepared transaction is outstanding: point reads of its key, transactions. */
    if (x->s2_prep && !(op->type == LR_CUR_SEARCH && op->key == x->s2_key) &&
      op->type != LR_CUR_BEGIN && op->type != LR_CUR_COMMIT && op->type != LR_CUR_ROLLBACK) {
        *skipped = true;
        return (0);
    }
    if (op->type == LR_CUR_BEGIN || op->type == LR_CUR_COMMIT || op->type == LR_CUR_ROLLBACK) {
        if ((op->type == LR_CUR_BEGIN) == x->in_txn) {
            *skipped = true;
            return (0);
        }
        if (op->type == LR_CUR_BEGIN) {
            uint64_t rts = 0;

            if (op->arg != 0 && op->iso == LT_ISO_SNAPSHOT) {
                rts = x->clock > op->arg ? x->clock - op->arg : 1;
                if (rts < x->ckpt_ts)
                    rts = x->ckpt_ts;
                if (rts == 0)
                    rts = 1;
            }
            /* The old snapshot a positioned oracle cursor pins would outlive the begin. */
            lr_cur_oracle_release(x);
            lr_cur_trace_begin(LR_TRACE_DRIVER, NULL);
            rc = lr_cur_txn_begin_all(x, op->iso, rts, x->clock + 1);
        } else {
            lr_cur_trace_begin(LR_TRACE_DRIVER, NULL);
            rc = lr_cur_txn_end_all(x, op->type == LR_CUR_COMMIT, rcs);
        }
        return (__driver_end(x, rc, false, desc, dlen));
    }
    if (__is_write(op->type) && (!x->in_txn || !x->can_write)) {
        *skipped = true;
        return (0);
    }
    lr_cur_oracle_release(x);
    if (__is_write(op->type) && op->pos && op->type != LR_CUR_INSERT && !x->o.positioned[op->cur] &&
      !x->o.virt[op->cur]) {
        *skipped = true;
        return (0);
    }
    /* Format only what the operation uses (a positioned write acts on the cursor's key). */
    key[0] = val[0] = '\0';
    vlen = 0;
    if (op->type == LR_CUR_SEARCH || op->type == LR_CUR_SEARCH_NEAR || op->type == LR_CUR_INSERT ||
      (__is_write(op->type) && !op->pos))
        lr_cur_key(op->key, key, sizeof(key));
    if (op->type == LR_CUR_INSERT || op->type == LR_CUR_UPDATE)
        vlen = lr_cur_value(op->val, val, sizeof(val));
    hasfrom = lr_cur_oracle_where(x, op->cur, from, sizeof(from));
    lr_cur_trace_begin(LR_CUR_TRACK_ORACLE, NULL);
    t0 = lr_now_s();
    lr_cur_oracle_op(x, op, key, val, vlen, &ro);
    res->oracle_seconds += lr_now_s() - t0;
    lr_cur_trace_res(op->type, &ro);
    for (i = 0; i < 2; i++) {
        lr_cur_trace_begin(LR_CUR_TRACK_NODE(i), i == x->leader ? "leader" : "follower");
        t0 = lr_now_s();
        if (i != x->leader && op->type == LR_CUR_INSERT && ro.rc == WT_DUPLICATE_KEY)
            __l_dup_skip(&x->l[i], op, key, &ro, &rl[i]);
        else
            __l_op(x, &x->l[i], op, key, val, vlen, &rl[i]);
        if (i != x->leader && op->type == LR_CUR_SEARCH_NEAR)
            __l_near_larger(&x->l[i], op, &ro, &rl[i]);
        res->role_seconds[i == x->leader ? 0 : 1] += lr_now_s() - t0;
        lr_cur_trace_res(op->type, &rl[i]);
    }
    res->compared++;
    if (lbuf != NULL) {
        lr_cur_res_format(op->type, &ro, lbuf, llen);
        *listp = lbuf;
    }
    parked = x->parked;
    for (i = 0; i < 2; i++) {
        why[0] = '\0';
        if (!__compared(x, i) || lr_cur_res_equal(op->type, &ro, &rl[i]) ||
          (i != x->leader &&
            lr_cur_park_accept(x, &x->l[i], op, hasfrom ? from : NULL, &ro, &rl[i], why,
              sizeof(why))))
            continue;
        lr_cur_res_format(op->type, &ro, a, sizeof(a));
        lr_cur_res_format(op->type, &rl[i], b, sizeof(b));
        (void)snprintf(desc, dlen,
          "node %d (%s) differs from the oracle\n  expected: %s\n"
          "  actual:   %s%s",
          i, i == x->leader ? "leader" : "follower", a, b, why);
        lr_cur_trace_divergence(LR_CUR_TRACK_NODE(i), desc);
        return (1);
    }
    if (x->parked != parked) /* a follower read the oracle's row afresh */
        x->nhist[op->cur] = 0;
    lr_cur_park_note(x, op, &rl[x->leader == 0 ? 1 : 0]);
    return (0);
}

static void
__close(lr_cur_ctx *x)
{
    if (x->cl != NULL)
        (void)lt_cluster_close(x->cl); /* closes the oracle's sessions with the connection */
    x->cl = NULL;
}

int
lr_cur_run(const lr_cur_config *cfg, lr_cur_seq *seq, bool generate, lr_cur_result *res)
{
    char home[4096], line[256], tb[512], desc[1536];
    const char *lst;
    lr_cur_ctx *x;
    lr_cur_gen *g = NULL;
    lr_cur_op op;
    double start;
    size_t i;
    bool skipped;
    int rc;

    memset(res, 0, sizeof(*res));
    if ((x = calloc(1, sizeof(*x))) == NULL)
        return (ENOMEM);
    x->cfg = cfg;
    (void)snprintf(home, sizeof(home), "%s/cursor-db", cfg->out);
    (void)lr_mkdir_p(cfg->out);
    (void)lr_rm_rf(home);
    start = lr_now_s();
    if (cfg->trace != NULL && (rc = lr_cur_trace_open(cfg)) != 0)
        goto done;
    rc = __open(x, home);
    lr_cur_trace_end(rc == 0 ? "ok" : lt_strerror(rc)); /* the set-up's slice */
    if (rc != 0) {
        fprintf(stderr, "layerace cursor: cannot set up the cluster in %s: %s (%s)\n", home,
          lt_strerror(rc), lt_last_error());
        res->setup_error = true;
        goto done;
    }
    if (generate && (g = lr_cur_gen_new(cfg)) == NULL) {
        rc = ENOMEM;
        goto done;
    }
    for (i = 0;; i++) {
        if (generate) {
            if (i >= cfg->ops ||
              (cfg->duration > 0 && (i & 1023) == 0 && lr_now_s() - start >= cfg->duration))
                break;
            lr_cur_gen_next(g, &op);
            if ((rc = lr_cur_seq_push(seq, &op)) != 0)
                goto done;
        } else {
            if (i >= seq->n)
                break;
            op = seq->ops[i];
        }
        res->executed++;
        lr_cur_trace_next(i, &op);
        rc = __step(x, &op, res, desc, sizeof(desc), &skipped, &lst,
          cfg->listing != NULL ? tb : NULL, sizeof(tb));
        if (skipped)
            lr_cur_trace_skipped();
        if (cfg->listing != NULL) {
            lr_cur_op_format(&op, line, sizeof(line));
            fprintf(cfg->listing, "%zu %s -> %s\n", i, line,
              skipped       ? "skipped" :
                lst != NULL ? lst :
                rc != 0     ? "divergence" :
                              "ok");
        }
        if (rc != 0) {
            lr_cur_op_format(&op, line, sizeof(line));
            res->diverged = true;
            res->fail_index = i;
            (void)snprintf(res->what, sizeof(res->what), "operation %zu: %s\n  %s\n  seed %" PRIu64,
              i, line, desc, cfg->seed);
            rc = 0;
            break;
        }
    }
done:
    res->parked = x->parked;
    res->seconds = lr_now_s() - start;
    lr_cur_gen_free(g);
    __close(x);
    if (cfg->trace != NULL)
        lr_cur_trace_close(cfg->trace, res);
    free(x);
    if (!res->diverged)
        (void)lr_rm_rf(home);
    return (rc);
}
