/*
 * test_drop.c -- drop, re-create and truncate (docs/CONTRACT.md#i7, invariant I7): drop is atomic
 * (the table leaves the catalogue entirely, or nothing changes); after drop and re-create no node
 * serves a row of the old incarnation, also a follower that still reads an older checkpoint;
 * truncate removes every row in its transaction.
 */
#include "util.h"

/* Drop is atomic if it succeeded and the table is gone, or it failed and nothing changed. */
static int
drop_atomic(lt_session *s, const char *table, int rc, const char *rows_before)
{
    tu_rows got, exp;
    int exists = tu_exists(s, table) == 1, same, srt;

    if (rc == 0) {
        lt_cursor *cur = NULL;
        int orc = lt_cursor_open(s, table, NULL, &cur);
        if (orc == 0)
            lt_cursor_close(cur);
        return !exists && orc == ENOENT;
    }
    srt = tu_scan(s, table, 1, &got);
    tu_rows_parse(&exp, rows_before);
    same = srt == 0 && tu_rows_equal(&got, &exp);
    tu_rows_free(&got);
    tu_rows_free(&exp);
    return exists && same;
}

/* The table leaves the catalogue entirely; a second drop, cursors and truncate say ENOENT. */
static void
test_drop_leader(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s;
    lt_cursor *cur = NULL;
    lt_node_info before, after;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    int rc;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "other"));
    REQUIRE_OK(lt_node_get_info(c, 0, &before));
    rc = lt_drop(s, "t");
    CHECK_OK(rc);
    CHECK(drop_atomic(s, "t", rc, "a=1 b=2"));
    REQUIRE_OK(lt_node_get_info(c, 0, &after));
    CHECK_EQ(after.tables, before.tables - 1);
    CHECK_EQ(tu_exists(s, "t"), 0);
    CHECK_EQ(tu_exists(s, "other"), 1);
    CHECK_RC(lt_cursor_open(s, "t", NULL, &cur), ENOENT);
    CHECK_RC(lt_drop(s, "t"), ENOENT);
    REQUIRE_OK(lt_txn_begin(s, &tc));
    CHECK_RC(lt_truncate(s, "t"), ENOENT);
    lt_txn_rollback(s);
    /* Followers are unaffected until they pick up a checkpoint without it. */
    {
        lt_session *s1 = tu_session(c, 1);
        REQUIRE(s1 != NULL);
        CHECK_EQ(tu_exists(s1, "t"), 1);
        CHECK_SCAN(s1, "t", "a=1 b=2");
    }
    CHECK_OK(tu_close(c));
}

/* A cursor open on the table on this node: EBUSY and nothing changes; after closing it, drop. */
static void
test_drop_busy_cursor(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s[2];
    lt_cursor *cur;
    int rc;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s[0] = tu_session(c, 0)) != NULL);
    REQUIRE((s[1] = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s[1], "t", 30, "c=3"));
    for (int n = 0; n < 2; n++) {
        const char *rows = n == 0 ? "a=1 b=2" : "a=1 b=2 c=3";
        REQUIRE_OK(lt_cursor_open(s[n], "t", NULL, &cur));
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
        rc = lt_drop(s[n], "t");
        CHECK_RC(rc, EBUSY);
        CHECK(drop_atomic(s[n], "t", rc, rows));
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b"); /* the cursor is still fine */
        CHECK_OK(lt_cursor_close(cur));
        rc = lt_drop(s[n], "t");
        CHECK_OK(rc);
        CHECK(drop_atomic(s[n], "t", rc, rows));
    }
    CHECK_OK(tu_close(c));
}

/*
 * A follower drops its table (ingest rows and all) while the stable constituent is referenced by
 * a checkpoint: atomic. With LT_FAULT_DROP_NOT_ATOMIC the defect shows (must detect): the drop
 * fails half-way, the table stays, its ingest rows are gone.
 */
static void
drop_follower_scenario(unsigned faults, int *atomic)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s1, *s0;
    int rc;

    *atomic = -1;
    tu_config(&cfg, 2);
    cfg.faults = faults;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=s", 20) != 0);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    CHECK_OK(tu_write(s1, "t", 30, "b=i"));
    rc = lt_drop(s1, "t");
    *atomic = drop_atomic(s1, "t", rc, "a=s b=i");
    if (faults == 0) {
        CHECK_OK(rc);
        CHECK_EQ(tu_exists(s1, "t"), 0);
    }
    /* The leader's table is untouched either way. */
    CHECK_SCAN(s0, "t", "a=s");
    CHECK_OK(tu_close(c));
}

static void
test_drop_follower_atomic(void)
{
    int atomic;

    drop_follower_scenario(0, &atomic);
    CHECK_EQ(atomic, 1);
}

static void
test_drop_not_atomic_fault_detected(void)
{
    int atomic;

    drop_follower_scenario(LT_FAULT_DROP_NOT_ATOMIC, &atomic);
    CHECK_EQ(atomic, 0);
}

/*
 * Leader drop + re-create: the leader and, after pickup, every follower serve only the new
 * incarnation's rows; a follower still on the older checkpoint keeps its consistent old view.
 */
static void
test_drop_recreate_leader(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    uint64_t id2;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_OK(tu_write(s1, "t", 25, "i=1")); /* ingest of the old incarnation */
    REQUIRE_OK(lt_drop(s0, "t"));
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_SCAN(s0, "t", "");
    CHECK_GET(s0, "t", "a", NULL);
    CHECK_OK(tu_write(s0, "t", 30, "x=new"));
    CHECK_SCAN(s0, "t", "x=new");
    REQUIRE((id2 = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_SCAN(s2, "t", "a=1 b=2"); /* still on the old checkpoint: its own consistent view */
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_SCAN(s1, "t", "x=new");
    CHECK_GET(s1, "t", "a", NULL);
    CHECK_GET(s1, "t", "i", NULL);
    CHECK_OK(lt_pickup(c, 2, id2));
    CHECK_SCAN(s2, "t", "x=new");
    /* And across a step-up of a follower. */
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 2));
    CHECK_SCAN(s2, "t", "x=new");
    CHECK_OK(tu_close(c));
}

/*
 * Follower drop + re-create while it still reads the older checkpoint: the new table is empty
 * (no old stable or ingest row); it binds only to a newer incarnation published later.
 */
static void
test_drop_recreate_follower(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    uint64_t id;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_OK(tu_write(s1, "t", 25, "i=1"));
    CHECK_OK(tu_write(s2, "t", 26, "j=1"));
    REQUIRE_OK(lt_drop(s1, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_SCAN(s1, "t", "");
    CHECK_GET(s1, "t", "a", NULL);
    CHECK_GET(s1, "t", "i", NULL);
    /* The old incarnation moves on at the leader: node 1 does not bind to it again. */
    CHECK_OK(tu_write(s0, "t", 30, "c=3"));
    REQUIRE((id = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_SCAN(s1, "t", "");
    /* Node 2 did neither: it reads the old incarnation's newer checkpoint and, as upstream's
     * follower, its own write j (until GC), which no leader made. */
    CHECK_OK(lt_pickup(c, 2, id));
    CHECK_SCAN(s2, "t", "a=1 b=2 c=3 j=1");

    /* A new incarnation at the leader: node 1 binds to it after pickup; node 2 follows it, and
     * its write j to the old incarnation is not served again (I7). */
    REQUIRE_OK(lt_drop(s0, "t"));
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 50, "x=new"));
    REQUIRE((id = tu_checkpoint(c, 0, 60)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_SCAN(s1, "t", "x=new");
    CHECK_OK(lt_pickup(c, 2, id));
    CHECK_SCAN(s2, "t", "x=new");
    CHECK_OK(tu_close(c));
}

/* Truncate removes every row in its transaction; rollback restores; other nodes unaffected. */
static void
test_truncate(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    uint64_t id;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_OK(tu_write(s1, "t", 30, "c=3 -a"));

    /* Without a commit timestamp: EINVAL, nothing removed. */
    REQUIRE_OK(lt_txn_begin(s1, &tc));
    CHECK_RC(lt_truncate(s1, "t"), EINVAL);
    lt_txn_rollback(s1);
    CHECK_SCAN(s1, "t", "b=2 c=3");

    /* Rolled back: nothing removed. */
    tc.commit_ts = 40;
    REQUIRE_OK(lt_txn_begin(s1, &tc));
    CHECK_OK(lt_truncate(s1, "t"));
    CHECK_SCAN(s1, "t", "");
    CHECK_OK(lt_txn_rollback(s1));
    CHECK_SCAN(s1, "t", "b=2 c=3");

    /* Follower truncate: its view is empty, other nodes keep theirs. */
    REQUIRE_OK(lt_txn_begin(s1, &tc));
    CHECK_OK(lt_truncate(s1, "t"));
    CHECK_OK(lt_txn_commit(s1, 0));
    CHECK_SCAN(s1, "t", "");
    CHECK_SCAN(s2, "t", "a=1 b=2");
    CHECK_SCAN(s0, "t", "a=1 b=2");
    CHECK_OK(tu_write(s1, "t", 41, "d=4"));
    CHECK_SCAN(s1, "t", "d=4");

    /* Leader truncate reaches followers through a checkpoint. */
    tc.commit_ts = 50;
    REQUIRE_OK(lt_txn_begin(s0, &tc));
    CHECK_OK(lt_truncate(s0, "t"));
    CHECK_OK(lt_txn_commit(s0, 0));
    CHECK_SCAN(s0, "t", "");
    CHECK_OK(tu_write(s0, "t", 51, "z=26"));
    REQUIRE((id = tu_checkpoint(c, 0, 60)) != 0);
    CHECK_OK(lt_pickup(c, 2, id));
    CHECK_SCAN(s2, "t", "z=26");
    CHECK_OK(tu_close(c));
}

/*
 * A dropped table stays dropped when a step-up makes a stable for it later (I7). Node 1 created
 * the table as a follower (its entry has no stable yet); nodes 0 and 2 apply a drop from their
 * logs first; then node 1 steps up, which makes a stable for its entry (a new object of the
 * dropped life), and publishes a checkpoint naming it before it applies the drop itself. The
 * nodes that dropped must not take the table back from that checkpoint.
 */
static void
test_drop_stays_dropped_after_stepup_stable(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s[3];
    uint64_t id;
    int i;

    REQUIRE(c != NULL);
    for (i = 0; i < 3; i++)
        REQUIRE((s[i] = tu_session(c, i)) != NULL);
    REQUIRE_OK(lt_create(s[1], "t")); /* follower: no stable yet */
    REQUIRE_OK(lt_create(s[0], "t"));
    REQUIRE_OK(lt_create(s[2], "t"));
    REQUIRE_OK(lt_drop(s[0], "t"));
    REQUIRE_OK(lt_drop(s[2], "t"));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_EQ(tu_exists(s[1], "t"), 1);
    REQUIRE((id = tu_checkpoint(c, 1, 10)) != 0);
    CHECK_OK(lt_pickup(c, 0, id));
    CHECK_OK(lt_pickup(c, 2, id));
    CHECK_EQ(tu_exists(s[0], "t"), 0);
    CHECK_EQ(tu_exists(s[2], "t"), 0);
    REQUIRE_OK(lt_drop(s[1], "t"));
    REQUIRE((id = tu_checkpoint(c, 1, 11)) != 0);
    REQUIRE(tu_pickup_all(c, id));
    for (i = 0; i < 3; i++)
        CHECK_EQ(tu_exists(s[i], "t"), 0);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_drop_leader);
    TU_RUN(test_drop_busy_cursor);
    TU_RUN(test_drop_follower_atomic);
    TU_RUN(test_drop_not_atomic_fault_detected);
    TU_RUN(test_drop_recreate_leader);
    TU_RUN(test_drop_recreate_follower);
    TU_RUN(test_drop_stays_dropped_after_stepup_stable);
    TU_RUN(test_truncate);
    return tu_finish();
}
