/*
 * gate.c -- the data gate (I4, docs/CONTRACT.md#data-gate) and a transaction's bookkeeping.
 *
 * Every layered operation runs between __lt_op_enter and __lt_op_exit, inside an RCU read-side
 * section, against one snapshot of the node's state. A transaction remembers the generation of
 * its first layered operation; when the node's generation has moved on, the operation (and later
 * the commit) fails with WT_ROLLBACK. A role flip publishes the new generation and waits a grace
 * period, so an operation or commit that passed its check under the old generation has finished
 * before the flip completes.
 */
#include "lt_wtfault.h"

#include "lt_gate.h"
#include "lt_restart.h"

bool
__lt_txn_moved(lt_session *s, const lt_state *st)
{
    if (s->txn.generation == 0 || s->txn.generation == st->generation)
        return (false);
    /* Upstream's check before its role-change counter (test-only): the round trip is missed. */
    if (LT_FAULT(s->cl, LT_FAULT_TXN_ROLE_ONLY))
        return (s->txn.role != st->role);
    return (true);
}

/* Forget the transaction: release its checkpoint pin and its stable references. */
void
__lt_txn_clear(lt_session *s)
{
    int i;

    __lt_ckpt_unpin(s->cl, s->txn.view);
    for (i = 0; i < s->txn.nwrote; i++)
        __lt_stable_unref(s->cl, s->txn.wrote_st[i]);
    free(s->txn.wrote_st);
    memset(&s->txn, 0, sizeof(s->txn));
}

/* Remember that the transaction wrote stable object st (its high-water mark moves at commit). */
void
__lt_txn_wrote_stable(lt_session *s, lt_stable *st)
{
    lt_stable **p;
    int i;

    s->txn.wrote_stable = true;
    for (i = 0; i < s->txn.nwrote; i++)
        if (s->txn.wrote_st[i] == st)
            return;
    if (s->txn.nwrote == s->txn.wrote_cap) {
        i = s->txn.wrote_cap == 0 ? 4 : s->txn.wrote_cap * 2;
        if ((p = realloc(s->txn.wrote_st, (size_t)i * sizeof(*p))) == NULL)
            abort(); /* a lost high-water mark would let a later drain re-apply old versions */
        s->txn.wrote_st = p;
        s->txn.wrote_cap = i;
    }
    __lt_stable_ref(s->cl, st);
    s->txn.wrote_st[s->txn.nwrote++] = st;
}

/*
 * __lt_txn_doom --
 *     The node's generation moved under the transaction: roll the WiredTiger transaction back
 *     now; the caller's operations and commit return WT_ROLLBACK until lt_txn_rollback.
 */
int
__lt_txn_doom(lt_session *s, const lt_state *st, const char *what)
{
    uint64_t began = s->txn.generation;

    __lt_session_release_snapshot(s); /* the rollback resets the constituents */
    (void)s->wt->rollback_transaction(s->wt, NULL);
    __lt_ckpt_unpin(s->cl, s->txn.view);
    s->txn.view = NULL;
    s->txn.doomed = true;
    __lt_epoch_bump(s->node);
    return (__lt_err(s->cl, WT_ROLLBACK,
      "%s on node %d: the transaction began under role generation %" PRIu64
      " and the node is now a %s at generation %" PRIu64 "; it was rolled back",
      what, s->node->id, began, lt_role_name(st->role), st->generation));
}

int
__lt_op_enter(lt_session *s, const lt_state **stp, bool write, const char *what, const char *table)
{
    const lt_state *st;
    lt_txn *txn = &s->txn;
    int rc;

    LT_WTF_REFUSE(s->cl, what);
    __lt_rcu_read_lock();
    st = __lt_state_read(s->node);
    *stp = st;
    if ((rc = __lt_stale_check(s, st, what)) != 0)
        goto err;
    if (txn->active) {
        if (txn->doomed) {
            rc = __lt_err(s->cl, WT_ROLLBACK,
              "%s of table %s on node %d: the transaction was "
              "rolled back by a role change; roll it back and retry",
              what, table, s->node->id);
            goto err;
        }
        if (txn->generation == 0 && st->transition == LT_TR_NONE &&
          txn->began_gen != st->generation) {
            /*
             * The first layered operation of a transaction begun before a role change (or
             * during one): WiredTiger's snapshot predates the change and would miss what a
             * drain moved to stable. Nothing layered was read or written yet: begin the
             * WiredTiger transaction again, so the snapshot is this state's.
             */
            __lt_session_release_snapshot(s);
            if ((rc = s->wt->rollback_transaction(s->wt, NULL)) == 0)
                rc = LT_WT(s->cl, "txn.restart", s->wt->begin_transaction(s->wt, txn->wtcfg));
            if (rc != 0) {
                txn->doomed = true;
                rc = __lt_err(s->cl, WT_ROLLBACK,
                  "%s of table %s on node %d: restarting the "
                  "transaction after a role change failed: %s",
                  what, table, s->node->id, wiredtiger_strerror(rc));
                goto err;
            }
            txn->began_gen = st->generation;
        }
        if (txn->generation == 0) {
            txn->generation = st->generation;
            txn->role = st->role;
        } else if (__lt_txn_moved(s, st)) {
            rc = __lt_txn_doom(s, st, what);
            goto err;
        }
    }
    if (!write)
        return (0);
    if (!txn->active || txn->commit_ts == 0) {
        rc = __lt_err(s->cl, EINVAL,
          "%s of table %s on node %d: a layered write needs an "
          "explicit transaction with a commit timestamp",
          what, table, s->node->id);
        goto err;
    }
    if (txn->prepared) {
        rc = __lt_err(s->cl, EINVAL, "%s of table %s on node %d: the transaction is prepared", what,
          table, s->node->id);
        goto err;
    }
    if (st->transition != LT_TR_NONE) {
        rc = __lt_err(s->cl, WT_ROLLBACK,
          "%s of table %s on node %d: the node is in a role "
          "transition; retry the transaction",
          what, table, s->node->id);
        goto err;
    }
    if (txn->commit_ts <= st->ckpt_ts) {
        rc = __lt_err(s->cl, EINVAL,
          "%s of table %s on node %d: commit timestamp %" PRIu64
          " is not above the node's checkpoint timestamp %" PRIu64,
          what, table, s->node->id, txn->commit_ts, st->ckpt_ts);
        goto err;
    }
    return (0);

err:
    __lt_rcu_read_unlock();
    return (rc);
}

void
__lt_op_exit(void)
{
    __lt_rcu_read_unlock();
}
