/*
 * lt_restart.h -- stale handles after lt_node_restart (restart.c). A session records its node's
 * incarnation when it opens; a restart publishes a new one in the node's state (lt_state) before
 * it drops anything. A call on a session (or one of its cursors) of another incarnation fails
 * with ESTALE: the handle still points at memory the application owns, so nothing is freed under
 * it, and closing it releases what it holds. Checked inside the read-side section that reads the
 * state (the data gate, a commit, an admitted schema operation), a stale handle cannot pass: the
 * restart's grace period waits for every operation that saw the old incarnation.
 *
 * The node's old ingest tables are dropped without force (__lt_drop_uri's "?uri"): a stale
 * session's transaction may still hold uncommitted rows in one, which a forced drop would free
 * under its later rollback; WiredTiger refuses (EBUSY, queued) until that transaction is gone.
 */
#ifndef LT_RESTART_H
#define LT_RESTART_H

#include "lt_internal.h"

/* The check against a state read in the caller's read-side section. */
static inline int
__lt_stale_check(lt_session *s, const lt_state *st, const char *what)
{
    if (s->incarnation == st->incarnation)
        return (0);
    return (__lt_err(s->cl, ESTALE,
      "%s on node %d: the handle was opened before the node restarted (incarnation %" PRIu64
      ", now %" PRIu64 "); close it and open another",
      what, s->node->id, s->incarnation, st->incarnation));
}

/* The same, in a read-side section of its own. */
static inline int
__lt_session_stale(lt_session *s, const char *what)
{
    int rc;

    __lt_rcu_read_lock();
    rc = __lt_stale_check(s, __lt_state_read(s->node), what);
    __lt_rcu_read_unlock();
    return (rc);
}

#endif /* LT_RESTART_H */
