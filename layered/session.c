/*
 * session.c -- sessions and the transaction API (begin, commit timestamp, prepare, commit,
 * rollback). The data gate the operations and the commit pass is in gate.c (I4,
 * docs/CONTRACT.md#data-gate).
 */
#include "lt_restart.h"
#include "lt_ts.h"
#include "lt_wtfault.h"
#include "lt_gate.h"

int
lt_session_open(lt_cluster *cl, int node, lt_session **sp)
{
    lt_session *s;
    int rc;

    __lt_api_enter();
    if (sp == NULL)
        return (__lt_err(cl, EINVAL, "lt_session_open: NULL session pointer"));
    *sp = NULL;
    if (!__lt_cluster_is_open(cl))
        return (__lt_err(NULL, EINVAL, "lt_session_open: %s",
          cl == NULL ? "NULL cluster" : "the cluster is not open"));
    if (__lt_node(cl, node) == NULL)
        return (__lt_err(cl, EINVAL, "lt_session_open: no node %d (the cluster has %d)", node,
          cl->nnodes));
    if ((s = calloc(1, sizeof(*s))) == NULL)
        return (__lt_err(cl, ENOMEM, "lt_session_open: out of memory"));
    s->cl = cl;
    s->node = &cl->nodes[node];
    __lt_rcu_read_lock();
    s->incarnation = __lt_state_read(s->node)->incarnation;
    __lt_rcu_read_unlock();
    if ((rc = __lt_wt_open_session_iso(cl, "read-committed", &s->wt)) != 0) {
        free(s);
        return (rc);
    }
    __lt_mutex_lock(cl, &cl->sessions_lock, -1);
    s->next = cl->sessions;
    cl->sessions = s;
    __lt_mutex_unlock(&cl->sessions_lock);
    *sp = s;
    return (0);
}

int
lt_session_close(lt_session *s)
{
    lt_cluster *cl;
    lt_session **sp;

    __lt_api_enter();
    if (s == NULL)
        return (0);
    cl = s->cl;
    while (s->cursors != NULL)
        (void)__lt_cursor_close_int(s->cursors);
    if (s->txn.active)
        (void)lt_txn_rollback(s);
    (void)s->wt->close(s->wt, NULL);
    if (s->wt_schema != NULL)
        (void)s->wt_schema->close(s->wt_schema, NULL);
    __lt_mutex_lock(cl, &cl->sessions_lock, -1);
    for (sp = &cl->sessions; *sp != NULL; sp = &(*sp)->next)
        if (*sp == s) {
            *sp = s->next;
            break;
        }
    __lt_mutex_unlock(&cl->sessions_lock);
    free(s);
    return (0);
}

WT_SESSION *
lt_session_wt(lt_session *s)
{
    return (s == NULL ? NULL : s->wt);
}

int
lt_session_node(lt_session *s)
{
    return (s == NULL ? -1 : s->node->id);
}

/* A stale session's transaction (lt_restart.h): roll it back, forget it, say ESTALE. */
static int
lt_txn_stale(lt_session *s, const lt_state *st, const char *what)
{
    int rc;

    if ((rc = __lt_stale_check(s, st, what)) == 0 || !s->txn.active)
        return (rc);
    __lt_session_release_snapshot(s);
    if (!s->txn.doomed)
        (void)s->wt->rollback_transaction(s->wt, NULL);
    __lt_txn_clear(s);
    return (rc);
}

static int
lt_txn_check(lt_session *s, const char *what)
{
    int rc;

    if (s == NULL)
        return (__lt_err(NULL, EINVAL, "%s: NULL session", what));
    __lt_rcu_read_lock();
    rc = lt_txn_stale(s, __lt_state_read(s->node), what);
    __lt_rcu_read_unlock();
    if (rc != 0)
        return (rc);
    if (!s->txn.active)
        return (
          __lt_err(s->cl, EINVAL, "%s on node %d: no transaction is active", what, s->node->id));
    return (0);
}

int
lt_txn_begin(lt_session *s, const lt_txn_config *cfg)
{
    static const char *const iso[] = {"snapshot", "read-committed", "read-uncommitted"};
    const lt_state *st;
    lt_txn_config def;
    uint64_t gen;
    char buf[128];
    int rc;

    __lt_api_enter();
    if (s == NULL)
        return (__lt_err(NULL, EINVAL, "lt_txn_begin: NULL session"));
    if (cfg == NULL) {
        memset(&def, 0, sizeof(def));
        cfg = &def;
    }
    if ((rc = __lt_session_stale(s, "lt_txn_begin")) != 0)
        return (rc);
    if (s->txn.active)
        return (__lt_err(s->cl, EINVAL,
          "lt_txn_begin on node %d: a transaction is already "
          "active",
          s->node->id));
    if ((unsigned)cfg->isolation > LT_ISO_READ_UNCOMMITTED)
        return (__lt_err(s->cl, EINVAL, "lt_txn_begin: unknown isolation %d", (int)cfg->isolation));
    if ((rc = __lt_ts_check_read(s, cfg->read_ts)) != 0)
        return (rc);
    if (cfg->read_ts != 0)
        (void)snprintf(buf, sizeof(buf), "isolation=%s,read_timestamp=%" PRIx64,
          iso[cfg->isolation], cfg->read_ts);
    else
        (void)snprintf(buf, sizeof(buf), "isolation=%s", iso[cfg->isolation]);
    /*
     * What the session's cursors read before (their merge candidates, their constituents'
     * implicit snapshot) belongs to another view: the transaction's reads start afresh, each
     * cursor re-seeking from its key.
     */
    __lt_session_release_snapshot(s);
    /* Read before WiredTiger takes the snapshot: see the restart in __lt_op_enter. */
    __lt_rcu_read_lock();
    st = __lt_state_read(s->node);
    gen = st->transition == LT_TR_NONE ? st->generation : 0;
    __lt_rcu_read_unlock();
    if ((rc = LT_WT(s->cl, "txn.begin", s->wt->begin_transaction(s->wt, buf))) != 0)
        return (__lt_err(s->cl, rc, "lt_txn_begin on node %d (%s): %s", s->node->id, buf,
          wiredtiger_strerror(rc)));
    memset(&s->txn, 0, sizeof(s->txn));
    s->txn.active = true;
    s->txn.began_gen = gen;
    (void)snprintf(s->txn.wtcfg, sizeof(s->txn.wtcfg), "%s", buf);
    s->txn.isolation = cfg->isolation;
    s->txn.read_ts = cfg->read_ts;
    s->txn.commit_ts = cfg->commit_ts;
    return (0);
}

int
lt_txn_set_commit_ts(lt_session *s, uint64_t ts)
{
    int rc;

    __lt_api_enter();
    if ((rc = lt_txn_check(s, "lt_txn_set_commit_ts")) != 0)
        return (rc);
    if (ts == 0)
        return (
          __lt_err(s->cl, EINVAL, "lt_txn_set_commit_ts on node %d: timestamp 0", s->node->id));
    if (s->txn.wrote && ts != s->txn.commit_ts)
        return (__lt_err(s->cl, EINVAL,
          "lt_txn_set_commit_ts on node %d: the transaction "
          "already wrote at %" PRIu64 "; its commit timestamp cannot change",
          s->node->id, s->txn.commit_ts));
    s->txn.commit_ts = ts;
    return (0);
}

int
lt_txn_prepare(lt_session *s, uint64_t prepare_ts)
{
    char buf[64];
    int rc;

    __lt_api_enter();
    if ((rc = lt_txn_check(s, "lt_txn_prepare")) != 0)
        return (rc);
    if (s->txn.doomed)
        return (__lt_err(s->cl, WT_ROLLBACK,
          "lt_txn_prepare on node %d: the transaction was "
          "rolled back by a role change",
          s->node->id));
    if ((rc = __lt_ts_check_prepare(s, prepare_ts)) != 0)
        return (rc);
    (void)snprintf(buf, sizeof(buf), "prepare_timestamp=%" PRIx64, prepare_ts);
    if ((rc = LT_WT(s->cl, "txn.prepare", s->wt->prepare_transaction(s->wt, buf))) != 0)
        return (__lt_err(s->cl, rc, "lt_txn_prepare on node %d at %" PRIu64 ": %s", s->node->id,
          prepare_ts, wiredtiger_strerror(rc)));
    s->txn.prepared = true;
    return (0);
}

int
lt_txn_commit(lt_session *s, uint64_t durable_ts)
{
    lt_cluster *cl;
    const lt_state *st;
    lt_event ev;
    char buf[64], dbuf[64];
    bool skip_gate;
    int rc;

    __lt_api_enter();
    if ((rc = lt_txn_check(s, "lt_txn_commit")) != 0)
        return (rc);
    cl = s->cl;
    if (s->txn.doomed) {
        __lt_txn_clear(s);
        return (__lt_err(cl, WT_ROLLBACK,
          "commit on node %d: the transaction was rolled back "
          "by a role change",
          s->node->id));
    }
    /* The node's own timestamps decide (lt_ts.h); WiredTiger's are kept from vetoing. */
    if ((rc = __lt_ts_check_commit(s, s->txn.commit_ts, durable_ts, s->txn.prepared)) != 0) {
        __lt_session_release_snapshot(s);
        (void)s->wt->rollback_transaction(s->wt, NULL);
        if (s->txn.wrote)
            __lt_epoch_bump(s->node);
        __lt_txn_clear(s);
        return (rc);
    }

again:
    __lt_ts_window_wait(cl, s->txn.commit_ts);
    __lt_rcu_read_lock();
    st = __lt_state_read(s->node);
    if ((rc = lt_txn_stale(s, st, "commit")) != 0) { /* a restart came between */
        __lt_rcu_read_unlock();
        return (rc);
    }
    if (__lt_txn_moved(s, st)) {
        skip_gate = (s->txn.wrote_stable && LT_FAULT(cl, LT_FAULT_COMMIT_NO_GATE)) ||
          (s->txn.wrote && !s->txn.wrote_stable && LT_FAULT(cl, LT_FAULT_TXN_STRAND));
        if (!skip_gate) {
            rc = __lt_txn_doom(s, st, "commit");
            __lt_rcu_read_unlock();
            __lt_txn_clear(s);
            return (rc);
        }
    }
    if (s->txn.wrote_stable && st->transition == LT_TR_STEP_DOWN &&
      !LT_FAULT(cl, LT_FAULT_COMMIT_NO_GATE | LT_FAULT_COMMIT_PAST_BOUNDARY)) {
        /*
         * The node is stepping down: its boundary may be set, and an asynchronous step-down lets
         * the node's last leader-era work go on meanwhile. A stable write committed now would
         * land past the boundary: the transaction rolls back, wholly on the far side of it.
         */
        (void)__lt_txn_doom(s, st, "commit");
        rc = __lt_err(cl, WT_ROLLBACK,
          "commit on node %d: the node is stepping down; a transaction that wrote stable as its "
          "leader's cannot commit past the step-down boundary and was rolled back",
          s->node->id);
        __lt_rcu_read_unlock();
        __lt_txn_clear(s);
        return (rc);
    }
    if (LT_FAULT(cl, LT_FAULT_COMMIT_NO_GATE | LT_FAULT_TXN_STRAND)) {
        /* Upstream's window (test-only): the commit runs outside the gate. */
        __lt_rcu_read_unlock();
        LT_YIELD(cl, "commit.before", s->node->id);
        __lt_rcu_read_lock();
    }

    if (__lt_ts_window_blocks(cl, s->txn.commit_ts)) {
        __lt_rcu_read_unlock(); /* a checkpoint's window: its grace period waits for this */
        goto again;
    }

    rc = 0;
    __lt_session_release_snapshot(s); /* a failed commit resets the constituents */
    if (s->txn.commit_ts != 0) {
        (void)snprintf(buf, sizeof(buf), "commit_timestamp=%" PRIx64, s->txn.commit_ts);
        rc = LT_WT(cl, "txn.timestamp", s->wt->timestamp_transaction(s->wt, buf));
    }
    if (rc == 0) {
        if (s->txn.prepared)
            (void)snprintf(dbuf, sizeof(dbuf), "durable_timestamp=%" PRIx64,
              durable_ts != 0 ? durable_ts : s->txn.commit_ts);
        rc = LT_WT_COMMIT(cl, "txn.commit", s->wt, s->txn.prepared ? dbuf : NULL);
    }
    if (rc != 0) {
        (void)s->wt->rollback_transaction(s->wt, NULL);
        rc = __lt_err(cl, rc, "commit on node %d at timestamp %" PRIu64 " failed: %s", s->node->id,
          s->txn.commit_ts, wiredtiger_strerror(rc));
    } else {
        if (s->txn.commit_ts != 0)
            __lt_ts_max(&cl->max_commit_ts, s->txn.commit_ts);
        if (s->txn.wrote_stable) {
            int i;

            for (i = 0; i < s->txn.nwrote; i++) {
                __lt_ts_max(&s->txn.wrote_st[i]->hw, s->txn.commit_ts);
                __lt_ts_max(&s->txn.wrote_st[i]->held, s->txn.commit_ts);
            }
            memset(&ev, 0, sizeof(ev));
            ev.type = LT_EV_STABLE_WRITE;
            ev.op = LT_OP_COMMIT;
            ev.node = s->node->id;
            ev.role = st->role;
            ev.generation = s->txn.generation;
            ev.ts = s->txn.commit_ts;
            __lt_event(cl, &ev);
        }
    }
    if (s->txn.wrote)
        __lt_epoch_bump(s->node);
    __lt_rcu_read_unlock();
    __lt_txn_clear(s);
    return (rc);
}

int
lt_txn_rollback(lt_session *s)
{
    int rc;

    __lt_api_enter();
    if ((rc = lt_txn_check(s, "lt_txn_rollback")) != 0)
        return (rc);
    if (!s->txn.doomed) {
        __lt_session_release_snapshot(s);              /* the rollback resets the constituents */
        rc = s->wt->rollback_transaction(s->wt, NULL); /* recovery: not injected */
    }
    if (s->txn.wrote)
        __lt_epoch_bump(s->node);
    __lt_txn_clear(s);
    if (rc != 0)
        return (
          __lt_err(s->cl, rc, "rollback on node %d: %s", s->node->id, wiredtiger_strerror(rc)));
    return (0);
}

int
lt_txn_active(lt_session *s)
{
    return (s != NULL && s->txn.active);
}
