/*
 * timestamp.c -- each node's own oldest and stable timestamps, and keeping the cluster's one
 * WiredTiger connection from vetoing what they allow (lt_ts.h).
 */
#include "lt_ts.h"
#include "lt_wtfault.h"

/* Parse "oldest_timestamp=X,stable_timestamp=X" (hexadecimal, either or both). */
static int
lt_ts_parse(lt_cluster *cl, int node, const char *config, uint64_t *oldestp, uint64_t *stablep)
{
    const char *p, *key;
    char *end;
    size_t klen;
    uint64_t v;

    *oldestp = *stablep = 0;
    if (config == NULL || *config == '\0')
        return (__lt_err(cl, EINVAL, "set_timestamp on node %d: empty configuration", node));
    for (p = config; *p != '\0';) {
        key = p;
        while (*p != '\0' && *p != '=' && *p != ',')
            p++;
        klen = (size_t)(p - key);
        if (*p != '=')
            return (__lt_err(cl, EINVAL, "set_timestamp on node %d: '%.*s' has no value", node,
              (int)klen, key));
        p++;
        errno = 0;
        v = strtoull(p, &end, 16);
        if (end == p || errno != 0 || (*end != '\0' && *end != ',') || v == 0)
            return (__lt_err(cl, EINVAL,
              "set_timestamp on node %d: '%.*s' needs a nonzero hexadecimal timestamp", node,
              (int)klen, key));
        if (klen == 16 && strncmp(key, "oldest_timestamp", klen) == 0)
            *oldestp = v;
        else if (klen == 16 && strncmp(key, "stable_timestamp", klen) == 0)
            *stablep = v;
        else
            return (__lt_err(cl, EINVAL, "set_timestamp on node %d: unknown key '%.*s'", node,
              (int)klen, key));
        p = *end == ',' ? end + 1 : end;
    }
    return (0);
}

int
lt_node_set_timestamp(lt_cluster *cl, int node, const char *config)
{
    lt_node *n;
    uint64_t oldest, stable;
    int rc;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "set_timestamp: no node %d", node));
    if ((rc = lt_ts_parse(cl, node, config, &oldest, &stable)) != 0)
        return (rc);
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    /* Backwards moves are ignored, as WiredTiger ignores them. */
    if (oldest < n->oldest_ts)
        oldest = n->oldest_ts;
    if (stable < n->stable_ts)
        stable = n->stable_ts;
    if (stable != 0 && oldest > stable) {
        __lt_mutex_unlock(&cl->ckpt_lock);
        return (__lt_err(cl, EINVAL,
          "set_timestamp on node %d: oldest timestamp %" PRIu64
          " is later than the stable timestamp %" PRIu64,
          node, oldest, stable));
    }
    n->oldest_ts = oldest;
    n->stable_ts = stable;
    __lt_ts_oldest_locked(cl);
    __lt_mutex_unlock(&cl->ckpt_lock);
    return (0);
}

int
lt_node_get_timestamps(lt_cluster *cl, int node, uint64_t *oldestp, uint64_t *stablep)
{
    lt_node *n;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL)
        return (__lt_err(cl, EINVAL, "get_timestamps: no node %d", node));
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    if (oldestp != NULL)
        *oldestp = n->oldest_ts;
    if (stablep != NULL)
        *stablep = n->stable_ts;
    __lt_mutex_unlock(&cl->ckpt_lock);
    return (0);
}

/* The node's oldest and stable timestamps, read together. */
static void
lt_ts_node(lt_node *n, uint64_t *oldestp, uint64_t *stablep)
{
    __lt_mutex_lock(n->cl, &n->cl->ckpt_lock, -1);
    *oldestp = n->oldest_ts;
    *stablep = n->stable_ts;
    __lt_mutex_unlock(&n->cl->ckpt_lock);
}

int
__lt_ts_check_read(lt_session *s, uint64_t read_ts)
{
    uint64_t oldest, stable;

    lt_ts_node(s->node, &oldest, &stable);
    if (read_ts != 0 && read_ts < oldest)
        return (__lt_err(s->cl, EINVAL,
          "lt_txn_begin on node %d: read timestamp %" PRIu64
          " is older than the node's oldest timestamp %" PRIu64,
          s->node->id, read_ts, oldest));
    return (0);
}

int
__lt_ts_check_commit(lt_session *s, uint64_t commit_ts, uint64_t durable_ts, bool prepared)
{
    uint64_t oldest, stable, ts;

    if (commit_ts == 0)
        return (0);
    lt_ts_node(s->node, &oldest, &stable);
    ts = prepared && durable_ts != 0 ? durable_ts : commit_ts;
    if (!prepared && commit_ts < oldest)
        return (__lt_err(s->cl, EINVAL,
          "commit on node %d at timestamp %" PRIu64
          ": older than the node's oldest timestamp %" PRIu64,
          s->node->id, commit_ts, oldest));
    if (ts < stable)
        return (__lt_err(s->cl, EINVAL,
          "commit on node %d at timestamp %" PRIu64
          ": older than the node's stable timestamp %" PRIu64,
          s->node->id, ts, stable));
    return (0);
}

int
__lt_ts_check_prepare(lt_session *s, uint64_t prepare_ts)
{
    uint64_t oldest, stable;

    lt_ts_node(s->node, &oldest, &stable);
    if (prepare_ts < oldest)
        return (__lt_err(s->cl, EINVAL,
          "lt_txn_prepare on node %d at %" PRIu64
          ": older than the node's oldest timestamp %" PRIu64,
          s->node->id, prepare_ts, oldest));
    return (0);
}

void
__lt_ts_raise_stable_locked(lt_node *n, uint64_t ts)
{
    assert(__lt_mutex_held(&n->cl->ckpt_lock));
    if (ts > n->stable_ts)
        n->stable_ts = ts;
}

uint64_t
__lt_ts_floor(lt_node *n)
{
    uint64_t oldest, stable;

    lt_ts_node(n, &oldest, &stable);
    return (stable > oldest ? stable : oldest);
}

/*
 * __lt_extra_pins_min_locked --
 *     The oldest timestamp among checkpoint records pinned by something other than a node's view
 *     (a snapshot transaction or an open cursor), or UINT64_MAX (cluster.ckpt_lock held).
 */
uint64_t
__lt_extra_pins_min_locked(lt_cluster *cl)
{
    lt_ckpt *ck;
    uint64_t m = UINT64_MAX;
    int i, views;

    assert(__lt_mutex_held(&cl->ckpt_lock));
    for (ck = cl->ckpts; ck != NULL; ck = ck->next) {
        for (views = 0, i = 0; i < cl->nnodes; i++)
            if (cl->nodes[i].view == ck)
                views++;
        if (ck->pins > views && ck->ts < m)
            m = ck->ts;
    }
    return (m);
}

void
__lt_ts_oldest_locked(lt_cluster *cl)
{
    lt_node *n;
    uint64_t held, min, t;
    char cfg[64];
    int i;

    assert(__lt_mutex_held(&cl->ckpt_lock));
    held = __lt_extra_pins_min_locked(cl);
    min = UINT64_MAX;
    for (i = 0; i < cl->nnodes; i++) {
        n = &cl->nodes[i];
        /* Auto mode: the node's stable, held back by readers; never backwards. */
        t = n->stable_ts < held ? n->stable_ts : held;
        if (!cl->cfg.app_oldest && t > n->oldest_ts)
            n->oldest_ts = t;
        if (n->oldest_ts < min)
            min = n->oldest_ts;
    }
    /*
     * WiredTiger's oldest bounds every node's reads: it moves only once every node has one, to
     * their minimum. Forced: WiredTiger's stable is kept below it outside a checkpoint's window.
     * Under ckpt_lock, so that two callers cannot set it out of order.
     */
    if (min == 0 || min == UINT64_MAX || min <= cl->wt_oldest)
        return;
    (void)snprintf(cfg, sizeof(cfg), "oldest_timestamp=%" PRIx64 ",force=true", min);
    if (cl->conn->set_timestamp(cl->conn, cfg) == 0)
        cl->wt_oldest = min;
}

bool
__lt_ts_window_blocks(lt_cluster *cl, uint64_t ts)
{
    /* Acquire, paired with the window's release store: WiredTiger's stable may be ts. */
    return (ts != 0 && ts < atomic_load_explicit(&cl->window_ts, memory_order_acquire));
}

void
__lt_ts_window_wait(lt_cluster *cl, uint64_t ts)
{
    if (!__lt_ts_window_blocks(cl, ts))
        return;
    __lt_mutex_lock(cl, &cl->window_lock, -1); /* held by the checkpoint until the window closes */
    __lt_mutex_unlock(&cl->window_lock);
}

/*
 * __lt_ts_window_open --
 *     WiredTiger's named checkpoint takes the rows at or below its stable timestamp, and refuses
 *     commits below it meanwhile. Publish the window, wait a grace period (every commit runs in a
 *     read-side section and checks the window there: those that did not see it have finished),
 *     then move WiredTiger's stable to ts.
 */
int
__lt_ts_window_open(lt_cluster *cl, int node, uint64_t ts)
{
    char cfg[64];
    int rc;

    __lt_mutex_lock(cl, &cl->window_lock, node);
    atomic_store_explicit(&cl->window_ts, ts, memory_order_release);
    __lt_grace_wait(cl, node);
    (void)snprintf(cfg, sizeof(cfg), "stable_timestamp=%" PRIx64 ",force=true", ts);
    if ((rc = LT_WT(cl, "checkpoint.set_stable", cl->conn->set_timestamp(cl->conn, cfg))) != 0) {
        atomic_store_explicit(&cl->window_ts, 0, memory_order_release);
        __lt_mutex_unlock(&cl->window_lock);
    }
    return (rc);
}

/* Back to 1: no node's commit is below it (timestamp 0 is not a timestamp). */
void
__lt_ts_window_close(lt_cluster *cl)
{
    (void)cl->conn->set_timestamp(cl->conn, "stable_timestamp=1,force=true");
    atomic_store_explicit(&cl->window_ts, 0, memory_order_release);
    __lt_mutex_unlock(&cl->window_lock);
}
