/*
 * hook_util.h -- a cluster with an event log and a yield-point holder, for the Role Transition
 * Isolation hook tests (header only; include after util.h).
 *
 * hk_open: 3 nodes, the given policy, table "t" (a=1 b=2 at ts 10, checkpoint at 20, picked up by
 * every follower), and node 0 stepped down so that node 1 can step up.
 * hk_hold: start a step-up (or step-down) of a node on its own thread and park it at a yield
 * site; the transition is then held open until hk_release.
 */
#ifndef LAYERACE_TESTS_HOOK_UTIL_H
#define LAYERACE_TESTS_HOOK_UTIL_H

typedef struct {
    lt_cluster_config cfg;
    lt_cluster *c;
    tu_hold hold;
    tu_evlog log;
    tu_async tr; /* the transition's thread */
    int holding;
} hk;

static inline int
hk_open_(const char *file, int line, hk *h, lt_policy policy, uint32_t wait_timeout_ms)
{
    lt_session *s;
    uint64_t id;
    int rc;

    memset(h, 0, sizeof(*h));
    tu_hold_init(&h->hold);
    tu_evlog_init(&h->log);
    tu_config(&h->cfg, 3);
    h->cfg.policy = policy;
    if (wait_timeout_ms != 0)
        h->cfg.wait_timeout_ms = wait_timeout_ms;
    h->cfg.observer = tu_evlog_observer;
    h->cfg.observer_arg = &h->log;
    h->cfg.yield = tu_hold_yield;
    h->cfg.yield_arg = &h->hold;
    if ((h->c = tu_open_cfg_(file, line, &h->cfg)) == NULL)
        return 0;
    if ((s = tu_session_(file, line, h->c, 0)) == NULL)
        return 0;
    if ((rc = lt_create(s, "t")) != 0 || (rc = tu_write(s, "t", 10, "a=1 b=2")) != 0) {
        tu_fail(file, line, "set-up on node 0: %s: %s", tu_rcname(rc), tu_lasterr());
        return 0;
    }
    lt_session_close(s);
    if ((id = tu_checkpoint_(file, line, h->c, 0, 20)) == 0 ||
      !tu_pickup_all_(file, line, h->c, id))
        return 0;
    if ((rc = lt_step_down(h->c, 0)) != 0) {
        tu_fail(file, line, "lt_step_down(0): %s: %s", tu_rcname(rc), tu_lasterr());
        return 0;
    }
    tu_evlog_clear(&h->log);
    return 1;
}
#define hk_open(h, policy, timeout_ms) hk_open_(__FILE__, __LINE__, (h), (policy), (timeout_ms))

/* Start the transition (TU_OP_STEP_UP or TU_OP_STEP_DOWN) of node and park it at site. */
static inline int
hk_hold_(const char *file, int line, hk *h, tu_op_kind kind, int node, const char *site)
{
    if (!tu_has_site(site)) {
        tu_fail(file, line, "the library has no yield site \"%s\"", site);
        return 0;
    }
    tu_hold_arm(&h->hold, site, node);
    tu_async_start(&h->tr, kind, h->c, NULL, node, NULL, 0);
    h->holding = 1;
    if (!tu_hold_wait_held(&h->hold, TU_HANG_MS)) {
        tu_fail(file, line, "the transition of node %d never reached \"%s\"", node, site);
        return 0;
    }
    return 1;
}
#define hk_hold(h, kind, node, site) hk_hold_(__FILE__, __LINE__, (h), (kind), (node), (site))

/* Let the transition go and return its result. */
static inline int
hk_release(hk *h)
{
    if (!h->holding)
        return -1;
    h->holding = 0;
    tu_hold_release(&h->hold);
    return tu_async_join(&h->tr);
}

static inline void
hk_close(hk *h)
{
    if (h->holding)
        (void)hk_release(h);
    if (h->c != NULL)
        tu_close(h->c);
    h->c = NULL;
    tu_evlog_destroy(&h->log);
    tu_hold_destroy(&h->hold);
}

/* The seq of the first event matching, or 0 (and a failure) if none. */
static inline uint64_t
hk_seq_(const char *file, int line, hk *h, int type, int op, int node, const char *table)
{
    tu_event ev;

    if (tu_evlog_find(&h->log, 0, type, op, node, table, &ev) < 0) {
        tu_fail(file, line, "no %s event (op %s, node %d, table %s)",
          lt_event_name((lt_event_type)type), op == TU_ANY ? "any" : lt_op_name((lt_op)op), node,
          table == NULL ? "any" : table);
        tu_evlog_dump(&h->log);
        return 0;
    }
    return ev.seq;
}
#define hk_seq(h, type, op, node, table) \
    hk_seq_(__FILE__, __LINE__, (h), (type), (op), (node), (table))

#endif /* LAYERACE_TESTS_HOOK_UTIL_H */
