/*
 * test_restart.c -- lt_node_restart (layered/DESIGN.md, "Node restart"): a restarted node serves
 * the rows of the newest published checkpoint and has lost those above it until the application
 * replays them; handles from before the restart fail with ESTALE and close cleanly; a leader
 * comes back as a follower and leaves the cluster without a leader; a restart waits for a
 * transition of its node in progress, and schema operations meet a restart as they meet a
 * transition. The fault LT_FAULT_RESTART_STALE_VIEW loses rows.
 */
#include "util.h"

#include "hook_util.h"

typedef struct {
    lt_cluster *c;
    int node;
} restart_arg;

static int
restart_fn(void *arg)
{
    restart_arg *r = arg;

    return (lt_node_restart(r->c, r->node));
}

static void
test_restart_follower_loses_ingest(void)
{
    lt_cluster *c;
    lt_session *s0, *s1, *fresh;
    lt_cursor *cur, *cur2;
    char dbg[256];
    lt_node_info info;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 40};
    uint64_t id;
    int exists;

    REQUIRE((c = tu_open(3)) != NULL);
    REQUIRE((id = tu_setup_table(c, "t", 10, "a=1 b=2", 20)) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    /* c=3 at 30 on the leader and its copy in node 1's ingest; a table only node 1 has. */
    REQUIRE_OK(tu_write(s0, "t", 30, "c=3"));
    REQUIRE_OK(tu_write(s1, "t", 30, "c=3"));
    REQUIRE_OK(lt_create(s1, "u"));
    CHECK_SCAN(s1, "t", "a=1 b=2 c=3");
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_OK(lt_cursor_next(cur));

    REQUIRE_OK(lt_node_restart(c, 1));
    REQUIRE_OK(lt_node_get_info(c, 1, &info));
    CHECK_EQ(info.role, LT_FOLLOWER);
    CHECK_EQ(info.transition, LT_TR_NONE);
    CHECK_EQ(info.checkpoint_id, id);
    CHECK_EQ(info.checkpoint_ts, 20);
    CHECK_EQ(info.tables, 1);
    CHECK_EQ(lt_cluster_leader(c), 0);

    /* The handles from before: ESTALE, never a crash; closing them works. */
    CHECK_RC(lt_cursor_next(cur), ESTALE);
    CHECK(strstr(lt_last_error(), "restarted") != NULL);
    lt_cursor_set_key(cur, "a");
    CHECK_RC(lt_cursor_search(cur), ESTALE);
    CHECK_OK(lt_cursor_reset(cur));
    CHECK_RC(lt_debug_key(s1, "t", "a", dbg, sizeof(dbg)), ESTALE);
    CHECK_RC(lt_txn_begin(s1, &tc), ESTALE);
    CHECK_RC(lt_table_exists(s1, "t", &exists), ESTALE);
    CHECK_RC(lt_create(s1, "v"), ESTALE);
    CHECK_RC(lt_cursor_open(s1, "t", NULL, &cur2), ESTALE);
    CHECK(cur2 == NULL);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_session_close(s1));

    /* Rows at or below the checkpoint are served; c (above it) is gone, so is u. */
    REQUIRE((fresh = tu_session(c, 1)) != NULL);
    CHECK_SCAN(fresh, "t", "a=1 b=2");
    CHECK_EQ(tu_exists(fresh, "u"), 0);
    /* The application replays above the checkpoint; at or below it a write is refused. */
    CHECK_RC(tu_write(fresh, "t", 20, "z=0"), EINVAL);
    CHECK_OK(tu_write(fresh, "t", 30, "c=3"));
    CHECK_SCAN(fresh, "t", "a=1 b=2 c=3");
    CHECK_OK(lt_create(fresh, "u"));
    CHECK_OK(tu_close(c));
}

/* The node comes back at the newest checkpoint, not the one it had picked up. */
static void
restart_newest(unsigned faults, int *served_f)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s0, *s2;
    lt_node_info info;
    char *v = NULL;

    *served_f = -1;
    tu_config(&cfg, 3);
    cfg.faults = faults;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    REQUIRE_OK(tu_write(s0, "t", 50, "f=6"));
    REQUIRE_OK(tu_write(s2, "t", 50, "f=6"));
    REQUIRE(tu_checkpoint(c, 0, 60) != 0); /* node 2 does not pick it up */
    REQUIRE_OK(lt_node_restart(c, 2));
    lt_session_close(s2);
    REQUIRE_OK(lt_node_get_info(c, 2, &info));
    CHECK_EQ(info.checkpoint_ts, 60); /* what the application replays above */
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    *served_f = tu_get(s2, "t", "f", &v) == 0 && strcmp(v, "6") == 0;
    free(v);
    CHECK_OK(tu_close(c));
}

static void
test_restart_newest_checkpoint(void)
{
    int served;

    restart_newest(0, &served);
    CHECK_EQ(served, 1);
}

/* The fault does what it says: f, in the newest checkpoint and not replayed, is lost. */
static void
test_restart_stale_view_fault_loses_rows(void)
{
    int served;

    restart_newest(LT_FAULT_RESTART_STALE_VIEW, &served);
    CHECK_EQ(served, 0);
}

static void
test_restart_leader(void)
{
    lt_cluster *c;
    lt_session *s0, *s1, *old;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 40};
    lt_node_info info;

    REQUIRE((c = tu_open(3)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((old = tu_session(c, 0)) != NULL);
    REQUIRE_OK(tu_write(old, "t", 30, "b=2")); /* committed to the shared stable table */
    REQUIRE_OK(lt_txn_begin(old, &tc));
    REQUIRE_OK(tu_write_in(old, "t", "x=9")); /* uncommitted */

    REQUIRE_OK(lt_node_restart(c, 0));
    REQUIRE_OK(lt_node_get_info(c, 0, &info));
    CHECK_EQ(info.role, LT_FOLLOWER);
    CHECK_EQ(info.checkpoint_ts, 20);
    CHECK_EQ(lt_cluster_leader(c), -1);
    CHECK_RC(lt_txn_commit(old, 0), ESTALE);
    CHECK_EQ(lt_txn_active(old), 0);
    CHECK_OK(lt_session_close(old));

    /* Node 0 reads the checkpoint; node 1 steps up and leads the live stable table. */
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    CHECK_SCAN(s0, "t", "a=1");
    REQUIRE_OK(lt_step_up(c, 1));
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_SCAN(s1, "t", "a=1 b=2");
    CHECK_GET(s1, "t", "x", NULL);
    /* The application replays b on node 0; a later checkpoint covers it anyway. */
    CHECK_OK(tu_write(s0, "t", 30, "b=2"));
    CHECK_SCAN(s0, "t", "a=1 b=2");
    CHECK_OK(tu_close(c));
}

/* Chosen behaviour: a restart waits for a transition of its node in progress, then runs. */
static void
test_restart_waits_for_transition(void)
{
    hk h;
    tu_async r;
    restart_arg arg;
    lt_node_info info;

    REQUIRE(hk_open(&h, LT_POLICY_REJECT, 0));
    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"));
    arg.c = h.c;
    arg.node = 1;
    tu_async_fn(&r, restart_fn, &arg);
    CHECK_EQ(tu_async_wait(&r, 200), 0); /* waiting for the step-up */
    CHECK_OK(hk_release(&h));
    CHECK_OK(tu_async_join(&r));
    REQUIRE_OK(lt_node_get_info(h.c, 1, &info));
    CHECK_EQ(info.role, LT_FOLLOWER);
    CHECK_EQ(lt_cluster_leader(h.c), -1);
    CHECK_LT(hk_seq(&h, LT_EV_TRANSITION_END, LT_OP_STEP_UP, 1, NULL),
      hk_seq(&h, LT_EV_TRANSITION_BEGIN, LT_OP_RESTART, 1, NULL));
    hk_close(&h);
}

/* Schema operations meet a restart as a transition: rejected, or waiting until it ends. */
static void
restart_meets_schema(lt_policy policy, int expected)
{
    hk h;
    tu_async r, op;
    restart_arg arg;
    lt_session *s;
    int rc;

    REQUIRE(hk_open(&h, policy, 0));
    REQUIRE((s = tu_session(h.c, 2)) != NULL);
    arg.c = h.c;
    arg.node = 2;
    tu_hold_arm(&h.hold, "state.after_publish", 2); /* the restart is marked, not yet done */
    tu_async_fn(&r, restart_fn, &arg);
    REQUIRE(tu_hold_wait_held(&h.hold, TU_HANG_MS));
    if (expected == EBUSY)
        CHECK_RC(lt_create(s, "n"), EBUSY);
    else {
        tu_async_start(&op, TU_OP_CREATE, h.c, s, 2, "n", 0);
        CHECK_EQ(tu_async_wait(&op, 200), 0); /* waits for the restart */
    }
    tu_hold_release(&h.hold);
    CHECK_OK(tu_async_join(&r));
    if (expected != EBUSY) {
        rc = tu_async_join(&op);
        CHECK_RC(rc, ESTALE); /* admitted after the restart: the session is from before it */
    }
    CHECK_OK(lt_session_close(s));
    hk_close(&h);
}

static void
test_restart_rejects_schema_ops(void)
{
    restart_meets_schema(LT_POLICY_REJECT, EBUSY);
}

static void
test_restart_schema_ops_wait(void)
{
    restart_meets_schema(LT_POLICY_WAIT, 0);
}

/* A transaction open across a restart: its operations and rollback say ESTALE, then it is gone. */
static void
test_restart_stale_txn(void)
{
    lt_cluster *c;
    lt_session *s;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};

    REQUIRE((c = tu_open(3)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s = tu_session(c, 2)) != NULL);
    REQUIRE_OK(lt_txn_begin(s, &tc));
    REQUIRE_OK(tu_write_in(s, "t", "b=2"));
    REQUIRE_OK(lt_node_restart(c, 2));
    CHECK_RC(tu_write_in(s, "t", "c=3"), ESTALE);
    CHECK_RC(lt_truncate(s, "t"), ESTALE);
    CHECK_RC(lt_txn_rollback(s), ESTALE);
    CHECK_EQ(lt_txn_active(s), 0);
    CHECK_RC(lt_txn_commit(s, 0), ESTALE);
    CHECK_OK(lt_session_close(s));
    REQUIRE((s = tu_session(c, 2)) != NULL);
    CHECK_SCAN(s, "t", "a=1");
    CHECK_OK(tu_close(c));
}

static void
test_restart_bad_input(void)
{
    lt_cluster *c;

    CHECK_RC(lt_node_restart(NULL, 0), EINVAL);
    REQUIRE((c = tu_open(2)) != NULL);
    CHECK_RC(lt_node_restart(c, 2), EINVAL);
    CHECK_RC(lt_node_restart(c, -1), EINVAL);
    CHECK_OK(lt_node_restart(c, 1)); /* no checkpoint yet: an empty catalogue */
    CHECK_OK(tu_close(c));
}

/* The stable object node's entry for name is bound to (0: unbound), from lt_debug_key. */
static uint64_t
bound_stable(lt_cluster *c, int node, const char *name)
{
    lt_session *s;
    const char *p;
    char dbg[1024];
    uint64_t id = 0;

    if ((s = tu_session(c, node)) == NULL)
        return (0);
    CHECK_OK(lt_debug_key(s, name, "a", dbg, sizeof(dbg)));
    if ((p = strstr(dbg, "bound to stable ")) != NULL)
        id = strtoull(p + strlen("bound to stable "), NULL, 10);
    lt_session_close(s);
    return (id);
}

/* Node down steps down, node up steps up: it adopts t's live life (no second stable object). */
static void
stepup_adopts(lt_cluster *c, int down, int up, uint64_t life, lt_session *s, const char *rows)
{
    REQUIRE_OK(lt_step_down(c, down));
    REQUIRE_OK(lt_step_up(c, up));
    CHECK_EQ(bound_stable(c, up, "t"), life);
    CHECK_SCAN(s, "t", rows);
}

/* The leader checkpoints at ts and every node picks it up: node binds t's life, s reads rows. */
static void
pickup_binds(lt_cluster *c, int leader, uint64_t ts, int node, uint64_t life, lt_session *s,
  const char *rows)
{
    uint64_t id;

    REQUIRE((id = tu_checkpoint(c, leader, ts)) != 0);
    REQUIRE(tu_pickup_all(c, id));
    CHECK_EQ(bound_stable(c, node, "t"), life);
    CHECK_SCAN(s, "t", rows);
}

/* A logical drop (when drop) and create of t with row b=2 at 30, on the nodes of s0 and s1. */
static int
recreate_two(lt_session *s0, lt_session *s1, int drop)
{
    int rc = 0;

    if (drop && ((rc = lt_drop(s0, "t")) != 0 || (rc = lt_drop(s1, "t")) != 0))
        return (rc);
    if ((rc = lt_create(s0, "t")) != 0 || (rc = lt_create(s1, "t")) != 0 ||
      (rc = tu_write(s0, "t", 30, "b=2")) != 0)
        return (rc);
    return (tu_write(s1, "t", 30, "b=2"));
}

/*
 * A restarted node replays a drop and a create that the other nodes ran before its restart: the
 * replayed drop covers the life the node came back with, not the next one (born before the
 * replay), so the node binds the next life at its pickup and adopts it at its step-up instead of
 * making a second stable object for the table (layered/DESIGN.md, "Drop marks and replays").
 */
static void
test_restart_replayed_drop_binds_next_life(void)
{
    lt_cluster *c;
    lt_session *s0, *s1, *s2;
    uint64_t next;

    REQUIRE((c = tu_open(3)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    /* The logical drop and create on nodes 0 and 1; node 2 restarts before it is told. */
    REQUIRE_OK(recreate_two(s0, s1, 1));
    REQUIRE((next = bound_stable(c, 0, "t")) != 0);
    REQUIRE_OK(lt_node_restart(c, 2)); /* back at the checkpoint at 20: the first life */
    CHECK(bound_stable(c, 2, "t") != next);

    /* Its replay: the drop, the create, the write. */
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    REQUIRE_OK(lt_drop(s2, "t"));
    REQUIRE_OK(lt_create(s2, "t"));
    REQUIRE_OK(tu_write(s2, "t", 30, "b=2"));
    pickup_binds(c, 0, 40, 2, next, s2, "b=2");

    /* Node 2 leads: it keeps the life (no second stable object), and node 0 follows it. */
    stepup_adopts(c, 0, 2, next, s2, "b=2");
    REQUIRE_OK(tu_write(s2, "t", 50, "-b"));
    REQUIRE_OK(tu_write(s0, "t", 50, "-b"));
    pickup_binds(c, 2, 60, 0, next, s0, "");
    CHECK_SCAN(s2, "t", "");
    lt_session_close(s0);
    lt_session_close(s1);
    lt_session_close(s2);
    CHECK_OK(tu_close(c));
}

/*
 * The same when the checkpoint the node comes back at lacks the table: its replay creates it,
 * drops it and creates it again, lives the other nodes began and ended before the replay. The
 * replayed drop covers the first of them, not the live one.
 */
static void
test_restart_replayed_create_drop_create(void)
{
    lt_cluster *c;
    lt_session *s0, *s1, *s2;
    uint64_t next;

    REQUIRE((c = tu_open(3)) != NULL);
    REQUIRE(tu_setup_table(c, "other", 10, "a=1", 20) != 0); /* a checkpoint without t */
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(recreate_two(s0, s1, 0));
    REQUIRE_OK(recreate_two(s0, s1, 1));
    REQUIRE((next = bound_stable(c, 0, "t")) != 0);
    REQUIRE_OK(lt_node_restart(c, 2));

    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_EQ(tu_exists(s2, "t"), 0);
    REQUIRE_OK(lt_create(s2, "t"));
    REQUIRE_OK(lt_drop(s2, "t"));
    REQUIRE_OK(lt_create(s2, "t"));
    REQUIRE_OK(tu_write(s2, "t", 30, "b=2"));
    pickup_binds(c, 0, 40, 2, next, s2, "b=2");
    stepup_adopts(c, 0, 2, next, s2, "b=2");
    CHECK_OK(tu_close(c)); /* closes the sessions */
}

/*
 * A follower begins a table's life before the checkpoint a restarted node comes back at: no
 * leader held it then, so that checkpoint lacks it although nothing dropped it. The restarted
 * node replays the create; the follower steps up, makes the life's stable object and publishes
 * it. The restarted node binds that life at its pickup (its GC then frees what the checkpoint
 * holds) and adopts it at its own step-up instead of making a second stable object beside it
 * (layered/DESIGN.md, "Drop marks and replays"). Once with an id taken between the create and
 * the checkpoint, once without.
 */
static void
test_restart_replayed_create_of_follower_life(void)
{
    lt_cluster *c;
    lt_session *s0, *s1, *s2;
    uint64_t life, removed;
    int gap;

    for (gap = 0; gap < 2; gap++) {
        REQUIRE((c = tu_open(3)) != NULL);
        REQUIRE(tu_setup_table(c, "other", 10, "a=1", 20) != 0);
        REQUIRE((s0 = tu_session(c, 0)) != NULL);
        REQUIRE((s1 = tu_session(c, 1)) != NULL);
        REQUIRE_OK(lt_create(s1, "t")); /* the leader has no t yet */
        if (gap)
            REQUIRE_OK(lt_create(s0, "x"));
        REQUIRE(tu_checkpoint(c, 0, 25) != 0);
        REQUIRE_OK(lt_node_restart(c, 2));
        REQUIRE((s2 = tu_session(c, 2)) != NULL);
        REQUIRE_OK(lt_create(s2, "t")); /* the replay */
        CHECK_OK(tu_write(s1, "t", 30, "b=2"));
        CHECK_OK(tu_write(s2, "t", 30, "b=2"));
        REQUIRE_OK(lt_step_down(c, 0));
        REQUIRE_OK(lt_step_up(c, 1));
        REQUIRE((life = bound_stable(c, 1, "t")) != 0);
        pickup_binds(c, 1, 40, 2, life, s2, "b=2");
        removed = 0;
        CHECK_OK(lt_gc(c, 2, &removed));
        CHECK_EQ(removed, 1); /* b at 30: the checkpoint at 40 holds it */
        stepup_adopts(c, 1, 2, life, s2, "b=2");
        CHECK_OK(tu_close(c)); /* closes the sessions */
    }
}

int
main(void)
{
    TU_RUN(test_restart_follower_loses_ingest);
    TU_RUN(test_restart_newest_checkpoint);
    TU_RUN(test_restart_stale_view_fault_loses_rows);
    TU_RUN(test_restart_leader);
    TU_RUN(test_restart_waits_for_transition);
    TU_RUN(test_restart_rejects_schema_ops);
    TU_RUN(test_restart_schema_ops_wait);
    TU_RUN(test_restart_stale_txn);
    TU_RUN(test_restart_bad_input);
    TU_RUN(test_restart_replayed_drop_binds_next_life);
    TU_RUN(test_restart_replayed_create_drop_create);
    TU_RUN(test_restart_replayed_create_of_follower_life);
    return (tu_finish());
}
